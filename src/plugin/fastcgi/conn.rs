//! One connection from a web server: its records read in order, each
//! request (several at once if the web server multiplexes) run as its own
//! task that reads the body, runs the PHP job and writes the answer, and one
//! writer that owns the socket. A request ends with its END_REQUEST; an
//! aborted one (FCGI_ABORT_REQUEST, or the web server closing the connection
//! because its client left) drops its job unrun if no worker took it yet,
//! as the HTTP front does.

use std::collections::HashMap;
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
/// Answers a connection's writer may hold before the requests wait for it.
const OUT_QUEUE: usize = 32;

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
pub(super) async fn serve<S>(stream: S, front: Arc<Front>, mut signal: watch::Receiver<ConnSignal>)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let _open = FASTCGI_METRICS.connection_opened();
    let (mut rd, wr) = tokio::io::split(stream);
    let (out, out_rx) = mpsc::channel::<Vec<u8>>(OUT_QUEUE);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(u16, Ended)>();
    let mut writer = tokio::spawn(write_loop(wr, out_rx, front.cfg.send_timeout));
    let mut decoder = Decoder::new();
    let mut slots: HashMap<u16, Slot> = HashMap::new();
    let mut buf = vec![0u8; 16 << 10];
    let (mut draining, mut closing) = (false, false);
    loop {
        if (draining || closing) && slots.is_empty() {
            break;
        }
        // Params must arrive within header_timeout; an idle connection may wait idle_timeout.
        let deadline = if slots.values().any(|s| matches!(s, Slot::Params { .. })) {
            Some(front.cfg.header_timeout)
        } else if slots.is_empty() {
            Some(front.cfg.idle_timeout)
        } else {
            None
        };
        let read = async {
            match deadline {
                Some(d) => tokio::time::timeout(d, rd.read(&mut buf)).await.ok(),
                None => Some(rd.read(&mut buf).await),
            }
        };
        tokio::select! {
            r = read, if !closing => match r {
                None => {
                    tracing::debug!("FastCGI connection idle or slow past its timeout; closed");
                    break;
                }
                Some(Ok(0)) | Some(Err(_)) => break,
                Some(Ok(n)) => {
                    decoder.extend(&buf[..n]);
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
            _ = &mut writer => break,
        }
    }
    // Whatever still runs was aborted by the web server's going (or the server's stop).
    for slot in slots.values() {
        if let Slot::Running { task, .. } = slot {
            task.abort();
            FASTCGI_METRICS.aborted();
        }
    }
    drop(slots);
    drop(out);
    // The writer ends once every request task has dropped its sender: what was queued is sent first.
    if !writer.is_finished() {
        let _ = tokio::time::timeout(front.cfg.send_timeout, &mut writer).await;
        writer.abort();
    }
}

/// Writes what the requests queue, each write within `send_timeout`
/// (nginx's `send_timeout`: a web server that takes nothing that long is dropped).
async fn write_loop<W: AsyncWrite>(mut wr: tokio::io::WriteHalf<W>, mut rx: mpsc::Receiver<Vec<u8>>, patience: Duration) {
    while let Some(bytes) = rx.recv().await {
        match tokio::time::timeout(patience, wr.write_all(&bytes)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "FastCGI connection write failed");
                return;
            }
            Err(_) => {
                tracing::warn!(patience = ?patience, "the web server took no FastCGI output within http.send_timeout; connection closed");
                return;
            }
        }
    }
    let _ = wr.shutdown().await;
}

