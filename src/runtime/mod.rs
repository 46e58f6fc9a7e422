//! Runtimes: what actually runs a worker (a ZTS thread with its own PHP
//! interpreter, recyclable, or a mock for pool unit tests; the pool only sees
//! this trait), and every raw PHP engine call outside the value bridge.

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

use std::thread::JoinHandle;

use crate::pool::WorkerLink;

pub trait Runtime: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// Starts one worker on its own thread; it drives `link` (booted,
    /// next_job, finish, exited) until it leaves.
    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>>;
    /// Whether a worker of this runtime can be torn down and replaced.
    fn recyclable(&self) -> bool {
        true
    }
}
