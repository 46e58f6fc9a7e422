//! The translation between HTTP and a pool job: a request becomes the payload
//! the PHP handler receives, its return value (or the job's failure) becomes
//! the response. No sockets and no pool here, so every rule is unit-tested directly.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode, Version};

use crate::bridge::{Key, Value};
use crate::error::WorkError;
use crate::pool::spool::SPOOL_KEY;
use crate::pool::stream::{PHP_HEAD_KEY, STREAM_KEY};
use super::proxies::Origin;
use super::raw_target::RawTarget;

/// The client and server addresses of one connection, as the handler sees them.
pub(super) struct Peer {
    pub(super) remote: String,
    pub(super) local: String,
    /// The socket's client address (before `http.trusted_proxies`).
    pub(super) addr: std::net::SocketAddr,
    /// Whether the connection is TLS.
    pub(super) tls: bool,
}

/// The one place that says how a failed job is answered. Bodies stay generic:
/// the details (exception messages, file paths) only go to the log.
pub(super) fn error_response(e: &WorkError) -> Response<Full<Bytes>> {
    let (status, headers) = error_parts(e);
    let mut r = plain(status);
    r.headers_mut().extend(headers);
    r
}

/// The status and extra headers a failed job is answered with.
pub(crate) fn error_parts(e: &WorkError) -> (StatusCode, HeaderMap) {
    let (status, retry_after) = match e {
        WorkError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, true),
        WorkError::ShutDown => (StatusCode::SERVICE_UNAVAILABLE, false),
        WorkError::Timeout(_) => (StatusCode::GATEWAY_TIMEOUT, false),
        WorkError::WorkerDied(_) | WorkError::Application { .. } | WorkError::Unhealthy(_) | WorkError::Bridge(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, false)
        }
    };
    let mut headers = HeaderMap::new();
    if retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    (status, headers)
}

/// 429 for a client over `http.client_rate`, with when to come back (whole seconds, at least 1).
pub(super) fn too_many_requests(wait: Duration) -> Response<Full<Bytes>> {
    let mut r = plain(StatusCode::TOO_MANY_REQUESTS);
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
    r
}

/// A short text body naming the status, e.g. "503 Service Unavailable".
pub(super) fn plain(status: StatusCode) -> Response<Full<Bytes>> {
    plain_bytes(status).map(Full::new)
}

