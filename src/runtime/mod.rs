//! Runtimes: what actually runs a worker, behind the pool's `Runtime` trait.
//! A ZTS thread with its own PHP interpreter (`zts`), the main PHP thread
//! (`main_thread`), or a mock for unit tests of pool logic.

#[cfg(test)]
pub mod mock;
pub mod signals;
pub mod interrupt;
pub mod main_thread;
pub mod php;
pub mod serve;
pub mod zts;
