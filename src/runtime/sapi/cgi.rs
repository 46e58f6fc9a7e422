//! The CGI variables of one request: what `$_SERVER` holds beyond the
//! environment, and what `getenv()` answers, as nginx's `fastcgi_params` and
//! php-fpm give them. One pure function, so every rule is unit-tested.
//!
//! PHP adds `REQUEST_TIME(_FLOAT)` itself (reset per request by
//! `sapi_activate`) and `PHP_AUTH_USER`/`PHP_AUTH_PW` from
//! `php_handle_auth_data`, after these; so they are not built here.

use std::net::SocketAddr;

use super::request::WebRequest;

pub const SERVER_SOFTWARE: &str = concat!("folk/", env!("CARGO_PKG_VERSION"));

/// Name => value, in the order nginx sends them.
pub type Vars = Vec<(String, Vec<u8>)>;

pub fn variables(r: &WebRequest) -> Vars {
    let mut v: Vars = Vec::with_capacity(24 + r.headers.len());
    let mut put = |name: &str, value: &[u8]| v.push((name.to_string(), value.to_vec()));
    let (server_ip, server_port) = split_addr(&r.local);
    let (remote_ip, remote_port) = split_addr(&r.remote);
    let script = &r.script;
    // PHP_SELF: the script and what follows it.
    let self_path = [script.name.as_slice(), script.path_info.as_slice()].concat();
    // nginx buffers a chunked body and passes its length; no body and no header: "".
    let content_length =
        if r.body.is_empty() && r.header("content-length").is_none() { String::new() } else { r.body.len().to_string() };
    let host = match &r.server_name {
        Some(name) => name.clone(),
        None => r.header("host").and_then(|v| v.first()).map(|h| server_name(h)).unwrap_or_default(),
    };
    let server_port = r.server_port.map_or(server_port, |p| p.to_string());

    put("QUERY_STRING", r.query.as_bytes());
    put("REQUEST_METHOD", r.method.as_bytes());
    put("CONTENT_TYPE", &r.header("content-type").map(|v| join(v, b", ")).unwrap_or_default());
    put("CONTENT_LENGTH", content_length.as_bytes());
    put("SCRIPT_NAME", &script.name);
    put("REQUEST_URI", request_uri(r).as_bytes());
    // nginx's $document_uri after `try_files $fastcgi_script_name`: the script's own URI.
    put("DOCUMENT_URI", &script.name);
    put("DOCUMENT_ROOT", &script.root);
    put("SERVER_PROTOCOL", r.protocol.as_bytes());
    put("REQUEST_SCHEME", if r.https { b"https" } else { b"http" });
    if r.https {
        put("HTTPS", b"on");
    }
    put("GATEWAY_INTERFACE", b"CGI/1.1");
    put("SERVER_SOFTWARE", SERVER_SOFTWARE.as_bytes());
    put("REMOTE_ADDR", remote_ip.as_bytes());
    put("REMOTE_PORT", remote_port.as_bytes());
    // nginx's $remote_user: the Basic auth user name as sent (not checked), or "".
    put("REMOTE_USER", &basic_auth_user(r).unwrap_or_default());
    put("SERVER_ADDR", server_ip.as_bytes());
    // The port the connection arrived on, as nginx's $server_port.
    put("SERVER_PORT", server_port.as_bytes());
    // nginx would give its configured server_name; folk has none, so the
    // requested host (without port), falling back to the server address.
    put("SERVER_NAME", if host.is_empty() { server_ip.as_bytes() } else { host.as_bytes() });
    put("REDIRECT_STATUS", b"200");
    put("SCRIPT_FILENAME", &script.filename);
    // No PATH_TRANSLATED: Debian's fastcgi_params passes none, so php-fpm has none.
    put("PATH_INFO", &script.path_info);
    put("PHP_SELF", &self_path);
    for (name, values) in &r.headers {
        if let Some(var) = header_var(name) {
            let sep: &[u8] = if name == "cookie" { b"; " } else { b", " };
            put(&var, &join(values, sep));
        }
    }
    v
}

/// A FastCGI request's variables as php-fpm registers them: the web
/// server's params newest first (its FastCGI table adds each name at the
/// head and is read from there, so FCGI_ROLE, put in first, comes last, and
/// what its PATH_INFO fixing added comes first), then PHP_SELF.
pub fn fastcgi_variables(mut params: Vars, php_self: Vec<u8>) -> Vars {
    params.reverse();
    params.push(("PHP_SELF".into(), php_self));
    params
}

