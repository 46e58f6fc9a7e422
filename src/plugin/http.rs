//! The HTTP front door: hyper serves HTTP/1.1 (keep-alive, pipelining) and
//! h2c on the server's tokio runtime and hands each request to a PHP worker
//! through the pool, so PHP never touches a socket and slow clients never hold a worker.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use hyper::http::request::Parts;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};

use super::metrics::HTTP_METRICS;
use super::{Plugin, PluginContext};
use crate::bridge::{Key, Value};
use crate::config::HttpConfig;
use crate::error::{WorkError, fmt_duration};
use crate::pool::{PoolHandle, ReplyFuture};

pub struct HttpPlugin {
    cfg: HttpConfig,
    addr: Option<SocketAddr>,
    running: Option<Running>,
}

impl HttpPlugin {
    pub fn new(cfg: HttpConfig) -> Self {
        HttpPlugin { cfg, addr: None, running: None }
    }

    /// The bound address (useful with port 0); None before boot.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }
}

impl Plugin for HttpPlugin {
    fn name(&self) -> &'static str {
        "http"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let listen = self.cfg.listen;
        let listener = bind(listen, &ctx.runtime)?;
        let addr = listener.local_addr().map_err(|e| format!("cannot listen on {listen}: {}", io_reason(&e)))?;
        let server = Arc::new(Server {
            builder: builder(&self.cfg),
            slots: Arc::new(Semaphore::new(self.cfg.max_connections.clamp(1, Semaphore::MAX_PERMITS))),
            cfg: self.cfg.clone(),
            pool: ctx.pool.clone(),
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let (done_tx, done_rx) = mpsc::channel();
        ctx.runtime.spawn(server.run(listener, ctx.shutdown.clone(), stop_rx, ctx.shutdown_timeout, done_tx));
        // Beyond shutdown_timeout the server aborts what is left, which takes a moment more.
        self.running = Some(Running::new(stop_tx, done_rx, ctx.shutdown_timeout + Duration::from_secs(2)));
        self.addr = Some(addr);
        tracing::info!(listen = %addr, "HTTP server listening on http://{addr}");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop_and_wait("HTTP");
        }
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
    pub(crate) fn new(stop: watch::Sender<bool>, done: mpsc::Receiver<()>, wait: Duration) -> Self {
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

/// What a server tells its connection tasks through a watch channel.
pub(crate) mod conn_signal {
    pub const RUN: u8 = 0;
    /// Finish the request in flight, then close.
    pub const DRAIN: u8 = 1;
    /// Close now.
    pub const ABORT: u8 = 2;
}

/// Binds outside the runtime (boot runs on a plain thread) and registers the
/// socket with the runtime's reactor.
pub(crate) fn bind(addr: SocketAddr, rt: &tokio::runtime::Handle) -> Result<TcpListener, String> {
    let fail = |e: io::Error| format!("cannot listen on {addr}: {}", io_reason(&e));
    let _in_runtime = rt.enter();
    let socket = if addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }.map_err(fail)?;
    // So a restarted server can bind while old connections sit in TIME_WAIT.
    socket.set_reuseaddr(true).map_err(fail)?;
    socket.bind(addr).map_err(fail)?;
    socket.listen(1024).map_err(fail)
}

/// "Address already in use (os error 98)" -> "Address already in use".
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

fn builder(cfg: &HttpConfig) -> auto::Builder<TokioExecutor> {
    let mut b = auto::Builder::new(TokioExecutor::new());
    // hyper 1.x answers 431 itself once a head fills its read buffer; the auto
    // builder exposes no exact head limit, and the buffer cannot be smaller
    // than 8 KiB, so `respond` re-checks the parsed head against the limit.
    b.http1()
        .keep_alive(true)
        // Our `Watched` IO enforces header_timeout (with a 408) and idle_timeout;
        // hyper's own timer would close silently and count idle time as head time.
        .header_read_timeout(None)
        .max_buf_size(cfg.max_header_size.max(MIN_HYPER_BUF));
    b.http2().max_header_list_size(u32::try_from(cfg.max_header_size).unwrap_or(u32::MAX));
    b
}

/// hyper panics on a smaller `max_buf_size`.
const MIN_HYPER_BUF: usize = 8192;

struct Server {
    cfg: HttpConfig,
    pool: PoolHandle,
    builder: auto::Builder<TokioExecutor>,
    /// One permit per open connection (`http.max_connections`).
    slots: Arc<Semaphore>,
}

/// The client and server addresses of one connection, as the handler sees them.
struct Peer {
    remote: String,
    local: String,
}

impl Server {
    async fn run(
        self: Arc<Self>,
        listener: TcpListener,
        mut shutdown: watch::Receiver<bool>,
        mut stop: watch::Receiver<bool>,
        grace: Duration,
        done: mpsc::Sender<()>,
    ) {
        let (conns, _) = watch::channel(conn_signal::RUN);
        loop {
            tokio::select! {
                _ = flipped(&mut shutdown) => break,
                _ = stopped(&mut stop) => break,
                r = listener.accept() => match r {
                    Ok((stream, remote)) => self.clone().accept(stream, remote, conns.subscribe()),
                    Err(e) => accept_failed(e).await,
                },
            }
        }
        drop(listener);
        let open = conns.receiver_count();
        tracing::info!(open, "HTTP server stopped accepting; finishing requests in flight");
        conns.send_replace(conn_signal::DRAIN);
        if tokio::time::timeout(grace, conns.closed()).await.is_err() {
            tracing::warn!(
                open = conns.receiver_count(),
                "HTTP connections still busy after server.shutdown_timeout ({}); closing them",
                fmt_duration(grace)
            );
            conns.send_replace(conn_signal::ABORT);
            let _ = tokio::time::timeout(Duration::from_secs(1), conns.closed()).await;
        }
        tracing::info!("HTTP server stopped");
        let _ = done.send(());
    }

    fn accept(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, signal: watch::Receiver<u8>) {
        match self.slots.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    self.serve(stream, remote, signal).await;
                    drop(permit);
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
                tokio::spawn(refuse(stream));
            }
        }
    }

