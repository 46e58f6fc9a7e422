//! `http.compression`: gzip, brotli or zstd for responses of text-like types,
//! chosen from `Accept-Encoding` (q-values honoured, q=0 refuses), as nginx's
//! gzip module and FrankenPHP's encoder do. A whole body is compressed at once
//! (no encoder outlives the answer while a slow client takes it, and
//! `http.response_buffer` then holds the compressed bytes); a stream is
//! compressed as it flows (each chunk PHP flushes is flushed through the
//! encoder, so streaming stays streaming). What must not change is left alone:
//! a body already encoded, a range, an event stream, a static file whose
//! precompressed siblings were already chosen from (`http.static.precompressed`), HEAD.


use async_compression::Level;
use async_compression::tokio::write::{BrotliEncoder, GzipEncoder, ZstdEncoder};
use hyper::body::Body;
use hyper::header::{
    ACCEPT_ENCODING, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, HeaderMap,
    HeaderValue, VARY,
};
use hyper::{Method, Response, StatusCode};

use super::any_body::AnyBody;
use super::compressed_body::{Compressed, Encoder, whole};
use super::file_body::FileBody;
use crate::config::CompressionConfig;

/// A content coding folk can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    Gzip,
    Brotli,
    Zstd,
}

impl Coding {
    fn from_name(name: &str) -> Option<Coding> {
        match name {
            "gzip" => Some(Coding::Gzip),
            "br" => Some(Coding::Brotli),
            "zstd" => Some(Coding::Zstd),
            _ => None,
        }
    }

    fn token(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
            Coding::Zstd => "zstd",
        }
    }
}

/// What the request allows, read before the request is handed on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Wanted {
    /// The coding to use, if the client accepts one folk offers.
    coding: Option<Coding>,
    /// HEAD: the response says it varies, but has no body to compress.
    head: bool,
    /// Whether the request named encodings at all. One that names none (curl,
    /// wrk, a health check) gets the plain body, right for any client, so no
    /// Vary either, as static files answer it and as nginx without gzip_vary does.
    asked: bool,
}

/// `Copy`: a request's answer carries it to the worker's thread (`Requests::run_php`) without a shared count.
#[derive(Clone, Copy)]
pub(super) struct Compression {
    /// Offered codings, preferred first: the first `offering` of these.
    offered: [Coding; 3],
    offering: usize,
    min_size: u64,
    gzip: i32,
    brotli: i32,
    zstd: i32,
}

impl Compression {
    /// None when `http.compression.enabled` is off.
    pub(super) fn new(cfg: &CompressionConfig) -> Option<Self> {
        if !cfg.enabled {
            return None;
        }
        let mut offered = [Coding::Zstd; 3];
        let mut offering = 0;
        for c in cfg.algorithms.iter().filter_map(|a| Coding::from_name(a)) {
            if offering < offered.len() && !offered[..offering].contains(&c) {
                offered[offering] = c;
                offering += 1;
            }
        }
        Some(Compression {
            offered,
            offering,
            min_size: cfg.min_size,
            gzip: cfg.gzip_level as i32,
            brotli: cfg.brotli_level as i32,
            zstd: cfg.zstd_level as i32,
        })
    }

    fn offered(&self) -> &[Coding] {
        &self.offered[..self.offering]
    }

    /// What `headers` (the request's) accept.
    pub(super) fn wanted(&self, method: &Method, headers: &HeaderMap) -> Wanted {
        let all = headers.get_all(ACCEPT_ENCODING);
        let mut values = all.iter().filter_map(|v| v.to_str().ok());
        let asked = headers.contains_key(ACCEPT_ENCODING);
        let coding = match (values.next(), values.next()) {
            (None, _) => None,
            (Some(one), None) => choose(one, self.offered()),
            (Some(a), Some(b)) => choose(&[a, b].into_iter().chain(values).collect::<Vec<_>>().join(","), self.offered()),
        };
        Wanted { coding, head: method == Method::HEAD, asked }
    }

