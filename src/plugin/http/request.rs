//! What one HTTP request goes through: the head and body limits, the pool
//! job, the answer, the counters and the access log. The one place the HTTP
//! plugin hands work to the pool.


use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Incoming};
use hyper::header::{CONNECTION, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use tokio::time::Instant;

use super::body::{BodyRules, Received, read_body};
use super::compress::{Compression, Wanted};
use super::any_body::AnyBody;
use super::conn::{InFlight, Tracked};
use super::budget::{ConnMemory, settle};
use super::send_clock::SLICE;
use super::host;
use super::limits::ClientLimits;
use super::proxies::Proxies;
use super::counters::HTTP_METRICS;
use super::exchange::{
    Peer, add_script, add_slash, add_spool, add_stream, error_response, head_size, into_response, payload, plain,
    take_stream_flag, too_many_requests, whole_body_len,
};
use super::resolve::{DocRoot, Refusal, Target};
use super::static_files::StaticFiles;
use super::streamed::StreamBody;
use crate::config::HttpConfig;
use crate::error::WorkError;
use crate::bridge::Value;
use crate::pool::{AbandonOnDrop, Finish, PoolHandle};
use crate::pool::spool;

/// Answers the requests of every connection of one HTTP server.
pub(super) struct Requests {
    cfg: HttpConfig,
    /// `http.trusted_proxies`, `http.compression`, `http.client_*`: the front door's rules.
    proxies: Proxies,
    compression: Option<Compression>,
    pub(super) limits: Arc<ClientLimits>,
    pool: PoolHandle,
    /// `http.root`: its files are sent by Rust; other requests go to PHP.
    site: Option<Site>,
    /// Classic mode: PHP requests run the script under the root that the URL names.
    classic: bool,
    /// `http.max_body_size`, `http.body_buffer` and where larger bodies are spooled.
    body: BodyRules,
}

/// How a request's whole answer is settled: compressed as the client accepts,
/// then kept within the connection's budget or spooled (budget.rs).
#[derive(Clone, Copy)]
struct Settling<'a> {
    wanted: Option<Wanted>,
    memory: &'a Arc<ConnMemory>,
}

/// Where a request goes (`Requests::route`).
enum Route<'a> {
    /// PHP, with the script classic mode runs (None: the worker's own routing).
    Php(Option<(PathBuf, String, String)>),
    /// A file under the site's root, sent by Rust.
    File(&'a Site, PathBuf),
    /// A directory named without its trailing slash: a 301 to this path.
    AddSlash(String),
    Refused(Refusal),
}

/// What `http.direct` serves itself (`Requests::direct_plain`).
pub(super) enum Plain<'a> {
    /// PHP, on a worker's thread.
    Php,
    /// A static file, on the I/O thread (direct_files.rs).
    File(&'a StaticFiles, PathBuf),
}

/// The document root and how its static files are sent.
pub(super) struct Site {
    pub(super) root: DocRoot,
    pub(super) files: StaticFiles,
}

impl Requests {
    pub(super) fn new(cfg: HttpConfig, pool: PoolHandle, site: Option<Site>, classic: bool, body: BodyRules) -> Self {
        Requests {
            body,
            proxies: Proxies::new(cfg.trusted_proxies.clone()),
            compression: Compression::new(&cfg.compression),
            limits: ClientLimits::new(cfg.client_connections, cfg.client_rate),
            cfg,
            pool,
            site,
            classic,
        }
    }

    /// Whether `ip` is one of `http.trusted_proxies`.
    pub(super) fn trusts(&self, ip: std::net::IpAddr) -> bool {
        self.proxies.trusts(ip)
    }

