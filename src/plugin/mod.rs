//! Plugins: what turns the pool into a server (HTTP, FastCGI, metrics). Each gets the
//! pool's dispatch surface, its config section and a shutdown signal; the
//! registry boots them in order and shuts them down in reverse.

pub mod app_metrics;
pub mod fastcgi;
pub mod front_metrics;
pub mod http;
pub mod jobs;
pub mod metrics;
pub(crate) mod net;
pub mod prometheus;
pub mod registry;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::time::Duration;

use tokio::sync::watch;

use crate::pool::PoolHandle;

/// What a plugin gets at boot.
#[derive(Clone)]
pub struct PluginContext {
    /// The pool: `submit(method, payload)` returns a `Reply`; await it with `AbandonOnDrop` (a job whose caller left is dropped unrun).
    pub pool: PoolHandle,
    /// The server's tokio runtime.
    pub runtime: tokio::runtime::Handle,
    /// Flips to true when the server starts shutting down: stop accepting, finish in-flight work.
    pub shutdown: watch::Receiver<bool>,
    /// How long in-flight work may take after shutdown starts.
    pub shutdown_timeout: Duration,
    /// Counts the server's reloads (SIGHUP): plugins that re-read files on a reload watch it.
    pub reloads: watch::Receiver<u64>,
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
