//! The per-request SAPI layer: folk runs inside php-cli, yet its request
//! threads must behave as php-fpm does. It owns the wrapped `sapi_module`
//! callbacks, `SG(request_info)`, the CGI variables and one request's cycle.
//!
//! Keyed on `SG(server_context)`: only a thread running a folk request gets
//! web behaviour; the main php-cli thread and `Folk\Pool` workers are unchanged.

mod callbacks;
mod cgi;
mod context;
mod execute;
mod ffi;
mod identity;
mod ini;
mod opcache;
mod output;
mod phpinfo;
mod request;
mod response;
mod worker;

pub use execute::{CycleError, Ran, start};
pub use identity::IdentityError;
pub use ini::{Options, max_execution_time, output_buffering, upload_tmp_dir};
pub use opcache::{prepare_for_watch, revalidate_on_this_thread};
pub use output::Outcome;
pub use request::{HTTP_JOB, Script, WebRequest};
pub use worker::{
    InRequest as WorkerRequest, Serving, begin as begin_worker_request, clear_request_globals, job_begin, job_end, run_request_shutdown_functions, start_serving,
    stop_serving,
};

use std::panic::AssertUnwindSafe;

use ext_php_rs::ffi::php_output_end_all;
use ext_php_rs::zend::try_catch;

use crate::runtime::php;

unsafe extern "C" {
    fn folk_web_thread_keep_pcre_cache();
    fn folk_worker_baseline_install();
    fn folk_web_thread_install();
}

/// A fresh folk request thread (classic, or a web worker), before its first
/// request: `PHP_SAPI`/`php_sapi_name()` say "fpm-fcgi", and what PHP set up
/// from the name "cli" for every thread is undone (pcre's per-request
/// compiled-regex cache: `web_thread.c`).
pub fn become_web_thread() -> Result<(), IdentityError> {
    // SAFETY: a fresh thread whose PHP globals exist, before its first request.
    unsafe { folk_web_thread_keep_pcre_cache() };
    identity::become_web_thread()
}

/// Module startup: wrap the SAPI callbacks (before any thread exists).
pub fn install() {
    ini::discover();
    identity::prepare();
    phpinfo::install();
    // SAFETY: module startup, before any thread copies the function table.
    unsafe { folk_worker_baseline_install() };
    // SAFETY: module startup, after ext/standard registered the "php" stream wrapper and before any thread opens a stream.
    unsafe { folk_web_thread_install() };
    callbacks::install();
}

/// Module shutdown: restore php-cli's callbacks.
pub fn uninstall() {
    callbacks::uninstall();
}

/// `fastcgi_finish_request()`: flushes every output buffer, sends the head,
/// hands the response to the client and drops later output; the script
/// runs on. False when no folk request runs on this thread (php-cli, a
/// `Folk\Pool` worker) or it was finished already, as php-fpm.
pub fn finish_request() -> bool {
    match context::current() {
        Some(ex) if !ex.is_delivered() => {}
        _ => return false,
    }
    // The flush runs output handlers, user code that may bail out.
    // SAFETY: inside this thread's folk request (bound context above).
    let flushed = try_catch(AssertUnwindSafe(|| unsafe {
        php_output_end_all();
        ffi::sapi_send_headers();
    }));
    if flushed.is_err() {
        // Nothing of this frame needs dropping; PHP unwinds to its own zend_try.
        php::reraise_bailout();
    }
    // Looked up again: the output handlers could not unbind it, but nothing is held across PHP calls.
    context::current().is_some_and(|ex| ex.deliver_now())
}

/// `getallheaders()`: this request's headers as php-fpm derives them from
/// its CGI variables (Title-Case names, Content-Type/Length included);
/// empty outside a folk request.
pub fn request_headers() -> Vec<(String, Vec<u8>)> {
    let Some(ex) = context::current() else { return Vec::new() };
    ex.cgi()
        .iter()
        .filter_map(|var| Some((cgi::header_title(var.name.to_str().ok()?)?, var.value().to_vec())))
        .collect()
}
