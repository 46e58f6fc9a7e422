//! One instance's supervisor: a thread that spawns the process, watches it,
//! restarts it as `policy` says, and stops it when the server stops (stop
//! signal to its group, SIGKILL after `stop_timeout`, reaped). The thread
//! lives as long as the instance: a child dies with the thread that spawned
//! it (PR_SET_PDEATHSIG), so this one must not end while its child runs.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use super::metrics::Status;
use super::output::{Readers, Stream};
use super::policy::{Decision, Exit, RestartPolicy};
use super::state::ProcState;
use crate::config::{self, ProcessSettings};
use crate::runtime::child;
use crate::runtime::process::signal_name;

/// How often a running child is checked (exit, readiness) while waiting for the stop.
const POLL: Duration = Duration::from_millis(20);
/// How long output still in the pipes is waited for after the process ended.
const OUTPUT_GRACE: Duration = Duration::from_millis(500);

/// What one instance runs.
pub struct Instance {
    pub name: String,
    pub index: usize,
    pub settings: Arc<ProcessSettings>,
    pub status: Arc<Status>,
}

/// How a watched run ended.
enum Watched {
    Ended(Exit, Duration),
    /// The server stops (the stop channel closed).
    Stop,
}

impl Instance {
    fn prefix(&self) -> String {
        format!("{}.{}", self.name, self.index)
    }

    /// Runs until `stop` closes. `first` gets the first spawn's outcome (boot fails on an error).
    pub fn run(self, stop: Receiver<()>, first: SyncSender<Result<(), String>>) {
        let prefix = self.prefix();
        let mut policy = RestartPolicy::new(&self.settings);
        let mut first = Some(first);
        loop {
            let (exit, ran) = match self.spawn() {
                Err(e) => {
                    let why = format!("processes.{}: cannot start {}: {e}", self.name, self.describe());
                    if let Some(f) = first.take() {
                        self.set(ProcState::Failed);
                        let _ = f.send(Err(why));
                        let _ = stop.recv();
                        self.set(ProcState::Stopped);
                        return;
                    }
                    tracing::error!("[{prefix}] {why}");
                    self.set(ProcState::Backoff);
                    (Exit::SpawnFailed, Duration::ZERO)
                }
                Ok((mut child, readers)) => {
                    self.set(ProcState::Running);
                    tracing::info!("[{prefix}] started (pid {})", child.id());
                    if let Some(f) = first.take() {
                        let _ = f.send(Ok(()));
                    }
                    match self.watch(&mut child, &stop) {
                        Watched::Stop => {
                            self.stop(&mut child);
                            readers.finish(OUTPUT_GRACE);
                            self.set(ProcState::Stopped);
                            tracing::info!("[{prefix}] stopped");
                            return;
                        }
                        Watched::Ended(exit, ran) => {
                            readers.finish(OUTPUT_GRACE);
                            let how = match exit {
                                Exit::Code(c) => format!("exited with code {c}"),
                                Exit::Signal(s) => format!("was killed by {}", signal_name(s)),
                                Exit::SpawnFailed => "could not start".into(),
                            };
                            tracing::warn!("[{prefix}] {how} after {:.1}s", ran.as_secs_f64());
                            (exit, ran)
                        }
                    }
                }
            };
            match policy.after(exit, ran) {
                Decision::Restart(delay) => {
                    if self.status.state() == ProcState::Running {
                        self.set(ProcState::Backoff);
                    }
                    tracing::info!("[{prefix}] restarting in {}", crate::error::fmt_duration(delay));
                    if !matches!(stop.recv_timeout(delay), Err(RecvTimeoutError::Timeout)) {
                        self.set(ProcState::Stopped);
                        return;
                    }
                    self.status.restarted();
                    self.set(ProcState::Starting);
                }
                Decision::Done => {
                    self.set(ProcState::Exited);
                    tracing::info!("[{prefix}] not restarted (restart = {})", self.restart_name());
                    let _ = stop.recv();
                    self.set(ProcState::Stopped);
                    return;
                }
                Decision::GiveUp { restarts } => {
                    self.set(ProcState::Failed);
                    tracing::error!(
                        "[{prefix}] gave up: it ended within ready_after ({}) {} times in a row; fix it and restart the server (processes.{}.max_restarts = {restarts})",
                        crate::error::fmt_duration(self.settings.ready_after),
                        restarts + 1,
                        self.name
                    );
                    let _ = stop.recv();
                    self.set(ProcState::Stopped);
                    return;
                }
            }
        }
    }