/// `plain`, its body as bytes.
pub(crate) fn plain_bytes(status: StatusCode) -> Response<Bytes> {
    let mut r = Response::new(Bytes::from(status_line(status)));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn status_line(status: StatusCode) -> String {
    format!("{} {}\n", status.as_str(), status.canonical_reason().unwrap_or(""))
}

/// A whole response written straight to the socket, for answers given
/// outside hyper (refused connection, head timeout).
pub(super) fn raw_response(status: StatusCode, extra: &str) -> Vec<u8> {
    let body = status_line(status);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// About how many bytes the request head took on the wire.
pub(super) fn head_size<B>(req: &Request<B>) -> usize {
    let uri = req.uri();
    let target = uri.path_and_query().map_or(1, |p| p.as_str().len()) + uri.authority().map_or(0, |a| a.as_str().len());
    let line = req.method().as_str().len() + target + " HTTP/1.1\r\n ".len();
    let headers: usize = req.headers().iter().map(|(n, v)| n.as_str().len() + v.len() + ": \r\n".len()).sum();
    line + headers + 2
}

/// One entry of a payload map.
fn field(k: &str, v: Value) -> (Key, Value) {
    (Key::str(k), v)
}

/// What classic mode adds to a request's payload: the script to run (its CGI names).
pub(super) fn add_script(payload: &mut Value, filename: &std::path::Path, name: &str, path_info: &str, root: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let script = Value::Map(vec![
        field("filename", Value::Str(filename.as_os_str().as_bytes().to_vec())),
        field("name", Value::str(name)),
        field("path_info", Value::str(path_info)),
        field("root", Value::Str(root.as_os_str().as_bytes().to_vec())),
    ]);
    if let Value::Map(entries) = payload {
        entries.push(field("script", script));
    }
}

/// A PHP request may stream its response, each send waiting at most `patience` for the client.
pub(crate) fn add_stream(payload: &mut Value, patience: std::time::Duration) {
    if let Value::Map(entries) = payload {
        entries.push(field(STREAM_KEY, Value::Int(i64::try_from(patience.as_millis()).unwrap_or(i64::MAX))));
    }
}

/// A body over `http.body_buffer`: names the file it was spooled to (`body` stays empty).
pub(crate) fn add_spool(payload: &mut Value, id: u64) {
    if let Value::Map(entries) = payload {
        entries.push(field(SPOOL_KEY, Value::Int(i64::try_from(id).unwrap_or(i64::MAX))));
    }
}

/// The size of the whole body a handler's value answers with; None for the
/// head of a streamed response (see `take_stream_flag`) or a value that is no response.
pub(super) fn whole_body_len(v: &Value) -> Option<usize> {
    match v {
        Value::Str(s) => Some(s.len()),
        Value::Null => Some(0),
        Value::Map(entries) => {
            let mut len = 0;
            for (k, v) in entries {
                match (k, v) {
                    (Key::Str(k), Value::Bool(true)) if k == STREAM_KEY.as_bytes() => return None,
                    (Key::Str(k), Value::Str(body)) if k == b"body" => len = body.len(),
                    _ => {}
                }
            }
            Some(len)
        }
        _ => None,
    }
}

/// Whether a classic job's value is only the head of a streamed response
/// (`'stream' => true`, its body follows on the stream); the key is removed.
pub(crate) fn take_stream_flag(v: &mut Value) -> bool {
    let Value::Map(entries) = v else { return false };
    let before = entries.len();
    entries.retain(|(k, v)| !(matches!(k, Key::Str(k) if k == STREAM_KEY.as_bytes()) && *v == Value::Bool(true)));
    entries.len() != before
}

/// A 301 to `location` (a directory named without its trailing slash), query kept.
pub(super) fn add_slash(location: &str, query: Option<&str>) -> Response<Full<Bytes>> {
    let mut r = plain(StatusCode::MOVED_PERMANENTLY);
    let to = match query {
        Some(q) => format!("{location}?{q}"),
        None => location.to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&to) {
        r.headers_mut().insert(hyper::header::LOCATION, v);
    }
    r
}

/// The request as the PHP handler receives it. `remote` and `https` are the
/// client's as `http.trusted_proxies` lets a proxy say (an `Origin` in the
/// request's extensions), else the socket's; `server_name` and `server_port`
/// are there only when a trusted proxy named them.
pub(super) fn payload(parts: &Parts, body: Vec<u8>, peer: &Peer) -> Value {
    let uri = &parts.uri;
    let h2 = parts.version >= Version::HTTP_2;
    // What hyper would have refused and got escaped (see `raw_target`), as sent.
    let raw = parts.extensions.get::<RawTarget>();
    // HTTP/1 keeps the target as sent (origin or absolute form); h2 has no
    // request line, so its target is :path.
    let target = match raw {
        Some(raw) => raw.target().to_string(),
        None if h2 => uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.to_string()),
        None => uri.to_string(),
    };
    let mut headers: Vec<(Key, Value)> = Vec::with_capacity(parts.headers.keys_len() + 1);
    for name in parts.headers.keys() {
        let values = parts.headers.get_all(name).iter().map(|v| Value::Str(v.as_bytes().to_vec())).collect();
        headers.push((Key::str(name.as_str()), Value::List(values)));
    }
    if h2 && !parts.headers.contains_key(HOST) {
        // h2 carries the host in :authority; PHP code expects a Host header.
        if let Some(a) = uri.authority() {
            headers.push((Key::Str(b"host".to_vec()), Value::List(vec![Value::str(a.as_str())])));
        }
    }
    let origin = parts.extensions.get::<Origin>();
    let mut entries = vec![
        field("method", Value::str(parts.method.as_str())),
        field("target", Value::str(target)),
        field("path", Value::str(raw.map_or(uri.path(), RawTarget::path))),
        field("query", Value::str(raw.map_or(uri.query().unwrap_or(""), RawTarget::query))),
        field("protocol", Value::str(protocol(parts.version))),
        field("headers", Value::Map(headers)),
        field("body", Value::Str(body)),
        field("remote", Value::str(origin.map_or(peer.remote.as_str(), |o| o.remote.as_str()))),
        field("local", Value::str(peer.local.as_str())),
        field("https", Value::Bool(origin.map_or(peer.tls, |o| o.https))),
    ];
    if let Some(name) = origin.and_then(|o| o.server_name.as_deref()) {
        entries.push(field("server_name", Value::str(name)));
    }
    if let Some(port) = origin.and_then(|o| o.server_port) {
        entries.push(field("server_port", Value::Int(i64::from(port))));
    }
    Value::Map(entries)
}

/// `SERVER_PROTOCOL` as CGI names it ("HTTP/1.1"), without formatting.
fn protocol(v: Version) -> &'static str {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_11 => "HTTP/1.1",
        Version::HTTP_2 => "HTTP/2.0",
        Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    }
}

