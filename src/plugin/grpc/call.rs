//! One gRPC call, from its request head to its status: routed on the path,
//! framed by tonic (with a raw-bytes codec: size limits, gzip, trailers),
//! and answered by the PHP handler through the pool as a job with method
//! "grpc". The client's `grpc-timeout` bounds the wait (and in `interrupt`
//! mode the run); a client that resets the stream drops this future, which
//! abandons the job (`AbandonOnDrop`): dropped unrun if still queued.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use tonic::Status;
use tonic::body::Body;
use tonic::codec::CompressionEncoding;
use tonic::server::Grpc;

use super::answer::{self, Messages};
use super::builtins::Builtins;
use super::catalog::{Catalog, MethodKind};
use super::codec::RawCodec;
use super::metered::{Meter, Metered};
use super::{metadata, status, timeout};
use crate::bridge::{Key, Value};
use crate::config::{Deadline, GrpcConfig};
use crate::pool::{AbandonOnDrop, PoolHandle};
use crate::pool::grpc::GRPC_JOB;

/// What every call of the plugin shares.
pub(super) struct Front {
    pub(super) pool: PoolHandle,
    pub(super) cfg: GrpcConfig,
    /// `workers.exec_timeout`: the run's bound where `grpc.timeout` is not set.
    pub(super) exec_timeout: Option<Duration>,
    /// The services folk answers itself (health, reflection).
    pub(super) builtins: Arc<Builtins>,
    /// The compiled `grpc.proto` files, if any: methods they do not declare never reach PHP.
    pub(super) catalog: Option<Arc<Catalog>>,
}

/// Where a call came from.
pub(super) struct Peer {
    pub(super) remote: String,
    pub(super) tls: bool,
}

impl Front {
    pub(super) async fn handle(self: Arc<Self>, req: Request<Incoming>, peer: Arc<Peer>) -> Response<Body> {
        let started = Instant::now();
        let path = req.uri().path().to_owned();
        if let Some(svc) = self.builtins.route(&path) {
            return tower::ServiceExt::oneshot(svc, req).await.unwrap_or_else(|e| match e {});
        }
        if !is_grpc(req.headers()) {
            return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        }
        let Some((service, method)) = split(&path) else {
            return trailers_only(Status::unimplemented(format!("{path} names no service and method")), Meter::new("other", "other", started));
        };
        match self.catalog.as_ref().map(|c| c.method(&path)) {
            Some(None) => {
                // Counted as "other": with .proto files, the metrics' labels are only the declared methods.
                let meter = Meter::new("other", "other", started);
                return trailers_only(Status::unimplemented(format!("unknown method {path}: no file of grpc.proto declares it")), meter);
            }
            Some(Some(MethodKind::ClientStreaming | MethodKind::Bidi)) => {
                let why = format!("{path} streams requests (client or bidirectional streaming): PHP handlers serve unary and server-streaming methods");
                return trailers_only(Status::unimplemented(why), Meter::new(service, method, started));
            }
            Some(Some(MethodKind::Unary | MethodKind::ServerStreaming)) | None => {}
        }
        let mut meter = Meter::new(service, method, started);
        let deadline = req.headers().get("grpc-timeout").and_then(|v| timeout::parse(v.as_bytes())).and_then(|d| started.checked_add(d));
        let call = Call {
            front: self.clone(),
            service: service.to_owned(),
            method: method.to_owned(),
            path: path.clone(),
            metadata: metadata::to_value(req.headers()),
            authority: req.uri().authority().map(|a| a.to_string()).or_else(|| header(req.headers(), "host")).unwrap_or_default(),
            deadline,
            peer,
        };
        let mut grpc = Grpc::new(RawCodec)
            .accept_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Gzip)
            .max_decoding_message_size(self.cfg.max_recv_message_size)
            .max_encoding_message_size(self.cfg.max_send_message_size);
        // Unary and server streaming look alike on the wire (one request
        // message, then messages and a status): one path serves both.
        let mut once = Some(call);
        let svc = tower::service_fn(move |r: tonic::Request<Bytes>| {
            let call = once.take();
            async move {
                match call {
                    Some(c) => c.run(r.into_inner()).await,
                    None => Err(Status::internal("a call is run once")),
                }
            }
        });
        let mut response = grpc.server_streaming(svc, req).await;
        too_large_is_exhausted(response.headers_mut());
        if meter.status_in(response.headers()) {
            return response;
        }
        let (parts, body) = response.into_parts();
        Response::from_parts(parts, Metered::wrap(body, meter))
    }
}

/// The call as the job is made of it.
struct Call {
    front: Arc<Front>,
    service: String,
    method: String,
    path: String,
    metadata: Value,
    authority: String,
    deadline: Option<Instant>,
    peer: Arc<Peer>,
}

