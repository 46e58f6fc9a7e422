//! `Folk\Worker`: the worker script's side of the API.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::folk_error;
use crate::runtime::{handle, serve, wait};

/// The worker side: a worker script boots once, then calls `serve()`.
#[php_class]
#[php(name = "Folk\\Worker")]
pub struct Worker;

#[php_impl]
impl Worker {
    /// Serves jobs until the worker is told to stop. The handler receives
    /// `(string $method, mixed $payload)` and returns the result.
    pub fn serve(handler: &Zval) -> PhpResult<()> {
        serve::serve(handler).map_err(|e| folk_error(e.to_string()))
    }

    /// Waits for the next HTTP request and serves it with `$handler()`: the
    /// superglobals, php://input, headers, output and session are this
    /// request's while it runs, and are reset when it returns. False: the
    /// worker must stop (recycle, reload, shutdown); end the script. Other
    /// jobs (the jobs plugin's) run meanwhile with `$jobs($method, $payload)`.
    pub fn handle_request(handler: &Zval, jobs: Option<&Zval>) -> PhpResult<bool> {
        handle::handle_request(handler, jobs).map_err(|e| folk_error(e.to_string()))
    }

    /// Answers the request the last call left open (its output, headers and
    /// status are the response), then waits for the next HTTP request and
    /// opens it as handleRequest() does: the superglobals, php://input,
    /// headers, output and session are its own until it is answered (by the
    /// next call, endRequest(), failRequest(), or the end of the script).
    /// False: the worker must stop; end the script. Other jobs run meanwhile
    /// with `$jobs($method, $payload)`.
    pub fn wait_request(jobs: Option<&Zval>) -> PhpResult<bool> {
        wait::wait_request(jobs).map_err(|e| folk_error(e.to_string()))
    }

    /// Answers the open request with its output, headers and status; false
    /// if none is open.
    pub fn end_request() -> PhpResult<bool> {
        wait::end_request().map_err(|e| folk_error(e.to_string()))
    }

    /// Answers the open request with a bare 500 (its output discarded) and
    /// logs `$error`; the worker serves on. False if none is open.
    pub fn fail_request(error: String) -> PhpResult<bool> {
        wait::fail_request(&error).map_err(|e| folk_error(e.to_string()))
    }

    /// Whether waitRequest() left a request open that is not answered yet.
    pub fn is_request_open() -> bool {
        wait::request_open()
    }

    /// Whether this code runs inside a folk worker.
    pub fn is_worker() -> bool {
        serve::in_worker()
    }
}
