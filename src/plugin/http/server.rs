//! The HTTP server task: the accept loop, `http.max_connections` and
//! `http.client_connections` (a raw 503 for a connection over the limit),
//! the TLS handshake under `http.tls.*`, serving one connection through
//! hyper, and the drain when the server or the plugin stops.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hyper::StatusCode;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use bytes::Bytes;

use super::budget::ResponseMemory;
use super::conn::{ConnState, InFlight, Watched, linger};
use super::direct::{Direct, First};
use super::direct_conns::{Hyper, Keep};
use super::counters::HTTP_METRICS;
use super::exchange::{Peer, raw_response};
use super::raw_target::{EscapeTargets, TargetLog};
use super::request::Requests;
use super::send_clock::SLICE;
use super::tls::Tls;
use crate::config::HttpConfig;
use crate::error::fmt_duration;
use crate::plugin::net::{self, ConnSignal, Connections, flipped, stopped};

/// hyper panics on a smaller `max_buf_size`.
const MIN_HYPER_BUF: usize = 8192;

pub(super) struct Server {
    cfg: HttpConfig,
    builder: auto::Builder<TokioExecutor>,
    /// One permit per open connection (`http.max_connections`).
    slots: Arc<Semaphore>,
    requests: Arc<Requests>,
    /// `http.tls.*`: connections are TLS first.
    tls: Option<Arc<Tls>>,
    /// `http.response_buffer_total`, shared by every connection's budget.
    memory: ResponseMemory,
    /// `http.direct`: plain connections wait for the PHP workers, which serve them.
    direct: std::sync::OnceLock<Arc<Direct>>,
}

impl Server {
    pub(super) fn new(cfg: HttpConfig, requests: Requests, tls: Option<Arc<Tls>>) -> Self {
        Server {
            tls,
            memory: ResponseMemory::new(cfg.response_buffer, cfg.response_buffer_total),
            builder: builder(&cfg),
            slots: Arc::new(Semaphore::new(cfg.max_connections)),
            cfg,
            requests: Arc::new(requests),
            direct: std::sync::OnceLock::new(),
        }
    }

    /// `http.direct`: from now on the pool's idle workers serve this server's
    /// plain HTTP/1.1 connections themselves (see direct.rs). Not under TLS.
    pub(super) fn serve_on_workers(self: &Arc<Self>, pool: &crate::pool::PoolHandle) -> Result<(), String> {
        if self.tls.is_some() {
            tracing::info!("http.direct is not used under TLS: hyper serves the connections");
            return Ok(());
        }
        let me: std::sync::Weak<Self> = Arc::downgrade(self);
        let direct = Direct::start(me, self.requests.clone(), pool, &self.cfg)?;
        let _ = self.direct.set(direct);
        Ok(())
    }

    /// Accepts until the server shuts down or the plugin stops, then drains:
    /// requests in flight get `grace` to finish.
    pub(super) async fn run(
        self: Arc<Self>,
        listener: TcpListener,
        mut shutdown: watch::Receiver<bool>,
        mut stop: watch::Receiver<bool>,
        grace: Duration,
    ) {
        let conns = Connections::new();
        let sweep = self.direct.get().map(|d| tokio::spawn(d.clone().sweep(stop.clone())));
        let overflow = self.direct.get().map(|d| tokio::spawn(d.clone().overflow(stop.clone())));
        loop {
            tokio::select! {
                _ = flipped(&mut shutdown) => break,
                _ = stopped(&mut stop) => break,
                r = listener.accept() => match r {
                    Ok((stream, remote)) => self.clone().accept(stream, remote, conns.track()),
                    Err(e) => accept_failed(e).await,
                },
            }
        }
        tracing::info!(open = conns.open(), "HTTP server stopped accepting; finishing requests in flight");
        if let Some(d) = self.direct.get() {
            d.close_all();
        }
        conns
            .drain(listener, grace, |open| {
                tracing::warn!(
                    open,
                    "HTTP connections still busy after server.shutdown_timeout ({}); closing them",
                    fmt_duration(grace)
                );
                if let Some(d) = self.direct.get() {
                    d.cut_all();
                }
            })
            .await;
        for task in [sweep, overflow].into_iter().flatten() {
            task.abort();
        }
        if let Some(d) = self.direct.get() {
            d.detach();
        }
        tracing::info!("HTTP server stopped");
    }

