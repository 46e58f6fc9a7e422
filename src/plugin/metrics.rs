//! placeholder (being written): the metrics plugin.
use super::{Plugin, PluginContext};
use crate::config::MetricsConfig;

pub struct MetricsPlugin {
    _cfg: MetricsConfig,
}

impl MetricsPlugin {
    pub fn new(cfg: MetricsConfig) -> Self {
        MetricsPlugin { _cfg: cfg }
    }
}

impl Plugin for MetricsPlugin {
    fn name(&self) -> &'static str {
        "metrics"
    }
    fn boot(&mut self, _ctx: &PluginContext) -> Result<(), String> {
        Ok(())
    }
    fn shutdown(&mut self) {}
}
