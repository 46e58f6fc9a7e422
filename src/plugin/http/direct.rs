//! `http.direct`: plain HTTP/1.1 connections served on the PHP workers'
//! own threads, as Workerman and Swoole serve theirs, with no hand-off
//! between threads. A new connection whose first request is plain (a peek
//! on the I/O thread; anything else is hyper's from the start) waits in the pool's wait set
//! (pool/waitset.rs) instead of in hyper; an idle worker that gets it ready
//! reads the request, runs it as the job it would have been (the same
//! payload, script, limits and lifecycle rules: it goes through the pool's
//! `next_job`), writes the answer itself and arms the connection again.
//!
//! Only the plain case runs here (see direct_wire.rs); for anything else the
//! connection goes back to hyper on the I/O thread with the bytes read so
//! far, for good: a partial head, a body still arriving or over
//! `http.body_buffer`, h2, an upgrade, HEAD, pipelining, compression the
//! client accepts, `http.client_rate`, a request hyper answers itself (400,
//! 413, 431); a static file, to the I/O thread's own loop (direct_files.rs)
//! when it is the connection's first request. An answer PHP streams, and one the client does not
//! take at once, are written from the I/O thread (chunked, under
//! `http.send_timeout` and the response budget), then the connection comes
//! back here. The idle and head clocks of connections waiting here are kept
//! by a sweep on the I/O thread.
//!
//! While every worker is busy, the I/O thread takes what arrives every
//! `OVERFLOW` and queues it as hyper's path would (`queue.size`, `queue.timeout`,
//! abandoned requests dropped before they run): `Direct::overflow`. A client
//! that sent its request and left before anyone took it is found by the
//! hang-up epoll reports, one that leaves while PHP runs at the script's
//! output once it has run 5 ms (a `recv` peek).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rustix::net::Shutdown;
use tokio::net::TcpStream;
use tokio::sync::watch;


use super::counters::HTTP_METRICS;
use super::direct_wire::{Parsed, parse};
use super::exchange::Peer;
use super::request::{Plain, Requests};
use crate::pool::waitset::{Ready, WaitSet};
use crate::pool::PoolHandle;
use super::direct_conns::{ARMED, BUSY, Conn, GONE, Hyper, Io, Keep, Slab, Waiting, waiting};
use super::direct_send::Send;

/// Bytes read per `read` call; a head that does not fit goes to hyper.
pub(super) const READ: usize = 16 * 1024;
/// How often the sweep looks for connections past their idle or head clock.
pub(super) const SWEEP: Duration = Duration::from_millis(500);
/// How often the I/O thread looks whether every worker is busy while requests wait (`overflow`).
pub(super) const OVERFLOW: Duration = Duration::from_millis(2);

/// Who serves a new connection, by its first request.
pub(super) enum First {
    /// Plain: it waits for the workers.
    Workers,
    /// A plain GET of a static file: the I/O thread sends it (direct_files.rs).
    Files,
    /// Anything else: hyper, for good.
    Hyper,
    /// The client closed it, or sent nothing for `http.header_timeout`.
    Closed,
}


/// Where a connection a worker owns goes on the I/O thread (`Direct::hand_off`).
pub(super) enum To {
    /// The rest of an answer is written there, then it comes back to the set.
    Answer(Send),
    /// Hyper serves it for good, from the bytes read so far.
    Hyper,
    /// The file loop answers the static file its buffer asks for.
    Files,
}

/// The connections of one HTTP server that wait in the pool's wait set.
pub(super) struct Direct {
    pub(super) me: Weak<Direct>,
    pub(super) set: OnceLock<Arc<WaitSet>>,
    pub(super) conns: Mutex<Slab>,
    pub(super) requests: Arc<Requests>,
    /// Where connections go back to hyper.
    pub(super) server: Weak<dyn Hyper>,
    /// Whose workers serve the connections (and where the overflow is queued).
    pub(super) pool: PoolHandle,
    pub(super) rt: tokio::runtime::Handle,
    pub(super) epoch: Instant,
    /// The server stopped accepting: answers close their connections.
    pub(super) closing: AtomicBool,
    pub(super) max_body: u64,
    pub(super) header_timeout: Duration,
    pub(super) idle_timeout: Duration,
    pub(super) send_timeout: Duration,
}

