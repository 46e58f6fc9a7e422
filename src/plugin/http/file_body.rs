//! A file as a response body: a static file or a response spooled to a
//! temporary file (budget.rs), read a chunk at a time on the I/O thread as
//! hyper asks, or handed to `sendfile(2)` by `http.direct`.

use std::fs::File;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use hyper::body::{Body, Frame, SizeHint};

use super::send_clock::SLICE;

/// The largest streamed chunk. A stream starts with one `SLICE` and doubles
/// its reads up to this while the client keeps asking, so a stream whose
/// client takes nothing holds one small chunk, and a fast one gets large reads.
const CHUNK: usize = 256 << 10;

/// A static file's body: nothing (HEAD, 304, 416), bytes read whole, or a stream.
pub enum FileBody {
    Empty,
    Whole(Option<Bytes>),
    Stream(FileStream),
}

/// Streams `len` bytes of a file from `start`, a chunk at a time. Each chunk
/// is read on the I/O thread when hyper asks for it (after the previous one
/// was handed on), as nginx's event loop reads: from the page cache a 256 KiB
/// read takes tens of microseconds, while tokio's blocking pool cost a
/// thread hand-off (and an extra copy) per chunk.
pub struct FileStream {
    file: File,
    at: u64,
    left: u64,
    /// The size of the next read: `SLICE` first, doubling up to `CHUNK`.
    chunk: usize,
}

impl FileStream {
    pub(super) fn new(file: File, start: u64, len: u64) -> FileStream {
        FileStream { file, at: start, left: len, chunk: SLICE }
    }

    /// The whole of a file a response was spooled to (budget.rs).
    pub(super) fn spooled(file: File, len: u64) -> FileStream {
        FileStream::new(file, 0, len)
    }

    /// Bytes still to send.
    pub(super) fn left(&self) -> u64 {
        self.left
    }

    /// Sends the next part straight from the page cache to `out` with
    /// `sendfile(2)`, without a copy through user space (`http.direct`'s
    /// static files): as much as `out` takes now; `WouldBlock` when it takes
    /// nothing.
    pub(super) fn send_to(&mut self, out: impl std::os::fd::AsFd) -> io::Result<usize> {
        let mut at = self.at;
        let n = rustix::fs::sendfile(out, &self.file, Some(&mut at), self.left.min(1 << 30) as usize)?;
        if n == 0 && self.left > 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file got shorter while it was sent"));
        }
        self.at += n as u64;
        self.left -= n as u64;
        Ok(n)
    }

    fn next_chunk(&mut self) -> io::Result<Bytes> {
        use std::os::unix::fs::FileExt;
        let mut buf = BytesMut::zeroed(self.left.min(self.chunk as u64) as usize);
        self.chunk = (self.chunk * 2).min(CHUNK);
        let n = loop {
            match self.file.read_at(&mut buf, self.at) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file got shorter while it was sent"));
        }
        buf.truncate(n);
        self.at += n as u64;
        self.left -= n as u64;
        Ok(buf.freeze())
    }
}

impl Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut *self {
            FileBody::Empty => Poll::Ready(None),
            FileBody::Whole(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            FileBody::Stream(s) => {
                if s.left == 0 {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(s.next_chunk().map(Frame::data)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            FileBody::Empty => true,
            FileBody::Whole(b) => b.is_none(),
            FileBody::Stream(s) => s.left == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            FileBody::Empty => SizeHint::with_exact(0),
            FileBody::Whole(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            FileBody::Stream(s) => SizeHint::with_exact(s.left),
        }
    }
}
