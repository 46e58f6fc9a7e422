//! `Folk\Worker::handleRequest()`: worker mode for unmodified front
//! controllers. The application boots once; each call waits for the next
//! HTTP request, opens it as PHP's own request state (superglobals, headers,
//! output, session: `sapi::begin_worker_request`), calls the handler, sends
//! what it produced, and closes that state again, so nothing request-scoped
//! reaches the next request on this thread.
//!
//! How a request ends decides the worker's fate: a returned handler keeps
//! it; `exit()` answers with the output so far and retires it; a fatal
//! error, a timeout or a failed request cycle answers 500/504/503 and
//! retires it (its state is not trusted). An uncaught exception answers
//! 500 and keeps it: the exception unwound the handler cleanly.
//!
//! Opening a request (`open_next`) and answering it (`close`) are shared
//! with the free-standing requests of `Folk\Worker::waitRequest()` (`wait`).

use std::panic::AssertUnwindSafe;

use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ExecutorGlobals, bailout, try_catch};

use super::php;
use super::sapi::{self, HTTP_JOB, WebRequest, WorkerRequest};
use super::serve::{self, Ctx, End, Mode, ServeError, WebWorker, bailout_error, describe_exception, lost_to_bailout};
use crate::bridge::Value;
use crate::error::{BridgeError, WorkError};
use crate::pool::stream::Offer;
use crate::pool::{KillLevel, RecycleReason};

/// How one call ended.
pub(super) enum Step {
    /// A request was served; the worker stays.
    Served,
    /// The worker must stop: handleRequest() returns false.
    Leave,
    /// exit() is pending: it returns false and the unwind ends the script.
    Exit,
    /// A fatal error: re-raised once this frame's values are gone.
    Bailout,
}

/// Serves one HTTP request with `handler`. False: the worker must stop (the
/// script should end); a fatal error in the handler never returns. Other
/// jobs that reach the worker meanwhile (the jobs plugin's, a reload's)
/// run with `jobs($method, $payload)` as under serve(), if it is given.
pub fn handle_request(handler: &Zval, jobs: Option<&Zval>) -> Result<bool, ServeError> {
    let ctx = serve::current().ok_or(ServeError::NotAWorker("handleRequest"))?;
    let Some(web) = ctx.web.clone() else { return Err(ServeError::NotAWebWorker("handleRequest")) };
    match ctx.mode.get() {
        Mode::Left => return Ok(false),
        Mode::Serving => return Err(ServeError::MixedModes("handleRequest", "serve")),
        Mode::Waiting => return Err(ServeError::MixedModes("handleRequest", "waitRequest")),
        Mode::Fresh | Mode::Handling => {}
    }
    if !handler.is_callable() {
        return Err(ServeError::HandlerNotCallable(handler.get_type().to_string()));
    }
    if php::in_fiber() {
        return Err(ServeError::InFiber("handleRequest"));
    }
    let jobs = jobs.filter(|j| !j.is_null());
    if let Some(j) = jobs
        && !j.is_callable()
    {
        return Err(ServeError::HandlerNotCallable(j.get_type().to_string()));
    }
    if ctx.mode.get() == Mode::Fresh && !ctx.start_serving() {
        ctx.mode.set(Mode::Left);
        return Ok(false);
    }
    ctx.mode.set(Mode::Handling);
    let step = one_request(&ctx, handler, jobs, &web);
    if !matches!(step, Step::Served) {
        ctx.mode.set(Mode::Left);
    }
    // No Rust value of this frame may outlive a longjmp.
    drop(ctx);
    drop(web);
    match step {
        Step::Served => Ok(true),
        Step::Leave | Step::Exit => Ok(false),
        // SAFETY: this frame's Rust values are dropped (above); the worker script's zend_try catches the jump.
        Step::Bailout => unsafe { bailout() },
    }
}

fn one_request(ctx: &Ctx, handler: &Zval, jobs: Option<&Zval>, web: &WebWorker) -> Step {
    let open = match open_next(ctx, jobs, web, "handleRequest") {
        Ok(open) => open,
        Err(step) => return step,
    };
    let ended = match call(handler) {
        Called::Returned => Ended::Returned,
        Called::Bailout => Ended::Bailout,
    };
    close(ctx, open, ended)
}