/// Turns a handler's return value into a response (its whole body); the error
/// says what is wrong in terms of the PHP value.
pub(crate) fn into_response(v: Value) -> Result<Response<Bytes>, String> {
    const SHAPE: &str = "return a string, null, or ['status' => 200, 'headers' => [...], 'body' => '...']";
    let entries = match v {
        Value::Str(s) => {
            let mut r = Response::new(Bytes::from(s));
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            return Ok(r);
        }
        Value::Null => {
            let mut r = Response::new(Bytes::new());
            *r.status_mut() = StatusCode::NO_CONTENT;
            return Ok(r);
        }
        Value::Map(entries) => entries,
        other => return Err(format!("got {}; {SHAPE}", describe(&other))),
    };
    let mut status = StatusCode::OK;
    let mut headers = HeaderMap::new();
    let mut body = Vec::new();
    let mut php_head = false;
    for (key, v) in entries {
        let Key::Str(key) = key else {
            return Err(format!("unexpected key {key} in the response array; {SHAPE}"));
        };
        match key.as_slice() {
            b"status" => {
                status = match v {
                    Value::Int(n) => u16::try_from(n)
                        .ok()
                        .filter(|n| (200..=999).contains(n))
                        .and_then(|n| StatusCode::from_u16(n).ok())
                        .ok_or_else(|| format!("'status' must be between 200 and 999, got {n}"))?,
                    other => return Err(format!("'status' must be an int, got {}", describe(&other))),
                }
            }
            b"headers" => match v {
                Value::Map(h) => {
                    for (name, value) in h {
                        add_header(&mut headers, name, value)?;
                    }
                }
                Value::List(l) if l.is_empty() => {}
                other => {
                    return Err(format!("'headers' must be an array of name => value, got {}", describe(&other)));
                }
            },
            b"body" => {
                body = match v {
                    Value::Str(s) => s,
                    Value::Null => Vec::new(),
                    other => return Err(format!("'body' must be a string, got {}", describe(&other))),
                }
            }
            k if k == PHP_HEAD_KEY.as_bytes() => php_head = v == Value::Bool(true),
            other => {
                return Err(format!("unknown key '{}' in the response array; {SHAPE}", String::from_utf8_lossy(other)));
            }
        }
    }
    if !body.is_empty() && !php_head && !headers.contains_key(CONTENT_TYPE) {
        // What PHP's SAPIs send by default.
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    }
    let mut r = Response::new(Bytes::from(body));
    *r.status_mut() = status;
    *r.headers_mut() = headers;
    Ok(r)
}

fn add_header(headers: &mut HeaderMap, name: Key, value: Value) -> Result<(), String> {
    let Key::Str(name) = name else {
        return Err(format!("header names must be strings, got index {name}; write ['Name' => 'value']"));
    };
    let shown = String::from_utf8_lossy(&name).into_owned();
    let name = HeaderName::from_bytes(&name).map_err(|_| format!("'{shown}' is not a valid header name"))?;
    // hyper frames the body itself; a handler's own length would only risk a mismatch.
    if name == CONTENT_LENGTH || name == TRANSFER_ENCODING {
        return Ok(());
    }
    let one = |v: Value| -> Result<HeaderValue, String> {
        let bytes = match v {
            Value::Str(s) => s,
            Value::Int(i) => i.to_string().into_bytes(),
            other => return Err(format!("header '{shown}' must be a string, got {}", describe(&other))),
        };
        HeaderValue::from_bytes(&bytes).map_err(|_| format!("header '{shown}' has a value with a line break or control character"))
    };
    match value {
        Value::List(values) => {
            for v in values {
                headers.append(name.clone(), one(v)?);
            }
        }
        v => {
            headers.append(name, one(v)?);
        }
    }
    Ok(())
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("bool {b}"),
        Value::Int(i) => format!("int {i}"),
        Value::Float(f) => format!("float {f}"),
        Value::Str(_) => "a string".into(),
        Value::List(_) => "a list".into(),
        Value::Map(_) => "an array".into(),
    }
}

#[cfg(test)]
#[path = "exchange_tests.rs"]
mod tests;
