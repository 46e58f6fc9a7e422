//! The pool: the one dispatch surface (`submit`/`execute`) used by PHP and by
//! plugins. Jobs go into one shared queue; idle workers pull from it. Slot
//! membership and recycle policy live in `slot`/`supervisor`, not here.

pub mod link;
pub mod queue;
pub mod reply;
pub mod slot;
pub mod state;
pub mod stats;
pub mod supervisor;

use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::bridge::Value;
use crate::config::PoolConfig;
use crate::error::{WorkError, fmt_duration};
use crate::runtime::Runtime;
pub use link::WorkerLink;
use queue::{Job, JobQueue};
pub use reply::{JobResult, Reply, ReplyFuture};
use slot::{KillReason, Slot, SlotInner, SlotKind};
use state::{SlotState, Transition};
use stats::{PoolCounters, PoolStats, SlotStats};

/// Where the pool is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Running = 0,
    /// No new jobs; queued and running ones finish.
    Draining = 1,
    /// Everything left is interrupted; workers leave.
    Stopped = 2,
}

pub struct Shared {
    pub config: PoolConfig,
    pub queue: JobQueue,
    pub slots: Vec<Slot>,
    pub stats: PoolCounters,
    runtime: Arc<dyn Runtime>,
    generation: AtomicU64,
    phase: AtomicU8,
    /// Slots currently being replaced by a soft limit (capped, so capacity never drops to zero at once).
    replacing: AtomicUsize,
    health: Mutex<Option<String>>,
    wake: Mutex<bool>,
    wake_cv: Condvar,
}

pub struct Pool {
    shared: Arc<Shared>,
    supervisor: Mutex<Option<JoinHandle<()>>>,
}

impl Pool {
    /// Starts every slot and waits until each has booted or failed (bounded by boot_timeout).
    pub fn start(config: PoolConfig, runtime: Arc<dyn Runtime>) -> std::io::Result<Pool> {
        Self::start_with_main(config, runtime, false)
    }

    /// Like `start`, plus one slot for the calling (main) thread, which it
    /// fills itself with `attach_main()` and never gets recycled.
    pub fn start_with_main(config: PoolConfig, runtime: Arc<dyn Runtime>, main: bool) -> std::io::Result<Pool> {
        let count = config.workers.count;
        let mut slots: Vec<Slot> = (0..count).map(|i| Slot::new(i, SlotKind::Thread)).collect();
        if main {
            slots.push(Slot::new(count, SlotKind::Main));
        }
        let shared = Arc::new(Shared {
            queue: JobQueue::new(config.queue.size),
            slots,
            stats: PoolCounters::default(),
            runtime,
            generation: AtomicU64::new(1),
            phase: AtomicU8::new(Phase::Running as u8),
            replacing: AtomicUsize::new(0),
            health: Mutex::new(None),
            wake: Mutex::new(false),
            wake_cv: Condvar::new(),
            config,
        });
        for slot in shared.slots.iter().filter(|s| s.kind == SlotKind::Thread) {
            let mut s = slot.lock();
            shared.spawn_locked(slot, &mut s);
        }
        let sup_shared = shared.clone();
        let supervisor = std::thread::Builder::new()
            .name("folk-supervisor".into())
            .spawn(move || supervisor::run(sup_shared))?;
        let pool = Pool { shared, supervisor: Mutex::new(Some(supervisor)) };
        pool.wait_booted(pool.shared.config.workers.boot_timeout + Duration::from_secs(1));
        Ok(pool)
    }

