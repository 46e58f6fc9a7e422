//! The per-request body stream from a classic PHP thread to the HTTP side.
//! Most responses never stream, so no channel is made up front: a request
//! that may stream carries an `Offer` (its job's reply, how long a send may
//! wait), and the PHP side opens the stream when it starts streaming, leaving
//! the receiving end in the reply for the HTTP side, which takes it when the
//! head it gets says the body streams.
//!
//! Bounded in memory: a few chunks travel through the channel. What happens
//! when a client reads slower than PHP writes depends on why PHP sent:
//! - output that only overflowed PHP's buffers (a large page, the end of a
//!   script, fastcgi_finish_request()) goes to an unnamed temporary file the
//!   reader drains after the channel, as nginx spills a FastCGI answer past
//!   its buffers: the worker finishes whatever the client does;
//! - output the script flushed on purpose (flush(), server-sent events) waits
//!   until the client took what came before, so PHP feels the back-pressure;
//!   a client that takes nothing for `http.send_timeout` counts as gone, so it
//!   cannot hold a worker longer.
//!
//! It lives in the pool, beside `reply`, because both the HTTP plugin and the
//! runtime use it.

/// The payload key that says a request may stream its response (its value:
/// `http.send_timeout` in milliseconds), and the result key that says the
/// result is only the head of a streamed response.
pub const STREAM_KEY: &str = "stream";

/// The result key that says the head is PHP's own, whole (a classic or
/// worker-mode request): the HTTP side adds no default `Content-Type` to it,
/// since PHP sends none only when the script removed it (php-fpm sends none).
pub const PHP_HEAD_KEY: &str = "php_head";

use std::fs::File;
use std::future::Future;
use std::io;
use std::os::unix::fs::FileExt;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::{KillFlag, KillLevel, Reply};

/// Chunks in flight between PHP and the socket: with PHP's chunks of up to
/// `CHUNK` bytes, about 64 KiB are held per streaming response.
const CAPACITY: usize = 8;

/// What the PHP side sends. A stream whose sender goes away before `End`
/// was cut short (a fatal error, a timeout): the client must see a truncated body.
#[derive(Debug)]
pub enum Chunk {
    Data(Bytes),
    End,
}

/// Overflow kept on disk past this many unread bytes makes PHP wait for the
/// client after all (nginx's `fastcgi_max_temp_file_size` is 1 GiB too).
const MAX_OVERFLOW: u64 = 1 << 30;
/// The most the reader takes from the overflow file at once.
const READ: u64 = 64 << 10;

/// What came after the channel filled up: its bytes in a file, and whether
/// the body ended there. Shared by both ends.
#[derive(Default)]
struct Overflow {
    state: Mutex<Spill>,
}

#[derive(Default)]
struct Spill {
    file: Option<File>,
    written: u64,
    read: u64,
    ended: bool,
    /// The HTTP side, waiting for bytes.
    reader: Option<Waker>,
    /// The PHP thread, waiting for the reader to catch up (a flush on purpose).
    writer: Option<std::thread::Thread>,
}

impl Overflow {
    fn lock(&self) -> MutexGuard<'_, Spill> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Spill {
    /// Once anything went to the file, everything after it goes there too (order).
    fn spilling(&self) -> bool {
        self.file.is_some() || self.ended
    }

    fn unread(&self) -> u64 {
        self.written - self.read
    }

    fn wake_reader(&mut self) {
        if let Some(w) = self.reader.take() {
            w.wake();
        }
    }
}

/// The HTTP side's end of a stream: the channel's chunks, then the overflow's.
pub struct Receiver {
    rx: mpsc::Receiver<Chunk>,
    overflow: Arc<Overflow>,
}

impl Receiver {
    /// The next chunk; `None`: the PHP side went away without ending the body.
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        let closed = match self.rx.poll_recv(cx) {
            Poll::Ready(Some(chunk)) => return Poll::Ready(Some(chunk)),
            Poll::Ready(None) => true,
            Poll::Pending => false,
        };
        // The channel is empty: whatever the file holds comes after all of it.
        let mut spill = self.overflow.lock();
        if spill.unread() > 0 {
            let n = spill.unread().min(READ) as usize;
            let at = spill.read;
            let mut buf = vec![0; n];
            let got = spill.file.as_ref().map(|f| f.read_exact_at(&mut buf, at));
            return match got {
                Some(Ok(())) => {
                    spill.read += n as u64;
                    if let Some(w) = spill.writer.as_ref().filter(|_| spill.unread() == 0) {
                        w.unpark();
                    }
                    Poll::Ready(Some(Chunk::Data(Bytes::from(buf))))
                }
                _ => {
                    tracing::warn!("cannot read back a response's overflow from its temporary file; the response is cut short");
                    Poll::Ready(None)
                }
            };
        }
        if spill.ended {
            return Poll::Ready(Some(Chunk::End));
        }
        if closed {
            return Poll::Ready(None);
        }
        spill.reader = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Blocking, for tests.
    #[cfg(test)]
    pub fn blocking_recv(&mut self) -> Option<Chunk> {
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            match self.poll_chunk(&mut cx) {
                Poll::Ready(c) => return c,
                Poll::Pending => std::thread::park_timeout(Duration::from_millis(50)),
            }
        }
    }

    /// The next chunk if one is there now, for tests.
    #[cfg(test)]
    pub fn try_recv(&mut self) -> Result<Chunk, ()> {
        let mut cx = Context::from_waker(Waker::noop());
        match self.poll_chunk(&mut cx) {
            Poll::Ready(Some(c)) => Ok(c),
            _ => Err(()),
        }
    }
}

