//! Request targets as nginx takes them. hyper answers 400 to an HTTP/1 request whose
//! target holds `"`, `<`, `>`, `` ` `` or bytes that are not UTF-8 (httparse wants UTF-8,
//! the `http` crate's `Uri` refuses the rest) and has no option to accept them; nginx
//! passes such targets to PHP, and real clients send them (a URL pasted unencoded into
//! curl, old applications, bots).
//!
//! So `EscapeTargets` sits between the connection and hyper: it percent-encodes those
//! bytes in each HTTP/1 request line before hyper parses it, and `TargetLog` hands the
//! target as sent to that request, for REQUEST_URI and QUERY_STRING. Routing does not
//! change: folk decodes the path before it looks for a file. To know where each request
//! line starts, it frames requests as hyper does (a head, then Content-Length bytes);
//! on what it does not follow (a chunked body, an upgrade or CONNECT, h2, a head that
//! does not parse or is larger than hyper's buffer) it steps aside for the rest of the
//! connection, and hyper gets the bytes unchanged: at worst the 400 of before.
//! Cost: each head is parsed once more (httparse) and copied twice; body bytes go
//! straight into hyper's buffer.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};

use bytes::{Buf, BytesMut};
use hyper::Request;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// hyper's default limit on the number of request headers (`h1_max_headers`).
const MAX_HEADERS: usize = 100;

/// Heads read ahead of the request hyper is answering (pipelining): past this many,
/// the connection's later targets are left alone rather than the log growing.
const MAX_LOGGED: usize = 32;

/// A request's target as the client sent it, in text: bytes that are not UTF-8 stay
/// percent-encoded, since the request reaches PHP as UTF-8 strings (`$_GET` decodes
/// them to the bytes sent, as under nginx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RawTarget(String);

impl RawTarget {
    /// The whole target, fragment included (nginx's `$request_uri`).
    pub(super) fn target(&self) -> &str {
        &self.0
    }

    /// Up to the `?` (or a `#`).
    pub(super) fn path(&self) -> &str {
        let end = self.0.find(['?', '#']).unwrap_or(self.0.len());
        &self.0[..end]
    }

    /// After the first `?`, up to a `#` (nginx's `$args`); "" without one.
    pub(super) fn query(&self) -> &str {
        let end = self.0.find('#').unwrap_or(self.0.len());
        self.0[..end].split_once('?').map_or("", |(_, q)| q)
    }
}

/// One head seen on the way to hyper: the target hyper will parse (fragment cut, as
/// the `http` crate does) and the one sent, when they differ.
struct Seen {
    parsed: String,
    raw: RawTarget,
}

/// The targets of one connection's request heads, in the order hyper reads them,
/// taken in the same order as hyper hands the requests over.
#[derive(Default)]
pub(super) struct TargetLog(Mutex<VecDeque<Option<Seen>>>);

impl TargetLog {
    /// False when the log is full (nothing is added).
    fn push(&self, seen: Option<Seen>) -> bool {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= MAX_LOGGED {
            return false;
        }
        log.push_back(seen);
        true
    }

    /// Puts the target as sent into this request's extensions, if it differs from the
    /// parsed one. The entry is checked against what hyper parsed, so one that does not
    /// belong to this request is dropped, never applied to it.
    pub(super) fn attach<B>(&self, req: &mut Request<B>) {
        if req.version() >= hyper::Version::HTTP_2 {
            return;
        }
        let seen = self.0.lock().unwrap_or_else(|e| e.into_inner()).pop_front().flatten();
        if let Some(seen) = seen
            && req.uri().path_and_query().is_some_and(|p| p.as_str() == seen.parsed)
            && req.uri().authority().is_none()
        {
            req.extensions_mut().insert(seen.raw);
        }
    }
}

/// Where the bytes coming in belong.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Framing {
    /// The next request head (or empty lines before it).
    Head,
    /// This many bytes of a request body.
    Body(u64),
    /// Not followed: passed on unchanged until the connection ends.
    Aside,
}

