//! Static files under `http.root`, sent by Rust without touching PHP, as
//! nginx would: `Content-Type` from the extension, `ETag` and `Last-Modified`
//! with `If-None-Match`/`If-Modified-Since` → 304, one `Range` → 206 (or
//! 416), `HEAD`, precompressed `.br`/`.zst`/`.gz` siblings when the client
//! accepts them, and `Cache-Control` as configured.
//!
//! Small files are read whole (one `read` from the page cache, on the I/O
//! thread) when the connection's `http.response_buffer` has room; larger ones,
//! and small ones past the budget, stream in chunks read when hyper asks, so a
//! download never sits in memory whatever the client does.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use hyper::header::{
    ACCEPT_ENCODING, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG,
    HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, LAST_MODIFIED, RANGE, VARY,
};
use hyper::{Method, Response, StatusCode};
use std::sync::Arc;

use super::budget::{ConnMemory, kept};
use super::file_body::{FileBody, FileStream};
use super::file_cache::{FileCache, MAX_FILE};

/// Files up to this size are read whole (budget permitting); larger ones are streamed.
const READ_WHOLE: u64 = 256 << 10;

/// Precompressed siblings, in the order they are preferred.
const ENCODINGS: &[(&str, &str)] = &[("br", "br"), ("zstd", "zst"), ("gzip", "gz")];

/// How static files are answered (the `http.static.*` options).
#[derive(Debug, Clone, Default)]
pub struct StaticFiles {
    /// `Cache-Control` value sent with every static file, if any.
    pub cache_control: Option<HeaderValue>,
    /// Look for `.br`/`.zst`/`.gz` siblings.
    pub precompressed: bool,
    /// Small files' bytes, kept while they are unchanged.
    pub cache: Arc<FileCache>,
}

