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
    opened: Notify,
    pool: PoolHandle,
}

struct State {
    free: usize,
    /// Jobs waiting at the gate, by queue priority.
    waiting: BTreeMap<u64, usize>,
}

/// A place at the gate: returned when dropped.
pub struct Pass(Arc<Gate>);

impl Drop for Pass {
    fn drop(&mut self) {
        self.0.lock().free += 1;
        self.0.opened.notify_waiters();
    }
}

/// Counts a waiter of `priority` while it waits, also when its wait is cancelled.
struct Waiting<'a>(&'a Gate, u64);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut st = self.0.lock();
        if let Some(n) = st.waiting.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                st.waiting.remove(&self.1);
            }
        }
        drop(st);
        // A lower-priority waiter may pass now.
        self.0.opened.notify_waiters();
    }
}

impl Gate {
    pub fn new(pool: PoolHandle, limit: usize) -> Arc<Gate> {
        Arc::new(Gate { state: Mutex::new(State { free: limit.max(1), waiting: BTreeMap::new() }), opened: Notify::new(), pool })
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
        *self.lock().waiting.entry(priority).or_default() += 1;
        let _waiting = Waiting(self, priority);
        loop {
            let opened = self.opened.notified();
            tokio::pin!(opened);
            opened.as_mut().enable();
            let behind_requests = self.pool.queue_depth() > 0;
            if !behind_requests {
                let mut st = self.lock();
                let first = st.waiting.keys().next_back().is_none_or(|top| *top <= priority);
                if st.free > 0 && first {
                    st.free -= 1;
                    return Pass(self.clone());
                }
            }
            if behind_requests {
                let _ = tokio::time::timeout(BEHIND_REQUESTS_RECHECK, opened).await;
            } else {
                opened.await;
            }
        }
    }
}