    /// The response, compressed if it may and should be.
    pub(super) fn apply(&self, wanted: Wanted, mut resp: Response<AnyBody>) -> Response<AnyBody> {
        if !wanted.asked || !self.eligible(&resp) {
            return resp;
        }
        add_vary(resp.headers_mut());
        let Some(coding) = wanted.coding.filter(|_| !wanted.head) else { return resp };
        let encoder = self.encoder(coding, known_size(&resp));
        let (mut parts, body) = resp.into_parts();
        let body = match body {
            AnyBody::Whole(Some(data)) | AnyBody::File(FileBody::Whole(Some(data))) => match whole(encoder, &data) {
                Ok(out) => AnyBody::Whole(Some(out)),
                Err(e) => {
                    tracing::error!(error = %e, "compressing a response failed; sending it as it is");
                    return Response::from_parts(parts, AnyBody::Whole(Some(data)));
                }
            },
            // PHP's flushes must reach the client as they happen; a file is one body.
            body => {
                let flush_each = matches!(body, AnyBody::Stream(_));
                AnyBody::Compressed(Box::new(Compressed { inner: body, encoder, flush_each, done: false }))
            }
        };
        let h = &mut parts.headers;
        h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding.token()));
        h.remove(CONTENT_LENGTH);
        h.remove(ACCEPT_RANGES);
        // The compressed bytes are not the ones a strong validator names
        // (nginx weakens it the same way), so a range can never be asked against them.
        if let Some(etag) = h.get(ETAG)
            && !etag.as_bytes().starts_with(b"W/")
            && let Ok(weak) = HeaderValue::from_bytes(&[b"W/", etag.as_bytes()].concat())
        {
            h.insert(ETAG, weak);
        }
        Response::from_parts(parts, body)
    }

    /// Whether the response is one to compress (for some client): a body of
    /// a compressible type, large enough, not already encoded, not a part.
    fn eligible(&self, resp: &Response<AnyBody>) -> bool {
        let status = resp.status();
        if status.is_informational() || matches!(status, StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT) {
            return false;
        }
        let h = resp.headers();
        if h.contains_key(CONTENT_ENCODING) || h.contains_key(CONTENT_RANGE) || no_transform(h) {
            return false;
        }
        if known_size(resp).is_some_and(|n| n < self.min_size) {
            return false;
        }
        if !h.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(compressible) {
            return false;
        }
        // A static file that has precompressed siblings already chose among them
        // (and said Vary): its owner decided which encodings it comes in.
        if matches!(resp.body(), AnyBody::File(_)) && varies_on_encoding(h) {
            return false;
        }
        true
    }

    /// An encoder for a body of `size` bytes, if known: brotli and zstd then
    /// get a window no larger than the body, since setting up (and zeroing) the
    /// tables of a 4 MiB window cost more than compressing a 1 KiB response.
    fn encoder(&self, coding: Coding, size: Option<u64>) -> Encoder {
        use async_compression::brotli::EncoderParams;
        use async_compression::zstd::CParameter;
        let out = Vec::with_capacity(size.map_or(1024, |n| (n as usize / 2).clamp(64, 16 << 10)));
        // The smallest power of two holding the body, within what both codecs accept.
        let log = size.map(|n| (u64::BITS - n.max(1).saturating_sub(1).leading_zeros()).clamp(10, 22));
        match (coding, log) {
            (Coding::Gzip, _) => Encoder::Gzip(GzipEncoder::with_quality(out, Level::Precise(self.gzip))),
            (Coding::Brotli, None) => Encoder::Brotli(BrotliEncoder::with_quality(out, Level::Precise(self.brotli))),
            (Coding::Brotli, Some(log)) => {
                let params = EncoderParams::default()
                    .quality(Level::Precise(self.brotli))
                    .window_size(log as i32)
                    .block_size(16)
                    .size_hint(size.unwrap_or(0) as usize);
                Encoder::Brotli(BrotliEncoder::with_params(out, params))
            }
            (Coding::Zstd, None) => Encoder::Zstd(ZstdEncoder::with_quality(out, Level::Precise(self.zstd))),
            (Coding::Zstd, Some(log)) => {
                let params = [CParameter::window_log(log), CParameter::hash_log((log + 1).min(17)), CParameter::chain_log(log.min(16))];
                Encoder::Zstd(ZstdEncoder::with_quality_and_params(out, Level::Precise(self.zstd), &params))
            }
        }
    }
}

