//! Pool health: unhealthy while no worker is serving and a slot failed to
//! boot repeatedly. An unhealthy pool refuses jobs at once instead of
//! queueing them for workers that never come.

use super::Shared;

/// Consecutive boot failures of one slot after which the pool is unhealthy.
const UNHEALTHY_AFTER: u32 = 3;

impl Shared {
    /// Why the pool is unhealthy, or None.
    pub(super) fn unhealthy(&self) -> Option<String> {
        self.health.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Re-judges health from the slots (the supervisor, every tick).
    pub(super) fn judge_health(&self) {
        let mut serving = false;
        let mut failing: Option<(u32, String)> = None;
        for slot in &self.slots {
            let s = slot.lock();
            if s.serving() {
                serving = true;
            }
            let n = s.boot_failures();
            if n >= UNHEALTHY_AFTER && failing.as_ref().is_none_or(|(m, _)| n > *m) {
                failing = Some((n, s.last_error().unwrap_or("unknown reason").to_string()));
            }
        }
        let mut health = self.health.lock().unwrap_or_else(|e| e.into_inner());
        match (serving, failing) {
            (false, Some((n, why))) => {
                if health.is_none() {
                    tracing::error!(failures = n, reason = %why, "pool unhealthy: workers keep failing to boot");
                }
                *health = Some(format!("worker failed to boot {n} times in a row: {why}"));
            }
            (true, _) | (false, None) => {
                if health.is_some() && serving {
                    tracing::info!("pool healthy again");
                    *health = None;
                }
            }
        }
    }
}
