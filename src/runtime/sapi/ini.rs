//! The INI settings php-cli hard-codes (`HARDCODED_INI` in php_cli.c, applied
//! over php.ini) and what a web request takes instead: the user's own value
//! (php.ini, conf.d or `-d`, found again by `web_ini.c`), else the engine's
//! default, except two where Debian's php-fpm runs with php.ini-production's
//! (`DEFAULTS`). The user's settings always win; only php-cli's are replaced.
//!
//! Classic requests get them from the `activate` callback, inside
//! `sapi_activate()` before `php_request_startup()` reads them
//! (`zend_deactivate()` gives php-cli's values back at request shutdown). A
//! worker gets them once, when it starts serving, so they are part of the
//! baseline each of its requests starts from (`worker_baseline.c`).

use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::OnceLock;

use ext_php_rs::ffi::PHP_INI_SYSTEM;
use ext_php_rs::types::ZendStr;

use super::ffi;
use super::request::IniLines;

unsafe extern "C" {
    fn folk_web_ini_discover();
    fn folk_web_ini_user_value(name: *const c_char) -> *const c_char;
    fn folk_ini_current(name: *const c_char) -> *const c_char;
    fn folk_ini_modified(name: *const c_char) -> std::ffi::c_int;
    fn folk_apply_request_ini(lines: *const c_char, admin: c_int, lock: c_int, refused: *mut c_char, refused_len: usize) -> c_int;
}

/// Where the user set no `output_buffering`: php.ini-production's (php-cli
/// forces 0), so an application may echo before `header()`, as it can under
/// Debian's php-fpm.
pub const DEFAULT_OUTPUT_BUFFERING: usize = 4096;

/// php-cli's six hard-coded settings and a web request's value where the
/// user set none: the engine's default (main/main.c), except
/// `register_argc_argv` and `output_buffering`, which take php.ini-production's
/// (what Debian's php-fpm runs with): on, `register_argc_argv` builds `$argv`
/// from the query string (the pearcmd.php attack on images without a php.ini).
const DEFAULTS: [(&str, &str); 6] = [
    ("html_errors", "1"),
    ("register_argc_argv", "0"),
    ("implicit_flush", "0"),
    ("output_buffering", "4096"),
    ("max_execution_time", "30"),
    ("max_input_time", "-1"),
];

/// What the user set for each of `DEFAULTS`, read once at module startup.
static USER: OnceLock<Vec<(&'static str, Option<String>)>> = OnceLock::new();

/// Module startup (single-threaded): find the user's own values.
pub fn discover() {
    USER.get_or_init(|| {
        // SAFETY: module startup, before any thread exists; it only parses the user's INI sources.
        unsafe { folk_web_ini_discover() };
        DEFAULTS
            .iter()
            .map(|(name, _)| {
                let key = CString::new(*name).expect("no NUL in an INI name");
                // SAFETY: `key` is a C string; the result is NULL or a string that lives for the process.
                let value = unsafe { folk_web_ini_user_value(key.as_ptr()) };
                // SAFETY: non-null values are NUL-terminated strings that live for the process.
                let value = (!value.is_null()).then(|| unsafe { CStr::from_ptr(value) }.to_string_lossy().into_owned());
                (*name, value)
            })
            .collect()
    });
}

/// The user's own value of one of php-cli's hard-coded settings, if they set it.
pub fn user_value(name: &str) -> Option<&'static str> {
    USER.get()?.iter().find(|(n, _)| *n == name)?.1.as_deref()
}

/// The value a web request runs with.
fn web_value(name: &'static str) -> &'static str {
    user_value(name).unwrap_or_else(|| DEFAULTS.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v))
}

/// The `output_buffering` of web requests: folk's `http.output_buffering` if
/// set, else the user's INI value, else php.ini-production's 4096.
pub fn output_buffering(configured: Option<usize>) -> usize {
    configured.or_else(|| user_value("output_buffering").map(parse_buffering)).unwrap_or(DEFAULT_OUTPUT_BUFFERING)
}

/// PHP's reading of `output_buffering`: "On" (1 once parsed) is unlimited,
/// a number is a size in bytes; anything else is 0 (off).
fn parse_buffering(v: &str) -> usize {
    let v = v.trim();
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let n: usize = digits.parse().unwrap_or(0);
    let unit = match v[digits.len()..].trim().chars().next() {
        Some('k' | 'K') => 1 << 10,
        Some('m' | 'M') => 1 << 20,
        Some('g' | 'G') => 1 << 30,
        _ => 1,
    };
    n.saturating_mul(unit)
}

/// The `max_execution_time` web requests run with, in seconds (0: none).
pub fn max_execution_time() -> u64 {
    web_value("max_execution_time").trim().parse::<i64>().map_or(0, |n| n.max(0) as u64)
}

/// Where PHP puts uploads, and so where folk spools request bodies over
/// `http.body_buffer`: `upload_tmp_dir` when it names a directory, else PHP's
/// temporary directory (`sys_temp_dir`, `TMPDIR`, /tmp), as rfc1867.c picks.
/// Read on the main thread at server start: both are `PHP_INI_SYSTEM`, the
/// same for every request.
pub fn upload_tmp_dir() -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    if let Some(dir) = current("upload_tmp_dir").filter(|d| !d.is_empty())
        && std::path::Path::new(&dir).is_dir()
    {
        return dir.into();
    }
    // SAFETY: called inside the main thread's PHP request; the result is PHP's
    // own NUL-terminated string, cached for the process (or NULL), copied at once.
    let temp = unsafe { ffi::php_get_temporary_directory() };
    if temp.is_null() {
        return std::env::temp_dir();
    }
    // SAFETY: non-null: a NUL-terminated string PHP keeps for the process.
    std::ffi::OsStr::from_bytes(unsafe { CStr::from_ptr(temp) }.to_bytes()).into()
}

