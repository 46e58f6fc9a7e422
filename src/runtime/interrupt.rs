//! Stopping PHP code that runs on another thread: set that thread's
//! `EG(vm_interrupt)` (and `EG(timed_out)` for the hard stop), and send it
//! SIGRTMIN+3 so a blocking syscall returns EINTR.

use ext_php_rs::ffi::{zend_atomic_bool, zend_atomic_bool_store};
use ext_php_rs::zend::ExecutorGlobals;

use super::signals;
use crate::pool::Interrupt;

/// Points into one thread's executor globals. Valid while published: the
/// worker unpublishes it (under the slot lock) before its globals are freed.
pub struct ThreadInterrupt {
    vm_interrupt: *mut zend_atomic_bool,
    timed_out: *mut zend_atomic_bool,
    thread: libc::pthread_t,
    can_signal: bool,
}

// SAFETY: the pointers are only dereferenced under the slot lock, while published.
unsafe impl Send for ThreadInterrupt {}

impl ThreadInterrupt {
    /// For the calling thread, which must have a PHP context.
    pub fn current(can_signal: bool) -> Self {
        let mut eg = ExecutorGlobals::get_mut();
        ThreadInterrupt {
            vm_interrupt: &raw mut eg.vm_interrupt,
            timed_out: &raw mut eg.timed_out,
            // SAFETY: pthread_self has no precondition.
            thread: unsafe { libc::pthread_self() },
            can_signal,
        }
    }

    fn poke(&self) {
        // Breaks a blocking syscall (sleep, poll) with EINTR; the handler is a no-op.
        if self.can_signal {
            // SAFETY: the thread is alive while published, and `can_signal` says its handler is installed.
            unsafe { libc::pthread_kill(self.thread, signals::kill_signal()) };
        }
    }
}

impl Interrupt for ThreadInterrupt {
    fn soft(&self) {
        // Our zend_interrupt_function sees the slot's kill level and throws.
        // SAFETY: called under the slot lock while published, so the thread's globals are alive.
        unsafe { zend_atomic_bool_store(self.vm_interrupt, true) };
        self.poke();
    }

    fn hard(&self) {
        // SAFETY: called under the slot lock while published, so the thread's globals are alive.
        unsafe {
            zend_atomic_bool_store(self.timed_out, true);
            zend_atomic_bool_store(self.vm_interrupt, true);
        }
        self.poke();
    }
}