/// A request that may stream its response, as the PHP side holds it until it
/// starts streaming.
pub struct Offer {
    reply: Arc<Reply>,
    stop: Arc<KillFlag>,
    patience: Duration,
}

impl Offer {
    /// `reply` is the request's job's; `stop` the slot's kill flag, which a
    /// blocked send watches; a send that waits `patience` for room (the client
    /// took nothing meanwhile) fails as if the client had gone (`http.send_timeout`).
    pub fn new(reply: Arc<Reply>, stop: Arc<KillFlag>, patience: Duration) -> Offer {
        Offer { reply, stop, patience }
    }

    /// The client left before anything streamed (the HTTP side dropped the
    /// request and abandoned its reply, or the connection the answer goes to closed).
    pub fn client_gone(&self) -> bool {
        self.reply.client_gone()
    }

    /// Opens the stream. The receiving end waits in the reply: call this
    /// before answering the head that says the body streams.
    pub fn open(self) -> Sink {
        let (tx, rx) = mpsc::channel(CAPACITY);
        let overflow = Arc::new(Overflow::default());
        self.reply.put_stream(Receiver { rx, overflow: overflow.clone() });
        Sink { tx, overflow, stop: Some(self.stop), patience: Some(self.patience) }
    }
}

/// Why nothing more can be sent.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SendError {
    #[error("the client closed the connection")]
    ClientGone,
    #[error("the request was interrupted (exec_timeout or shutdown) while the client was slow to read")]
    Interrupted,
}

/// The PHP thread's end of a stream.
pub struct Sink {
    tx: mpsc::Sender<Chunk>,
    overflow: Arc<Overflow>,
    /// Set when folk stops the request (exec_timeout, shutdown).
    stop: Option<Arc<KillFlag>>,
    /// How long one send may wait for room (`http.send_timeout`); None: as long as the receiver lives.
    patience: Option<Duration>,
}

impl Sink {
    #[cfg(test)]
    pub fn pair() -> (Sink, Receiver) {
        let (tx, rx) = mpsc::channel(CAPACITY);
        let overflow = Arc::new(Overflow::default());
        (Sink { tx, overflow: overflow.clone(), stop: None, patience: None }, Receiver { rx, overflow })
    }

    /// The receiving end is gone: the client closed the connection (hyper
    /// dropped the request), even if nothing was sent yet. One atomic load.
    pub fn client_gone(&self) -> bool {
        self.tx.is_closed()
    }

    /// Output the script flushed on purpose: it waits until the client took
    /// what came before it (back-pressure), within `http.send_timeout`.
    pub fn data(&self, bytes: Vec<u8>) -> Result<(), SendError> {
        let mut spill = self.overflow.lock();
        if !spill.spilling() {
            drop(spill);
            return self.send(Chunk::Data(Bytes::from(bytes)));
        }
        if let Err(e) = self.append(&mut spill, &bytes) {
            return Err(self.lost(e));
        }
        drop(spill);
        self.wait_drained()
    }

    /// A flush with nothing new to send: waits until the client took what
    /// overflowed to disk before it (nothing to wait for if nothing did).
    pub fn caught_up(&self) -> Result<(), SendError> {
        if self.overflow.lock().spilling() { self.wait_drained() } else { Ok(()) }
    }