async fn handle_records(
    decoder: &mut Decoder,
    slots: &mut HashMap<u16, Slot>,
    front: &Arc<Front>,
    out: &mpsc::Sender<Vec<u8>>,
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
                    let _ = out.send(b).await;
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
                let _ = out.send(b).await;
            }
            record::FCGI_GET_VALUES => {
                let mut query = ParamsReader::new(64 << 10);
                query.push(&content)?;
                let names = query.finish()?;
                let max = front.cfg.max_connections;
                let _ = out.send(record::get_values_result(&names, max, max, true)).await;
            }
            record::FCGI_DATA => {}
            other if id == 0 => {
                let mut b = Vec::new();
                record::write_unknown_type(&mut b, other);
                let _ = out.send(b).await;
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
    out: mpsc::Sender<Vec<u8>>,
    done: mpsc::UnboundedSender<(u16, Ended)>,
) {
    let started = Instant::now();
    let mut w = Stdout { id, out: &out };
    let (status, method, uri, cut) = answer_request(&front, params, body, &mut w).await;
    if cut {
        let _ = done.send((id, Ended::Cut));
        return;
    }
    let mut b = Vec::new();
    record::write_stream_end(&mut b, record::FCGI_STDOUT, id);
    record::write_end_request(&mut b, id, 0, record::FCGI_REQUEST_COMPLETE);
    let _ = out.send(b).await;
    FASTCGI_METRICS.observe(status, started.elapsed());
    if front.cfg.access_log {
        tracing::info!(method = %method, path = %uri, status, duration_ms = started.elapsed().as_secs_f64() * 1000.0, "{method} {uri} {status} (FastCGI)");
    }
    let _ = done.send((id, Ended::Complete { keep_conn }));
}

/// A request's STDOUT stream.
struct Stdout<'a> {
    id: u16,
    out: &'a mpsc::Sender<Vec<u8>>,
}

impl Stdout<'_> {
    async fn send(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let mut b = Vec::with_capacity(data.len() + 16);
        record::write_stream(&mut b, record::FCGI_STDOUT, self.id, data);
        // A closed writer means the connection is going: this task is aborted next.
        let _ = self.out.send(b).await;
    }

    /// A short answer of folk's own: `status` with its name as the body.
    async fn plain(&mut self, status: StatusCode, extra: Option<hyper::HeaderMap>) -> u16 {
        let mut r = plain_bytes(status);
        if let Some(h) = extra {
            r.headers_mut().extend(h);
        }
        self.send(&answer::whole(r)).await;
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
            return (w.plain(StatusCode::BAD_REQUEST, None).await, String::new(), String::new(), false);
        }
    };
    let (method, uri) = (prepared.method, prepared.uri);
    let body = match read_body(body, &front.body).await {
        Ok(b) => b,
        Err(status) => {
            tracing::debug!(method, uri, status = status.as_u16(), "FastCGI request body refused");
            return (w.plain(status, None).await, method, uri, false);
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
        Err(e) => return (failed(&e, &method, &uri, w).await, method, uri, false),
    };
    // Dropped when the web server aborts the request: a job still queued is dropped unrun.
    let result = AbandonOnDrop::new(reply.clone()).await;
    let mut v = match result {
        Ok(v) => v,
        Err(e) => return (failed(&e, &method, &uri, w).await, method, uri, false),
    };
    let streamed = take_stream_flag(&mut v);
    let r: Response<Bytes> = match into_response(v) {
        Ok(r) => r,
        Err(why) => {
            tracing::error!(method, uri, "the handler returned something that is not a response: {why}");
            return (w.plain(StatusCode::INTERNAL_SERVER_ERROR, None).await, method, uri, false);
        }
    };
    let status = r.status().as_u16();
    if !streamed {
        w.send(&answer::whole(r)).await;
        return (status, method, uri, false);
    }
    let Some(mut rx) = reply.take_stream() else {
        tracing::error!(method, uri, "a streamed head came without its stream");
        return (w.plain(StatusCode::INTERNAL_SERVER_ERROR, None).await, method, uri, false);
    };
    w.send(&answer::head(&r)).await;
    loop {
        match std::future::poll_fn(|cx| rx.poll_chunk(cx)).await {
            Some(Chunk::Data(b)) => w.send(&b).await,
            Some(Chunk::End) => return (status, method, uri, false),
            None => {
                tracing::error!(method, uri, "the PHP script ended without finishing its streamed response; the FastCGI connection is closed so the client sees it cut");
                return (status, method, uri, true);
            }
        }
    }
}

/// A failed job's answer, as the HTTP front gives it (503, 504, 500).
async fn failed(e: &WorkError, method: &str, uri: &str, w: &mut Stdout<'_>) -> u16 {
    match e {
        WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method, uri, error = %e, "FastCGI request refused"),
        _ => tracing::error!(method, uri, error = %e, "FastCGI request failed"),
    }
    let (status, headers) = error_parts(e);
    w.plain(status, Some(headers)).await
}
