//! placeholder (being written): the HTTP plugin.
use super::{Plugin, PluginContext};
use crate::config::HttpConfig;

pub struct HttpPlugin {
    _cfg: HttpConfig,
}

impl HttpPlugin {
    pub fn new(cfg: HttpConfig) -> Self {
        HttpPlugin { _cfg: cfg }
    }
}

impl Plugin for HttpPlugin {
    fn name(&self) -> &'static str {
        "http"
    }
    fn boot(&mut self, _ctx: &PluginContext) -> Result<(), String> {
        Ok(())
    }
    fn shutdown(&mut self) {}
}