impl Call {
    async fn run(self, message: Bytes) -> Result<tonic::Response<Messages>, Status> {
        let left = match self.deadline {
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => return Err(Status::deadline_exceeded("the call's deadline passed before it reached a worker")),
            },
            None => None,
        };
        let cap = self.front.cfg.timeout.or(self.front.exec_timeout);
        let limit = match (self.front.cfg.deadline, left) {
            (Deadline::Interrupt, Some(left)) => Some(cap.map_or(left, |c| c.min(left))),
            _ => self.front.cfg.timeout,
        };
        let front = self.front.clone();
        let deadline = self.deadline;
        let payload = self.payload(message, left);
        let reply = front.pool.submit_limited(GRPC_JOB.to_string(), payload, limit).map_err(|e| status::of_work_error(&e))?;
        let waiting = AbandonOnDrop::new(reply.clone());
        let result = match deadline {
            // On expiry the wait is dropped: a queued job is dropped unrun, a running one's answer discarded.
            Some(d) => match tokio::time::timeout_at(d.into(), waiting).await {
                Ok(r) => r,
                Err(_) => return Err(Status::deadline_exceeded("the call's deadline passed before the handler answered")),
            },
            None => waiting.await,
        };
        match result {
            Ok(v) => answer::read(v, &reply, front.cfg.max_send_message_size),
            Err(e) => Err(status::of_work_error(&e)),
        }
    }

    /// What the handler gets as `$payload`.
    fn payload(self, message: Bytes, left: Option<Duration>) -> Value {
        let field = |k: &str, v: Value| (Key::str(k), v);
        Value::Map(vec![
            field("service", Value::str(self.service)),
            field("method", Value::str(self.method)),
            field("path", Value::str(self.path)),
            field("message", Value::Str(message.into())),
            field("metadata", self.metadata),
            field("deadline", left.map_or(Value::Null, |d| Value::Float(d.as_secs_f64()))),
            field("peer", Value::str(self.peer.remote.clone())),
            field("authority", Value::str(self.authority)),
            field("tls", Value::Bool(self.peer.tls)),
        ])
    }
}

/// "/pkg.Service/Method" as ("pkg.Service", "Method").
fn split(path: &str) -> Option<(&str, &str)> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    (!service.is_empty() && !method.is_empty() && !method.contains('/')).then_some((service, method))
}

fn is_grpc(h: &http::HeaderMap) -> bool {
    h.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct == "application/grpc" || ct.starts_with("application/grpc+") || ct.starts_with("application/grpc;"))
}

fn header(h: &http::HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// tonic refuses a request message over the limit with OUT_OF_RANGE; gRPC
/// servers (grpc-go, the spec's "no space") answer RESOURCE_EXHAUSTED.
fn too_large_is_exhausted(h: &mut http::HeaderMap) {
    let over = h.get("grpc-status").is_some_and(|v| v == "11")
        && h.get("grpc-message").is_some_and(|m| {
            // Percent-encoded on the wire (spaces as %20).
            let m = String::from_utf8_lossy(m.as_bytes()).replace("%20", " ");
            m.starts_with("Error, decoded message length too large")
        });
    if over {
        h.insert("grpc-status", HeaderValue::from_static("8"));
    }
}

/// A status without messages: the status in the head.
fn trailers_only(s: Status, mut meter: Meter) -> Response<Body> {
    let response = s.into_http();
    meter.status_in(response.headers());
    response
}

/// A plain HTTP answer, for a request that is no gRPC call.
fn plain(code: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = code;
    r.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_a_service_and_a_method() {
        assert_eq!(split("/helloworld.Greeter/SayHello"), Some(("helloworld.Greeter", "SayHello")));
        assert_eq!(split("/a/b/c"), None);
        assert_eq!(split("/a/"), None);
        assert_eq!(split("//b"), None);
        assert_eq!(split("nope"), None);
    }

    #[test]
    fn a_request_over_the_size_limit_is_resource_exhausted_not_out_of_range() {
        let mut h = Status::out_of_range("Error, decoded message length too large: found 9 bytes, the limit is: 8 bytes").into_http::<Body>().headers().clone();
        too_large_is_exhausted(&mut h);
        assert_eq!(h["grpc-status"], "8");
        let mut own = Status::out_of_range("page 9 of 8").into_http::<Body>().headers().clone();
        too_large_is_exhausted(&mut own);
        assert_eq!(own["grpc-status"], "11", "a handler's own OUT_OF_RANGE stays");
    }

    #[test]
    fn only_grpc_content_types_are_calls() {
        let mut h = http::HeaderMap::new();
        assert!(!is_grpc(&h));
        for (ct, yes) in [("application/grpc", true), ("application/grpc+proto", true), ("application/grpc-web", false), ("text/plain", false)] {
            h.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(ct));
            assert_eq!(is_grpc(&h), yes, "{ct}");
        }
    }
}
