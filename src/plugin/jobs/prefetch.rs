//! How many jobs of a queue a server holds (taken from the broker, running or
//! about to run). Taking one job per finished job costs a broker round trip per
//! job, and with Redis persisting every write (`appendfsync always`) a round
//! trip is an fsync: hundreds of microseconds, far longer than a short job. So
//! the consumer reads ahead, in batches. But a job held here is one no other
//! server can run, so it holds only about `AHEAD` of work: the target is
//! measured from the queue's recent job durations, between `concurrency` (long
//! jobs: nothing ahead) and the queue's `prefetch` (the cap).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The work a server takes ahead of its free places.
pub const AHEAD: Duration = Duration::from_millis(100);

pub struct Prefetch {
    concurrency: usize,
    cap: usize,
    /// Moving average of a job's time on the pool, in nanoseconds (0: none measured yet).
    average_ns: AtomicU64,
}

impl Prefetch {
    pub fn new(concurrency: usize, cap: usize) -> Prefetch {
        let concurrency = concurrency.max(1);
        Prefetch { concurrency, cap: cap.max(concurrency), average_ns: AtomicU64::new(0) }
    }

    /// One more job ran for `took` (weight 1/8: a change of job mix shows within a few dozen jobs).
    pub fn observe(&self, took: Duration) {
        let ns = took.as_nanos().clamp(1, u64::MAX as u128) as u64;
        let _ = self.average_ns.fetch_update(Ordering::AcqRel, Ordering::Acquire, |avg| {
            Some(if avg == 0 { ns } else { avg - avg / 8 + ns / 8 })
        });
    }

    /// How many jobs to hold: `concurrency` running plus what they get through in `AHEAD`.
    pub fn target(&self) -> usize {
        let avg = self.average_ns.load(Ordering::Acquire);
        if avg == 0 {
            return self.concurrency;
        }
        let ahead = (AHEAD.as_nanos() as u64 / avg).saturating_mul(self.concurrency as u64);
        (self.concurrency as u64).saturating_add(ahead).min(self.cap as u64) as usize
    }

    /// How many to read now that `taken` are held: none until at most half the target is
    /// held, so one read brings a batch instead of one job per finished job.
    pub fn wants(&self, taken: usize) -> Option<usize> {
        let target = self.target();
        (taken < target && taken <= target / 2).then(|| target - taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_any_job_ran_only_the_concurrency_is_taken() {
        let p = Prefetch::new(4, 256);
        assert_eq!(p.target(), 4);
        assert_eq!(p.wants(0), Some(4));
        assert_eq!(p.wants(2), Some(2));
        assert_eq!(p.wants(3), None);
    }

    #[test]
    fn short_jobs_read_ahead_up_to_the_cap_and_long_jobs_not_at_all() {
        let short = Prefetch::new(4, 256);
        short.observe(Duration::from_micros(50));
        assert_eq!(short.target(), 256);
        assert_eq!(short.wants(128), Some(128));
        assert_eq!(short.wants(129), None);
        let medium = Prefetch::new(4, 256);
        medium.observe(Duration::from_millis(10));
        assert_eq!(medium.target(), 4 + 40);
        let long = Prefetch::new(4, 256);
        long.observe(Duration::from_secs(2));
        assert_eq!(long.target(), 4);
    }

    #[test]
    fn the_cap_never_goes_below_the_concurrency_and_the_average_follows_the_jobs() {
        let p = Prefetch::new(8, 2);
        p.observe(Duration::from_micros(10));
        assert_eq!(p.target(), 8);
        let q = Prefetch::new(1, 1000);
        q.observe(Duration::from_secs(1));
        for _ in 0..64 {
            q.observe(Duration::from_millis(1));
        }
        assert!(q.target() > 50, "the average moved to the new, short jobs: {}", q.target());
    }
}
