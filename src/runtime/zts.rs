//! The ZTS thread runtime: each worker is a brand-new OS thread with its own
//! PHP interpreter context (TSRM). Recycling is a full teardown
//! (`php_request_shutdown` + `ts_free_thread`) and a fresh thread.

use std::ffi::CString;
use std::thread::JoinHandle;

use ext_php_rs::ffi::{zend_atomic_bool, zend_atomic_bool_store, zend_destroy_file_handle, zend_file_handle, zend_stream_init_filename};
use ext_php_rs::zend::{ExecutorGlobals, try_catch_first};

use super::php;
use super::serve;
use super::signals;
use super::Runtime;
use crate::pool::WorkerLink;
use crate::pool::slot::Interrupt;

pub struct ZtsRuntime;

impl Runtime for ZtsRuntime {
    fn name(&self) -> &'static str {
        "zts"
    }

    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>> {
        std::thread::Builder::new()
            .name(format!("folk-worker-{}", link.slot_id()))
            .stack_size(16 << 20)
            .spawn(move || run_worker(link))
    }
}

/// Points into one thread's executor globals. Valid while published: the
/// worker unpublishes it (under the slot lock) before `ts_free_thread`.
struct ZtsInterrupt {
    vm_interrupt: *mut zend_atomic_bool,
    timed_out: *mut zend_atomic_bool,
    thread: libc::pthread_t,
    can_signal: bool,
}

unsafe impl Send for ZtsInterrupt {}

impl ZtsInterrupt {
    fn poke(&self) {
        // Breaks a blocking syscall (sleep, poll) with EINTR; the handler is a no-op.
        if self.can_signal {
            unsafe { libc::pthread_kill(self.thread, signals::kill_signal()) };
        }
    }
}

impl Interrupt for ZtsInterrupt {
    fn soft(&self) {
        // Our zend_interrupt_function sees the slot's kill level and throws.
        unsafe { zend_atomic_bool_store(self.vm_interrupt, true) };
        self.poke();
    }

    fn hard(&self) {
        unsafe {
            zend_atomic_bool_store(self.timed_out, true);
            zend_atomic_bool_store(self.vm_interrupt, true);
        }
        self.poke();
    }
}

fn run_worker(link: WorkerLink) {
    signals::worker_thread_mask();
    let can_signal = signals::install_kill_handler();
    unsafe { php::ts_resource_ex(0, std::ptr::null_mut()) };
    {
        let mut eg = ExecutorGlobals::get_mut();
        link.publish_interrupt(Box::new(ZtsInterrupt {
            vm_interrupt: &raw mut eg.vm_interrupt,
            timed_out: &raw mut eg.timed_out,
            thread: unsafe { libc::pthread_self() },
            can_signal,
        }));
    }
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
        let _ = try_catch_first(|| unsafe { php::php_request_shutdown(std::ptr::null_mut()) });
        finish(link, failure);
        return;
    };
    finish(link, failure);
}

fn finish(link: WorkerLink, failure: Option<String>) {
    // Must precede ts_free_thread, which frees the globals the interrupt points into.
    link.unpublish_interrupt();
    unsafe { php::ts_free_thread() };
    link.exited(failure);
}

fn execute_script(path: &str) -> bool {
    let Ok(cpath) = CString::new(path) else { return false };
    unsafe {
        let mut fh: zend_file_handle = std::mem::zeroed();
        zend_stream_init_filename(&mut fh, cpath.as_ptr());
        fh.primary_script = true;
        let ok = php::php_execute_script(&mut fh);
        zend_destroy_file_handle(&mut fh);
        ok
    }
}
