//! One connection's clocks: the stream with its head, idle and stalled-write
//! deadlines (`Watched`), the requests in flight that switch them (`ConnState`,
//! `InFlight`, `Tracked`, whose data goes out in slices the send clock watches),
//! and the lingering close that keeps a last answer from a reset.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;
use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use super::budget::ConnMemory;
use super::counters::HTTP_METRICS;
use super::exchange::raw_response;
use super::send_clock::{Progress, SLICE, SendClock, Slice};
use super::any_body::AnyBody;

const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;

/// Closing a socket that still has unread input makes the kernel send a
/// reset, which can destroy a response the client has not read yet (a 413
/// or 431 sent before the whole request arrived). So: send FIN, then read
/// and discard for a moment, as nginx's lingering close does.
pub(super) async fn linger(mut stream: TcpStream) {
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
/// flight, when the head of the next one started arriving, and whether the
/// client takes the responses (`sending`, `http.send_timeout`).
pub(super) struct ConnState {
    phase: Mutex<Phase>,
    pub(super) sending: SendClock,
    /// This connection's share of `http.response_buffer`.
    pub(super) memory: Arc<ConnMemory>,
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
    pub(super) fn new(send_timeout: Duration, memory: Arc<ConnMemory>) -> Self {
        ConnState {
            phase: Mutex::new(Phase { in_flight: 0, head_started: Some(Instant::now()), head_bytes: false, read_waker: None }),
            sending: SendClock::new(send_timeout),
            memory,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Held from the moment hyper hands us a request until its response body is
/// dropped (fully sent or abandoned).
pub(super) struct InFlight(Arc<ConnState>);

impl InFlight {
    pub(super) fn start(conn: &Arc<ConnState>) -> Self {
        let mut p = conn.lock();
        p.in_flight += 1;
        p.head_started = None;
        p.head_bytes = false;
        InFlight(conn.clone())
    }

    /// The budget that whole responses of this connection are held against.
    pub(super) fn memory(&self) -> &Arc<ConnMemory> {
        &self.0.memory
    }

    /// The response body that holds this request in flight, its data watched by the send clock.
    pub(super) fn until_sent(self, body: AnyBody) -> Tracked {
        let progress = self.0.sending.track();
        Tracked { body, rest: Bytes::new(), progress, _in_flight: self }
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

/// A response body that keeps its request counted as in flight until hyper is
/// done with it, and hands hyper its data in slices of at most `SLICE` bytes
/// (the rest of a larger frame waits here), each one watched by the send clock.
pub(super) struct Tracked {
    body: AnyBody,
    /// What is left of the last frame after the slice handed out.
    rest: Bytes,
    progress: Arc<Progress>,
    _in_flight: InFlight,
}

impl Tracked {
    fn slice(&mut self, mut data: Bytes) -> Slice {
        if data.len() > SLICE {
            self.rest = data.split_off(SLICE);
        }
        Slice::new(data, &self.progress)
    }
}

impl Body for Tracked {
    type Data = Slice;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Slice>, io::Error>>> {
        let this = self.get_mut();
        if !this.rest.is_empty() {
            let rest = std::mem::take(&mut this.rest);
            return Poll::Ready(Some(Ok(Frame::data(this.slice(rest)))));
        }
        let frame = ready!(Pin::new(&mut this.body).poll_frame(cx));
        Poll::Ready(frame.map(|f| f.map(|f| f.map_data(|data| this.slice(data)))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty() && self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let hint = self.body.size_hint();
        let rest = self.rest.len() as u64;
        match hint.exact() {
            Some(n) => SizeHint::with_exact(n + rest),
            None => {
                let mut h = SizeHint::new();
                if let Some(upper) = hint.upper() {
                    h.set_upper(upper + rest);
                }
                h.set_lower(hint.lower() + rest);
                h
            }
        }
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
/// reading (the socket takes no byte) is dropped after send_timeout.
pub(super) struct Watched {
    stream: Option<TcpStream>,
    conn: Arc<ConnState>,
    header_timeout: Duration,
    idle_timeout: Duration,
    send_timeout: Duration,
    read_timer: Pin<Box<Sleep>>,
    write_timer: Pin<Box<Sleep>>,
    last_activity: Instant,
    write_stalled: Option<Instant>,
    proto: Sniff,
    read_eof: bool,
    /// We timed the connection out; every further read is EOF.
    closed: bool,
    /// Under TLS the bytes are encrypted: a raw 408 would be garbage inside the session.
    tls: bool,
    /// Bytes read from the stream before it came here (`http.direct` handing it over), read first.
    first: Bytes,
}

impl Watched {
    pub(super) fn new(stream: TcpStream, conn: Arc<ConnState>, header_timeout: Duration, idle_timeout: Duration, send_timeout: Duration) -> Self {
        let now = Instant::now();
        Watched {
            stream: Some(stream),
            conn,
            header_timeout,
            idle_timeout,
            send_timeout,
            read_timer: Box::pin(tokio::time::sleep_until(now + header_timeout)),
            write_timer: Box::pin(tokio::time::sleep_until(now + send_timeout)),
            last_activity: now,
            write_stalled: None,
            proto: Sniff::Unknown(0),
            read_eof: false,
            closed: false,
            tls: false,
            first: Bytes::new(),
        }
    }

    /// Reads `first` before the stream: bytes already taken from it.
    pub(super) fn read_first(mut self, first: Bytes) -> Self {
        self.first = first;
        self
    }

    /// Under TLS, once the handshake is done: ALPN, not the bytes (encrypted),
    /// says whether this is h2; folk writes no raw answers into the session.
    pub(super) fn under_tls(&mut self, h2: Option<bool>) {
        self.tls = true;
        if let Some(h2) = h2 {
            self.proto = if h2 { Sniff::H2 } else { Sniff::H1 };
            if h2 {
                // The preface may have come in with the handshake's last read, before this was known.
                self.conn.lock().head_started = None;
            }
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
        if let (None, Some(s), false) = (self.write_stalled, self.stream.as_ref(), self.tls) {
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
                let deadline = *self.write_stalled.get_or_insert_with(Instant::now) + self.send_timeout;
                ready!(poll_deadline(&mut self.write_timer, deadline, cx));
                tracing::debug!("client stopped reading the response for http.send_timeout; closing");
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "client stopped reading for http.send_timeout")))
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
        if !this.first.is_empty() {
            let n = this.first.len().min(buf.remaining());
            let data = this.first.split_to(n);
            buf.put_slice(&data);
            this.on_read(&data);
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
