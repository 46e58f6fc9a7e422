//! The "at most half the slots replaced at once" rule, so capacity never
//! drops to zero: a worker leaving for a soft limit (max_jobs, ttl, reload...)
//! takes a `Permit`; its slot holds it until the successor booted or failed to.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct ReplacePermits {
    taken: AtomicUsize,
    cap: usize,
}

/// One slot being replaced; given back when dropped.
pub struct Permit(Arc<ReplacePermits>);

impl ReplacePermits {
    /// Half of `slots` (at least one) may be replaced at once.
    pub fn new(slots: usize) -> Arc<Self> {
        Arc::new(ReplacePermits { taken: AtomicUsize::new(0), cap: (slots / 2).max(1) })
    }

    /// A permit, or None while the cap is reached (the worker serves on and asks again).
    pub fn try_take(self: &Arc<Self>) -> Option<Permit> {
        self.taken.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.cap).then_some(n + 1)).ok()?;
        Some(Permit(self.clone()))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.taken.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_slots_at_most_and_a_dropped_permit_is_given_back() {
        let permits = ReplacePermits::new(5);
        let a = permits.try_take().expect("first");
        let b = permits.try_take().expect("second");
        assert!(permits.try_take().is_none(), "5 slots: 2 at once");
        drop(a);
        let c = permits.try_take().expect("given back");
        drop((b, c));
        assert_eq!(permits.taken.load(Ordering::Acquire), 0);
    }

    #[test]
    fn a_single_slot_may_still_be_replaced() {
        let permits = ReplacePermits::new(1);
        let p = permits.try_take();
        assert!(p.is_some());
        assert!(permits.try_take().is_none());
    }
}