    /// The response to one request, counted and logged; `in_flight` goes
    /// with the response body, so the connection's clocks wait until it is sent.
    pub(super) async fn handle(&self, mut req: Request<Incoming>, peer: &Peer, in_flight: InFlight) -> Response<Tracked> {
        let started = Instant::now();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let h1 = req.version() < Version::HTTP_2;
        // Who the client is (behind a trusted proxy: `payload` reads it from the extensions) and what it accepts.
        let origin = self.proxies.origin(peer.addr, peer.tls, req.headers());
        let client = origin.as_ref().map_or(peer.addr.ip(), |o| o.ip);
        let remote = match &origin {
            Some(o) if self.cfg.access_log => o.remote.clone(),
            _ => String::new(),
        };
        if let Some(o) = origin {
            req.extensions_mut().insert(o);
        }
        let wanted = self.compression.as_ref().map(|c| c.wanted(&method, req.headers()));
        let (mut resp, close) = match self.limits.request(client, started) {
            Err(wait) => {
                tracing::debug!(client = %client, "http.client_rate exceeded; answered 429");
                (too_many_requests(wait).map(AnyBody::Full), false)
            }
            Ok(()) => self.respond(req, peer, method.as_str(), &path, Settling { wanted, memory: in_flight.memory() }).await,
        };
        // PHP's answers come compressed and settled from the worker's thread
        // (`run_php`); for them both steps find nothing left to do.
        if let (Some(c), Some(w)) = (&self.compression, wanted) {
            resp = c.apply(w, resp);
        }
        resp = settle(resp, in_flight.memory(), method == Method::HEAD);
        if close && h1 {
            resp.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        }
        let status = resp.status().as_u16();
        let remote = if remote.is_empty() { peer.remote.as_str() } else { remote.as_str() };
        self.observe(method.as_str(), &path, status, started.elapsed(), remote);
        resp.map(|body| in_flight.until_sent(body))
    }

    /// Counts one answered request, and logs it under `http.access_log`.
    pub(super) fn observe(&self, method: &str, path: &str, status: u16, took: std::time::Duration, remote: &str) {
        HTTP_METRICS.observe(status, took);
        if self.cfg.access_log {
            tracing::info!(
                method = %method,
                path = %path,
                status,
                duration_ms = took.as_secs_f64() * 1000.0,
                remote = %remote,
                "{method} {path} {status}"
            );
        }
    }

    /// The payload of a request `http.direct` serves on a worker's thread,
    /// if nothing but PHP answers it; None leaves it to hyper's path (which
    /// then applies the rules this one would not: client_rate, compression,
    /// the head limit's 431, the Host rules' 400, static files).
    pub(super) fn direct_payload(&self, mut req: Request<Vec<u8>>, peer: &Peer) -> Option<Value> {
        let script = self.direct_script(&mut req)?;
        if let Some(o) = self.proxies.origin(peer.addr, peer.tls, req.headers()) {
            req.extensions_mut().insert(o);
        }
        let (parts, body) = req.into_parts();
        let mut job = payload(&parts, body, peer);
        if let (Some((filename, name, path_info)), Some(site)) = (script, &self.site) {
            add_script(&mut job, &filename, &name, &path_info, site.root.path());
        }
        add_stream(&mut job, self.cfg.send_timeout);
        Some(job)
    }

    /// Whether only PHP answers `req` (as `direct_payload` needs), and with
    /// which script; None: hyper's path has more to do with it. Settles its Host.
    pub(super) fn direct_script<B>(&self, req: &mut Request<B>) -> Option<Option<(PathBuf, String, String)>> {
        match self.direct_route(req)? {
            Route::Php(script) => Some(script),
            _ => None,
        }
    }

