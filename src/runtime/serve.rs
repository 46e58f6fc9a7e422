//! The worker side of `Folk\Worker::serve()`: on a worker thread, take jobs
//! from the slot, call the PHP handler, answer. A fatal error inside the
//! handler is caught here (the job gets its error), then re-raised so the
//! worker script ends and the thread is replaced: its state is not trusted.
//! It also owns the thread's worker context, which `handle` (for
//! `Folk\Worker::handleRequest()`) and `wait` (`Folk\Worker::waitRequest()`)
//! share; a request `waitRequest()` left open lives in it, so the runtime
//! that ran the script can answer it however the script ended (`leave`).

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use ext_php_rs::ffi::zend_execute_data;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ExecutorGlobals, bailout, try_catch};

use super::php;
use super::grpc;
use super::handle;
use super::sapi::{self, Options, Script, Serving, WorkerRequest};
use crate::bridge::zval::{to_value, to_zval};
use crate::error::{BridgeError, WorkError, fmt_duration};
use crate::pool::spool;
use crate::pool::{Job, KillFlag, KillLevel, KillReason, RecycleReason, WorkerLink};

/// Why `serve()` cannot run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "Folk\\Worker::{0}() only works in a worker script started by folk (new Folk\\Pool('worker.php') or Folk\\Server); this script runs in plain PHP"
    )]
    NotAWorker(&'static str),
    #[error("Folk\\Worker::serve() was already called in this worker")]
    AlreadyServing,
    #[error("Folk\\Worker::serve() expects a callable handler, got {0}")]
    NotCallable(String),
    #[error(
        "Folk\\Worker::{0}() serves HTTP requests: it works in the worker script of a Folk\\Server with HTTP enabled, not in a Folk\\Pool worker (use Folk\\Worker::serve() there)"
    )]
    NotAWebWorker(&'static str),
    #[error("Folk\\Worker::{0}() cannot be used in a worker that already called Folk\\Worker::{1}(): a worker script uses one of them")]
    MixedModes(&'static str, &'static str),
    #[error("Folk\\Worker::handleRequest() expects a callable handler, got {0}")]
    HandlerNotCallable(String),
    #[error(
        "Folk\\Worker::{0}() cannot run inside a Fiber: a request or job it holds open would outlive the Fiber's suspension; call it from the worker script's main flow"
    )]
    InFiber(&'static str),
    #[error(
        "Folk\\Worker::waitRequest() cannot be called from the job handler it runs: that job would wait for the next request inside itself; return from the job handler instead"
    )]
    WaitInJob,
    #[error("Folk\\Worker::waitRequest() expects a callable or null as the job handler, got {0}")]
    JobsNotCallable(String),
}

/// What the worker script has done with its link so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Booting: neither serve() nor handleRequest() was called yet.
    Fresh,
    /// serve() took over the loop.
    Serving,
    /// handleRequest() serves one HTTP request per call.
    Handling,
    /// waitRequest() opens one HTTP request per call; the script's own code
    /// answers it (until the next call, endRequest(), or the script's end).
    Waiting,
    /// The worker was told to leave (or never booted): every later call returns at once.
    Left,
}

/// How this worker's HTTP requests run (worker mode of a `Folk\Server`);
/// None for `Folk\Pool` workers.
#[derive(Debug, Clone)]
pub struct WebWorker {
    pub options: Options,
    /// The script a request runs as when the HTTP side named none (no `http.root`).
    pub script: Script,
}

pub(super) struct Ctx {
    pub(super) link: WorkerLink,
    pub(super) kill: Arc<KillFlag>,
    soft_delivered: Cell<bool>,
    pub(super) mode: Cell<Mode>,
    pub(super) web: Option<WebWorker>,
    /// Set when the worker started serving (its baseline taken, web INI values set).
    serving: RefCell<Option<Serving>>,
    pub(super) failure: RefCell<Option<String>>,
    /// The request waitRequest() opened, until it is answered. Here and not
    /// in a Rust frame: the script's code runs with it open, and a bailout
    /// skips every frame between it and the script's top level.
    pub(super) open: RefCell<Option<WorkerRequest>>,
    /// waitRequest() is running a job handler (it may not be re-entered).
    pub(super) in_wait: Cell<bool>,
}

thread_local! {
    static CTX: RefCell<Option<Rc<Ctx>>> = const { RefCell::new(None) };
}

