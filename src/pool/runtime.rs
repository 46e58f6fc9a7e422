//! What the pool needs from whatever runs its workers: start one on its own
//! thread, prepare the pool's own service thread, interrupt a running job.
//! `runtime/` implements these for PHP; the pool itself knows nothing of PHP.

use std::thread::JoinHandle;

use super::WorkerLink;

/// Runs workers: ZTS PHP threads in production (`runtime::zts`), a mock in unit tests.
pub trait Runtime: Send + Sync + 'static {
    /// Starts one worker on its own thread; it drives `link` (booted,
    /// next_job, finish, exited) until it leaves.
    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>>;
    /// Runs first on the thread the pool starts for itself (the supervisor),
    /// e.g. to keep signals meant for PHP threads away from it.
    fn prepare_service_thread(&self);
}

/// Interrupts a worker thread from another thread. Published by the runtime
/// while the thread's interpreter exists, unpublished before it is freed.
pub trait Interrupt: Send {
    /// Ask the running PHP code to stop at its next VM check (an exception
    /// the handler may see: `finally` blocks run).
    fn soft(&self);
    /// Stop it for good: a fatal "Maximum execution time" error.
    fn hard(&self);
}