/// The body's length, when it is known before it is sent.
fn known_size(resp: &Response<AnyBody>) -> Option<u64> {
    match resp.body() {
        AnyBody::Full(b) => b.size_hint().exact(),
        AnyBody::Whole(b) => Some(b.as_ref().map_or(0, |b| b.len() as u64)),
        AnyBody::File(_) => resp.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()),
        AnyBody::Stream(_) | AnyBody::Compressed(_) => None,
    }
}

/// The offered coding the client likes best (`offered` order breaks ties);
/// None when it accepts none of them. `*` stands for every coding not named.
pub(super) fn choose(accept_encoding: &str, offered: &[Coding]) -> Option<Coding> {
    let mut named: Vec<(String, f32)> = Vec::new();
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let name = if name == "x-gzip" { "gzip".to_string() } else { name };
        named.push((name, q));
    }
    let q_of = |c: Coding| {
        named
            .iter()
            .find(|(n, _)| n == c.token())
            .or_else(|| named.iter().find(|(n, _)| n == "*"))
            .map_or(0.0, |(_, q)| *q)
    };
    let mut best: Option<(Coding, f32)> = None;
    for &c in offered {
        let q = q_of(c);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((c, q));
        }
    }
    best.map(|(c, _)| c)
}

/// Types beyond text/*, +json and +xml that compress well.
const COMPRESSIBLE: &[&str] = &[
    "application/json",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "application/xml",
    "application/x-ndjson",
    "application/wasm",
    "application/x-www-form-urlencoded",
    "application/vnd.ms-fontobject",
    "font/ttf",
    "font/otf",
    "image/x-icon",
    "image/vnd.microsoft.icon",
    "image/bmp",
];

/// Text-like types, which compress well; images, video, archives already are compressed.
fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let starts = |p: &str| essence.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    let ends = |p: &str| essence.len() >= p.len() && essence.get(essence.len() - p.len()..).is_some_and(|s| s.eq_ignore_ascii_case(p));
    if essence.eq_ignore_ascii_case("text/event-stream") {
        // Each event must reach the client at once, and proxies and browsers expect it plain.
        return false;
    }
    starts("text/")
        || ends("+json")
        || ends("+xml")
        || COMPRESSIBLE.iter().any(|t| t.eq_ignore_ascii_case(essence))
}

fn no_transform(h: &HeaderMap) -> bool {
    h.get_all(CACHE_CONTROL).iter().any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("no-transform")))
}

fn varies_on_encoding(h: &HeaderMap) -> bool {
    h.get_all(VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim().eq_ignore_ascii_case("accept-encoding")))
    })
}

