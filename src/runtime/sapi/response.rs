//! The response a classic request builds: the head PHP sent (status and
//! header lines, taken as php-fpm hands them to nginx) and the body written
//! so far, and its shape for the HTTP plugin: `['status' => int, 'headers' =>
//! [name => [values...]], 'body' => string]`.

use crate::bridge::{Key, Value};
use crate::pool::stream::{PHP_HEAD_KEY, STREAM_KEY};

/// The key that marks a job value as the head of a streamed response.

/// Status and headers, as `send_headers` captured them.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub status: u16,
    /// Names as PHP spelled them, in the order sent (Set-Cookie repeated).
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Default for Head {
    fn default() -> Self {
        Head { status: 200, headers: Vec::new() }
    }
}

impl Head {
    /// Builds the head from PHP's response code, whether a "HTTP/..." status
    /// line was set, and the header lines. As php-fpm: a `Status:` header
    /// sets the status unless a status line gave a non-200 code, and a 304
    /// carries no Content-Type. Lines that are not `Name: value` with a token
    /// name and a printable value are dropped (nginx would answer 502 for them).
    pub fn capture<'a>(code: i32, status_line: bool, lines: impl Iterator<Item = &'a [u8]>) -> Head {
        let mut headers = Vec::new();
        let mut status_header = None;
        for line in lines {
            let Some((name, value)) = parse_line(line) else {
                tracing::warn!(header = %String::from_utf8_lossy(line), "dropping a header PHP sent that is not valid HTTP");
                continue;
            };
            if name.eq_ignore_ascii_case("status") {
                status_header.get_or_insert_with(|| leading_code(&value));
                continue;
            }
            headers.push((name, value));
        }
        let code = u16::try_from(code).ok().filter(|c| *c > 0).unwrap_or(200);
        let status = match status_header.flatten() {
            Some(s) if !(status_line && code != 200) => s,
            _ => code,
        };
        if status == 304 {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        }
        Head { status, headers }
    }
}

/// A whole response: the head (None if PHP never sent one) and the body.
#[derive(Debug, Default)]
pub struct Response {
    pub head: Option<Head>,
    pub body: Vec<u8>,
}

impl Response {
    /// The result value of the job; headers grouped by name (case-insensitive,
    /// first spelling kept) in the order they first appeared.
    pub fn into_value(self) -> Value {
        Self::value(self.head.unwrap_or_default(), self.body)
    }

    /// The early answer of a streamed response: the head, an empty body and
    /// `'stream' => true` (the body follows on the request's stream).
    pub fn head_value(&self) -> Value {
        let mut v = Self::value(self.head.clone().unwrap_or_default(), Vec::new());
        if let Value::Map(entries) = &mut v {
            entries.push((Key::str(STREAM_KEY), Value::Bool(true)));
        }
        v
    }

    fn value(head: Head, body: Vec<u8>) -> Value {
        let mut grouped: Vec<(String, Vec<Value>)> = Vec::new();
        for (name, value) in head.headers {
            match grouped.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                Some((_, values)) => values.push(Value::Str(value)),
                None => grouped.push((name, vec![Value::Str(value)])),
            }
        }
        let headers = grouped.into_iter().map(|(n, v)| (Key::Str(n.into_bytes()), Value::List(v))).collect();
        Value::Map(vec![
            (Key::Str(b"status".to_vec()), Value::Int(i64::from(head.status))),
            (Key::Str(b"headers".to_vec()), Value::Map(headers)),
            (Key::Str(b"body".to_vec()), Value::Str(body)),
            (Key::str(PHP_HEAD_KEY), Value::Bool(true)),
        ])
    }
}

/// "Name: value" → (name, value without surrounding blanks).
fn parse_line(line: &[u8]) -> Option<(String, Vec<u8>)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
        return None;
    }
    let value = value.trim_ascii();
    if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return None;
    }
    Some((String::from_utf8_lossy(name).into_owned(), value.to_vec()))
}

/// RFC 9110 tchar.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// "404 Not Found" → 404, if it is a valid status.
fn leading_code(value: &[u8]) -> Option<u16> {
    let digits: Vec<u8> = value.iter().copied().take_while(u8::is_ascii_digit).collect();
    std::str::from_utf8(&digits).ok()?.parse::<u16>().ok().filter(|c| (100..=999).contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(code: i32, status_line: bool, lines: &[&str]) -> Head {
        Head::capture(code, status_line, lines.iter().map(|l| l.as_bytes()))
    }

    #[test]
    fn headers_keep_their_order_and_repeats() {
        let h = capture(200, false, &["Content-type: text/html; charset=UTF-8", "Set-Cookie: a=1", "Set-Cookie: b=2"]);
        assert_eq!(h.status, 200);
        assert_eq!(h.headers.len(), 3);
        assert_eq!(h.headers[1], ("Set-Cookie".to_string(), b"a=1".to_vec()));
        assert_eq!(h.headers[2].1, b"b=2");
    }

    #[test]
    fn response_code_zero_means_200() {
        assert_eq!(capture(0, false, &[]).status, 200);
        assert_eq!(capture(404, true, &[]).status, 404);
    }

    #[test]
    fn a_status_header_sets_the_status_and_is_not_sent() {
        let h = capture(200, false, &["Status: 404 Not Found", "X-A: 1"]);
        assert_eq!(h.status, 404);
        assert_eq!(h.headers, vec![("X-A".to_string(), b"1".to_vec())]);
        // A status line with its own non-200 code wins, as in php-fpm.
        assert_eq!(capture(410, true, &["Status: 404"]).status, 410);
        // http_response_code() without a status line does not.
        assert_eq!(capture(410, false, &["Status: 404"]).status, 404);
        assert_eq!(capture(200, false, &["Status: nonsense"]).status, 200);
    }

    #[test]
    fn not_modified_has_no_content_type() {
        let h = capture(304, false, &["Content-Type: text/html", "ETag: \"x\""]);
        assert_eq!(h.headers, vec![("ETag".to_string(), b"\"x\"".to_vec())]);
    }

    #[test]
    fn invalid_lines_are_dropped() {
        let h = capture(200, false, &["NoColon", "Bad Name: x", ": empty", "X-Ctl: a\x01b", "X-Ok:  spaced  "]);
        assert_eq!(h.headers, vec![("X-Ok".to_string(), b"spaced".to_vec())]);
    }

    #[test]
    fn value_groups_headers_by_name_in_first_seen_order() {
        let r = Response {
            head: Some(capture(302, false, &["Location: /x", "Set-Cookie: a=1", "set-cookie: b=2"])),
            body: b"hi".to_vec(),
        };
        let Value::Map(entries) = r.into_value() else { panic!("not a map") };
        assert_eq!(entries[0], (Key::Str(b"status".to_vec()), Value::Int(302)));
        let Value::Map(headers) = &entries[1].1 else { panic!("headers not a map") };
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[1], (Key::Str(b"Set-Cookie".to_vec()), Value::List(vec![Value::str("a=1"), Value::str("b=2")])));
        assert_eq!(entries[2].1, Value::str("hi"));
    }

    #[test]
    fn no_head_gives_200_without_headers() {
        let Value::Map(entries) = Response::default().into_value() else { panic!("not a map") };
        assert_eq!(entries[0].1, Value::Int(200));
        assert_eq!(entries[1].1, Value::Map(vec![]));
    }
}