impl Direct {
    /// Makes the pool's idle workers wait for `server`'s plain connections.
    pub(super) fn start(server: Weak<dyn Hyper>, requests: Arc<Requests>, pool: &PoolHandle, cfg: &crate::config::HttpConfig) -> Result<Arc<Direct>, String> {
        let direct = Arc::new_cyclic(|me| Direct {
            me: me.clone(),
            set: OnceLock::new(),
            conns: Mutex::new(Slab::default()),
            requests,
            server,
            pool: pool.clone(),
            rt: tokio::runtime::Handle::current(),
            epoch: Instant::now(),
            closing: AtomicBool::new(false),
            max_body: cfg.max_body_size.min(cfg.body_buffer),
            header_timeout: cfg.header_timeout,
            idle_timeout: cfg.idle_timeout,
            send_timeout: cfg.send_timeout,
        });
        let set = pool.serve_on_workers(direct.clone())?;
        let _ = direct.set.set(set);
        tracing::info!("http.direct: plain HTTP/1.1 requests are served on the PHP workers' threads");
        Ok(direct)
    }

    pub(super) fn slab(&self) -> MutexGuard<'_, Slab> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Whether a new connection's first request is one a worker serves as
    /// it is: only then does the connection wait for the workers, so h2, a
    /// static file or a HEAD never waits for a free PHP worker to hand it to
    /// hyper. Peeks (the bytes stay for whoever serves it).
    pub(super) async fn first_request(&self, stream: &TcpStream) -> First {
        let mut buf = vec![0u8; READ];
        let peeked = tokio::time::timeout(self.header_timeout, stream.peek(&mut buf)).await;
        match peeked {
            // Silent for header_timeout: closed quietly, as hyper's path closes it.
            Ok(Ok(0)) | Err(_) => First::Closed,
            Ok(Ok(n)) => match parse(&buf[..n], self.max_body) {
                Parsed::Request { mut req, .. } => match self.requests.direct_plain(&mut req) {
                    Some(Plain::Php) => First::Workers,
                    Some(Plain::File(..)) => First::Files,
                    None => First::Hyper,
                },
                Parsed::Hyper => First::Hyper,
            },
            Ok(Err(_)) => First::Hyper,
        }
    }

    /// Takes a freshly accepted connection into the wait set.
    pub(super) fn adopt(&self, stream: TcpStream, remote: SocketAddr, keep: Keep) {
        let Some(set) = self.set.get() else { return };
        let local = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
        let stream = match stream.into_std() {
            Ok(s) => s,
            Err(e) => return tracing::debug!(remote = %remote, error = %e, "cannot take the connection off the I/O thread"),
        };
        let _ = stream.set_nodelay(true);
        let peer = Arc::new(Peer { remote: remote.to_string(), local, addr: remote, tls: false });
        let io = Io { stream, buf: Vec::new(), keep, _open: HTTP_METRICS.connection_opened() };
        let now = self.now_ms();
        let conn = self.slab().insert(|token| {
            Arc::new(Conn {
                token,
                state: AtomicU8::new(ARMED),
                last: AtomicU64::new(now),
                fresh: AtomicBool::new(true),
                peer,
                io: Mutex::new(Some(io)),
            })
        });
        let added = match conn.io().as_ref() {
            Some(io) => set.add(&io.stream, conn.token),
            None => Ok(()),
        };
        if let Err(e) = added {
            tracing::warn!(error = %e, "cannot add a connection to the workers' wait set; closing it");
            self.close(&conn);
        }
    }

    /// Takes a connection this caller owns (BUSY) or won from the set out of
    /// this server's connections: what it holds, if nobody took it first.
    pub(super) fn retire(&self, conn: &Conn) -> Option<Io> {
        conn.state.store(GONE, Ordering::Release);
        self.slab().remove(conn.token);
        conn.io().take()
    }

    /// Ends a connection this caller owns (BUSY) or won from the set.
    pub(super) fn close(&self, conn: &Conn) {
        if let Some(io) = self.retire(conn) {
            let _ = rustix::net::shutdown(&io.stream, Shutdown::Both);
        }
    }