    async fn serve(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, mut signal: watch::Receiver<u8>) {
        let _open = HTTP_METRICS.connection_opened();
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
        let peer = Arc::new(Peer { remote: remote.to_string(), local });
        let conn = Arc::new(ConnState::new());
        let io = TokioIo::new(Watched::new(stream, conn.clone(), self.cfg.header_timeout, self.cfg.idle_timeout));
        let server = self.clone();
        let service = service_fn(move |req| {
            // Counted here, synchronously, so the connection's timers know a request is in flight.
            let in_flight = InFlight::start(&conn);
            let server = server.clone();
            let peer = peer.clone();
            async move { Ok::<_, Infallible>(server.handle(req, &peer, in_flight).await) }
        });
        let c = self.builder.serve_connection(io, service);
        tokio::pin!(c);
        loop {
            tokio::select! {
                r = c.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!(remote = %remote, error = %e, "HTTP connection ended with an error");
                    }
                    break;
                }
                r = signal.changed() => match r {
                    Ok(()) if *signal.borrow_and_update() == conn_signal::DRAIN => c.as_mut().graceful_shutdown(),
                    // ABORT, or the server task is gone.
                    _ => break,
                },
            }
        }
    }

    async fn handle(&self, req: Request<Incoming>, peer: &Peer, in_flight: InFlight) -> Response<Tracked> {
        let started = Instant::now();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let h1 = req.version() < Version::HTTP_2;
        let (mut resp, close) = self.respond(req, peer, method.as_str(), &path).await;
        if close && h1 {
            resp.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        }
        let took = started.elapsed();
        let status = resp.status().as_u16();
        HTTP_METRICS.observe(status, took);
        if self.cfg.access_log {
            tracing::info!(
                method = %method,
                path = %path,
                status,
                duration_ms = took.as_secs_f64() * 1000.0,
                remote = %peer.remote,
                "{method} {path} {status}"
            );
        }
        resp.map(|body| Tracked { body, _in_flight: in_flight })
    }

    /// The response, and whether the connection must close after it (the
    /// request body may be left unread).
    async fn respond(&self, req: Request<Incoming>, peer: &Peer, method: &str, path: &str) -> (Response<Full<Bytes>>, bool) {
        if head_size(&req) > self.cfg.max_header_size {
            tracing::debug!(method, path, limit = self.cfg.max_header_size, "request head larger than http.max_header_size");
            return (plain(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE), true);
        }
        let max = self.cfg.max_body_size;
        // Content-Length is known before any body byte is read: refuse at once.
        if req.body().size_hint().lower() > max {
            tracing::debug!(method, path, limit = max, "request body larger than http.max_body_size");
            return (plain(StatusCode::PAYLOAD_TOO_LARGE), true);
        }
        let (parts, body) = req.into_parts();
        let body = match read_body(body, max, self.cfg.idle_timeout).await {
            Ok(b) => b,
            Err(status) => {
                tracing::debug!(method, path, status = status.as_u16(), "request body refused");
                return (plain(status), true);
            }
        };
        let result = match self.pool.submit("http".to_string(), payload(&parts, body, peer)) {
            Ok(reply) => ReplyFuture(reply).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(v) => match into_response(v) {
                Ok(r) => (r, false),
                Err(why) => {
                    tracing::error!(method, path, "the HTTP handler returned something that is not a response: {why}");
                    (plain(StatusCode::INTERNAL_SERVER_ERROR), false)
                }
            },
            Err(e) => {
                match &e {
                    WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method, path, error = %e, "request refused"),
                    _ => tracing::error!(method, path, error = %e, "request failed"),
                }
                (error_response(&e), false)
            }
        }
    }
}

/// Reads the whole body: 413 past `max` (chunked and h2 bodies have no length
/// up front), 408 when no byte arrives for `idle` (a stalled upload must not
/// hold the connection forever), 400 when the client breaks off.
async fn read_body(body: Incoming, max: u64, idle: Duration) -> Result<Vec<u8>, StatusCode> {
    let expected = body.size_hint().lower().min(1 << 20);
    let mut body = Limited::new(body, usize::try_from(max).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(expected as usize);
    loop {
        match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => return Err(StatusCode::REQUEST_TIMEOUT),
            Ok(None) => return Ok(out),
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    out.extend_from_slice(data);
                }
            }
            Ok(Some(Err(e))) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(StatusCode::PAYLOAD_TOO_LARGE),
            Ok(Some(Err(_))) => return Err(StatusCode::BAD_REQUEST),
        }
    }
}

/// The one place that says how a failed job is answered. Bodies stay generic:
/// the details (exception messages, file paths) only go to the log.
fn error_response(e: &WorkError) -> Response<Full<Bytes>> {
    let (status, retry_after) = match e {
        WorkError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, true),
        WorkError::ShutDown => (StatusCode::SERVICE_UNAVAILABLE, false),
        WorkError::Timeout(_) => (StatusCode::GATEWAY_TIMEOUT, false),
        WorkError::WorkerDied(_) | WorkError::Application { .. } | WorkError::Unhealthy(_) | WorkError::Bridge(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, false)
        }
    };
    let mut r = plain(status);
    if retry_after {
        r.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    r
}

/// A short text body naming the status, e.g. "503 Service Unavailable".
fn plain(status: StatusCode) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(status_line(status))));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn status_line(status: StatusCode) -> String {
    format!("{} {}\n", status.as_str(), status.canonical_reason().unwrap_or(""))
}