    /// What `http.direct` serves of a plain request without hyper: PHP (as
    /// `direct_script`) or, for a GET without a body, a static file; None
    /// leaves it to hyper's path.
    pub(super) fn direct_plain(&self, req: &mut Request<Vec<u8>>) -> Option<Plain<'_>> {
        match self.direct_route(req)? {
            Route::Php(_) => Some(Plain::Php),
            Route::File(site, file) if req.method() == Method::GET && req.body().is_empty() => Some(Plain::File(&site.files, file)),
            _ => None,
        }
    }

    /// Where a request `http.direct` may serve goes, once no rule of
    /// hyper's path applies to it (client_rate, compression the client
    /// accepts, the head limit's 431, the Host rules' 400). Settles its Host.
    fn direct_route<B>(&self, req: &mut Request<B>) -> Option<Route<'_>> {
        if self.cfg.client_rate > 0
            || (self.compression.is_some() && req.headers().contains_key(hyper::header::ACCEPT_ENCODING))
            || head_size(req) > self.cfg.max_header_size
        {
            return None;
        }
        let (version, uri) = (req.version(), req.uri().clone());
        host::settle(version, &uri, req.headers_mut()).ok()?;
        Some(self.route(uri.path()))
    }

    /// Where a request for `path` goes: to PHP (with the script classic
    /// mode runs, if the site names one), or to what Rust answers itself.
    fn route(&self, path: &str) -> Route<'_> {
        let Some(site) = &self.site else { return Route::Php(None) };
        match site.root.resolve(path) {
            Target::Script { filename, script_name, path_info } => Route::Php(Some((filename, script_name, path_info))),
            // Worker mode: the application routes everything that is not a
            // file, as the front controller (nginx's try_files … /index.php).
            Target::AddSlash(_) | Target::Refused(_) if !self.classic => match site.root.front_controller() {
                Target::Script { filename, script_name, path_info } => Route::Php(Some((filename, script_name, path_info))),
                _ => Route::Php(None),
            },
            Target::Static(file) => Route::File(site, file),
            Target::AddSlash(location) => Route::AddSlash(location),
            Target::Refused(why) => Route::Refused(why),
        }
    }

    /// The response, and whether the connection must close after it (the
    /// request body may be left unread).
    async fn respond(
        &self,
        mut req: Request<Incoming>,
        peer: &Peer,
        method: &str,
        path: &str,
        settling: Settling<'_>,
    ) -> (Response<AnyBody>, bool) {
        if head_size(&req) > self.cfg.max_header_size {
            tracing::debug!(method, path, limit = self.cfg.max_header_size, "request head larger than http.max_header_size");
            return (plain(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).map(AnyBody::Full), true);
        }
        let (version, uri) = (req.version(), req.uri().clone());
        if let Err(why) = host::settle(version, &uri, req.headers_mut()) {
            tracing::debug!(method, path, "request refused: {why}");
            return (plain(StatusCode::BAD_REQUEST).map(AnyBody::Full), true);
        }
        let script = match self.route(path) {
            Route::Php(script) => script,
            Route::File(site, file) => {
                // A file under the root: no PHP. Its request body is never read,
                // so a request that has one closes the connection after the answer.
                let close = !req.body().is_end_stream();
                return (site.files.respond(&file, req.method(), req.headers(), settling.memory).map(AnyBody::File), close);
            }
            Route::AddSlash(location) => return (add_slash(&location, req.uri().query()).map(AnyBody::Full), false),
            Route::Refused(why) => {
                tracing::debug!(method, path, status = why.status().as_u16(), "request path refused");
                return (plain(why.status()).map(AnyBody::Full), false);
            }
        };
        self.run_php(req, peer, method, path, script, settling).await
    }

    /// The request as a pool job, answered by the PHP handler.
    async fn run_php(
        &self,
        req: Request<Incoming>,
        peer: &Peer,
        method: &str,
        path: &str,
        script: Option<(PathBuf, String, String)>,
        settling: Settling<'_>,
    ) -> (Response<AnyBody>, bool) {
        let head = req.method() == Method::HEAD;
        let full = |(r, close): (Response<Full<Bytes>>, bool)| (r.map(AnyBody::Full), close);
        let max = self.cfg.max_body_size;
        // Content-Length is known before any body byte is read: refuse at once.
        if req.body().size_hint().lower() > max {
            tracing::debug!(method, path, limit = max, "request body larger than http.max_body_size");
            return full((plain(StatusCode::PAYLOAD_TOO_LARGE), true));
        }
        let (parts, body) = req.into_parts();
        let body = match read_body(body, &self.body).await {
            Ok(b) => b,
            Err(status) => {
                tracing::debug!(method, path, status = status.as_u16(), "request body refused");
                return full((plain(status), true));
            }
        };
        // A spooled body waits for the job under this ticket, which closes the
        // file with this future unless PHP claimed it (then the request does).
        let (body, spooled) = match body {
            Received::Memory(b) => (b, None),
            Received::Spooled(file) => (Vec::new(), Some(spool::offer(file))),
        };
        let mut job = payload(&parts, body, peer);
        if let Some(ticket) = &spooled {
            add_spool(&mut job, ticket.id());
        }
        if let (Some((filename, name, path_info)), Some(site)) = (script, &self.site) {
            add_script(&mut job, &filename, &name, &path_info, site.root.path());
        }
        // A PHP request (classic mode, or handleRequest() in worker mode) may
        // stream its body: the PHP side then opens the stream and leaves its
        // receiving end in the reply (serve() handlers never do).
        add_stream(&mut job, self.cfg.send_timeout);
        let answer = Arc::new(Answer {
            compression: self.compression.zip(settling.wanted),
            memory: settling.memory.clone(),
            head,
            made: Mutex::new(None),
        });
        let mut streamed_reply = None;
        let result = match self.pool.submit_finished("http".to_string(), job, answer.clone()) {
            // hyper drops this future when the client leaves: a job still queued then is dropped unrun.
            Ok(reply) => {
                streamed_reply = Some(reply.clone());
                AbandonOnDrop::new(reply).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(mut v) => {
                if let Some(made) = answer.take() {
                    return match made {
                        Ok(r) => (r, false),
                        Err(why) => {
                            tracing::error!(method, path, "the HTTP handler returned something that is not a response: {why}");
                            full((plain(StatusCode::INTERNAL_SERVER_ERROR), false))
                        }
                    };
                }
                let streamed = take_stream_flag(&mut v);
                match into_response(v) {
                    Ok(r) if streamed => match streamed_reply.and_then(|reply| reply.take_stream()) {
                        Some(rx) => (r.map(|_| AnyBody::Stream(StreamBody::new(rx))), false),
                        None => {
                            tracing::error!(method, path, "a streamed head came without its stream");
                            full((plain(StatusCode::INTERNAL_SERVER_ERROR), false))
                        }
                    },
                    Ok(r) => (r.map(|b| AnyBody::Whole(Some(b))), false),
                    Err(why) => {
                        tracing::error!(method, path, "the HTTP handler returned something that is not a response: {why}");
                        full((plain(StatusCode::INTERNAL_SERVER_ERROR), false))
                    }
                }
            }
            Err(e) => {
                match &e {
                    WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method, path, error = %e, "request refused"),
                    _ => tracing::error!(method, path, error = %e, "request failed"),
                }
                full((error_response(&e), false))
            }
        }
    }
}