    fn wait_booted(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            let settled = self.shared.slots.iter().filter(|s| s.kind == SlotKind::Thread).all(|slot| {
                let s = slot.lock();
                s.booted_at.is_some() || s.boot_failures > 0
            });
            if settled || self.shared.unhealthy().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Makes the calling thread the main slot's worker; None if the pool has
    /// no main slot or it was attached already.
    pub fn attach_main(&self) -> Option<WorkerLink> {
        let slot = self.shared.slots.iter().find(|s| s.kind == SlotKind::Main)?;
        let mut s = slot.lock();
        if s.incarnation > 0 || self.shared.is_stopping() {
            return None;
        }
        Some(self.shared.prepare_locked(slot, &mut s)?)
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Queues a job; the answer arrives in the returned `Reply`.
    pub fn submit(&self, method: impl Into<String>, payload: Value) -> Result<Arc<Reply>, WorkError> {
        self.shared.submit(method.into(), payload)
    }

    /// Runs a job and waits for its answer.
    pub fn execute(&self, method: impl Into<String>, payload: Value) -> JobResult {
        let reply = self.submit(method, payload)?;
        reply.wait(None).unwrap_or(Err(WorkError::ShutDown))
    }

    /// Recycles every worker after its current job; new workers boot with fresh code.
    pub fn reload(&self) {
        let g = self.shared.generation.fetch_add(1, Ordering::AcqRel) + 1;
        tracing::info!(generation = g, "pool reload requested");
        self.shared.queue.wake_all();
        self.shared.wake_supervisor();
    }

    pub fn stats(&self) -> PoolStats {
        self.shared.snapshot()
    }

    pub fn phase(&self) -> Phase {
        self.shared.phase()
    }

    /// Graceful shutdown: refuse new jobs, let queued and running ones finish
    /// within `timeout`, interrupt what is left, join every thread.
    pub fn shutdown(&self, timeout: Duration) {
        let Some(sup) = self.supervisor.lock().unwrap_or_else(|e| e.into_inner()).take() else {
            return;
        };
        let sh = &self.shared;
        sh.set_phase(Phase::Draining);
        sh.queue.close();
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let busy = sh.slots.iter().any(|s| s.lock().state == SlotState::Busy);
            if sh.queue.is_empty() && !busy {
                break;
            }
            if sh.unhealthy().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        sh.set_phase(Phase::Stopped);
        for job in sh.queue.drain() {
            job.reply.complete(Err(WorkError::ShutDown));
        }
        let now = Instant::now();
        for slot in &sh.slots {
            let mut s = slot.lock();
            if matches!(s.state, SlotState::Busy | SlotState::Booting) && s.kill_reason.is_none() {
                if let Some(r) = s.current.as_ref() {
                    r.complete(Err(WorkError::ShutDown));
                }
                kill_locked(slot, &mut s, KillReason::Shutdown, now);
            }
        }
        sh.queue.wake_all();
        sh.wake_supervisor();
        let _ = sup.join();
        tracing::info!("pool shut down");
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shutdown(self.shared.config.shutdown_timeout);
    }
}

pub(crate) fn kill_locked(slot: &Slot, s: &mut SlotInner, reason: KillReason, now: Instant) {
    s.kill_reason = Some(reason);
    s.kill_at = Some(now);
    slot.kill.store(slot::kill::SOFT, Ordering::Release);
    if let Some(i) = s.interrupt.as_ref() {
        i.soft();
    }
    if matches!(s.state, SlotState::Busy | SlotState::Booting | SlotState::Idle) {
        let _ = s.transition(Transition::Recycle);
    }
}

impl Shared {
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            0 => Phase::Running,
            1 => Phase::Draining,
            _ => Phase::Stopped,
        }
    }

    fn set_phase(&self, p: Phase) {
        self.phase.store(p as u8, Ordering::Release);
    }

