//! One incarnation of a slot: what its thread has done so far (`Life`) and
//! the limits drawn for it. Both are replaced whole when the next thread
//! fills the slot, so nothing of a predecessor leaks into its successor.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::kill::KillReason;
use super::reply::Reply;
use super::recycle::{RecycleReason, SlotKind};
use super::pacing::jitter;
use crate::config::WorkersConfig;

/// The limits of one incarnation, jittered so slots do not recycle in
/// lockstep (0 / None: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_jobs: u64,
    pub ttl: Option<Duration>,
}

impl Limits {
    pub const NONE: Limits = Limits { max_jobs: 0, ttl: None };

    pub fn for_incarnation(kind: SlotKind, cfg: &WorkersConfig, slot: usize, incarnation: u64) -> Limits {
        if !kind.replaceable() {
            return Limits::NONE;
        }
        Limits {
            max_jobs: if cfg.max_jobs > 0 { jitter(cfg.max_jobs, slot, incarnation).max(1) } else { 0 },
            ttl: cfg.ttl.map(|t| Duration::from_millis(jitter(t.as_millis() as u64, slot, incarnation).max(1))),
        }
    }
}

/// What one incarnation has done so far; replaced whole when the next one starts.
pub struct Life {
    /// The pool generation this incarnation booted with.
    pub generation: u64,
    pub born: Instant,
    pub booted_at: Option<Instant>,
    pub last_active: Instant,
    /// Jobs answered by this incarnation.
    pub jobs: u64,
    /// Its PHP heap use after its last job.
    pub memory: u64,
    pub limits: Limits,
    pub job_started: Option<Instant>,
    /// The answer of the job it runs.
    pub current: Option<Arc<Reply>>,
    pub kill_reason: Option<KillReason>,
    pub kill_at: Option<Instant>,
    pub leaving: Option<RecycleReason>,
}

impl Life {
    pub fn new(generation: u64, limits: Limits, now: Instant) -> Self {
        Life {
            generation,
            born: now,
            booted_at: None,
            last_active: now,
            jobs: 0,
            memory: 0,
            limits,
            job_started: None,
            current: None,
            kill_reason: None,
            kill_at: None,
            leaving: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_slot_has_no_limits() {
        let mut c = crate::config::PoolConfig::default().workers;
        c.max_jobs = 10;
        c.ttl = Some(Duration::from_secs(60));
        assert_eq!(Limits::for_incarnation(SlotKind::Main, &c, 0, 1), Limits::NONE);
        let thread = Limits::for_incarnation(SlotKind::Thread, &c, 0, 1);
        assert!((9..=10).contains(&thread.max_jobs) && thread.ttl.is_some(), "{thread:?}");
    }
}
