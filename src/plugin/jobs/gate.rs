//! The gate every job passes before it goes to the pool: how many jobs are
//! in the pool at once (queued in its background lane or running), and in
//! which order queues get them. HTTP first is the pool's rule: a worker takes
//! a background job only when no request waits and one other worker stays
//! idle (`PoolHandle::set_background_reserve`), so at most `workers − 1` jobs
//! run and a request never queues behind a job. The gate lets twice that many
//! in, so that a worker finishing a job finds the next one queued.
//!
//! Among the jobs waiting at the gate, those of higher-priority queues pass
//! first. One mutex, never held across an await or with another lock.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

pub struct Gate {
    state: Mutex<State>,
}

struct State {
    free: usize,
    /// Jobs waiting at the gate, by queue priority, each priority with its own wake-up.
    waiting: BTreeMap<u64, Waiters>,
}

struct Waiters {
    count: usize,
    /// Woken one at a time, and only the highest priority's: a place that frees up wakes one
    /// waiter that can take it, not every waiter (a herd of dozens per finished job).
    wake: Arc<Notify>,
}

/// A place at the gate: returned when dropped.
pub struct Pass(Arc<Gate>);

impl Drop for Pass {
    fn drop(&mut self) {
        let mut st = self.0.lock();
        st.free += 1;
        st.wake_first();
    }
}

/// Counts a waiter of `priority` while it waits, also when its wait is cancelled.
struct Waiting<'a>(&'a Gate, u64);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut st = self.0.lock();
        if let Some(w) = st.waiting.get_mut(&self.1) {
            w.count -= 1;
            if w.count == 0 {
                st.waiting.remove(&self.1);
            }
        }
        // A place may be left (this waiter passed with two free, or gave up): the next may take it.
        st.wake_first();
    }
}

impl State {
    /// Wakes one waiter of the highest priority if a place is free. Its wake-up is kept if it is
    /// between two looks at the state, so it is never lost.
    fn wake_first(&self) {
        if self.free > 0
            && let Some((_, w)) = self.waiting.iter().next_back()
        {
            w.wake.notify_one();
        }
    }
}

impl Gate {
    pub fn new(limit: usize) -> Arc<Gate> {
        Arc::new(Gate { state: Mutex::new(State { free: limit.max(1), waiting: BTreeMap::new() }) })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many jobs run at once at most: all workers but the reserve the pool keeps idle.
    pub fn running_for(worker_slots: usize) -> usize {
        worker_slots.saturating_sub(Self::reserve_for(worker_slots)).max(1)
    }

    /// How many jobs the gate lets into the pool: one running and one queued per job slot.
    pub fn limit_for(worker_slots: usize) -> usize {
        2 * Self::running_for(worker_slots)
    }

    /// The workers the pool keeps idle for requests: one, unless it has only one.
    pub fn reserve_for(worker_slots: usize) -> usize {
        usize::from(worker_slots >= 2)
    }

    /// Waits for a place; cancel-safe.
    pub async fn pass(self: &Arc<Self>, priority: u64) -> Pass {
        let wake = {
            let mut st = self.lock();
            let w = st.waiting.entry(priority).or_insert_with(|| Waiters { count: 0, wake: Arc::new(Notify::new()) });
            w.count += 1;
            w.wake.clone()
        };
        let _waiting = Waiting(self, priority);
        loop {
            let woken = wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            {
                let mut st = self.lock();
                let first = st.waiting.keys().next_back().is_none_or(|top| *top <= priority);
                if st.free > 0 && first {
                    st.free -= 1;
                    return Pass(self.clone());
                }
            }
            woken.await;
        }
    }
}
