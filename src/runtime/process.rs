//! The process-level system calls crash supervision needs (fork, wait,
//! signal masks, listening sockets that outlive a child), each one small and
//! safe to call; the policy (when to restart, what to log) is in
//! `server::supervise`. They live here because `unsafe` stays in `runtime/`.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

/// Which side of a fork the caller is on.
#[derive(Debug, PartialEq, Eq)]
pub enum Forked {
    Child,
    Parent(libc::pid_t),
}

/// Forks the process. Only the calling thread exists in the child, so the
/// caller must have checked that no other thread runs (`threads()`): a lock
/// another thread held at the fork would stay locked in the child forever.
pub fn fork() -> io::Result<Forked> {
    // SAFETY: fork has no memory-safety preconditions of its own; the caller
    // guarantees the process is single-threaded (see above), so no lock is held mid-update.
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(Forked::Child),
        pid => Ok(Forked::Parent(pid)),
    }
}

/// In a new child, on the thread that forked: what PHP's `pcntl_fork()` does
/// there. ZTS PHP on Linux times `max_execution_time` with a POSIX timer
/// per thread, and timers are not inherited across fork: without a new one
/// the child's request shutdown fails with "Could not set timer" (and exits 255).
pub fn php_after_fork() {
    // Looked up at run time: PHP builds without these timers do not export it.
    // SAFETY: dlsym with a NUL-terminated name; the pointer, if any, is PHP's
    // `void zend_max_execution_timer_init(void)`, which recreates this thread's timer when EG(pid) is not getpid().
    unsafe {
        let f = libc::dlsym(libc::RTLD_DEFAULT, c"zend_max_execution_timer_init".as_ptr());
        if !f.is_null() {
            let init: extern "C" fn() = std::mem::transmute(f);
            init();
        }
    }
}

/// Threads of this process right now (from /proc), or 0 if it cannot tell.
pub fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map(|d| d.count()).unwrap_or(0)
}

/// A signal mask to put back (`restore`).
pub struct SavedMask(libc::sigset_t);

/// Blocks `signals` on the calling thread so that `wait_signal` receives them
/// instead of their handlers; returns the mask before.
pub fn block(signals: &[libc::c_int]) -> SavedMask {
    // SAFETY: only local sigset_t values (zeroed, then filled) and this thread's own mask are touched.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in signals {
            libc::sigaddset(&mut set, *s);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
        SavedMask(old)
    }
}

/// Puts back a mask `block` saved.
pub fn restore(mask: &SavedMask) {
    // SAFETY: the saved set came from pthread_sigmask; only this thread's mask changes.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &mask.0, std::ptr::null_mut()) };
}

/// Waits up to `timeout` for one of `signals` (which must be blocked); None on timeout.
pub fn wait_signal(signals: &[libc::c_int], timeout: Duration) -> Option<libc::c_int> {
    // SAFETY: local sigset_t and timespec values; sigtimedwait only reads them and fills nothing we pass (null info).
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in signals {
            libc::sigaddset(&mut set, *s);
        }
        let ts = libc::timespec { tv_sec: timeout.as_secs() as libc::time_t, tv_nsec: timeout.subsec_nanos() as libc::c_long };
        match libc::sigtimedwait(&set, std::ptr::null_mut(), &ts) {
            -1 => None,
            s => Some(s),
        }
    }
}

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    Signaled { signal: libc::c_int, core_dumped: bool },
}

impl Ended {
    /// The status a shell would report for it (128 + the signal).
    pub fn code(self) -> i32 {
        match self {
            Ended::Exited(c) => c,
            Ended::Signaled { signal, .. } => 128 + signal,
        }
    }
}

/// The child's end if it has ended (reaped now), else None. Never blocks.
pub fn try_wait(pid: libc::pid_t) -> Option<Ended> {
    let mut status: libc::c_int = 0;
    // SAFETY: `status` is a local the call writes; WNOHANG makes it return at once.
    let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if r != pid {
        return None;
    }
    if libc::WIFSIGNALED(status) {
        return Some(Ended::Signaled { signal: libc::WTERMSIG(status), core_dumped: libc::WCOREDUMP(status) });
    }
    Some(Ended::Exited(if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 1 }))
}

/// Sends `signal` to `pid`; false if it is gone.
pub fn send(pid: libc::pid_t, signal: libc::c_int) -> bool {
    // SAFETY: kill takes plain integers.
    unsafe { libc::kill(pid, signal) == 0 }
}

/// This process's parent.
pub fn parent() -> libc::pid_t {
    // SAFETY: getppid has no preconditions.
    unsafe { libc::getppid() }
}

/// The soft RLIMIT_CORE (bytes; u64::MAX is unlimited), if it can be read.
pub fn core_limit() -> Option<u64> {
    // SAFETY: `rl` is a local the call fills.
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        (libc::getrlimit(libc::RLIMIT_CORE, &mut rl) == 0).then_some(rl.rlim_cur as u64)
    }
}

/// The kernel sends `signal` to this process when the thread that forked it
/// (the supervisor's only thread) ends, so a killed supervisor leaves no
/// orphan server behind. False if `expected_parent` is already gone.
pub fn die_with_parent(signal: libc::c_int, expected_parent: libc::pid_t) -> bool {
    // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number; the unused arguments are zero.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong, 0, 0, 0) };
    parent() == expected_parent
}

/// Ends the process at once with `code`: no atexit handlers, no stdio
/// flush, no PHP shutdown, which all belong to the child that ran the server.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit has no preconditions and does not return.
    unsafe { libc::_exit(code) }
}

/// A listening TCP socket (SO_REUSEADDR, backlog 1024, close-on-exec) that
/// a forked child inherits: connections wait in its backlog while no child
/// accepts. Blocking; the child makes it non-blocking for tokio.
pub fn listen(addr: SocketAddr) -> io::Result<OwnedFd> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    // std binds with SO_REUSEADDR and CLOEXEC but a backlog of 128; raising it on a listening socket is allowed.
    let fd: OwnedFd = std_listener.into();
    // SAFETY: `fd` is an open listening socket this function owns.
    if unsafe { libc::listen(fd.as_raw_fd(), 1024) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(fd)
}

/// "SIGSEGV" for 11.
pub fn signal_name(signal: libc::c_int) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGABRT => "SIGABRT",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGSYS => "SIGSYS",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}
