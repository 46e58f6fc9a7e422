use std::collections::VecDeque;
use std::task::Waker;

use super::*;

/// A peer that sends these pieces, one per read, then closes.
struct Peer(VecDeque<Vec<u8>>);

impl AsyncRead for Peer {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(mut piece) = this.0.pop_front() {
            let n = piece.len().min(buf.remaining());
            buf.put_slice(&piece[..n]);
            if n < piece.len() {
                this.0.push_front(piece.split_off(n));
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// What hyper reads through `EscapeTargets` (with a read buffer of `hyper_buf` bytes)
/// from a peer sending `pieces`, and the log entries: (parsed, as sent).
fn through(pieces: &[&[u8]], limit: usize, hyper_buf: usize) -> (Vec<u8>, Vec<Option<(String, String)>>) {
    let log = Arc::new(TargetLog::default());
    let peer = Peer(pieces.iter().map(|p| p.to_vec()).collect());
    let mut io = EscapeTargets::new(peer, log.clone(), limit);
    let mut cx = Context::from_waker(Waker::noop());
    let mut out = Vec::new();
    let mut buf = vec![0u8; hyper_buf];
    loop {
        let mut rb = ReadBuf::new(&mut buf);
        match Pin::new(&mut io).poll_read(&mut cx, &mut rb) {
            Poll::Ready(Ok(())) if rb.filled().is_empty() => break,
            Poll::Ready(Ok(())) => out.extend_from_slice(rb.filled()),
            other => panic!("{other:?}"),
        }
    }
    let entries = log.0.lock().unwrap().drain(..).map(|s| s.map(|s| (s.parsed, s.raw.0))).collect();
    (out, entries)
}

fn one(input: &[u8]) -> (Vec<u8>, Vec<Option<(String, String)>>) {
    through(&[input], 8192, 8192)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn seen(parsed: &str, raw: &str) -> Option<(String, String)> {
    Some((parsed.to_string(), raw.to_string()))
}

/// What hyper makes of a head: its target must parse as an `http::Uri`.
fn hyper_accepts(head: &[u8]) -> bool {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut req = httparse::Request::new(&mut headers);
    matches!(req.parse(head), Ok(httparse::Status::Complete(_))) && req.path.unwrap().parse::<hyper::Uri>().is_ok()
}

#[test]
fn quotes_angle_brackets_backticks_and_non_utf8_bytes_are_escaped_for_hyper_and_kept_as_sent() {
    let sent = b"GET /s.php?a=\"<b>`&c=\xE9&d=\xC3\xA9 HTTP/1.1\r\nHost: x\r\n\r\n";
    assert!(!hyper_accepts(sent), "hyper refuses the target as sent");
    let (out, log) = one(sent);
    assert_eq!(text(&out), "GET /s.php?a=%22%3Cb%3E%60&c=%E9&d=\u{e9} HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(hyper_accepts(&out));
    assert_eq!(log, [seen("/s.php?a=%22%3Cb%3E%60&c=%E9&d=\u{e9}", "/s.php?a=\"<b>`&c=%E9&d=\u{e9}")]);
    // The path too.
    let (out, log) = one(b"GET /s.php/<x>`\xFF HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(text(&out), "GET /s.php/%3Cx%3E%60%FF HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(log, [seen("/s.php/%3Cx%3E%60%FF", "/s.php/<x>`%FF")]);
}

#[test]
fn a_target_hyper_accepts_passes_unchanged_and_a_fragment_is_kept_as_sent() {
    let sent = b"GET /a/b%20c?x=1&y=%22&z={}|\\^ HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_eq!(one(sent), (sent.to_vec(), vec![None]));
    // The `http` crate drops a fragment; nginx keeps it in REQUEST_URI.
    let sent = b"GET /p?a=1#frag HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_eq!(one(sent), (sent.to_vec(), vec![seen("/p?a=1", "/p?a=1#frag")]));
}

#[test]
fn body_bytes_are_never_rewritten_even_when_they_look_like_a_request() {
    let body = b"GET /?\"x\" HTTP/1.1\r\n\r\n";
    let mut sent = format!("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    sent.extend_from_slice(body);
    sent.extend_from_slice(b"GET /next?q=\"1\" HTTP/1.1\r\nHost: x\r\n\r\n");
    let (out, log) = one(&sent);
    let mut expected = format!("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    expected.extend_from_slice(body);
    expected.extend_from_slice(b"GET /next?q=%221%22 HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(text(&out), text(&expected));
    assert_eq!(log, [None, seen("/next?q=%221%22", "/next?q=\"1\"")]);
}

#[test]
fn any_split_of_the_input_and_any_read_size_give_the_same_bytes() {
    let mut sent = b"\r\nPOST /f?a=<1> HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\n".to_vec();
    sent.extend_from_slice(b"GET /?\"x\" HTTP/1.1\r\nHost: x\r\n\r\n"[..30].as_ref());
    sent.extend_from_slice(b"GET /g?b=\xE9 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /h HTTP/1.1\r\n\r\n");
    let whole = one(&sent);
    assert_eq!(whole.1.len(), 3, "{whole:?}");
    let bytes: Vec<&[u8]> = sent.chunks(1).collect();
    for hyper_buf in [1, 2, 7, 64, 8192] {
        assert_eq!(through(&bytes, 8192, hyper_buf), whole, "one byte per read, hyper reading {hyper_buf}");
        for split in 1..sent.len() {
            assert_eq!(through(&[&sent[..split], &sent[split..]], 8192, hyper_buf), whole, "split at {split}");
        }
    }
}

#[test]
fn a_chunked_body_or_an_upgrade_makes_it_step_aside_for_the_rest_of_the_connection() {
    for first in [
        "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
        "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /l HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    ] {
        let sent = format!("{first}GET /?q=\"1\" HTTP/1.1\r\nHost: x\r\n\r\n");
        let (out, log) = one(sent.as_bytes());
        assert_eq!(text(&out), sent);
        assert!(log.is_empty(), "{first}: {log:?}");
    }
}

#[test]
fn an_h2_preface_a_head_too_large_for_hyper_and_garbage_pass_unchanged() {
    let h2 = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00GET /?\"\r\n\r\n";
    assert_eq!(one(h2), (h2.to_vec(), vec![]));
    let big = format!("GET /?q=\"{}\" HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(200));
    assert_eq!(through(&[big.as_bytes()], 64, 8192), (big.clone().into_bytes(), vec![]));
    for garbage in [&b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 \r\n\r\n"[..], b"GET  /?\" HTTP/1.1\r\n\r\n", b"GET /?\"\r\n\r\n"] {
        assert_eq!(one(garbage), (garbage.to_vec(), vec![]));
    }
}

#[test]
fn a_head_cut_short_by_the_peer_is_handed_over_as_it_is() {
    let sent = b"GET /?q=\"1\" HTTP/1.1\r\nHost: x\r\n";
    assert_eq!(one(sent), (sent.to_vec(), vec![]));
    let sent = b"POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc";
    assert_eq!(one(sent), (sent.to_vec(), vec![None]));
}

#[test]
fn the_target_as_sent_splits_into_path_and_query_as_nginx_does() {
    let t = RawTarget("/s.php/a?x=\"1\"&y=2#f?g".into());
    assert_eq!(t.target(), "/s.php/a?x=\"1\"&y=2#f?g");
    assert_eq!(t.path(), "/s.php/a");
    assert_eq!(t.query(), "x=\"1\"&y=2");
    let t = RawTarget("/p#f?g".into());
    assert_eq!((t.path(), t.query()), ("/p", ""));
}

#[test]
fn a_logged_target_reaches_only_the_request_it_belongs_to() {
    let log = TargetLog::default();
    let raw = |s: &str| Seen { parsed: s.replace('"', "%22"), raw: RawTarget(s.into()) };
    log.push(None);
    log.push(Some(raw("/a?\"1\"")));
    log.push(Some(raw("/b?\"2\"")));
    let req = |uri: &str| Request::builder().uri(uri).body(()).unwrap();
    let got = |r: &Request<()>| r.extensions().get::<RawTarget>().map(|t| t.target().to_string());
    // A plain request takes its own (empty) entry, so the next does not go to it.
    let mut r = req("/a?%221%22");
    log.attach(&mut r);
    assert_eq!(got(&r), None);
    let mut r = req("/a?%221%22");
    log.attach(&mut r);
    assert_eq!(got(&r).as_deref(), Some("/a?\"1\""));
    // An entry that does not match what hyper parsed is dropped, not applied.
    let mut r = req("/other");
    log.attach(&mut r);
    assert_eq!(got(&r), None);
    assert!(log.0.lock().unwrap().is_empty());
    // h2 requests never take an entry.
    log.push(Some(raw("/c?\"3\"")));
    let mut r = Request::builder().version(hyper::Version::HTTP_2).uri("/c?%223%22").body(()).unwrap();
    log.attach(&mut r);
    assert_eq!((got(&r), log.0.lock().unwrap().len()), (None, 1));
}

#[test]
fn the_log_stops_at_its_bound_and_the_connection_steps_aside() {
    let mut sent = String::new();
    for i in 0..MAX_LOGGED + 2 {
        sent.push_str(&format!("GET /{i}?q=\"x\" HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
    let (out, log) = one(sent.as_bytes());
    assert_eq!(log.len(), MAX_LOGGED);
    let tail = format!("GET /{}?q=\"x\" HTTP/1.1", MAX_LOGGED);
    assert!(text(&out).contains(&tail), "left as sent once the log is full");
}

#[test]
fn escaping_keeps_what_dollar_get_decodes() {
    // `%` and escapes already there are left alone; only what hyper refuses is encoded.
    assert_eq!(escape(b"/p?a=100%&b=%zz&c=%22"), None);
    assert_eq!(escape(b"/p?a=%\xE9").as_deref(), Some(&b"/p?a=%%E9"[..]));
    assert_eq!(as_text(b"/p?a=\"\xE9\xC3\xA9"), "/p?a=\"%E9\u{e9}");
}

#[test]
fn whatever_the_bytes_nothing_to_escape_means_nothing_changes() {
    const PIECES: &[&str] = &[
        "GET / HTTP/1.1\r\n", "POST /x?a=1 HTTP/1.1\r\n", "Host: x\r\n", "Content-Length: 5\r\n", "Content-Length: 0\r\n",
        "Content-Length: x\r\n", "Transfer-Encoding: chunked\r\n", "\r\n", "\n", "abc", " ", "GET /?%22 HTTP/1.1\r\n",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..2000 {
        let sent: String = (0..next(24)).map(|_| PIECES[next(PIECES.len())]).collect();
        let split = next(sent.len() + 1);
        let (out, _) = through(&[&sent.as_bytes()[..split], &sent.as_bytes()[split..]], 64, 1 + next(32));
        assert_eq!(text(&out), sent);
    }
}
