//! The end of a worker script, however it ended: a request it left open
//! (`waitRequest()`) is answered as the end says, the thread's worker
//! context is unbound, and the runtime that ran the script learns what it
//! did with its link (served, handled HTTP itself, failed).

use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use ext_php_rs::zend::try_catch;

use super::handle;
use super::sapi::Serving;
use super::serve::{self, Entered, Mode, current};
use crate::pool::WorkerLink;

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
    let left_open = current().and_then(|ctx| ctx.open.borrow_mut().take());
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
    let rc = serve::take().expect("leave() after enter()");
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
