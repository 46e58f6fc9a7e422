//! Recycle policy and the supervisor thread. Policy rule (from RoadRunner):
//! a limit never kills a job; an idle worker leaves now, a busy one after its
//! current job. Hard limits (exec_timeout, boot_timeout) interrupt PHP.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::Shared;
use super::kill::KillReason;
use super::life::Life;
use super::recycle::RecycleReason;
use super::state::SlotState;
use crate::config::WorkersConfig;
use crate::error::{WorkError, fmt_duration};

/// Supervisor tick while something may time out.
const TICK_BUSY: Duration = Duration::from_millis(5);
/// Supervisor tick when the pool is quiet (idle CPU stays near zero).
const TICK_IDLE: Duration = Duration::from_millis(200);

/// Why an idle incarnation between jobs should leave, if it should.
/// `generation` is the pool's current one.
pub fn soft_limit(life: &Life, cfg: &WorkersConfig, generation: u64, now: Instant) -> Option<RecycleReason> {
    if life.generation != generation {
        return Some(RecycleReason::Reload);
    }
    if life.limits.max_jobs > 0 && life.jobs >= life.limits.max_jobs {
        return Some(RecycleReason::MaxJobs);
    }
    if let Some(ttl) = life.limits.ttl
        && now.duration_since(life.born) >= ttl
    {
        return Some(RecycleReason::Ttl);
    }
    if cfg.max_memory > 0 && life.memory > cfg.max_memory {
        return Some(RecycleReason::MaxMemory);
    }
    if let Some(idle) = cfg.idle_ttl
        && now.duration_since(life.last_active) >= idle
    {
        return Some(RecycleReason::IdleTtl);
    }
    None
}

/// Limits that recycle a healthy worker (capped), as opposed to failures.
pub fn is_soft(r: RecycleReason) -> bool {
    matches!(r, RecycleReason::MaxJobs | RecycleReason::Ttl | RecycleReason::IdleTtl | RecycleReason::MaxMemory | RecycleReason::Reload)
}

/// The supervisor: respawns dead slots (with backoff), enforces exec and boot
/// timeouts, expires queued jobs and judges health. Runs until the pool is closed.
pub fn run(shared: Arc<Shared>) {
    shared.runtime.prepare_service_thread();
    let workers = &shared.config.workers;
    loop {
        // Set before the scan: a deadline that starts during it (after its
        // slot was looked at) wakes the sleep below instead of waiting it out.
        shared.supervisor_idle.store(true, Ordering::Release);
        let now = Instant::now();
        let mut quiet = true;
        let stopping = shared.is_stopping();
        let mut all_dead = true;
        for slot in &shared.slots {
            let mut s = slot.lock();
            all_dead = all_dead && s.joined();
            match s.state() {
                SlotState::Dead => {
                    if let Some(t) = s.take_thread() {
                        // The thread set Dead as its very last step; joining is immediate.
                        drop(s);
                        let _ = t.join();
                        s = slot.lock();
                    }
                    let respawns = !stopping && slot.kind.replaceable();
                    if respawns && s.boot_due(now) {
                        shared.spawn_locked(&mut s);
                    }
                    quiet = quiet && !respawns;
                }
                SlotState::Busy => {
                    quiet = false;
                    let life = s.life();
                    let limit = life.current.as_ref().and_then(|r| r.exec_timeout()).or(workers.exec_timeout);
                    if let (Some(limit), Some(started)) = (limit, life.job_started)
                        && now.duration_since(started) >= limit
                        && life.kill_reason.is_none()
                    {
                        if let Some(r) = life.current.as_ref() {
                            r.complete(Err(WorkError::Timeout(limit)));
                        }
                        shared.stats.timeouts.inc();
                        tracing::warn!(slot = slot.id, "job exceeded exec_timeout; interrupting the worker");
                        if let Err(e) = s.kill(KillReason::ExecTimeout, now) {
                            tracing::error!(slot = slot.id, error = %e, "cannot interrupt the worker");
                        }
                    }
                }
                SlotState::Booting => {
                    quiet = false;
                    let life = s.life();
                    if now.duration_since(life.born) >= workers.boot_timeout && life.kill_reason.is_none() {
                        tracing::warn!(slot = slot.id, "worker boot exceeded boot_timeout; interrupting it");
                        let why =
                            format!("worker boot took longer than workers.boot_timeout ({})", fmt_duration(workers.boot_timeout));
                        if let Err(e) = s.boot_timed_out(why, now) {
                            tracing::error!(slot = slot.id, error = %e, "cannot interrupt the worker's boot");
                        }
                    }
                }
                SlotState::Idle => {}
                SlotState::Recycling | SlotState::Stopping => quiet = false,
            }
            s.escalate(now);
        }
        shared.expire_queued(now);
        shared.judge_health();
        if stopping && all_dead {
            break;
        }
        if !shared.queue.is_empty() {
            quiet = false;
        }
        shared.supervisor_sleep(if quiet { TICK_IDLE } else { TICK_BUSY });
    }
}

impl Shared {
    pub(super) fn wake_supervisor(&self) {
        *self.wake.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.wake_cv.notify_one();
    }

    /// Wakes the supervisor only if it sleeps its long idle tick (busy, it
    /// looks every TICK_BUSY anyway): no syscall per job under load.
    pub(super) fn nudge_supervisor(&self) {
        if self.supervisor_idle.load(Ordering::Acquire) {
            self.wake_supervisor();
        }
    }

    fn supervisor_sleep(&self, d: Duration) {
        if d < TICK_IDLE {
            self.supervisor_idle.store(false, Ordering::Release);
        }
        let mut w = self.wake.lock().unwrap_or_else(|e| e.into_inner());
        if !*w {
            w = self.wake_cv.wait_timeout(w, d).unwrap_or_else(|e| e.into_inner()).0;
        }
        self.supervisor_idle.store(false, Ordering::Release);
        *w = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::life::Limits;

    fn cfg() -> WorkersConfig {
        crate::config::PoolConfig::default().workers
    }

    #[test]
    fn no_limit_no_recycle() {
        let life = Life::new(0, Limits::NONE, Instant::now());
        assert_eq!(soft_limit(&life, &cfg(), 0, Instant::now()), None);
    }

    #[test]
    fn each_soft_limit_names_its_reason() {
        let now = Instant::now();
        let mut life = Life::new(0, Limits::NONE, now);
        assert_eq!(soft_limit(&life, &cfg(), 1, now), Some(RecycleReason::Reload));
        life.limits.max_jobs = 3;
        life.jobs = 3;
        assert_eq!(soft_limit(&life, &cfg(), 0, now), Some(RecycleReason::MaxJobs));
        life.jobs = 0;
        life.limits.ttl = Some(Duration::from_millis(10));
        assert_eq!(soft_limit(&life, &cfg(), 0, now + Duration::from_millis(11)), Some(RecycleReason::Ttl));
        life.limits.ttl = None;
        let mut c = cfg();
        c.max_memory = 100;
        life.memory = 101;
        assert_eq!(soft_limit(&life, &c, 0, now), Some(RecycleReason::MaxMemory));
        life.memory = 0;
        c.idle_ttl = Some(Duration::from_millis(5));
        assert_eq!(soft_limit(&life, &c, 0, now + Duration::from_millis(6)), Some(RecycleReason::IdleTtl));
    }

}
