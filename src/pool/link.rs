//! `WorkerLink`: what a worker thread (of any runtime) uses to talk to its
//! slot: say it booted, take the next job, answer it, leave. Every call
//! checks the incarnation, so a stale thread cannot touch its successor.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::queue::{Job, Pop};
use super::reply::JobResult;
use super::slot::{Interrupt, KillReason, RecycleReason, Slot, SlotKind, kill};
use super::state::{SlotState, Transition};
use super::{Phase, Shared, supervisor};
use crate::error::{WorkError, fmt_duration};

/// After the worker regains control from an interrupt, it gets this long to
/// finish its shutdown functions before it is interrupted again.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// An idle worker re-checks its time limits at least this often.
const IDLE_RECHECK: Duration = Duration::from_secs(1);
/// A worker waiting for a recycle permit re-checks this often.
const DEFERRED_RECHECK: Duration = Duration::from_millis(5);

enum Verdict {
    Stay,
    Leave(Transition, RecycleReason),
    /// A soft limit is reached but too many slots are being replaced already.
    Deferred,
}

pub struct WorkerLink {
    shared: Arc<Shared>,
    slot: usize,
    incarnation: u64,
    generation: u64,
}

impl WorkerLink {
    pub(crate) fn new(shared: Arc<Shared>, slot: usize, incarnation: u64, generation: u64) -> Self {
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

    /// The slot's kill level (`slot::kill`), read lock-free.
    pub fn kill_level(&self) -> u8 {
        self.slot().kill_level()
    }

    pub fn kill_flag(&self) -> Arc<std::sync::atomic::AtomicU8> {
        self.slot().kill.clone()
    }

    pub fn exec_timeout(&self) -> Option<Duration> {
        self.shared.config.workers.exec_timeout
    }

    pub fn kill_reason(&self) -> Option<KillReason> {
        self.slot().lock().kill_reason
    }

    pub fn publish_interrupt(&self, i: Box<dyn Interrupt>) {
        let mut s = self.slot().lock();
        if s.incarnation == self.incarnation {
            s.interrupt = Some(i);
        }
    }

    /// Must run before the interpreter the handle points into is freed.
    pub fn unpublish_interrupt(&self) {
        let mut s = self.slot().lock();
        if s.incarnation == self.incarnation {
            s.interrupt = None;
        }
    }

    /// The worker script reached `serve()`. False: it must leave at once.
    pub fn booted(&self) -> bool {
        let mut s = self.slot().lock();
        if s.incarnation != self.incarnation || s.transition(Transition::Booted).is_err() {
            return false;
        }
        let now = Instant::now();
        s.booted_at = Some(now);
        s.last_active = now;
        s.boot_failures = 0;
        s.last_error = None;
        self.release_permit(&mut s);
        drop(s);
        tracing::debug!(slot = self.slot, incarnation = self.incarnation, "worker booted");
        true
    }

    /// A slot replaced by a soft limit holds a permit until its successor
    /// booted (or failed to), which caps how many slots are down at once.
    fn release_permit(&self, s: &mut super::slot::SlotInner) {
        if std::mem::take(&mut s.holds_permit) {
            self.shared.replacing.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Whether this worker should leave now (called between jobs).
    fn leave_reason(&self, s: &super::slot::SlotInner, now: Instant) -> Verdict {
        if self.slot().kill_level() != kill::NONE {
            return Verdict::Leave(Transition::Recycle, RecycleReason::Timeout);
        }
        match self.shared.phase() {
            Phase::Stopped => return Verdict::Leave(Transition::Stop, RecycleReason::Shutdown),
            Phase::Draining if self.shared.queue.is_empty() => {
                return Verdict::Leave(Transition::Stop, RecycleReason::Shutdown);
            }
            _ => {}
        }
        let Some(reason) = supervisor::soft_limit(s, &self.shared.config.workers, self.shared.generation(), now) else {
            return Verdict::Stay;
        };
        if self.slot().kind == SlotKind::Main {
            // The main thread cannot reload code in place ("Cannot redeclare"):
            // after a reload it stops taking jobs rather than serve stale code.
            // Other limits do not apply to a worker that is never recycled.
            return match reason {
                RecycleReason::Reload => Verdict::Leave(Transition::Stop, RecycleReason::Reload),
                _ => Verdict::Stay,
            };
        }
        // Cap how many slots are replaced at once, so capacity never drops to zero.
        let cap = (self.shared.slots.len() / 2).max(1);
        let taken = self
            .shared
            .replacing
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < cap).then_some(n + 1))
            .is_ok();
        if taken { Verdict::Leave(Transition::Recycle, reason) } else { Verdict::Deferred }
    }

    /// Blocks until the next job. None: the worker must leave (recycle or stop);
    /// `serve()` then returns and the thread ends.
    pub fn next_job(&self) -> Option<Job> {
        loop {
            let now = Instant::now();
            let deferred = {
                let mut s = self.slot().lock();
                if s.incarnation != self.incarnation {
                    return None;
                }
                match self.leave_reason(&s, now) {
                    Verdict::Leave(t, reason) => {
                        if supervisor::is_soft(reason) {
                            s.holds_permit = self.slot().kind == SlotKind::Thread;
                            self.shared.stats.recycled(reason);
                        }
                        let _ = s.transition(t);
                        s.leaving = Some(reason);
                        tracing::info!(slot = self.slot, reason = reason.name(), jobs = s.jobs_life, "worker leaving");
                        return None;
                    }
                    Verdict::Deferred => true,
                    Verdict::Stay => false,
                }
            };
            // A deferred recycle re-checks soon for a permit, meanwhile it serves.
            let until = now + if deferred { DEFERRED_RECHECK } else { IDLE_RECHECK };
            let generation = self.generation;
            let job = match self.shared.queue.pop(until, || {
                self.slot().kill_level() != kill::NONE
                    || self.shared.phase() == Phase::Stopped
                    || (!deferred && self.shared.generation() != generation)
            }) {
                Pop::Job(job) => job,
                Pop::Nothing => continue,
            };
            if job.reply.is_done() {
                continue;
            }
            if let Some(limit) = self.shared.config.queue.timeout
                && now.duration_since(job.enqueued) >= limit
            {
                self.shared.stats.busy.inc();
                job.reply.complete(Err(WorkError::Busy(format!(
                    "no worker became free within queue.timeout ({})",
                    fmt_duration(limit)
                ))));
                continue;
            }
            let mut s = self.slot().lock();
            if s.transition(Transition::JobStarted).is_err() {
                // Killed or stopped between the checks: hand the job to another worker.
                drop(s);
                if let Err((job, _)) = self.shared.queue.push(job) {
                    job.reply.complete(Err(WorkError::ShutDown));
                }
                return None;
            }
            s.current = Some(job.reply.clone());
            s.job_started = Some(Instant::now());
            return Some(job);
        }
    }

    /// Answers the current job. `memory` is the worker's heap use after it.
    pub fn finish(&self, result: JobResult, memory: u64) {
        let reply = {
            let mut s = self.slot().lock();
            if s.incarnation != self.incarnation {
                return;
            }
            if s.state == SlotState::Busy {
                let _ = s.transition(Transition::JobFinished);
            }
            s.jobs_life += 1;
            s.jobs_total += 1;
            s.job_started = None;
            s.last_active = Instant::now();
            s.memory = memory;
            s.current.take()
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
        let reply = {
            let mut s = self.slot().lock();
            if s.incarnation != self.incarnation {
                return;
            }
            if matches!(s.state, SlotState::Busy | SlotState::Idle | SlotState::Booting) {
                let _ = s.transition(Transition::Recycle);
            }
            if s.leaving.is_none() {
                s.leaving = Some(reason);
                self.shared.stats.recycled(reason);
            }
            s.job_started = None;
            s.jobs_life += 1;
            s.jobs_total += 1;
            // The interrupted code is gone; the shutdown functions get a grace period.
            if s.kill_at.is_some() {
                s.kill_at = Some(Instant::now() + EXIT_GRACE);
            }
            s.current.take()
        };
        if !matches!(error, WorkError::Timeout(_) | WorkError::ShutDown) {
            self.shared.stats.died.inc();
        }
        if let Some(r) = reply {
            r.complete(Err(error));
        }
    }

    /// The thread is done with PHP (interpreter freed). `failure` says why
    /// it never booted or why it died, if it did.
    pub fn exited(&self, failure: Option<String>) {
        let reply = {
            let mut s = self.slot().lock();
            if s.incarnation != self.incarnation {
                return;
            }
            s.interrupt = None;
            let now = Instant::now();
            let booted = s.booted_at.is_some();
            if !booted {
                self.release_permit(&mut s);
                s.boot_failures += 1;
                // Our own interrupt's reason beats the exception it surfaced as.
                let ours = (s.kill_reason == Some(KillReason::BootTimeout)).then(|| s.last_error.clone()).flatten();
                let why = ours
                    .or_else(|| failure.clone())
                    .or_else(|| s.last_error.clone())
                    .unwrap_or_else(|| "the worker script ended without calling Folk\\Worker::serve()".into());
                s.last_error = Some(why.clone());
                s.next_boot_at = Some(now + supervisor::boot_backoff(s.boot_failures));
                self.shared.stats.boot_failures.inc();
                self.shared.stats.recycled(RecycleReason::BootFailure);
                if !self.shared.is_stopping() {
                    tracing::warn!(slot = self.slot, failures = s.boot_failures, reason = %why, "worker failed to boot");
                }
            } else {
                if s.leaving.is_none() && !self.shared.is_stopping() {
                    self.shared.stats.recycled(RecycleReason::Fatal);
                }
                if let Some(f) = &failure {
                    s.last_error = Some(f.clone());
                }
                s.next_boot_at = None;
            }
            let _ = s.transition(Transition::Exited);
            s.current.take()
        };
        if let Some(r) = reply {
            r.complete(Err(WorkError::WorkerDied(failure.unwrap_or_else(|| "the worker exited".into()))));
        }
        self.shared.wake_supervisor();
    }
}
