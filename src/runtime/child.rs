//! Starting and signalling side processes (`plugin::process`): the part that
//! runs in the forked child before exec is unsafe, so it lives here. A child
//! gets its own session and process group (so a stop reaches what a shell
//! line started too), dies with the thread that spawned it (PR_SET_PDEATHSIG:
//! no orphan when the server is killed), and starts with no blocked signals and
//! default dispositions: folk's threads block every asynchronous signal, and a
//! child inherits that mask, so without the reset it would never see its stop
//! signal and every stop would end in SIGKILL.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::process::{Child, Command};

/// What the child execs, prepared before the fork (nothing may be allocated after it).
/// The child calls execve itself with this environment: std sets `environ` and
/// calls execvp, but inside php-cli (which exports its own copy of `environ`)
/// the variables added that way never reached the program.
pub struct Exec {
    path: CString,
    _strings: Vec<CString>,
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
}

// SAFETY: the pointers point into `_strings` and `path`, owned by the same value and never
// changed after `Exec::new`; they are only read, by execve in the forked child.
unsafe impl Send for Exec {}
// SAFETY: as above: nothing mutates an `Exec` after it is built.
unsafe impl Sync for Exec {}

impl Exec {
    /// `program` (searched in the PATH of the new environment unless it holds a '/') with
    /// `args`, in the server's environment plus `env` (later entries win).
    pub fn new(program: &str, args: &[String], env: &[(String, String)]) -> io::Result<Exec> {
        let nul = |_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the command or its environment");
        let mut vars: Vec<(Vec<u8>, Vec<u8>)> =
            std::env::vars_os().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect();
        for (k, v) in env {
            vars.retain(|(name, _)| name != k.as_bytes());
            vars.push((k.as_bytes().to_vec(), v.as_bytes().to_vec()));
        }
        let path_var = vars.iter().find(|(k, _)| k == b"PATH").map(|(_, v)| String::from_utf8_lossy(v).into_owned());
        let path = CString::new(resolve(program, path_var.as_deref())?).map_err(nul)?;
        let argv_strings: Vec<CString> =
            std::iter::once(program).chain(args.iter().map(String::as_str)).map(CString::new).collect::<Result<_, _>>().map_err(nul)?;
        let env_strings: Vec<CString> =
            vars.into_iter().map(|(k, v)| CString::new([k, b"=".to_vec(), v].concat())).collect::<Result<_, _>>().map_err(nul)?;
        let pointers = |v: &[CString]| v.iter().map(|s| s.as_ptr()).chain(std::iter::once(std::ptr::null())).collect::<Vec<_>>();
        // Moving a CString keeps its bytes where they are: the pointers stay valid in `_strings`.
        let mut strings = argv_strings;
        let n = strings.len();
        strings.extend(env_strings);
        let (argv, envp) = (pointers(&strings[..n]), pointers(&strings[n..]));
        Ok(Exec { path, _strings: strings, argv, envp })
    }
}

impl Exec {
    /// Replaces this process's program; returns only on failure.
    fn execve(&self) -> io::Error {
        // SAFETY: `path` is a C string and `argv`, `envp` NULL-terminated arrays of pointers
        // into C strings this value owns, alive for the call.
        unsafe { libc::execve(self.path.as_ptr(), self.argv.as_ptr(), self.envp.as_ptr()) };
        io::Error::last_os_error()
    }
}

/// `program` as execvp would find it: as given when it names a path, else the first
/// executable file of that name in `path` (a PATH value).
fn resolve(program: &str, path: Option<&str>) -> io::Result<String> {
    use std::os::unix::fs::PermissionsExt as _;
    if program.contains('/') {
        return Ok(program.to_string());
    }
    let dirs = path.unwrap_or("/usr/local/bin:/usr/bin:/bin");
    dirs.split(':')
        .map(|d| format!("{}/{program}", if d.is_empty() { "." } else { d }))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))
}

/// Spawns `exec` (with `cmd`'s stdio and directory) as the leader of a new process group (its
/// pid is the group's id). The kernel sends it SIGKILL when the *calling thread* ends, so
/// call this only from a thread that lives as long as the process may run.
pub fn spawn_in_own_group(cmd: &mut Command, exec: Exec) -> io::Result<Child> {
    let parent = std::process::id() as libc::pid_t;
    use std::os::unix::process::CommandExt as _;
    // SAFETY: the closure runs in the forked child before exec; it allocates
    // nothing and makes only async-signal-safe calls (setsid, prctl, getppid,
    // sigemptyset, sigprocmask, signal, execve, _exit) on locals, `exec` and its own process.
    unsafe {
        cmd.pre_exec(move || {
            prepare_child(parent)?;
            Err(exec.execve())
        });
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
    fn the_child_gets_the_added_variables_and_a_program_from_path() {
        let exec = Exec::new("sh", &["-c".into(), "echo \"$FOLK_T_A $FOLK_T_B\"".into()], &[("FOLK_T_A".into(), "1".into()), ("FOLK_T_B".into(), "two".into())]).unwrap();
        let mut cmd = Command::new("sh");
        cmd.stdout(std::process::Stdio::piped());
        let out = spawn_in_own_group(&mut cmd, exec).unwrap().wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "1 two\n");
        assert_eq!(Exec::new("folk-no-such-program", &[], &[]).err().map(|e| e.kind()), Some(io::ErrorKind::NotFound));
    }

    #[test]
    fn a_child_of_a_thread_that_blocks_term_still_gets_term_in_its_own_group() {
        use std::os::unix::process::ExitStatusExt as _;
        let t = std::thread::spawn(|| {
            crate::runtime::signals::block_async_signals();
            let exec = Exec::new("sleep", &["30".to_string()], &[]).unwrap();
            let mut child = spawn_in_own_group(&mut Command::new("sleep"), exec).unwrap();
            let pgid = child.id();
            std::thread::sleep(Duration::from_millis(50));
            assert!(signal_group(pgid, libc::SIGTERM));
            let st = wait(&mut child, Duration::from_secs(5)).expect("TERM ended it");
            assert_eq!(st.signal(), Some(libc::SIGTERM));
        });
        t.join().unwrap();
    }
}
