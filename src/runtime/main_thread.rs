//! The main-thread worker: the PHP thread that called `Folk\Server::run()`
//! runs the worker script too. It cannot be recycled (the thread and its
//! request belong to the user's script), so a fatal error retires it.

use ext_php_rs::zend::{ExecutorGlobals, try_catch};

use super::interrupt::ThreadInterrupt;
use super::zts::{WebOptions, fallback_script};
use super::serve::ScriptEnd;
use super::{boot, grpc, php, roadrunner, sapi, serve, signals};
use crate::pool::WorkerLink;

/// How the main thread's time as a worker ended.
pub enum MainEnd {
    /// serve() returned (shutdown, reload) or the script never served.
    Left,
    /// A fatal error unwound the worker script; the engine state of this
    /// request is gone and the caller must bail out again once it cleaned up.
    BailedOut,
}

/// Runs the worker script on the calling (main) thread until it leaves.
/// `web`: the server has HTTP, so the script may serve with handleRequest()
/// (this thread keeps the CLI SAPI name: its tables are the ones every new
/// thread copies, so they are never changed).
pub fn serve_here(link: WorkerLink, web: Option<WebOptions>) -> MainEnd {
    let can_signal = signals::install_kill_handler();
    link.publish_interrupt(Box::new(ThreadInterrupt::current(can_signal)));
    let script = link.worker_script().to_string();
    let roadrunner = web.is_some_and(|w| w.roadrunner);
    let web = web.map(|w| serve::WebWorker { options: w.options, script: fallback_script(&script) });
    let ctx = serve::enter(link, web);
    let ran = try_catch(|| {
        if !boot::point_at(&script, true) {
            tracing::warn!("could not point $_SERVER['SCRIPT_FILENAME'] at the worker script");
        }
        // They stay declared in the script after run() returns (a class cannot be undeclared).
        if roadrunner && !roadrunner::define() {
            tracing::warn!("could not declare RoadRunner's worker classes on the main thread");
        }
        if !grpc::define() {
            tracing::warn!("could not declare the Folk\\Grpc classes on the main thread");
        }
        // Interrupted already (the server shut down as it booted): the script never starts.
        ExecutorGlobals::get().exception.is_null() && require(&script)
    });
    // A request the script left open (waitRequest()) is answered as the script ended.
    let end = ScriptEnd::of_main_script(ran.is_err(), php::exit_pending(), !ExecutorGlobals::get().exception.is_null());
    let (link, mut outcome) = serve::leave(ctx, end);
    link.unpublish_interrupt();
    let serving = outcome.serving.take();
    let mut failure = outcome.failure;
    let end = match &ran {
        Ok(_) => {
            if php::exit_pending() {
                // exit() in a job or request handler ends the worker script, not the
                // user's script around run(): its unwind stops here, and the thread
                // workers serve on.
                drop(ExecutorGlobals::take_exception());
                failure.get_or_insert("exit() was called in the main-thread worker; it stops serving".into());
            } else if let Some(ex) = ExecutorGlobals::take_exception() {
                let class = ex.get_class_name().unwrap_or_default();
                let msg = ex.try_call_method("getMessage", vec![]).ok().and_then(|z| z.string()).unwrap_or_default();
                failure.get_or_insert(format!("Uncaught {class}: {msg}"));
            } else if outcome.handled && failure.is_none() {
                link.script_ended();
            } else if !outcome.served {
                failure.get_or_insert(format!("the worker script {script} ended without calling Folk\\Worker::serve()"));
            }
            // No exception is pending any more: PHP may run again on this thread.
            if let Some(serving) = serving {
                sapi::stop_serving(serving, true);
            }
            if !boot::restore() {
                tracing::warn!("could not give the script its own $_SERVER['SCRIPT_FILENAME'] back");
            }
            MainEnd::Left
        }
        Err(_) => {
            if let Some(serving) = serving {
                sapi::stop_serving(serving, false);
            }
            failure.get_or_insert_with(|| php::last_error().unwrap_or_else(|| "the main worker bailed out".into()));
            MainEnd::BailedOut
        }
    };
    if let Some(f) = &failure {
        tracing::warn!(reason = %f, "the main-thread worker stopped; the thread workers carry on");
    }
    link.exited(failure);
    end
}

fn require(path: &str) -> bool {
    let escaped = path.replace('\\', "\\\\").replace('\'', "\\'");
    let code = format!("require '{escaped}';");
    let Ok(code) = std::ffi::CString::new(code) else { return false };
    let name = c"folk main worker";
    // SAFETY: on the main PHP thread inside its request; `code` and `name` are C strings alive for the call.
    unsafe {
        let mut rv: ext_php_rs::types::Zval = ext_php_rs::types::Zval::new();
        let ok = ext_php_rs::ffi::zend_eval_string(code.as_ptr(), &mut rv, name.as_ptr()) == 0;
        ok
    }
}
