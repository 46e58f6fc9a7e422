//! A slot: one position in the pool, filled by a sequence of worker threads
//! (incarnations). Its state and counters change only through `SlotGuard`'s
//! methods, each named for what happens and returning the state machine's refusal.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use super::kill::{EXIT_GRACE, HARD_KILL_GRACE, KillFlag, KillLevel, KillReason};
use super::life::{Life, Limits};
use super::recycle::{RecycleReason, SlotKind};
use super::permits::Permit;
use super::reply::Reply;
use super::runtime::Interrupt;
use super::state::{IllegalTransition, SlotState, Transition};
use super::stats::{RunningJob, SlotStats};
use super::pacing::boot_backoff;
use crate::config::WorkersConfig;

struct SlotInner {
    state: SlotState,
    /// Incremented for each new thread; a link from an older thread is stale.
    incarnation: u64,
    life: Life,
    /// Jobs answered by the slot since the pool started.
    jobs_total: u64,
    restarts: u64,
    interrupt: Option<Box<dyn Interrupt>>,
    thread: Option<JoinHandle<()>>,
    boot_failures: u32,
    next_boot_at: Option<Instant>,
    last_error: Option<String>,
    /// Held from a soft-limit leave until the successor booted or failed to.
    permit: Option<Permit>,
    /// The method of the job it runs (valid while `life.job_started` is set), for
    /// the admin's `/workers`. Kept across jobs and incarnations so that copying
    /// the name in `start_job` reuses its buffer instead of allocating per job.
    job_method: String,
}

pub struct Slot {
    pub id: usize,
    pub kind: SlotKind,
    inner: Mutex<SlotInner>,
    /// Shared with the worker thread's interrupt hook.
    kill: Arc<KillFlag>,
}

/// A locked slot: the one way to read or change it.
pub struct SlotGuard<'a> {
    slot: &'a Slot,
    s: MutexGuard<'a, SlotInner>,
}

impl Slot {
    pub fn new(id: usize, kind: SlotKind) -> Self {
        let inner = SlotInner {
            state: SlotState::Dead,
            incarnation: 0,
            life: Life::new(0, Limits::NONE, Instant::now()),
            jobs_total: 0,
            restarts: 0,
            interrupt: None,
            thread: None,
            boot_failures: 0,
            next_boot_at: None,
            last_error: None,
            permit: None,
            job_method: String::new(),
        };
        Slot { id, kind, inner: Mutex::new(inner), kill: Arc::new(KillFlag::default()) }
    }

    pub fn lock(&self) -> SlotGuard<'_> {
        SlotGuard { slot: self, s: self.inner.lock().unwrap_or_else(|e| e.into_inner()) }
    }

    pub fn kill_level(&self) -> KillLevel {
        self.kill.load()
    }

    pub fn kill_flag(&self) -> Arc<KillFlag> {
        self.kill.clone()
    }
}

