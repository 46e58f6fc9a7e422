//! The HTTP plugin: hyper serves HTTP/1.1 and h2c on the server's runtime and hands
//! each request to a PHP worker through the pool, so PHP never touches a socket and
//! slow clients never hold a worker. This file boots and stops it; its parts are below.

mod conn;
mod counters;
mod exchange;
mod request;
mod server;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use counters::HTTP_METRICS;

use super::net::{Running, bind};
use super::{Plugin, PluginContext};
use crate::config::HttpConfig;
use request::Requests;
use server::Server;

pub struct HttpPlugin {
    cfg: HttpConfig,
    addr: Option<SocketAddr>,
    running: Option<Running>,
}

impl HttpPlugin {
    pub fn new(cfg: HttpConfig) -> Self {
        HttpPlugin { cfg, addr: None, running: None }
    }

    /// The bound address (useful with port 0); None before boot.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }
}

impl Plugin for HttpPlugin {
    fn name(&self) -> &'static str {
        "http"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let (listener, addr) = bind(self.cfg.listen, &ctx.runtime)?;
        let server = Arc::new(Server::new(self.cfg.clone(), Requests::new(self.cfg.clone(), ctx.pool.clone())));
        let (shutdown, grace) = (ctx.shutdown.clone(), ctx.shutdown_timeout);
        // Beyond shutdown_timeout the server aborts what is left, which takes a moment more.
        let wait = grace + Duration::from_secs(2);
        self.running = Some(Running::spawn(&ctx.runtime, wait, move |stop| server.run(listener, shutdown, stop, grace)));
        self.addr = Some(addr);
        tracing::info!(listen = %addr, "HTTP server listening on http://{addr}");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop_and_wait("HTTP");
        }
    }
}