/// `HTTP_*` name of a request header, or None if it must not reach PHP.
/// Only names of letters, digits and '-' pass (nginx's default
/// `ignore_invalid_headers` and `underscores_in_headers off`): `X_Foo` and
/// `X.Foo` would otherwise land on `HTTP_X_FOO` and spoof `X-Foo`, which a
/// proxy in front may have set. `Proxy` never does (httpoxy: `HTTP_PROXY` is
/// read as the outgoing proxy by many HTTP clients).
pub fn header_var(name: &str) -> Option<String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    if name.eq_ignore_ascii_case("proxy") {
        return None;
    }
    let mut var = String::with_capacity(5 + name.len());
    var.push_str("HTTP_");
    var.extend(name.bytes().map(|b| if b == b'-' { '_' } else { b.to_ascii_uppercase() as char }));
    Some(var)
}

/// The header name `getallheaders()` shows for a CGI variable, as php-fpm
/// derives it (`HTTP_X_FOO` → "X-Foo"; CONTENT_TYPE/LENGTH included).
pub fn header_title(var: &str) -> Option<String> {
    match var {
        "CONTENT_TYPE" => return Some("Content-Type".into()),
        "CONTENT_LENGTH" => return Some("Content-Length".into()),
        _ => {}
    }
    let rest = var.strip_prefix("HTTP_").filter(|r| !r.is_empty())?;
    let mut out = String::with_capacity(rest.len());
    let mut upper = true;
    for c in rest.chars() {
        if c == '_' {
            out.push('-');
            upper = true;
        } else {
            out.push(if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
            upper = false;
        }
    }
    Some(out)
}

/// The user name of a `Basic` Authorization header, as nginx's `$remote_user`.
fn basic_auth_user(r: &WebRequest) -> Option<Vec<u8>> {
    let value = std::str::from_utf8(r.header("authorization")?.first()?).ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64_decode(token.trim())?;
    let end = decoded.iter().position(|b| *b == b':')?;
    Some(decoded[..end].to_vec())
}

/// Standard base64 with optional padding; None on anything else.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s {
        acc = (acc << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// REQUEST_URI: the target as sent; an absolute-form target gives its path and query.
fn request_uri(r: &WebRequest) -> String {
    if r.target.starts_with('/') || r.target == "*" {
        return r.target.clone();
    }
    if r.query.is_empty() { r.path.clone() } else { format!("{}?{}", r.path, r.query) }
}

/// "ip:port" → (ip without brackets, port); anything else stays whole.
fn split_addr(addr: &str) -> (String, String) {
    match addr.parse::<SocketAddr>() {
        Ok(a) => (a.ip().to_string(), a.port().to_string()),
        Err(_) => (addr.to_string(), String::new()),
    }
}

/// The Host header without its port, lower case ("[::1]" keeps its brackets, as nginx's $host).
fn server_name(host: &[u8]) -> String {
    let host = String::from_utf8_lossy(host).trim().to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.find(']').map_or(host.as_str(), |end| &host[..=end])
    } else {
        host.split(':').next().unwrap_or("")
    };
    name.to_string()
}

fn join(values: &[Vec<u8>], sep: &[u8]) -> Vec<u8> {
    values.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::sapi::request::{Body, Script};

    fn request() -> WebRequest {
        WebRequest {
            method: "GET".into(),
            target: "/index.php/extra/path?a=1&b[]=2".into(),
            path: "/index.php/extra/path".into(),
            query: "a=1&b[]=2".into(),
            protocol: "HTTP/1.1".into(),
            headers: vec![
                ("host".into(), vec![b"Example.COM:8080".to_vec()]),
                ("user-agent".into(), vec![b"curl/8".to_vec()]),
            ],
            body: Body::default(),
            remote: "127.0.0.1:50123".into(),
            local: "127.0.0.1:8080".into(),
            https: false,
            server_name: None,
            server_port: None,
            script: Script {
                filename: b"/srv/app/index.php".to_vec(),
                name: b"/index.php".to_vec(),
                path_info: b"/extra/path".to_vec(),
                root: b"/srv/app".to_vec(),
            },
            stream: None,
            cgi: None,
            php_self: Vec::new(),
            unrunnable: None,
            ini: Vec::new(),
        }
    }

    fn get(vars: &Vars, name: &str) -> Option<String> {
        vars.iter().find(|(n, _)| n == name).map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    #[test]
    fn request_line_and_script_variables() {
        let v = variables(&request());
        assert_eq!(get(&v, "REQUEST_METHOD").unwrap(), "GET");
        assert_eq!(get(&v, "REQUEST_URI").unwrap(), "/index.php/extra/path?a=1&b[]=2");
        assert_eq!(get(&v, "QUERY_STRING").unwrap(), "a=1&b[]=2");
        assert_eq!(get(&v, "SERVER_PROTOCOL").unwrap(), "HTTP/1.1");
        assert_eq!(get(&v, "SCRIPT_NAME").unwrap(), "/index.php");
        assert_eq!(get(&v, "SCRIPT_FILENAME").unwrap(), "/srv/app/index.php");
        assert_eq!(get(&v, "PATH_INFO").unwrap(), "/extra/path");
        assert_eq!(get(&v, "PATH_TRANSLATED"), None);
        assert_eq!(get(&v, "PHP_SELF").unwrap(), "/index.php/extra/path");
        assert_eq!(get(&v, "DOCUMENT_URI").unwrap(), "/index.php");
        assert_eq!(get(&v, "REMOTE_USER").unwrap(), "");
        assert_eq!(get(&v, "DOCUMENT_ROOT").unwrap(), "/srv/app");
        assert_eq!(get(&v, "GATEWAY_INTERFACE").unwrap(), "CGI/1.1");
        assert_eq!(get(&v, "SERVER_SOFTWARE").unwrap(), SERVER_SOFTWARE);
    }

    #[test]
    fn remote_user_is_the_basic_auth_user_as_nginx_passes_it() {
        let mut r = request();
        // "alice:s3cret"
        r.headers.push(("authorization".into(), vec![b"Basic YWxpY2U6czNjcmV0".to_vec()]));
        assert_eq!(get(&variables(&r), "REMOTE_USER").unwrap(), "alice");
        r.headers.pop();
        r.headers.push(("authorization".into(), vec![b"Bearer abc".to_vec()]));
        assert_eq!(get(&variables(&r), "REMOTE_USER").unwrap(), "");
        assert_eq!(base64_decode("YQ=="), Some(b"a".to_vec()));
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn no_path_info_gives_an_empty_one_and_no_path_translated() {
        let mut r = request();
        r.script.path_info.clear();
        let v = variables(&r);
        assert_eq!(get(&v, "PATH_INFO").unwrap(), "");
        assert_eq!(get(&v, "PATH_TRANSLATED"), None);
        assert_eq!(get(&v, "PHP_SELF").unwrap(), "/index.php");
    }

    #[test]
    fn empty_query_is_an_empty_string() {
        let mut r = request();
        r.query.clear();
        r.target = "/".into();
        assert_eq!(get(&variables(&r), "QUERY_STRING").unwrap(), "");
    }

    #[test]
    fn absolute_form_target_gives_path_and_query() {
        let mut r = request();
        r.target = "http://example.com/index.php/extra/path?a=1&b[]=2".into();
        assert_eq!(get(&variables(&r), "REQUEST_URI").unwrap(), "/index.php/extra/path?a=1&b[]=2");
    }

    #[test]
    fn server_and_client_addresses() {
        let v = variables(&request());
        assert_eq!(get(&v, "SERVER_NAME").unwrap(), "example.com");
        assert_eq!(get(&v, "SERVER_PORT").unwrap(), "8080");
        assert_eq!(get(&v, "SERVER_ADDR").unwrap(), "127.0.0.1");
        assert_eq!(get(&v, "REMOTE_ADDR").unwrap(), "127.0.0.1");
        assert_eq!(get(&v, "REMOTE_PORT").unwrap(), "50123");
        assert_eq!(get(&v, "HTTP_HOST").unwrap(), "Example.COM:8080");
    }

    #[test]
    fn ipv6_addresses_have_no_brackets_but_the_host_keeps_them() {
        let mut r = request();
        r.remote = "[::1]:40000".into();
        r.local = "[::1]:8443".into();
        r.headers[0].1 = vec![b"[::1]:8443".to_vec()];
        let v = variables(&r);
        assert_eq!(get(&v, "REMOTE_ADDR").unwrap(), "::1");
        assert_eq!(get(&v, "SERVER_ADDR").unwrap(), "::1");
        assert_eq!(get(&v, "SERVER_PORT").unwrap(), "8443");
        assert_eq!(get(&v, "SERVER_NAME").unwrap(), "[::1]");
    }

    #[test]
    fn without_a_host_header_the_server_name_is_its_address() {
        let mut r = request();
        r.headers.retain(|(n, _)| n != "host");
        assert_eq!(get(&variables(&r), "SERVER_NAME").unwrap(), "127.0.0.1");
    }

    #[test]
    fn a_proxy_named_host_and_port_become_server_name_and_port_but_http_host_stays() {
        let mut r = request();
        r.server_name = Some("shop.example".into());
        r.server_port = Some(443);
        let v = variables(&r);
        assert_eq!(get(&v, "SERVER_NAME").unwrap(), "shop.example");
        assert_eq!(get(&v, "SERVER_PORT").unwrap(), "443");
        assert_eq!(get(&v, "HTTP_HOST").unwrap(), "Example.COM:8080");
        assert_eq!(get(&v, "SERVER_ADDR").unwrap(), "127.0.0.1");
    }

    #[test]
    fn https_only_under_tls() {
        let v = variables(&request());
        assert_eq!(get(&v, "HTTPS"), None);
        assert_eq!(get(&v, "REQUEST_SCHEME").unwrap(), "http");
        let mut r = request();
        r.https = true;
        let v = variables(&r);
        assert_eq!(get(&v, "HTTPS").unwrap(), "on");
        assert_eq!(get(&v, "REQUEST_SCHEME").unwrap(), "https");
    }

    #[test]
    fn content_type_and_length_are_always_there() {
        let v = variables(&request());
        assert_eq!(get(&v, "CONTENT_TYPE").unwrap(), "");
        assert_eq!(get(&v, "CONTENT_LENGTH").unwrap(), "");
        let mut r = request();
        r.method = "POST".into();
        r.body = Body::Memory(b"a=1&b=2".to_vec());
        r.headers.push(("content-type".into(), vec![b"application/x-www-form-urlencoded".to_vec()]));
        let v = variables(&r);
        assert_eq!(get(&v, "CONTENT_TYPE").unwrap(), "application/x-www-form-urlencoded");
        // A chunked body has no Content-Length header; its length is still given.
        assert_eq!(get(&v, "CONTENT_LENGTH").unwrap(), "7");
        assert_eq!(get(&v, "HTTP_CONTENT_TYPE").unwrap(), "application/x-www-form-urlencoded");
    }

    #[test]
    fn request_headers_become_http_variables_with_repeats_joined() {
        let mut r = request();
        r.headers.push(("x-multi".into(), vec![b"a".to_vec(), b"b".to_vec()]));
        r.headers.push(("cookie".into(), vec![b"a=1".to_vec(), b"b=2".to_vec()]));
        let v = variables(&r);
        assert_eq!(get(&v, "HTTP_USER_AGENT").unwrap(), "curl/8");
        assert_eq!(get(&v, "HTTP_X_MULTI").unwrap(), "a, b");
        assert_eq!(get(&v, "HTTP_COOKIE").unwrap(), "a=1; b=2");
    }

    #[test]
    fn underscore_and_dot_headers_cannot_spoof_dash_headers() {
        let mut r = request();
        r.headers.push(("x-forwarded-for".into(), vec![b"10.0.0.1".to_vec()]));
        r.headers.push(("x_forwarded_for".into(), vec![b"6.6.6.6".to_vec()]));
        r.headers.push(("x.forwarded.for".into(), vec![b"6.6.6.6".to_vec()]));
        let v = variables(&r);
        let all: Vec<_> = v.iter().filter(|(n, _)| n == "HTTP_X_FORWARDED_FOR").collect();
        assert_eq!(all.len(), 1);
        assert_eq!(get(&v, "HTTP_X_FORWARDED_FOR").unwrap(), "10.0.0.1");
    }

    #[test]
    fn a_proxy_header_never_becomes_http_proxy() {
        let mut r = request();
        r.headers.push(("proxy".into(), vec![b"http://evil:3128".to_vec()]));
        assert_eq!(get(&variables(&r), "HTTP_PROXY"), None);
    }

    #[test]
    fn no_argv_or_argc() {
        let v = variables(&request());
        assert!(v.iter().all(|(n, _)| n != "argv" && n != "argc"));
    }

    #[test]
    fn getallheaders_names_are_title_case() {
        assert_eq!(header_title("HTTP_X_FOO_BAR").unwrap(), "X-Foo-Bar");
        assert_eq!(header_title("HTTP_HOST").unwrap(), "Host");
        assert_eq!(header_title("CONTENT_TYPE").unwrap(), "Content-Type");
        assert_eq!(header_title("CONTENT_LENGTH").unwrap(), "Content-Length");
        assert_eq!(header_title("HTTP_"), None);
        assert_eq!(header_title("SCRIPT_NAME"), None);
    }
}