/// What the worker script did with its link.
pub struct Outcome {
    pub served: bool,
    /// It served HTTP requests with handleRequest() or waitRequest() and
    /// was never told to leave when it ended: the script ended its loop itself.
    pub handled: bool,
    /// It started serving: the caller ends that with `sapi::stop_serving`
    /// inside the PHP request (the main thread gets php-cli's INI values back).
    pub serving: Option<Serving>,
    pub failure: Option<String>,
}

/// Binds this thread to its slot while the worker script runs.
pub struct Entered(());

pub fn enter(link: WorkerLink, web: Option<WebWorker>) -> Entered {
    let ctx = Ctx {
        kill: link.kill_flag(),
        link,
        soft_delivered: Cell::new(false),
        mode: Cell::new(Mode::Fresh),
        web,
        serving: RefCell::new(None),
        failure: RefCell::new(None),
        open: RefCell::new(None),
        in_wait: Cell::new(false),
    };
    CTX.with(|c| *c.borrow_mut() = Some(Rc::new(ctx)));
    Entered(())
}

/// How the worker script ended, as the runtime that ran it saw it: what a
/// request it left open is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptEnd {
    /// It returned: the output so far is the response.
    Returned,
    /// exit(): the output so far is the response; the worker is replaced.
    Exited,
    /// An uncaught exception is still pending: a bare 500.
    Uncaught,
    /// A fatal error, a hard interrupt, or an uncaught exception the
    /// script's top level already reported: a bare 500 (504 past exec_timeout).
    Failed,
}

impl ScriptEnd {
    /// A thread worker's script, run by php_execute_script(): `completed` is
    /// what it returned (None: a bailout escaped it). It takes an exit()'s
    /// unwind and catches a fatal error's bailout itself, reporting an
    /// uncaught exception as a fatal error: only the last error tells an
    /// exit() from the others.
    pub fn of_thread_script(completed: Option<bool>, last_error_fatal: bool) -> ScriptEnd {
        match completed {
            Some(true) => ScriptEnd::Returned,
            Some(false) if !last_error_fatal => ScriptEnd::Exited,
            _ => ScriptEnd::Failed,
        }
    }

    /// The main thread's script, run by zend_eval_string(), which leaves an
    /// exit()'s unwind or an uncaught exception pending.
    pub fn of_main_script(bailed_out: bool, exit_pending: bool, exception_pending: bool) -> ScriptEnd {
        match (bailed_out, exit_pending, exception_pending) {
            (true, _, _) => ScriptEnd::Failed,
            (false, true, _) => ScriptEnd::Exited,
            (false, false, true) => ScriptEnd::Uncaught,
            (false, false, false) => ScriptEnd::Returned,
        }
    }
}

/// Unbinds the worker context. A request the script left open is answered
/// first, as `end` says: never left hanging, whatever unwound the script.
/// Call inside the thread's PHP request, before `sapi::stop_serving`.
pub fn leave(_: Entered, end: ScriptEnd) -> (WorkerLink, Outcome) {
    let left_open = CTX.with(|c| c.borrow().as_ref().and_then(|ctx| ctx.open.borrow_mut().take()));
    if let Some(open) = left_open {
        let ctx = current().expect("leave() after enter()");
        let ended = match end {
            ScriptEnd::Returned => handle::Ended::Returned,
            ScriptEnd::Exited => handle::Ended::Exited,
            ScriptEnd::Uncaught => handle::Ended::Uncaught,
            ScriptEnd::Failed => handle::Ended::Bailout,
        };
        // Every PHP entry of the close is guarded on the C side; this catches
        // anything else, since a thread worker's script has no zend_try around it any more.
        let closed = try_catch(AssertUnwindSafe(|| {
            handle::close(&ctx, open, ended);
        }));
        if closed.is_err() {
            *ctx.failure.borrow_mut() = Some("closing the request the worker script left open bailed out".into());
        }
    }
    let rc = CTX.with(|c| c.borrow_mut().take()).expect("leave() after enter()");
    // serve() drops its clone before any re-raised bailout, so this is the last one.
    let ctx = Rc::try_unwrap(rc).unwrap_or_else(|_| panic!("worker context still borrowed at exit"));
    let mode = ctx.mode.get();
    let outcome = Outcome {
        served: mode != Mode::Fresh,
        handled: matches!(mode, Mode::Handling | Mode::Waiting),
        serving: ctx.serving.into_inner(),
        failure: ctx.failure.into_inner(),
    };
    (ctx.link, outcome)
}

impl Ctx {
    /// The worker finished booting and serves from now on (its first
    /// serve() or handleRequest() call); false if its slot says leave.
    pub(super) fn start_serving(&self) -> bool {
        if !self.link.booted() {
            return false;
        }
        let web = self.web.as_ref().map(|w| &w.options);
        *self.serving.borrow_mut() = Some(sapi::start_serving(web));
        true
    }
}