/// Per-request settings of web requests.
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

/// A classic request: php-cli's hard-coded settings replaced (from `activate`).
pub fn apply(options: &Options) {
    for (name, value) in settings(options) {
        set(name, &value);
    }
}

/// A FastCGI request's `PHP_VALUE` / `PHP_ADMIN_VALUE` lines, set for this
/// request only (see `web_ini.c`); what PHP refuses is logged, and the
/// request runs on without it. Called from `activate`, after `apply`.
pub fn apply_request_ini(ini: &[IniLines], worker: bool) {
    for lines in ini {
        let what = if lines.admin { "PHP_ADMIN_VALUE" } else { "PHP_VALUE" };
        let Ok(text) = CString::new(lines.lines.as_slice()) else {
            tracing::warn!("{what} holds a NUL byte; ignored");
            continue;
        };
        let mut first = [0 as c_char; 128];
        // SAFETY: inside this thread's request startup (its INI table and heap exist); `text` and `first` outlive the call, which writes at most `first.len()` bytes, NUL included.
        let refused = unsafe {
            folk_apply_request_ini(text.as_ptr(), c_int::from(lines.admin), c_int::from(lines.admin && !worker), first.as_mut_ptr(), first.len())
        };
        if refused > 0 {
            // SAFETY: `first` is NUL-terminated by the C side (or still all zeros).
            let name = unsafe { CStr::from_ptr(first.as_ptr()) }.to_string_lossy().into_owned();
            tracing::warn!(
                refused,
                first = %name,
                "{what}: {refused} entries not set for this request (unknown directive, not allowed from {what}, extension loading, or not an entry line); the request runs without them"
            );
        }
    }
}

/// What `enter_web` changed, with the values it replaced.
#[derive(Debug, Default)]
pub struct Entered(Vec<(&'static str, String)>);

/// A worker starts serving web requests: php-cli's hard-coded settings
/// replaced, except those its script set itself while booting (its values
/// stay). The values replaced are handed back for `leave_web`.
pub fn enter_web(options: &Options) -> Entered {
    let mut replaced = Vec::new();
    for (name, value) in settings(options) {
        if modified(name) {
            continue;
        }
        if let Some(before) = current(name) {
            replaced.push((name, before));
        }
        set(name, &value);
    }
    Entered(replaced)
}

/// The settings `enter_web` changed get their php-cli values back: for the
/// main php-cli thread, whose script runs on after `Folk\Server::run()`
/// (other threads end their PHP request, which restores them anyway).
pub fn leave_web(entered: Entered) {
    for (name, value) in entered.0 {
        set(name, &value);
    }
}

fn settings(options: &Options) -> [(&'static str, String); 6] {
    [
        // The user's own spelling when it is the value in force ("Off" reads "" as under php-fpm).
        ("output_buffering", match user_value("output_buffering") {
            Some(raw) if parse_buffering(raw) == options.output_buffering => raw.to_string(),
            _ => options.output_buffering.to_string(),
        }),
        ("implicit_flush", web_value("implicit_flush").to_string()),
        ("register_argc_argv", web_value("register_argc_argv").to_string()),
        ("html_errors", web_value("html_errors").to_string()),
        ("max_execution_time", web_value("max_execution_time").to_string()),
        ("max_input_time", web_value("max_input_time").to_string()),
    ]
}

/// Whether this thread's request changed the entry already (ini_set()).
fn modified(name: &str) -> bool {
    let Ok(key) = CString::new(name) else { return false };
    // SAFETY: inside this thread's open request; `key` is a C string, read during the call.
    unsafe { folk_ini_modified(key.as_ptr()) != 0 }
}

/// The entry's current value on this thread.
pub(super) fn current(name: &str) -> Option<String> {
    let key = CString::new(name).ok()?;
    // SAFETY: inside this thread's open request; `key` is a C string; the result is NULL or PHP's string, copied at once.
    unsafe {
        let v = folk_ini_current(key.as_ptr());
        (!v.is_null()).then(|| CStr::from_ptr(v).to_string_lossy().into_owned())
    }
}

pub(super) fn set(name: &str, value: &str) {
    let mut key = ZendStr::new(name, false);
    // SAFETY: inside this thread's open request (its INI table and heap exist); `key` and `value` outlive the call.
    let rc = unsafe {
        ffi::zend_alter_ini_entry_chars(
            &mut *key,
            value.as_ptr().cast(),
            value.len(),
            PHP_INI_SYSTEM as i32,
            // Not ACTIVATE: that stage would lock the entry to PHP_INI_SYSTEM
            // (php_admin_value's effect), and set_time_limit() or ini_set()
            // in the request would fail.
            ffi::ZEND_INI_STAGE_RUNTIME,
        )
    };
    if rc != ffi::SUCCESS {
        tracing::warn!(setting = name, value, "could not set this INI setting for web requests");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_buffering_reads_sizes_as_php_does() {
        assert_eq!(parse_buffering("4096"), 4096);
        assert_eq!(parse_buffering("8K"), 8192);
        assert_eq!(parse_buffering("1"), 1);
        assert_eq!(parse_buffering(""), 0);
        assert_eq!(parse_buffering("0"), 0);
    }

    #[test]
    fn folk_config_wins_over_the_default() {
        assert_eq!(output_buffering(Some(0)), 0);
        assert_eq!(output_buffering(Some(100)), 100);
    }
}