fn add_vary(h: &mut HeaderMap) {
    if !varies_on_encoding(h) {
        h.append(VARY, HeaderValue::from_static("Accept-Encoding"));
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};

    use super::*;

    const ALL: &[Coding] = &[Coding::Zstd, Coding::Brotli, Coding::Gzip];

    #[test]
    fn accept_encoding_picks_the_highest_q_and_breaks_ties_by_preference() {
        assert_eq!(choose("gzip, deflate, br, zstd", ALL), Some(Coding::Zstd));
        assert_eq!(choose("gzip, deflate, br", ALL), Some(Coding::Brotli));
        assert_eq!(choose("gzip;q=1.0, br;q=0.5", ALL), Some(Coding::Gzip));
        assert_eq!(choose("br;q=0, gzip", ALL), Some(Coding::Gzip));
        assert_eq!(choose("gzip;q=0, br;q=0, zstd;q=0", ALL), None);
        assert_eq!(choose("*;q=0.1, br;q=0", ALL), Some(Coding::Zstd));
        assert_eq!(choose("*", &[Coding::Gzip]), Some(Coding::Gzip));
        assert_eq!(choose("identity", ALL), None);
        assert_eq!(choose("", ALL), None);
        assert_eq!(choose("x-gzip", ALL), Some(Coding::Gzip));
        assert_eq!(choose("GZIP;Q=0.5", ALL), Some(Coding::Gzip));
        assert_eq!(choose("zstd", &[Coding::Gzip, Coding::Brotli]), None, "only what http.compression.algorithms offers");
    }

    #[test]
    fn only_text_like_types_are_compressible() {
        for t in ["text/html; charset=utf-8", "application/json", "application/problem+json", "image/svg+xml", "text/css"] {
            assert!(compressible(t), "{t}");
        }
        for t in ["text/event-stream", "image/png", "application/octet-stream", "application/zip", "video/mp4", ""] {
            assert!(!compressible(t), "{t}");
        }
    }

    fn compression() -> Compression {
        Compression::new(&CompressionConfig::default()).unwrap()
    }

    fn response(body: &str, content_type: &str) -> Response<AnyBody> {
        let mut r = Response::new(AnyBody::Full(Full::new(Bytes::from(body.to_string()))));
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        r
    }

    fn wants(coding: Option<Coding>) -> Wanted {
        Wanted { coding, head: false, asked: true }
    }

    async fn body(r: Response<AnyBody>) -> Vec<u8> {
        let (_, b) = r.into_parts();
        let b = match b {
            AnyBody::Compressed(c) => c.collect().await.unwrap().to_bytes(),
            AnyBody::Full(f) => f.collect().await.unwrap().to_bytes(),
            AnyBody::Whole(w) => w.unwrap_or_default(),
            _ => unreachable!(),
        };
        b.to_vec()
    }

    async fn decode(coding: Coding, data: &[u8]) -> Vec<u8> {
        use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZstdDecoder};
        use tokio::io::AsyncReadExt;
        let mut out = Vec::new();
        match coding {
            Coding::Gzip => GzipDecoder::new(data).read_to_end(&mut out).await.unwrap(),
            Coding::Brotli => BrotliDecoder::new(data).read_to_end(&mut out).await.unwrap(),
            Coding::Zstd => ZstdDecoder::new(data).read_to_end(&mut out).await.unwrap(),
        };
        out
    }

    #[tokio::test]
    async fn each_coding_round_trips_and_says_so_in_the_headers() {
        let text = "{\"hello\":\"world\"}".repeat(100);
        for &c in ALL {
            let r = compression().apply(wants(Some(c)), response(&text, "application/json"));
            assert_eq!(r.headers()[CONTENT_ENCODING], c.token());
            assert_eq!(r.headers()[VARY], "Accept-Encoding");
            assert!(!r.headers().contains_key(CONTENT_LENGTH));
            let b = body(r).await;
            assert!(b.len() < text.len() / 4, "{c:?}: {} bytes", b.len());
            assert_eq!(decode(c, &b).await, text.as_bytes(), "{c:?}");
        }
    }

    #[tokio::test]
    async fn what_must_stay_as_it_is_is_left_alone() {
        let big = "x".repeat(4096);
        let c = compression();
        let gz = wants(Some(Coding::Gzip));
        let r = c.apply(gz, response("small", "text/html"));
        assert!(!r.headers().contains_key(CONTENT_ENCODING) && !r.headers().contains_key(VARY), "below min_size");
        let r = c.apply(gz, response(&big, "image/png"));
        assert!(!r.headers().contains_key(CONTENT_ENCODING) && !r.headers().contains_key(VARY), "not compressible");
        let r = c.apply(gz, response(&big, "text/event-stream"));
        assert!(!r.headers().contains_key(CONTENT_ENCODING));
        let mut already = response(&big, "text/html");
        already.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
        let r = c.apply(gz, already);
        assert_eq!(r.headers()[CONTENT_ENCODING], "br");
        assert_eq!(body(r).await, big.as_bytes(), "never compressed twice");
        let mut part = response(&big, "text/html");
        *part.status_mut() = StatusCode::PARTIAL_CONTENT;
        assert!(!c.apply(gz, part).headers().contains_key(CONTENT_ENCODING));
        let mut nt = response(&big, "text/html");
        nt.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, no-transform"));
        assert!(!c.apply(gz, nt).headers().contains_key(CONTENT_ENCODING));
        let r = c.apply(Wanted { coding: Some(Coding::Gzip), head: true, asked: true }, response(&big, "text/html"));
        assert!(!r.headers().contains_key(CONTENT_ENCODING) && r.headers().contains_key(VARY), "HEAD: varies, not compressed");
        let r = c.apply(wants(None), response(&big, "text/html"));
        assert_eq!((r.headers().get(CONTENT_ENCODING), &r.headers()[VARY]), (None, &HeaderValue::from_static("Accept-Encoding")));
        let r = c.apply(Wanted { coding: None, head: false, asked: false }, response(&big, "text/html"));
        assert!(!r.headers().contains_key(VARY), "no Accept-Encoding at all: the plain body, right for anyone");
    }

    #[tokio::test]
    async fn a_strong_etag_becomes_weak_and_an_existing_vary_is_kept() {
        let mut r = response(&"a".repeat(1000), "text/plain");
        r.headers_mut().insert(ETAG, HeaderValue::from_static("\"abc\""));
        r.headers_mut().insert(VARY, HeaderValue::from_static("Cookie"));
        let r = compression().apply(wants(Some(Coding::Brotli)), r);
        assert_eq!(r.headers()[ETAG], "W/\"abc\"");
        let vary: Vec<_> = r.headers().get_all(VARY).iter().collect();
        assert_eq!(vary, ["Cookie", "Accept-Encoding"]);
    }

    #[tokio::test]
    async fn a_whole_body_is_compressed_at_once_and_keeps_no_encoder() {
        let text = "<p>folk</p>".repeat(2000);
        for &c in ALL {
            let mut r = Response::new(AnyBody::Whole(Some(Bytes::from(text.clone()))));
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
            let r = compression().apply(wants(Some(c)), r);
            assert_eq!(r.headers()[CONTENT_ENCODING], c.token());
            let AnyBody::Whole(Some(out)) = r.body() else { panic!("{c:?}: not compressed whole") };
            assert!(out.len() < text.len() / 10, "{c:?}: {} bytes", out.len());
            assert_eq!(decode(c, &body(r).await).await, text.as_bytes(), "{c:?}");
        }
    }

    #[test]
    fn flushed_chunks_come_out_whole_at_once() {
        for &c in ALL {
            let mut e = compression().encoder(c, None);
            let first = e.push(b"data: first chunk\n\n", true).unwrap();
            assert!(!first.is_empty(), "{c:?}: a flush emits the chunk");
            let mut all = first.to_vec();
            all.extend_from_slice(&e.push(b"second", true).unwrap());
            all.extend_from_slice(&e.finish().unwrap());
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            assert_eq!(rt.block_on(decode(c, &all)), b"data: first chunk\n\nsecond");
        }
    }
}