    fn accept(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, signal: watch::Receiver<ConnSignal>) {
        // A trusted proxy carries many clients: http.client_connections is not its limit.
        let counted = if self.requests.trusts(remote.ip()) { Ok(None) } else { self.requests.limits.connect(remote.ip()) };
        let client = match counted {
            Ok(c) => c,
            Err(()) => {
                HTTP_METRICS.connection_refused();
                if rate_limited_warning() {
                    tracing::warn!(
                        remote = %remote.ip(),
                        max = self.cfg.client_connections,
                        "http.client_connections reached for a client; answering its new connections with 503"
                    );
                }
                tokio::spawn(self.refuse(stream));
                return;
            }
        };
        match self.slots.clone().try_acquire_owned() {
            Ok(permit) => {
                let keep = Keep { permit, client, signal };
                let Some(direct) = self.direct.get().cloned() else {
                    tokio::spawn(self.serve_kept(stream, remote, keep, Bytes::new()));
                    return;
                };
                tokio::spawn(async move {
                    match direct.first_request(&stream).await {
                        First::Workers => direct.adopt(stream, remote, keep),
                        First::Files => direct.serve_files(self, stream, remote, keep, Vec::new()).await,
                        First::Hyper => {
                            HTTP_METRICS.direct_handoff();
                            self.serve_kept(stream, remote, keep, Bytes::new()).await;
                        }
                        First::Closed => {}
                    }
                });
            }
            Err(_) => {
                HTTP_METRICS.connection_refused();
                if rate_limited_warning() {
                    tracing::warn!(
                        max = self.cfg.max_connections,
                        "http.max_connections reached; answering new connections with 503"
                    );
                }
                tokio::spawn(self.refuse(stream));
            }
        }
    }

    /// A new connection's share of the response budget.
    pub(super) fn connection_memory(&self) -> Arc<super::budget::ConnMemory> {
        self.memory.connection()
    }

    /// Serves a connection through hyper, `read` first (bytes already read
    /// from it), holding what it holds while open until it ends.
    pub(super) async fn serve_kept(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, keep: Keep, read: Bytes) {
        let Keep { permit, client, signal } = keep;
        self.serve(stream, remote, signal, read).await;
        drop(permit);
        drop(client);
    }

    async fn serve(&self, stream: TcpStream, remote: SocketAddr, signal: watch::Receiver<ConnSignal>, read: Bytes) {
        let _open = HTTP_METRICS.connection_opened();
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
        let peer = Arc::new(Peer { remote: remote.to_string(), local, addr: remote, tls: self.tls.is_some() });
        let conn = Arc::new(ConnState::new(self.cfg.send_timeout, self.memory.connection()));
        let c = &self.cfg;
        let mut watched = Watched::new(stream, conn.clone(), c.header_timeout, c.idle_timeout, c.send_timeout).read_first(read);
        let Some(tls) = &self.tls else { return self.serve_io(watched, remote, peer, conn, signal).await };
        // The handshake runs under header_timeout: Watched's head clock is already running.
        watched.under_tls(None);
        match tls.acceptor().accept(watched).await {
            Ok(mut s) => {
                let h2 = s.get_ref().1.alpn_protocol().map(|p| p == b"h2");
                s.get_mut().0.under_tls(h2);
                self.serve_io(s, remote, peer, conn, signal).await;
            }
            Err(e) => tracing::debug!(remote = %remote, error = %e, "TLS handshake failed"),
        }
    }

