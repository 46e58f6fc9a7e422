//! The rest of a direct answer the client did not take at once, written
//! from the I/O thread within the response budget (`http.send_timeout` per write).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hyper::Response;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use http_body_util::BodyExt;

use super::budget::{ConnMemory, settle};
use super::any_body::AnyBody;

/// The rest of an answer, written from the I/O thread.
pub(super) struct Send {
    pub(super) head: Bytes,
    pub(super) body: AnyBody,
    pub(super) chunked: bool,
    pub(super) close: bool,
}

impl Send {
    /// A whole body is held against the response budget (past it, in a temporary file).
    pub(super) fn within(mut self, memory: &Arc<ConnMemory>) -> Self {
        if matches!(self.body, AnyBody::Whole(_)) {
            self.body = settle(Response::new(self.body), memory, false).into_body();
        }
        self
    }

    /// Writes it all, each write waiting at most `patience` for the client;
    /// false if the client did not take it or the body was cut short.
    pub(super) async fn write(self, stream: &mut TcpStream, patience: Duration) -> bool {
        async fn put(stream: &mut TcpStream, data: &[u8], patience: Duration) -> bool {
            matches!(tokio::time::timeout(patience, stream.write_all(data)).await, Ok(Ok(())))
        }
        if !self.head.is_empty() && !put(stream, &self.head, patience).await {
            return false;
        }
        let mut body = Box::pin(self.body);
        loop {
            let data = match body.frame().await {
                None => break,
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => data,
                    _ => continue,
                },
                Some(Err(_)) => return false,
            };
            let sent = if self.chunked {
                let mut framed = Vec::with_capacity(data.len() + 16);
                framed.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
                framed.extend_from_slice(&data);
                framed.extend_from_slice(b"\r\n");
                put(stream, &framed, patience).await
            } else {
                put(stream, &data, patience).await
            };
            if !sent {
                return false;
            }
        }
        !self.chunked || put(stream, b"0\r\n\r\n", patience).await
    }
}

/// The `date` header's value, formatted once a second per thread.
pub(super) fn date() -> Vec<u8> {
    thread_local! {
        static LAST: std::cell::RefCell<(u64, Vec<u8>)> = const { std::cell::RefCell::new((u64::MAX, Vec::new())) };
    }
    let now = SystemTime::now();
    let secs = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        if l.0 != secs {
            *l = (secs, httpdate::fmt_http_date(now).into_bytes());
        }
        l.1.clone()
    })
}
