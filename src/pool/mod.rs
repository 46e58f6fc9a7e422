//! The pool: the one dispatch surface (`submit`/`execute`) used by PHP and,
//! through `PoolHandle`, by plugins. Jobs go into one shared queue; idle
//! workers pull from it. Starting workers, health, shutdown, slot membership
//! and recycle policy each live in their own file.

pub mod grpc;
mod health;
mod kill;
mod life;
mod link;
#[cfg(test)]
pub(crate) mod mock;
mod permits;
mod queue;
mod reply;
mod runtime;
mod shutdown;
pub mod slot;
mod spawn;
pub mod spool;
pub mod stream;
pub mod tempfile;
pub mod waitset;
pub mod state;
pub mod stats;
mod supervisor;

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::bridge::Value;
use crate::config::PoolConfig;
use crate::error::{WorkError, fmt_duration};
pub use kill::{KillFlag, KillLevel, KillReason};
pub use link::WorkerLink;
pub use queue::Job;
use permits::ReplacePermits;
use queue::JobQueue;
pub use reply::{AbandonOnDrop, Deliver, Finish, JobResult, Reply, ReplyFuture};
pub use runtime::{Interrupt, Runtime};
use shutdown::Phase;
pub use slot::RecycleReason;
use slot::Slot;
use stats::{PoolCounters, PoolStats};

/// What the pool's threads share.
struct Shared {
    config: PoolConfig,
    queue: JobQueue,
    slots: Vec<Slot>,
    stats: PoolCounters,
    runtime: Arc<dyn Runtime>,
    generation: AtomicU64,
    /// The newest generation a worker failed to boot in, while none of it
    /// booted (0: none): workers of older generations keep serving rather
    /// than be replaced by ones that cannot boot (a reload of broken code).
    reload_failed: AtomicU64,
    phase: AtomicU8,
    permits: Arc<ReplacePermits>,
    health: Mutex<Option<String>>,
    wake: Mutex<bool>,
    wake_cv: Condvar,
    /// The supervisor sleeps its long idle tick: a deadline that starts now
    /// (a job's exec_timeout, a queued job's queue.timeout) must wake it.
    supervisor_idle: AtomicBool,
}

pub struct Pool {
    shared: Arc<Shared>,
    supervisor: Mutex<Option<JoinHandle<()>>>,
}

/// What a plugin may do with the pool: submit jobs and read how it is doing.
/// Cheap to clone.
#[derive(Clone)]
pub struct PoolHandle(Arc<Shared>);

impl PoolHandle {
    /// Queues a job; the answer arrives in the returned `Reply` (await it with `AbandonOnDrop`, which
    /// drops the job if the caller goes first), after `finish` worked on it on the worker's thread.
    pub fn submit_finished(&self, method: String, payload: Value, finish: Arc<dyn Finish>) -> Result<Arc<Reply>, WorkError> {
        self.0.submit(method, payload, Reply::with_finish(finish), false)
    }

    /// Queues a job whose answer needs no work on the worker's thread (the FastCGI front's).
    pub fn submit(&self, method: impl Into<String>, payload: Value) -> Result<Arc<Reply>, WorkError> {
        self.0.submit(method.into(), payload, Reply::new(), false)
    }

    /// A background job (the jobs plugin's): like `submit`, with the job's own hard time limit
    /// instead of `workers.exec_timeout` (None: that one), queued in the background lane.
    pub fn submit_background(&self, method: String, payload: Value, limit: Option<Duration>) -> Result<Arc<Reply>, WorkError> {
        self.0.submit(method, payload, Reply::with_exec_timeout(limit), true)
    }

    /// A request with its own hard time limit instead of `workers.exec_timeout`
    /// (None: that one), in the request lane: a gRPC call's (`grpc.timeout`, its deadline).
    pub fn submit_limited(&self, method: String, payload: Value, limit: Option<Duration>) -> Result<Arc<Reply>, WorkError> {
        self.0.submit(method, payload, Reply::with_exec_timeout(limit), false)
    }

    /// Keeps `n` workers idle for requests: a background job starts only while more are idle.
    pub fn set_background_reserve(&self, n: usize) {
        self.0.queue.set_background_reserve(n);
    }

    pub fn snapshot(&self) -> PoolStats {
        self.0.snapshot()
    }

    /// `Pool::reload`, for the server's `plugin::Reloader` (SIGHUP and the admin's `POST /reload`).
    pub fn reload(&self) -> u64 {
        self.0.reload()
    }

    /// The pool is draining or stopped.
    pub fn is_stopping(&self) -> bool {
        self.0.is_stopping()
    }

    /// Workers idle right now: none means a job pushed now waits in the queue.
    pub fn idle_workers(&self) -> usize {
        self.0.queue.idle()
    }

    /// Resolves once every worker is busy (at once if they are now).
    pub async fn all_workers_busy(&self) {
        self.0.queue.all_busy().await
    }

    /// Queues a job made by the caller (its reply delivers the answer); a
    /// refusal (queue full, stopping, unhealthy) completes that reply with it.
    pub fn submit_job(&self, job: Job) {
        self.0.submit_job(job);
    }

    /// Idle workers wait on a new wait set from now on, where `front`
    /// registers the sources they serve themselves (`http.direct`, see waitset.rs).
    pub fn serve_on_workers(&self, front: Arc<dyn waitset::Ready>) -> Result<Arc<waitset::WaitSet>, String> {
        let set = waitset::WaitSet::new(self.0.slots.len(), front)
            .map(Arc::new)
            .map_err(|e| format!("cannot create the workers' wait set: {e}"))?;
        self.0.queue.attach(set.clone())?;
        Ok(set)
    }

