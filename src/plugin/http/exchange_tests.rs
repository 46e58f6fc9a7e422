//! Unit tests of `exchange`: the request → payload and result → response rules.
use super::*;

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (Key::Str(k.into()), v)).collect())
}

fn peer() -> Peer {
    Peer { remote: "10.0.0.1:5000".into(), local: "10.0.0.2:80".into(), addr: "10.0.0.1:5000".parse().unwrap(), tls: false }
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
    assert_eq!(names, ["'method'", "'target'", "'path'", "'query'", "'protocol'", "'headers'", "'body'", "'remote'", "'local'", "'https'"]);
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
fn a_php_head_without_content_type_gets_none() {
    // header_remove('Content-Type') after setting one: php-fpm sends none, and neither does folk.
    let php = map(vec![("status", Value::Int(200)), ("headers", map(vec![])), ("body", "a,b".into()), ("php_head", Value::Bool(true))]);
    let r = into_response(php).unwrap();
    assert!(!r.headers().contains_key("content-type"), "{:?}", r.headers());
    // A handler's array response still gets PHP's default.
    let r = into_response(map(vec![("body", "x".into())])).unwrap();
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
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

#[test]
fn a_streamed_head_is_told_apart_and_its_flag_removed() {
    let mut head = Value::Map(vec![
        (Key::Str(b"status".to_vec()), Value::Int(200)),
        (Key::Str(b"stream".to_vec()), Value::Bool(true)),
    ]);
    assert!(take_stream_flag(&mut head));
    assert!(into_response(head).is_ok(), "what is left is an ordinary response head");
    let mut whole = Value::Map(vec![(Key::Str(b"status".to_vec()), Value::Int(200))]);
    assert!(!take_stream_flag(&mut whole));
    let mut payload = Value::Map(vec![]);
    add_stream(&mut payload, std::time::Duration::from_millis(7));
    assert_eq!(payload, Value::Map(vec![(Key::Str(b"stream".to_vec()), Value::Int(7))]));
    let mut payload = Value::Map(vec![]);
    add_spool(&mut payload, 9);
    assert_eq!(payload, Value::Map(vec![(Key::Str(b"body_spool".to_vec()), Value::Int(9))]));
}

#[test]
fn a_trusted_proxys_origin_replaces_remote_and_https_and_adds_server_name_and_port() {
    let mut p = parts(Request::builder().uri("/x").header("host", "10.0.0.2"));
    let v = payload(&p, Vec::new(), &peer());
    assert_eq!((field(&v, "remote"), field(&v, "https")), (&Value::str("10.0.0.1:5000"), &Value::Bool(false)));
    p.extensions.insert(super::super::proxies::Origin {
        remote: "203.0.113.7".into(),
        https: true,
        server_name: Some("shop.example".into()),
        server_port: Some(443),
        ip: "203.0.113.7".parse().unwrap(),
    });
    let v = payload(&p, Vec::new(), &peer());
    assert_eq!(field(&v, "remote"), &Value::str("203.0.113.7"));
    assert_eq!(field(&v, "https"), &Value::Bool(true));
    assert_eq!(field(&v, "server_name"), &Value::str("shop.example"));
    assert_eq!(field(&v, "server_port"), &Value::Int(443));
    assert_eq!(field(&v, "local"), &Value::str("10.0.0.2:80"), "the socket's own address stays");
}