/// A whole response written straight to the socket, for answers given
/// outside hyper (refused connection, head timeout).
fn raw_response(status: StatusCode, extra: &str) -> Vec<u8> {
    let body = status_line(status);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// About how many bytes the request head took on the wire.
fn head_size(req: &Request<Incoming>) -> usize {
    let uri = req.uri();
    let target = uri.path_and_query().map_or(1, |p| p.as_str().len()) + uri.authority().map_or(0, |a| a.as_str().len());
    let line = req.method().as_str().len() + target + " HTTP/1.1\r\n ".len();
    let headers: usize = req.headers().iter().map(|(n, v)| n.as_str().len() + v.len() + ": \r\n".len()).sum();
    line + headers + 2
}

/// The request as the PHP handler receives it.
fn payload(parts: &Parts, body: Vec<u8>, peer: &Peer) -> Value {
    let uri = &parts.uri;
    let h2 = parts.version >= Version::HTTP_2;
    // HTTP/1 keeps the target as sent (origin or absolute form); h2 has no
    // request line, so its target is :path.
    let target = if h2 { uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.to_string()) } else { uri.to_string() };
    let mut headers: Vec<(Key, Value)> = Vec::with_capacity(parts.headers.keys_len() + 1);
    for name in parts.headers.keys() {
        let values = parts.headers.get_all(name).iter().map(|v| Value::Str(v.as_bytes().to_vec())).collect();
        headers.push((Key::Str(name.as_str().as_bytes().to_vec()), Value::List(values)));
    }
    if h2 && !parts.headers.contains_key(HOST) {
        // h2 carries the host in :authority; PHP code expects a Host header.
        if let Some(a) = uri.authority() {
            headers.push((Key::Str(b"host".to_vec()), Value::List(vec![Value::str(a.as_str())])));
        }
    }
    let field = |k: &str, v: Value| (Key::Str(k.as_bytes().to_vec()), v);
    Value::Map(vec![
        field("method", Value::str(parts.method.as_str())),
        field("target", Value::str(target)),
        field("path", Value::str(uri.path())),
        field("query", Value::str(uri.query().unwrap_or(""))),
        field("protocol", Value::str(format!("{:?}", parts.version))),
        field("headers", Value::Map(headers)),
        field("body", Value::Str(body)),
        field("remote", Value::str(peer.remote.as_str())),
        field("local", Value::str(peer.local.as_str())),
    ])
}

/// Turns a handler's return value into a response; the error says what is
/// wrong in terms of the PHP value.
fn into_response(v: Value) -> Result<Response<Full<Bytes>>, String> {
    const SHAPE: &str = "return a string, null, or ['status' => 200, 'headers' => [...], 'body' => '...']";
    let entries = match v {
        Value::Str(s) => {
            let mut r = Response::new(Full::new(Bytes::from(s)));
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            return Ok(r);
        }
        Value::Null => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::NO_CONTENT;
            return Ok(r);
        }
        Value::Map(entries) => entries,
        other => return Err(format!("got {}; {SHAPE}", describe(&other))),
    };
    let mut status = StatusCode::OK;
    let mut headers = HeaderMap::new();
    let mut body = Vec::new();
    for (key, v) in entries {
        let Key::Str(key) = key else {
            return Err(format!("unexpected key {key} in the response array; {SHAPE}"));
        };
        match key.as_slice() {
            b"status" => {
                status = match v {
                    Value::Int(n) => u16::try_from(n)
                        .ok()
                        .filter(|n| (200..=999).contains(n))
                        .and_then(|n| StatusCode::from_u16(n).ok())
                        .ok_or_else(|| format!("'status' must be between 200 and 999, got {n}"))?,
                    other => return Err(format!("'status' must be an int, got {}", describe(&other))),
                }
            }
            b"headers" => match v {
                Value::Map(h) => {
                    for (name, value) in h {
                        add_header(&mut headers, name, value)?;
                    }
                }
                Value::List(l) if l.is_empty() => {}
                other => {
                    return Err(format!("'headers' must be an array of name => value, got {}", describe(&other)));
                }
            },
            b"body" => {
                body = match v {
                    Value::Str(s) => s,
                    Value::Null => Vec::new(),
                    other => return Err(format!("'body' must be a string, got {}", describe(&other))),
                }
            }
            other => {
                return Err(format!("unknown key '{}' in the response array; {SHAPE}", String::from_utf8_lossy(other)));
            }
        }
    }
    if !body.is_empty() && !headers.contains_key(CONTENT_TYPE) {
        // What PHP's SAPIs send by default.
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    }
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    *r.headers_mut() = headers;
    Ok(r)
}

fn add_header(headers: &mut HeaderMap, name: Key, value: Value) -> Result<(), String> {
    let Key::Str(name) = name else {
        return Err(format!("header names must be strings, got index {name}; write ['Name' => 'value']"));
    };
    let shown = String::from_utf8_lossy(&name).into_owned();
    let name = HeaderName::from_bytes(&name).map_err(|_| format!("'{shown}' is not a valid header name"))?;
    // hyper frames the body itself; a handler's own length would only risk a mismatch.
    if name == CONTENT_LENGTH || name == TRANSFER_ENCODING {
        return Ok(());
    }
    let one = |v: Value| -> Result<HeaderValue, String> {
        let bytes = match v {
            Value::Str(s) => s,
            Value::Int(i) => i.to_string().into_bytes(),
            other => return Err(format!("header '{shown}' must be a string, got {}", describe(&other))),
        };
        HeaderValue::from_bytes(&bytes).map_err(|_| format!("header '{shown}' has a value with a line break or control character"))
    };
    match value {
        Value::List(values) => {
            for v in values {
                headers.append(name.clone(), one(v)?);
            }
        }
        v => {
            headers.append(name, one(v)?);
        }
    }
    Ok(())
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("bool {b}"),
        Value::Int(i) => format!("int {i}"),
        Value::Float(f) => format!("float {f}"),
        Value::Str(_) => "a string".into(),
        Value::List(_) => "a list".into(),
        Value::Map(_) => "an array".into(),
    }
}

/// Completes once the server's shutdown flag is true; never if its sender is gone.
async fn flipped(rx: &mut watch::Receiver<bool>) {
    let gone = rx.wait_for(|v| *v).await.is_err();
    if gone {
        std::future::pending::<()>().await;
    }
}

