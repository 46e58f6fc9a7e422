//! The gRPC plugin (`grpc.listen`): its own port, HTTP/2 only (h2c, or h2
//! over TLS with `grpc.tls.*`), on hyper and rustls as the HTTP plugin.
//! Each call reaches the worker's handler as a job with method "grpc" (its
//! message as raw bytes: PHP decodes it with the classes `protoc --php_out`
//! made); what the handler returns or throws becomes the reply and the
//! status (`call`, `answer`, `status`). A stop sends GOAWAY and lets the
//! calls in flight finish within `server.shutdown_timeout`.
//! This file binds, accepts and stops; the parts are below.

mod answer;
pub mod builtins;
mod call;
pub mod catalog;
mod codec;
mod health;
mod metadata;
mod metered;
pub mod metrics;
mod status;
mod timeout;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http2;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::http::tls::Tls;
use super::net::{self, Connections, ConnSignal, Running, bind, flipped, stopped};
use super::{Plugin, PluginContext};
use crate::config::GrpcConfig;
use crate::error::fmt_duration;
use builtins::Builtins;
use call::{Front, Peer};
use catalog::Catalog;
pub use metrics::GRPC_METRICS;

/// The largest request head a call may send (its metadata).
const MAX_HEADER_LIST: u32 = 64 << 10;

pub struct GrpcPlugin {
    cfg: GrpcConfig,
    exec_timeout: Option<Duration>,
    addr: Option<SocketAddr>,
    running: Option<Running>,
    tls_running: Option<Running>,
}

impl GrpcPlugin {
    /// `exec_timeout` is `workers.exec_timeout`, the run's bound where `grpc.timeout` is not set.
    pub fn new(cfg: GrpcConfig, exec_timeout: Option<Duration>) -> Self {
        GrpcPlugin { cfg, exec_timeout, addr: None, running: None, tls_running: None }
    }
}

impl Plugin for GrpcPlugin {
    fn name(&self) -> &'static str {
        "grpc"
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let Some(listen) = self.cfg.listen else { return Ok(()) };
        // The .proto files first: one that does not compile refuses the start, naming file:line.
        let catalog = if self.cfg.proto.is_empty() {
            None
        } else {
            let c = Catalog::compile(&self.cfg.proto, &self.cfg.proto_path).map_err(|e| e.to_string())?;
            tracing::info!(services = %c.services().join(", "), "gRPC .proto files compiled");
            Some(Arc::new(c))
        };
        let tls = Tls::for_section(&self.cfg.tls, "grpc", &[b"h2"])?.map(Arc::new);
        let (listener, addr) = bind(listen, &ctx.runtime)?;
        self.addr = Some(addr);
        let builtins = Arc::new(Builtins::new(catalog.clone(), self.cfg.health, self.cfg.reflection, ctx));
        let front = Arc::new(Front { pool: ctx.pool.clone(), cfg: self.cfg.clone(), exec_timeout: self.exec_timeout, builtins, catalog });
        let (shutdown, grace) = (ctx.shutdown.clone(), ctx.shutdown_timeout);
        let serving_tls = tls.clone();
        self.running = Some(Running::spawn(&ctx.runtime, grace + Duration::from_secs(2), move |stop| {
            accept_loop(listener, front, serving_tls, shutdown, stop, grace)
        }));
        if let Some(tls) = tls {
            let reloads = ctx.reloads.clone();
            self.tls_running = Some(Running::spawn(&ctx.runtime, Duration::from_secs(3), move |stop| tls.reload_on_sighup(reloads, stop)));
        }
        let scheme = if self.cfg.tls.cert.is_some() { "h2 over TLS" } else { "h2c" };
        tracing::info!(listen = %addr, "gRPC server listening on {addr} ({scheme})");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.tls_running.take() {
            r.stop_and_wait("gRPC TLS reload");
        }
        if let Some(r) = self.running.take() {
            r.stop_and_wait("gRPC");
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    front: Arc<Front>,
    tls: Option<Arc<Tls>>,
    mut shutdown: watch::Receiver<bool>,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let conns = Connections::new();
    let h2 = builder(&front.cfg);
    loop {
        let accepted = tokio::select! {
            _ = flipped(&mut shutdown) => break,
            _ = stopped(&mut stop) => break,
            r = listener.accept() => r,
        };
        let (stream, remote) = match accepted {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!(error = %e, "gRPC accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let (front, tls, h2, signal) = (front.clone(), tls.clone(), h2.clone(), conns.track());
        tokio::spawn(serve(stream, remote, front, tls, h2, signal));
    }
    // First thing: health turns NOT_SERVING before the GOAWAY, so balancers drain us while calls finish.
    front.builtins.not_serving();
    tracing::info!(open = conns.open(), "gRPC server stopped accepting; finishing calls in flight");
    conns
        .drain(listener, grace, |open| {
            tracing::warn!(open, "gRPC connections still busy after server.shutdown_timeout ({}); closing them", fmt_duration(grace));
        })
        .await;
    tracing::info!("gRPC server stopped");
}

fn builder(cfg: &GrpcConfig) -> http2::Builder<TokioExecutor> {
    let mut b = http2::Builder::new(TokioExecutor::new());
    b.timer(TokioTimer::new())
        .max_concurrent_streams(cfg.max_concurrent_streams)
        .max_header_list_size(MAX_HEADER_LIST)
        .keep_alive_interval(cfg.keepalive_interval)
        .keep_alive_timeout(cfg.keepalive_timeout);
    b
}

async fn serve(stream: TcpStream, remote: SocketAddr, front: Arc<Front>, tls: Option<Arc<Tls>>, h2: http2::Builder<TokioExecutor>, signal: watch::Receiver<ConnSignal>) {
    let _ = stream.set_nodelay(true);
    let peer = Arc::new(Peer { remote: remote.to_string(), tls: tls.is_some() });
    let Some(tls) = tls else { return serve_io(stream, front, peer, h2, signal).await };
    match tokio::time::timeout(Duration::from_secs(10), tls.acceptor().accept(stream)).await {
        Ok(Ok(s)) => serve_io(s, front, peer, h2, signal).await,
        Ok(Err(e)) => tracing::debug!(remote = %remote, error = %e, "gRPC TLS handshake failed"),
        Err(_) => tracing::debug!(remote = %remote, "gRPC TLS handshake took over 10s; closed"),
    }
}

async fn serve_io<I>(io: I, front: Arc<Front>, peer: Arc<Peer>, h2: http2::Builder<TokioExecutor>, signal: watch::Receiver<ConnSignal>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let remote = peer.remote.clone();
    let service = service_fn(move |req| {
        let (front, peer) = (front.clone(), peer.clone());
        async move { Ok::<_, Infallible>(front.handle(req, peer).await) }
    });
    if let Err(e) = net::serve(h2.serve_connection(TokioIo::new(io), service), signal, std::future::pending()).await {
        tracing::debug!(remote = %remote, error = %e, "gRPC connection ended with an error");
    }
}
