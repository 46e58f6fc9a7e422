//! One HTTP request inside a running worker script, for
//! `Folk\Worker::handleRequest()`: the application booted once and stays;
//! only the request's own state opens and closes around the handler. Unlike
//! classic mode (`execute`) there is no `php_request_startup()` per request:
//! it would wipe the booted application. The engine-side steps are in
//! `worker_request.c` (they need PHP's macros); this module owns the order
//! and the context that the SAPI callbacks answer from.
//!
//! The type is the order: `start_serving` once, then per request
//! `begin` → handler → `InRequest::end`.

use std::ffi::c_int;

use ext_php_rs::zend::try_catch;

use super::output::Deliver;
use super::execute::{Bound, CycleError, bind};
use super::ffi;
use super::ini::Options;
use super::output::Outcome;
use super::request::WebRequest;
use crate::pool::stream::Offer;

unsafe extern "C" {
    fn folk_worker_baseline_take();
    fn folk_worker_baseline_drop();
    fn folk_worker_job_begin();
    fn folk_worker_job_end() -> c_int;
    fn folk_worker_run_request_shutdown_functions() -> c_int;
    fn folk_worker_forget_environment();
    fn folk_worker_close_cli_state() -> c_int;
    fn folk_worker_resume_cli_state() -> c_int;
    fn folk_worker_clear_request_globals() -> c_int;
    fn folk_worker_request_startup() -> c_int;
    fn folk_worker_request_shutdown(keep_output: c_int) -> c_int;
}

/// The worker starts serving (its first `serve()` or `handleRequest()`
/// call): a web worker (`web`, a `Folk\Server` with HTTP) takes the web
/// INI values, then what is in force is the baseline every later job and
/// request starts from (`worker_baseline.c`). The values replaced are
/// handed back for `stop_serving`.
pub fn start_serving(web: Option<&Options>) -> Serving {
    // SAFETY: only resets a thread-local pointer of the C side.
    unsafe { folk_worker_forget_environment() };
    let entered = web.map(super::ini::enter_web).unwrap_or_default();
    // SAFETY: inside the worker's open PHP request, between jobs; it copies engine state and stops the timer.
    unsafe { folk_worker_baseline_take() };
    Serving(entered)
}

/// What `start_serving` changed, for `stop_serving`.
#[derive(Debug, Default)]
pub struct Serving(super::ini::Entered);

/// The worker stops serving (before its PHP request ends). `restore`: the
/// thread's script runs on afterwards (the main php-cli thread), so the INI
/// values `start_serving` replaced come back.
pub fn stop_serving(serving: Serving, restore: bool) {
    // SAFETY: inside the worker's open PHP request, with no job running; it releases what the baseline held.
    unsafe { folk_worker_baseline_drop() };
    if restore {
        super::ini::leave_web(serving.0);
    }
}

/// A job (`serve()`'s, or a background job of a `handleRequest()` worker)
/// begins: PHP's time limit (`max_execution_time`) counts from here.
pub fn job_begin() {
    // SAFETY: inside the worker's open PHP request; it sets this thread's timer and globals only.
    unsafe { folk_worker_job_begin() };
}

/// The job ended: the thread goes back to the baseline (INI, handlers,
/// locale, umask, working directory) and the time limit stops. False if
/// PHP bailed out meanwhile (the worker is not to be trusted).
pub fn job_end() -> bool {
    // SAFETY: inside the worker's open PHP request, with no folk context bound; the C side catches every bailout.
    unsafe { folk_worker_job_end() == 0 }
}

/// The shutdown functions the request registered run now, as at the end of
/// a php-fpm request. False if one bailed out (a fatal error): the caller
/// handles it as a fatal error of the handler.
pub fn run_request_shutdown_functions() -> bool {
    // SAFETY: inside the worker's open request with its context bound; the C side catches every bailout.
    unsafe { folk_worker_run_request_shutdown_functions() == 0 }
}

/// Before a job runs between two requests: the superglobals hold no
/// request's data (the last request's would otherwise stay until the next).
/// False if PHP bailed out while rebuilding them.
pub fn clear_request_globals() -> bool {
    // SAFETY: inside the worker's open PHP request, with no folk context bound; the C side catches every bailout.
    unsafe { folk_worker_clear_request_globals() == 0 }
}

/// A request open inside the worker script: its context stays bound (the
/// SAPI callbacks answer from it) until `end`.
pub struct InRequest {
    bound: Bound,
}

/// Binds `request` to this thread and opens its state: output layer, SAPI
/// (headers, cookies, POST and uploads), superglobals, filter.
pub fn begin(request: WebRequest, options: Options, deliver: Deliver, offer: Option<Offer>) -> Result<InRequest, CycleError> {
    // SAFETY: on a worker thread inside its open PHP request, with no folk context bound yet; the C side catches every bailout.
    if unsafe { folk_worker_close_cli_state() } != 0 {
        let script = String::from_utf8_lossy(&request.script.filename).into_owned();
        let why = "output left in buffers between requests could not be flushed (an output handler bailed out)".into();
        return Err(CycleError::Startup { script, why });
    }
    let (script, bound, auth) = bind(request, options, deliver, offer);
    let open = InRequest { bound };
    // SAFETY: inside the worker's open PHP request with this request's
    // context bound; `auth` points into the bound exchange, alive until `end`.
    // The C side catches its own bailouts; auth parsing is wrapped here, in a
    // nested zend_try (never a first one: it would drop the worker script's).
    let started = try_catch(|| unsafe {
        ffi::php_handle_auth_data(auth);
        folk_worker_request_startup()
    });
    if matches!(started, Ok(0)) {
        return Ok(open);
    }
    let why = crate::runtime::php::last_error().unwrap_or_else(|| "the request's input could not be set up".into());
    if let Err(e) = open.end(false) {
        tracing::warn!(error = %e, "after a failed worker request startup");
    }
    Err(CycleError::Startup { script, why })
}

impl InRequest {
    /// Closes the request and unbinds its context. `keep_output`: the output
    /// so far is the response (a returned handler, exit()); otherwise it is
    /// discarded (a fatal error, a timeout: the client gets folk's error).
    pub fn end(self, keep_output: bool) -> Result<Outcome, CycleError> {
        // SAFETY: the request `begin` opened is still open and bound on this thread; the C side catches every bailout.
        let rc = unsafe { folk_worker_request_shutdown(c_int::from(keep_output)) };
        let outcome = self.bound.into_outcome(rc == 0);
        // SAFETY: the context is unbound (above), so this reopens php-cli's state; the C side catches every bailout.
        if unsafe { folk_worker_resume_cli_state() } != 0 {
            tracing::warn!("php-cli's output layer could not be reopened after a worker-mode request");
        }
        outcome
    }
}