impl SlotGuard<'_> {
    pub fn id(&self) -> usize {
        self.slot.id
    }

    pub fn state(&self) -> SlotState {
        self.s.state
    }

    pub fn incarnation(&self) -> u64 {
        self.s.incarnation
    }

    pub fn life(&self) -> &Life {
        &self.s.life
    }

    pub fn boot_failures(&self) -> u32 {
        self.s.boot_failures
    }

    pub fn last_error(&self) -> Option<&str> {
        self.s.last_error.as_deref()
    }

    /// Booted, or failed to at least once: the pool's start waits for this.
    pub fn boot_settled(&self) -> bool {
        self.s.life.booted_at.is_some() || self.s.boot_failures > 0
    }

    /// A booted worker is taking jobs.
    pub fn serving(&self) -> bool {
        self.s.life.booted_at.is_some() && matches!(self.s.state, SlotState::Idle | SlotState::Busy)
    }

    /// No thread left, not even one to join.
    pub fn joined(&self) -> bool {
        self.s.state == SlotState::Dead && self.s.thread.is_none()
    }

    /// The backoff after a failed boot is over.
    pub fn boot_due(&self, now: Instant) -> bool {
        self.s.next_boot_at.is_none_or(|t| t <= now)
    }

    pub fn stats(&self, now: Instant) -> SlotStats {
        let s = &*self.s;
        SlotStats {
            id: self.slot.id,
            kind: self.slot.kind,
            state: s.state,
            job: s.life.job_started.map(|at| RunningJob { method: s.job_method.clone(), secs: now.saturating_duration_since(at).as_secs_f64() }),
            jobs: s.life.jobs,
            jobs_total: s.jobs_total,
            age_secs: now.duration_since(s.life.born).as_secs_f64(),
            memory: s.life.memory,
            restarts: s.restarts,
            generation: s.life.generation,
            last_error: s.last_error.clone(),
        }
    }

    /// The one way a slot changes state.
    fn transition(&mut self, t: Transition) -> Result<SlotState, IllegalTransition> {
        self.s.state = self.s.state.apply(t)?;
        Ok(self.s.state)
    }

    /// `kill` moved the slot to Recycling already: a killed worker that ends
    /// its job or leaves afterwards changes its state no further.
    fn transition_unless_killed(&mut self, t: Transition) -> Result<(), IllegalTransition> {
        if self.s.life.kill_reason.is_none() {
            self.transition(t)?;
        }
        Ok(())
    }

    /// A new thread is about to fill this dead slot: every per-thread figure
    /// starts over, limits are drawn afresh. Returns the new incarnation.
    pub fn start_incarnation(&mut self, generation: u64, cfg: &WorkersConfig, now: Instant) -> Result<u64, IllegalTransition> {
        self.transition(Transition::Respawn)?;
        let s = &mut *self.s;
        if s.incarnation > 0 {
            s.restarts += 1;
        }
        s.incarnation += 1;
        s.life = Life::new(generation, Limits::for_incarnation(self.slot.kind, cfg, self.slot.id, s.incarnation), now);
        self.slot.kill.store(KillLevel::None);
        Ok(s.incarnation)
    }

    /// The runtime started the incarnation's thread.
    pub fn spawned(&mut self, thread: JoinHandle<()>) {
        self.s.thread = Some(thread);
    }

    /// The runtime could not start the thread: counts as a failed boot.
    pub fn spawn_failed(&mut self, error: String, now: Instant) -> Result<(), IllegalTransition> {
        self.transition(Transition::Exited)?;
        let s = &mut *self.s;
        s.boot_failures += 1;
        s.last_error = Some(error);
        s.next_boot_at = Some(now + boot_backoff(s.boot_failures));
        Ok(())
    }

    /// The supervisor joins the thread of a dead slot.
    pub fn take_thread(&mut self) -> Option<JoinHandle<()>> {
        self.s.thread.take()
    }

    pub fn publish_interrupt(&mut self, i: Box<dyn Interrupt>) {
        self.s.interrupt = Some(i);
    }

    /// Must happen before the interpreter the handle points into is freed.
    pub fn unpublish_interrupt(&mut self) {
        self.s.interrupt = None;
    }

    /// The worker script reached `serve()`; a replaced slot gives its permit back.
    pub fn booted(&mut self, now: Instant) -> Result<(), IllegalTransition> {
        self.transition(Transition::Booted)?;
        let s = &mut *self.s;
        s.life.booted_at = Some(now);
        s.life.last_active = now;
        s.boot_failures = 0;
        s.last_error = None;
        s.permit = None;
        Ok(())
    }

    pub fn start_job(&mut self, method: &str, reply: Arc<Reply>, now: Instant) -> Result<(), IllegalTransition> {
        self.transition(Transition::JobStarted)?;
        self.s.job_method.clear();
        self.s.job_method.push_str(method);
        self.s.life.current = Some(reply);
        self.s.life.job_started = Some(now);
        Ok(())
    }

    /// The worker answered its job; `memory` is its heap use after it.
    /// Returns where the answer goes.
    pub fn finish_job(&mut self, memory: u64, now: Instant) -> Result<Option<Arc<Reply>>, IllegalTransition> {
        self.transition_unless_killed(Transition::JobFinished)?;
        let s = &mut *self.s;
        s.life.jobs += 1;
        s.jobs_total += 1;
        s.life.job_started = None;
        s.life.last_active = now;
        s.life.memory = memory;
        Ok(s.life.current.take())
    }

    /// The worker's job ended in a way that leaves it untrustworthy: it leaves
    /// for `reason` (unless it already had one). Returns where the answer goes.
    pub fn fail_job(&mut self, reason: RecycleReason, now: Instant) -> Result<Option<Arc<Reply>>, IllegalTransition> {
        self.transition_unless_killed(Transition::Recycle)?;
        let s = &mut *self.s;
        s.life.leaving.get_or_insert(reason);
        s.life.job_started = None;
        s.life.jobs += 1;
        s.jobs_total += 1;
        // The interrupted code is gone; the shutdown functions get a grace period.
        if s.life.kill_at.is_some() {
            s.life.kill_at = Some(now + EXIT_GRACE);
        }
        Ok(s.life.current.take())
    }

    /// The worker leaves between jobs for `reason`, by `to` (Recycle or Stop);
    /// a soft-limit leave holds its `permit` until the successor booted.
    pub fn leave(&mut self, to: Transition, reason: RecycleReason, permit: Option<Permit>) -> Result<(), IllegalTransition> {
        self.transition_unless_killed(to)?;
        self.s.life.leaving = Some(reason);
        self.s.permit = permit;
        Ok(())
    }

    /// Interrupts the worker (softly first; the supervisor escalates) and moves the slot to Recycling.
    pub fn kill(&mut self, reason: KillReason, now: Instant) -> Result<(), IllegalTransition> {
        self.transition(Transition::Recycle)?;
        self.s.life.kill_reason = Some(reason);
        self.s.life.kill_at = Some(now);
        self.slot.kill.store(KillLevel::Soft);
        if let Some(i) = self.s.interrupt.as_ref() {
            i.soft();
        }
        Ok(())
    }

    /// Kills a worker whose boot took too long; `why` becomes the slot's last error.
    pub fn boot_timed_out(&mut self, why: String, now: Instant) -> Result<(), IllegalTransition> {
        self.kill(KillReason::BootTimeout, now)?;
        self.s.last_error = Some(why);
        Ok(())
    }

    /// The soft interrupt was ignored (caught, or a blocking call) for
    /// `HARD_KILL_GRACE`: interrupt hard, and again after each grace period.
    pub fn escalate(&mut self, now: Instant) {
        if let Some(at) = self.s.life.kill_at
            && now.duration_since(at) >= HARD_KILL_GRACE
            && self.s.state != SlotState::Dead
        {
            self.slot.kill.store(KillLevel::Hard);
            if let Some(i) = self.s.interrupt.as_ref() {
                i.hard();
            }
            self.s.life.kill_at = Some(now);
        }
    }

    /// The thread is done with PHP. `failure` says why it never booted or why
    /// it died; a boot failure is counted and backed off. Returns where the
    /// answer of an unfinished job goes.
    pub fn exited(&mut self, failure: Option<&str>, now: Instant) -> Result<Option<Arc<Reply>>, IllegalTransition> {
        self.transition(Transition::Exited)?;
        let s = &mut *self.s;
        s.interrupt = None;
        if s.life.booted_at.is_none() {
            s.permit = None;
            s.boot_failures += 1;
            // Our own interrupt's reason beats the exception it surfaced as.
            let ours = (s.life.kill_reason == Some(KillReason::BootTimeout)).then(|| s.last_error.clone()).flatten();
            let why = ours
                .or_else(|| failure.map(str::to_string))
                .or_else(|| s.last_error.clone())
                .unwrap_or_else(|| "the worker script ended without calling Folk\\Worker::serve()".into());
            s.last_error = Some(why);
            s.next_boot_at = Some(now + boot_backoff(s.boot_failures));
        } else {
            if let Some(f) = failure {
                s.last_error = Some(f.to_string());
            }
            s.next_boot_at = None;
        }
        Ok(s.life.current.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PoolConfig;

    fn booted_slot() -> Slot {
        let slot = Slot::new(0, SlotKind::Thread);
        let mut s = slot.lock();
        s.start_incarnation(1, &PoolConfig::default().workers, Instant::now()).unwrap();
        s.booted(Instant::now()).unwrap();
        drop(s);
        slot
    }

    /// A booted slot whose job ran past exec_timeout.
    fn killed_mid_job() -> Slot {
        let slot = booted_slot();
        let mut s = slot.lock();
        s.start_job("m", Arc::new(Reply::new()), Instant::now()).unwrap();
        s.kill(KillReason::ExecTimeout, Instant::now()).unwrap();
        drop(s);
        slot
    }

    #[test]
    fn a_new_incarnation_starts_every_figure_over() {
        let slot = killed_mid_job();
        assert_eq!(slot.kill_level(), KillLevel::Soft);
        let mut s = slot.lock();
        s.exited(Some("killed"), Instant::now()).unwrap();
        assert_eq!(s.start_incarnation(2, &PoolConfig::default().workers, Instant::now()), Ok(2));
        let life = s.life();
        assert_eq!((life.generation, life.jobs, life.booted_at, life.kill_reason, life.leaving), (2, 0, None, None, None));
        assert!(life.current.is_none() && life.job_started.is_none() && life.kill_at.is_none());
        assert_eq!(slot.kill_level(), KillLevel::None);
        assert_eq!(s.stats(Instant::now()).restarts, 1);
        assert_eq!(s.last_error(), Some("killed"), "the slot's last error outlives its thread");
    }

    #[test]
    fn a_killed_worker_finishing_its_job_stays_recycling() {
        let slot = killed_mid_job();
        let mut s = slot.lock();
        assert!(s.finish_job(0, Instant::now()).unwrap().is_some());
        assert_eq!(s.state(), SlotState::Recycling);
        assert_eq!(s.leave(Transition::Recycle, RecycleReason::Timeout, None), Ok(()));
        assert_eq!(s.state(), SlotState::Recycling);
    }

    #[test]
    fn a_refused_transition_changes_nothing() {
        let slot = booted_slot();
        let mut s = slot.lock();
        let err = s.finish_job(7, Instant::now()).err().unwrap();
        assert_eq!(err, IllegalTransition { from: SlotState::Idle, transition: Transition::JobFinished });
        assert_eq!((s.state(), s.life().jobs, s.life().memory), (SlotState::Idle, 0, 0));
        assert!(s.kill(KillReason::Shutdown, Instant::now()).is_ok());
        assert!(s.kill(KillReason::Shutdown, Instant::now()).is_err(), "killed twice");
    }
}
