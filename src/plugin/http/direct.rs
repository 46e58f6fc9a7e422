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

use std::io::{self, IoSlice};
use std::net::{SocketAddr, TcpStream as StdStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::{Method, Response, StatusCode, Uri};
use rustix::net::{RecvFlags, SendFlags, Shutdown};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, watch};

use http_body_util::BodyExt;

use super::budget::{ConnMemory, settle};
use super::conn::AnyBody;
use super::counters::{HTTP_METRICS, OpenConnection};
use super::direct_wire::{Framing, Parsed, head, parse};
use super::exchange::{Peer, error_parts, into_response, plain_bytes, take_stream_flag};
use super::streamed::StreamBody;
use super::limits::ClientConnection;
use super::request::{Plain, Requests};
use super::server::Server;
use crate::error::WorkError;
use crate::plugin::net::ConnSignal;
use crate::pool::waitset::{Ready, WaitSet};
use crate::pool::stream::Receiver;
use crate::pool::{Deliver, Job, JobResult, PoolHandle, Reply};

/// Bytes read per `read` call; a head that does not fit goes to hyper.
pub(super) const READ: usize = 16 * 1024;
/// How often the sweep looks for connections past their idle or head clock.
const SWEEP: Duration = Duration::from_millis(500);
/// How often the I/O thread looks whether every worker is busy while requests wait (`overflow`).
const OVERFLOW: Duration = Duration::from_millis(2);

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

/// What a connection holds while it is open, whoever serves it.
pub(super) struct Keep {
    pub(super) permit: OwnedSemaphorePermit,
    pub(super) client: Option<ClientConnection>,
    pub(super) signal: watch::Receiver<ConnSignal>,
}

const ARMED: u8 = 0;
const BUSY: u8 = 1;
const GONE: u8 = 2;
/// Busy, and bytes arrived meanwhile: its owner has the set report it again.
const PENDING: u8 = 3;

/// A connection in the wait set. `state` says who owns it: the set (ARMED,
/// waiting for bytes), one worker or answer (BUSY, PENDING), nobody (GONE).
/// The set reports each arrival of bytes once, to one worker: one that finds
/// the connection busy leaves it PENDING to its owner (`Direct::release`).
struct Conn {
    token: u64,
    state: AtomicU8,
    /// Milliseconds since `Direct::epoch` of its last request, for the sweep.
    last: AtomicU64,
    /// No request yet: `http.header_timeout` applies, not `idle_timeout`.
    fresh: AtomicBool,
    peer: Arc<Peer>,
    io: Mutex<Option<Io>>,
}

struct Io {
    stream: StdStream,
    buf: Vec<u8>,
    keep: Keep,
    _open: OpenConnection,
}

impl Conn {
    fn io(&self) -> MutexGuard<'_, Option<Io>> {
        self.io.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a connection a worker owns goes on the I/O thread (`Direct::hand_off`).
enum To {
    /// The rest of an answer is written there, then it comes back to the set.
    Answer(Send),
    /// Hyper serves it for good, from the bytes read so far.
    Hyper,
    /// The file loop answers the static file its buffer asks for.
    Files,
}

/// The connections of one HTTP server that wait in the pool's wait set.
pub(super) struct Direct {
    me: Weak<Direct>,
    set: OnceLock<Arc<WaitSet>>,
    conns: Mutex<Slab>,
    pub(super) requests: Arc<Requests>,
    /// Where connections go back to hyper.
    server: Weak<Server>,
    /// Whose workers serve the connections (and where the overflow is queued).
    pool: PoolHandle,
    rt: tokio::runtime::Handle,
    epoch: Instant,
    /// The server stopped accepting: answers close their connections.
    pub(super) closing: AtomicBool,
    pub(super) max_body: u64,
    pub(super) header_timeout: Duration,
    pub(super) idle_timeout: Duration,
    pub(super) send_timeout: Duration,
}

/// Connections by token: the slot index in the low 32 bits, its reuse count
/// in the high ones, so an event for a connection closed meanwhile finds nothing.
#[derive(Default)]
struct Slab {
    entries: Vec<(u32, Option<Arc<Conn>>)>,
    free: Vec<u32>,
}

impl Slab {
    fn insert(&mut self, make: impl FnOnce(u64) -> Arc<Conn>) -> Arc<Conn> {
        let i = self.free.pop().unwrap_or_else(|| {
            self.entries.push((0, None));
            (self.entries.len() - 1) as u32
        });
        let entry = &mut self.entries[i as usize];
        entry.0 = entry.0.wrapping_add(1);
        let conn = make((u64::from(entry.0) << 32 | u64::from(i)) & !(1 << 63));
        entry.1 = Some(conn.clone());
        conn
    }