    /// The front end that attached `set` stopped: idle workers wait on the queue again.
    pub fn stop_serving_on_workers(&self, set: &Arc<waitset::WaitSet>) {
        self.0.queue.detach(set);
    }
}

impl Pool {
    /// Queues a job; the answer arrives in the returned `Reply`.
    pub fn submit(&self, method: impl Into<String>, payload: Value) -> Result<Arc<Reply>, WorkError> {
        self.shared.submit(method.into(), payload, Reply::new(), false)
    }

    /// Runs a job and waits for its answer.
    pub fn execute(&self, method: impl Into<String>, payload: Value) -> JobResult {
        let reply = self.submit(method, payload)?;
        reply.wait(None).unwrap_or(Err(WorkError::ShutDown))
    }

    /// Recycles every worker after its current job; new workers boot with fresh code.
    /// Returns the new generation.
    pub fn reload(&self) -> u64 {
        self.shared.reload()
    }

    pub fn stats(&self) -> PoolStats {
        self.shared.snapshot()
    }

    /// The handle plugins get.
    pub fn handle(&self) -> PoolHandle {
        PoolHandle(self.shared.clone())
    }
}

impl Shared {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A reload is on hold: a worker of the current generation failed to boot and none booted.
    fn reload_failed(&self) -> bool {
        let g = self.generation();
        g > 1 && self.reload_failed.load(Ordering::Acquire) == g
    }

    /// A worker of `generation` failed to boot; true if that puts the current reload on hold.
    fn boot_failed(&self, generation: u64) -> bool {
        generation > 1 && generation == self.generation() && self.reload_failed.swap(generation, Ordering::AcqRel) != generation
    }

    /// A worker of `generation` booted: its reload goes on.
    fn reload_booted(&self, generation: u64) {
        let _ = self.reload_failed.compare_exchange(generation, 0, Ordering::AcqRel, Ordering::Acquire);
    }

    fn reload(&self) -> u64 {
        let g = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        tracing::info!(generation = g, "pool reload requested");
        self.queue.wake_all();
        self.wake_supervisor();
        g
    }

    fn submit(&self, method: String, payload: Value, reply: Reply, background: bool) -> Result<Arc<Reply>, WorkError> {
        let reply = Arc::new(reply);
        let job = Job { method, payload, reply: reply.clone(), enqueued: Instant::now(), background };
        self.push(job).map(|()| reply).map_err(|(_, e)| e)
    }

    fn submit_job(&self, job: Job) {
        if let Err((job, e)) = self.push(job) {
            job.reply.complete(Err(e));
        }
    }

    /// Queues a job, or hands it back with why not.
    fn push(&self, job: Job) -> Result<(), (Job, WorkError)> {
        if self.phase() != Phase::Running {
            return Err((job, WorkError::ShutDown));
        }
        if let Some(reason) = self.unhealthy() {
            return Err((job, WorkError::Unhealthy(reason)));
        }
        let pushed = match self.queue.push(job) {
            // Full: jobs nobody waits for any more make room first.
            Err((job, WorkError::Busy(_))) if self.purge_abandoned() > 0 => self.queue.push(job),
            other => other,
        };
        if let Err((job, e)) = pushed {
            if matches!(e, WorkError::Busy(_)) {
                self.stats.busy.inc();
            }
            return Err((job, e));
        }
        self.stats.submitted.inc();
        if self.config.queue.timeout.is_some() {
            self.nudge_supervisor();
        }
        Ok(())
    }

    /// Drops the queued jobs whose callers left, counted as abandoned.
    fn purge_abandoned(&self) -> usize {
        let n = self.queue.purge_abandoned();
        if n > 0 {
            self.stats.abandoned.add(n as u64);
            tracing::debug!(jobs = n, "queued jobs dropped: their callers left (HTTP clients that closed the connection)");
        }
        n
    }

    /// A job a worker just popped whose caller left: dropped unrun, counted.
    fn dropped_abandoned(&self, job: &Job) -> bool {
        if !job.reply.client_gone() {
            return false;
        }
        self.stats.abandoned.inc();
        tracing::debug!(method = %job.method, "queued job dropped: its caller left (the HTTP client closed the connection)");
        true
    }

    /// `queue.timeout` for a job a worker just took: true if it waited that
    /// long, and then it is refused as busy.
    fn refused_late(&self, job: &Job, now: Instant) -> bool {
        match self.config.queue.timeout {
            // Background jobs wait while requests keep the workers busy: that is their policy.
            Some(limit) if !job.background && job.waited(limit, now) => {
                self.refuse_as_late(job, limit);
                true
            }
            _ => false,
        }
    }

    /// The supervisor's sweep: an unhealthy pool fails every queued job; else
    /// the jobs that waited `queue.timeout` are refused as busy.
    fn expire_queued(&self, now: Instant) {
        if let Some(reason) = self.unhealthy() {
            for job in self.queue.drain() {
                job.reply.complete(Err(WorkError::Unhealthy(reason.clone())));
            }
            return;
        }
        let Some(limit) = self.config.queue.timeout else { return };
        for job in self.queue.expire(limit, now) {
            self.refuse_as_late(&job, limit);
        }
    }

    fn refuse_as_late(&self, job: &Job, limit: Duration) {
        self.stats.busy.inc();
        job.reply.complete(Err(WorkError::Busy(format!(
            "no worker became free within queue.timeout ({})",
            fmt_duration(limit)
        ))));
    }
}

#[cfg(test)]
mod tests;