    /// Moves a connection this caller owns to the I/O thread (`To`).
    pub(super) fn hand_off(&self, conn: &Conn, to: To) {
        let Some(io) = self.retire(conn) else { return };
        if let Some(set) = self.set.get() {
            let _ = set.remove(&io.stream);
        }
        let (Some(server), Some(direct)) = (self.server.upgrade(), self.me.upgrade()) else { return };
        let (addr, patience) = (conn.peer.addr, self.send_timeout);
        self.rt.spawn(async move {
            let Io { stream, buf, keep, _open } = io;
            let Ok(mut stream) = TcpStream::from_std(stream) else { return };
            let send = match to {
                To::Answer(send) => send,
                To::Hyper => {
                    HTTP_METRICS.direct_handoff();
                    drop(_open);
                    return server.hand_back(stream, addr, keep, Bytes::from(buf)).await;
                }
                To::Files => {
                    drop(_open);
                    return direct.serve_files(server, stream, addr, keep, buf).await;
                }
            };
            let close = send.close;
            let send = send.within(&server.connection_memory());
            if send.write(&mut stream, patience).await && !close {
                drop(_open);
                direct.adopt(stream, addr, keep);
            }
        });
    }

    /// The sweep: closes connections waiting past their clock, and all of
    /// them once `closing` is set. Runs on the I/O thread until the server stops.
    pub(super) async fn sweep(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(SWEEP) => {}
                _ = stop.changed() => {}
            }
            let all = self.closing.load(Ordering::Acquire) || *stop.borrow();
            let now = self.now_ms();
            let (head, idle) = (self.header_timeout.as_millis() as u64, self.idle_timeout.as_millis() as u64);
            let due = self.slab().conns().into_iter().filter(|c| {
                let limit = if c.fresh.load(Ordering::Acquire) { head } else { idle };
                all || now.saturating_sub(c.last.load(Ordering::Acquire)) >= limit
            });
            for conn in due {
                if conn.state.compare_exchange(ARMED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_err() {
                    continue;
                }
                // Draining: a request that arrived is served (a worker takes it, then closes).
                let served = all && conn.io().as_ref().is_some_and(|io| matches!(waiting(&io.stream), Waiting::Bytes));
                if served {
                    self.release(&conn);
                } else {
                    self.close(&conn);
                }
            }
            if all && self.slab().entries.iter().all(|(_, c)| c.is_none()) {
                return;
            }
        }
    }

    /// While no worker is idle, requests that arrive go where hyper's path
    /// puts them: the I/O thread takes the ready connections every
    /// `OVERFLOW` and queues their requests (so `queue.size` answers 503 and
    /// `queue.timeout` applies; a client gone before a worker takes one is
    /// found then), and hands the others (a static file, h2) to hyper. While
    /// a worker is idle it takes them itself, and this sleeps until none is.
    pub(super) async fn overflow(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let pool = self.pool.clone();
        let Some(set) = self.set.get().cloned() else { return };
        let mut ready = Vec::new();
        loop {
            // No timer while a worker is idle: an idle server wakes nobody.
            tokio::select! {
                _ = pool.all_workers_busy() => {}
                _ = stop.changed() => return,
            }
            tokio::select! {
                _ = tokio::time::sleep(OVERFLOW) => {}
                _ = stop.changed() => return,
            }
            if pool.idle_workers() > 0 {
                continue;
            }
            set.take_ready(&mut ready);
            for (token, hangup) in ready.drain(..) {
                if let Some(job) = self.ready(token, hangup) {
                    HTTP_METRICS.direct_queued();
                    pool.submit_job(job);
                }
            }
        }
    }

    /// `server.shutdown_timeout` passed with requests still running: their
    /// clients get the connection closed now, as hyper's connections are
    /// aborted (an answer that comes later finds the socket shut).
    pub(super) fn cut_all(&self) {
        for conn in self.slab().conns() {
            if let Some(io) = conn.io().as_ref() {
                let _ = rustix::net::shutdown(&io.stream, Shutdown::Both);
            }
        }
    }

    /// The server stopped: idle workers wait on the pool's queue again (a
    /// server booted later on the same pool attaches its own wait set).
    pub(super) fn detach(&self) {
        if let Some(set) = self.set.get() {
            self.pool.stop_serving_on_workers(set);
        }
    }

    /// The server stopped accepting: idle connections close at the next sweep, busy ones after their answer.
    pub(super) fn close_all(&self) {
        self.closing.store(true, Ordering::Release);
    }

}