//! The HTTP plugin end to end over real sockets: what a client sends, what
//! comes back, and when the connection closes.

use std::io::{BufReader, Write};
use std::time::Duration;

use super::HttpPlugin;
use crate::config::HttpConfig;
use crate::plugin::Plugin;
use crate::plugin::testing::{Fixture, connect, get, raw, read_response, read_until_closed};

#[test]
fn hello_string_response() {
    let f = Fixture::start(|_, _| {});
    let r = get(f.addr(), "/string");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.text(), "hello from folk");
}

#[test]
fn request_fields_reach_the_handler() {
    let f = Fixture::start(|_, _| {});
    let r = get(f.addr(), "/a/b%20c?x=1&y=2");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-method"), Some("GET"));
    assert_eq!(r.header("x-path"), Some("/a/b%20c"));
    assert_eq!(r.header("x-query"), Some("x=1&y=2"));
    assert_eq!(r.header("x-target"), Some("/a/b%20c?x=1&y=2"));
    assert_eq!(r.header("x-protocol"), Some("HTTP/1.1"));
    assert_eq!(r.header("x-local"), Some(f.addr().to_string().as_str()));
    assert!(r.header("x-remote").unwrap().starts_with("127.0.0.1:"), "{r:?}");
    let r = get(f.addr(), "/plain");
    assert_eq!(r.header("x-query"), Some(""));
    let r = raw(f.addr(), b"DELETE http://example.com/abs?q HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(r.header("x-method"), Some("DELETE"));
    assert_eq!(r.header("x-target"), Some("http://example.com/abs?q"));
    assert_eq!(r.header("x-path"), Some("/abs"));
    assert_eq!(r.header("x-protocol"), Some("HTTP/1.0"));
}

#[test]
fn a_target_with_quotes_angle_brackets_backticks_or_non_utf8_bytes_reaches_the_handler_as_sent() {
    let f = Fixture::start(|_, _| {});
    let sent = b"GET /a/<b>?x=\"1\"&y=<2>&z=`&c=\xE9#frag HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n";
    let r = raw(f.addr(), sent).unwrap();
    assert_eq!(r.status, 200);
    // As sent (nginx's REQUEST_URI keeps the fragment); a byte that is not UTF-8 stays percent-encoded.
    assert_eq!(r.header("x-target"), Some("/a/<b>?x=\"1\"&y=<2>&z=`&c=%E9#frag"));
    assert_eq!(r.header("x-path"), Some("/a/<b>"));
    assert_eq!(r.header("x-query"), Some("x=\"1\"&y=<2>&z=`&c=%E9"));

    // Pipelined on one connection, after a body that looks like such a request: each gets its own target.
    let body = "GET /?\"body\" HTTP/1.1\r\n\r\n";
    let batch = format!(
        "POST /p?\"1\" HTTP/1.1\r\nhost: t\r\ncontent-length: {}\r\n\r\n{body}GET /plain?%22 HTTP/1.1\r\nhost: t\r\n\r\nGET /q?<3> HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let mut s = connect(f.addr());
    s.write_all(batch.as_bytes()).unwrap();
    let mut r = BufReader::new(s);
    let one = read_response(&mut r).unwrap();
    assert_eq!((one.status, one.header("x-target"), one.text()), (200, Some("/p?\"1\""), body.to_string()));
    let two = read_response(&mut r).unwrap();
    assert_eq!((two.header("x-target"), two.header("x-query")), (Some("/plain?%22"), Some("%22")));
    let three = read_response(&mut r).unwrap();
    assert_eq!((three.header("x-target"), three.header("x-query")), (Some("/q?<3>"), Some("<3>")));
}

#[test]
fn repeated_headers_keep_their_order() {
    let f = Fixture::start(|_, _| {});
    let r = raw(
        f.addr(),
        b"GET / HTTP/1.1\r\nhost: t\r\nX-Echo: one\r\nx-other: z\r\nx-echo: two\r\nX-ECHO: three, four\r\nconnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.all("x-echo"), ["one", "two", "three, four"]);
}

#[test]
fn one_mib_body_round_trip() {
    let f = Fixture::start(|_, _| {});
    let body: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
    let mut s = connect(f.addr());
    write!(s, "POST /upload HTTP/1.1\r\nhost: t\r\ncontent-length: {}\r\n\r\n", body.len()).unwrap();
    s.write_all(&body).unwrap();
    let r = read_response(&mut BufReader::new(s)).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-method"), Some("POST"));
    assert!(r.body == body, "body differs ({} bytes back)", r.body.len());

    // The same through chunked transfer encoding.
    let mut s = connect(f.addr());
    s.write_all(b"PUT /c HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
    for chunk in body.chunks(100_000) {
        write!(s, "{:x}\r\n", chunk.len()).unwrap();
        s.write_all(chunk).unwrap();
        s.write_all(b"\r\n").unwrap();
    }
    s.write_all(b"0\r\n\r\n").unwrap();
    let r = read_response(&mut BufReader::new(s)).unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body == body, "chunked body differs ({} bytes back)", r.body.len());
}

#[test]
fn keep_alive_and_pipelining() {
    let f = Fixture::start(|_, _| {});
    let s = connect(f.addr());
    let mut w = s.try_clone().unwrap();
    let mut r = BufReader::new(s);
    for i in 0..100 {
        write!(w, "GET /n/{i} HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
        let resp = read_response(&mut r).unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("x-path"), Some(format!("/n/{i}").as_str()));
    }
    // Pipelined: 20 requests in one write, answers in order.
    let mut batch = String::new();
    for i in 0..20 {
        batch += &format!("POST /p/{i} HTTP/1.1\r\nhost: t\r\ncontent-length: {}\r\n\r\nbody{i}", format!("body{i}").len());
    }
    w.write_all(batch.as_bytes()).unwrap();
    for i in 0..20 {
        let resp = read_response(&mut r).unwrap();
        assert_eq!(resp.header("x-path"), Some(format!("/p/{i}").as_str()));
        assert_eq!(resp.text(), format!("body{i}"));
    }
}

#[test]
fn body_over_the_limit_is_413() {
    let f = Fixture::start(|_, h| h.max_body_size = 1000);
    // By Content-Length, before the body is read.
    let mut s = connect(f.addr());
    s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 5000\r\n\r\n").unwrap();
    s.write_all(&[b'a'; 5000]).unwrap();
    let r = read_response(&mut BufReader::new(s)).unwrap();
    assert_eq!(r.status, 413);
    assert_eq!(r.text(), "413 Payload Too Large\n");
    assert_eq!(r.header("connection"), Some("close"));
    // Chunked: stopped while streaming.
    let mut s = connect(f.addr());
    s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
    for _ in 0..3 {
        s.write_all(b"200\r\n").unwrap();
        s.write_all(&[b'b'; 0x200]).unwrap();
        s.write_all(b"\r\n").unwrap();
    }
    let r = read_response(&mut BufReader::new(s)).unwrap();
    assert_eq!(r.status, 413);
    // Exactly at the limit is fine.
    let mut s = connect(f.addr());
    s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-length: 1000\r\n\r\n").unwrap();
    s.write_all(&[b'c'; 1000]).unwrap();
    assert_eq!(read_response(&mut BufReader::new(s)).unwrap().status, 200);
}

#[test]
fn head_over_the_limit_is_431() {
    // Large limit: hyper's own buffer limit answers.
    let f = Fixture::start(|_, _| {});
    let big = "v".repeat(70 << 10);
    let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-big: {big}\r\n\r\n").as_bytes()).unwrap();
    assert_eq!(r.status, 431, "{r:?}");
    // Small limit (under hyper's 8 KiB minimum buffer): our own check answers.
    let f = Fixture::start(|_, h| h.max_header_size = 1024);
    let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-big: {}\r\n\r\n", "v".repeat(2000)).as_bytes()).unwrap();
    assert_eq!(r.status, 431, "{r:?}");
    assert_eq!(r.header("connection"), Some("close"));
    let r = raw(f.addr(), format!("GET / HTTP/1.1\r\nhost: t\r\nx-ok: {}\r\nconnection: close\r\n\r\n", "v".repeat(500)).as_bytes()).unwrap();
    assert_eq!(r.status, 200);
}

#[test]
fn garbage_is_400_and_closed() {
    let f = Fixture::start(|_, _| {});
    let mut s = connect(f.addr());
    s.write_all(b"this is not http at all\r\n\r\n").unwrap();
    let (out, _) = read_until_closed(&mut s);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{text:?}");
    let r = raw(f.addr(), b"GET / HTTP/1.1\r\nbad header line\r\n\r\n").unwrap();
    assert_eq!(r.status, 400);
    // The server is still fine.
    assert_eq!(get(f.addr(), "/string").status, 200);
}

#[test]
fn a_request_names_its_host_as_rfc_9112_says_or_gets_400() {
    let f = Fixture::start(|_, _| {});
    let ask = |req: &str| raw(f.addr(), req.as_bytes()).unwrap();
    // HTTP/1.1 without Host, with two, or with one nginx would refuse: 400, and the connection closes.
    for req in [
        "GET /echo HTTP/1.1\r\nconnection: close\r\n\r\n",
        "GET /echo HTTP/1.1\r\nhost: a\r\nhost: b\r\nconnection: close\r\n\r\n",
        "GET /echo HTTP/1.0\r\nhost: a\r\nhost: a\r\n\r\n",
        "GET /echo HTTP/1.1\r\nhost: a..b\r\nconnection: close\r\n\r\n",
        "GET http://evil.example/echo HTTP/1.1\r\nconnection: close\r\n\r\n",
    ] {
        let r = ask(req);
        assert_eq!((r.status, r.header("connection")), (400, Some("close")), "{req:?}");
    }
    // HTTP/1.0 may name none; the handler then sees none.
    let r = ask("GET /echo HTTP/1.0\r\n\r\n");
    assert_eq!((r.status, r.header("x-host")), (200, None));
    // The absolute form's authority replaces Host (RFC 9112 §3.2.2).
    let r = ask("GET http://evil.example/echo HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
    assert_eq!((r.status, r.header("x-host")), (200, Some("evil.example")));
    let r = ask("GET /echo HTTP/1.1\r\nhost: shop.example:8080\r\nconnection: close\r\n\r\n");
    assert_eq!((r.status, r.all("x-host")), (200, vec!["shop.example:8080"]));
}

#[test]
fn handler_results_and_failures() {
    let f = Fixture::start(|_, _| {});
    let r = get(f.addr(), "/null");
    assert_eq!((r.status, r.body.len()), (204, 0));
    let r = get(f.addr(), "/status/404");
    assert_eq!((r.status, r.text().as_str()), (404, "status 404"));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    for path in ["/bad", "/status/42", "/fail", "/die"] {
        let r = get(f.addr(), path);
        assert_eq!(r.status, 500, "{path}");
        assert_eq!(r.text(), "500 Internal Server Error\n", "{path}: the body must not leak details");
    }
    // The worker that died was replaced; the server still answers.
    assert_eq!(get(f.addr(), "/string").status, 200);
}

#[test]
fn full_queue_is_503_with_retry_after() {
    let f = Fixture::start(|p, _| {
        p.workers.count = 1;
        p.queue.size = 1;
    });
    let send = |path: &str| {
        let mut s = connect(f.addr());
        write!(s, "GET {path} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n").unwrap();
        s
    };
    let running = send("/sleep/400");
    std::thread::sleep(Duration::from_millis(100));
    let queued = send("/sleep/1");
    std::thread::sleep(Duration::from_millis(100));
    let t = std::time::Instant::now();
    let r = read_response(&mut BufReader::new(send("/string"))).unwrap();
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(r.text(), "503 Service Unavailable\n");
    assert!(t.elapsed() < Duration::from_millis(300), "refused only after {:?}", t.elapsed());
    assert_eq!(read_response(&mut BufReader::new(running)).unwrap().status, 200);
    assert_eq!(read_response(&mut BufReader::new(queued)).unwrap().status, 200);
}

#[test]
fn exec_timeout_is_504() {
    let f = Fixture::start(|p, _| p.workers.exec_timeout = Some(Duration::from_millis(200)));
    let t = std::time::Instant::now();
    let r = get(f.addr(), "/sleep/5000");
    assert_eq!(r.status, 504);
    assert_eq!(r.text(), "504 Gateway Timeout\n");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn graceful_shutdown_finishes_the_request_in_flight() {
    let mut f = Fixture::start(|_, _| {});
    let addr = f.addr();
    let mut inflight = connect(addr);
    inflight.write_all(b"GET /sleep/500 HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    // An idle keep-alive connection is closed at once.
    let mut idle = connect(addr);
    idle.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    let mut idle_r = BufReader::new(idle.try_clone().unwrap());
    assert_eq!(read_response(&mut idle_r).unwrap().status, 200);
    std::thread::sleep(Duration::from_millis(100));

    let t = std::time::Instant::now();
    f.shutdown_tx.send_replace(true);
    let reader = std::thread::spawn(move || read_response(&mut BufReader::new(inflight)));
    f.plugin.shutdown();
    let waited = t.elapsed();
    let r = reader.join().unwrap().unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("connection"), Some("close"));
    assert!(waited >= Duration::from_millis(300), "shutdown returned after {waited:?}, before the request finished");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    let (rest, _) = read_until_closed(&mut idle);
    assert!(rest.is_empty());
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err(), "still accepting");
}

#[test]
fn shutdown_gives_up_after_the_timeout() {
    let mut f = Fixture::start(|_, _| {});
    f.ctx.shutdown_timeout = Duration::from_millis(200);
    // Re-boot with the short timeout on a fresh plugin.
    f.plugin.shutdown();
    f.plugin = HttpPlugin::new(HttpConfig { listen: "127.0.0.1:0".parse().unwrap(), ..HttpConfig::default() }, false);
    let ctx = f.ctx.clone();
    f.plugin.boot(&ctx).unwrap();
    let mut s = connect(f.addr());
    s.write_all(b"GET /sleep/3000 HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let t = std::time::Instant::now();
    f.shutdown_tx.send_replace(true);
    f.plugin.shutdown();
    assert!(t.elapsed() < Duration::from_millis(1500), "{:?}", t.elapsed());
    let (out, _) = read_until_closed(&mut s);
    assert!(out.is_empty(), "{:?}", String::from_utf8_lossy(&out));
}

#[test]
fn slow_head_is_408_silence_is_closed() {
    let f = Fixture::start(|_, h| h.header_timeout = Duration::from_millis(300));
    let mut s = connect(f.addr());
    s.write_all(b"GET / HTTP/1.1\r\nhost: t\r\n").unwrap();
    let (out, took) = read_until_closed(&mut s);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{text:?}");
    assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(2), "{took:?}");
    // A connection that never sends a byte is closed without an answer.
    let mut s = connect(f.addr());
    let (out, took) = read_until_closed(&mut s);
    assert!(out.is_empty(), "{:?}", String::from_utf8_lossy(&out));
    assert!(took < Duration::from_secs(2), "{took:?}");
    // A slow handler is not a slow head.
    let r = get(f.addr(), "/sleep/600");
    assert_eq!(r.status, 200);
}

#[test]
fn stalled_body_is_408() {
    let f = Fixture::start(|_, h| h.idle_timeout = Duration::from_millis(300));
    let mut s = connect(f.addr());
    s.write_all(b"POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 10\r\n\r\nabc").unwrap();
    let t = std::time::Instant::now();
    let r = read_response(&mut BufReader::new(s)).unwrap();
    assert_eq!(r.status, 408);
    assert_eq!(r.header("connection"), Some("close"));
    assert!(t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn idle_keep_alive_connection_closes() {
    let f = Fixture::start(|_, h| h.idle_timeout = Duration::from_millis(300));
    let mut s = connect(f.addr());
    s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    assert_eq!(read_response(&mut r).unwrap().status, 200);
    let (out, took) = read_until_closed(&mut s);
    assert!(out.is_empty());
    assert!(took >= Duration::from_millis(200) && took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn idle_time_is_not_cut_short_by_a_timer_armed_for_the_head() {
    // The read timer is first armed for the head (200 ms) and left armed
    // when the idle deadline (800 ms after the response) lies later: when
    // it fires early it must re-arm, not close the connection.
    let f = Fixture::start(|_, h| {
        h.header_timeout = Duration::from_millis(200);
        h.idle_timeout = Duration::from_millis(800);
    });
    let mut s = connect(f.addr());
    s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    assert_eq!(read_response(&mut r).unwrap().status, 200);
    std::thread::sleep(Duration::from_millis(400));
    s.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut r).unwrap().status, 200, "closed before idle_timeout");
    let (out, took) = read_until_closed(&mut s);
    assert!(out.is_empty());
    assert!(took >= Duration::from_millis(650) && took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn over_max_connections_is_503() {
    let f = Fixture::start(|_, h| h.max_connections = 1);
    let held = connect(f.addr());
    let mut w = held.try_clone().unwrap();
    w.write_all(b"GET /string HTTP/1.1\r\nhost: t\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut BufReader::new(held)).unwrap().status, 200);
    let r = get(f.addr(), "/string");
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    drop(w);
    // Once the first closes, the slot is free again.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    loop {
        let r = get(f.addr(), "/string");
        if r.status == 200 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "slot never freed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn busy_port_names_the_address() {
    let f = Fixture::start(|_, _| {});
    let mut second = HttpPlugin::new(HttpConfig { listen: f.addr(), ..HttpConfig::default() }, false);
    let err = second.boot(&f.ctx).unwrap_err();
    assert_eq!(err, format!("cannot listen on {}: Address already in use", f.addr()));
}

#[test]
fn h2c_prior_knowledge_with_curl() {
    let f = Fixture::start(|_, _| {});
    let out = std::process::Command::new("curl")
        .args(["-s", "--http2-prior-knowledge", "--max-time", "5", "-D", "-", "-H", "x-echo: a", "-H", "x-echo: b"])
        .arg(format!("http://{}/h2?q=1", f.addr()))
        .output();
    let Ok(out) = out else {
        eprintln!("curl not found; skipping the h2c check");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout).to_ascii_lowercase();
    assert!(text.starts_with("http/2 200"), "{text}");
    assert!(text.contains("x-protocol: http/2.0"), "{text}");
    assert!(text.contains("x-target: /h2?q=1"), "{text}");
    assert!(text.contains("x-echo: a\r\nx-echo: b"), "{text}");
}

