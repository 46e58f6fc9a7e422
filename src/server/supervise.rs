//! Crash supervision (`server.supervise`). folk runs every worker as a
//! thread of one process, so a segfault in PHP or an extension ends them
//! all. With supervision a small parent binds the listening sockets, forks
//! the server as a child that inherits them, and forks a new one when the
//! child dies abnormally; meanwhile connections wait in the kernel backlog.
//! The parent runs no PHP request and no thread: it forks before the tokio
//! runtime and the pool exist, then only waits for signals and the child.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use libc::c_int;

use super::ServerError;
use crate::config::ServerConfig;
use crate::error::fmt_duration;
use crate::plugin::net;
use crate::runtime::process::{self, Ended, Forked, SavedMask};

/// Signals the parent passes on to the child (SIGHUP reloads, the others stop).
const FORWARDED: [c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];
/// The child's "booted, serving" (after its plugins bound and its workers started).
const READY: c_int = libc::SIGUSR1;
const WATCHED: [c_int; 5] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGCHLD, READY];
/// How often the parent looks at the child when no signal comes (SIGCHLD usually wakes it first).
const POLL: Duration = Duration::from_millis(100);

/// The first restart is immediate (a crash costs only the boot); after that the
/// wait doubles from `BACKOFF_START` up to `BACKOFF_CAP`.
const BACKOFF_START: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// A child that served this long ends a crash streak.
const STABLE: Duration = Duration::from_secs(30);
/// This many crashes in a row, each within `STABLE` of its start, is a crash loop: the parent gives up.
const CRASH_LOOP: u32 = 10;

/// In a supervised child: the parent's pid (0 elsewhere).
static PARENT: AtomicI32 = AtomicI32::new(0);
/// In a supervised child: the signal mask to put back once its handlers are installed.
static CHILD_MASK: OnceLock<SavedMask> = OnceLock::new();

/// What the parent does after a crash.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    RestartAfter(Duration),
    GiveUp,
}

/// The restart policy: capped exponential backoff, and a crash-loop limit.
#[derive(Debug, Default)]
pub(crate) struct Restarts {
    /// Crashes in a row, each soon after its start.
    streak: u32,
}

impl Restarts {
    /// A child that had run for `lived` crashed.
    pub(crate) fn after_crash(&mut self, lived: Duration) -> Verdict {
        if lived >= STABLE {
            self.streak = 0;
        }
        self.streak += 1;
        if self.streak >= CRASH_LOOP {
            return Verdict::GiveUp;
        }
        Verdict::RestartAfter(match self.streak {
            1 => Duration::ZERO,
            n => BACKOFF_START.saturating_mul(1 << (n - 2).min(16)).min(BACKOFF_CAP),
        })
    }
}

/// Where a child stands, as the parent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Child {
    Starting,
    Ready,
    /// A stop signal was passed on: whatever it ends with is a stop, not a crash.
    Stopping,
}

/// Forks the supervised server. Returns in the child, which goes on to run
/// the server on the sockets bound here; the parent never returns: it exits
/// with the status of the server's last run.
pub(super) fn fork_server(config: &ServerConfig) -> Result<(), ServerError> {
    let threads = process::threads();
    if threads != 1 {
        return Err(ServerError::Start(format!(
            "server.supervise forks the process, which needs the calling thread to be its only one, but {threads} are running \
             (a Folk\\Pool left open before Folk\\Server::run()?): close it first, or set server.supervise = false"
        )));
    }
    let mut addrs = Vec::new();
    if config.http.enabled {
        addrs.push(config.http.listen);
    }
    // A unix socket is bound again by each run (a stale file is replaced).
    if let Some(crate::config::Listen::Tcp(addr)) = &config.fastcgi.listen {
        addrs.push(*addr);
    }
    addrs.extend(config.grpc.listen);
    addrs.extend(config.metrics.listen);
    for addr in addrs {
        let fd = process::listen(addr)
            .map_err(|e| ServerError::Start(format!("cannot listen on {addr}: {}", net::io_reason(&e))))?;
        net::inherit(addr, fd);
    }
    // Blocked before the first fork, so no signal is lost between a fork and the wait for it.
    let mask = process::block(&WATCHED);
    let me = std::process::id() as libc::pid_t;
    let mut restarts = Restarts::default();
    let mut run = 0u64;
    loop {
        run += 1;
        let pid = match process::fork() {
            Ok(Forked::Child) => {
                become_child(me, mask);
                return Ok(());
            }
            Ok(Forked::Parent(pid)) => pid,
            Err(e) if run == 1 => {
                process::restore(&mask);
                return Err(ServerError::Start(format!("server.supervise cannot fork the server: {e}")));
            }
            Err(e) => {
                tracing::error!(error = %e, "supervisor cannot fork a new server; exiting");
                process::exit_now(1);
            }
        };
        if run == 1 {
            tracing::info!(supervisor = me, server = pid, "supervising the server: it is restarted if it crashes");
        }
        let started = Instant::now();
        let (ended, state) = watch(pid, run > 1);
        let lived = started.elapsed();
        let how = describe(ended);
        if state == Child::Stopping || ended == Ended::Exited(0) {
            tracing::info!(server = pid, "the server {how}; supervisor exiting");
            process::exit_now(ended.code());
        }
        if state == Child::Starting {
            tracing::error!(server = pid, "the server {how} before it was ready; not restarting it");
            process::exit_now(ended.code().max(1));
        }
        tracing::error!(server = pid, lived = %fmt_duration(lived), "the server {how}{}", core_hint(ended));
        match restarts.after_crash(lived) {
            Verdict::GiveUp => {
                tracing::error!(
                    "crash loop: the server died {CRASH_LOOP} times in a row, each within {} of starting; supervisor giving up",
                    fmt_duration(STABLE)
                );
                process::exit_now(ended.code());
            }
            Verdict::RestartAfter(wait) => {
                if !wait.is_zero() && stop_requested_within(wait) {
                    tracing::info!("stop requested while the server was down; supervisor exiting");
                    process::exit_now(0);
                }
                tracing::warn!(after = %fmt_duration(wait), "restarting the server; connections wait in the listen backlog meanwhile");
            }
        }
    }
}

