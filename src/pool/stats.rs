//! Pool counters (lock-free) and the stats snapshot PHP and metrics read.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::Shared;
use super::recycle::{RecycleReason, SlotKind};
use super::state::SlotState;

#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Default)]
pub struct PoolCounters {
    pub submitted: Counter,
    pub ok: Counter,
    pub app_errors: Counter,
    pub died: Counter,
    pub timeouts: Counter,
    pub busy: Counter,
    /// Queued jobs dropped unrun because their caller left (`AbandonOnDrop`).
    pub abandoned: Counter,
    pub boot_failures: Counter,
    pub recycles: [Counter; RecycleReason::ALL.len()],
}

impl PoolCounters {
    pub fn recycled(&self, r: RecycleReason) {
        if let Some(i) = RecycleReason::ALL.iter().position(|x| *x == r) {
            self.recycles[i].inc();
        }
    }
}

/// The job a worker runs now.
#[derive(Debug, Clone)]
pub struct RunningJob {
    /// The job's method (`http` for a web request).
    pub method: String,
    /// How long it has run.
    pub secs: f64,
}

#[derive(Debug, Clone)]
pub struct SlotStats {
    pub id: usize,
    pub kind: SlotKind,
    pub state: SlotState,
    /// None while it runs no job.
    pub job: Option<RunningJob>,
    pub jobs: u64,
    pub jobs_total: u64,
    pub age_secs: f64,
    pub memory: u64,
    pub restarts: u64,
    pub generation: u64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PoolStats {
    pub slots: Vec<SlotStats>,
    pub queue_depth: usize,
    pub healthy: bool,
    pub health_reason: Option<String>,
    pub generation: u64,
    pub submitted: u64,
    pub ok: u64,
    pub app_errors: u64,
    pub died: u64,
    pub timeouts: u64,
    pub busy: u64,
    pub abandoned: u64,
    pub boot_failures: u64,
    pub recycles: Vec<(&'static str, u64)>,
}

impl Shared {
    pub(super) fn snapshot(&self) -> PoolStats {
        let now = Instant::now();
        let slots = self.slots.iter().map(|slot| slot.lock().stats(now)).collect();
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
            abandoned: c.abandoned.get(),
            boot_failures: c.boot_failures.get(),
            recycles: RecycleReason::ALL.iter().zip(&c.recycles).map(|(r, n)| (r.name(), n.get())).collect(),
        }
    }
}
