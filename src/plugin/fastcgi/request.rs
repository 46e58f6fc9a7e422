//! A FastCGI request as a pool job: the web server's params become the
//! payload the PHP side reads for an HTTP request (method, target, headers,
//! addresses), and travel whole as its CGI variables (`cgi`), so `$_SERVER`
//! is what the web server sent, after php-fpm's own PATH_INFO fixing in
//! classic mode. Pure: the filesystem is only asked through `pathinfo`.

use crate::bridge::{Key, Value};

use super::pathinfo;

/// A request's params, name => value in the order the web server sent them.
pub(super) type Params = Vec<(Vec<u8>, Vec<u8>)>;

/// What a request's params say before its body is read.
pub(super) struct Prepared {
    /// The payload without its body (`add_body` puts it in).
    pub(super) payload: Vec<(Key, Value)>,
    /// For the log.
    pub(super) method: String,
    pub(super) uri: String,
}

/// Why a request is answered without PHP.
#[derive(Debug, PartialEq)]
pub(super) enum Refused {
    /// No REQUEST_METHOD: not an HTTP request over FastCGI (php-fpm answers nothing useful either).
    NoMethod,
}

fn get<'a>(params: &'a Params, name: &str) -> Option<&'a [u8]> {
    params.iter().find(|(n, _)| n == name.as_bytes()).map(|(_, v)| v.as_slice())
}

fn text(params: &Params, name: &str) -> String {
    String::from_utf8_lossy(get(params, name).unwrap_or_default()).into_owned()
}

fn field(k: &str, v: Value) -> (Key, Value) {
    (Key::str(k), v)
}

/// The payload of a request with these params. `classic`: the script to run
/// comes from SCRIPT_FILENAME (fixed as php-fpm fixes it, and refused as it
/// refuses: 404 for no such file, 403 for an extension not in
/// `php_extensions`); in worker mode the worker's own script runs.
pub(super) fn prepare(mut params: Params, classic: bool, php_extensions: &[String]) -> Result<Prepared, Refused> {
    if get(&params, "REQUEST_METHOD").is_none_or(<[u8]>::is_empty) {
        return Err(Refused::NoMethod);
    }
    // A name sent twice keeps its first place and its last value, as php-fpm's table does.
    pathinfo::merge_duplicates(&mut params);
    // php-fpm's FastCGI layer puts the role first.
    if get(&params, "FCGI_ROLE").is_none() {
        params.insert(0, (b"FCGI_ROLE".to_vec(), b"RESPONDER".to_vec()));
    }
    let mut entries = Vec::with_capacity(16);
    let php_self;
    if classic {
        let info = pathinfo::fix_request_info_fs(&mut params, None);
        php_self = pathinfo::php_self(&params, &info);
        let script = info.script.unwrap_or_default();
        let unrunnable = if script.is_empty() {
            Some(404)
        } else if !has_php_extension(&script, php_extensions) {
            Some(403)
        } else {
            None
        };
        if let Some(status) = unrunnable {
            entries.push(field("unrunnable", Value::Int(status)));
        }
        let p = &params;
        entries.push(field(
            "script",
            Value::Map(vec![
                field("filename", Value::Str(script)),
                field("name", Value::Str(get(p, "SCRIPT_NAME").unwrap_or_default().to_vec())),
                field("path_info", Value::Str(get(p, "PATH_INFO").unwrap_or_default().to_vec())),
                field("root", Value::Str(get(p, "DOCUMENT_ROOT").unwrap_or_default().to_vec())),
            ]),
        ));
    } else {
        php_self = [get(&params, "SCRIPT_NAME").unwrap_or_default(), get(&params, "PATH_INFO").unwrap_or_default()].concat();
    }
    entries.push(field("php_self", Value::Str(php_self)));
    let method = text(&params, "REQUEST_METHOD");
    let query = text(&params, "QUERY_STRING");
    let uri = match get(&params, "REQUEST_URI") {
        Some(u) if !u.is_empty() => String::from_utf8_lossy(u).into_owned(),
        _ => {
            let path = text(&params, "SCRIPT_NAME") + &text(&params, "PATH_INFO");
            if query.is_empty() { path } else { format!("{path}?{query}") }
        }
    };
    let path = uri.split_once('?').map_or(uri.as_str(), |(p, _)| p).to_string();
    let https = get(&params, "HTTPS").is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case(b"off"));
    let protocol = match get(&params, "SERVER_PROTOCOL") {
        Some(p) if !p.is_empty() => String::from_utf8_lossy(p).into_owned(),
        _ => "HTTP/1.1".into(),
    };
    entries.extend([
        field("method", Value::str(method.as_str())),
        field("target", Value::str(uri.as_str())),
        field("path", Value::str(path.as_str())),
        field("query", Value::str(query.as_str())),
        field("protocol", Value::str(protocol.as_str())),
        field("headers", Value::Map(headers(&params))),
        field("remote", Value::str(address(&params, "REMOTE_ADDR", "REMOTE_PORT"))),
        field("local", Value::str(address(&params, "SERVER_ADDR", "SERVER_PORT"))),
        field("https", Value::Bool(https)),
    ]);
    for (param, key) in [("PHP_VALUE", "php_value"), ("PHP_ADMIN_VALUE", "php_admin_value")] {
        if let Some(v) = get(&params, param).filter(|v| !v.is_empty()) {
            entries.push(field(key, Value::Str(v.to_vec())));
        }
    }
    let cgi = params.into_iter().map(|(n, v)| (Key::Str(n), Value::Str(v))).collect();
    entries.push(field("cgi", Value::Map(cgi)));
    Ok(Prepared { payload: entries, method, uri })
}

