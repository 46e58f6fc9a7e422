//! `tracing` to stderr. The level comes from FOLK_LOG (e.g. "info",
//! "folk=debug"), default "warn" so a CLI script using a pool stays quiet;
//! a server raises it to its `log.level` (default "info").

use std::sync::OnceLock;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Registry, fmt, reload};

static HANDLE: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

pub fn init() {
    HANDLE.get_or_init(|| {
        let filter = EnvFilter::try_from_env("FOLK_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
        let (layer, handle) = reload::Layer::new(filter);
        let _ = tracing_subscriber::registry()
            .with(layer)
            .with(fmt::layer().with_writer(std::io::stderr).with_target(false))
            .try_init();
        handle
    });
}

/// Replaces the filter (already validated by the config).
pub fn set_level(filter: &str) {
    if let (Some(h), Ok(f)) = (HANDLE.get(), EnvFilter::try_new(filter)) {
        let _ = h.reload(f);
    }
}
