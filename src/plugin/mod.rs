//! Plugins: what turns the pool into a server (HTTP, FastCGI, metrics). Each gets the
//! pool's dispatch surface, its config section and a shutdown signal; the
//! registry boots them in order and shuts them down in reverse.

pub mod fastcgi;
pub mod grpc;
pub mod http;
pub mod jobs;
pub mod metrics;
pub(crate) mod net;
pub mod process;
pub mod registry;
pub mod watch;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;


use crate::pool::PoolHandle;

/// What a plugin gets at boot.
#[derive(Clone)]
pub struct PluginContext {
    /// The pool: `submit(method, payload)` returns a `Reply`; await it with `AbandonOnDrop` (a job whose caller left is dropped unrun).
    pub pool: PoolHandle,
    /// The server's tokio runtime.
    pub runtime: tokio::runtime::Handle,
    /// Flips to true when the server starts shutting down: stop accepting, finish in-flight work.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// How long in-flight work may take after shutdown starts.
    pub shutdown_timeout: Duration,
    /// Counts the server's reloads (SIGHUP, `POST /reload`): plugins that re-read files on a reload watch it.
    pub reloads: tokio::sync::watch::Receiver<u64>,
    /// Asks for the same reload SIGHUP does (the admin's `POST /reload`).
    pub reloader: Reloader,
}

/// The server's one reload path, whoever asks (SIGHUP on the lifecycle thread,
/// `POST /reload` on the metrics port): the pool recycles its workers onto a
/// new generation, then the plugins watching `reloads` re-read their files.
#[derive(Clone)]
pub struct Reloader {
    pool: crate::pool::PoolHandle,
    tx: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Reloader {
    /// Also returns the receiver plugins watch (`PluginContext::reloads`).
    pub fn new(pool: crate::pool::PoolHandle) -> (Self, tokio::sync::watch::Receiver<u64>) {
        let (tx, rx) = tokio::sync::watch::channel(0u64);
        (Reloader { pool, tx: Arc::new(tx) }, rx)
    }

    /// Reloads; `why` names the trigger in the log. Returns the pool's new generation.
    pub fn reload(&self, why: &str) -> u64 {
        tracing::info!("{why}: reloading the workers");
        let generation = self.pool.reload();
        self.tx.send_modify(|n| *n += 1);
        generation
    }
}

pub trait Plugin: Send {
    fn name(&self) -> &'static str;
    /// The address it listens on once booted (the real port when configured with port 0).
    fn local_addr(&self) -> Option<std::net::SocketAddr> {
        None
    }
    /// Starts the plugin (bind sockets, spawn tasks). An error names what failed.
    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String>;
    /// Waits until in-flight work is done (or `ctx.shutdown_timeout` passed) and releases resources.
    fn shutdown(&mut self);
}
