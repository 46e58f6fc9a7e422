//! One connection from a web server: its records read in order, each
//! request (several at once if the web server multiplexes) run as its own
//! task that reads the body, runs the PHP job and writes the answer through
//! the connection's shared writing side. A request ends with its END_REQUEST; an
//! aborted one (FCGI_ABORT_REQUEST, or the web server closing the connection
//! because its client left) drops its job unrun if no worker took it yet,
//! as the HTTP front does.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Frame;
use hyper::{Response, StatusCode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;
use tokio::time::Instant;

use super::answer;
use super::counters::FASTCGI_METRICS;
use super::record::{self, BeginRequest, Decoder, ParamsReader, Record};
use super::request::{self, Refused};
use crate::bridge::{Key, Value};
use crate::config::HttpConfig;
use crate::error::WorkError;
use crate::plugin::http::body::{BodyRules, Received, read_body};
use crate::plugin::http::exchange::{add_spool, add_stream, error_parts, into_response, plain_bytes, take_stream_flag};
use crate::plugin::net::ConnSignal;
use crate::pool::stream::Chunk;
use crate::pool::{AbandonOnDrop, PoolHandle, spool};

/// What every connection of one listener shares.
pub(super) struct Front {
    pub(super) pool: PoolHandle,
    /// Classic mode: SCRIPT_FILENAME names the script to run.
    pub(super) classic: bool,
    /// The limits and timeouts (`http.*`), the same as the HTTP front's.
    pub(super) cfg: HttpConfig,
    pub(super) body: BodyRules,
}

/// Bytes of STDIN a request's body reader may lag behind the socket.
const STDIN_QUEUE: usize = 8;

/// One request of the connection, by its id.
enum Slot {
    /// BEGIN_REQUEST came; its params are arriving.
    Params { params: ParamsReader, keep_conn: bool },
    /// Its task runs; STDIN goes to its body until the empty record ends it.
    Running { stdin: Option<mpsc::Sender<Bytes>>, task: AbortHandle },
}

/// How a request's task ended.
enum Ended {
    /// END_REQUEST is written; the connection stays if the web server asked for it.
    Complete { keep_conn: bool },
    /// A streamed answer was cut short (the script died mid-body): the
    /// connection closes without END_REQUEST, so the web server cuts its client too.
    Cut,
}

/// A protocol error: the connection is closed.
#[derive(Debug, thiserror::Error)]
enum ConnError {
    #[error(transparent)]
    Record(#[from] record::RecordError),
}

/// Serves one connection until the web server closes it, it idles past
/// `http.idle_timeout`, a request without FCGI_KEEP_CONN ends, or the server stops.
pub(super) async fn serve<R, W>(mut rd: R, wr: W, front: Arc<Front>, mut signal: watch::Receiver<ConnSignal>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Send + Unpin + 'static,
{
    let _open = FASTCGI_METRICS.connection_opened();
    let out = Out::new(Box::new(wr), front.cfg.send_timeout);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(u16, Ended)>();
    let mut decoder = Decoder::new();
    let mut slots = Slots::default();
    let (mut draining, mut closing) = (false, false);
    loop {
        if (draining || closing) && slots.is_empty() {
            break;
        }
        // Params must arrive within header_timeout; an idle connection may wait idle_timeout.
        let deadline = if slots.0.iter().any(|(_, s)| matches!(s, Slot::Params { .. })) {
            Some(front.cfg.header_timeout)
        } else if slots.is_empty() {
            Some(front.cfg.idle_timeout)
        } else {
            None
        };
        let buf = decoder.buffer_mut();
        buf.reserve(16 << 10);
        let read = async {
            match deadline {
                Some(d) => tokio::time::timeout(d, rd.read_buf(buf)).await.ok(),
                None => Some(rd.read_buf(buf).await),
            }
        };
        tokio::select! {
            r = read, if !closing => match r {
                None => {
                    tracing::debug!("FastCGI connection idle or slow past its timeout; closed");
                    break;
                }
                Some(Ok(0)) | Some(Err(_)) => break,
                Some(Ok(_)) => {
                    let handled = handle_records(&mut decoder, &mut slots, &front, &out, &done_tx, draining).await;
                    if let Err(e) = handled {
                        tracing::warn!(error = %e, "FastCGI protocol error; connection closed");
                        break;
                    }
                }
            },
            Some((id, ended)) = done_rx.recv() => {
                slots.remove(&id);
                match ended {
                    Ended::Complete { keep_conn: true } => {}
                    Ended::Complete { keep_conn: false } => closing = true,
                    Ended::Cut => break,
                }
            },
            r = signal.changed() => match r {
                Ok(()) if *signal.borrow_and_update() == ConnSignal::Drain => draining = true,
                _ => break,
            },
            () = out.broken() => break,
        }
    }
    // Whatever still runs was aborted by the web server's going (or the server's stop).
    for (_, slot) in &slots.0 {
        if let Slot::Running { task, .. } = slot {
            task.abort();
            FASTCGI_METRICS.aborted();
        }
    }
    drop(slots);
    out.close().await;
}

/// The connection's writing side, shared by its requests: each write whole
/// and within `send_timeout` (nginx's `send_timeout`: a web server that takes
/// nothing that long is dropped). A failed write marks the connection broken,
/// which ends its loop.
#[derive(Clone)]
struct Out(Arc<OutInner>);

struct OutInner {
    w: tokio::sync::Mutex<Box<dyn AsyncWrite + Send + Unpin>>,
    patience: Duration,
    broken: tokio::sync::Notify,
    is_broken: std::sync::atomic::AtomicBool,
}

impl Out {
    fn new(w: Box<dyn AsyncWrite + Send + Unpin>, patience: Duration) -> Self {
        Out(Arc::new(OutInner { w: tokio::sync::Mutex::new(w), patience, broken: Default::default(), is_broken: Default::default() }))
    }

    /// Writes `bytes` whole; false: the connection is broken (now or before).
    async fn send(&self, bytes: &[u8]) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        if self.0.is_broken.load(Relaxed) {
            return false;
        }
        let mut w = self.0.w.lock().await;
        match tokio::time::timeout(self.0.patience, w.write_all(bytes)).await {
            Ok(Ok(())) => return true,
            Ok(Err(e)) => tracing::debug!(error = %e, "FastCGI connection write failed"),
            Err(_) => tracing::warn!(patience = ?self.0.patience, "the web server took no FastCGI output within http.send_timeout; connection closed"),
        }
        self.0.is_broken.store(true, Relaxed);
        self.0.broken.notify_one();
        false
    }

    /// Completes once a write failed.
    async fn broken(&self) {
        self.0.broken.notified().await;
    }

    async fn close(&self) {
        let mut w = self.0.w.lock().await;
        let _ = tokio::time::timeout(self.0.patience, w.shutdown()).await;
    }
}

/// A connection's requests by id: a few at most, so a list.
#[derive(Default)]
struct Slots(Vec<(u16, Slot)>);

impl Slots {
    fn get_mut(&mut self, id: &u16) -> Option<&mut Slot> {
        self.0.iter_mut().find(|(i, _)| i == id).map(|(_, s)| s)
    }

    fn remove(&mut self, id: &u16) -> Option<Slot> {
        let at = self.0.iter().position(|(i, _)| i == id)?;
        Some(self.0.swap_remove(at).1)
    }

    fn insert(&mut self, id: u16, slot: Slot) {
        self.remove(&id);
        self.0.push((id, slot));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

async fn handle_records(
    decoder: &mut Decoder,
    slots: &mut Slots,
    front: &Arc<Front>,
    out: &Out,
    done: &mpsc::UnboundedSender<(u16, Ended)>,
    draining: bool,
) -> Result<(), ConnError> {
    while let Some(rec) = decoder.next()? {
        let Record { kind, id, content } = rec;
        match kind {
            record::FCGI_BEGIN_REQUEST => {
                let begin = BeginRequest::parse(&content)?;
                let refuse = if begin.role != record::FCGI_RESPONDER {
                    tracing::warn!(role = begin.role, "FastCGI request for a role other than responder refused");
                    Some(record::FCGI_UNKNOWN_ROLE)
                } else if draining {
                    Some(record::FCGI_OVERLOADED)
                } else {
                    None
                };
                if let Some(status) = refuse {
                    let mut b = Vec::new();
                    record::write_end_request(&mut b, id, 0, status);
                    out.send(&b).await;
                    continue;
                }
                let params = ParamsReader::new(front.cfg.max_header_size);
                slots.insert(id, Slot::Params { params, keep_conn: begin.keep_conn });
            }
            record::FCGI_PARAMS => {
                let Some(Slot::Params { params, keep_conn }) = slots.get_mut(&id) else { continue };
                if !content.is_empty() {
                    params.push(&content)?;
                    continue;
                }
                let keep_conn = *keep_conn;
                let Some(Slot::Params { params, .. }) = slots.remove(&id) else { continue };
                let params = params.finish()?;
                let (stdin, body) = mpsc::channel(STDIN_QUEUE);
                let task = tokio::spawn(run(front.clone(), id, keep_conn, params, StdinBody(body), out.clone(), done.clone()));
                slots.insert(id, Slot::Running { stdin: Some(stdin), task: task.abort_handle() });
            }
            record::FCGI_STDIN => {
                let Some(Slot::Running { stdin, .. }) = slots.get_mut(&id) else { continue };
                if content.is_empty() {
                    *stdin = None;
                } else if let Some(tx) = stdin
                    && tx.send(content).await.is_err()
                {
                    // Answered already (413, 408): the rest of its body is dropped.
                    *stdin = None;
                }
            }
            record::FCGI_ABORT_REQUEST => {
                let Some(slot) = slots.remove(&id) else { continue };
                if let Slot::Running { task, .. } = &slot {
                    if task.is_finished() {
                        continue;
                    }
                    task.abort();
                }
                FASTCGI_METRICS.aborted();
                tracing::debug!(id, "FastCGI request aborted by the web server");
                let mut b = Vec::new();
                record::write_end_request(&mut b, id, 0, record::FCGI_REQUEST_COMPLETE);
                out.send(&b).await;
            }
            record::FCGI_GET_VALUES => {
                let mut query = ParamsReader::new(64 << 10);
                query.push(&content)?;
                let names = query.finish()?;
                let max = front.cfg.max_connections;
                out.send(&record::get_values_result(&names, max, max, true)).await;
            }
            record::FCGI_DATA => {}
            other if id == 0 => {
                let mut b = Vec::new();
                record::write_unknown_type(&mut b, other);
                out.send(&b).await;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A request's STDIN as an HTTP body, so the HTTP front's body rules apply
/// unchanged: `http.max_body_size` (413), `http.body_buffer` (spooled to disk
/// past it), `http.idle_timeout` between records (408).
struct StdinBody(mpsc::Receiver<Bytes>);

impl hyper::body::Body for StdinBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|b| Ok(Frame::data(b))))
    }
}

/// One request: its answer on STDOUT, then END_REQUEST; counted and logged.
async fn run(
    front: Arc<Front>,
    id: u16,
    keep_conn: bool,
    params: request::Params,
    body: StdinBody,
    out: Out,
    done: mpsc::UnboundedSender<(u16, Ended)>,
) {
    let started = Instant::now();
    let mut w = Stdout { id, out: &out, pending: Vec::new() };
    let (status, method, uri, cut) = answer_request(&front, params, body, &mut w).await;
    if cut {
        w.flush().await;
        let _ = done.send((id, Ended::Cut));
        return;
    }
    // The answer's last records and END_REQUEST go in one write.
    record::write_stream_end(&mut w.pending, record::FCGI_STDOUT, id);
    record::write_end_request(&mut w.pending, id, 0, record::FCGI_REQUEST_COMPLETE);
    w.flush().await;
    FASTCGI_METRICS.observe(status, started.elapsed());
    if front.cfg.access_log {
        tracing::info!(method = %method, path = %uri, status, duration_ms = started.elapsed().as_secs_f64() * 1000.0, "{method} {uri} {status} (FastCGI)");
    }
    let _ = done.send((id, Ended::Complete { keep_conn }));
}

/// A request's STDOUT stream: records gather until a flush (a streamed
/// chunk, or the end with END_REQUEST), so a whole answer is one write.
struct Stdout<'a> {
    id: u16,
    out: &'a Out,
    pending: Vec<u8>,
}

impl Stdout<'_> {
    fn put(&mut self, data: &[u8]) {
        record::write_stream(&mut self.pending, record::FCGI_STDOUT, self.id, data);
    }

    /// Writes what gathered. A broken connection is not an error here: its
    /// loop ends and aborts this task next.
    async fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.out.send(&self.pending).await;
            self.pending.clear();
        }
    }

    /// A short answer of folk's own: `status` with its name as the body.
    fn plain(&mut self, status: StatusCode, extra: Option<hyper::HeaderMap>) -> u16 {
        let mut r = plain_bytes(status);
        if let Some(h) = extra {
            r.headers_mut().extend(h);
        }
        self.put(&answer::whole(r));
        status.as_u16()
    }
}