/// The worker context of this thread, if it runs a worker script.
pub(super) fn current() -> Option<Rc<Ctx>> {
    CTX.with(|c| c.borrow().clone())
}

/// Whether this thread is a folk worker (used to refuse nested pools, for one).
pub fn in_worker() -> bool {
    CTX.with(|c| c.borrow().is_some())
}

pub(super) enum End {
    /// The worker was told to leave; `serve()` returns normally.
    Leave,
    /// `exit()` in the handler: its unwind exception is still pending and ends the script.
    Exit,
    /// A fatal error (or hard interrupt) in the handler: re-raise it.
    Bailout,
}

pub fn serve(handler: &Zval) -> Result<(), ServeError> {
    let ctx = current().ok_or(ServeError::NotAWorker("serve"))?;
    match ctx.mode.get() {
        Mode::Fresh => {}
        Mode::Serving => return Err(ServeError::AlreadyServing),
        Mode::Left => return Ok(()),
        Mode::Handling => return Err(ServeError::MixedModes("serve", "handleRequest")),
        Mode::Waiting => return Err(ServeError::MixedModes("serve", "waitRequest")),
    }
    if !handler.is_callable() {
        return Err(ServeError::NotCallable(handler.get_type().to_string()));
    }
    if php::in_fiber() {
        return Err(ServeError::InFiber("serve"));
    }
    ctx.mode.set(Mode::Serving);
    let end = if ctx.start_serving() { serve_jobs(&ctx, handler) } else { End::Leave };
    ctx.mode.set(Mode::Left);
    // No Rust value of this frame may outlive a longjmp.
    drop(ctx);
    match end {
        End::Leave | End::Exit => Ok(()),
        // SAFETY: this frame's Rust values are dropped (above); the worker script's zend_try catches the jump.
        End::Bailout => unsafe { bailout() },
    }
}

fn serve_jobs(ctx: &Ctx, handler: &Zval) -> End {
    while let Some(job) = ctx.link.next_job() {
        if let Some(end) = run_job(ctx, handler, job) {
            return end;
        }
    }
    End::Leave
}

/// Runs one job with `handler($method, $payload)` and answers it. Some: the
/// worker must stop (how); None: it takes the next job.
pub(super) fn run_job(ctx: &Ctx, handler: &Zval, mut job: Job) -> Option<End> {
    // An HTTP request's body over `http.body_buffer` waited in a file; the
    // handler gets it as the `body` string, read now that a worker runs it.
    if job.method == sapi::HTTP_JOB
        && let Err(e) = spool::inline(&mut job.payload)
    {
        let reason = format!("cannot read the request body back from its temporary file: {e}");
        ctx.link.finish(Err(WorkError::Bridge(BridgeError { path: "payload.body".into(), reason })), 0);
        return None;
    }
    let mut args = [Zval::new(), to_zval(&job.payload)];
    if args[0].set_string(&job.method, false).is_err() {
        ctx.link.finish(Err(WorkError::WorkerDied("cannot pass the method name to PHP".into())), 0);
        return None;
    }
    // A gRPC call's answer may stream: its reply takes the head early.
    let grpc_reply = (job.method == crate::pool::grpc::GRPC_JOB).then(|| job.reply.clone());
    drop(job);
    let mut retval = Zval::new();
    let fname = handler as *const Zval as *mut Zval;
    let argv = args.as_mut_ptr();
    let rv = &raw mut retval;
    sapi::job_begin();
    // Only a raw call inside the zend_try: nothing here needs dropping if it longjmps.
    // SAFETY: `handler` is callable, `args` holds two initialized zvals and `retval` an empty one, all alive for the call.
    let called = try_catch(AssertUnwindSafe(|| unsafe {
        ext_php_rs::ffi::_call_user_function_impl(std::ptr::null_mut(), fname, rv, 2, argv, std::ptr::null_mut())
    }));
    if called.is_err() {
        // The engine state after a bailout is not to be touched; the request
        // shutdown frees these.
        std::mem::forget(args);
        std::mem::forget(retval);
        return Some(lost_to_bailout(ctx));
    }
    drop(args);
    if php::exit_pending() {
        let status = ExecutorGlobals::get().exit_status;
        return Some(lost_to_exit(ctx, format!("exit() was called in the job handler (status {status}); the worker is replaced")));
    }
    if let Some(ex) = ExecutorGlobals::take_exception() {
        if ctx.kill.load() != KillLevel::None {
            let (error, reason) = bailout_error(ctx);
            ctx.link.fail_and_leave(error, reason);
            return Some(End::Leave);
        }
        if grpc_reply.is_some()
            && let Some(status) = grpc::thrown_status(&ex)
        {
            drop(ex);
            return finish_job(ctx, Ok(status));
        }
        let error = describe_exception(&ex);
        drop(ex);
        return finish_job(ctx, Err(error));
    }
    // jsonSerialize() in the result runs user code: it may bail out or exit() too.
    let rv = &retval;
    // Out here, so a bailout mid-stream still drops it: the client sees the stream cut short.
    let mut sink = None;
    let converted = try_catch(AssertUnwindSafe(|| match &grpc_reply {
        Some(reply) => grpc::answer(rv, reply, &ctx.kill, &mut sink),
        None => to_value(rv, "result").map_err(WorkError::from),
    }));
    drop(sink);
    let Ok(result) = converted else {
        std::mem::forget(retval);
        return Some(lost_to_bailout(ctx));
    };
    drop(retval);
    if php::exit_pending() {
        return Some(lost_to_exit(ctx, "exit() was called while converting the job's result; the worker is replaced".into()));
    }
    if grpc_reply.is_some() && ctx.kill.load() != KillLevel::None {
        // Interrupted while streaming: the stream got its status; the worker is replaced.
        let (error, reason) = bailout_error(ctx);
        ctx.link.fail_and_leave(error, reason);
        return Some(End::Leave);
    }
    finish_job(ctx, result)
}

