//! A response as a FastCGI responder writes it on STDOUT: a CGI head
//! (`Status:` when it is not 200, as php-fpm's `sapi_cgi_send_headers`, then
//! the headers) and the body. The web server turns it into HTTP. Pure, so
//! the framing is unit-tested without a socket.

use bytes::Bytes;
use hyper::{Response, StatusCode};

/// The CGI head of `r`: `Status: 404 Not Found` unless 200, each header as
/// `Name: value`, then the blank line.
pub(super) fn head<B>(r: &Response<B>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + r.headers().len() * 40);
    let status = r.status();
    if status != StatusCode::OK {
        out.extend_from_slice(b"Status: ");
        out.extend_from_slice(status.as_str().as_bytes());
        if let Some(reason) = status.canonical_reason() {
            out.push(b' ');
            out.extend_from_slice(reason.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
    for (name, value) in r.headers() {
        out.extend_from_slice(title_case(name.as_str()).as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The whole answer: head and body in one buffer.
pub(super) fn whole(r: Response<Bytes>) -> Vec<u8> {
    let mut out = head(&r);
    out.extend_from_slice(r.body());
    out
}

/// `content-type` → `Content-Type`: PHP's spelling of the common headers
/// (the web server passes names on as it gets them).
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{CONTENT_TYPE, HeaderValue, LOCATION};

    #[test]
    fn a_200_has_no_status_line_and_other_statuses_name_their_reason() {
        let mut r = Response::new(Bytes::from_static(b"hi"));
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
        assert_eq!(whole(r), b"Content-Type: text/html; charset=UTF-8\r\n\r\nhi");
        let mut r = Response::new(Bytes::new());
        *r.status_mut() = StatusCode::FOUND;
        r.headers_mut().insert(LOCATION, HeaderValue::from_static("/x"));
        assert_eq!(whole(r), b"Status: 302 Found\r\nLocation: /x\r\n\r\n");
    }

    #[test]
    fn repeated_headers_each_get_a_line() {
        let mut r = Response::new(Bytes::new());
        r.headers_mut().append("set-cookie", HeaderValue::from_static("a=1"));
        r.headers_mut().append("set-cookie", HeaderValue::from_static("b=2"));
        r.headers_mut().append("x-powered-by", HeaderValue::from_static("PHP/8.2"));
        assert_eq!(head(&r), b"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Powered-By: PHP/8.2\r\n\r\n");
    }
}