impl StaticFiles {
    /// The response for a GET or HEAD of `path` (a regular file, already
    /// resolved under the root). Other methods get 405.
    pub fn respond(&self, path: &Path, method: &Method, headers: &HeaderMap, memory: &Arc<ConnMemory>) -> Response<FileBody> {
        if method != Method::GET && method != Method::HEAD {
            let mut r = status(StatusCode::METHOD_NOT_ALLOWED);
            r.headers_mut().insert(hyper::header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return r;
        }
        match self.try_respond(path, method == Method::HEAD, headers, memory) {
            Ok(r) => r,
            Err(e) if e.kind() == io::ErrorKind::NotFound => status(StatusCode::NOT_FOUND),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => status(StatusCode::FORBIDDEN),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot read a static file");
                status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    fn try_respond(&self, path: &Path, head: bool, req: &HeaderMap, memory: &Arc<ConnMemory>) -> io::Result<Response<FileBody>> {
        let content_type = content_type(path);
        // Siblings are looked for only when the client names encodings: a response to one that
        // names none (curl, wrk) is the plain file, right for any client, so it needs no Vary.
        let asks = self.precompressed && req.contains_key(ACCEPT_ENCODING);
        let Siblings { best: (sibling, encoding), any: has_siblings } =
            if asks { Siblings::of(path, req) } else { Siblings { best: (None, None), any: false } };
        let target = sibling.as_deref().unwrap_or(path);
        let (source, meta) = match self.cache.get(target)? {
            (meta, Some(data)) => (Source::Kept(data), meta),
            // Opened, and its metadata taken from the open file: the bytes read are the ones described.
            _ => {
                let file = File::open(target)?;
                let meta = file.metadata()?;
                (Source::Open(file), meta)
            }
        };
        if !meta.is_file() {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
        let size = meta.len();
        let validators = Validators::of(&meta);

        let mut resp = Response::new(FileBody::Empty);
        let h = resp.headers_mut();
        h.insert(CONTENT_TYPE, content_type);
        if let Some(v) = &validators {
            h.insert(ETAG, v.etag.clone());
            h.insert(LAST_MODIFIED, v.last_modified.clone());
        }
        if let Some(cc) = &self.cache_control {
            h.insert(CACHE_CONTROL, cc.clone());
        }
        if has_siblings {
            h.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        if let Some(enc) = encoding {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(enc));
        }
        h.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));

        if let Some(v) = &validators
            && v.not_modified(req)
        {
            *resp.status_mut() = StatusCode::NOT_MODIFIED;
            resp.headers_mut().remove(CONTENT_TYPE);
            return Ok(resp);
        }

        let range = match req.get(RANGE).and_then(|r| r.to_str().ok()) {
            Some(r) if validators.as_ref().is_none_or(|v| v.if_range_holds(req)) => parse_range(r, size),
            _ => RangeAsked::Whole,
        };
        let (start, len) = match range {
            RangeAsked::Whole => (0, size),
            RangeAsked::Part { start, len } => {
                *resp.status_mut() = StatusCode::PARTIAL_CONTENT;
                let end = start + len - 1;
                resp.headers_mut().insert(CONTENT_RANGE, header(format!("bytes {start}-{end}/{size}")));
                (start, len)
            }
            RangeAsked::Unsatisfiable => {
                *resp.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
                let h = resp.headers_mut();
                h.insert(CONTENT_RANGE, header(format!("bytes */{size}")));
                h.remove(CONTENT_TYPE);
                h.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                return Ok(resp);
            }
        };
        resp.headers_mut().insert(CONTENT_LENGTH, header(len.to_string()));
        if head || len == 0 {
            return Ok(resp);
        }
        let held = if len <= READ_WHOLE { memory.hold(len as usize) } else { None };
        let Some(held) = held else {
            let file = match source {
                Source::Open(file) => file,
                Source::Kept(_) => File::open(target)?,
            };
            *resp.body_mut() = FileBody::Stream(FileStream::new(file, start, len));
            return Ok(resp);
        };
        let span = start as usize..(start + len) as usize;
        let part = match source {
            Source::Kept(all) => all.slice(span),
            // Small: read whole once, and kept for the next requests.
            Source::Open(file) if size <= MAX_FILE => {
                let all = read_part(file, 0, size)?;
                self.cache.put(target, &meta, &all);
                all.slice(span)
            }
            Source::Open(file) => read_part(file, start, len)?,
        };
        *resp.body_mut() = FileBody::Whole(Some(kept(part, held)));
        Ok(resp)
    }
}

/// Where a static file's bytes come from: kept in memory (file_cache.rs), or the open file.
enum Source {
    Kept(Bytes),
    Open(File),
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

/// A static file's precompressed siblings, each looked up once.
struct Siblings {
    /// The best one the client accepts, and its encoding.
    best: (Option<PathBuf>, Option<&'static str>),
    /// Whether there is any (the response then varies with Accept-Encoding).
    any: bool,
}

impl Siblings {
    fn of(path: &Path, req: &HeaderMap) -> Siblings {
        let accepted = req.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
        let mut found = Siblings { best: (None, None), any: false };
        for (encoding, suffix) in ENCODINGS {
            let sibling = sibling(path, suffix);
            // A link could lead anywhere: only a real file beside the original counts.
            if !fs::symlink_metadata(&sibling).is_ok_and(|m| m.is_file()) {
                continue;
            }
            found.any = true;
            if found.best.0.is_none() && accepts(&accepted, encoding) {
                found.best = (Some(sibling), Some(encoding));
            }
        }
        found
    }
}

/// Whether an `Accept-Encoding` value accepts `encoding` (q-values honoured, `*` counts).
fn accepts(header: &str, encoding: &str) -> bool {
    let mut star = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(encoding) {
            return q > 0.0;
        }
        if name == "*" {
            star = Some(q > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// The type from the file's extension, without a `charset` parameter, as nginx
/// sends it with its default `charset off`: folk cannot know a file's encoding,
/// and a wrong charset would override the one the file declares (`@charset`, `<meta>`).
fn content_type(path: &Path) -> HeaderValue {
    HeaderValue::from_str(mime_guess::from_path(path).first_or_octet_stream().essence_str())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn header(s: String) -> HeaderValue {
    HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static(""))
}

fn status(code: StatusCode) -> Response<FileBody> {
    let mut r = Response::new(FileBody::Empty);
    *r.status_mut() = code;
    r
}

/// `ETag` and `Last-Modified` of one file version.
struct Validators {
    etag: HeaderValue,
    last_modified: HeaderValue,
    modified_secs: u64,
}

impl Validators {
    fn of(meta: &Metadata) -> Option<Validators> {
        let modified = meta.modified().ok()?;
        let since = modified.duration_since(UNIX_EPOCH).ok()?;
        Some(Validators {
            // Size and modification time, as nginx builds its ETag (plus nanoseconds).
            etag: header(format!("\"{:x}-{:x}{:x}\"", meta.len(), since.as_secs(), since.subsec_nanos())),
            last_modified: header(httpdate::fmt_http_date(modified)),
            modified_secs: since.as_secs(),
        })
    }

    /// RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since.
    fn not_modified(&self, req: &HeaderMap) -> bool {
        let etag = self.etag.as_bytes();
        let inm: Vec<&HeaderValue> = req.get_all(IF_NONE_MATCH).iter().collect();
        if !inm.is_empty() {
            return inm.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == etag
            });
        }
        req.get(IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|t: SystemTime| t.duration_since(UNIX_EPOCH).ok())
            .is_some_and(|since| self.modified_secs <= since.as_secs())
    }

    /// If-Range: the range applies only to the version the client has.
    fn if_range_holds(&self, req: &HeaderMap) -> bool {
        match req.get(IF_RANGE) {
            None => true,
            Some(v) => v == self.etag || v == self.last_modified,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum RangeAsked {
    Whole,
    Part { start: u64, len: u64 },
    Unsatisfiable,
}

/// One `bytes=` range (`a-b`, `a-`, `-n`). Several ranges or a malformed
/// header are answered with the whole file, which RFC 9110 §14.2 allows.
fn parse_range(header: &str, size: u64) -> RangeAsked {
    let Some(spec) = header.trim().strip_prefix("bytes=") else { return RangeAsked::Whole };
    if spec.contains(',') {
        return RangeAsked::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else { return RangeAsked::Whole };
    let (a, b) = (a.trim(), b.trim());
    let parse = |s: &str| s.parse::<u64>().ok();
    let (start, end) = match (a.is_empty(), b.is_empty()) {
        (true, true) => return RangeAsked::Whole,
        (true, false) => {
            let Some(n) = parse(b) else { return RangeAsked::Whole };
            if n == 0 || size == 0 {
                return RangeAsked::Unsatisfiable;
            }
            (size.saturating_sub(n), size - 1)
        }
        (false, _) => {
            let Some(start) = parse(a) else { return RangeAsked::Whole };
            let end = if b.is_empty() { size.saturating_sub(1) } else {
                match parse(b) {
                    Some(e) if e >= start => e.min(size.saturating_sub(1)),
                    _ => return RangeAsked::Whole,
                }
            };
            if start >= size {
                return RangeAsked::Unsatisfiable;
            }
            (start, end)
        }
    };
    RangeAsked::Part { start, len: end - start + 1 }
}

fn read_part(mut file: File, start: u64, len: u64) -> io::Result<Bytes> {
    use std::io::{Seek, SeekFrom};
    if start > 0 {
        file.seek(SeekFrom::Start(start))?;
    }
    let mut buf = BytesMut::zeroed(len as usize);
    file.read_exact(&mut buf)?;
    Ok(buf.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_like_rfc_9110() {
        assert_eq!(parse_range("bytes=0-9", 100), RangeAsked::Part { start: 0, len: 10 });
        assert_eq!(parse_range("bytes=90-", 100), RangeAsked::Part { start: 90, len: 10 });
        assert_eq!(parse_range("bytes=-10", 100), RangeAsked::Part { start: 90, len: 10 });
        assert_eq!(parse_range("bytes=-1000", 100), RangeAsked::Part { start: 0, len: 100 });
        assert_eq!(parse_range("bytes=50-1000", 100), RangeAsked::Part { start: 50, len: 50 });
        assert_eq!(parse_range("bytes=100-", 100), RangeAsked::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), RangeAsked::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 100), RangeAsked::Whole);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), RangeAsked::Whole);
        assert_eq!(parse_range("items=0-1", 100), RangeAsked::Whole);
        assert_eq!(parse_range("bytes=x-1", 100), RangeAsked::Whole);
    }

    #[test]
    fn accept_encoding_honours_q_values() {
        assert!(accepts("gzip, br", "br"));
        assert!(accepts("gzip;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0", "gzip"));
        assert!(!accepts("br;q=0, *", "br"));
        assert!(accepts("*", "zstd"));
        assert!(!accepts("*;q=0", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn content_type_has_no_charset_as_nginx_sends_it() {
        assert_eq!(content_type(Path::new("/r/site.css")), "text/css");
        assert_eq!(content_type(Path::new("/r/notes.txt")), "text/plain");
        assert_eq!(content_type(Path::new("/r/page.html")), "text/html");
        assert_eq!(content_type(Path::new("/r/data.json")), "application/json");
        assert_eq!(content_type(Path::new("/r/logo.png")), "image/png");
        assert_eq!(content_type(Path::new("/r/no-extension")), "application/octet-stream");
    }
}
