//! Runtimes: what actually runs a worker. A ZTS thread with its own PHP
//! interpreter (recyclable), or a mock for unit tests of pool logic. The pool
//! only sees this trait.

#[cfg(test)]
pub mod mock;
pub mod signals;
pub mod interrupt;
pub mod main_thread;
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
