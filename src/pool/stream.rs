//! The per-request body stream from a classic PHP thread to the HTTP side.
//! The pool's `Value` cannot carry a channel, so the HTTP side opens one and
//! parks its sender here under an id the payload names; the PHP thread claims it.
//! Bounded: a slow client holds PHP back instead of growing memory, and a client
//! that takes nothing for `http.send_timeout` counts as gone, so it cannot hold a
//! worker longer. It lives in the pool, beside `reply`, because both the HTTP
//! plugin and the runtime use it.

/// The payload key that names a request's stream, and the result key that
/// says the result is only the head of a streamed response.
pub const STREAM_KEY: &str = "stream";

/// The result key that says the head is PHP's own, whole (a classic or
/// worker-mode request): the HTTP side adds no default `Content-Type` to it,
/// since PHP sends none only when the script removed it (php-fpm sends none).
pub const PHP_HEAD_KEY: &str = "php_head";

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::{KillFlag, KillLevel};

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

pub type Receiver = mpsc::Receiver<Chunk>;

static NEXT: AtomicU64 = AtomicU64::new(1);
/// An offered stream: its sender, and how long a send may wait for the client.
type Offer = (mpsc::Sender<Chunk>, Duration);

static WAITING: Mutex<Option<HashMap<u64, Offer>>> = Mutex::new(None);

fn waiting<R>(f: impl FnOnce(&mut HashMap<u64, Offer>) -> R) -> R {
    let mut guard = WAITING.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// The HTTP side's hold on a stream it offered: dropping it withdraws an
/// offer the PHP side never claimed (the job never ran, or the client left).
#[derive(Debug)]
pub struct Ticket(u64);

impl Ticket {
    /// The id the payload's `stream` key carries.
    pub fn id(&self) -> u64 {
        self.0
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        waiting(|w| w.remove(&self.0));
    }
}

/// Offers a stream for one request: its ticket and the receiving end. A send
/// that waits `patience` for room (the client took nothing meanwhile) fails as
/// if the client had gone (`http.send_timeout`).
pub fn offer(patience: Duration) -> (Ticket, Receiver) {
    let (tx, rx) = mpsc::channel(CAPACITY);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    waiting(|w| w.insert(id, (tx, patience)));
    (Ticket(id), rx)
}

/// The PHP side takes the stream the payload named; `stop` is the slot's
/// kill flag, which a blocked send watches. An offer no longer there was
/// withdrawn because the client left (the HTTP side drops its ticket with
/// the request's future): the sink is then closed from the start, so the
/// script's first output finds the client gone.
pub fn claim(id: u64, stop: Arc<KillFlag>) -> Sink {
    match waiting(|w| w.remove(&id)) {
        Some((tx, patience)) => Sink { tx, stop: Some(stop), patience: Some(patience) },
        None => Sink { tx: mpsc::channel(1).0, stop: Some(stop), patience: None },
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
#[derive(Debug)]
pub struct Sink {
    tx: mpsc::Sender<Chunk>,
    /// Set when folk stops the request (exec_timeout, shutdown).
    stop: Option<Arc<KillFlag>>,
    /// How long one send may wait for room (`http.send_timeout`); None: as long as the receiver lives.
    patience: Option<Duration>,
}

impl Sink {
    #[cfg(test)]
    pub fn pair() -> (Sink, Receiver) {
        let (tx, rx) = mpsc::channel(CAPACITY);
        (Sink { tx, stop: None, patience: None }, rx)
    }

    /// The receiving end is gone: the client closed the connection (hyper
    /// dropped the request), even if nothing was sent yet. One atomic load.
    pub fn client_gone(&self) -> bool {
        self.tx.is_closed()
    }

    pub fn data(&self, bytes: Vec<u8>) -> Result<(), SendError> {
        self.send(Chunk::Data(Bytes::from(bytes)))
    }

    /// Ends the body cleanly (the terminating chunk, END_STREAM).
    pub fn end(self) -> Result<(), SendError> {
        self.send(Chunk::End)
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

    #[test]
    fn a_claimed_offer_delivers_in_order_and_ends() {
        let (ticket, mut rx) = offer(Duration::from_secs(60));
        let sink = claim(ticket.id(), Arc::default());
        assert!(!sink.client_gone());
        assert!(claim(ticket.id(), Arc::default()).client_gone(), "claimed once");
        sink.data(b"a".to_vec()).unwrap();
        sink.end().unwrap();
        assert!(matches!(rx.blocking_recv(), Some(Chunk::Data(b)) if b == "a"));
        assert!(matches!(rx.blocking_recv(), Some(Chunk::End)));
        assert!(rx.blocking_recv().is_none());
    }

    #[test]
    fn a_dropped_ticket_withdraws_the_offer() {
        let (ticket, _rx) = offer(Duration::from_secs(60));
        let id = ticket.id();
        drop(ticket);
        let sink = claim(id, Arc::default());
        assert!(sink.client_gone(), "a withdrawn offer means the client left");
        assert_eq!(sink.data(b"x".to_vec()), Err(SendError::ClientGone));
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
        let (ticket, _rx) = offer(Duration::from_millis(200));
        let sink = claim(ticket.id(), Arc::default());
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
}