/// Takes the worker's next jobs until an HTTP request comes, and opens it
/// (superglobals, php://input, headers, output, session). Other jobs run
/// meanwhile with `jobs($method, $payload)`, or fail with an error naming
/// `api` (the Folk\Worker method) when there is none. Err: the worker must
/// stop, how.
pub(super) fn open_next(ctx: &Ctx, jobs: Option<&Zval>, web: &WebWorker, api: &str) -> Result<WorkerRequest, Step> {
    loop {
        let Some(job) = ctx.link.next_job() else { return Err(Step::Leave) };
        if job.method != HTTP_JOB
            && let Some(jobs) = jobs
        {
            if !sapi::clear_request_globals() {
                tracing::warn!("the superglobals could not be cleared before a job; it runs with the last request's");
            }
            match serve::run_job(ctx, jobs, job) {
                None => continue,
                Some(End::Bailout) => return Err(Step::Bailout),
                Some(End::Exit) => return Err(Step::Exit),
                Some(End::Leave) => return Err(Step::Leave),
            }
        }
        if job.method != HTTP_JOB {
            let reason = format!(
                "a worker that serves with Folk\\Worker::{api}() without a job handler takes HTTP requests only, got a \"{}\" job (pass one as the $jobs argument of {api}())",
                job.method
            );
            ctx.link.finish(Err(WorkError::Bridge(BridgeError { path: "method".into(), reason })), 0);
            continue;
        }
        let request = match WebRequest::from_worker_payload(job.payload, &web.script) {
            Ok(r) => r,
            Err(e) => {
                ctx.link.finish(Err(WorkError::Bridge(e)), 0);
                continue;
            }
        };
        let early = job.reply.clone();
        let deliver = Box::new(move |response: Value| {
            early.complete(Ok(response));
        });
        // The client may leave meanwhile: the HTTP side then abandons the reply.
        let offer = request.stream.map(|patience| Offer::new(job.reply.clone(), ctx.link.kill_flag(), patience));
        return match sapi::begin_worker_request(request, web.options, deliver, offer) {
            Ok(open) => Ok(open),
            Err(e) => Err(retire(ctx, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal)),
        };
    }
}

/// How the PHP code that served an open request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ended {
    /// It returned (a handler, or the code after waitRequest() asked to
    /// close): an exit() or an exception may be pending.
    Returned,
    /// exit() ended the worker script, whose top level already took its
    /// unwind (a thread worker's php_execute_script()).
    Exited,
    /// An uncaught exception (still pending) ended the worker script.
    Uncaught,
    /// A fatal error (or a hard interrupt) unwound it.
    Bailout,
}

