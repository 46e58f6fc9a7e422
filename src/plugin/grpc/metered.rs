//! A call's response body that counts the call when its status goes out
//! (the trailers, or the head of a trailers-only answer), and as cancelled
//! when it is dropped before that (the client reset the stream or left).

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use bytes::Bytes;
use http::HeaderMap;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tonic::Status;
use tonic::body::Body;

use super::metrics::GRPC_METRICS;

/// Labels and clock of one call, counted once.
pub(super) struct Meter {
    service: String,
    method: String,
    started: Instant,
    counted: bool,
}

impl Meter {
    pub(super) fn new(service: &str, method: &str, started: Instant) -> Self {
        Meter { service: service.into(), method: method.into(), started, counted: false }
    }

    /// Counts the call with the status in `headers` (trailers, or a trailers-only head); false if none is there.
    pub(super) fn status_in(&mut self, headers: &HeaderMap) -> bool {
        let Some(code) = headers.get("grpc-status").and_then(|v| v.to_str().ok()).and_then(|s| s.parse().ok()) else { return false };
        self.count(code);
        true
    }

    fn count(&mut self, code: i32) {
        if !self.counted {
            self.counted = true;
            GRPC_METRICS.observe(&self.service, &self.method, code, self.started.elapsed());
        }
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        if !self.counted {
            GRPC_METRICS.cancelled();
            self.count(tonic::Code::Cancelled as i32);
        }
    }
}

/// The response body, with its meter.
pub(super) struct Metered {
    inner: Body,
    meter: Meter,
}

impl Metered {
    pub(super) fn wrap(inner: Body, meter: Meter) -> Body {
        Body::new(Metered { inner, meter })
    }
}

impl HttpBody for Metered {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        let frame = ready!(Pin::new(&mut this.inner).poll_frame(cx));
        match &frame {
            Some(Ok(f)) => {
                if let Some(t) = f.trailers_ref() {
                    this.meter.status_in(t);
                }
            }
            Some(Err(s)) => this.meter.count(s.code() as i32),
            None => this.meter.count(0),
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