/// The request headers the params carry: `HTTP_X_FOO` → `x-foo`, and
/// CONTENT_TYPE / CONTENT_LENGTH, which CGI passes without the prefix.
fn headers(params: &Params) -> Vec<(Key, Value)> {
    let mut out = Vec::new();
    for (name, value) in params {
        let header = match name.as_slice() {
            b"CONTENT_TYPE" if !value.is_empty() => b"content-type".to_vec(),
            b"CONTENT_LENGTH" if !value.is_empty() => b"content-length".to_vec(),
            n => match n.strip_prefix(b"HTTP_") {
                Some(rest) if !rest.is_empty() => {
                    rest.iter().map(|b| if *b == b'_' { b'-' } else { b.to_ascii_lowercase() }).collect()
                }
                _ => continue,
            },
        };
        out.push((Key::Str(header), Value::List(vec![Value::Str(value.clone())])));
    }
    out
}

/// "ip:port" ("[v6]:port") from two params; the address alone without a port.
fn address(params: &Params, addr: &str, port: &str) -> String {
    let ip = text(params, addr);
    let port = text(params, port);
    match (ip.contains(':'), port.is_empty()) {
        (_, true) => ip,
        (true, false) => format!("[{ip}]:{port}"),
        (false, false) => format!("{ip}:{port}"),
    }
}

/// php-fpm's `security.limit_extensions`: a script must end with one of them.
fn has_php_extension(script: &[u8], extensions: &[String]) -> bool {
    extensions.iter().any(|e| script.len() > e.len() && script[script.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
    }

    fn entry<'a>(p: &'a Prepared, key: &str) -> Option<&'a Value> {
        p.payload.iter().find(|(k, _)| *k == Key::str(key)).map(|(_, v)| v)
    }

    #[test]
    fn a_worker_request_carries_the_web_servers_variables_whole_and_in_order() {
        let p = prepare(
            params(&[
                ("QUERY_STRING", "a=1"),
                ("REQUEST_METHOD", "POST"),
                ("CONTENT_TYPE", "application/x-www-form-urlencoded"),
                ("CONTENT_LENGTH", "3"),
                ("REQUEST_URI", "/app/x?a=1"),
                ("SERVER_PROTOCOL", "HTTP/1.1"),
                ("REMOTE_ADDR", "::1"),
                ("REMOTE_PORT", "5000"),
                ("SERVER_ADDR", "127.0.0.1"),
                ("SERVER_PORT", "80"),
                ("HTTPS", "on"),
                ("HTTP_X_FORWARDED_FOR", "10.0.0.1"),
                ("HTTP_COOKIE", "a=1; b=2"),
            ]),
            false,
            &[".php".into()],
        )
        .unwrap();
        assert_eq!((p.method.as_str(), p.uri.as_str()), ("POST", "/app/x?a=1"));
        assert_eq!(entry(&p, "path"), Some(&Value::str("/app/x")));
        assert_eq!(entry(&p, "remote"), Some(&Value::str("[::1]:5000")));
        assert_eq!(entry(&p, "https"), Some(&Value::Bool(true)));
        assert_eq!(entry(&p, "script"), None, "worker mode runs the worker's script");
        let Some(Value::Map(headers)) = entry(&p, "headers") else { panic!("no headers") };
        let names: Vec<_> = headers.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(names, ["'content-type'", "'content-length'", "'x-forwarded-for'", "'cookie'"]);
        let Some(Value::Map(cgi)) = entry(&p, "cgi") else { panic!("no cgi") };
        assert_eq!(cgi[0], (Key::str("FCGI_ROLE"), Value::str("RESPONDER")));
        assert_eq!(cgi[1], (Key::str("QUERY_STRING"), Value::str("a=1")));
        assert_eq!(cgi.len(), 14);
    }

    #[test]
    fn https_off_or_empty_is_plain_http_and_a_missing_method_is_refused() {
        let p = prepare(params(&[("REQUEST_METHOD", "GET"), ("HTTPS", "off")]), false, &[]).unwrap();
        assert_eq!(entry(&p, "https"), Some(&Value::Bool(false)));
        assert_eq!(prepare(params(&[("SCRIPT_FILENAME", "/x.php")]), false, &[]).err(), Some(Refused::NoMethod));
    }

    #[test]
    fn classic_mode_refuses_a_missing_script_404_and_a_non_php_one_403() {
        let dir = std::env::temp_dir().join(format!("folk-fcgi-request-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.php"), "<?php").unwrap();
        std::fs::write(dir.join("a.txt"), "x").unwrap();
        let run = |file: &str| {
            let f = format!("{}/{file}", dir.display());
            let p = prepare(params(&[("REQUEST_METHOD", "GET"), ("SCRIPT_FILENAME", &f)]), true, &[".php".into()]).unwrap();
            entry(&p, "unrunnable").cloned()
        };
        assert_eq!(run("a.php"), None);
        assert_eq!(run("a.txt"), Some(Value::Int(403)));
        assert_eq!(run("missing.php"), Some(Value::Int(404)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn php_value_lines_travel_to_the_php_side() {
        let p = prepare(params(&[("REQUEST_METHOD", "GET"), ("PHP_VALUE", "memory_limit=64M\ndisplay_errors=1")]), false, &[]).unwrap();
        assert_eq!(entry(&p, "php_value"), Some(&Value::str("memory_limit=64M\ndisplay_errors=1")));
        assert_eq!(entry(&p, "php_admin_value"), None);
    }
}
