//! The HTTP plugin: hyper serves HTTP/1.1 and h2c on the server's runtime and hands
//! each request to a PHP worker through the pool; with `http.direct` (the default) a
//! plain HTTP/1.1 request is read and answered by the idle worker itself (direct.rs),
//! and hyper keeps everything else. Either way slow clients never hold a worker: a
//! request is run only once it is whole, and an answer the client does not take at
//! once is finished from the I/O thread. This file boots and stops it; its parts are below.

mod any_body;
pub(crate) mod body;
mod budget;
mod compress;
mod compressed_body;
mod conn;
pub(crate) mod counters;
mod direct;
mod direct_answer;
mod direct_conns;
mod direct_files;
mod direct_send;
mod direct_wire;
mod file_body;
mod file_cache;
pub(crate) mod disk;
pub(crate) mod exchange;
mod host;
mod limits;
mod proxies;
mod raw_target;
mod request;
mod resolve;
mod send_clock;
mod server;
mod static_files;
mod streamed;
pub(crate) mod tls;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use counters::HTTP_METRICS;

use super::net::{Running, bind};
use super::{Plugin, PluginContext};
use crate::config::HttpConfig;
use body::BodyRules;
use disk::DiskThreads;
use request::{Requests, Site};
use resolve::DocRoot;
use server::Server;
use static_files::StaticFiles;
use tls::Tls;

/// Threads that write request bodies over `http.body_buffer` to disk (see `disk`).
const DISK_THREADS: usize = 2;

pub struct HttpPlugin {
    cfg: HttpConfig,
    /// Classic mode (no worker script): see `Requests`.
    classic: bool,
    addr: Option<SocketAddr>,
    running: Option<Running>,
    /// The SIGHUP certificate reload and `http.tls.redirect_listen`, under TLS.
    tls_running: Option<Running>,
    /// Where bodies over `http.body_buffer` are written (PHP's upload directory).
    body_dir: PathBuf,
}

impl HttpPlugin {
    pub fn new(cfg: HttpConfig, classic: bool) -> Self {
        HttpPlugin { cfg, classic, addr: None, running: None, tls_running: None, body_dir: std::env::temp_dir() }
    }

    /// Request bodies over `http.body_buffer` go to temporary files in `dir`
    /// (the server passes PHP's upload directory; the system's by default).
    pub fn with_body_dir(mut self, dir: PathBuf) -> Self {
        self.body_dir = dir;
        self
    }

    /// The document root and its static-file rules, if `http.root` is set.
    fn site(&self) -> Result<Option<Site>, String> {
        let Some(root) = &self.cfg.root else { return Ok(None) };
        let c = &self.cfg;
        let root = DocRoot::new(root, &c.front_controller, &c.php_extensions, c.allow_dotfiles)
            .map_err(|e| format!("http.root {}: {e}", root.display()))?;
        let cache_control = match &c.static_cache_control {
            Some(v) => Some(
                hyper::header::HeaderValue::from_str(v)
                    .map_err(|_| format!("http.static.cache_control: not a valid header value: {v:?}"))?,
            ),
            None => None,
        };
        tracing::info!(root = %root.path().display(), "static files served from http.root");
        Ok(Some(Site { root, files: StaticFiles { cache_control, precompressed: c.static_precompressed, cache: Default::default() } }))
    }
}

impl Plugin for HttpPlugin {
    fn name(&self) -> &'static str {
        "http"
    }

    /// The bound address (useful with port 0); None before boot.
    fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let site = self.site()?;
        let tls = Tls::from_config(&self.cfg.tls)?.map(Arc::new);
        let (listener, addr) = bind(self.cfg.listen, &ctx.runtime)?;
        let redirect = match (&tls, self.cfg.tls.redirect_listen) {
            (Some(_), Some(at)) => Some(bind(at, &ctx.runtime)?),
            _ => None,
        };
        let stale = body::sweep(&self.body_dir);
        if stale > 0 {
            tracing::info!(dir = %self.body_dir.display(), files = stale, "removed request body files a crashed server left behind");
        }
        let c = &self.cfg;
        let disk = DiskThreads::new(DISK_THREADS);
        let body = BodyRules { max: c.max_body_size, buffer: c.body_buffer, idle: c.idle_timeout, dir: self.body_dir.clone(), disk };
        let requests = Requests::new(self.cfg.clone(), ctx.pool.clone(), site, self.classic, body);
        let server = Arc::new(Server::new(self.cfg.clone(), requests, tls.clone()));
        if self.cfg.direct {
            let _enter = ctx.runtime.enter();
            server.serve_on_workers(&ctx.pool)?;
        }
        let (shutdown, grace) = (ctx.shutdown.clone(), ctx.shutdown_timeout);
        // Beyond shutdown_timeout the server aborts what is left, which takes a moment more.
        let wait = grace + Duration::from_secs(2);
        self.running = Some(Running::spawn(&ctx.runtime, wait, move |stop| server.run(listener, shutdown, stop, grace)));
        self.addr = Some(addr);
        let Some(tls) = tls else {
            tracing::info!(listen = %addr, "HTTP server listening on http://{addr}");
            return Ok(());
        };
        tracing::info!(listen = %addr, "HTTPS server listening on https://{addr} (HTTP/2 and HTTP/1.1); SIGHUP re-reads the certificate");
        let shutdown = ctx.shutdown.clone();
        let reloads = ctx.reloads.clone();
        if let Some((_, at)) = &redirect {
            tracing::info!(listen = %at, "plain HTTP on http://{at} redirects to https");
        }
        self.tls_running = Some(Running::spawn(&ctx.runtime, Duration::from_secs(3), move |stop| async move {
            let reload = tls.reload_on_sighup(reloads, stop.clone());
            match redirect {
                Some((listener, _)) => {
                    tokio::join!(reload, tls::redirect(listener, addr.port(), shutdown, stop));
                }
                None => reload.await,
            }
        }));
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.tls_running.take() {
            r.stop_and_wait("HTTPS redirect");
        }
        if let Some(r) = self.running.take() {
            r.stop_and_wait("HTTP");
        }
    }
}