    pub fn is_stopping(&self) -> bool {
        self.phase() != Phase::Running
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn unhealthy(&self) -> Option<String> {
        self.health.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn submit(&self, method: String, payload: Value) -> Result<Arc<Reply>, WorkError> {
        if self.phase() != Phase::Running {
            return Err(WorkError::ShutDown);
        }
        if let Some(reason) = self.unhealthy() {
            return Err(WorkError::Unhealthy(reason));
        }
        let reply = Arc::new(Reply::new());
        let job = Job { method, payload, reply: reply.clone(), enqueued: Instant::now() };
        if let Err((_, e)) = self.queue.push(job) {
            if matches!(e, WorkError::Busy(_)) {
                self.stats.busy.inc();
            }
            return Err(e);
        }
        self.stats.submitted.inc();
        Ok(reply)
    }

    /// Starts a new thread in a dead slot. The slot lock is held, so the new
    /// thread's first call waits until its slot is fully set up.
    pub(crate) fn spawn_locked(self: &Arc<Self>, slot: &Slot, s: &mut SlotInner) {
        let Some(link) = self.prepare_locked(slot, s) else { return };
        let now = Instant::now();
        match self.runtime.spawn(link) {
            Ok(handle) => s.thread = Some(handle),
            Err(e) => {
                tracing::error!(slot = slot.id, error = %e, "cannot start a worker thread");
                let _ = s.transition(Transition::Exited);
                s.boot_failures += 1;
                s.last_error = Some(format!("cannot start a worker thread: {e}"));
                s.next_boot_at = Some(now + supervisor::boot_backoff(s.boot_failures));
            }
        }
    }

    /// Resets a dead slot for a new incarnation and returns its link.
    fn prepare_locked(self: &Arc<Self>, slot: &Slot, s: &mut SlotInner) -> Option<WorkerLink> {
        s.transition(Transition::Respawn).ok()?;
        let now = Instant::now();
        if s.incarnation > 0 {
            s.restarts += 1;
        }
        s.incarnation += 1;
        s.generation = self.generation();
        s.born = now;
        s.booted_at = None;
        s.last_active = now;
        s.jobs_life = 0;
        s.memory = 0;
        s.job_started = None;
        s.current = None;
        s.kill_reason = None;
        s.kill_at = None;
        s.leaving = None;
        slot.kill.store(slot::kill::NONE, Ordering::Release);
        let w = &self.config.workers;
        s.max_jobs_life = if w.max_jobs > 0 { supervisor::jitter(w.max_jobs, slot.id, s.incarnation).max(1) } else { 0 };
        s.ttl_life = w.ttl.map(|t| {
            Duration::from_millis(supervisor::jitter(t.as_millis() as u64, slot.id, s.incarnation).max(1))
        });
        if slot.kind == SlotKind::Main {
            // Never recycled, so no limits apply.
            s.max_jobs_life = 0;
            s.ttl_life = None;
        }
        Some(WorkerLink::new(self.clone(), slot.id, s.incarnation, s.generation))
    }

    fn expire_queued(&self, now: Instant) {
        if let Some(reason) = self.unhealthy() {
            for job in self.queue.drain() {
                job.reply.complete(Err(WorkError::Unhealthy(reason.clone())));
            }
            return;
        }
        let Some(timeout) = self.config.queue.timeout else { return };
        for job in self.queue.expire(timeout, now) {
            self.stats.busy.inc();
            job.reply.complete(Err(WorkError::Busy(format!(
                "no worker became free within queue.timeout ({})",
                fmt_duration(timeout)
            ))));
        }
    }

    /// Unhealthy: no worker is serving and a slot failed to boot repeatedly.
    fn judge_health(&self) {
        let mut serving = false;
        let mut failing: Option<(u32, String)> = None;
        for slot in &self.slots {
            let s = slot.lock();
            if s.booted_at.is_some() && matches!(s.state, SlotState::Idle | SlotState::Busy) {
                serving = true;
            }
            if s.boot_failures >= supervisor::UNHEALTHY_AFTER && failing.as_ref().is_none_or(|(n, _)| s.boot_failures > *n) {
                let why = s.last_error.clone().unwrap_or_else(|| "unknown reason".into());
                failing = Some((s.boot_failures, why));
            }
        }
        let mut health = self.health.lock().unwrap_or_else(|e| e.into_inner());
        match (serving, failing) {
            (false, Some((n, why))) => {
                if health.is_none() {
                    tracing::error!(failures = n, reason = %why, "pool unhealthy: workers keep failing to boot");
                }
                *health = Some(format!("worker failed to boot {n} times in a row: {why}"));
            }
            (true, _) | (false, None) => {
                if health.is_some() && serving {
                    tracing::info!("pool healthy again");
                    *health = None;
                }
            }
        }
    }

    pub(crate) fn wake_supervisor(&self) {
        *self.wake.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.wake_cv.notify_one();
    }

    fn supervisor_sleep(&self, d: Duration) {
        let mut w = self.wake.lock().unwrap_or_else(|e| e.into_inner());
        if !*w {
            w = self.wake_cv.wait_timeout(w, d).unwrap_or_else(|e| e.into_inner()).0;
        }
        *w = false;
    }

    pub fn snapshot(&self) -> PoolStats {
        let now = Instant::now();
        let slots = self
            .slots
            .iter()
            .map(|slot| {
                let s = slot.lock();
                SlotStats {
                    id: slot.id,
                    state: s.state.name(),
                    jobs: s.jobs_life,
                    jobs_total: s.jobs_total,
                    age_secs: now.duration_since(s.born).as_secs_f64(),
                    memory: s.memory,
                    restarts: s.restarts,
                    generation: s.generation,
                    last_error: s.last_error.clone(),
                }
            })
            .collect();
        let c = &self.stats;
        let health = self.unhealthy();
        PoolStats {
            slots,
            queue_depth: self.queue.len(),
            healthy: health.is_none(),
            health_reason: health,
            generation: self.generation(),
            submitted: c.submitted.get(),
            ok: c.ok.get(),
            app_errors: c.app_errors.get(),
            died: c.died.get(),
            timeouts: c.timeouts.get(),
            busy: c.busy.get(),
            boot_failures: c.boot_failures.get(),
            recycles: slot::RecycleReason::ALL.iter().zip(&c.recycles).map(|(r, n)| (r.name(), n.get())).collect(),
        }
    }
}

#[cfg(test)]
mod tests;
