//! `Folk\Worker::waitRequest()`: the free-standing request, for worker
//! scripts that loop on their own (`while ($req = $psr7->waitRequest())`,
//! as RoadRunner's are) instead of passing a callback to handleRequest().
//! Each call answers the request left open (its output, headers and status
//! are the response), then opens the next one exactly as handleRequest()
//! does, and returns to the script with it open; `endRequest()` and
//! `failRequest()` answer it sooner.
//!
//! Why the open request lives in the worker context (`Ctx::open`) and not
//! in a Rust frame: the script's code runs with it open and no folk frame
//! on the stack, so a fatal error, a hard interrupt or exit() unwinds
//! straight to the script's top level. The runtime that ran the script
//! then answers it (`serve::leave`: 500, 504 past exec_timeout, or the
//! output so far for exit()) and the worker is replaced, as under
//! handleRequest().

use ext_php_rs::types::Zval;
use ext_php_rs::zend::bailout;

use super::handle::{self, Ended, Step};
use super::php;
use super::serve::{self, Ctx, Mode, ServeError};
use crate::error::WorkError;

/// Answers the request left open, then waits for the next HTTP request and
/// opens it. False: the worker must stop (recycle, reload, shutdown); end the
/// script. Other jobs that reach the worker meanwhile run with
/// `jobs($method, $payload)`, or fail with an error saying there is none.
pub fn wait_request(jobs: Option<&Zval>) -> Result<bool, ServeError> {
    let ctx = serve::current().ok_or(ServeError::NotAWorker("waitRequest"))?;
    let Some(web) = ctx.web.clone() else { return Err(ServeError::NotAWebWorker("waitRequest")) };
    match ctx.mode.get() {
        Mode::Left => return Ok(false),
        Mode::Serving => return Err(ServeError::MixedModes("waitRequest", "serve")),
        Mode::Handling => return Err(ServeError::MixedModes("waitRequest", "handleRequest")),
        Mode::Fresh | Mode::Waiting => {}
    }
    if ctx.in_wait.get() {
        return Err(ServeError::WaitInJob);
    }
    if php::in_fiber() {
        return Err(ServeError::InFiber("waitRequest"));
    }
    let jobs = jobs.filter(|j| !j.is_null());
    if let Some(j) = jobs
        && !j.is_callable()
    {
        return Err(ServeError::JobsNotCallable(j.get_type().to_string()));
    }
    if ctx.mode.get() == Mode::Fresh && !ctx.start_serving() {
        ctx.mode.set(Mode::Left);
        return Ok(false);
    }
    ctx.mode.set(Mode::Waiting);
    let mut step = close_open(&ctx, Ended::Returned).unwrap_or(Step::Served);
    if matches!(step, Step::Served) {
        ctx.in_wait.set(true);
        let opened = handle::open_next(&ctx, jobs, &web, "waitRequest");
        ctx.in_wait.set(false);
        match opened {
            Ok(open) => *ctx.open.borrow_mut() = Some(open),
            Err(s) => step = s,
        }
    }
    drop(web);
    finish(ctx, step)
}

/// Answers the open request: its output, headers and status are the
/// response. False if none was open.
pub fn end_request() -> Result<bool, ServeError> {
    let ctx = serve::current().ok_or(ServeError::NotAWorker("endRequest"))?;
    let Some(step) = close_open(&ctx, Ended::Returned) else { return Ok(false) };
    finish(ctx, step).map(|_| true)
}

/// Answers the open request with a bare 500 (its output discarded), logs
/// `message`, and the worker serves on: RoadRunner's `$worker->error()`.
/// False if none was open (the message is logged all the same).
pub fn fail_request(message: &str) -> Result<bool, ServeError> {
    let ctx = serve::current().ok_or(ServeError::NotAWorker("failRequest"))?;
    let open = ctx.open.borrow_mut().take();
    let Some(open) = open else {
        tracing::error!(error = message, "the worker reported an error with no request open");
        return Ok(false);
    };
    let (file, line) = php::executed_location();
    let error = WorkError::Application { class: "Folk\\Worker::failRequest()".into(), message: message.into(), file, line };
    let step = handle::fail(&ctx, open, error);
    finish(ctx, step).map(|_| true)
}

/// Whether waitRequest() left a request open on this thread.
pub fn request_open() -> bool {
    serve::current().is_some_and(|ctx| ctx.open.borrow().is_some())
}

/// Answers the open request as `ended` says; None if none was open.
fn close_open(ctx: &Ctx, ended: Ended) -> Option<Step> {
    // Taken out first: the close runs PHP code, which may call back in here.
    let open = ctx.open.borrow_mut().take()?;
    Some(handle::close(ctx, open, ended))
}

/// What the call returns to PHP, once the worker context is dropped: a
/// fatal error while a request was answered is re-raised from here.
fn finish(ctx: std::rc::Rc<Ctx>, step: Step) -> Result<bool, ServeError> {
    if !matches!(step, Step::Served) {
        ctx.mode.set(Mode::Left);
    }
    // No Rust value of this frame may outlive a longjmp.
    drop(ctx);
    match step {
        Step::Served => Ok(true),
        Step::Leave | Step::Exit => Ok(false),
        // SAFETY: this frame's Rust values are dropped (above); the worker script's zend_try catches the jump.
        Step::Bailout => unsafe { bailout() },
    }
}
