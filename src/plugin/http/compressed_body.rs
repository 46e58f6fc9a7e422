//! A response body compressed as it is sent: an in-memory gzip, brotli or
//! zstd encoder fed frame by frame (flushed after each one for a stream), and
//! the same encoder for a whole body at once. `compress` decides when.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use async_compression::tokio::write::{BrotliEncoder, GzipEncoder, ZstdEncoder};
use bytes::Bytes;
use hyper::body::{Body, Frame};
use tokio::io::AsyncWrite;

/// `data` compressed whole, the encoder gone with it.
pub(super) fn whole(mut encoder: Encoder, data: &[u8]) -> io::Result<Bytes> {
    let mut out = encoder.push(data, false)?.to_vec();
    out.extend_from_slice(&encoder.finish()?);
    Ok(Bytes::from(out))
}

/// One encoder writing into memory: every write and flush completes at once.
pub(super) enum Encoder {
    Gzip(GzipEncoder<Vec<u8>>),
    Brotli(BrotliEncoder<Vec<u8>>),
    Zstd(ZstdEncoder<Vec<u8>>),
}

/// Drives a write-side step on an in-memory encoder. Writing into a `Vec`
/// never waits, so a pending step would be a broken encoder, not back-pressure.
fn now<T>(step: impl FnOnce(&mut Context<'_>) -> Poll<io::Result<T>>) -> io::Result<T> {
    let mut cx = Context::from_waker(Waker::noop());
    match step(&mut cx) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(io::Error::other("the compressor did not complete an in-memory write")),
    }
}

impl Encoder {
    fn writer(&mut self) -> Pin<&mut (dyn AsyncWrite + Unpin)> {
        match self {
            Encoder::Gzip(e) => Pin::new(e),
            Encoder::Brotli(e) => Pin::new(e),
            Encoder::Zstd(e) => Pin::new(e),
        }
    }

    fn output(&mut self) -> Bytes {
        let out = match self {
            Encoder::Gzip(e) => e.get_mut(),
            Encoder::Brotli(e) => e.get_mut(),
            Encoder::Zstd(e) => e.get_mut(),
        };
        Bytes::from(std::mem::take(out))
    }

    /// Compresses `data`; with `flush`, everything so far comes out now (a sync flush).
    pub(super) fn push(&mut self, mut data: &[u8], flush: bool) -> io::Result<Bytes> {
        while !data.is_empty() {
            let n = now(|cx| self.writer().poll_write(cx, data))?;
            if n == 0 {
                return Err(io::Error::new(io::ErrorKind::WriteZero, "the compressor took no input"));
            }
            data = &data[n..];
        }
        if flush {
            now(|cx| self.writer().poll_flush(cx))?;
        }
        Ok(self.output())
    }

    /// Ends the compressed stream: what is left, and the trailer.
    pub(super) fn finish(&mut self) -> io::Result<Bytes> {
        now(|cx| self.writer().poll_shutdown(cx))?;
        Ok(self.output())
    }
}

/// A response body compressed as it is sent.
pub(super) struct Compressed<B> {
    pub(super) inner: B,
    pub(super) encoder: Encoder,
    /// Flush after each frame (a stream's chunks go out as they come).
    pub(super) flush_each: bool,
    pub(super) done: bool,
}

impl<B: Body<Data = Bytes, Error = io::Error> + Unpin> Body for Compressed<B> {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let frame = match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(f) => f,
            };
            let out = match frame {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => this.encoder.push(data.as_ref(), this.flush_each),
                    Err(other) => return Poll::Ready(Some(Ok(other))),
                },
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => {
                    this.done = true;
                    this.encoder.finish()
                }
            };
            match out {
                Ok(b) if b.is_empty() => continue,
                Ok(b) => return Poll::Ready(Some(Ok(Frame::data(b)))),
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}
