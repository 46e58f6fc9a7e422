//! Where a classic request's output goes. It is held for one whole response
//! (one body with Content-Length: the fast path) until the script calls
//! flush() or the output held passes `HOLD`; from then on the head is
//! answered and the body streams to the client in chunks. Only flushed
//! output waits for a slow client; the rest overflows to disk (`stream`), so
//! a large page's worker is free whatever its client does. After
//! fastcgi_finish_request(), or once the client is gone, output is dropped.

use super::response::{Head, Response};
use crate::pool::stream::{Offer, SendError, Sink};
use crate::bridge::Value;

/// Output held before it streams without a flush(): a page under this size
/// keeps its Content-Length; a larger one never has to fit in memory.
pub const HOLD: usize = 64 << 10;
/// While streaming, output reaching folk is sent once this much is pending (or at flush()).
const CHUNK: usize = 8 << 10;

/// Hands the response (or a streamed response's head) to the client before the script ends.
pub type Deliver = Box<dyn FnOnce(Value)>;

/// Why output is sent now, which decides whether a slow client holds the script.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pace {
    /// flush(): the script streams on purpose, and waits for the client.
    Flushed,
    /// PHP's buffers overflowed: if the client is slow, the bytes wait on disk.
    Overflow,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum State {
    /// Collecting one whole response.
    Holding,
    /// The head is answered; the body goes out chunk by chunk.
    Streaming,
    /// fastcgi_finish_request() answered: later output is dropped.
    Finished,
    /// The client closed the connection mid-stream: later output is dropped.
    Gone,
}

/// How a request's output ended.
pub enum Outcome {
    /// Never streamed: the whole response as the job's value.
    Whole(Value),
    /// Streamed: `Tail::end` sends the rest and the terminating chunk;
    /// dropping it (a fatal error) cuts the body short and drops the rest,
    /// which may hold PHP's error message.
    Streamed(Tail),
    /// Answered already (fastcgi_finish_request()) or the client left.
    Answered,
}

impl Outcome {
    /// The job's value for a request that completed: the whole response, or
    /// Null once a stream is ended (the client has its head already) or the
    /// client was answered early (this only counts the job).
    pub fn into_value(self) -> Value {
        match self {
            Outcome::Whole(value) => value,
            Outcome::Streamed(tail) => {
                if let Err(e) = tail.end() {
                    tracing::debug!(error = %e, "ending a streamed response");
                }
                Value::Null
            }
            Outcome::Answered => Value::Null,
        }
    }
}

/// The end of a streamed body: its sink and the output not sent yet.
pub struct Tail {
    sink: Sink,
    rest: Vec<u8>,
}

impl Tail {
    /// The script is done: nothing here waits for the client.
    pub fn end(self) -> Result<(), SendError> {
        if !self.rest.is_empty() {
            self.sink.overflow(self.rest)?;
        }
        self.sink.end()
    }
}

pub struct Output {
    state: State,
    /// The head, and the body held (Holding) or not yet sent (Streaming).
    response: Response,
    /// The stream, once open (`Streaming`).
    sink: Option<Sink>,
    /// The stream the HTTP side offered, until it opens; None (unit tests, no
    /// HTTP side) holds everything.
    offer: Option<Offer>,
    deliver: Option<Deliver>,
}

impl Output {
    pub fn new(deliver: Deliver, offer: Option<Offer>) -> Output {
        Output { state: State::Holding, response: Response::default(), sink: None, offer, deliver: Some(deliver) }
    }

    /// An output whose stream is open already (unit tests).
    #[cfg(test)]
    fn with_sink(deliver: Deliver, sink: Sink) -> Output {
        Output { state: State::Holding, response: Response::default(), sink: Some(sink), offer: None, deliver: Some(deliver) }
    }

    pub fn state(&self) -> State {
        self.state
    }

    pub fn set_head(&mut self, head: Head) {
        self.response.head = Some(head);
    }