/// What compressing one small response costs, encoder set-up included:
/// `cargo test --release --lib -- --ignored --nocapture bench_compress_one_kib_json`.
#[cfg(test)]
mod cost {
    use super::*;

    #[test]
    #[ignore]
    fn bench_compress_one_kib_json() {
        // The shape of bench/http/app/json.php's answer (1006 bytes there).
        let items: Vec<String> = (1..=10)
            .map(|i| format!(r#"{{"id":{i},"name":"Item number {i}","price":{:.2},"in_stock":{},"tags":["bench","folk","tag-{i}"]}}"#, i as f64 * 9.99, i % 3 != 0))
            .collect();
        let body = format!(r#"{{"status":"ok","message":"Hello, World!","count":10,"items":[{}]}}"#, items.join(",")).into_bytes();
        let c = Compression::new(&CompressionConfig::default()).unwrap();
        for coding in [Coding::Gzip, Coding::Brotli, Coding::Zstd] {
            let n = 2000;
            let t = std::time::Instant::now();
            let mut sz = 0;
            for _ in 0..n {
                let mut e = c.encoder(coding, Some(body.len() as u64));
                sz = e.push(&body, false).unwrap().len();
                sz += e.finish().unwrap().len();
            }
            let per = t.elapsed() / n;
            let t = std::time::Instant::now();
            for _ in 0..n {
                let e = c.encoder(coding, Some(body.len() as u64));
                std::hint::black_box(&e);
            }
            println!("{coding:?}: {per:?} per response ({sz} bytes); construction alone {:?}", t.elapsed() / n);
        }
    }
}
