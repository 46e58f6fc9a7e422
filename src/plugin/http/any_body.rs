//! The one body type every HTTP response of folk's has, whatever made it:
//! an error page, a whole answer, a file, a classic script's stream, or any
//! of these compressed.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, SizeHint};

use super::compressed_body::Compressed;
use super::file_body::FileBody;
use super::streamed::StreamBody;

/// What a response carries: an error page folk made, a whole answer PHP
/// produced (held against `http.response_buffer`, see budget.rs), a static or
/// spooled file, or the output a classic script streams.
pub(super) enum AnyBody {
    Full(Full<Bytes>),
    /// A whole body, sent as one frame (hyper gets it slice by slice).
    Whole(Option<Bytes>),
    File(FileBody),
    Stream(StreamBody),
    /// Any of the above, compressed as it is sent (`http.compression`).
    Compressed(Box<Compressed<AnyBody>>),
}

impl Body for AnyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            AnyBody::Full(b) => Pin::new(b).poll_frame(cx).map(|f| f.map(|f| f.map_err(|e: Infallible| match e {}))),
            AnyBody::Whole(b) => Poll::Ready(b.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b)))),
            AnyBody::File(b) => Pin::new(b).poll_frame(cx),
            AnyBody::Stream(b) => Pin::new(b).poll_frame(cx),
            AnyBody::Compressed(b) => Pin::new(b.as_mut()).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            AnyBody::Full(b) => b.is_end_stream(),
            AnyBody::Whole(b) => b.as_ref().is_none_or(Bytes::is_empty),
            AnyBody::File(b) => b.is_end_stream(),
            AnyBody::Stream(b) => b.is_end_stream(),
            AnyBody::Compressed(b) => b.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            AnyBody::Full(b) => b.size_hint(),
            AnyBody::Whole(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            AnyBody::File(b) => b.size_hint(),
            AnyBody::Stream(b) => b.size_hint(),
            AnyBody::Compressed(b) => b.size_hint(),
        }
    }
}
