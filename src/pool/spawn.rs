//! Starting workers: the pool's first boot, a new incarnation in a dead slot
//! (its thread started by the runtime), and attaching the main PHP thread.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::permits::ReplacePermits;
use super::queue::JobQueue;
use super::runtime::Runtime;
use super::shutdown::Phase;
use super::recycle::SlotKind;
use super::slot::{Slot, SlotGuard};
use super::stats::PoolCounters;
use super::{Pool, Shared, WorkerLink, supervisor};
use crate::config::PoolConfig;

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
            permits: ReplacePermits::new(slots.len()),
            slots,
            stats: PoolCounters::default(),
            runtime,
            generation: AtomicU64::new(1),
            reload_failed: AtomicU64::new(0),
            phase: AtomicU8::new(Phase::Running as u8),
            health: Mutex::new(None),
            wake: Mutex::new(false),
            wake_cv: Condvar::new(),
            supervisor_idle: AtomicBool::new(false),
            config,
        });
        for slot in shared.slots.iter().filter(|s| s.kind.replaceable()) {
            shared.spawn_locked(&mut slot.lock());
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
            let settled = self.shared.slots.iter().filter(|s| s.kind.replaceable()).all(|slot| slot.lock().boot_settled());
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
        if s.incarnation() > 0 || self.shared.is_stopping() {
            return None;
        }
        self.shared.new_incarnation(&mut s)
    }
}

impl Shared {
    /// Starts a new thread in a dead slot. The slot lock is held, so the new
    /// thread's first call waits until its slot is fully set up.
    pub(super) fn spawn_locked(self: &Arc<Self>, s: &mut SlotGuard<'_>) {
        let Some(link) = self.new_incarnation(s) else { return };
        let now = Instant::now();
        match self.runtime.spawn(link) {
            Ok(handle) => s.spawned(handle),
            Err(e) => {
                tracing::error!(slot = s.id(), error = %e, "cannot start a worker thread");
                if let Err(refused) = s.spawn_failed(format!("cannot start a worker thread: {e}"), now) {
                    tracing::error!(slot = s.id(), error = %refused, "cannot record the failed start");
                }
            }
        }
    }

    /// Starts a new incarnation in a dead slot and returns its link.
    fn new_incarnation(self: &Arc<Self>, s: &mut SlotGuard<'_>) -> Option<WorkerLink> {
        let generation = self.generation();
        match s.start_incarnation(generation, &self.config.workers, Instant::now()) {
            Ok(incarnation) => Some(WorkerLink::new(self.clone(), s.id(), incarnation, generation)),
            Err(e) => {
                tracing::error!(slot = s.id(), error = %e, "cannot start a new worker in this slot");
                None
            }
        }
    }
}
