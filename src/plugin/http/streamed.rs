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
        match self.rx.poll_recv(cx) {
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
    use tokio::sync::mpsc;

    use super::*;

    #[tokio::test]
    async fn chunks_then_the_end_make_a_whole_body() {
        let (tx, rx) = mpsc::channel(4);
        tx.send(Chunk::Data(Bytes::from_static(b"a"))).await.unwrap();
        tx.send(Chunk::Data(Bytes::from_static(b"b"))).await.unwrap();
        tx.send(Chunk::End).await.unwrap();
        let body = StreamBody::new(rx).collect().await.unwrap().to_bytes();
        assert_eq!(body, "ab");
    }

    #[tokio::test]
    async fn a_stream_cut_short_is_an_error() {
        let (tx, rx) = mpsc::channel(4);
        tx.send(Chunk::Data(Bytes::from_static(b"a"))).await.unwrap();
        drop(tx);
        assert!(StreamBody::new(rx).collect().await.is_err());
    }
}
