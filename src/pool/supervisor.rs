//! Recycle policy and the supervisor thread. Policy rule (from RoadRunner):
//! a limit never kills a job; an idle worker leaves now, a busy one after its
//! current job. Hard limits (exec_timeout, boot_timeout) interrupt PHP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Shared;
use super::slot::{KillReason, RecycleReason, SlotInner, SlotKind, kill};
use super::state::SlotState;
use crate::config::WorkersConfig;
use crate::error::WorkError;

/// How long after the soft interrupt (an exception) a job gets before the
/// hard one (a fatal error), and the spacing of repeated hard interrupts.
pub const HARD_KILL_GRACE: Duration = Duration::from_millis(50);
/// Supervisor tick while something may time out.
const TICK_BUSY: Duration = Duration::from_millis(5);
/// Supervisor tick when the pool is quiet (idle CPU stays near zero).
const TICK_IDLE: Duration = Duration::from_millis(200);
/// Consecutive boot failures of one slot after which the pool is unhealthy.
pub const UNHEALTHY_AFTER: u32 = 3;

/// Why an idle slot between jobs should leave, if it should. `generation` is
/// the pool's current one.
pub fn soft_limit(s: &SlotInner, cfg: &WorkersConfig, generation: u64, now: Instant) -> Option<RecycleReason> {
    if s.generation != generation {
        return Some(RecycleReason::Reload);
    }
    if s.max_jobs_life > 0 && s.jobs_life >= s.max_jobs_life {
        return Some(RecycleReason::MaxJobs);
    }
    if let Some(ttl) = s.ttl_life
        && now.duration_since(s.born) >= ttl
    {
        return Some(RecycleReason::Ttl);
    }
    if cfg.max_memory > 0 && s.memory > cfg.max_memory {
        return Some(RecycleReason::MaxMemory);
    }
    if let Some(idle) = cfg.idle_ttl
        && now.duration_since(s.last_active) >= idle
    {
        return Some(RecycleReason::IdleTtl);
    }
    None
}

/// Limits that recycle a healthy worker (capped), as opposed to failures.
pub fn is_soft(r: RecycleReason) -> bool {
    matches!(r, RecycleReason::MaxJobs | RecycleReason::Ttl | RecycleReason::IdleTtl | RecycleReason::MaxMemory | RecycleReason::Reload)
}