/// Answers a job that ended normally, once the thread is back at its
/// baseline; a failed reset retires the worker (its state is not trusted).
fn finish_job(ctx: &Ctx, result: Result<crate::bridge::Value, WorkError>) -> Option<End> {
    if !sapi::job_end() {
        *ctx.failure.borrow_mut() = Some("the worker's state could not be reset after a job (PHP bailed out); it is replaced".into());
        ctx.link.end_and_leave(result, RecycleReason::Fatal);
        return Some(End::Leave);
    }
    ctx.link.finish(result, php::memory_usage());
    None
}

/// A bailout ended the job: answer it, and end the worker (re-raised by serve()).
pub(super) fn lost_to_bailout(ctx: &Ctx) -> End {
    let (error, reason) = bailout_error(ctx);
    *ctx.failure.borrow_mut() = Some(error.to_string());
    ctx.link.fail_and_leave(error, reason);
    End::Bailout
}

/// exit() is pending: answer the job; the unwind exception then ends the script.
fn lost_to_exit(ctx: &Ctx, msg: String) -> End {
    *ctx.failure.borrow_mut() = Some(msg.clone());
    ctx.link.fail_and_leave(WorkError::WorkerDied(msg), RecycleReason::Exit);
    End::Exit
}

/// What a job that lost its worker gets: our own interrupt, or the fatal error PHP reported.
pub(super) fn bailout_error(ctx: &Ctx) -> (WorkError, RecycleReason) {
    match ctx.link.kill_reason() {
        Some(KillReason::ExecTimeout) => {
            (WorkError::Timeout(ctx.link.exec_timeout().unwrap_or(Duration::ZERO)), RecycleReason::Timeout)
        }
        Some(KillReason::Shutdown) => (WorkError::ShutDown, RecycleReason::Timeout),
        _ => {
            let why = php::last_error().unwrap_or_else(|| "the engine bailed out".into());
            (WorkError::WorkerDied(format!("PHP Fatal error: {why}")), RecycleReason::Fatal)
        }
    }
}

pub(super) fn describe_exception(ex: &ZendObject) -> WorkError {
    let class = ex.get_class_name().unwrap_or_else(|_| "Throwable".into());
    let call = |m: &str| ex.try_call_method(m, vec![]).ok();
    let message = call("getMessage").and_then(|z| z.string()).unwrap_or_default();
    let file = call("getFile").and_then(|z| z.string()).unwrap_or_default();
    let line = call("getLine").and_then(|z| z.long()).unwrap_or(0);
    WorkError::Application { class, message, file, line }
}

static mut PREV_INTERRUPT: Option<php::InterruptFn> = None;
/// Throws `Folk\Exception\TimeoutException`; given by `api` at module startup.
static THROW_TIMEOUT: OnceLock<fn(&str)> = OnceLock::new();

/// How a worker that was asked to stop is made to stop.
enum Stop {
    /// As if the script called exit(): nothing printed, `finally` skipped.
    Exit,
    /// A `TimeoutException` with this message: `finally` blocks run.
    Throw(String),
}

