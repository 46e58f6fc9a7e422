//! Which host a request names (RFC 9112 §3.2, RFC 9113 §8.3.1), decided once
//! before anything routes on it: an HTTP/1.1 request needs exactly one valid
//! `Host`, an absolute-form target's authority replaces it, h2 names it in
//! `:authority`. The request leaves with that one `Host`, so the handler,
//! `HTTP_HOST` and `SERVER_NAME` all see the host the request was served for.

use hyper::header::{HOST, HeaderMap, HeaderValue};
use hyper::{Uri, Version};

/// Why a request's host is refused (answered 400, as nginx does).
#[derive(Debug, PartialEq, thiserror::Error)]
pub(super) enum HostError {
    #[error("an HTTP/1.1 request without a Host header")]
    Missing,
    #[error("more than one Host header")]
    Repeated,
    #[error("a Host that is not a valid host name")]
    Invalid,
}

/// Makes `headers` carry the one host the request names, or says why there is none.
/// The host comes from the target's authority when it has one (HTTP/1's absolute form,
/// h2's `:authority`), else from the single `Host` header. HTTP/1.0 may name no host.
pub(super) fn settle(version: Version, uri: &Uri, headers: &mut HeaderMap) -> Result<(), HostError> {
    let mut sent = headers.get_all(HOST).iter();
    let (first, second) = (sent.next(), sent.next());
    if second.is_some() {
        return Err(HostError::Repeated);
    }
    if let Some(authority) = uri.authority() {
        // RFC 9112 §3.2.2: the absolute form's authority wins over Host (which must still
        // be there on HTTP/1.1); on h2 :authority is where the host belongs (RFC 9113 §8.3.1).
        if version < Version::HTTP_2 && version >= Version::HTTP_11 && first.is_none() {
            return Err(HostError::Missing);
        }
        let host = HeaderValue::from_str(authority.as_str()).map_err(|_| HostError::Invalid)?;
        if !valid(host.as_bytes()) {
            return Err(HostError::Invalid);
        }
        headers.insert(HOST, host);
        return Ok(());
    }
    match first {
        Some(host) if valid(host.as_bytes()) => Ok(()),
        Some(_) => Err(HostError::Invalid),
        // h2 without :authority or Host names no host at all, as HTTP/1.1 without Host (nginx refuses both).
        None if version == Version::HTTP_10 || version == Version::HTTP_09 => Ok(()),
        None => Err(HostError::Missing),
    }
}

/// nginx's host check (`ngx_http_validate_host`), so folk refuses what nginx refused
/// in front of php-fpm: an empty host, `..`, a path separator, a control byte or space.
/// Anything else passes as sent (a port is not checked, as nginx does not).
fn valid(host: &[u8]) -> bool {
    let mut name_end = host.len();
    let mut in_name = true;
    let mut last_dot = None;
    for (i, &b) in host.iter().enumerate() {
        match b {
            b'.' => {
                if i > 0 && last_dot == Some(i - 1) {
                    return false;
                }
                last_dot = Some(i);
            }
            b':' if in_name && !host.starts_with(b"[") => {
                name_end = i;
                in_name = false;
            }
            b']' if in_name && host.starts_with(b"[") => {
                name_end = i + 1;
                in_name = false;
            }
            b'/' | b'\\' => return false,
            0..=0x20 | 0x7f => return false,
            _ => {}
        }
    }
    // A trailing dot ("example.com.") is the same name.
    let name = if last_dot.is_some_and(|d| d + 1 == name_end) { name_end - 1 } else { name_end };
    name > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(version: Version, target: &str, hosts: &[&str]) -> Result<Vec<String>, HostError> {
        let mut h = HeaderMap::new();
        for v in hosts {
            h.append(HOST, HeaderValue::from_str(v).unwrap());
        }
        settle(version, &target.parse().unwrap(), &mut h)?;
        Ok(h.get_all(HOST).iter().map(|v| v.to_str().unwrap().to_string()).collect())
    }

    #[test]
    fn http_1_1_needs_exactly_one_host() {
        assert_eq!(settled(Version::HTTP_11, "/", &["a.example"]), Ok(vec!["a.example".into()]));
        assert_eq!(settled(Version::HTTP_11, "/", &[]), Err(HostError::Missing));
        assert_eq!(settled(Version::HTTP_11, "/", &["a", "b"]), Err(HostError::Repeated));
        assert_eq!(settled(Version::HTTP_11, "/", &["a", "a"]), Err(HostError::Repeated), "nginx refuses a repeat too");
    }

    #[test]
    fn http_1_0_may_name_no_host_but_not_two() {
        assert_eq!(settled(Version::HTTP_10, "/", &[]), Ok(vec![]));
        assert_eq!(settled(Version::HTTP_10, "/", &["a", "b"]), Err(HostError::Repeated));
    }

    #[test]
    fn an_absolute_form_target_names_the_host_instead_of_the_header() {
        let evil = Ok(vec!["evil.example".to_string()]);
        assert_eq!(settled(Version::HTTP_11, "http://evil.example/echo", &["127.0.0.1"]), evil);
        assert_eq!(settled(Version::HTTP_10, "http://evil.example/echo", &[]), evil);
        assert_eq!(settled(Version::HTTP_11, "http://evil.example:8080/", &["x"]), Ok(vec!["evil.example:8080".into()]));
        // HTTP/1.1 still owes a Host line (nginx: 400).
        assert_eq!(settled(Version::HTTP_11, "http://evil.example/echo", &[]), Err(HostError::Missing));
    }

    #[test]
    fn h2_names_its_host_in_authority() {
        assert_eq!(settled(Version::HTTP_2, "http://a.example/", &[]), Ok(vec!["a.example".into()]));
        assert_eq!(settled(Version::HTTP_2, "http://a.example/", &["other"]), Ok(vec!["a.example".into()]));
        assert_eq!(settled(Version::HTTP_2, "/", &["b.example"]), Ok(vec!["b.example".into()]));
        assert_eq!(settled(Version::HTTP_2, "/", &[]), Err(HostError::Missing));
    }

    #[test]
    fn hosts_nginx_refuses_are_refused() {
        for bad in ["", "a..b", "a/b", "a\\b", "a b", "..", ".", "[::1]..x"] {
            assert_eq!(settled(Version::HTTP_11, "/", &[bad]), Err(HostError::Invalid), "{bad:?}");
        }
        for good in ["a", "Example.COM.:80", "[::1]:8080", "127.0.0.1", "h:abc", "u@h", "xn--bcher-kva.example"] {
            assert!(settled(Version::HTTP_11, "/", &[good]).is_ok(), "{good:?}");
        }
    }
}
