//! One classic request on the calling ZTS thread, in php-fpm's order: bind
//! the context and fill `SG(request_info)`, `php_request_startup()`,
//! `php_execute_script()`, `php_request_shutdown()`, unbind. Each PHP entry
//! runs inside its own zend_try, so no bailout longjmps across Rust frames.
//! The type is the order: `start` → `Running::execute` → `Running::shutdown`.

use std::ffi::{CString, c_char};

use ext_php_rs::ffi::{ext_php_rs_executor_globals, ext_php_rs_process_globals, ext_php_rs_sapi_globals};
use ext_php_rs::zend::try_catch_first;

use super::context::{self, Exchange};
use super::output::Deliver;
use super::ffi;
use super::ini::Options;
use super::output::Outcome;
use super::request::WebRequest;
use crate::pool::stream::Offer;
use crate::runtime::php;

/// How the script ended.
#[derive(Debug, PartialEq)]
pub enum Ran {
    /// It returned, or called exit()/die(): the output so far is the response.
    Completed,
    /// A fatal error, an uncaught exception or a memory_limit: PHP's message.
    Fatal(String),
    /// Stopped at an output after the client left (php-fpm's
    /// `php_handle_aborted_connection` without `ignore_user_abort`): PHP's
    /// own routine bailout, after which the request shuts down normally.
    Aborted,
}

/// Why a request could not run or finish; the thread is not to be trusted after it.
#[derive(Debug, thiserror::Error)]
pub enum CycleError {
    #[error("PHP request startup failed for {script}: {why}")]
    Startup { script: String, why: String },
    #[error("PHP request shutdown did not complete for {script} (a fatal error escaped it)")]
    Shutdown { script: String },
}

/// A started request: its context is bound to this thread until `shutdown`.
pub struct Running {
    bound: Bound,
}

/// An exchange bound to this thread (`SG(server_context)` and
/// `SG(request_info)` point into it) until `close`, or until dropped: a
/// request dropped without its shutdown (never on purpose) must not leave
/// PHP pointing into freed memory.
pub(super) struct Bound(Option<Box<Exchange>>);

impl Bound {
    pub(super) fn exchange(&self) -> Option<&Exchange> {
        self.0.as_deref()
    }

    /// Clears every pointer PHP holds into the exchange, then hands it back.
    pub(super) fn close(&mut self) -> Option<Box<Exchange>> {
        let exchange = self.0.take()?;
        clear_request_info();
        context::unbind();
        Some(exchange)
    }

    /// How the request's output ended, once PHP is done with it; the error names its script.
    pub(super) fn into_outcome(mut self, completed: bool) -> Result<Outcome, CycleError> {
        match (completed, self.close()) {
            (true, Some(exchange)) => Ok(exchange.into_outcome()),
            (_, exchange) => Err(CycleError::Shutdown {
                script: exchange.map(|e| e.info.path_translated.to_string_lossy().into_owned()).unwrap_or_default(),
            }),
        }
    }
}

impl Drop for Bound {
    fn drop(&mut self) {
        self.close();
    }
}

/// Binds `request` to this thread and starts PHP's request (RINIT, POST and
/// cookie parsing, superglobals). `deliver` answers the client early if the
/// script calls fastcgi_finish_request() or starts streaming into the stream `offer` opens.
pub fn start(request: WebRequest, options: Options, deliver: Deliver, offer: Option<Offer>) -> Result<Running, CycleError> {
    let (script, bound, auth) = bind(request, options, deliver, offer);
    let running = Running { bound };
    // SAFETY: no request is open on this thread and its globals exist; `auth`
    // points into the bound exchange, alive until shutdown. As php-fpm, auth
    // data is parsed first (its strings are freed by sapi_deactivate).
    let started = try_catch_first(|| unsafe {
        ffi::php_handle_auth_data(auth);
        php::php_request_startup()
    });
    if matches!(started, Ok(0)) {
        return Ok(running);
    }
    let why = php::last_error().unwrap_or_else(|| "php_request_startup() failed".into());
    // Whatever startup left open is closed the way FrankenPHP does it; the caller retires the thread.
    if let Err(e) = running.shutdown() {
        tracing::warn!(error = %e, "after a failed request startup");
    }
    Err(CycleError::Startup { script, why })
}

/// The exchange of `request`, bound to this thread with `SG(request_info)`
/// filled; also its script's name (for errors) and the Authorization header
/// as PHP's auth parser takes it (NULL if none), which points into the
/// exchange and lives as long as it stays bound.
pub(super) fn bind(request: WebRequest, options: Options, deliver: Deliver, offer: Option<Offer>) -> (String, Bound, *const c_char) {
    let script = String::from_utf8_lossy(&request.script.filename).into_owned();
    let exchange = Box::new(Exchange::new(request, options, deliver, offer));
    context::bind(&exchange);
    fill_request_info(&exchange);
    let auth = exchange.info.authorization.as_ref().map_or(std::ptr::null(), |a| a.as_ptr());
    (script, Bound(Some(exchange)), auth)
}

