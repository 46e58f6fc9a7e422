//! Runtimes: what actually runs a worker, behind the pool's `Runtime` trait
//! (a ZTS thread with its own PHP interpreter, or the main PHP thread), and
//! every raw PHP engine call outside the value bridge. (The pool's tests use
//! `pool::mock`, which needs no PHP.)

pub mod signals;
pub mod interrupt;
pub mod main_thread;
pub mod classic;
pub mod boot;
pub mod frankenphp;
pub mod grpc;
pub mod handle;
pub mod exception;
pub mod php;
pub mod process;
pub mod roadrunner;
pub mod sapi;
pub mod serve;
pub mod wait;
pub mod zts;