    fn get(&self, token: u64) -> Option<Arc<Conn>> {
        let (generation, conn) = self.entries.get((token & 0xffff_ffff) as usize)?;
        (u64::from(*generation) << 32 & !(1 << 63) == token & !0xffff_ffff).then(|| conn.clone()).flatten()
    }

    /// Every connection in it now.
    fn conns(&self) -> Vec<Arc<Conn>> {
        self.entries.iter().filter_map(|(_, c)| c.clone()).collect()
    }

    fn remove(&mut self, token: u64) {
        let i = (token & 0xffff_ffff) as u32;
        if let Some(entry) = self.entries.get_mut(i as usize)
            && entry.1.as_ref().is_some_and(|c| c.token == token)
        {
            entry.1 = None;
            self.free.push(i);
        }
    }
}

impl Direct {
    /// Makes the pool's idle workers wait for `server`'s plain connections.
    pub(super) fn start(server: &Arc<Server>, requests: Arc<Requests>, pool: &PoolHandle, cfg: &crate::config::HttpConfig) -> Result<Arc<Direct>, String> {
        let direct = Arc::new_cyclic(|me| Direct {
            me: me.clone(),
            set: OnceLock::new(),
            conns: Mutex::new(Slab::default()),
            requests,
            server: Arc::downgrade(server),
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

    fn slab(&self) -> MutexGuard<'_, Slab> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now_ms(&self) -> u64 {
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
    fn retire(&self, conn: &Conn) -> Option<Io> {
        conn.state.store(GONE, Ordering::Release);
        self.slab().remove(conn.token);
        conn.io().take()
    }

    /// Ends a connection this caller owns (BUSY) or won from the set.
    fn close(&self, conn: &Conn) {
        if let Some(io) = self.retire(conn) {
            let _ = rustix::net::shutdown(&io.stream, Shutdown::Both);
        }
    }

    /// Moves a connection this caller owns to the I/O thread (`To`).
    fn hand_off(&self, conn: &Conn, to: To) {
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
                    return server.serve_kept(stream, addr, keep, Bytes::from(buf)).await;
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

    /// Reads what arrived; None: the connection was dealt with (closed, re-armed, handed off).
    fn read(&self, conn: &Arc<Conn>) -> Option<Job> {
        let started = tokio::time::Instant::now();
        let mut guard = conn.io();
        let io = guard.as_mut()?;
        io.buf.reserve(READ);
        // Into the buffer's spare room: nothing to zero first.
        let got = rustix::io::read(&io.stream, rustix::buffer::spare_capacity(&mut io.buf)).map_err(io::Error::from);
        match got {
            Ok(0) => {
                drop(guard);
                self.close(conn);
                return None;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => {
                drop(guard);
                self.release(conn);
                return None;
            }
            Err(_) => {
                drop(guard);
                self.close(conn);
                return None;
            }
        }
        let Parsed::Request { req, close } = parse(&io.buf, self.max_body) else {
            drop(guard);
            self.hand_off(conn, To::Hyper);
            return None;
        };
        // For the access log and errors: clones that allocate nothing (a standard method, the target's shared bytes).
        let (method, uri) = (req.method().clone(), req.uri().clone());
        let Some(payload) = self.requests.direct_payload(req, &conn.peer) else {
            // Not PHP's: a static file goes to the I/O thread's file loop, the rest to hyper.
            let file = match parse(&io.buf, self.max_body) {
                Parsed::Request { mut req, .. } => matches!(self.requests.direct_plain(&mut req), Some(Plain::File(..))),
                Parsed::Hyper => false,
            };
            drop(guard);
            self.hand_off(conn, if file { To::Files } else { To::Hyper });
            return None;
        };
        io.buf.clear();
        drop(guard);
        HTTP_METRICS.direct_request();
        conn.fresh.store(false, Ordering::Release);
        let answer =
            Answer { direct: self.me.upgrade()?, conn: conn.clone(), started, close, method, uri, looked: AtomicU64::new(0), answered: false };
        Some(Job {
            method: "http".to_string(),
            payload,
            reply: Arc::new(Reply::delivered(Box::new(answer))),
            enqueued: Instant::now(),
            background: false,
        })
    }

    /// Back to the set for the next request, without a syscall; bytes that
    /// came while it was busy (PENDING: their event found it busy) have the
    /// set report it again.
    fn release(&self, conn: &Conn) {
        conn.last.store(self.now_ms(), Ordering::Release);
        if conn.state.compare_exchange(BUSY, ARMED, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            return;
        }
        let reported = {
            let guard = conn.io();
            let (Some(io), Some(set)) = (guard.as_ref(), self.set.get()) else { return };
            conn.state.store(ARMED, Ordering::Release);
            set.rearm(&io.stream, conn.token)
        };
        if reported.is_err() && conn.state.compare_exchange(ARMED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            self.close(conn);
        }
    }
}

impl Ready for Direct {
    fn ready(&self, token: u64, hangup: bool) -> Option<Job> {
        let conn = self.slab().get(token)?;
        loop {
            match conn.state.load(Ordering::Acquire) {
                ARMED if conn.state.compare_exchange(ARMED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_ok() => break,
                // Its owner reads again when it is done with it.
                BUSY if conn.state.compare_exchange(BUSY, PENDING, Ordering::AcqRel, Ordering::Acquire).is_ok() => return None,
                ARMED | BUSY => {}
                // Already told (PENDING), or closed since the event (GONE).
                _ => return None,
            }
        }
        let job = self.read(&conn)?;
        if hangup {
            // The client sent its request and left (as hyper's path sees an EOF):
            // the pool drops the job unrun and counts it abandoned; dropping its
            // answer closes the connection.
            job.reply.abandon();
        }
        Some(job)
    }
}

/// What a connection has waiting to be read, without reading it.
enum Waiting {
    Bytes,
    Nothing,
    /// The client closed its side, or the connection failed.
    Gone,
}

fn waiting(stream: &StdStream) -> Waiting {
    let mut one = [0u8; 1];
    match rustix::net::recv(stream, &mut one, RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Ok((0, _)) => Waiting::Gone,
        Ok(_) => Waiting::Bytes,
        Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => Waiting::Nothing,
        Err(_) => Waiting::Gone,
    }
}

/// Where a direct request's answer goes: written by the thread that completes
/// its reply. Dropped unanswered (a job dropped unrun), it closes the connection.
struct Answer {
    direct: Arc<Direct>,
    conn: Arc<Conn>,
    started: tokio::time::Instant,
    close: bool,
    method: Method,
    uri: Uri,
    /// Milliseconds after `started` of the last look at the socket (`client_gone`).
    looked: AtomicU64,
    answered: bool,
}

/// A request running this long has its client looked at when it sends output
/// (a `recv` peek), at most once per this long: shorter ones never pay for it.
const LOOK_EVERY_MS: u64 = 5;

impl Drop for Answer {
    fn drop(&mut self) {
        if !self.answered {
            self.direct.close(&self.conn);
        }
    }
}

impl Deliver for Answer {
    fn client_gone(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.looked.load(Ordering::Relaxed);
        if now < last + LOOK_EVERY_MS || self.looked.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
            return false;
        }
        self.conn.io().as_ref().is_some_and(|io| matches!(waiting(&io.stream), Waiting::Gone))
    }

    fn deliver(mut self: Box<Self>, result: JobResult, reply: &Reply) {
        self.answered = true;
        let (resp, stream) = self.response(result, reply);
        let took = self.started.elapsed();
        let status = resp.status();
        self.direct.requests.observe(self.method.as_str(), self.uri.path(), status.as_u16(), took, &self.conn.peer.remote);
        let close = self.close || self.direct.closing.load(Ordering::Acquire);
        match stream {
            Some(rx) => {
                // PHP streams the body: it goes out from the I/O thread as it comes.
                let head = head(status, resp.headers(), Framing::Chunked, close, &date());
                let send = Send { head: Bytes::from(head), body: AnyBody::Stream(StreamBody::new(rx)), chunked: true, close };
                self.direct.hand_off(&self.conn, To::Answer(send));
            }
            None => {
                let head = head(status, resp.headers(), Framing::Length(resp.body().len()), close, &date());
                self.write(head, resp.into_body(), close);
            }
        }
    }
}

impl Answer {
    /// The response to a job's result, and the stream its body follows on if PHP streams it.
    fn response(&self, result: JobResult, reply: &Reply) -> (Response<Bytes>, Option<Receiver>) {
        let failed = |status: StatusCode, headers: HeaderMap| {
            let mut r = plain_bytes(status);
            r.headers_mut().extend(headers);
            (r, None)
        };
        match result {
            Ok(mut v) => {
                let streamed = take_stream_flag(&mut v);
                match (into_response(v), streamed) {
                    (Ok(r), false) => (r, None),
                    (Ok(r), true) => match reply.take_stream() {
                        Some(rx) => (r, Some(rx)),
                        None => {
                            tracing::error!(method = %self.method, path = %self.uri.path(), "a streamed head came without its stream");
                            failed(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new())
                        }
                    },
                    (Err(why), _) => {
                        tracing::error!(method = %self.method, path = %self.uri.path(), "the HTTP handler returned something that is not a response: {why}");
                        failed(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new())
                    }
                }
            }
            Err(e) => {
                match &e {
                    WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method = %self.method, path = %self.uri.path(), error = %e, "request refused"),
                    _ => tracing::error!(method = %self.method, path = %self.uri.path(), error = %e, "request failed"),
                }
                let (status, headers) = error_parts(&e);
                failed(status, headers)
            }
        }
    }

    /// Writes as much as the socket takes now; the rest goes on from the I/O thread.
    fn write(self, head: Vec<u8>, body: Bytes, close: bool) {
        let direct = &self.direct;
        let mut done = 0;
        let total = head.len() + body.len();
        let failed = {
            let guard = self.conn.io();
            let Some(io) = guard.as_ref() else { return };
            loop {
                let parts = if done < head.len() {
                    [IoSlice::new(&head[done..]), IoSlice::new(&body)]
                } else {
                    [IoSlice::new(&body[done - head.len()..]), IoSlice::new(&[])]
                };
                match rustix::net::sendmsg(&io.stream, &parts, &mut Default::default(), SendFlags::NOSIGNAL) {
                    Ok(n) => {
                        done += n;
                        if done >= total {
                            break false;
                        }
                    }
                    Err(rustix::io::Errno::INTR) => {}
                    Err(rustix::io::Errno::AGAIN) => break false,
                    Err(_) => break true,
                }
            }
        };
        if failed || (done >= total && close) {
            return direct.close(&self.conn);
        }
        if done < total {
            // The client takes it slower than PHP made it: the rest waits within the
            // response budget (in memory, or in a temporary file past it).
            let (head, body) = if done < head.len() {
                (Bytes::from(head).slice(done..), body)
            } else {
                (Bytes::new(), body.slice(done - head.len()..))
            };
            let send = Send { head, body: AnyBody::Whole(Some(body)), chunked: false, close };
            return direct.hand_off(&self.conn, To::Answer(send));
        }
        direct.release(&self.conn);
    }
}

/// The rest of an answer, written from the I/O thread.
struct Send {
    head: Bytes,
    body: AnyBody,
    chunked: bool,
    close: bool,
}

impl Send {
    /// A whole body is held against the response budget (past it, in a temporary file).
    fn within(mut self, memory: &Arc<ConnMemory>) -> Self {
        if matches!(self.body, AnyBody::Whole(_)) {
            self.body = settle(Response::new(self.body), memory, false).into_body();
        }
        self
    }

    /// Writes it all, each write waiting at most `patience` for the client;
    /// false if the client did not take it or the body was cut short.
    async fn write(self, stream: &mut TcpStream, patience: Duration) -> bool {
        async fn put(stream: &mut TcpStream, data: &[u8], patience: Duration) -> bool {
            matches!(tokio::time::timeout(patience, stream.write_all(data)).await, Ok(Ok(())))
        }
        if !self.head.is_empty() && !put(stream, &self.head, patience).await {
            return false;
        }
        let mut body = Box::pin(self.body);
        loop {
            let data = match body.frame().await {
                None => break,
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => data,
                    _ => continue,
                },
                Some(Err(_)) => return false,
            };
            let sent = if self.chunked {
                let mut framed = Vec::with_capacity(data.len() + 16);
                framed.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
                framed.extend_from_slice(&data);
                framed.extend_from_slice(b"\r\n");
                put(stream, &framed, patience).await
            } else {
                put(stream, &data, patience).await
            };
            if !sent {
                return false;
            }
        }
        !self.chunked || put(stream, b"0\r\n\r\n", patience).await
    }
}

/// The `date` header's value, formatted once a second per thread.
pub(super) fn date() -> Vec<u8> {
    thread_local! {
        static LAST: std::cell::RefCell<(u64, Vec<u8>)> = const { std::cell::RefCell::new((u64::MAX, Vec::new())) };
    }
    let now = SystemTime::now();
    let secs = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        if l.0 != secs {
            *l = (secs, httpdate::fmt_http_date(now).into_bytes());
        }
        l.1.clone()
    })
}
