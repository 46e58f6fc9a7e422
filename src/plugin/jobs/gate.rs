//! The gate every job passes before it goes to the pool: the policy that
//! keeps HTTP from being starved by a flood of jobs. A job starts only when
//!   1. no request is waiting in the pool's queue (HTTP goes first), and
//!   2. fewer than `limit` jobs run (workers − 1: one worker is always left
//!      for requests when there are two or more).
//!
//! Among the jobs waiting at the gate, those of higher-priority queues pass
//! first. One mutex, never held across an await or with another lock.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::pool::PoolHandle;

/// How often a job waiting behind queued requests looks again.
const BEHIND_REQUESTS_RECHECK: Duration = Duration::from_millis(1);

pub struct Gate {
    state: Mutex<State>,
    pool: PoolHandle,
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
    pub fn new(pool: PoolHandle, limit: usize) -> Arc<Gate> {
        Arc::new(Gate { state: Mutex::new(State { free: limit.max(1), waiting: BTreeMap::new() }), pool })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many jobs the gate lets run at once.
    pub fn limit_for(worker_slots: usize) -> usize {
        worker_slots.saturating_sub(1).max(1)
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
            let behind_requests = self.pool.requests_waiting() > 0;
            if !behind_requests {
                let mut st = self.lock();
                let first = st.waiting.keys().next_back().is_none_or(|top| *top <= priority);
                if st.free > 0 && first {
                    st.free -= 1;
                    return Pass(self.clone());
                }
            }
            if behind_requests {
                let _ = tokio::time::timeout(BEHIND_REQUESTS_RECHECK, woken).await;
            } else {
                woken.await;
            }
        }
    }
}