/// Per-incarnation jitter (0..=10% less) so slots started together do not
/// all reach max_jobs or ttl at the same moment.
pub fn jitter(value: u64, slot: usize, incarnation: u64) -> u64 {
    let mut x = (slot as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ incarnation.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    let pct = x % 11; // 0..=10
    value - value * pct / 100
}

/// Backoff before the next boot attempt after `failures` consecutive failures.
pub fn boot_backoff(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let ms = 50u64.saturating_mul(1 << (failures - 1).min(7));
    Duration::from_millis(ms.min(5_000))
}

/// The supervisor: respawns dead slots (with backoff), enforces exec and boot
/// timeouts, expires queued jobs and judges health. Runs until the pool is closed.
pub fn run(shared: Arc<Shared>) {
    crate::runtime::signals::block_async_signals();
    loop {
        let now = Instant::now();
        let mut quiet = true;
        let stopping = shared.is_stopping();
        let mut all_dead = true;
        for slot in &shared.slots {
            let mut s = slot.lock();
            if s.state != SlotState::Dead || s.thread.is_some() {
                all_dead = false;
            }
            match s.state {
                SlotState::Dead => {
                    if let Some(t) = s.thread.take() {
                        // The thread set Dead as its very last step; joining is immediate.
                        drop(s);
                        let _ = t.join();
                        s = slot.lock();
                    }
                    if !stopping && slot.kind == SlotKind::Thread && s.next_boot_at.is_none_or(|t| t <= now) {
                        shared.spawn_locked(slot, &mut s);
                    }
                    quiet = quiet && (stopping || slot.kind == SlotKind::Main);
                }
                SlotState::Busy => {
                    quiet = false;
                    if let (Some(limit), Some(started)) = (shared.config.workers.exec_timeout, s.job_started)
                        && now.duration_since(started) >= limit
                        && s.kill_reason.is_none()
                    {
                        if let Some(r) = s.current.as_ref() {
                            r.complete(Err(WorkError::Timeout(limit)));
                        }
                        shared.stats.timeouts.inc();
                        tracing::warn!(slot = slot.id, "job exceeded exec_timeout; interrupting the worker");
                        super::kill_locked(slot, &mut s, KillReason::ExecTimeout, now);
                    }
                }
                SlotState::Booting => {
                    quiet = false;
                    if now.duration_since(s.born) >= shared.config.workers.boot_timeout && s.kill_reason.is_none() {
                        tracing::warn!(slot = slot.id, "worker boot exceeded boot_timeout; interrupting it");
                        s.last_error = Some(format!(
                            "worker boot took longer than workers.boot_timeout ({})",
                            crate::error::fmt_duration(shared.config.workers.boot_timeout)
                        ));
                        super::kill_locked(slot, &mut s, KillReason::BootTimeout, now);
                    }
                }
                SlotState::Idle => {}
                SlotState::Recycling | SlotState::Stopping => quiet = false,
            }
            // Escalate: soft interrupt ignored (caught, or a blocking call) → hard, repeated.
            if let Some(at) = s.kill_at
                && now.duration_since(at) >= HARD_KILL_GRACE
                && s.state != SlotState::Dead
            {
                slot.kill.store(kill::HARD, std::sync::atomic::Ordering::Release);
                if let Some(i) = s.interrupt.as_ref() {
                    i.hard();
                }
                s.kill_at = Some(now);
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::slot::Slot;

    fn cfg() -> WorkersConfig {
        crate::config::PoolConfig::default().workers
    }

    #[test]
    fn no_limit_no_recycle() {
        let slot = Slot::new(0, crate::pool::slot::SlotKind::Thread);
        let s = slot.lock();
        assert_eq!(soft_limit(&s, &cfg(), 0, Instant::now()), None);
    }

    #[test]
    fn each_soft_limit_names_its_reason() {
        let slot = Slot::new(0, crate::pool::slot::SlotKind::Thread);
        let mut s = slot.lock();
        let now = Instant::now();
        assert_eq!(soft_limit(&s, &cfg(), 1, now), Some(RecycleReason::Reload));
        s.max_jobs_life = 3;
        s.jobs_life = 3;
        assert_eq!(soft_limit(&s, &cfg(), 0, now), Some(RecycleReason::MaxJobs));
        s.jobs_life = 0;
        s.ttl_life = Some(Duration::from_millis(10));
        assert_eq!(soft_limit(&s, &cfg(), 0, now + Duration::from_millis(11)), Some(RecycleReason::Ttl));
        s.ttl_life = None;
        let mut c = cfg();
        c.max_memory = 100;
        s.memory = 101;
        assert_eq!(soft_limit(&s, &c, 0, now), Some(RecycleReason::MaxMemory));
        s.memory = 0;
        c.idle_ttl = Some(Duration::from_millis(5));
        assert_eq!(soft_limit(&s, &c, 0, now + Duration::from_millis(6)), Some(RecycleReason::IdleTtl));
    }

    #[test]
    fn jitter_stays_within_ten_percent_and_differs_between_slots() {
        let values: Vec<u64> = (0..8).map(|slot| jitter(1000, slot, 1)).collect();
        assert!(values.iter().all(|v| (900..=1000).contains(v)));
        values.iter().for_each(|v| assert!(*v <= 1000));
        assert!(values.windows(2).any(|w| w[0] != w[1]), "{values:?}");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(boot_backoff(0), Duration::ZERO);
        assert_eq!(boot_backoff(1), Duration::from_millis(50));
        assert_eq!(boot_backoff(2), Duration::from_millis(100));
        assert_eq!(boot_backoff(30), Duration::from_millis(5_000));
    }
}
