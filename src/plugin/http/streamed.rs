//! The body of a classic response that PHP streams (flush(), or output past
//! what folk holds for one whole body): chunks from the request's bounded
//! stream, sent as they come (chunked on HTTP/1.1, DATA frames on h2).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame};

use crate::pool::stream::{Chunk, Receiver};

pub(super) struct StreamBody {
    rx: Receiver,
    state: State,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Open,
    /// The PHP side went away without ending the body; the error waits one
    /// poll, so hyper first flushes what it buffered (else the client would
    /// not even get the head).
    Cut,
    Ended,
}

impl StreamBody {
    pub(super) fn new(rx: Receiver) -> Self {
        StreamBody { rx, state: State::Open }
    }
}

impl Body for StreamBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.state {
            State::Open => {}
            State::Ended => return Poll::Ready(None),
            State::Cut => {
                self.state = State::Ended;
                return Poll::Ready(Some(Err(io::Error::other("the PHP script ended without finishing its streamed response"))));
            }
        }
        match self.rx.poll_chunk(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Chunk::Data(b))) => Poll::Ready(Some(Ok(Frame::data(b)))),
            Poll::Ready(Some(Chunk::End)) => {
                self.state = State::Ended;
                Poll::Ready(None)
            }
            // The PHP side went away without ending the body (a fatal error, a
            // timeout; its log says which): an error makes hyper cut the
            // connection (HTTP/1, no terminating chunk) or reset the stream (h2),
            // so the client sees a truncated body, never a short complete one.
            Poll::Ready(None) => {
                self.state = State::Cut;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.state == State::Ended
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;
    use crate::pool::stream::Sink;

    #[tokio::test]
    async fn chunks_then_the_end_make_a_whole_body() {
        let (tx, rx) = Sink::pair();
        tx.data(b"a".to_vec()).unwrap();
        tx.data(b"b".to_vec()).unwrap();
        tx.end().unwrap();
        let body = StreamBody::new(rx).collect().await.unwrap().to_bytes();
        assert_eq!(body, "ab");
    }

    #[tokio::test]
    async fn output_past_the_channel_comes_from_the_overflow_in_order() {
        let (tx, rx) = Sink::pair();
        let want: Vec<u8> = (0..2000u32).flat_map(|i| i.to_le_bytes()).collect();
        for part in want.chunks(100) {
            tx.overflow(part.to_vec()).unwrap();
        }
        tx.end().unwrap();
        let body = StreamBody::new(rx).collect().await.unwrap().to_bytes();
        assert_eq!(body, want);
    }

    #[tokio::test]
    async fn a_stream_cut_short_is_an_error() {
        let (tx, rx) = Sink::pair();
        tx.data(b"a".to_vec()).unwrap();
        drop(tx);
        assert!(StreamBody::new(rx).collect().await.is_err());
    }

    #[tokio::test]
    async fn a_stream_cut_short_after_an_overflow_is_an_error() {
        let (tx, rx) = Sink::pair();
        for _ in 0..20 {
            tx.overflow(vec![1; 10]).unwrap();
        }
        drop(tx);
        assert!(StreamBody::new(rx).collect().await.is_err());
    }
}