/// Completes once the plugin's own stop flag is true, or the plugin was
/// dropped without `shutdown()`.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await.map(|_| ());
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

/// Over http.max_connections: a short 503 instead of a silent hang in the backlog.
async fn refuse(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let msg = raw_response(StatusCode::SERVICE_UNAVAILABLE, "retry-after: 1\r\n");
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&msg)).await;
    linger(stream).await;
}

const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;

/// Closing a socket that still has unread input makes the kernel send a
/// reset, which can destroy a response the client has not read yet (a 413
/// or 431 sent before the whole request arrived). So: send FIN, then read
/// and discard for a moment, as nginx's lingering close does.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let drain = async {
        let mut buf = vec![0u8; 8192];
        let mut left = LINGER_BYTES;
        while left > 0 {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    let _ = tokio::time::timeout(LINGER_TIME, drain).await;
}

/// What the connection's IO needs to know about requests: whether one is in
/// flight, and when the head of the next one started arriving.
struct ConnState {
    phase: Mutex<Phase>,
}

struct Phase {
    in_flight: usize,
    /// Set while a head is awaited; a fresh connection owes its first head within header_timeout.
    head_started: Option<Instant>,
    /// Whether any byte of that head arrived (a partial head gets a 408, silence is just closed).
    head_bytes: bool,
    /// The connection task, parked on a read while requests were in flight. hyper
    /// may not poll the read again after the last response, so the last
    /// `InFlight` wakes it, or the idle clock would never start.
    read_waker: Option<std::task::Waker>,
}

