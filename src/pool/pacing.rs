//! When workers come and go: a per-incarnation jitter so slots started
//! together do not all recycle at once, and the backoff between boot
//! attempts that keep failing.

use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