/// Answers and closes the open request as `ended` says, and tells whether
/// the worker stays (`Step::Served`).
pub(super) fn close(ctx: &Ctx, open: WorkerRequest, ended: Ended) -> Step {
    let mut ended = ended;
    // Set aside while the request's shutdown functions run (they cannot
    // run with an exception pending), as php-fpm runs them after one too.
    let mut thrown = None;
    if ended == Ended::Returned && !php::exit_pending() && ctx.kill.load() == KillLevel::None {
        thrown = ExecutorGlobals::take_exception();
        if !sapi::run_request_shutdown_functions() {
            ended = Ended::Bailout;
        }
    }
    if ended == Ended::Bailout {
        // The engine state after a bailout is not to be touched; the request shutdown frees it.
        std::mem::forget(thrown.take());
    }
    match ended {
        Ended::Bailout => {
            // The output is discarded: the client gets folk's bare 500, PHP's message goes to the log.
            if let Err(e) = open.end(false) {
                tracing::debug!(error = %e, "closing a request after a fatal error");
            }
            match lost_to_bailout(ctx) {
                End::Bailout => Step::Bailout,
                _ => Step::Leave,
            }
        }
        Ended::Exited | Ended::Returned if ended == Ended::Exited || php::exit_pending() => {
            // As php-fpm: the output, headers and status so far are the response.
            let status = ExecutorGlobals::get().exit_status;
            let answered = open.end(true);
            let msg = format!("exit() was called in a request handler (status {status}); the worker is replaced");
            tracing::info!("{msg}");
            *ctx.failure.borrow_mut() = Some(msg.clone());
            match answered {
                Ok(outcome) => ctx.link.end_and_leave(Ok(outcome.into_value()), RecycleReason::Exit),
                Err(e) => ctx.link.end_and_leave(Err(WorkError::WorkerDied(e.to_string())), RecycleReason::Exit),
            }
            Step::Exit
        }
        _ if ctx.kill.load() != KillLevel::None => {
            // Timed out (or the pool is stopping): whatever the application
            // made of the TimeoutException, the client gets 504 (503). An
            // exception that ended the script stays for its runtime to report.
            if ended == Ended::Returned {
                drop(ExecutorGlobals::take_exception());
            }
            if let Err(e) = open.end(false) {
                tracing::debug!(error = %e, "closing an interrupted request");
            }
            let (error, reason) = bailout_error(ctx);
            ctx.link.fail_and_leave(error, reason);
            Step::Leave
        }
        Ended::Uncaught => {
            // Still pending: the runtime that ran the script reports it (no
            // method of it may be called while it is).
            if let Err(e) = open.end(false) {
                tracing::debug!(error = %e, "closing a request after an uncaught exception");
            }
            let msg = "the worker script ended with an uncaught exception while a request was open; the client gets a 500";
            tracing::error!("{msg}");
            ctx.link.fail_and_leave(WorkError::WorkerDied(msg.into()), RecycleReason::Fatal);
            Step::Leave
        }
        _ => match thrown.or_else(ExecutorGlobals::take_exception) {
            Some(ex) => {
                let error = describe_exception(&ex);
                drop(ex);
                tracing::error!(error = %error, "uncaught exception in the request handler; the client gets a 500");
                match open.end(false) {
                    Ok(_) => {
                        ctx.link.finish(Err(error), php::memory_usage());
                        Step::Served
                    }
                    Err(e) => retire(ctx, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal),
                }
            }
            None => match open.end(true) {
                Ok(outcome) => {
                    ctx.link.finish(Ok(outcome.into_value()), php::memory_usage());
                    Step::Served
                }
                Err(e) => retire(ctx, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal),
            },
        },
    }
}

/// Answers the open request with a 500 the application asked for
/// (`$error`, a RoadRunner worker's `error()`): its output is discarded and
/// the worker stays. Past `exec_timeout` the client gets 504 instead.
pub(super) fn fail(ctx: &Ctx, open: WorkerRequest, error: WorkError) -> Step {
    if ctx.kill.load() != KillLevel::None {
        return close(ctx, open, Ended::Returned);
    }
    match open.end(false) {
        Ok(_) => {
            ctx.link.finish(Err(error), php::memory_usage());
            Step::Served
        }
        Err(e) => retire(ctx, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal),
    }
}

fn retire(ctx: &Ctx, error: WorkError, reason: RecycleReason) -> Step {
    *ctx.failure.borrow_mut() = Some(error.to_string());
    ctx.link.fail_and_leave(error, reason);
    Step::Leave
}

enum Called {
    Returned,
    Bailout,
}

/// Calls the handler with no arguments; its return value is dropped (its
/// destructors run inside the zend_try too).
fn call(handler: &Zval) -> Called {
    let fname = handler as *const Zval as *mut Zval;
    // Only raw calls inside the zend_try: nothing here needs dropping if it longjmps.
    let called = try_catch(AssertUnwindSafe(|| {
        let mut retval = Zval::new();
        // SAFETY: `handler` is callable and `retval` an empty zval, alive for the call; no arguments.
        unsafe {
            ext_php_rs::ffi::_call_user_function_impl(
                std::ptr::null_mut(),
                fname,
                &raw mut retval,
                0,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
        }
        drop(retval);
    }));
    match called {
        Ok(()) => Called::Returned,
        Err(_) => Called::Bailout,
    }
}
