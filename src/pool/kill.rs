//! Stopping a slot's worker: how far it went (`KillLevel`, read lock-free on
//! the worker thread, where the PHP interrupt hook runs and must not take
//! locks), why (`KillReason`), and the grace periods between the steps.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// How long after the soft interrupt (an exception) a job gets before the
/// hard one (a fatal error), and the spacing of repeated hard interrupts.
pub const HARD_KILL_GRACE: Duration = Duration::from_millis(50);
/// After the worker regains control from an interrupt, it gets this long to
/// finish its shutdown functions before it is interrupted again.
pub const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Kill progress of a slot, in escalating order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum KillLevel {
    /// Not asked to stop.
    None = 0,
    /// Asked to stop at the next VM check.
    Soft = 1,
    /// Stopped for good.
    Hard = 2,
}

/// A slot's `KillLevel`, shared with its worker thread.
#[derive(Debug, Default)]
pub struct KillFlag(AtomicU8);

impl KillFlag {
    pub fn load(&self) -> KillLevel {
        match self.0.load(Ordering::Acquire) {
            0 => KillLevel::None,
            1 => KillLevel::Soft,
            _ => KillLevel::Hard,
        }
    }

    pub(super) fn store(&self, level: KillLevel) {
        self.0.store(level as u8, Ordering::Release);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillReason {
    ExecTimeout,
    BootTimeout,
    Shutdown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_reads_back_every_level() {
        let flag = KillFlag::default();
        assert_eq!(flag.load(), KillLevel::None);
        for level in [KillLevel::Soft, KillLevel::Hard, KillLevel::None] {
            flag.store(level);
            assert_eq!(flag.load(), level);
        }
        assert!(KillLevel::Hard > KillLevel::Soft && KillLevel::Soft > KillLevel::None);
    }
}
