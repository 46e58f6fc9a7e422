//! Raw PHP symbols folk declares itself (ext-php-rs binds them only with its
//! `embed` feature, which would link a second libphp, or not at all; the `php`
//! binary exports them), and small safe helpers over this thread's engine state.

use std::ffi::{CStr, c_char, c_int, c_void};

use ext_php_rs::ffi::{
    E_COMPILE_ERROR, E_CORE_ERROR, E_ERROR, E_PARSE, E_RECOVERABLE_ERROR, E_USER_ERROR, zend_destroy_file_handle, zend_execute_data,
    zend_file_handle, zend_stream_init_filename, zend_string,
};
use ext_php_rs::zend::{ExecutorGlobals, ProcessGlobals, bailout};

use crate::bridge::zval::is_unwind_exit;

unsafe extern "C" {
    pub fn ts_resource_ex(id: c_int, th_id: *mut c_void) -> *mut c_void;
    pub fn ts_free_thread();
    pub fn php_request_startup() -> c_int;
    pub fn php_request_shutdown(dummy: *mut c_void);
    pub fn php_execute_script(primary_file: *mut zend_file_handle) -> bool;
    fn zend_memory_usage(real_usage: bool) -> usize;
    fn zend_set_timeout(seconds: ext_php_rs::ffi::zend_long, reset_signals: bool);
    fn zend_unset_timeout();
    fn zend_throw_unwind_exit();
    fn zend_get_executed_filename() -> *const c_char;
    fn zend_get_executed_lineno() -> u32;
}

/// Error types that end a script (php_error_cb bails out on them).
pub const FATAL_ERRORS: u32 = E_ERROR | E_PARSE | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_RECOVERABLE_ERROR;

/// Makes the running PHP code stop as `exit()` does (finally blocks skipped,
/// nothing printed): only from a hook PHP calls between opcodes.
pub fn throw_exit() {
    // SAFETY: called from zend_interrupt_function on a PHP thread inside its request, with no exception pending (checked by the caller).
    unsafe { zend_throw_unwind_exit() };
}

/// Stops this thread's `max_execution_time` timer: the code that runs next
/// (a worker's boot, `Folk\Server::run()` serving) is not one request.
pub fn stop_time_limit() {
    // SAFETY: this thread has a PHP context inside its open request; only its own timer changes.
    unsafe { zend_unset_timeout() };
}

/// Starts this thread's `max_execution_time` anew, for its full length:
/// the calling script runs on after `Folk\Server::run()` returned.
pub fn restart_time_limit() {
    let seconds = ExecutorGlobals::get().timeout_seconds;
    // SAFETY: this thread has a PHP context inside its open request; its timer signal handler was installed at request startup.
    unsafe { zend_set_timeout(seconds, false) };
}

pub type InterruptFn = unsafe extern "C" fn(*mut zend_execute_data);

/// Runs `path` as this thread's primary script (inside its open request):
/// false if it did not complete (exit(), a fatal error, a missing file).
pub fn execute_script(path: &CStr) -> bool {
    // SAFETY: a zeroed handle is what zend_stream_init_filename expects; `path` outlives it; it is destroyed once.
    unsafe {
        let mut fh: zend_file_handle = std::mem::zeroed();
        zend_stream_init_filename(&mut fh, path.as_ptr());
        fh.primary_script = true;
        let ok = php_execute_script(&mut fh);
        zend_destroy_file_handle(&mut fh);
        ok
    }
}

/// The last PHP error of this thread, as "message in file:line".
pub fn last_error() -> Option<String> {
    let pg = ProcessGlobals::get();
    let msg = zstr(pg.last_error_message)?;
    let file = zstr(pg.last_error_file).unwrap_or_default();
    Some(if file.is_empty() { msg } else { format!("{msg} in {file}:{}", pg.last_error_lineno) })
}

/// Whether the last PHP error of this thread ended its script (a fatal
/// error, or the "Uncaught ..." error a script's top level reports).
pub fn last_error_was_fatal() -> bool {
    ProcessGlobals::get().last_error_type as u32 & FATAL_ERRORS != 0
}

