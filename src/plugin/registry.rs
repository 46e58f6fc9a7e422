//! The plugin registry: boot in registration order; on a failure, shut the
//! booted ones down in reverse and report the plugin by name.

use super::{Plugin, PluginContext};

#[derive(Default)]
pub struct Registry {
    plugins: Vec<Box<dyn Plugin>>,
    booted: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("plugin '{plugin}' failed to boot: {reason}")]
pub struct BootError {
    pub plugin: &'static str,
    pub reason: String,
}

impl Registry {
    pub fn register(&mut self, p: Box<dyn Plugin>) {
        self.plugins.push(p);
    }

    /// "name" or "name@address" of each plugin, for the start-up log.
    pub fn describe(&self) -> Vec<String> {
        self.plugins
            .iter()
            .map(|p| match p.local_addr() {
                Some(a) => format!("{}@{a}", p.name()),
                None => p.name().to_string(),
            })
            .collect()
    }

    pub fn boot(&mut self, ctx: &PluginContext) -> Result<(), BootError> {
        for i in 0..self.plugins.len() {
            let p = &mut self.plugins[i];
            if let Err(reason) = p.boot(ctx) {
                let plugin = p.name();
                tracing::error!(plugin, %reason, "plugin failed to boot");
                self.shutdown();
                return Err(BootError { plugin, reason });
            }
            tracing::info!(plugin = p.name(), "plugin booted");
            self.booted = i + 1;
        }
        Ok(())
    }

    /// Shuts down the booted plugins in reverse order.
    pub fn shutdown(&mut self) {
        while self.booted > 0 {
            self.booted -= 1;
            let p = &mut self.plugins[self.booted];
            tracing::info!(plugin = p.name(), "plugin shutting down");
            p.shutdown();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::testing::Harness;
    use std::sync::{Arc, Mutex};

    struct Fake {
        name: &'static str,
        fail: bool,
        log: Arc<Mutex<Vec<String>>>,
    }
    impl Plugin for Fake {
        fn name(&self) -> &'static str {
            self.name
        }
        fn boot(&mut self, _: &PluginContext) -> Result<(), String> {
            self.log.lock().unwrap().push(format!("boot {}", self.name));
            if self.fail { Err("port in use".into()) } else { Ok(()) }
        }
        fn shutdown(&mut self) {
            self.log.lock().unwrap().push(format!("shutdown {}", self.name));
        }
    }

    #[test]
    fn boot_in_order_shutdown_in_reverse_and_name_the_failure() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut r = Registry::default();
        for (name, fail) in [("a", false), ("b", false), ("c", true), ("d", false)] {
            r.register(Box::new(Fake { name, fail, log: log.clone() }));
        }
        let h = Harness::start(crate::pool::mock::runtime(), Harness::pool_config());
        let err = r.boot(&h.ctx).unwrap_err();
        assert_eq!(err.to_string(), "plugin 'c' failed to boot: port in use");
        assert_eq!(*log.lock().unwrap(), ["boot a", "boot b", "boot c", "shutdown b", "shutdown a"]);
    }
}
