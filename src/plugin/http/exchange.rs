//! The translation between HTTP and a pool job: a request becomes the payload
//! the PHP handler receives, its return value (or the job's failure) becomes
//! the response. No sockets and no pool here, so every rule is unit-tested directly.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Body;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode, Version};

use crate::bridge::{Key, Value};
use crate::error::WorkError;

/// The client and server addresses of one connection, as the handler sees them.
pub(super) struct Peer {
    pub(super) remote: String,
    pub(super) local: String,
}

/// Reads the whole body: 413 past `max` (chunked and h2 bodies have no length
/// up front), 408 when no byte arrives for `idle` (a stalled upload must not
/// hold the connection forever), 400 when the client breaks off.
pub(super) async fn read_body<B>(body: B, max: u64, idle: Duration) -> Result<Vec<u8>, StatusCode>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let expected = body.size_hint().lower().min(1 << 20);
    let mut body = Limited::new(body, usize::try_from(max).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(expected as usize);
    loop {
        match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => return Err(StatusCode::REQUEST_TIMEOUT),
            Ok(None) => return Ok(out),
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    out.extend_from_slice(data);
                }
            }
            Ok(Some(Err(e))) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(StatusCode::PAYLOAD_TOO_LARGE),
            Ok(Some(Err(_))) => return Err(StatusCode::BAD_REQUEST),
        }
    }
}

/// The one place that says how a failed job is answered. Bodies stay generic:
/// the details (exception messages, file paths) only go to the log.
pub(super) fn error_response(e: &WorkError) -> Response<Full<Bytes>> {
    let (status, retry_after) = match e {
        WorkError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, true),
        WorkError::ShutDown => (StatusCode::SERVICE_UNAVAILABLE, false),
        WorkError::Timeout(_) => (StatusCode::GATEWAY_TIMEOUT, false),
        WorkError::WorkerDied(_) | WorkError::Application { .. } | WorkError::Unhealthy(_) | WorkError::Bridge(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, false)
        }
    };
    let mut r = plain(status);
    if retry_after {
        r.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    r
}

/// A short text body naming the status, e.g. "503 Service Unavailable".
pub(super) fn plain(status: StatusCode) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(status_line(status))));
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

/// What classic mode adds to a request's payload: the script to run (its
/// CGI names) and whether the request came over TLS.
pub(super) fn add_script(payload: &mut Value, filename: &std::path::Path, name: &str, path_info: &str, root: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let field = |k: &str, v: Value| (Key::Str(k.as_bytes().to_vec()), v);
    let script = Value::Map(vec![
        field("filename", Value::Str(filename.as_os_str().as_bytes().to_vec())),
        field("name", Value::str(name)),
        field("path_info", Value::str(path_info)),
        field("root", Value::Str(root.as_os_str().as_bytes().to_vec())),
    ]);
    if let Value::Map(entries) = payload {
        entries.push(field("script", script));
        entries.push(field("https", Value::Bool(false)));
    }
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

/// The request as the PHP handler receives it.
pub(super) fn payload(parts: &Parts, body: Vec<u8>, peer: &Peer) -> Value {
    let uri = &parts.uri;
    let h2 = parts.version >= Version::HTTP_2;
    // HTTP/1 keeps the target as sent (origin or absolute form); h2 has no
    // request line, so its target is :path.
    let target = if h2 { uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.to_string()) } else { uri.to_string() };
    let mut headers: Vec<(Key, Value)> = Vec::with_capacity(parts.headers.keys_len() + 1);
    for name in parts.headers.keys() {
        let values = parts.headers.get_all(name).iter().map(|v| Value::Str(v.as_bytes().to_vec())).collect();
        headers.push((Key::Str(name.as_str().as_bytes().to_vec()), Value::List(values)));
    }
    if h2 && !parts.headers.contains_key(HOST) {
        // h2 carries the host in :authority; PHP code expects a Host header.
        if let Some(a) = uri.authority() {
            headers.push((Key::Str(b"host".to_vec()), Value::List(vec![Value::str(a.as_str())])));
        }
    }
    let field = |k: &str, v: Value| (Key::Str(k.as_bytes().to_vec()), v);
    Value::Map(vec![
        field("method", Value::str(parts.method.as_str())),
        field("target", Value::str(target)),
        field("path", Value::str(uri.path())),
        field("query", Value::str(uri.query().unwrap_or(""))),
        field("protocol", Value::str(format!("{:?}", parts.version))),
        field("headers", Value::Map(headers)),
        field("body", Value::Str(body)),
        field("remote", Value::str(peer.remote.as_str())),
        field("local", Value::str(peer.local.as_str())),
    ])
}

