//! `WorkerLink`: what a worker thread (of any runtime) uses to talk to its
//! slot: say it booted, take the next job, answer it, leave. Every call
//! checks the incarnation, so a stale thread cannot touch its successor.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::kill::{KillFlag, KillLevel, KillReason};
use super::permits::Permit;
use super::job::Job;
use super::queue::Pop;
use super::reply::JobResult;
use super::runtime::Interrupt;
use super::shutdown::Phase;
use super::recycle::RecycleReason;
use super::slot::{Slot, SlotGuard};
use super::state::Transition;
use super::{Shared, supervisor};
use crate::error::WorkError;

/// An idle worker re-checks its time limits at least this often.
const IDLE_RECHECK: Duration = Duration::from_secs(1);
/// A worker waiting for a replace permit re-checks this often.
const DEFERRED_RECHECK: Duration = Duration::from_millis(5);
/// A worker held back by a failed reload re-checks this often.
const HELD_RECHECK: Duration = Duration::from_millis(200);

enum Verdict {
    Stay,
    Leave(Transition, RecycleReason, Option<Permit>),
    /// A soft limit is reached but too many slots are being replaced already.
    Deferred,
    /// Reloaded, but a worker of the new generation failed to boot: this one
    /// keeps serving the previous code until a reload boots (`Shared::reload_failed`).
    Held,
}

pub struct WorkerLink {
    shared: Arc<Shared>,
    slot: usize,
    incarnation: u64,
    generation: u64,
}

impl WorkerLink {
    pub(super) fn new(shared: Arc<Shared>, slot: usize, incarnation: u64, generation: u64) -> Self {
        WorkerLink { shared, slot, incarnation, generation }
    }

    pub fn slot_id(&self) -> usize {
        self.slot
    }

    pub fn worker_script(&self) -> &str {
        &self.shared.config.worker
    }

    fn slot(&self) -> &Slot {
        &self.shared.slots[self.slot]
    }

