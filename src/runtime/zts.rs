//! The ZTS thread runtime: each worker is a brand-new OS thread with its own
//! PHP interpreter context (TSRM). Recycling is a full teardown
//! (`php_request_shutdown` + `ts_free_thread`) and a fresh thread.

use std::ffi::CString;
use std::thread::JoinHandle;

use ext_php_rs::zend::try_catch_first;

use super::interrupt::ThreadInterrupt;
use super::php;
use super::serve;
use super::signals;
use crate::pool::{Runtime, WorkerLink};

pub struct ZtsRuntime;

impl Runtime for ZtsRuntime {
    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>> {
        std::thread::Builder::new()
            .name(format!("folk-worker-{}", link.slot_id()))
            .stack_size(16 << 20)
            .spawn(move || run_worker(link))
    }

    /// The supervisor has no PHP context: PHP-handled signals must not reach it.
    fn prepare_service_thread(&self) {
        signals::block_async_signals();
    }
}

fn run_worker(link: WorkerLink) {
    signals::worker_thread_mask();
    let can_signal = signals::install_kill_handler();
    // SAFETY: a fresh thread with no PHP context yet; this allocates its TSRM globals (freed in finish()).
    unsafe { php::ts_resource_ex(0, std::ptr::null_mut()) };
    link.publish_interrupt(Box::new(ThreadInterrupt::current(can_signal)));
    // SAFETY: this thread's TSRM context exists (above) and no request runs on it yet.
    let failure = if unsafe { php::php_request_startup() } != 0 {
        Some("php_request_startup() failed on the worker thread".to_string())
    } else {
        let script = link.worker_script().to_string();
        let ctx = serve::enter(link);
        let ran = try_catch_first(|| execute_script(&script));
        let (link, outcome) = serve::leave(ctx);
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

fn execute_script(path: &str) -> bool {
    CString::new(path).is_ok_and(|p| php::execute_script(&p))
}
