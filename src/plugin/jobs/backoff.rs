//! How long a failed job waits before its next attempt: `retry_delay` grown
//! by the queue's `retry_backoff` (fixed, linear or exponential), capped, then
//! jittered down by up to a fifth, so that jobs failing together (a dead API)
//! do not all come back at the same instant.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

pub use crate::config::Backoff;

/// No retry waits longer than this, whatever the growth.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// The delay before the retry that follows failed attempt `attempt` (1-based),
/// before jitter.
pub fn base_delay(kind: Backoff, delay: Duration, attempt: u32) -> Duration {
    let n = attempt.max(1);
    let grown = match kind {
        Backoff::Fixed => Some(delay),
        Backoff::Linear => delay.checked_mul(n),
        Backoff::Exponential => 2u32.checked_pow(n - 1).and_then(|f| delay.checked_mul(f)),
    };
    grown.unwrap_or(MAX_RETRY_DELAY).min(MAX_RETRY_DELAY)
}

/// `d` minus a random part of up to 20%: never later than the base delay.
pub fn jitter(d: Duration, random: u64) -> Duration {
    let fifth = d / 5;
    let nanos = fifth.as_nanos() as u64;
    if nanos == 0 {
        return d;
    }
    d - Duration::from_nanos(random % (nanos + 1))
}

/// The jittered delay before the next attempt.
pub fn retry_delay(kind: Backoff, delay: Duration, attempt: u32) -> Duration {
    jitter(base_delay(kind, delay, attempt), random_u64())
}

/// `first` doubled `n` times, at most `max`: the pause after the n-th failure in a row to reach a
/// broker (so a broker that is down never gets a busy loop).
pub fn doubling(first: Duration, max: Duration, n: u32) -> Duration {
    first.saturating_mul(1 << n.min(30)).min(max)
}

/// A random number from the std hasher's per-call random keys (no RNG crate needed for jitter and ids).
pub fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn each_backoff_grows_as_named_and_is_capped() {
        let at = |k, n| base_delay(k, S, n).as_secs();
        assert_eq!([1, 2, 3, 4].map(|n| at(Backoff::Fixed, n)), [1, 1, 1, 1]);
        assert_eq!([1, 2, 3, 4].map(|n| at(Backoff::Linear, n)), [1, 2, 3, 4]);
        assert_eq!([1, 2, 3, 4].map(|n| at(Backoff::Exponential, n)), [1, 2, 4, 8]);
        assert_eq!(base_delay(Backoff::Exponential, S, 40), MAX_RETRY_DELAY);
        assert_eq!(base_delay(Backoff::Linear, Duration::from_secs(u64::MAX / 2), 5), MAX_RETRY_DELAY);
    }

    #[test]
    fn jitter_takes_off_at_most_a_fifth_and_varies() {
        let d = Duration::from_millis(1000);
        assert_eq!(jitter(d, 0), d);
        assert_eq!(jitter(d, u64::MAX), d - Duration::from_nanos(u64::MAX % 200_000_001));
        let many: Vec<Duration> = (0..50).map(|_| retry_delay(Backoff::Fixed, d, 1)).collect();
        assert!(many.iter().all(|x| *x <= d && *x >= d * 4 / 5), "{many:?}");
        assert!(many.iter().any(|x| *x != many[0]), "jitter never varied: {many:?}");
        assert_eq!(jitter(Duration::ZERO, 7), Duration::ZERO);
    }

    #[test]
    fn backoff_names_parse_back() {
        for b in Backoff::ALL {
            assert_eq!(Backoff::parse(b.name()), Some(b));
        }
        assert_eq!(Backoff::parse("quadratic"), None);
    }
}
