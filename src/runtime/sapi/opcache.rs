//! Watch mode and OPcache. A reload starts new PHP threads in the same
//! process, so OPcache's shared memory outlives it: the new workers get the
//! code OPcache compiled before the edit unless it checks the file's
//! timestamp, which it does at most once per `opcache.revalidate_freq`
//! (2 s by default) and never with `opcache.validate_timestamps=0`. So in
//! watch mode folk refuses `validate_timestamps=0`, and its request threads
//! check on every include (`revalidate_freq=0` for that thread only).
//! Resetting the cache from Rust instead is no option: `opcache_reset()`
//! races the requests running on other threads under ZTS.

use std::sync::atomic::{AtomicBool, Ordering};

use super::ini;

/// Watch mode is on: every folk request thread revalidates on each include.
static REVALIDATE: AtomicBool = AtomicBool::new(false);

#[derive(Debug, thiserror::Error)]
pub enum OpcacheError {
    #[error(
        "watch mode needs opcache.validate_timestamps=1: with 0, OPcache keeps serving the code it compiled first and \
         a reload shows no edit (run with -d opcache.validate_timestamps=1, or without opcache, while developing)"
    )]
    NoTimestamps,
}

/// The server starts in watch mode (on the main PHP thread, before any worker).
pub fn prepare_for_watch() -> Result<(), OpcacheError> {
    let on = |name| ini::current(name).map(|v| truthy(&v));
    let cached = on("opcache.enable") == Some(true) && on("opcache.enable_cli") == Some(true);
    if cached && on("opcache.validate_timestamps") == Some(false) {
        return Err(OpcacheError::NoTimestamps);
    }
    REVALIDATE.store(true, Ordering::Release);
    Ok(())
}

/// A folk request thread inside its request, before it includes anything:
/// in watch mode OPcache checks every file's timestamp on this thread.
pub fn revalidate_on_this_thread() {
    if REVALIDATE.load(Ordering::Acquire) && ini::current("opcache.revalidate_freq").is_some_and(|v| v.trim() != "0") {
        ini::set("opcache.revalidate_freq", "0");
    }
}

/// An INI boolean as PHP reads it.
fn truthy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "on" | "yes" | "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_booleans_read_as_php_reads_them() {
        for yes in ["1", "On", "yes", "TRUE"] {
            assert!(truthy(yes), "{yes}");
        }
        for no in ["0", "Off", "", "no", "false"] {
            assert!(!truthy(no), "{no}");
        }
    }
}