impl ConnState {
    fn new() -> Self {
        ConnState {
            phase: Mutex::new(Phase { in_flight: 0, head_started: Some(Instant::now()), head_bytes: false, read_waker: None }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Held from the moment hyper hands us a request until its response body is
/// dropped (fully sent or abandoned).
struct InFlight(Arc<ConnState>);

impl InFlight {
    fn start(conn: &Arc<ConnState>) -> Self {
        let mut p = conn.lock();
        p.in_flight += 1;
        p.head_started = None;
        p.head_bytes = false;
        InFlight(conn.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let waker = {
            let mut p = self.0.lock();
            p.in_flight = p.in_flight.saturating_sub(1);
            if p.in_flight == 0 { p.read_waker.take() } else { None }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// A response body that keeps its request counted as in flight until hyper is done with it.
pub struct Tracked {
    body: Full<Bytes>,
    _in_flight: InFlight,
}

impl Body for Tracked {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

#[derive(Clone, Copy, PartialEq)]
enum Sniff {
    /// This many bytes matched the h2 preface so far.
    Unknown(usize),
    H1,
    H2,
}

/// The TCP stream with the connection's clocks: a head must arrive within
/// header_timeout (else 408 and close), a connection without a request in
/// flight closes after idle_timeout of silence, and a client that stops
/// reading a response is dropped after idle_timeout.
struct Watched {
    stream: Option<TcpStream>,
    conn: Arc<ConnState>,
    header_timeout: Duration,
    idle_timeout: Duration,
    read_timer: Pin<Box<Sleep>>,
    write_timer: Pin<Box<Sleep>>,
    last_activity: Instant,
    write_stalled: Option<Instant>,
    proto: Sniff,
    read_eof: bool,
    /// We timed the connection out; every further read is EOF.
    closed: bool,
}

impl Watched {
    fn new(stream: TcpStream, conn: Arc<ConnState>, header_timeout: Duration, idle_timeout: Duration) -> Self {
        let now = Instant::now();
        Watched {
            stream: Some(stream),
            conn,
            header_timeout,
            idle_timeout,
            read_timer: Box::pin(tokio::time::sleep_until(now + header_timeout)),
            write_timer: Box::pin(tokio::time::sleep_until(now + idle_timeout)),
            last_activity: now,
            write_stalled: None,
            proto: Sniff::Unknown(0),
            read_eof: false,
            closed: false,
        }
    }

    fn on_read(&mut self, data: &[u8]) {
        let now = Instant::now();
        self.last_activity = now;
        if let Sniff::Unknown(k) = self.proto {
            let n = data.len().min(H2_PREFACE.len() - k);
            self.proto = if data[..n] != H2_PREFACE[k..k + n] {
                Sniff::H1
            } else if k + n == H2_PREFACE.len() {
                Sniff::H2
            } else {
                Sniff::Unknown(k + n)
            };
        }
        let mut p = self.conn.lock();
        if self.proto == Sniff::H2 {
            // h2 multiplexes: frames arrive between and during requests, so only idle_timeout applies.
            p.head_started = None;
        } else if p.in_flight == 0 {
            p.head_started.get_or_insert(now);
            p.head_bytes = true;
        }
    }

    /// Called when a read is pending: fires the head or idle deadline if it passed.
    fn poll_read_deadline(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let (deadline, partial_head) = {
            let mut p = self.conn.lock();
            if p.in_flight > 0 {
                // The handler's own limits (exec_timeout) apply now.
                if !p.read_waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    p.read_waker = Some(cx.waker().clone());
                }
                return Poll::Pending;
            }
            match p.head_started {
                Some(t) => (t + self.header_timeout, p.head_bytes),
                None => (self.last_activity + self.idle_timeout, false),
            }
        };
        ready!(poll_deadline(&mut self.read_timer, deadline, cx));
        self.closed = true;
        if !partial_head {
            // Idle, or a fresh connection that never sent anything: close quietly (EOF to hyper).
            return Poll::Ready(Ok(()));
        }
        // Only write our own answer if hyper is not halfway through writing one.
        if let (None, Some(s)) = (self.write_stalled, self.stream.as_ref()) {
            let _ = s.try_write(&raw_response(StatusCode::REQUEST_TIMEOUT, ""));
        }
        HTTP_METRICS.observe(StatusCode::REQUEST_TIMEOUT.as_u16(), self.header_timeout);
        tracing::debug!("request head not complete within http.header_timeout; answered 408");
        Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "request head not received within http.header_timeout")))
    }

    fn on_write(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        match r {
            Poll::Ready(Ok(n)) => {
                self.write_stalled = None;
                if n > 0 {
                    self.last_activity = Instant::now();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let deadline = *self.write_stalled.get_or_insert_with(Instant::now) + self.idle_timeout;
                ready!(poll_deadline(&mut self.write_timer, deadline, cx));
                tracing::debug!("client stopped reading the response for http.idle_timeout; closing");
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "client stopped reading for http.idle_timeout")))
            }
        }
    }
}

/// Polls `timer` as a timer for `deadline`. Deadlines mostly move later (each
/// request pushes the idle deadline out), and re-arming a tokio timer takes
/// the runtime's timer lock, so a timer armed too early is left alone: when
/// it fires before the deadline, it is re-armed then. Only an earlier
/// deadline re-arms it at once.
fn poll_deadline(timer: &mut Pin<Box<Sleep>>, deadline: tokio::time::Instant, cx: &mut Context<'_>) -> Poll<()> {
    loop {
        if timer.deadline() > deadline {
            timer.as_mut().reset(deadline);
        }
        ready!(timer.as_mut().poll(cx));
        if tokio::time::Instant::now() >= deadline {
            return Poll::Ready(());
        }
        timer.as_mut().reset(deadline);
    }
}

fn gone() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.closed {
            return Poll::Ready(Ok(()));
        }
        let Some(stream) = this.stream.as_mut() else { return Poll::Ready(Ok(())) };
        let before = buf.filled().len();
        match Pin::new(stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let filled = &buf.filled()[before..];
                if filled.is_empty() {
                    this.read_eof = true;
                } else {
                    this.on_read(filled);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.poll_read_deadline(cx),
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else { return Poll::Ready(Err(gone())) };
        let r = Pin::new(stream).poll_write(cx, data);
        this.on_write(cx, r)
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else { return Poll::Ready(Err(gone())) };
        let r = Pin::new(stream).poll_write_vectored(cx, bufs);
        this.on_write(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream.as_mut() {
            Some(s) => Pin::new(s).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream.as_mut() {
            Some(s) => Pin::new(s).poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let Some(stream) = self.stream.take() else { return };
        if self.read_eof {
            return; // the client closed first: nothing unread, nothing to protect
        }
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(linger(stream));
        }
    }
}


#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::PoolConfig;
    use crate::pool::Pool;
    use crate::runtime::mock::{self, MockRuntime};
    use std::io::{BufRead, BufReader, Read, Write};

    /// A mock-runtime pool, a tokio runtime and a booted HTTP plugin on 127.0.0.1:0.
    pub(crate) struct Fixture {
        pub ctx: PluginContext,
        pub shutdown_tx: watch::Sender<bool>,
        pub plugin: HttpPlugin,
        pool: Option<Pool>,
        rt: Option<tokio::runtime::Runtime>,
    }

    impl Fixture {
        pub(crate) fn start(tune: impl FnOnce(&mut PoolConfig, &mut HttpConfig)) -> Fixture {
            Self::with_runtime(mock::runtime(), tune)
        }

        pub(crate) fn with_runtime(mock: Arc<MockRuntime>, tune: impl FnOnce(&mut PoolConfig, &mut HttpConfig)) -> Fixture {
            let defaults = PoolConfig::default();
            let mut pc = PoolConfig {
                worker: "mock".into(),
                workers: crate::config::WorkersConfig {
                    count: 2,
                    exec_timeout: Some(Duration::from_secs(5)),
                    boot_timeout: Duration::from_secs(2),
                    ..defaults.workers
                },
                queue: crate::config::QueueConfig { timeout: Some(Duration::from_secs(5)), ..defaults.queue },
                shutdown_timeout: Duration::from_secs(1),
            };
            let mut hc = HttpConfig { listen: "127.0.0.1:0".parse().unwrap(), ..HttpConfig::default() };
            tune(&mut pc, &mut hc);
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            let pool = Pool::start(pc, mock).unwrap();
            let (shutdown_tx, shutdown) = watch::channel(false);
            let ctx = PluginContext {
                pool: pool.handle(),
                runtime: rt.handle().clone(),
                shutdown,
                shutdown_timeout: Duration::from_secs(3),
            };
            let mut plugin = HttpPlugin::new(hc);
            plugin.boot(&ctx).unwrap();
            Fixture { ctx, shutdown_tx, plugin, pool: Some(pool), rt: Some(rt) }
        }

        pub(crate) fn addr(&self) -> SocketAddr {
            self.plugin.local_addr().unwrap()
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            self.shutdown_tx.send_replace(true);
            self.plugin.shutdown();
            if let Some(p) = self.pool.take() {
                p.shutdown(Duration::from_millis(500));
            }
            if let Some(rt) = self.rt.take() {
                rt.shutdown_timeout(Duration::from_secs(1));
            }
        }
    }

    #[derive(Debug)]
    pub(crate) struct Resp {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl Resp {
        pub(crate) fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }
        pub(crate) fn all(&self, name: &str) -> Vec<&str> {
            self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
        }
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
    }

    pub(crate) fn connect(addr: SocketAddr) -> std::net::TcpStream {
        let s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        s
    }

    /// Reads one response (Content-Length or chunked framing; otherwise to EOF).
    pub(crate) fn read_response(r: &mut impl BufRead) -> io::Result<Resp> {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed before a response"));
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (n, v) = l.split_once(':').unwrap();
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let mut resp = Resp { status, headers, body: Vec::new() };
        if let Some(n) = resp.header("content-length") {
            let mut body = vec![0; n.parse().unwrap()];
            r.read_exact(&mut body)?;
            resp.body = body;
        } else if resp.header("transfer-encoding") == Some("chunked") {
            loop {
                line.clear();
                r.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim(), 16).unwrap();
                let mut chunk = vec![0; n + 2];
                r.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                resp.body.extend_from_slice(&chunk[..n]);
            }
        } else if !matches!(status, 204 | 304) {
            r.read_to_end(&mut resp.body)?;
        }
        Ok(resp)
    }

    /// One request with raw bytes, one response, connection closed.
    pub(crate) fn raw(addr: SocketAddr, request: &[u8]) -> io::Result<Resp> {
        let mut s = connect(addr);
        s.write_all(request)?;
        read_response(&mut BufReader::new(s))
    }

    pub(crate) fn get(addr: SocketAddr, path: &str) -> Resp {
        raw(addr, format!("GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n").as_bytes()).unwrap()
    }

    /// Reads until EOF; returns what arrived and how long it took.
    fn read_until_closed(s: &mut std::net::TcpStream) -> (Vec<u8>, Duration) {
        let t = std::time::Instant::now();
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("connection not closed: {e} after {:?}", t.elapsed()),
            }
        }
        (out, t.elapsed())
    }

    #[test]
    fn hello_string_response() {
        let f = Fixture::start(|_, _| {});
        let r = get(f.addr(), "/string");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(r.text(), "hello from folk");
    }

    #[test]
    fn request_fields_reach_the_handler() {
        let f = Fixture::start(|_, _| {});
        let r = get(f.addr(), "/a/b%20c?x=1&y=2");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-method"), Some("GET"));
        assert_eq!(r.header("x-path"), Some("/a/b%20c"));
        assert_eq!(r.header("x-query"), Some("x=1&y=2"));
        assert_eq!(r.header("x-target"), Some("/a/b%20c?x=1&y=2"));
        assert_eq!(r.header("x-protocol"), Some("HTTP/1.1"));
        assert_eq!(r.header("x-local"), Some(f.addr().to_string().as_str()));
        assert!(r.header("x-remote").unwrap().starts_with("127.0.0.1:"), "{r:?}");
        let r = get(f.addr(), "/plain");
        assert_eq!(r.header("x-query"), Some(""));
        let r = raw(f.addr(), b"DELETE http://example.com/abs?q HTTP/1.0\r\n\r\n").unwrap();
        assert_eq!(r.header("x-method"), Some("DELETE"));
        assert_eq!(r.header("x-target"), Some("http://example.com/abs?q"));
        assert_eq!(r.header("x-path"), Some("/abs"));
        assert_eq!(r.header("x-protocol"), Some("HTTP/1.0"));
    }

    #[test]
    fn repeated_headers_keep_their_order() {
        let f = Fixture::start(|_, _| {});
        let r = raw(
            f.addr(),
            b"GET / HTTP/1.1\r\nhost: t\r\nX-Echo: one\r\nx-other: z\r\nx-echo: two\r\nX-ECHO: three, four\r\nconnection: close\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.all("x-echo"), ["one", "two", "three, four"]);
    }

    #[test]
    fn one_mib_body_round_trip() {
        let f = Fixture::start(|_, _| {});
        let body: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
        let mut s = connect(f.addr());
        write!(s, "POST /upload HTTP/1.1\r\nhost: t\r\ncontent-length: {}\r\n\r\n", body.len()).unwrap();
        s.write_all(&body).unwrap();
        let r = read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-method"), Some("POST"));
        assert!(r.body == body, "body differs ({} bytes back)", r.body.len());

        // The same through chunked transfer encoding.
        let mut s = connect(f.addr());
        s.write_all(b"PUT /c HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
        for chunk in body.chunks(100_000) {
            write!(s, "{:x}\r\n", chunk.len()).unwrap();
            s.write_all(chunk).unwrap();
            s.write_all(b"\r\n").unwrap();
        }
        s.write_all(b"0\r\n\r\n").unwrap();
        let r = read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(r.status, 200);
        assert!(r.body == body, "chunked body differs ({} bytes back)", r.body.len());
    }

    #[test]
    fn keep_alive_and_pipelining() {
        let f = Fixture::start(|_, _| {});
        let s = connect(f.addr());
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        for i in 0..100 {
            write!(w, "GET /n/{i} HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
            let resp = read_response(&mut r).unwrap();
            assert_eq!(resp.status, 200);
            assert_eq!(resp.header("x-path"), Some(format!("/n/{i}").as_str()));
        }
        // Pipelined: 20 requests in one write, answers in order.
        let mut batch = String::new();
        for i in 0..20 {
            batch += &format!("POST /p/{i} HTTP/1.1\r\nhost: t\r\ncontent-length: {}\r\n\r\nbody{i}", format!("body{i}").len());
        }
        w.write_all(batch.as_bytes()).unwrap();
        for i in 0..20 {
            let resp = read_response(&mut r).unwrap();
            assert_eq!(resp.header("x-path"), Some(format!("/p/{i}").as_str()));
            assert_eq!(resp.text(), format!("body{i}"));
        }
    }

    #[test]
    fn body_over_the_limit_is_413() {
        let f = Fixture::start(|_, h| h.max_body_size = 1000);
        // By Content-Length, before the body is read.
        let mut s = connect(f.addr());
        s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 5000\r\n\r\n").unwrap();
        s.write_all(&[b'a'; 5000]).unwrap();
        let r = read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(r.status, 413);
        assert_eq!(r.text(), "413 Payload Too Large\n");
        assert_eq!(r.header("connection"), Some("close"));
        // Chunked: stopped while streaming.
        let mut s = connect(f.addr());
        s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
        for _ in 0..3 {
            s.write_all(b"200\r\n").unwrap();
            s.write_all(&[b'b'; 0x200]).unwrap();
            s.write_all(b"\r\n").unwrap();
        }
        let r = read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(r.status, 413);
        // Exactly at the limit is fine.
        let mut s = connect(f.addr());
        s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-length: 1000\r\n\r\n").unwrap();
        s.write_all(&[b'c'; 1000]).unwrap();
        assert_eq!(read_response(&mut BufReader::new(s)).unwrap().status, 200);
    }

    #[test]
    fn head_over_the_limit_is_431() {
        // Large limit: hyper's own buffer limit answers.
        let f = Fixture::start(|_, _| {});
        let big = "v".repeat(70 << 10);
        let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-big: {big}\r\n\r\n").as_bytes()).unwrap();
        assert_eq!(r.status, 431, "{r:?}");
        // Small limit (under hyper's 8 KiB minimum buffer): our own check answers.
        let f = Fixture::start(|_, h| h.max_header_size = 1024);
        let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-big: {}\r\n\r\n", "v".repeat(2000)).as_bytes()).unwrap();
        assert_eq!(r.status, 431, "{r:?}");
        assert_eq!(r.header("connection"), Some("close"));
        let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-ok: {}\r\nconnection: close\r\n\r\n", "v".repeat(500)).as_bytes()).unwrap();
        assert_eq!(r.status, 200);
    }

    #[test]
    fn garbage_is_400_and_closed() {
        let f = Fixture::start(|_, _| {});
        let mut s = connect(f.addr());
        s.write_all(b"this is not http at all\r\n\r\n").unwrap();
        let (out, _) = read_until_closed(&mut s);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{text:?}");
        let r = raw(f.addr(), b"GET / HTTP/1.1\r\nbad header line\r\n\r\n").unwrap();
        assert_eq!(r.status, 400);
        // The server is still fine.
        assert_eq!(get(f.addr(), "/string").status, 200);
    }

    #[test]
    fn handler_results_and_failures() {
        let f = Fixture::start(|_, _| {});
        let r = get(f.addr(), "/null");
        assert_eq!((r.status, r.body.len()), (204, 0));
        let r = get(f.addr(), "/status/404");
        assert_eq!((r.status, r.text().as_str()), (404, "status 404"));
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        for path in ["/bad", "/status/42", "/fail", "/die"] {
            let r = get(f.addr(), path);
            assert_eq!(r.status, 500, "{path}");
            assert_eq!(r.text(), "500 Internal Server Error\n", "{path}: the body must not leak details");
        }
        // The worker that died was replaced; the server still answers.
        assert_eq!(get(f.addr(), "/string").status, 200);
    }

    #[test]
    fn full_queue_is_503_with_retry_after() {
        let f = Fixture::start(|p, _| {
            p.workers.count = 1;
            p.queue.size = 1;
        });
        let send = |path: &str| {
            let mut s = connect(f.addr());
            write!(s, "GET {path} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n").unwrap();
            s
        };
        let running = send("/sleep/400");
        std::thread::sleep(Duration::from_millis(100));
        let queued = send("/sleep/1");
        std::thread::sleep(Duration::from_millis(100));
        let t = std::time::Instant::now();
        let r = read_response(&mut BufReader::new(send("/string"))).unwrap();
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("1"));
        assert_eq!(r.text(), "503 Service Unavailable\n");
        assert!(t.elapsed() < Duration::from_millis(300), "refused only after {:?}", t.elapsed());
        assert_eq!(read_response(&mut BufReader::new(running)).unwrap().status, 200);
        assert_eq!(read_response(&mut BufReader::new(queued)).unwrap().status, 200);
    }

    #[test]
    fn exec_timeout_is_504() {
        let f = Fixture::start(|p, _| p.workers.exec_timeout = Some(Duration::from_millis(200)));
        let t = std::time::Instant::now();
        let r = get(f.addr(), "/sleep/5000");
        assert_eq!(r.status, 504);
        assert_eq!(r.text(), "504 Gateway Timeout\n");
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }

    #[test]
    fn graceful_shutdown_finishes_the_request_in_flight() {
        let mut f = Fixture::start(|_, _| {});
        let addr = f.addr();
        let mut inflight = connect(addr);
        inflight.write_all(b"GET /sleep/500 HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        // An idle keep-alive connection is closed at once.
        let mut idle = connect(addr);
        idle.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        let mut idle_r = BufReader::new(idle.try_clone().unwrap());
        assert_eq!(read_response(&mut idle_r).unwrap().status, 200);
        std::thread::sleep(Duration::from_millis(100));

        let t = std::time::Instant::now();
        f.shutdown_tx.send_replace(true);
        let reader = std::thread::spawn(move || read_response(&mut BufReader::new(inflight)));
        f.plugin.shutdown();
        let waited = t.elapsed();
        let r = reader.join().unwrap().unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("connection"), Some("close"));
        assert!(waited >= Duration::from_millis(300), "shutdown returned after {waited:?}, before the request finished");
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        let (rest, _) = read_until_closed(&mut idle);
        assert!(rest.is_empty());
        assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err(), "still accepting");
    }

    #[test]
    fn shutdown_gives_up_after_the_timeout() {
        let mut f = Fixture::start(|_, _| {});
        f.ctx.shutdown_timeout = Duration::from_millis(200);
        // Re-boot with the short timeout on a fresh plugin.
        f.plugin.shutdown();
        f.plugin = HttpPlugin::new(HttpConfig { listen: "127.0.0.1:0".parse().unwrap(), ..HttpConfig::default() });
        f.plugin.boot(&f.ctx).unwrap();
        let mut s = connect(f.addr());
        s.write_all(b"GET /sleep/3000 HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let t = std::time::Instant::now();
        f.shutdown_tx.send_replace(true);
        f.plugin.shutdown();
        assert!(t.elapsed() < Duration::from_millis(1500), "{:?}", t.elapsed());
        let (out, _) = read_until_closed(&mut s);
        assert!(out.is_empty(), "{:?}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn slow_head_is_408_silence_is_closed() {
        let f = Fixture::start(|_, h| h.header_timeout = Duration::from_millis(300));
        let mut s = connect(f.addr());
        s.write_all(b"GET / HTTP/1.1\r\nhost: t\r\n").unwrap();
        let (out, took) = read_until_closed(&mut s);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{text:?}");
        assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(2), "{took:?}");
        // A connection that never sends a byte is closed without an answer.
        let mut s = connect(f.addr());
        let (out, took) = read_until_closed(&mut s);
        assert!(out.is_empty(), "{:?}", String::from_utf8_lossy(&out));
        assert!(took < Duration::from_secs(2), "{took:?}");
        // A slow handler is not a slow head.
        let r = get(f.addr(), "/sleep/600");
        assert_eq!(r.status, 200);
    }

    #[test]
    fn stalled_body_is_408() {
        let f = Fixture::start(|_, h| h.idle_timeout = Duration::from_millis(300));
        let mut s = connect(f.addr());
        s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 10\r\n\r\nabc").unwrap();
        let t = std::time::Instant::now();
        let r = read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(r.status, 408);
        assert_eq!(r.header("connection"), Some("close"));
        assert!(t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }

    #[test]
    fn idle_keep_alive_connection_closes() {
        let f = Fixture::start(|_, h| h.idle_timeout = Duration::from_millis(300));
        let mut s = connect(f.addr());
        s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        assert_eq!(read_response(&mut r).unwrap().status, 200);
        let (out, took) = read_until_closed(&mut s);
        assert!(out.is_empty());
        assert!(took >= Duration::from_millis(200) && took < Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn idle_time_is_not_cut_short_by_a_timer_armed_for_the_head() {
        // The read timer is first armed for the head (200 ms) and left armed
        // when the idle deadline (800 ms after the response) lies later: when
        // it fires early it must re-arm, not close the connection.
        let f = Fixture::start(|_, h| {
            h.header_timeout = Duration::from_millis(200);
            h.idle_timeout = Duration::from_millis(800);
        });
        let mut s = connect(f.addr());
        s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        assert_eq!(read_response(&mut r).unwrap().status, 200);
        std::thread::sleep(Duration::from_millis(400));
        s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut r).unwrap().status, 200, "closed before idle_timeout");
        let (out, took) = read_until_closed(&mut s);
        assert!(out.is_empty());
        assert!(took >= Duration::from_millis(650) && took < Duration::from_secs(3), "{took:?}");
    }

    #[test]
    fn over_max_connections_is_503() {
        let f = Fixture::start(|_, h| h.max_connections = 1);
        let held = connect(f.addr());
        let mut w = held.try_clone().unwrap();
        w.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut BufReader::new(held)).unwrap().status, 200);
        let r = get(f.addr(), "/string");
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("1"));
        drop(w);
        // Once the first closes, the slot is free again.
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        loop {
            let r = get(f.addr(), "/string");
            if r.status == 200 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "slot never freed");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn busy_port_names_the_address() {
        let f = Fixture::start(|_, _| {});
        let mut second = HttpPlugin::new(HttpConfig { listen: f.addr(), ..HttpConfig::default() });
        let err = second.boot(&f.ctx).unwrap_err();
        assert_eq!(err, format!("cannot listen on {}: Address already in use", f.addr()));
    }

    #[test]
    fn h2c_prior_knowledge_with_curl() {
        let f = Fixture::start(|_, _| {});
        let out = std::process::Command::new("curl")
            .args(["-s", "--http2-prior-knowledge", "--max-time", "5", "-D", "-", "-H", "x-echo: a", "-H", "x-echo: b"])
            .arg(format!("http://{}/h2?q=1", f.addr()))
            .output();
        let Ok(out) = out else {
            eprintln!("curl not found; skipping the h2c check");
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout).to_ascii_lowercase();
        assert!(text.starts_with("http/2 200"), "{text}");
        assert!(text.contains("x-protocol: http/2.0"), "{text}");
        assert!(text.contains("x-target: /h2?q=1"), "{text}");
        assert!(text.contains("x-echo: a\r\nx-echo: b"), "{text}");
    }

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (Key::Str(k.into()), v)).collect())
    }

    #[test]
    fn response_values() {
        let r = into_response(map(vec![
            ("status", Value::Int(201)),
            ("headers", map(vec![("X-Multi", Value::List(vec!["a".into(), "b".into()])), ("x-n", Value::Int(3))])),
            ("body", "{}".into()),
        ]))
        .unwrap();
        assert_eq!(r.status(), 201);
        let multi: Vec<_> = r.headers().get_all("x-multi").iter().collect();
        assert_eq!(multi, ["a", "b"]);
        assert_eq!(r.headers()["x-n"], "3");
        assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
        let r = into_response(map(vec![("headers", map(vec![("content-type", "application/json".into())]))])).unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");

        let err = |v: Value| into_response(v).unwrap_err();
        assert!(err(Value::Int(1)).starts_with("got int 1; return a string, null, or"), "{}", err(Value::Int(1)));
        assert_eq!(err(map(vec![("status", Value::Int(99))])), "'status' must be between 200 and 999, got 99");
        assert_eq!(err(map(vec![("status", "200".into())])), "'status' must be an int, got a string");
        assert!(err(map(vec![("bdy", "x".into())])).starts_with("unknown key 'bdy'"));
        assert_eq!(
            err(map(vec![("headers", map(vec![("x-a", "one\r\ntwo".into())]))])),
            "header 'x-a' has a value with a line break or control character"
        );
        assert_eq!(err(map(vec![("headers", map(vec![("bad name", "v".into())]))])), "'bad name' is not a valid header name");
        assert_eq!(err(map(vec![("body", Value::Int(5))])), "'body' must be a string, got int 5");
    }

    #[test]
    fn every_work_error_has_one_status() {
        let cases = [
            (WorkError::Busy("queue full".into()), 503, Some("1")),
            (WorkError::ShutDown, 503, None),
            (WorkError::Timeout(Duration::from_secs(1)), 504, None),
            (WorkError::WorkerDied("x".into()), 500, None),
            (WorkError::Unhealthy("x".into()), 500, None),
            (
                WorkError::Application { class: "E".into(), message: "secret".into(), file: "/srv/app.php".into(), line: 1 },
                500,
                None,
            ),
        ];
        for (e, status, retry) in cases {
            let r = error_response(&e);
            assert_eq!(r.status(), status, "{e:?}");
            assert_eq!(r.headers().get("retry-after").map(|v| v.to_str().unwrap()), retry, "{e:?}");
        }
    }
}