    /// The slot, locked, if this link's incarnation still fills it.
    fn lock(&self) -> Option<SlotGuard<'_>> {
        let s = self.slot().lock();
        (s.incarnation() == self.incarnation).then_some(s)
    }

    /// The slot's kill level, for reading lock-free on the worker thread.
    pub fn kill_flag(&self) -> Arc<KillFlag> {
        self.slot().kill_flag()
    }

    pub fn exec_timeout(&self) -> Option<Duration> {
        self.shared.config.workers.exec_timeout
    }

    pub fn kill_reason(&self) -> Option<KillReason> {
        self.slot().lock().life().kill_reason
    }

    pub fn publish_interrupt(&self, i: Box<dyn Interrupt>) {
        if let Some(mut s) = self.lock() {
            s.publish_interrupt(i);
        }
    }

    /// Must run before the interpreter the handle points into is freed.
    pub fn unpublish_interrupt(&self) {
        if let Some(mut s) = self.lock() {
            s.unpublish_interrupt();
        }
    }

    /// The worker script reached `serve()`. False: it must leave at once.
    pub fn booted(&self) -> bool {
        let Some(mut s) = self.lock() else { return false };
        if let Err(e) = s.booted(Instant::now()) {
            // Killed (boot_timeout) or stopped while it booted.
            tracing::debug!(slot = self.slot, error = %e, "worker booted too late; it leaves");
            return false;
        }
        drop(s);
        self.shared.reload_booted(self.generation);
        tracing::debug!(slot = self.slot, incarnation = self.incarnation, "worker booted");
        true
    }

    /// Whether this worker should leave now (called between jobs).
    fn leave_reason(&self, s: &SlotGuard<'_>, now: Instant) -> Verdict {
        if self.slot().kill_level() != KillLevel::None {
            return Verdict::Leave(Transition::Recycle, RecycleReason::Timeout, None);
        }
        match self.shared.phase() {
            Phase::Stopped => return Verdict::Leave(Transition::Stop, RecycleReason::Shutdown, None),
            Phase::Draining if self.shared.queue.is_empty() => {
                return Verdict::Leave(Transition::Stop, RecycleReason::Shutdown, None);
            }
            _ => {}
        }
        let Some(reason) = supervisor::soft_limit(s.life(), &self.shared.config.workers, self.shared.generation(), now) else {
            return Verdict::Stay;
        };
        if reason == RecycleReason::Reload && self.shared.reload_failed() {
            return Verdict::Held;
        }
        if !self.slot().kind.replaceable() {
            // After a reload it stops taking jobs rather than serve stale code;
            // other limits do not apply to a slot that is never replaced.
            return match reason {
                RecycleReason::Reload => Verdict::Leave(Transition::Stop, RecycleReason::Reload, None),
                _ => Verdict::Stay,
            };
        }
        match self.shared.permits.try_take() {
            Some(permit) => Verdict::Leave(Transition::Recycle, reason, Some(permit)),
            None => Verdict::Deferred,
        }
    }

    /// Blocks until the next job. None: the worker must leave (recycle or stop);
    /// `serve()` then returns and the thread ends.
    pub fn next_job(&self) -> Option<Job> {
        loop {
            let now = Instant::now();
            let deferred = {
                let mut s = self.lock()?;
                match self.leave_reason(&s, now) {
                    Verdict::Leave(to, reason, permit) => {
                        match s.leave(to, reason, permit) {
                            Ok(()) => {
                                if supervisor::is_soft(reason) {
                                    self.shared.stats.recycled(reason);
                                }
                                tracing::info!(slot = self.slot, reason = reason.name(), jobs = s.life().jobs, "worker leaving");
                            }
                            Err(e) => tracing::error!(slot = self.slot, error = %e, "worker leaving"),
                        }
                        return None;
                    }
                    Verdict::Deferred => Some(DEFERRED_RECHECK),
                    Verdict::Held => Some(HELD_RECHECK),
                    Verdict::Stay => None,
                }
            };
            // A deferred recycle re-checks soon for a permit, meanwhile it serves;
            // so does a worker held back by a failed reload (its generation
            // already differs: waiting for a change would spin).
            let until = now + deferred.unwrap_or(IDLE_RECHECK);
            let deferred = deferred.is_some();
            let generation = self.generation;
            let job = match self.shared.queue.pop(until, || {
                self.slot().kill_level() != KillLevel::None
                    || self.shared.phase() == Phase::Stopped
                    || (!deferred && self.shared.generation() != generation)
            }) {
                Pop::Job(job) => job,
                Pop::Direct(job) => {
                    // Never queued, but submitted all the same (the jobs counters add up).
                    self.shared.stats.submitted.inc();
                    job
                }
                Pop::Nothing => continue,
            };
            if job.reply.is_done() || self.shared.dropped_abandoned(&job) || self.shared.refused_late(&job, now) {
                continue;
            }
            let mut s = self.slot().lock();
            if let Err(e) = s.start_job(&job.method, job.reply.clone(), Instant::now()) {
                // Killed or stopped between the checks: hand the job to another worker.
                tracing::debug!(slot = self.slot, error = %e, "worker cannot take the job; requeued");
                drop(s);
                if let Err((job, _)) = self.shared.queue.push(job) {
                    job.reply.complete(Err(WorkError::ShutDown));
                }
                return None;
            }
            drop(s);
            if self.shared.config.workers.exec_timeout.is_some() {
                self.shared.nudge_supervisor();
            }
            return Some(job);
        }
    }

    /// Answers the current job. `memory` is the worker's heap use after it.
    pub fn finish(&self, result: JobResult, memory: u64) {
        let reply = {
            let Some(mut s) = self.lock() else { return };
            s.finish_job(memory, Instant::now()).unwrap_or_else(|e| {
                tracing::error!(slot = self.slot, error = %e, "job finished in the wrong state");
                None
            })
        };
        let c = &self.shared.stats;
        match &result {
            Ok(_) => c.ok.inc(),
            Err(WorkError::Application { .. } | WorkError::Bridge(_)) => c.app_errors.inc(),
            Err(_) => c.died.inc(),
        }
        if let Some(r) = reply {
            r.complete(result);
        }
    }

    /// The job ended in a way that leaves the worker untrustworthy (fatal
    /// error, exit(), interrupt): answer it, and leave after this call.
    pub fn fail_and_leave(&self, error: WorkError, reason: RecycleReason) {
        self.end_and_leave(Err(error), reason);
    }

    /// The job is answered with `result` (exit() in a worker-mode request:
    /// the output so far is the response), but the worker's state is not
    /// trusted any more: it leaves after this call.
    pub fn end_and_leave(&self, result: JobResult, reason: RecycleReason) {
        let reply = {
            let Some(mut s) = self.lock() else { return };
            let first = s.life().leaving.is_none();
            match s.fail_job(reason, Instant::now()) {
                Ok(reply) => {
                    if first {
                        self.shared.stats.recycled(reason);
                    }
                    reply
                }
                Err(e) => {
                    tracing::error!(slot = self.slot, error = %e, "job failed in the wrong state");
                    None
                }
            }
        };
        match &result {
            Ok(_) => self.shared.stats.ok.inc(),
            Err(WorkError::Timeout(_) | WorkError::ShutDown) => {}
            Err(_) => self.shared.stats.died.inc(),
        }
        if let Some(r) = reply {
            r.complete(result);
        }
    }

    /// The worker script ended without being told to leave, after serving
    /// requests: a clean recycle, not a crash.
    pub fn script_ended(&self) {
        let Some(mut s) = self.lock() else { return };
        if s.life().leaving.is_some() {
            return;
        }
        let to = if self.slot().kind.replaceable() { Transition::Recycle } else { Transition::Stop };
        match s.leave(to, RecycleReason::ScriptEnd, None) {
            Ok(()) => {
                self.shared.stats.recycled(RecycleReason::ScriptEnd);
                tracing::info!(slot = self.slot, jobs = s.life().jobs, "worker script ended; the worker is replaced");
            }
            Err(e) => tracing::debug!(slot = self.slot, error = %e, "worker script ended"),
        }
    }

    /// The thread is done with PHP (interpreter freed). `failure` says why
    /// it never booted or why it died, if it did.
    pub fn exited(&self, failure: Option<String>) {
        let reply = {
            let Some(mut s) = self.lock() else { return };
            let booted = s.life().booted_at.is_some();
            let leaving = s.life().leaving;
            match s.exited(failure.as_deref(), Instant::now()) {
                Ok(reply) => {
                    let stats = &self.shared.stats;
                    let stopping = self.shared.is_stopping();
                    if !booted {
                        stats.boot_failures.inc();
                        stats.recycled(RecycleReason::BootFailure);
                        if !stopping {
                            let why = s.last_error().unwrap_or_default();
                            tracing::warn!(slot = self.slot, failures = s.boot_failures(), reason = %why, "worker failed to boot");
                            if self.shared.boot_failed(self.generation) {
                                tracing::warn!(generation = self.generation, "reload failed: the previous workers keep serving until the next reload");
                            }
                        }
                    } else if leaving.is_none() && !stopping {
                        stats.recycled(RecycleReason::Fatal);
                    }
                    reply
                }
                Err(e) => {
                    tracing::error!(slot = self.slot, error = %e, "worker exited in the wrong state");
                    None
                }
            }
        };
        if let Some(r) = reply {
            r.complete(Err(WorkError::WorkerDied(failure.unwrap_or_else(|| "the worker exited".into()))));
        }
        self.shared.wake_supervisor();
    }
}
