//! Signal hygiene for threads folk starts. A PHP-handled signal (pcntl)
//! delivered to a thread without a PHP context crashes it, so non-PHP threads
//! block them all; PHP worker threads let only the interrupt signals through.

use std::sync::Once;

/// The signal that breaks a worker out of a blocking syscall (sleep, poll).
/// glibc uses SIGRTMIN..+2 and PHP's timers SIGRTMIN, as FrankenPHP notes.
pub fn kill_signal() -> libc::c_int {
    libc::SIGRTMIN() + 3
}

/// Blocks every asynchronous signal on the calling thread, so that SIGINT,
/// SIGTERM, SIGHUP, SIGCHLD... reach the main PHP thread.
pub fn block_async_signals() {
    // SAFETY: only a local sigset_t (zeroed, then filled) and this thread's own mask are touched.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        for s in [libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE, libc::SIGILL, libc::SIGABRT, libc::SIGTRAP] {
            libc::sigdelset(&mut set, s);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// For PHP worker threads: block everything asynchronous except PHP's own
/// timer signal (SIGRTMIN) and folk's kill signal.
pub fn worker_thread_mask() {
    block_async_signals();
    // SAFETY: only a local sigset_t (zeroed, then emptied) and this thread's own mask are touched.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGRTMIN());
        libc::sigaddset(&mut set, kill_signal());
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

static INSTALL: Once = Once::new();
static mut INSTALLED: bool = false;

extern "C" fn noop(_: libc::c_int) {}

/// Installs the no-op kill-signal handler once, without SA_RESTART, so the
/// signal makes a blocking syscall return EINTR. Returns whether it is installed:
/// an unhandled real-time signal would kill the process, so callers only send
/// it when this is true.
pub fn install_kill_handler() -> bool {
    // SAFETY: INSTALLED is written only here, once, under the Once, and read only after it (below).
    INSTALL.call_once(|| unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = noop as *const () as usize;
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        INSTALLED = libc::sigaction(kill_signal(), &sa, std::ptr::null_mut()) == 0;
    });
    // SAFETY: call_once above has finished its only write, and the Once orders it before this read.
    unsafe { INSTALLED }
}