/// The file and line of the PHP code running now (the nearest user
/// function's, as PHP's own warnings name them).
pub fn executed_location() -> (String, i64) {
    // SAFETY: on a PHP thread; PHP returns a NUL-terminated string it owns ("[no active file]" outside code), copied at once.
    unsafe {
        let file = zend_get_executed_filename();
        let file = if file.is_null() { String::new() } else { CStr::from_ptr(file).to_string_lossy().into_owned() };
        (file, i64::from(zend_get_executed_lineno()))
    }
}

fn zstr(s: *mut zend_string) -> Option<String> {
    if s.is_null() {
        return None;
    }
    // SAFETY: a non-null error string in the globals is a live zend_string whose `val` holds `len` bytes.
    unsafe {
        let len = (*s).len;
        let ptr = (*s).val.as_ptr() as *const u8;
        Some(String::from_utf8_lossy(std::slice::from_raw_parts(ptr, len)).into_owned())
    }
}

/// Bytes of the PHP heap in use on this thread.
pub fn memory_usage() -> u64 {
    // SAFETY: reads this thread's allocator counters; folk calls it only on PHP threads, which have one.
    unsafe { zend_memory_usage(false) as u64 }
}

/// Whether `exit()` is pending on this thread: its unwind exception must stay
/// pending, as it ends the script.
pub fn exit_pending() -> bool {
    let exception = ExecutorGlobals::get().exception;
    // SAFETY: a non-null EG(exception) is a live object of this thread's engine until taken, which this does not do.
    unsafe { exception.as_ref() }.is_some_and(is_unwind_exit)
}

/// Re-raises a fatal error that folk caught on this thread to clean up first
/// (the main-thread worker's): PHP unwinds to its own zend_try and ends the
/// request as it would have without folk. Only for code PHP called.
pub fn reraise_bailout() -> ! {
    // SAFETY: only PHP-called code reaches this, so a zend_try encloses it; skipped frames can only leak (bailout's contract).
    unsafe { bailout() }
}

/// Sets the status the PHP process exits with (`EG(exit_status)`), e.g.
/// before re-raising a fatal error that is no longer the outcome: the
/// main-thread worker's, once the server it served stopped cleanly.
pub fn set_exit_status(status: i32) {
    // SAFETY: this thread's executor globals, one field written.
    unsafe { (*ext_php_rs::ffi::ext_php_rs_executor_globals()).exit_status = status };
}

/// Whether PHP code on this thread runs inside a Fiber now.
pub fn in_fiber() -> bool {
    // SAFETY: this thread's executor globals, one pointer read.
    unsafe { !(*ext_php_rs::ffi::ext_php_rs_executor_globals()).active_fiber.is_null() }
}

/// Evaluates the PHP expression `expr` in this thread's open request
/// (global scope): whether it is `true`. False too if PHP refused the code.
pub fn eval_true(expr: &str, name: &std::ffi::CStr) -> bool {
    let Ok(code) = std::ffi::CString::new(expr) else { return false };
    let mut rv = ext_php_rs::types::Zval::new();
    // SAFETY: the callers run inside this thread's open request and a zend_try; `code`, `rv` and `name` are alive for the call.
    let ok = unsafe { ext_php_rs::ffi::zend_eval_string(code.as_ptr(), &mut rv, name.as_ptr()) == 0 };
    ok && rv.bool() == Some(true)
}

/// Runs PHP statements in this thread's open request (global scope); false
/// if PHP refused the code. `name` is what errors in it are reported as.
/// Without a return value: with one, PHP compiles the code as
/// `return <code>;` and stops after its first statement.
pub fn eval(code: &str, name: &std::ffi::CStr) -> bool {
    let Ok(code) = std::ffi::CString::new(code) else { return false };
    // SAFETY: the callers run inside this thread's open request and a zend_try; `code` and `name` are C strings alive for the call.
    unsafe { ext_php_rs::ffi::zend_eval_string(code.as_ptr(), std::ptr::null_mut(), name.as_ptr()) == 0 }
}