/// Turns a handler's return value into a response; the error says what is
/// wrong in terms of the PHP value.
pub(super) fn into_response(v: Value) -> Result<Response<Full<Bytes>>, String> {
    const SHAPE: &str = "return a string, null, or ['status' => 200, 'headers' => [...], 'body' => '...']";
    let entries = match v {
        Value::Str(s) => {
            let mut r = Response::new(Full::new(Bytes::from(s)));
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            return Ok(r);
        }
        Value::Null => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::NO_CONTENT;
            return Ok(r);
        }
        Value::Map(entries) => entries,
        other => return Err(format!("got {}; {SHAPE}", describe(&other))),
    };
    let mut status = StatusCode::OK;
    let mut headers = HeaderMap::new();
    let mut body = Vec::new();
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
            other => {
                return Err(format!("unknown key '{}' in the response array; {SHAPE}", String::from_utf8_lossy(other)));
            }
        }
    }
    if !body.is_empty() && !headers.contains_key(CONTENT_TYPE) {
        // What PHP's SAPIs send by default.
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    }
    let mut r = Response::new(Full::new(Bytes::from(body)));
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
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use hyper::body::Frame;

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (Key::Str(k.into()), v)).collect())
    }

    fn peer() -> Peer {
        Peer { remote: "10.0.0.1:5000".into(), local: "10.0.0.2:80".into() }
    }

    fn parts(req: hyper::http::request::Builder) -> Parts {
        req.body(()).unwrap().into_parts().0
    }

    fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
        let Value::Map(entries) = v else { panic!("not a map: {v:?}") };
        entries.iter().find(|(k, _)| *k == Key::Str(name.into())).map(|(_, v)| v).unwrap_or_else(|| panic!("no {name:?} in {v:?}"))
    }

    fn strs(values: &[&str]) -> Value {
        Value::List(values.iter().map(|s| Value::str(*s)).collect())
    }

    #[test]
    fn payload_carries_the_request_as_sent() {
        let p = parts(
            Request::builder()
                .method("POST")
                .uri("/a/b%20c?x=1&y=2")
                .header("Host", "example.com")
                .header("X-Echo", "one")
                .header("x-other", "z")
                .header("x-echo", "two"),
        );
        let v = payload(&p, b"body bytes".to_vec(), &peer());
        let Value::Map(entries) = &v else { panic!("{v:?}") };
        let names: Vec<_> = entries.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(names, ["'method'", "'target'", "'path'", "'query'", "'protocol'", "'headers'", "'body'", "'remote'", "'local'"]);
        assert_eq!(field(&v, "method"), &Value::str("POST"));
        assert_eq!(field(&v, "target"), &Value::str("/a/b%20c?x=1&y=2"));
        assert_eq!(field(&v, "path"), &Value::str("/a/b%20c"));
        assert_eq!(field(&v, "query"), &Value::str("x=1&y=2"));
        assert_eq!(field(&v, "protocol"), &Value::str("HTTP/1.1"));
        assert_eq!(field(&v, "body"), &Value::str("body bytes"));
        assert_eq!(field(&v, "remote"), &Value::str("10.0.0.1:5000"));
        assert_eq!(field(&v, "local"), &Value::str("10.0.0.2:80"));
        // Names lowercased, one entry per name in first-seen order, repeated values kept in order.
        let headers = field(&v, "headers");
        assert_eq!(
            headers,
            &map(vec![("host", strs(&["example.com"])), ("x-echo", strs(&["one", "two"])), ("x-other", strs(&["z"]))])
        );
        // No query: an empty string, not a missing field.
        let v = payload(&parts(Request::builder().uri("/plain")), Vec::new(), &peer());
        assert_eq!(field(&v, "query"), &Value::str(""));
        assert_eq!(field(&v, "method"), &Value::str("GET"));
        // HTTP/1 keeps an absolute-form target as sent.
        let v = payload(&parts(Request::builder().uri("http://example.com/abs?q").version(Version::HTTP_10)), Vec::new(), &peer());
        assert_eq!(field(&v, "target"), &Value::str("http://example.com/abs?q"));
        assert_eq!(field(&v, "path"), &Value::str("/abs"));
        assert_eq!(field(&v, "protocol"), &Value::str("HTTP/1.0"));
    }

    #[test]
    fn h2_payload_takes_target_and_host_from_the_pseudo_headers() {
        let v = payload(&parts(Request::builder().uri("https://example.com:8443/h2?q=1").version(Version::HTTP_2)), Vec::new(), &peer());
        assert_eq!(field(&v, "target"), &Value::str("/h2?q=1"));
        assert_eq!(field(&v, "protocol"), &Value::str("HTTP/2.0"));
        assert_eq!(field(&v, "headers"), &map(vec![("host", strs(&["example.com:8443"]))]));
        // A Host header of its own is not doubled.
        let v = payload(
            &parts(Request::builder().uri("https://a.example/").version(Version::HTTP_2).header("host", "b.example")),
            Vec::new(),
            &peer(),
        );
        assert_eq!(field(&v, "headers"), &map(vec![("host", strs(&["b.example"]))]));
    }

    #[test]
    fn head_size_counts_the_request_line_and_headers() {
        let req = Request::builder().method("GET").uri("/abc?d").header("host", "t").body(()).unwrap();
        // Exactly the bytes of the origin-form head.
        assert_eq!(head_size(&req), "GET /abc?d HTTP/1.1\r\nhost: t\r\n\r\n".len());
        let big = Request::builder().uri("/").header("x-big", "v".repeat(2000)).body(()).unwrap();
        assert!(head_size(&big) > 2000);
    }

    #[test]
    fn headers_from_the_handler() {
        let mut h = HeaderMap::new();
        add_header(&mut h, Key::Str(b"X-Multi".to_vec()), strs(&["a", "b"])).unwrap();
        add_header(&mut h, Key::Str(b"x-multi".to_vec()), Value::str("c")).unwrap();
        add_header(&mut h, Key::Str(b"x-n".to_vec()), Value::Int(-3)).unwrap();
        // hyper frames the body: a handler's own framing headers are dropped.
        add_header(&mut h, Key::Str(b"Content-Length".to_vec()), Value::str("999")).unwrap();
        add_header(&mut h, Key::Str(b"transfer-encoding".to_vec()), Value::str("chunked")).unwrap();
        let multi: Vec<_> = h.get_all("x-multi").iter().collect();
        assert_eq!(multi, ["a", "b", "c"]);
        assert_eq!(h["x-n"], "-3");
        assert_eq!(h.len(), 4, "{h:?}");

        let err = |name: Key, value: Value| add_header(&mut HeaderMap::new(), name, value).unwrap_err();
        assert_eq!(
            err(Key::Int(0), Value::str("v")),
            "header names must be strings, got index 0; write ['Name' => 'value']"
        );
        assert_eq!(err(Key::Str(b"x-f".to_vec()), Value::Float(1.5)), "header 'x-f' must be a string, got float 1.5");
        assert_eq!(err(Key::Str(b"x-l".to_vec()), Value::List(vec![Value::Null])), "header 'x-l' must be a string, got null");
        assert_eq!(
            err(Key::Str(b"x-nul".to_vec()), Value::str("a\0b")),
            "header 'x-nul' has a value with a line break or control character"
        );
    }

    #[test]
    fn response_values() {
        let r = into_response(map(vec![
            ("status", Value::Int(201)),
            ("headers", map(vec![("X-Multi", Value::List(vec!["a".into(), "b".into()])), ("x-n", Value::Int(3))])),
            ("body", "{}".into()),
        ]))
        .unwrap();
        assert_eq!(r.status(), 201);
        let multi: Vec<_> = r.headers().get_all("x-multi").iter().collect();
        assert_eq!(multi, ["a", "b"]);
        assert_eq!(r.headers()["x-n"], "3");
        assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
        let r = into_response(map(vec![("headers", map(vec![("content-type", "application/json".into())]))])).unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");

        let err = |v: Value| into_response(v).unwrap_err();
        assert!(err(Value::Int(1)).starts_with("got int 1; return a string, null, or"), "{}", err(Value::Int(1)));
        assert_eq!(err(map(vec![("status", Value::Int(99))])), "'status' must be between 200 and 999, got 99");
        assert_eq!(err(map(vec![("status", "200".into())])), "'status' must be an int, got a string");
        assert!(err(map(vec![("bdy", "x".into())])).starts_with("unknown key 'bdy'"));
        assert_eq!(
            err(map(vec![("headers", map(vec![("x-a", "one\r\ntwo".into())]))])),
            "header 'x-a' has a value with a line break or control character"
        );
        assert_eq!(err(map(vec![("headers", map(vec![("bad name", "v".into())]))])), "'bad name' is not a valid header name");
        assert_eq!(err(map(vec![("body", Value::Int(5))])), "'body' must be a string, got int 5");
    }

    #[test]
    fn every_work_error_has_one_status() {
        let cases = [
            (WorkError::Busy("queue full".into()), 503, Some("1")),
            (WorkError::ShutDown, 503, None),
            (WorkError::Timeout(Duration::from_secs(1)), 504, None),
            (WorkError::WorkerDied("x".into()), 500, None),
            (WorkError::Unhealthy("x".into()), 500, None),
            (
                WorkError::Application { class: "E".into(), message: "secret".into(), file: "/srv/app.php".into(), line: 1 },
                500,
                None,
            ),
        ];
        for (e, status, retry) in cases {
            let r = error_response(&e);
            assert_eq!(r.status(), status, "{e:?}");
            assert_eq!(r.headers().get("retry-after").map(|v| v.to_str().unwrap()), retry, "{e:?}");
        }
    }

    #[test]
    fn raw_response_is_a_whole_closing_answer() {
        let text = String::from_utf8(raw_response(StatusCode::SERVICE_UNAVAILABLE, "retry-after: 1\r\n")).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 24\r\n\
             connection: close\r\nretry-after: 1\r\n\r\n503 Service Unavailable\n"
        );
    }

    /// A body whose client sends nothing more.
    struct Stalled;

    impl Body for Stalled {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Pending
        }
    }

    #[test]
    fn body_limits() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let read = |body: &'static str, max| rt.block_on(read_body(Full::new(Bytes::from(body)), max, Duration::from_secs(1)));
        assert_eq!(read("hello", 5), Ok(b"hello".to_vec()), "exactly at the limit is fine");
        assert_eq!(read("", 0), Ok(Vec::new()));
        assert_eq!(read("hello", 4), Err(StatusCode::PAYLOAD_TOO_LARGE));
        let stalled = rt.block_on(read_body(Stalled, 5, Duration::from_millis(20)));
        assert_eq!(stalled, Err(StatusCode::REQUEST_TIMEOUT));
    }
}
