//! Socket plumbing shared by the plugins that serve their own port (HTTP,
//! metrics): binding, the handle `Plugin::shutdown` stops a server task with,
//! and the one way a server drains its connections and a connection obeys.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use hyper_util::server::graceful::GracefulConnection;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;

use crate::error::fmt_duration;

/// Listening sockets a supervising parent bound before it forked this
/// process (`server.supervise`), by the configured address: `bind` takes
/// them instead of binding, so the socket and its backlog outlive a crash.
static INHERITED: Mutex<Vec<(SocketAddr, OwnedFd)>> = Mutex::new(Vec::new());

/// Hands `bind` a listening socket for `addr` (the supervisor, before it forks).
pub(crate) fn inherit(addr: SocketAddr, fd: OwnedFd) {
    INHERITED.lock().unwrap_or_else(|e| e.into_inner()).push((addr, fd));
}

fn take_inherited(addr: SocketAddr) -> Option<OwnedFd> {
    let mut list = INHERITED.lock().unwrap_or_else(|e| e.into_inner());
    let i = list.iter().position(|(a, _)| *a == addr)?;
    Some(list.swap_remove(i).1)
}

/// Binds outside the runtime (boot runs on a plain thread) and registers the
/// socket with the runtime's reactor; also returns the bound address (the
/// port chosen for port 0). A socket inherited for `addr` is used instead.
pub(crate) fn bind(addr: SocketAddr, rt: &tokio::runtime::Handle) -> Result<(TcpListener, SocketAddr), String> {
    let fail = |e: io::Error| format!("cannot listen on {addr}: {}", io_reason(&e));
    let _in_runtime = rt.enter();
    if let Some(fd) = take_inherited(addr) {
        let std_listener = std::net::TcpListener::from(fd);
        std_listener.set_nonblocking(true).map_err(fail)?;
        let listener = TcpListener::from_std(std_listener).map_err(fail)?;
        let bound = listener.local_addr().map_err(fail)?;
        return Ok((listener, bound));
    }
    let socket = if addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }.map_err(fail)?;
    // So a restarted server can bind while old connections sit in TIME_WAIT.
    socket.set_reuseaddr(true).map_err(fail)?;
    socket.bind(addr).map_err(fail)?;
    let listener = socket.listen(1024).map_err(fail)?;
    let bound = listener.local_addr().map_err(fail)?;
    Ok((listener, bound))
}

/// "Address already in use (os error 98)" -> "Address already in use".
pub(crate) fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

/// A server task's stop switch and its "every connection is closed" signal,
/// for `Plugin::shutdown`, which runs on a thread outside the runtime.
pub(crate) struct Running {
    stop: watch::Sender<bool>,
    done: mpsc::Receiver<()>,
    wait: Duration,
}

impl Running {
    /// Spawns the server task `serve(stop)` on `rt`; `stop` turns true (or its
    /// sender goes) when the plugin shuts down. `wait` bounds `stop_and_wait`.
    pub(crate) fn spawn<F>(rt: &tokio::runtime::Handle, wait: Duration, serve: impl FnOnce(watch::Receiver<bool>) -> F) -> Self
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (stop, stop_rx) = watch::channel(false);
        let (done_tx, done) = mpsc::channel();
        let task = serve(stop_rx);
        rt.spawn(async move {
            task.await;
            // Nobody waits any more when the plugin was dropped without shutdown().
            let _ = done_tx.send(());
        });
        Running { stop, done, wait }
    }

    pub(crate) fn stop_and_wait(self, what: &str) {
        self.stop.send_replace(true);
        // Disconnected means the task is gone already (e.g. the runtime was dropped).
        if let Err(mpsc::RecvTimeoutError::Timeout) = self.done.recv_timeout(self.wait) {
            tracing::warn!("{what} server did not stop within {}; leaving it behind", fmt_duration(self.wait));
        }
    }
}

/// Completes once the server's shutdown flag is true; never if its sender is gone.
pub(crate) async fn flipped(rx: &mut watch::Receiver<bool>) {
    let gone = rx.wait_for(|v| *v).await.is_err();
    if gone {
        std::future::pending::<()>().await;
    }
}

/// Completes once the plugin's own stop flag is true, or the plugin was
/// dropped without `shutdown()`.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    // Either outcome means stop; there is nothing else to learn from it.
    let _ = rx.wait_for(|v| *v).await;
}

/// What a server tells its connection tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnSignal {
    Run,
    /// Finish the request in flight, then close.
    Drain,
    /// Close now.
    Abort,
}

/// A server's open connections: each holds a `watch` from `track()` until it
/// is done, and `drain` tells them all what to do.
pub(crate) struct Connections(watch::Sender<ConnSignal>);

impl Connections {
    pub(crate) fn new() -> Self {
        Connections(watch::channel(ConnSignal::Run).0)
    }

    /// For a new connection task: it counts as open until this is dropped.
    pub(crate) fn track(&self) -> watch::Receiver<ConnSignal> {
        self.0.subscribe()
    }

    pub(crate) fn open(&self) -> usize {
        self.0.receiver_count()
    }

    /// Stops accepting (drops the listener), tells every connection to drain,
    /// and after `grace` aborts those still open, `overdue(how many)` first;
    /// then gives them one more second to go.
    pub(crate) async fn drain<L>(self, listener: L, grace: Duration, overdue: impl FnOnce(usize)) {
        drop(listener);
        self.0.send_replace(ConnSignal::Drain);
        if tokio::time::timeout(grace, self.0.closed()).await.is_err() {
            overdue(self.open());
            self.0.send_replace(ConnSignal::Abort);
            // Beyond this the caller stops waiting; a task still stuck is left to the runtime.
            let _ = tokio::time::timeout(Duration::from_secs(1), self.0.closed()).await;
        }
    }
}

/// Serves one connection under its server's signal: on Drain hyper finishes
/// the request in flight and closes; Abort (or a server task gone), or `cut`
/// completing (the connection's own reason to go, e.g. a client that takes
/// nothing), drops the connection at once, which ends as `Ok`.
pub(crate) async fn serve<C: GracefulConnection>(
    conn: C,
    mut signal: watch::Receiver<ConnSignal>,
    cut: impl Future<Output = ()>,
) -> Result<(), C::Error> {
    tokio::pin!(conn);
    tokio::pin!(cut);
    loop {
        tokio::select! {
            r = conn.as_mut() => return r,
            () = cut.as_mut() => return Ok(()),
            r = signal.changed() => match r {
                Ok(()) if *signal.borrow_and_update() == ConnSignal::Drain => conn.as_mut().graceful_shutdown(),
                _ => return Ok(()),
            },
        }
    }
}