/// The answer's status, the request's method and URI (for the log), and
/// whether a streamed answer was cut short.
async fn answer_request(front: &Front, params: request::Params, body: StdinBody, w: &mut Stdout<'_>) -> (u16, String, String, bool) {
    let prepared = match request::prepare(params, front.classic, &front.cfg.php_extensions) {
        Ok(p) => p,
        Err(Refused::NoMethod) => {
            tracing::warn!("FastCGI request without REQUEST_METHOD (not an HTTP request over FastCGI); answered 400");
            return (w.plain(StatusCode::BAD_REQUEST, None), String::new(), String::new(), false);
        }
    };
    let (method, uri) = (prepared.method, prepared.uri);
    let body = match read_body(body, &front.body).await {
        Ok(b) => b,
        Err(status) => {
            tracing::debug!(method, uri, status = status.as_u16(), "FastCGI request body refused");
            return (w.plain(status, None), method, uri, false);
        }
    };
    let (body, spooled) = match body {
        Received::Memory(b) => (b, None),
        Received::Spooled(file) => (Vec::new(), Some(spool::offer(file))),
    };
    let mut entries = prepared.payload;
    entries.push((Key::str("body"), Value::Str(body)));
    let mut job = Value::Map(entries);
    if let Some(ticket) = &spooled {
        add_spool(&mut job, ticket.id());
    }
    add_stream(&mut job, front.cfg.send_timeout);
    let reply = match front.pool.submit("http", job) {
        Ok(r) => r,
        Err(e) => return (failed(&e, &method, &uri, w), method, uri, false),
    };
    // Dropped when the web server aborts the request: a job still queued is dropped unrun.
    let result = AbandonOnDrop::new(reply.clone()).await;
    let mut v = match result {
        Ok(v) => v,
        Err(e) => return (failed(&e, &method, &uri, w), method, uri, false),
    };
    let streamed = take_stream_flag(&mut v);
    let r: Response<Bytes> = match into_response(v) {
        Ok(r) => r,
        Err(why) => {
            tracing::error!(method, uri, "the handler returned something that is not a response: {why}");
            return (w.plain(StatusCode::INTERNAL_SERVER_ERROR, None), method, uri, false);
        }
    };
    let status = r.status().as_u16();
    if !streamed {
        w.put(&answer::whole(r));
        return (status, method, uri, false);
    }
    let Some(mut rx) = reply.take_stream() else {
        tracing::error!(method, uri, "a streamed head came without its stream");
        return (w.plain(StatusCode::INTERNAL_SERVER_ERROR, None), method, uri, false);
    };
    w.put(&answer::head(&r));
    w.flush().await;
    loop {
        match std::future::poll_fn(|cx| rx.poll_chunk(cx)).await {
            Some(Chunk::Data(b)) => {
                w.put(&b);
                w.flush().await;
            }
            Some(Chunk::End) => return (status, method, uri, false),
            None => {
                tracing::error!(method, uri, "the PHP script ended without finishing its streamed response; the FastCGI connection is closed so the client sees it cut");
                return (status, method, uri, true);
            }
        }
    }
}

/// A failed job's answer, as the HTTP front gives it (503, 504, 500).
fn failed(e: &WorkError, method: &str, uri: &str, w: &mut Stdout<'_>) -> u16 {
    match e {
        WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method, uri, error = %e, "FastCGI request refused"),
        _ => tracing::error!(method, uri, error = %e, "FastCGI request failed"),
    }
    let (status, headers) = error_parts(e);
    w.plain(status, Some(headers))
}
