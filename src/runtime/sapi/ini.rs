//! The INI settings php-cli hard-codes (`HARDCODED_INI` in php_cli.c, applied
//! over php.ini) that a web request must not inherit. They are set again per
//! request from the `activate` callback, which runs inside `sapi_activate()`,
//! before `php_request_startup()` reads them; `zend_deactivate()` restores
//! the CLI values at request shutdown.

use ext_php_rs::ffi::PHP_INI_SYSTEM;
use ext_php_rs::types::ZendStr;

use super::ffi;

/// php.ini-production's `output_buffering` (php-cli forces 0): an
/// application may echo before `header()`, as it can under php-fpm.
pub const DEFAULT_OUTPUT_BUFFERING: usize = 4096;

/// Per-request settings of classic mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Bytes of output PHP buffers before it sends the headers (0 = none).
    pub output_buffering: usize,
    /// A request inside a worker script (handleRequest), not a fresh PHP request.
    pub worker: bool,
    /// Worker mode with `http.frankenphp_compat`: `$_SERVER['FRANKENPHP_WORKER']` is set.
    pub frankenphp_worker: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { output_buffering: DEFAULT_OUTPUT_BUFFERING, worker: false, frankenphp_worker: false }
    }
}

/// Undoes php-cli's hard-coded settings for this request.
pub fn apply(options: &Options) {
    set("output_buffering", &options.output_buffering.to_string());
    // Else every echo flushes.
    set("implicit_flush", "0");
    // Else $_SERVER['argv'] is built from the query string.
    set("register_argc_argv", "0");
    // PHP's own default (php-cli forces 0); shown errors look as under php-fpm.
    set("html_errors", "1");
}

/// The settings `apply` changes, given back their php-cli values: for the
/// main php-cli thread once it stops serving worker-mode requests (other
/// threads end their PHP request, which restores them anyway).
pub fn restore() {
    for name in CHANGED {
        let mut key = ZendStr::new(name, false);
        // SAFETY: inside this thread's open request (its INI table and heap exist); `key` outlives the call.
        unsafe { ffi::zend_restore_ini_entry(&mut *key, ffi::ZEND_INI_STAGE_ACTIVATE) };
    }
}

/// Every setting `apply` changes.
const CHANGED: [&str; 4] = ["output_buffering", "implicit_flush", "register_argc_argv", "html_errors"];

fn set(name: &str, value: &str) {
    let mut key = ZendStr::new(name, false);
    // SAFETY: called during sapi_activate(), so this thread's INI table and request heap exist; `key` and `value` outlive the call.
    let rc = unsafe {
        ffi::zend_alter_ini_entry_chars(
            &mut *key,
            value.as_ptr().cast(),
            value.len(),
            PHP_INI_SYSTEM as i32,
            ffi::ZEND_INI_STAGE_ACTIVATE,
        )
    };
    if rc != ffi::SUCCESS {
        tracing::warn!(setting = name, value, "could not set this INI setting for the request");
    }
}
