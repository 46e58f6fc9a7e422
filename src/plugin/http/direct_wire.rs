//! The HTTP/1.1 that `http.direct` speaks on the worker's thread: a request
//! head whole in one read, with its whole body, becomes hyper's `Request`
//! parts; an answer becomes the bytes hyper would write. Anything less plain
//! (a partial head, a body still arriving, chunked, `Expect`, an upgrade,
//! HTTP/1.0, HEAD, pipelined requests, a head hyper would refuse) is left to
//! hyper, which gets the bytes unchanged. No sockets here: pure, unit-tested.

use hyper::header::{CONNECTION, CONTENT_LENGTH, EXPECT, HeaderMap, HeaderName, HeaderValue, TRANSFER_ENCODING, UPGRADE};
use hyper::{Method, Request, StatusCode, Uri, Version};

/// hyper's default limit on the number of request headers (`h1_max_headers`).
const MAX_HEADERS: usize = 100;

/// What a read buffer holds.
#[derive(Debug)]
pub(super) enum Parsed {
    /// One whole request, nothing after it; `close`: the client asked to close after it.
    Request { req: Request<Vec<u8>>, close: bool },
    /// Everything else: hyper serves the connection from these bytes on.
    Hyper,
}

/// Parses `buf` as one request of at most `max_body` body bytes.
pub(super) fn parse(buf: &[u8], max_body: u64) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut head = httparse::Request::new(&mut headers);
    let used = match head.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        _ => return Parsed::Hyper,
    };
    let (Some(method), Some(target), Some(1)) = (head.method, head.path, head.version) else { return Parsed::Hyper };
    // A fragment is cut by `Uri`, but REQUEST_URI keeps it (raw_target.rs does that on hyper's path).
    if !target.starts_with('/') || target.contains('#') || matches!(method, "HEAD" | "CONNECT" | "PRI") {
        return Parsed::Hyper;
    }
    let (Ok(method), Ok(uri)) = (Method::from_bytes(method.as_bytes()), target.parse::<Uri>()) else { return Parsed::Hyper };
    let mut map = HeaderMap::with_capacity(head.headers.len());
    let mut length: Option<u64> = None;
    let mut close = false;
    for h in head.headers.iter() {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(h.name.as_bytes()), HeaderValue::from_bytes(h.value)) else {
            return Parsed::Hyper;
        };
        if name == TRANSFER_ENCODING || name == EXPECT || name == UPGRADE {
            return Parsed::Hyper;
        }
        if name == CONTENT_LENGTH {
            let n = std::str::from_utf8(h.value).ok().filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
            match n.and_then(|v| v.parse::<u64>().ok()) {
                Some(n) if length.is_none_or(|l| l == n) => length = Some(n),
                _ => return Parsed::Hyper,
            }
        }
        if name == CONNECTION {
            for token in h.value.split(|b| *b == b',') {
                let token = token.trim_ascii();
                if token.eq_ignore_ascii_case(b"close") {
                    close = true;
                } else if token.eq_ignore_ascii_case(b"upgrade") {
                    return Parsed::Hyper;
                }
            }
        }
        map.append(name, value);
    }
    let length = length.unwrap_or(0);
    let rest = (buf.len() - used) as u64;
    if length > max_body || length != rest {
        // Over the limit (hyper's path answers 413), still arriving, or followed by a pipelined request.
        return Parsed::Hyper;
    }
    let mut req = Request::new(buf[used..].to_vec());
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    *req.version_mut() = Version::HTTP_11;
    *req.headers_mut() = map;
    Parsed::Request { req, close }
}

/// How a response body is framed.
#[derive(Clone, Copy, Debug)]
pub(super) enum Framing {
    /// A whole body of this many bytes.
    Length(usize),
    /// A body of unknown length, sent as it comes.
    Chunked,
    /// The headers frame it already (a static file's `content-length`).
    Given,
}

/// The response head as hyper writes it: the status line, the handler's
/// headers (names lowercase), `connection: close` when the connection ends
/// after it, the framing (`content-length`, none for 1xx, 204 and 304; or
/// `transfer-encoding: chunked`), and `date`.
pub(super) fn head(status: StatusCode, headers: &HeaderMap, framing: Framing, close: bool, date: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + headers.len() * 32);
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("<none>").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        if close && name == CONNECTION {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if close {
        out.extend_from_slice(b"connection: close\r\n");
    }
    match framing {
        _ if status.is_informational() || status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED => {}
        Framing::Length(len) => {
            out.extend_from_slice(b"content-length: ");
            out.extend_from_slice(len.to_string().as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        Framing::Chunked => out.extend_from_slice(b"transfer-encoding: chunked\r\n"),
        Framing::Given => {}
    }
    out.extend_from_slice(b"date: ");
    out.extend_from_slice(date);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(raw: &[u8]) -> (Request<Vec<u8>>, bool) {
        match parse(raw, 1 << 20) {
            Parsed::Request { req, close } => (req, close),
            Parsed::Hyper => panic!("left to hyper: {}", String::from_utf8_lossy(raw)),
        }
    }

    fn left_to_hyper(raw: &[u8]) -> bool {
        matches!(parse(raw, 1 << 20), Parsed::Hyper)
    }

    #[test]
    fn a_plain_get_and_a_post_with_its_whole_body_are_served_directly() {
        let (req, close) = request(b"GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Two: 1\r\nx-two: 2\r\n\r\n");
        assert_eq!((req.method(), req.uri().path(), req.uri().query(), close), (&Method::GET, "/a/b", Some("x=1"), false));
        assert_eq!(req.headers().get_all("x-two").iter().count(), 2);
        let (req, close) = request(b"POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nConnection: keep-alive, close\r\n\r\nabc");
        assert_eq!((req.body().as_slice(), close), (&b"abc"[..], true));
    }

    #[test]
    fn everything_not_plain_is_left_to_hyper() {
        for raw in [
            &b"GET / HTTP/1.1\r\nHost: h\r\n"[..],
            b"GET / HTTP/1.0\r\n\r\n",
            b"HEAD / HTTP/1.1\r\nHost: h\r\n\r\n",
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            b"GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET /\xff HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET /s.php?a=1#frag HTTP/1.1\r\nHost: h\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab",
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\na",
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        ] {
            assert!(left_to_hyper(raw), "served directly: {}", String::from_utf8_lossy(raw));
        }
        assert!(matches!(parse(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", 2), Parsed::Hyper), "over max_body_size");
    }

    #[test]
    fn the_head_is_the_one_hyper_writes() {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("text/plain"));
        h.append("set-cookie", HeaderValue::from_static("a=1"));
        h.append("set-cookie", HeaderValue::from_static("b=2"));
        let date = b"Sat, 05 Dec 2026 14:00:00 GMT";
        let out = head(StatusCode::OK, &h, Framing::Length(5), false, date);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nset-cookie: a=1\r\nset-cookie: b=2\r\ncontent-length: 5\r\ndate: Sat, 05 Dec 2026 14:00:00 GMT\r\n\r\n"
        );
        let out = String::from_utf8(head(StatusCode::NO_CONTENT, &HeaderMap::new(), Framing::Length(0), true, date)).unwrap();
        assert_eq!(out, "HTTP/1.1 204 No Content\r\nconnection: close\r\ndate: Sat, 05 Dec 2026 14:00:00 GMT\r\n\r\n");
        let out = String::from_utf8(head(StatusCode::OK, &HeaderMap::new(), Framing::Chunked, false, date)).unwrap();
        assert_eq!(out, "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ndate: Sat, 05 Dec 2026 14:00:00 GMT\r\n\r\n");
    }
}