/// What `sapi_activate()` reads: set before `php_request_startup()`.
fn fill_request_info(exchange: &Exchange) {
    let info = &exchange.info;
    // SAFETY: this thread's SAPI globals; the strings live in the exchange, which stays bound (and alive) until `close()` clears these pointers.
    unsafe {
        let sg = &mut *ext_php_rs_sapi_globals();
        let ri = &mut sg.request_info;
        ri.request_method = info.method.as_ptr();
        ri.query_string = info.query.as_ptr().cast_mut();
        ri.request_uri = info.uri.as_ptr().cast_mut();
        ri.path_translated = info.path_translated.as_ptr().cast_mut();
        ri.content_type = info.content_type.as_ptr();
        ri.content_length = exchange.content_length() as _;
        ri.cookie_data = std::ptr::null_mut();
        ri.argc = 0;
        ri.argv = std::ptr::null_mut();
        // The engine never resets it: without this a 404 would stick to the thread.
        sg.sapi_headers.http_response_code = 200;
    }
}

impl Running {
    fn exchange(&self) -> Option<&Exchange> {
        self.bound.exchange()
    }

    /// Runs the script (it chdirs to the script's directory, as php-fpm).
    pub fn execute(&self) -> Ran {
        // Only `shutdown` (which consumes self) empties it.
        let Some(exchange) = self.exchange() else { return Ran::Fatal("the request was already shut down".into()) };
        if let Some(status) = exchange.unrunnable {
            return not_run(status);
        }
        let path: &CString = &exchange.info.path_translated;
        // SAFETY: this thread's executor globals, inside its open request.
        unsafe { (*ext_php_rs_executor_globals()).exit_status = 0 };
        let ran = try_catch_first(|| php::execute_script(path));
        // SAFETY: this thread's core globals, read for two fields.
        let (last, status) = unsafe { ((*ext_php_rs_process_globals()).last_error_type as u32, (*ext_php_rs_process_globals()).connection_status) };
        match ran {
            _ if last & php::FATAL_ERRORS != 0 => Ran::Fatal(php::last_error().unwrap_or_else(|| "a fatal error".into())),
            Err(_) if status & ffi::PHP_CONNECTION_ABORTED != 0 => Ran::Aborted,
            Err(_) => Ran::Fatal("the engine bailed out".into()),
            Ok(_) => Ran::Completed,
        }
    }

    /// Ends PHP's request (shutdown functions, destructors, output buffers,
    /// headers, RSHUTDOWN, upload temp files) and unbinds the context. How
    /// the output ended: a whole response, a stream to end, or answered already.
    pub fn shutdown(self) -> Result<Outcome, CycleError> {
        // SAFETY: the request `start` opened is still open on this thread, and nothing of it is used after this.
        let done = try_catch_first(|| unsafe { php::php_request_shutdown(std::ptr::null_mut()) });
        self.bound.into_outcome(done.is_ok())
    }
}

/// A FastCGI request php-fpm answers without running a script, with its
/// status and words: no such script ("Primary script unknown"), or one
/// whose extension is not a PHP one (`security.limit_extensions`).
fn not_run(status: u16) -> Ran {
    let words: &[u8] = if status == 403 { b"Access denied.\n" } else { b"File not found.\n" };
    let wrote = try_catch_first(|| {
        // SAFETY: this thread's open request: its SAPI globals and output layer exist; `words` outlives the call.
        unsafe {
            (*ext_php_rs_sapi_globals()).sapi_headers.http_response_code = i32::from(status);
            ffi::php_output_write(words.as_ptr().cast(), words.len());
        }
    });
    match wrote {
        Ok(()) => Ran::Completed,
        Err(_) => Ran::Fatal("the engine bailed out while answering an unrunnable FastCGI request".into()),
    }
}

/// Clears every pointer `fill_request_info` gave PHP into an exchange.
pub(super) fn clear_request_info() {
    // SAFETY: this thread's SAPI globals; only folk's own pointers are cleared (auth strings are PHP's, freed by sapi_deactivate).
    unsafe {
        let ri = &mut (*ext_php_rs_sapi_globals()).request_info;
        ri.request_method = std::ptr::null();
        ri.query_string = std::ptr::null_mut();
        ri.request_uri = std::ptr::null_mut();
        ri.path_translated = std::ptr::null_mut();
        ri.content_type = std::ptr::null();
        ri.cookie_data = std::ptr::null_mut();
        ri.content_length = 0;
    }
}