    /// Output that only overflowed PHP's buffers: if the client is slower
    /// than the script, it waits in the overflow file and the script goes on.
    pub fn overflow(&self, bytes: Vec<u8>) -> Result<(), SendError> {
        if self.client_gone() {
            return Err(SendError::ClientGone);
        }
        let mut spill = self.overflow.lock();
        if !spill.spilling() {
            drop(spill);
            let bytes = match self.tx.try_send(Chunk::Data(Bytes::from(bytes))) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::TrySendError::Closed(_)) => return Err(SendError::ClientGone),
                Err(mpsc::error::TrySendError::Full(Chunk::Data(b))) => b,
                Err(mpsc::error::TrySendError::Full(Chunk::End)) => unreachable!("data was sent"),
            };
            spill = self.overflow.lock();
            return self.spill(spill, &bytes);
        }
        self.spill(spill, &bytes)
    }

    /// Ends the body cleanly (the terminating chunk, END_STREAM). Never waits
    /// for the client: an end that finds the channel full is noted in the overflow.
    pub fn end(self) -> Result<(), SendError> {
        let mut spill = self.overflow.lock();
        if !spill.spilling() {
            drop(spill);
            match self.tx.try_send(Chunk::End) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::TrySendError::Closed(_)) => return Err(SendError::ClientGone),
                Err(mpsc::error::TrySendError::Full(_)) => spill = self.overflow.lock(),
            }
        }
        spill.ended = true;
        spill.wake_reader();
        Ok(())
    }

    /// Appends to the overflow file; past `MAX_OVERFLOW` unread, or when the
    /// disk refuses, waits for the client instead.
    fn spill<'a>(&'a self, mut spill: MutexGuard<'a, Spill>, bytes: &[u8]) -> Result<(), SendError> {
        if spill.unread() + bytes.len() as u64 > MAX_OVERFLOW {
            drop(spill);
            self.wait_drained()?;
            spill = self.overflow.lock();
        }
        match self.append(&mut spill, bytes) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.lost(e)),
        }
    }

    fn append(&self, spill: &mut Spill, bytes: &[u8]) -> io::Result<()> {
        if spill.file.is_none() {
            spill.file = Some(super::tempfile::unnamed_file(&std::env::temp_dir())?);
        }
        let at = spill.written;
        spill.file.as_ref().map_or(Ok(()), |f| f.write_all_at(bytes, at))?;
        spill.written += bytes.len() as u64;
        spill.wake_reader();
        Ok(())
    }

    /// The overflow file could not take the bytes: the body cannot be whole any more.
    fn lost(&self, e: io::Error) -> SendError {
        tracing::warn!(dir = %std::env::temp_dir().display(), error = %e, "cannot write a response's overflow to a temporary file; the response is cut short");
        SendError::ClientGone
    }

    /// Waits until the reader took everything in the overflow file, looking
    /// every 50 ms whether folk interrupted the request, and gives up after `patience`.
    fn wait_drained(&self) -> Result<(), SendError> {
        let give_up = self.patience.map(|p| Instant::now() + p);
        loop {
            {
                let mut spill = self.overflow.lock();
                if spill.unread() == 0 {
                    spill.writer = None;
                    return Ok(());
                }
                spill.writer = Some(std::thread::current());
            }
            if self.client_gone() {
                return Err(SendError::ClientGone);
            }
            if self.stopped() {
                return Err(SendError::Interrupted);
            }
            let mut nap = Duration::from_millis(50);
            if let Some(at) = give_up {
                let now = Instant::now();
                if now >= at {
                    tracing::debug!("the client took no response bytes for http.send_timeout; the request's output stops here");
                    return Err(SendError::ClientGone);
                }
                nap = nap.min(at - now);
            }
            std::thread::park_timeout(nap);
        }
    }

    /// Blocks while the channel is full (the client reads slowly), but looks
    /// every 50 ms whether folk interrupted the request (`blocking_send` alone
    /// would wait out exec_timeout), and gives up after `patience`: a client
    /// that takes nothing for send_timeout is treated as gone, as nginx drops
    /// it, so it frees the worker (a classic script is stopped at this output).
    fn send(&self, chunk: Chunk) -> Result<(), SendError> {
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut send = pin!(self.tx.send(chunk));
        let give_up = self.patience.map(|p| Instant::now() + p);
        loop {
            match send.as_mut().poll(&mut cx) {
                Poll::Ready(Ok(())) => return Ok(()),
                Poll::Ready(Err(_)) => return Err(SendError::ClientGone),
                Poll::Pending if self.stopped() => return Err(SendError::Interrupted),
                Poll::Pending => {
                    let now = Instant::now();
                    let mut nap = Duration::from_millis(50);
                    if let Some(at) = give_up {
                        if now >= at {
                            tracing::debug!("the client took no response bytes for http.send_timeout; the request's output stops here");
                            return Err(SendError::ClientGone);
                        }
                        nap = nap.min(at - now);
                    }
                    std::thread::park_timeout(nap);
                }
            }
        }
    }
}

impl Sink {
    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|k| k.load() != KillLevel::None)
    }
}

struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn offered(patience: Duration) -> (Arc<Reply>, Offer) {
        let reply = Arc::new(Reply::new());
        (reply.clone(), Offer::new(reply, Arc::default(), patience))
    }

    #[test]
    fn an_opened_offer_leaves_its_receiver_in_the_reply_and_delivers_in_order() {
        let (reply, offer) = offered(Duration::from_secs(60));
        assert!(reply.take_stream().is_none(), "nothing is made before the stream opens");
        let sink = offer.open();
        let mut rx = reply.take_stream().expect("the receiving end waits in the reply");
        assert!(!sink.client_gone());
        sink.data(b"a".to_vec()).unwrap();
        sink.end().unwrap();
        assert!(matches!(rx.blocking_recv(), Some(Chunk::Data(b)) if b == "a"));
        assert!(matches!(rx.blocking_recv(), Some(Chunk::End)));
        assert!(rx.blocking_recv().is_none());
    }

    #[test]
    fn an_abandoned_reply_means_the_client_left_before_the_stream_opened() {
        let (reply, offer) = offered(Duration::from_secs(60));
        assert!(!offer.client_gone());
        reply.abandon();
        assert!(offer.client_gone());
    }

    #[test]
    fn sending_to_a_gone_client_fails_instead_of_blocking() {
        let (sink, rx) = Sink::pair();
        drop(rx);
        assert!(sink.client_gone());
        assert_eq!(sink.data(b"x".to_vec()), Err(SendError::ClientGone));
    }

    #[test]
    fn a_reader_that_takes_nothing_for_the_patience_counts_as_gone() {
        let (reply, offer) = offered(Duration::from_millis(200));
        let sink = offer.open();
        let _rx = reply.take_stream();
        let (done, outcome) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = 0;
            let gone = loop {
                let t = Instant::now();
                match sink.data(vec![0; 16]) {
                    Ok(()) => sent += 1,
                    Err(e) => break (e, t.elapsed()),
                }
            };
            let _ = done.send((sent, gone));
        });
        // The receiver stays alive and reads nothing: only the patience ends the wait.
        let (sent, (gone, waited)) = outcome.recv_timeout(Duration::from_secs(3)).expect("the send still waits");
        assert_eq!((sent, gone), (CAPACITY, SendError::ClientGone));
        assert!(waited >= Duration::from_millis(200) && waited < Duration::from_millis(400), "{waited:?}");
    }

    #[test]
    fn a_full_channel_waits_for_the_reader() {
        let (sink, mut rx) = Sink::pair();
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            let mut n = 0;
            while let Some(Chunk::Data(_)) = rx.blocking_recv() {
                n += 1;
            }
            n
        });
        for _ in 0..CAPACITY * 3 {
            sink.data(vec![0; 16]).unwrap();
        }
        sink.end().unwrap();
        assert_eq!(reader.join().unwrap(), CAPACITY * 3);
    }

    #[test]
    fn overflow_to_a_reader_that_takes_nothing_never_waits_and_arrives_whole() {
        let (reply, offer) = offered(Duration::from_millis(200));
        let sink = offer.open();
        let mut rx = reply.take_stream().unwrap();
        let t = Instant::now();
        for i in 0..(CAPACITY * 40) as u32 {
            sink.overflow(i.to_le_bytes().repeat(256)).unwrap();
        }
        sink.end().unwrap();
        assert!(t.elapsed() < Duration::from_millis(150), "the script was held {:?}", t.elapsed());
        let mut got = Vec::new();
        while let Some(Chunk::Data(b)) = rx.blocking_recv() {
            got.extend_from_slice(&b);
        }
        let want: Vec<u8> = (0..(CAPACITY * 40) as u32).flat_map(|i| i.to_le_bytes().repeat(256)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_flush_after_an_overflow_waits_until_the_reader_took_the_file() {
        let (reply, offer) = offered(Duration::from_millis(300));
        let sink = offer.open();
        let mut rx = reply.take_stream().unwrap();
        for _ in 0..CAPACITY + 4 {
            sink.overflow(vec![7; 1000]).unwrap();
        }
        // Nobody reads: the flush gives up after the patience, as a gone client.
        let t = Instant::now();
        assert_eq!(sink.data(vec![8; 10]), Err(SendError::ClientGone));
        assert!(t.elapsed() >= Duration::from_millis(300), "{:?}", t.elapsed());
        // A reader that reads lets the next flush through.
        let reader = std::thread::spawn(move || {
            let mut n = 0;
            while let Some(Chunk::Data(b)) = rx.blocking_recv() {
                n += b.len();
            }
            n
        });
        sink.data(vec![9; 10]).unwrap();
        sink.end().unwrap();
        assert_eq!(reader.join().unwrap(), (CAPACITY + 4) * 1000 + 20);
    }
}
