//! Runtimes: what actually runs a worker, behind the pool's `Runtime` trait
//! (a ZTS thread with its own PHP interpreter, the main PHP thread, or a mock
//! for pool unit tests), and every raw PHP engine call outside the value bridge.

#[cfg(test)]
pub mod mock;
pub mod signals;
pub mod interrupt;
pub mod main_thread;
pub mod exception;
pub mod output;
pub mod php;
pub mod serve;
pub mod zts;
