//! The FastCGI plugin: folk in php-fpm's place behind the web server a site
//! already has (nginx's `fastcgi_pass`, Apache's `mod_proxy_fcgi`, Caddy's
//! `php_fastcgi`), on a TCP port or a unix socket, alongside `http.listen` or
//! alone. Classic mode runs the script the web server names, with the CGI
//! variables it sent, as php-fpm does; worker mode hands the request to the
//! worker script. The HTTP front's limits, timeouts and abandoned-request
//! rule apply. This file binds and stops it; the parts are below.

mod answer;
mod conn;
pub mod counters;
mod pathinfo;
mod record;
mod request;

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, UnixListener};
use tokio::sync::{Semaphore, watch};

use super::net::{Connections, Running, bind, flipped, stopped};
use super::{Plugin, PluginContext};
use crate::config::{FastcgiConfig, HttpConfig, Listen};
use crate::error::fmt_duration;
use crate::plugin::http::body::{BodyRules, sweep};
use crate::plugin::http::disk::DiskThreads;
use conn::Front;
pub use counters::FASTCGI_METRICS;

pub struct FastcgiPlugin {
    cfg: FastcgiConfig,
    /// The limits and timeouts: the HTTP section's.
    http: HttpConfig,
    classic: bool,
    body_dir: PathBuf,
    running: Option<Running>,
    /// A unix socket this plugin made (its path and inode), removed at shutdown.
    socket: Option<(PathBuf, u64)>,
}

impl FastcgiPlugin {
    pub fn new(cfg: FastcgiConfig, http: HttpConfig, classic: bool) -> Self {
        FastcgiPlugin { cfg, http, classic, body_dir: std::env::temp_dir(), running: None, socket: None }
    }

    /// Request bodies over `http.body_buffer` go to temporary files in `dir`.
    pub fn with_body_dir(mut self, dir: PathBuf) -> Self {
        self.body_dir = dir;
        self
    }
}

/// A bound FastCGI listener.
enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener),
}

impl Plugin for FastcgiPlugin {
    fn name(&self) -> &'static str {
        "fastcgi"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let Some(listen) = self.cfg.listen.clone() else { return Ok(()) };
        let listener = match &listen {
            Listen::Tcp(addr) => Listener::Tcp(bind(*addr, &ctx.runtime)?.0),
            Listen::Unix(path) => {
                let _in_runtime = ctx.runtime.enter();
                let l = bind_unix(path, self.cfg.socket_mode)?;
                self.socket = std::fs::symlink_metadata(path).ok().map(|m| (path.clone(), m.ino()));
                Listener::Unix(l)
            }
        };
        let shown = match &listener {
            Listener::Tcp(l) => l.local_addr().map_or_else(|_| listen.to_string(), |a| a.to_string()),
            Listener::Unix(_) => listen.to_string(),
        };
        let stale = sweep(&self.body_dir);
        if stale > 0 {
            tracing::info!(dir = %self.body_dir.display(), files = stale, "removed request body files a crashed server left behind");
        }
        let c = &self.http;
        let body = BodyRules {
            max: c.max_body_size,
            buffer: c.body_buffer,
            idle: c.idle_timeout,
            dir: self.body_dir.clone(),
            disk: DiskThreads::new(2),
        };
        let front = Arc::new(Front { pool: ctx.pool.clone(), classic: self.classic, cfg: self.http.clone(), body });
        let (shutdown, grace) = (ctx.shutdown.clone(), ctx.shutdown_timeout);
        let wait = grace + Duration::from_secs(2);
        self.running = Some(Running::spawn(&ctx.runtime, wait, move |stop| accept_loop(listener, front, shutdown, stop, grace)));
        tracing::info!(listen = %shown, classic = self.classic, "FastCGI server listening on {shown}");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop_and_wait("FastCGI");
        }
        // Only the socket this server made: another server may have replaced it meanwhile.
        if let Some((path, ino)) = self.socket.take()
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.ino() == ino)
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Binds a unix socket at `path` with `mode`. A socket file left behind by
/// a server no longer running is replaced; one a live server answers on is not.
fn bind_unix(path: &Path, mode: u32) -> Result<UnixListener, String> {
    let fail = |e: std::io::Error| format!("cannot listen on unix:{}: {}", path.display(), super::net::io_reason(&e));
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(format!("cannot listen on unix:{}: the path exists and is not a socket", path.display()));
        }
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(format!("cannot listen on unix:{}: another server is listening there", path.display()));
        }
        std::fs::remove_file(path).map_err(fail)?;
    }
    let listener = UnixListener::bind(path).map_err(fail)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(fail)?;
    Ok(listener)
}

async fn accept_loop(listener: Listener, front: Arc<Front>, mut shutdown: watch::Receiver<bool>, mut stop: watch::Receiver<bool>, grace: Duration) {
    let conns = Connections::new();
    let slots = Arc::new(Semaphore::new(front.cfg.max_connections.max(1)));
    loop {
        let accepted = tokio::select! {
            _ = flipped(&mut shutdown) => break,
            _ = stopped(&mut stop) => break,
            r = accept(&listener) => r,
        };
        let stream = match accepted {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(error = %e, "FastCGI accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            FASTCGI_METRICS.connection_refused();
            tracing::warn!(max = front.cfg.max_connections, "http.max_connections FastCGI connections open; a new one is closed");
            continue;
        };
        let (front, signal) = (front.clone(), conns.track());
        tokio::spawn(async move {
            match stream {
                Stream::Tcp(s) => {
                    let _ = s.set_nodelay(true);
                    let (rd, wr) = s.into_split();
                    conn::serve(rd, wr, front, signal).await;
                }
                Stream::Unix(s) => {
                    let (rd, wr) = s.into_split();
                    conn::serve(rd, wr, front, signal).await;
                }
            }
            drop(permit);
        });
    }
    tracing::info!(open = conns.open(), "FastCGI server stopped accepting; finishing requests in flight");
    conns
        .drain(listener, grace, |open| {
            tracing::warn!(open, "FastCGI connections still busy after server.shutdown_timeout ({}); closing them", fmt_duration(grace));
        })
        .await;
    tracing::info!("FastCGI server stopped");
}

enum Stream {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

async fn accept(l: &Listener) -> std::io::Result<Stream> {
    match l {
        Listener::Tcp(l) => l.accept().await.map(|(s, _)| Stream::Tcp(s)),
        Listener::Unix(l) => l.accept().await.map(|(s, _)| Stream::Unix(s)),
    }
}
