//! `http.direct`'s static files: a plain connection whose request names a
//! file under `http.root` is answered on the I/O thread without hyper, as
//! nginx answers it: the head written as hyper would write it, a small body
//! in the same write, a large one sent by `sendfile(2)` straight from the
//! page cache. The connection stays here while it asks for files; the
//! first request that is PHP sends it to the workers' wait set (direct.rs),
//! anything else to hyper for good, with nothing read from it: the loop
//! decides on a peek and reads a request only once it is its own.
//!
//! The answer is `StaticFiles::respond`'s, the same as on hyper's path
//! (validators, 304, one range, Cache-Control, precompressed siblings), so
//! only the framing is written here. The clocks are hyper's path's:
//! `http.header_timeout` for a first request, `http.idle_timeout` between
//! requests, `http.send_timeout` for a client that takes no bytes; a stop
//! closes the connection between two requests.

use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::header::CONTENT_LENGTH;
use hyper::{Method, Response};
use tokio::io::{AsyncReadExt, Interest};
use tokio::net::TcpStream;

use super::counters::HTTP_METRICS;
use super::direct::{Direct, READ};
use super::direct_conns::{Hyper, Keep};
use super::direct_send::date;
use super::direct_wire::{Framing, Parsed, head, parse};
use super::request::Plain;
use super::file_body::{FileBody, FileStream};
use crate::plugin::net::ConnSignal;

/// Who takes the connection after a request this loop does not answer.
enum Next {
    Workers,
    /// Hyper, with the bytes of that request if they were read already.
    Hyper(Vec<u8>),
    Closed,
}

impl Direct {
    /// Serves a connection whose next request is a plain GET of a static
    /// file, for as long as its requests are: from a peek at a new
    /// connection (`First::Files`, `read` empty), or from a worker that read
    /// that request whole (`read`).
    pub(super) async fn serve_files(self: Arc<Self>, server: Arc<dyn Hyper>, mut stream: TcpStream, remote: SocketAddr, mut keep: Keep, mut read: Vec<u8>) {
        let _ = stream.set_nodelay(true);
        let remote_text = remote.to_string();
        let memory = server.connection_memory();
        let open = HTTP_METRICS.connection_opened();
        let mut buf = vec![0u8; READ];
        let mut clock = self.header_timeout;
        let next = loop {
            // The next request: read already (from the worker), or peeked (still in the socket).
            let (bytes, peeked): (&[u8], bool) = if !read.is_empty() {
                (&read, false)
            } else {
                tokio::select! {
                    biased;
                    // The server drains or aborts: an idle connection closes.
                    _ = keep.signal.wait_for(|s| *s != ConnSignal::Run) => break Next::Closed,
                    got = tokio::time::timeout(clock, stream.peek(&mut buf)) => match got {
                        Ok(Ok(n)) if n > 0 => (&buf[..n], true),
                        // Closed, silent past its clock, or broken.
                        _ => break Next::Closed,
                    },
                }
            };
            clock = self.idle_timeout;
            let left = |bytes: &[u8]| if peeked { Vec::new() } else { bytes.to_vec() };
            let Parsed::Request { mut req, close } = parse(bytes, self.max_body) else { break Next::Hyper(left(bytes)) };
            let (files, path) = match self.requests.direct_plain(&mut req) {
                Some(Plain::File(files, path)) => (files, path),
                Some(Plain::Php) if peeked => break Next::Workers,
                _ => break Next::Hyper(left(bytes)),
            };
            // The request is this loop's: take its bytes (the peek saw them all, nothing after them).
            if peeked {
                let n = bytes.len();
                if stream.read_exact(&mut buf[..n]).await.is_err() {
                    break Next::Closed;
                }
            }
            read.clear();
            let started = Instant::now();
            let close = close || self.closing.load(Ordering::Acquire);
            let resp = files.respond(&path, &Method::GET, req.headers(), &memory);
            // Counted when the answer is ready, not sent, as on hyper's path and the workers'.
            HTTP_METRICS.direct_file();
            self.requests.observe("GET", req.uri().path(), resp.status().as_u16(), started.elapsed(), &remote_text);
            let sent = send(&stream, resp, close, self.send_timeout).await;
            if let Err(e) = sent {
                tracing::debug!(remote = %remote, error = %e, "static file not sent whole; closing the connection");
                break Next::Closed;
            }
            if close {
                break Next::Closed;
            }
        };
        drop(open);
        match next {
            Next::Workers => self.adopt(stream, remote, keep),
            Next::Hyper(read) => {
                HTTP_METRICS.direct_handoff();
                server.hand_back(stream, remote, keep, Bytes::from(read)).await;
            }
            Next::Closed => {}
        }
    }
}

/// Writes a static file's answer: the head as hyper writes it, then the
/// body; every wait for the client to take bytes is bounded by `patience`.
async fn send(stream: &TcpStream, resp: Response<FileBody>, close: bool, patience: Duration) -> io::Result<()> {
    let (mut parts, body) = resp.into_parts();
    // `StaticFiles` frames an answer with a body itself (content-length, in
    // place); for one without, hyper drops that header and ends the head
    // with its own `content-length: 0` (none for a 304): so does `head`.
    let framing = match body {
        FileBody::Empty | FileBody::Whole(None) => {
            parts.headers.remove(CONTENT_LENGTH);
            Framing::Length(0)
        }
        _ => Framing::Given,
    };
    let head = head(parts.status, &parts.headers, framing, close, &date());
    match body {
        FileBody::Empty | FileBody::Whole(None) => write_all(stream, &head, &[], patience).await,
        FileBody::Whole(Some(data)) => write_all(stream, &head, &data, patience).await,
        FileBody::Stream(mut file) => {
            write_all(stream, &head, &[], patience).await?;
            send_file(stream, &mut file, patience).await
        }
    }
}

/// Writes `head` then `body`, both in one `writev` while the socket takes them.
async fn write_all(stream: &TcpStream, mut head: &[u8], mut body: &[u8], patience: Duration) -> io::Result<()> {
    while !head.is_empty() || !body.is_empty() {
        match stream.try_write_vectored(&[IoSlice::new(head), IoSlice::new(body)]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(mut n) => {
                let h = n.min(head.len());
                head = &head[h..];
                n -= h;
                body = &body[n..];
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => writable(stream, patience).await?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `sendfile(2)` until the file is sent.
async fn send_file(stream: &TcpStream, file: &mut FileStream, patience: Duration) -> io::Result<()> {
    while file.left() > 0 {
        match stream.try_io(Interest::WRITABLE, || file.send_to(stream)) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => writable(stream, patience).await?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Waits until the client takes bytes again, for at most `patience` (`http.send_timeout`).
async fn writable(stream: &TcpStream, patience: Duration) -> io::Result<()> {
    tokio::time::timeout(patience, stream.writable())
        .await
        .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::TimedOut, "the client took no bytes for http.send_timeout")))
}