/// The connection as hyper reads it, with HTTP/1 request targets escaped (module docs).
pub(super) struct EscapeTargets<I> {
    inner: I,
    log: Arc<TargetLog>,
    /// hyper's read buffer size: a head that does not fit is passed on as it is (hyper answers 431).
    limit: usize,
    framing: Framing,
    /// Read, not yet looked at: a head in the making, and what came after it.
    input: BytesMut,
    /// Looked at, waiting for hyper to read it.
    ready: BytesMut,
    eof: bool,
}

impl<I> EscapeTargets<I> {
    pub(super) fn new(inner: I, log: Arc<TargetLog>, limit: usize) -> Self {
        EscapeTargets {
            inner,
            log,
            limit,
            framing: Framing::Head,
            input: BytesMut::new(),
            ready: BytesMut::new(),
            eof: false,
        }
    }

    /// Takes one step on `input` in the Head framing: true if it moved bytes to `ready`
    /// (blank lines, a head, or everything when stepping aside), false if more are needed.
    fn take_head(&mut self) -> bool {
        // httparse skips empty lines before a request line; so does hyper.
        let blank = blank_lines(&self.input);
        if blank > 0 {
            self.ready = self.input.split_to(blank);
            return true;
        }
        let Some(line_end) = self.input.iter().position(|&b| b == b'\n') else { return self.need_more() };
        let Some((start, end)) = target_span(&self.input[..line_end]) else { return self.step_aside() };
        let target = &self.input[start..end];
        let escaped = escape(target);
        // The head as hyper will read it.
        let head: Vec<u8>;
        let wire: &[u8] = match &escaped {
            None => &self.input,
            Some(t) => {
                head = [&self.input[..start], t.as_slice(), &self.input[end..]].concat();
                &head
            }
        };
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        let len = match req.parse(wire) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => return self.need_more(),
            Err(_) => return self.step_aside(),
        };
        if len > self.limit {
            return self.step_aside();
        }
        let Some(next) = framing(&req) else { return self.step_aside() };
        let seen = (target.first() == Some(&b'/') && (escaped.is_some() || target.contains(&b'#'))).then(|| {
            let parsed = escaped.as_deref().unwrap_or(target);
            let parsed = parsed.split(|&b| b == b'#').next().unwrap_or_default();
            Seen { parsed: String::from_utf8_lossy(parsed).into_owned(), raw: RawTarget(as_text(target)) }
        });
        if !self.log.push(seen) {
            return self.step_aside();
        }
        self.ready = match &escaped {
            None => self.input.split_to(len),
            Some(t) => {
                let escaped_head = BytesMut::from(&wire[..len]);
                self.input.advance(len - (t.len() - target.len()));
                escaped_head
            }
        };
        self.framing = next;
        true
    }

    /// Without a whole head yet: wait for more, unless hyper could not take more either.
    fn need_more(&mut self) -> bool {
        if self.input.len() > self.limit || self.eof {
            return self.step_aside();
        }
        false
    }

    fn step_aside(&mut self) -> bool {
        self.ready = std::mem::take(&mut self.input);
        self.framing = Framing::Aside;
        true
    }
}