    fn set(&self, to: ProcState) {
        if let Err(e) = self.status.set(to) {
            // A bug in this file, not in the user's process: say so, keep going.
            tracing::error!("[{}] {e}", self.prefix());
        }
    }

    fn restart_name(&self) -> &'static str {
        match self.settings.restart {
            config::Restart::Always => "always",
            config::Restart::OnFailure => "on_failure",
            config::Restart::Never => "never",
        }
    }

    fn describe(&self) -> String {
        match &self.settings.command {
            config::Command::Argv(a) => format!("{a:?}"),
            config::Command::Line(l) => format!("/bin/sh -c {l:?}"),
            config::Command::Unset => "(no command)".into(),
        }
    }

    fn spawn(&self) -> std::io::Result<(Child, Readers)> {
        let s = &self.settings;
        let (program, args) = match &s.command {
            config::Command::Argv(argv) => (argv[0].as_str(), argv[1..].to_vec()),
            config::Command::Line(line) => ("/bin/sh", vec!["-c".to_string(), line.clone()]),
            config::Command::Unset => return Err(std::io::Error::other("no command")),
        };
        let mut env = s.env.clone();
        env.push(("FOLK_PROCESS_NAME".into(), self.prefix()));
        env.push(("FOLK_PROCESS_INDEX".into(), self.index.to_string()));
        let exec = child::Exec::new(program, &args, &env)?;
        let mut cmd = Command::new(program);
        if let Some(dir) = &s.directory {
            cmd.current_dir(dir);
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = child::spawn_in_own_group(&mut cmd, exec)?;
        let mut streams: Vec<(Stream, Box<dyn std::io::Read + Send>)> = Vec::new();
        if let Some(out) = child.stdout.take() {
            streams.push((Stream::Stdout, Box::new(out)));
        }
        if let Some(err) = child.stderr.take() {
            streams.push((Stream::Stderr, Box::new(err)));
        }
        Ok((child, Readers::start(&self.prefix(), streams)))
    }

    /// Waits until the child ends or the stop channel closes; marks it ready after `ready_after`.
    fn watch(&self, child: &mut Child, stop: &Receiver<()>) -> Watched {
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(st)) => return Watched::Ended(exit_of(st), started.elapsed()),
                Ok(None) => {}
                Err(e) => {
                    tracing::error!("[{}] cannot wait for it: {e}", self.prefix());
                    return Watched::Ended(Exit::Code(-1), started.elapsed());
                }
            }
            if !self.status.is_ready() && started.elapsed() >= self.settings.ready_after {
                self.status.set_ready();
                tracing::debug!("[{}] up", self.prefix());
            }
            if !matches!(stop.recv_timeout(POLL), Err(RecvTimeoutError::Timeout)) {
                return Watched::Stop;
            }
        }
    }

    /// The stop signal to the group, SIGKILL after `stop_timeout`; reaps the child.
    fn stop(&self, c: &mut Child) {
        let prefix = self.prefix();
        self.set(ProcState::Stopping);
        let signal = child::signal_number(self.settings.stop_signal);
        let pgid = c.id();
        tracing::info!("[{prefix}] stopping: {} to its process group", signal_name(signal));
        child::signal_group(pgid, signal);
        let deadline = Instant::now() + self.settings.stop_timeout;
        // The leader first; then what else it started in its group, within the same timeout.
        let mut leader_done = false;
        while Instant::now() < deadline {
            if !leader_done {
                leader_done = !matches!(c.try_wait(), Ok(None));
            }
            if leader_done && !child::signal_group(pgid, 0) {
                return;
            }
            std::thread::sleep(POLL / 2);
        }
        if child::signal_group(pgid, libc::SIGKILL) {
            tracing::warn!(
                "[{prefix}] still running {} after {}: killed (SIGKILL); raise processes.{}.stop_timeout if it needs longer",
                crate::error::fmt_duration(self.settings.stop_timeout),
                signal_name(signal),
                self.name
            );
        }
        let _ = c.wait();
    }
}

fn exit_of(st: std::process::ExitStatus) -> Exit {
    use std::os::unix::process::ExitStatusExt as _;
    match (st.code(), st.signal()) {
        (Some(c), _) => Exit::Code(c),
        (None, Some(s)) => Exit::Signal(s),
        (None, None) => Exit::Code(-1),
    }
}