/// In the new child: keep the watched signals blocked until the server's own
/// handlers are installed (`handlers_installed`), and die with the parent.
fn become_child(parent: libc::pid_t, mask: SavedMask) {
    process::php_after_fork();
    PARENT.store(parent, Ordering::Release);
    let _ = CHILD_MASK.set(mask);
    if !process::die_with_parent(libc::SIGTERM, parent) {
        // The supervisor died between fork and prctl: nobody holds the sockets for us.
        process::exit_now(1);
    }
}

/// The server installed its signal handlers: in a supervised child, the
/// signals blocked for the fork are let through now (pending ones arrive).
pub(super) fn handlers_installed() {
    if let Some(mask) = CHILD_MASK.get() {
        process::restore(mask);
    }
}

/// The server booted (plugins bound, workers started): tell the supervisor.
pub(super) fn report_ready() {
    let parent = PARENT.load(Ordering::Acquire);
    if parent != 0 {
        process::send(parent, READY);
    }
}

/// Waits for the child to end, passing the stop and reload signals on.
fn watch(pid: libc::pid_t, restarted: bool) -> (Ended, Child) {
    let mut state = Child::Starting;
    loop {
        if let Some(ended) = process::try_wait(pid) {
            return (ended, state);
        }
        match process::wait_signal(&WATCHED, POLL) {
            Some(s) if FORWARDED.contains(&s) => {
                if s != libc::SIGHUP {
                    state = Child::Stopping;
                }
                tracing::info!(server = pid, "{} passed on to the server", process::signal_name(s));
                process::send(pid, s);
            }
            Some(READY) if state == Child::Starting => {
                state = Child::Ready;
                if restarted {
                    tracing::warn!(server = pid, "the restarted server is ready");
                }
            }
            // SIGCHLD or the poll: the next try_wait looks.
            _ => {}
        }
    }
}

/// Sleeps `wait` (a restart backoff) unless SIGTERM or SIGINT comes first.
fn stop_requested_within(wait: Duration) -> bool {
    let until = Instant::now() + wait;
    while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
        if let Some(libc::SIGTERM | libc::SIGINT) = process::wait_signal(&WATCHED, left) {
            return true;
        }
    }
    false
}

fn describe(ended: Ended) -> String {
    match ended {
        Ended::Exited(code) => format!("exited with status {code}"),
        Ended::Signaled { signal, .. } => format!("was killed by {} (signal {signal})", process::signal_name(signal)),
    }
}

/// Where to look for the crash's core dump, or why there is none.
fn core_hint(ended: Ended) -> String {
    let Ended::Signaled { core_dumped, .. } = ended else { return String::new() };
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    let pattern = pattern.trim();
    if core_dumped {
        return format!("; a core dump was written (kernel.core_pattern = {pattern:?}; `coredumpctl` if systemd-coredump)");
    }
    match process::core_limit() {
        Some(0) => "; no core dump: the core size limit is 0 (`ulimit -c unlimited` before starting folk to get one)".into(),
        _ => format!("; no core dump was written (kernel.core_pattern = {pattern:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_crash_restarts_at_once_then_the_wait_doubles_up_to_the_cap() {
        let mut r = Restarts::default();
        let quick = Duration::from_secs(1);
        assert_eq!(r.after_crash(quick), Verdict::RestartAfter(Duration::ZERO));
        assert_eq!(r.after_crash(quick), Verdict::RestartAfter(BACKOFF_START));
        assert_eq!(r.after_crash(quick), Verdict::RestartAfter(BACKOFF_START * 2));
    }

    #[test]
    fn crashing_again_and_again_soon_after_start_is_a_crash_loop() {
        let mut r = Restarts::default();
        let verdicts: Vec<Verdict> = (0..CRASH_LOOP).map(|_| r.after_crash(Duration::from_millis(200))).collect();
        assert!(verdicts[..CRASH_LOOP as usize - 1].iter().all(|v| matches!(v, Verdict::RestartAfter(_))), "{verdicts:?}");
        assert_eq!(verdicts.last(), Some(&Verdict::GiveUp));
    }

    #[test]
    fn a_server_that_ran_stably_starts_a_new_streak() {
        let mut r = Restarts::default();
        for _ in 0..CRASH_LOOP - 1 {
            r.after_crash(Duration::from_millis(200));
        }
        assert_eq!(r.after_crash(STABLE), Verdict::RestartAfter(Duration::ZERO));
    }

    #[test]
    fn the_backoff_never_exceeds_its_cap() {
        for streak in 1..CRASH_LOOP {
            let mut r = Restarts { streak: streak - 1 };
            match r.after_crash(Duration::ZERO) {
                Verdict::RestartAfter(d) => assert!(d <= BACKOFF_CAP, "{d:?}"),
                Verdict::GiveUp => panic!("gave up at streak {streak}"),
            }
        }
    }
}
