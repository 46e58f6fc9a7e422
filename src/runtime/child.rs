//! Starting and signalling side processes (`plugin::process`): the part that
//! runs in the forked child before exec is unsafe, so it lives here. A child
//! gets its own session and process group (so a stop reaches what a shell
//! line started too), dies with the thread that spawned it (PR_SET_PDEATHSIG:
//! no orphan when the server is killed), and starts with no blocked signals and
//! default dispositions: folk's threads block every asynchronous signal, and a
//! child inherits that mask, so without the reset it would never see its stop
//! signal and every stop would end in SIGKILL.

use std::io;
use std::process::{Child, Command};

/// Spawns `cmd` as the leader of a new process group (its pid is the group's id).
/// The kernel sends it SIGKILL when the *calling thread* ends, so call this only
/// from a thread that lives as long as the process may run.
pub fn spawn_in_own_group(cmd: &mut Command) -> io::Result<Child> {
    let parent = std::process::id() as libc::pid_t;
    use std::os::unix::process::CommandExt as _;
    // SAFETY: the closure runs in the forked child before exec; it allocates
    // nothing and makes only async-signal-safe calls (setsid, prctl, getppid,
    // sigemptyset, sigprocmask, signal, _exit) on locals and its own process.
    unsafe {
        cmd.pre_exec(move || prepare_child(parent));
    }
    cmd.spawn()
}

/// In the child, between fork and exec.
fn prepare_child(parent: libc::pid_t) -> io::Result<()> {
    // SAFETY: see `spawn_in_own_group`: async-signal-safe calls on this (child) process only.
    unsafe {
        if libc::setsid() == -1 {
            return Err(io::Error::last_os_error());
        }
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
        // The parent may have died between fork and prctl: then no signal will ever come.
        if libc::getppid() != parent {
            libc::_exit(1);
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
        // Handlers reset at exec by themselves; ignored signals (SIGPIPE, ...) would stay ignored.
        for sig in 1..libc::SIGRTMIN() {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
    }
    Ok(())
}

/// Sends `signal` to every process of group `pgid`; false if none is left.
pub fn signal_group(pgid: u32, signal: libc::c_int) -> bool {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else { return false };
    if pgid <= 1 {
        return false;
    }
    // SAFETY: kill takes plain integers; a negative pid names a process group (never ours: the child made its own).
    unsafe { libc::kill(-pgid, signal) == 0 }
}

/// The number of a stop signal by its name in `processes.<name>.stop_signal`.
pub fn signal_number(name: &str) -> libc::c_int {
    match name {
        "int" => libc::SIGINT,
        "quit" => libc::SIGQUIT,
        "hup" => libc::SIGHUP,
        "usr1" => libc::SIGUSR1,
        "usr2" => libc::SIGUSR2,
        "kill" => libc::SIGKILL,
        _ => libc::SIGTERM,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(st) = child.try_wait().unwrap() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    #[test]
    fn a_child_of_a_thread_that_blocks_term_still_gets_term_in_its_own_group() {
        use std::os::unix::process::ExitStatusExt as _;
        let t = std::thread::spawn(|| {
            crate::runtime::signals::block_async_signals();
            let mut child = spawn_in_own_group(Command::new("sleep").arg("30")).unwrap();
            let pgid = child.id();
            std::thread::sleep(Duration::from_millis(50));
            assert!(signal_group(pgid, libc::SIGTERM));
            let st = wait(&mut child, Duration::from_secs(5)).expect("TERM ended it");
            assert_eq!(st.signal(), Some(libc::SIGTERM));
        });
        t.join().unwrap();
    }
}
