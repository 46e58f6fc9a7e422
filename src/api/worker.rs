//! `Folk\Worker`: the worker script's side of the API.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::folk_error;
use crate::runtime::{handle, serve};

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

    /// Whether this code runs inside a folk worker.
    pub fn is_worker() -> bool {
        serve::in_worker()
    }
}