impl<I: AsyncRead + Unpin> EscapeTargets<I> {
    /// Reads more into `input`; `eof` set when the peer is done.
    fn fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let at = self.input.len();
        self.input.resize(at + 8192, 0);
        let mut buf = ReadBuf::new(&mut self.input[at..]);
        let r = Pin::new(&mut self.inner).poll_read(cx, &mut buf);
        let n = buf.filled().len();
        self.input.truncate(at + n);
        ready!(r)?;
        self.eof = n == 0;
        Poll::Ready(Ok(()))
    }

    /// Part of a body, read straight into hyper's buffer but never past the body's end.
    fn read_body(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>, left: u64) -> Poll<io::Result<()>> {
        let n = if left >= buf.remaining() as u64 {
            let before = buf.filled().len();
            ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
            buf.filled().len() - before
        } else {
            let mut part = ReadBuf::new(buf.initialize_unfilled_to(left as usize));
            ready!(Pin::new(&mut self.inner).poll_read(cx, &mut part))?;
            let n = part.filled().len();
            buf.advance(n);
            n
        };
        if n > 0 {
            self.framing = if n as u64 == left { Framing::Head } else { Framing::Body(left - n as u64) };
        }
        Poll::Ready(Ok(()))
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for EscapeTargets<I> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            if !this.ready.is_empty() {
                let n = this.ready.len().min(buf.remaining());
                buf.put_slice(&this.ready.split_to(n));
                return Poll::Ready(Ok(()));
            }
            match this.framing {
                Framing::Aside if this.input.is_empty() => return Pin::new(&mut this.inner).poll_read(cx, buf),
                Framing::Aside => this.ready = std::mem::take(&mut this.input),
                Framing::Body(left) if this.input.is_empty() => return this.read_body(cx, buf, left),
                Framing::Body(left) => {
                    let n = this.input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    this.ready = this.input.split_to(n);
                    this.framing = if n as u64 == left { Framing::Head } else { Framing::Body(left - n as u64) };
                }
                Framing::Head => {
                    if !this.take_head() {
                        ready!(this.fill(cx))?;
                    }
                }
            }
        }
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for EscapeTargets<I> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, data)
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// How many bytes of empty lines (`\r\n` or `\n`) `input` starts with.
fn blank_lines(input: &[u8]) -> usize {
    let mut i = 0;
    loop {
        match input[i..] {
            [b'\n', ..] => i += 1,
            [b'\r', b'\n', ..] => i += 2,
            _ => return i,
        }
    }
}

/// Where the target lies in a request line (`METHOD SP target SP version`).
fn target_span(line: &[u8]) -> Option<(usize, usize)> {
    let start = line.iter().position(|&b| b == b' ')? + 1;
    let len = line[start..].iter().position(|&b| b == b' ')?;
    (len > 0).then_some((start, start + len))
}

/// What follows a parsed head, framed as hyper frames a request: Content-Length
/// bytes, or nothing. None for what is not followed here: a Transfer-Encoding
/// (chunked), an upgrade or CONNECT, a length hyper refuses.
fn framing(req: &httparse::Request<'_, '_>) -> Option<Framing> {
    if req.method == Some("CONNECT") {
        return None;
    }
    let mut length = None;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("transfer-encoding") || h.name.eq_ignore_ascii_case("upgrade") {
            return None;
        }
        if h.name.eq_ignore_ascii_case("content-length") {
            let n = digits(h.value)?;
            if length.is_some_and(|l| l != n) {
                return None;
            }
            length = Some(n);
        }
    }
    Some(match length {
        Some(n) if n > 0 => Framing::Body(n),
        _ => Framing::Head,
    })
}

/// A Content-Length as hyper reads it: digits only.
fn digits(v: &[u8]) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.iter().try_fold(0u64, |n, &b| if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(b - b'0')) } else { None })
}

/// Printable bytes hyper refuses in a target and nginx passes on: `"`, `<`, `>`
/// in the query, `<`, `>`, `` ` `` in the path (one set for both keeps it simple;
/// the target as sent is restored afterwards).
fn refused(b: u8) -> bool {
    matches!(b, b'"' | b'<' | b'>' | b'`')
}

fn percent(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
}

/// The target with what hyper refuses percent-encoded; None when there is nothing to encode.
fn escape(target: &[u8]) -> Option<Vec<u8>> {
    if target.iter().all(|&b| b < 0x80 && !refused(b)) {
        return None;
    }
    let mut out = Vec::with_capacity(target.len() + 16);
    for chunk in target.utf8_chunks() {
        for &b in chunk.valid().as_bytes() {
            if refused(b) { percent(&mut out, b) } else { out.push(b) }
        }
        for &b in chunk.invalid() {
            percent(&mut out, b);
        }
    }
    (out != target).then_some(out)
}

/// The target as text: as sent, but bytes that are not UTF-8 percent-encoded.
fn as_text(target: &[u8]) -> String {
    let mut out = Vec::with_capacity(target.len());
    for chunk in target.utf8_chunks() {
        out.extend_from_slice(chunk.valid().as_bytes());
        for &b in chunk.invalid() {
            percent(&mut out, b);
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
#[path = "raw_target_tests.rs"]
mod tests;