    async fn serve_io<I>(&self, io: I, remote: SocketAddr, peer: Arc<Peer>, conn: Arc<ConnState>, signal: watch::Receiver<ConnSignal>)
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let requests = self.requests.clone();
        // Request targets hyper would refuse reach it escaped; each request gets back the one sent.
        let targets = Arc::new(TargetLog::default());
        let io = TokioIo::new(EscapeTargets::new(io, targets.clone(), hyper_buf(&self.cfg)));
        let clock = conn.clone();
        let stalled = async move {
            clock.sending.stalled().await;
            tracing::debug!(remote = %remote, "client took no response bytes for http.send_timeout; closing the connection");
        };
        let service = service_fn(move |mut req| {
            // Here, synchronously: hyper hands over requests in the order it read their heads.
            targets.attach(&mut req);
            // Counted here, synchronously, so the connection's timers know a request is in flight.
            let in_flight = InFlight::start(&conn);
            let requests = requests.clone();
            let peer = peer.clone();
            async move { Ok::<_, Infallible>(requests.handle(req, &peer, in_flight).await) }
        });
        if let Err(e) = net::serve(self.builder.serve_connection(io, service), signal, stalled).await {
            tracing::debug!(remote = %remote, error = %e, "HTTP connection ended with an error");
        }
    }
}

impl Hyper for Server {
    fn hand_back(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, keep: Keep, read: Bytes) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        Box::pin(self.serve_kept(stream, remote, keep, read))
    }

    fn connection_memory(&self) -> Arc<super::budget::ConnMemory> {
        Server::connection_memory(self)
    }
}

fn builder(cfg: &HttpConfig) -> auto::Builder<TokioExecutor> {
    let mut b = auto::Builder::new(TokioExecutor::new());
    // hyper 1.x answers 431 itself once a head fills its read buffer; the auto
    // builder exposes no exact head limit, and the buffer cannot be smaller
    // than 8 KiB, so `Requests::respond` re-checks the parsed head against the limit.
    b.http1()
        .keep_alive(true)
        // Our `Watched` IO enforces header_timeout (with a 408) and idle_timeout;
        // hyper's own timer would close silently and count idle time as head time.
        .header_read_timeout(None)
        .max_buf_size(hyper_buf(cfg));
    b.http2()
        .max_header_list_size(u32::try_from(cfg.max_header_size).unwrap_or(u32::MAX))
        // What h2 may buffer per stream beyond its window (400 KiB by default): data a
        // client can keep waiting with a window it opens a byte at a time.
        .max_send_buf_size(4 * SLICE);
    b
}

/// hyper's read buffer, the largest request head it takes.
fn hyper_buf(cfg: &HttpConfig) -> usize {
    cfg.max_header_size.max(MIN_HYPER_BUF)
}

async fn accept_failed(e: io::Error) {
    match e.kind() {
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted => {
            tracing::debug!(error = %e, "accept failed");
        }
        _ => {
            // Typically out of file descriptors: back off instead of spinning.
            if rate_limited_warning() {
                tracing::warn!(error = %e, "cannot accept HTTP connections (out of file descriptors?); retrying");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// At most one overload warning per second, so an overload does not also flood the log.
fn rate_limited_warning() -> bool {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    LAST.swap(now, Ordering::Relaxed) != now
}

impl Server {
    /// Over a connection limit: a short 503 instead of a silent hang in the
    /// backlog; under TLS (no session yet to answer in), just the close.
    async fn refuse(self: Arc<Self>, stream: TcpStream) {
        if self.tls.is_some() {
            return linger(stream).await;
        }
        refuse_plain(stream).await
    }
}

async fn refuse_plain(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let msg = raw_response(StatusCode::SERVICE_UNAVAILABLE, "retry-after: 1\r\n");
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&msg)).await;
    linger(stream).await;
}