/// Installed as `zend_interrupt_function` at module startup (chained with any
/// previous hook, e.g. pcntl's). On a worker whose slot was asked to stop, it
/// throws a TimeoutException: `finally` blocks run and the stack unwinds.
unsafe extern "C" fn on_interrupt(execute_data: *mut zend_execute_data) {
    let stop = CTX.with(|c| {
        let c = c.borrow();
        let ctx = c.as_ref()?;
        if ctx.kill.load() == KillLevel::None || ctx.soft_delivered.replace(true) {
            return None;
        }
        Some(match ctx.link.kill_reason() {
            // A worker still booting when the pool shuts down has no job and no
            // one to tell: it stops silently (an uncaught TimeoutException would
            // print a fatal error on stdout).
            Some(KillReason::Shutdown) if ctx.mode.get() == Mode::Fresh => Stop::Exit,
            // Its serve()/handleRequest()/waitRequest() loop already returned
            // (the stop came as it booted or between two jobs, and reached PHP
            // only once the call was over): it is on its way out, and its
            // script ends as it chooses, with nothing thrown at it.
            Some(KillReason::Shutdown) if ctx.mode.get() == Mode::Left => return None,
            Some(KillReason::BootTimeout) => Stop::Throw("the worker boot exceeded workers.boot_timeout".to_string()),
            Some(KillReason::Shutdown) => Stop::Throw("the pool is shutting down".to_string()),
            _ => Stop::Throw(format!(
                "the job exceeded workers.exec_timeout ({})",
                fmt_duration(ctx.link.exec_timeout().unwrap_or(Duration::ZERO))
            )),
        })
    });
    match stop {
        Some(_) if !ExecutorGlobals::get().exception.is_null() => {}
        Some(Stop::Exit) => php::throw_exit(),
        Some(Stop::Throw(message)) => {
            if let Some(throw_timeout) = THROW_TIMEOUT.get() {
                throw_timeout(&message);
            }
        }
        None => {}
    }
    // SAFETY: PREV_INTERRUPT only changes at module startup/shutdown, when no PHP runs; `execute_data` is PHP's, unchanged.
    unsafe {
        if let Some(prev) = PREV_INTERRUPT {
            prev(execute_data);
        }
    }
}

/// Module startup: chain our interrupt hook, which throws with `throw_timeout`.
pub fn install_interrupt_hook(throw_timeout: fn(&str)) {
    // Set once per process: a repeated startup would pass the same function.
    let _ = THROW_TIMEOUT.set(throw_timeout);
    // SAFETY: module startup runs before any worker exists, so no thread reads either hook while they change.
    unsafe {
        PREV_INTERRUPT = ext_php_rs::ffi::zend_interrupt_function;
        ext_php_rs::ffi::zend_interrupt_function = Some(on_interrupt);
    }
}

/// Module shutdown: restore the previous hook.
pub fn remove_interrupt_hook() {
    // SAFETY: module shutdown runs after every pool's workers were joined, so no thread reads the hook as it changes.
    unsafe {
        ext_php_rs::ffi::zend_interrupt_function = PREV_INTERRUPT;
    }
}

#[cfg(test)]
mod tests {
    use super::ScriptEnd;

    #[test]
    fn a_thread_script_that_did_not_complete_ended_by_exit_unless_its_last_error_was_fatal() {
        assert_eq!(ScriptEnd::of_thread_script(Some(true), false), ScriptEnd::Returned);
        // A warning earlier in the request is no fatal error: an exit() still sends the output so far.
        assert_eq!(ScriptEnd::of_thread_script(Some(false), false), ScriptEnd::Exited);
        assert_eq!(ScriptEnd::of_thread_script(Some(false), true), ScriptEnd::Failed);
        assert_eq!(ScriptEnd::of_thread_script(None, false), ScriptEnd::Failed);
        assert_eq!(ScriptEnd::of_thread_script(None, true), ScriptEnd::Failed);
    }

    #[test]
    fn a_main_thread_script_ends_as_what_is_left_pending_says() {
        assert_eq!(ScriptEnd::of_main_script(false, false, false), ScriptEnd::Returned);
        // exit()'s unwind is an exception too: it must read as exit(), not as an uncaught exception.
        assert_eq!(ScriptEnd::of_main_script(false, true, true), ScriptEnd::Exited);
        assert_eq!(ScriptEnd::of_main_script(false, false, true), ScriptEnd::Uncaught);
        assert_eq!(ScriptEnd::of_main_script(true, false, false), ScriptEnd::Failed);
        assert_eq!(ScriptEnd::of_main_script(true, true, true), ScriptEnd::Failed);
    }
}
