//! The worker's answer to a call, as the client gets it. The worker side
//! (`runtime::grpc`) answers with one of:
//! - a string: the one reply message;
//! - `{message, headers?, trailers?}`: the reply message with response metadata;
//! - `{status, message}`: a `Folk\Grpc\Exception`'s status (trailers-only);
//! - `{stream: true, headers?, trailers?}`: the head of a server stream whose messages
//!   follow through the reply's stream, each chunk tagged as a message or as
//!   the status that ends the stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tonic::metadata::MetadataMap;
use tonic::{Code, Response, Status};

use super::metadata;
use super::status::code;
use crate::bridge::{Key, Value};
use crate::pool::Reply;
use crate::pool::stream::{Chunk, Receiver, STREAM_KEY};
use crate::pool::grpc::{CHUNK_MESSAGE, CHUNK_STATUS};

/// The reply messages of a call, none larger than `max` (`grpc.max_send_message_size`).
pub(super) struct Messages {
    from: From,
    max: usize,
    /// `Folk\Grpc\Reply`'s trailers, sent with the OK status once the messages are out.
    trailers: Option<MetadataMap>,
}

/// One message, or a stream the handler still produces.
enum From {
    One(Option<Bytes>),
    Streamed(Option<Receiver>),
}

/// Reads the worker's answer to `reply`'s job.
pub(super) fn read(answer: Value, reply: &Reply, max: usize) -> Result<Response<Messages>, Status> {
    let entries = match answer {
        Value::Str(bytes) => return Ok(Response::new(Messages { from: From::One(Some(Bytes::from(bytes))), max, trailers: None })),
        Value::Map(entries) => entries,
        other => {
            tracing::error!(answer = ?kind(&other), "a gRPC job answered with something that is no reply");
            return Err(Status::internal("the handler's answer is no reply"));
        }
    };
    let get = |name: &str| entries.iter().find(|(k, _)| *k == Key::str(name)).map(|(_, v)| v);
    let headers = get("headers").map(metadata::from_value).unwrap_or_default();
    if let Some(Value::Int(n)) = get("status") {
        let message = match get("message") {
            Some(Value::Str(m)) => String::from_utf8_lossy(m).into_owned(),
            _ => String::new(),
        };
        return Err(Status::with_metadata(code(*n), message, headers));
    }
    let from = if get(STREAM_KEY) == Some(&Value::Bool(true)) {
        From::Streamed(reply.take_stream())
    } else if let Some(Value::Str(m)) = get("message") {
        From::One(Some(Bytes::copy_from_slice(m)))
    } else {
        return Err(Status::internal("the handler's answer is no reply"));
    };
    let trailers = get("trailers").map(metadata::from_value).filter(|t| !t.is_empty());
    let mut response = Response::new(Messages { from, max, trailers });
    *response.metadata_mut() = headers;
    Ok(response)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "string",
        Value::List(_) => "list",
        Value::Map(_) => "map",
    }
}

/// The end of a call that went well, once: tonic sends a status's metadata
/// with `grpc-status` in the trailers, so an OK status carries the reply's
/// trailers. None (a plain end) when there are none.
fn ok_with_trailers(trailers: &mut Option<MetadataMap>) -> Option<Result<Bytes, Status>> {
    trailers.take().map(|t| Err(Status::with_metadata(Code::Ok, "", t)))
}

impl Stream for Messages {
    type Item = Result<Bytes, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let max = this.max;
        // RESOURCE_EXHAUSTED, as grpc-go (tonic's own check would say OUT_OF_RANGE).
        let sized = move |m: Bytes| match m.len() {
            n if n > max => {
                let s = Status::resource_exhausted(format!("the reply message is {n} bytes, over grpc.max_send_message_size ({max})"));
                tracing::warn!("gRPC reply not sent: {}", s.message());
                Err(s)
            }
            _ => Ok(m),
        };
        match &mut this.from {
            From::One(m) => Poll::Ready(match m.take() {
                Some(m) => Some(sized(m)),
                None => ok_with_trailers(&mut this.trailers),
            }),
            From::Streamed(slot) => {
                let Some(rx) = slot.as_mut() else { return Poll::Ready(None) };
                let chunk = match rx.poll_chunk(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(c) => c,
                };
                let item = match chunk {
                    Some(Chunk::Data(d)) => match d.first() {
                        Some(&CHUNK_MESSAGE) => match sized(d.slice(1..)) {
                            Ok(m) => return Poll::Ready(Some(Ok(m))),
                            Err(s) => Some(Err(s)),
                        },
                        Some(&CHUNK_STATUS) if d.len() >= 2 => {
                            let message = String::from_utf8_lossy(&d[2..]).into_owned();
                            Some(Err(Status::new(code(i64::from(d[1])), message)))
                        }
                        _ => Some(Err(Status::internal("the handler's stream is garbled"))),
                    },
                    Some(Chunk::End) => ok_with_trailers(&mut this.trailers),
                    None => Some(Err(Status::internal("the handler's stream was cut short (a fatal error, or its time limit)"))),
                };
                *slot = None;
                Poll::Ready(item)
            }
        }
    }
}
