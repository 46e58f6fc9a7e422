//! The ZTS thread runtime: each worker is a brand-new OS thread with its own
//! PHP interpreter context (TSRM). Recycling is a full teardown
//! (`php_request_shutdown` + `ts_free_thread`) and a fresh thread.

use std::ffi::CString;
use std::thread::JoinHandle;

use ext_php_rs::zend::{ExecutorGlobals, try_catch_first};

use super::interrupt::ThreadInterrupt;
use super::{boot, frankenphp, grpc, php, roadrunner};
use super::sapi::{self, Options, Script};
use super::serve::{self, ScriptEnd};
use super::signals;
use crate::pool::{Runtime, WorkerLink};

/// `web`: the workers of a `Folk\Server` with HTTP, which may serve with
/// `handleRequest()` (and look like php-fpm to PHP code); None for `Folk\Pool`.
pub struct ZtsRuntime {
    pub web: Option<WebOptions>,
}

/// What a web worker's requests run with.
#[derive(Debug, Clone, Copy)]
pub struct WebOptions {
    pub options: Options,
    /// `http.roadrunner_compat`: RoadRunner's worker classes are declared before the script.
    pub roadrunner: bool,
}

impl Runtime for ZtsRuntime {
    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>> {
        std::thread::Builder::new()
            .name(format!("folk-worker-{}", link.slot_id()))
            .stack_size(16 << 20)
            .spawn({
                let web = self.web;
                move || run_worker(link, web)
            })
    }

    /// The supervisor has no PHP context: PHP-handled signals must not reach it.
    fn prepare_service_thread(&self) {
        signals::block_async_signals();
    }
}

fn run_worker(link: WorkerLink, web: Option<WebOptions>) {
    signals::worker_thread_mask();
    let can_signal = signals::install_kill_handler();
    // SAFETY: a fresh thread with no PHP context yet; this allocates its TSRM globals (freed in finish()).
    unsafe { php::ts_resource_ex(0, std::ptr::null_mut()) };
    // Before the worker script compiles: PHP_SAPI is substituted at compile time.
    if web.is_some()
        && let Err(e) = sapi::become_web_thread()
    {
        tracing::warn!(error = %e, "web worker keeps the CLI SAPI name");
    }
    link.publish_interrupt(Box::new(ThreadInterrupt::current(can_signal)));
    // SAFETY: this thread's TSRM context exists (above) and no request runs on it yet.
    let failure = if unsafe { php::php_request_startup() } != 0 {
        Some("php_request_startup() failed on the worker thread".to_string())
    } else {
        // Watch mode: before the worker script compiles, so an edit is seen by the reload's workers.
        sapi::revalidate_on_this_thread();
        let script = link.worker_script().to_string();
        let compat = web.is_some_and(|w| w.options.frankenphp_worker);
        let roadrunner = web.is_some_and(|w| w.roadrunner);
        let web = web.map(|w| serve::WebWorker { options: w.options, script: fallback_script(&script) });
        let ctx = serve::enter(link, web);
        // The boot is bounded by workers.boot_timeout; max_execution_time counts per job (from its first serve()).
        php::stop_time_limit();
        let ran = try_catch_first(|| {
            if !boot::point_at(&script, false) {
                tracing::warn!("could not point $_SERVER['SCRIPT_FILENAME'] at the worker script");
            }
            if compat && !frankenphp::define() {
                tracing::warn!("could not define frankenphp_handle_request() on this worker");
            }
            if roadrunner && !roadrunner::define() {
                tracing::warn!("could not declare RoadRunner's worker classes on this worker");
            }
            if !grpc::define() {
                tracing::warn!("could not declare the Folk\\Grpc classes on this worker");
            }
            // Interrupted already (the pool shut down as it booted): the script never starts.
            if let Some(stopped) = ExecutorGlobals::take_exception() {
                drop(stopped);
                return false;
            }
            execute_script(&script)
        });
        // What a request the script left open (waitRequest()) is answered with.
        let end = ScriptEnd::of_thread_script(ran.as_ref().ok().copied(), php::last_error_was_fatal());
        let (link, mut outcome) = serve::leave(ctx, end);
        if let Some(serving) = outcome.serving.take() {
            sapi::stop_serving(serving, false);
        }
        if outcome.handled && outcome.failure.is_none() && matches!(ran, Ok(true)) {
            link.script_ended();
        }
        let failure = match (ran, outcome) {
            (_, o) if o.served => o.failure,
            // It returned normally but never served: a script that forgot serve().
            (Ok(true), o) => Some(o.failure.unwrap_or_else(|| {
                format!("the worker script {script} ended without calling Folk\\Worker::serve()")
            })),
            // A parse error, a fatal error or an uncaught exception while booting.
            (_, o) => Some(o.failure.or_else(php::last_error).unwrap_or_else(|| format!("the worker script {script} failed"))),
        };
        // Shutdown functions and destructors run here, with the link gone from
        // the thread: a pool call from them cannot reach this slot any more.
        // SAFETY: the request started above is still open, and nothing of it is used after this.
        let _ = try_catch_first(|| unsafe { php::php_request_shutdown(std::ptr::null_mut()) });
        finish(link, failure);
        return;
    };
    finish(link, failure);
}

fn finish(link: WorkerLink, failure: Option<String>) {
    // Must precede ts_free_thread, which frees the globals the interrupt points into.
    link.unpublish_interrupt();
    // SAFETY: no request is open on this thread and nothing points into its globals any more (above).
    unsafe { php::ts_free_thread() };
    link.exited(failure);
}

/// The script a worker-mode request runs as when the HTTP side named none
/// (no `http.root`): the worker script itself, at the root of its directory.
pub fn fallback_script(worker_script: &str) -> Script {
    let path = std::fs::canonicalize(worker_script).unwrap_or_else(|_| worker_script.into());
    let name = path.file_name().map(|n| format!("/{}", n.to_string_lossy())).unwrap_or_else(|| "/".into());
    let root = path.parent().map(|d| d.as_os_str().as_encoded_bytes().to_vec()).unwrap_or_default();
    Script { filename: path.as_os_str().as_encoded_bytes().to_vec(), name: name.into_bytes(), path_info: Vec::new(), root }
}

fn execute_script(path: &str) -> bool {
    CString::new(path).is_ok_and(|p| php::execute_script(&p))
}