    /// Output that reached the SAPI (ub_write). An error: the client is gone
    /// (found now), and later output is dropped.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        self.check_client()?;
        match self.state {
            State::Holding => {
                self.response.body.extend_from_slice(bytes);
                if self.response.body.len() >= HOLD { self.start_stream(Pace::Overflow) } else { Ok(()) }
            }
            State::Streaming => {
                self.response.body.extend_from_slice(bytes);
                if self.response.body.len() >= CHUNK { self.send_pending(Pace::Overflow) } else { Ok(()) }
            }
            State::Finished | State::Gone => Ok(()),
        }
    }

    /// flush(): the head and everything so far go to the client now.
    pub fn flush(&mut self) -> Result<(), SendError> {
        self.check_client()?;
        match self.state {
            State::Holding => self.start_stream(Pace::Flushed),
            State::Streaming => self.send_pending(Pace::Flushed),
            State::Finished | State::Gone => Ok(()),
        }
    }

    /// fastcgi_finish_request(): the client gets the whole response now.
    /// False if it was called already.
    pub fn finish(&mut self) -> bool {
        match self.state {
            State::Finished => return false,
            State::Holding => {
                if let Some(deliver) = self.deliver.take() {
                    deliver(std::mem::take(&mut self.response).into_value());
                }
            }
            State::Streaming => {
                // A client gone meanwhile changes nothing for the script,
                // and a slow one does not hold it: the rest may wait on disk.
                if self.send_pending(Pace::Overflow).is_ok()
                    && let Some(sink) = self.sink.take()
                    && let Err(e) = sink.end()
                {
                    tracing::debug!(error = %e, "ending a streamed response at fastcgi_finish_request()");
                }
            }
            State::Gone => {}
        }
        self.sink = None;
        self.offer = None;
        self.state = State::Finished;
        true
    }

    /// At the end of the request.
    pub fn into_outcome(mut self) -> Outcome {
        match self.state {
            State::Holding => Outcome::Whole(self.response.into_value()),
            State::Streaming => match self.sink.take() {
                Some(sink) => Outcome::Streamed(Tail { sink, rest: self.response.body }),
                None => Outcome::Answered,
            },
            State::Finished | State::Gone => Outcome::Answered,
        }
    }

    /// Holding or Streaming → Gone if the client closed the connection, even
    /// while nothing was sent yet (the HTTP side dropped its receiver).
    fn check_client(&mut self) -> Result<(), SendError> {
        let gone = self.sink.as_ref().is_some_and(Sink::client_gone) || self.offer.as_ref().is_some_and(Offer::client_gone);
        if matches!(self.state, State::Holding | State::Streaming) && gone {
            self.sink = None;
            self.offer = None;
            self.state = State::Gone;
            return Err(SendError::ClientGone);
        }
        Ok(())
    }

    /// Holding → Streaming: answers the head, then sends the output held.
    /// Without a stream (no HTTP side) the output stays held.
    fn start_stream(&mut self, pace: Pace) -> Result<(), SendError> {
        if self.sink.is_none() {
            // The receiving end must wait in the reply before the head says the body streams.
            let Some(offer) = self.offer.take() else { return Ok(()) };
            self.sink = Some(offer.open());
        }
        let Some(deliver) = self.deliver.take() else { return Ok(()) };
        deliver(self.response.head_value());
        self.state = State::Streaming;
        self.send_pending(pace)
    }

    fn send_pending(&mut self, pace: Pace) -> Result<(), SendError> {
        let Some(sink) = &self.sink else { return Ok(()) };
        if self.response.body.is_empty() {
            // flush() after unbuffered output: it still waits for what overflowed.
            return match pace {
                Pace::Flushed => sink.caught_up(),
                Pace::Overflow => Ok(()),
            };
        }
        let chunk = std::mem::take(&mut self.response.body);
        let sent = match pace {
            Pace::Flushed => sink.data(chunk),
            Pace::Overflow => sink.overflow(chunk),
        };
        sent.inspect_err(|_| {
            self.sink = None;
            self.state = State::Gone;
        })
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::bridge::Key;
    use crate::pool::stream::{Chunk, Receiver};

    fn streaming() -> (Output, Receiver, Rc<RefCell<Vec<Value>>>) {
        let (sink, rx) = Sink::pair();
        let got: Rc<RefCell<Vec<Value>>> = Rc::default();
        let seen = got.clone();
        (Output::with_sink(Box::new(move |v| seen.borrow_mut().push(v)), sink), rx, got)
    }

    fn data(rx: &mut Receiver) -> Vec<u8> {
        match rx.try_recv() {
            Ok(Chunk::Data(b)) => b.to_vec(),
            other => panic!("expected data, got {other:?}"),
        }
    }

    fn is_stream_head(v: &Value) -> bool {
        let Value::Map(entries) = v else { return false };
        entries.iter().any(|(k, v)| *k == Key::Str(b"stream".to_vec()) && *v == Value::Bool(true))
    }

    #[test]
    fn output_that_is_never_flushed_stays_one_whole_response() {
        let (mut out, mut rx, got) = streaming();
        out.write(b"hello").unwrap();
        assert!(matches!(out.into_outcome(), Outcome::Whole(Value::Map(_))));
        assert!(got.borrow().is_empty());
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn flush_answers_the_head_then_streams_each_flush() {
        let (mut out, mut rx, got) = streaming();
        out.set_head(Head { status: 201, headers: vec![] });
        out.write(b"a").unwrap();
        out.flush().unwrap();
        assert_eq!(out.state(), State::Streaming);
        assert!(is_stream_head(&got.borrow()[0]));
        assert_eq!(data(&mut rx), b"a");
        out.write(b"b").unwrap();
        assert!(rx.try_recv().is_err(), "small output waits for the next flush");
        out.flush().unwrap();
        assert_eq!(data(&mut rx), b"b");
        let Outcome::Streamed(tail) = out.into_outcome() else { panic!("not streamed") };
        tail.end().unwrap();
        assert!(matches!(rx.try_recv(), Ok(Chunk::End)));
        assert_eq!(got.borrow().len(), 1);
    }

    #[test]
    fn output_past_the_hold_streams_without_a_flush() {
        let (mut out, mut rx, got) = streaming();
        out.write(&vec![b'x'; HOLD]).unwrap();
        assert_eq!(out.state(), State::Streaming);
        assert_eq!(got.borrow().len(), 1);
        assert_eq!(data(&mut rx).len(), HOLD);
    }

    #[test]
    fn a_gone_client_drops_later_output() {
        let (mut out, rx, _got) = streaming();
        out.flush().unwrap();
        drop(rx);
        assert_eq!(out.write(&vec![0; CHUNK]), Err(SendError::ClientGone));
        assert_eq!(out.state(), State::Gone);
        out.write(b"more").unwrap();
        assert!(matches!(out.into_outcome(), Outcome::Answered));
    }

    #[test]
    fn a_client_gone_before_any_output_was_sent_is_found_at_the_next_write() {
        let (mut out, rx, got) = streaming();
        out.write(b"held").unwrap();
        drop(rx);
        assert_eq!(out.write(b"x"), Err(SendError::ClientGone));
        assert_eq!(out.state(), State::Gone);
        out.flush().unwrap();
        assert!(got.borrow().is_empty(), "nothing is answered to a gone client");
        assert!(matches!(out.into_outcome(), Outcome::Answered));
    }

    #[test]
    fn finishing_a_stream_ends_it_once() {
        let (mut out, mut rx, _got) = streaming();
        out.flush().unwrap();
        out.write(b"last").unwrap();
        assert!(out.finish());
        assert!(!out.finish());
        assert_eq!(data(&mut rx), b"last");
        assert!(matches!(rx.try_recv(), Ok(Chunk::End)));
        out.write(b"dropped").unwrap();
        assert!(matches!(out.into_outcome(), Outcome::Answered));
    }

    #[test]
    fn without_a_stream_flush_holds_everything() {
        let mut out = Output::new(Box::new(|_| panic!("nothing is answered early")), None);
        out.write(b"a").unwrap();
        out.flush().unwrap();
        assert_eq!(out.state(), State::Holding);
        assert!(matches!(out.into_outcome(), Outcome::Whole(_)));
    }
}