/// A request's whole answer as the worker's thread settles it (`pool::Finish`),
/// if it is large: turned into the response, compressed and settled against
/// `http.response_buffer` (kept in memory, or written to an unnamed temporary
/// file). So a burst of large answers is written to disk by the threads that
/// made them, as fast as the disk takes it, and freed by them, instead of
/// piling up for the one I/O thread. A streamed head (classic mode,
/// `handleRequest()`) and an answer of up to one `SLICE` (never spooled) are
/// left to the I/O thread. One allocation a request: the I/O thread reads
/// the result from the same object.
struct Answer {
    compression: Option<(Compression, Wanted)>,
    memory: Arc<ConnMemory>,
    head: bool,
    /// The response made, or why the value was not one.
    made: Mutex<Option<Result<Response<AnyBody>, String>>>,
}

impl Finish for Answer {
    fn finish(&self, v: &mut Value) {
        if whole_body_len(v).is_none_or(|n| n <= SLICE) {
            return;
        }
        let made = into_response(std::mem::replace(v, Value::Null)).map(|r| {
            let mut r = r.map(|b| AnyBody::Whole(Some(b)));
            if let Some((c, w)) = self.compression {
                r = c.apply(w, r);
            }
            settle(r, &self.memory, self.head)
        });
        *self.made.lock().unwrap_or_else(|e| e.into_inner()) = Some(made);
    }
}

impl Answer {
    fn take(&self) -> Option<Result<Response<AnyBody>, String>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
