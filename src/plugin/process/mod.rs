//! The processes plugin: side processes (a queue consumer, Vite, a search
//! engine) started with the server, restarted when they end, logged with a
//! `[name.N]` prefix and stopped with it, each instance under its own
//! supervisor thread (`instance`). Registered right after metrics: it boots
//! before the plugins that take traffic and stops after they drained.

mod instance;
pub mod metrics;
mod output;
mod policy;
mod state;

use std::sync::Arc;
use std::sync::mpsc::{Sender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Plugin, PluginContext};
use crate::config::ProcessesConfig;
use instance::Instance;
pub use metrics::PROCESS_METRICS;

/// How long boot waits for an instance's first spawn (a fork and exec, so far less).
const SPAWN_WAIT: Duration = Duration::from_secs(10);

/// A running instance: dropping `stop` asks its supervisor to stop it.
struct Supervised {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

pub struct ProcessPlugin {
    cfg: ProcessesConfig,
    /// By process name, in start order.
    running: Vec<(String, Vec<Supervised>)>,
}

impl ProcessPlugin {
    pub fn new(cfg: ProcessesConfig) -> Self {
        ProcessPlugin { cfg, running: Vec::new() }
    }

    fn start(&mut self) -> Result<(), String> {
        for (name, settings) in &self.cfg.processes {
            let settings = Arc::new(settings.clone());
            let mut instances = Vec::new();
            let mut first = Ok(());
            for index in 0..settings.numprocs {
                let status = Arc::new(metrics::Status::new(name, index, settings.required));
                PROCESS_METRICS.add(status.clone());
                let inst = Instance { name: name.clone(), index, settings: settings.clone(), status };
                let (stop, stop_rx) = channel();
                let (spawned_tx, spawned) = sync_channel(1);
                // This thread spawns the child and must outlive it (PR_SET_PDEATHSIG follows the spawning thread).
                let thread = std::thread::Builder::new()
                    .name("folk-process".into())
                    .spawn(move || {
                        crate::runtime::signals::block_async_signals();
                        inst.run(stop_rx, spawned_tx);
                    })
                    .map_err(|e| format!("cannot start the supervisor thread of {name}.{index}: {e}"))?;
                instances.push(Supervised { stop, thread });
                first = match spawned.recv_timeout(SPAWN_WAIT) {
                    Ok(r) => r,
                    Err(_) => Err(format!("processes.{name}: instance {index} did not start within {}s", SPAWN_WAIT.as_secs())),
                };
                if first.is_err() {
                    break;
                }
            }
            self.running.push((name.clone(), instances));
            first?;
        }
        Ok(())
    }
}

impl Plugin for ProcessPlugin {
    fn name(&self) -> &'static str {
        "processes"
    }

    fn boot(&mut self, _ctx: &PluginContext) -> Result<(), String> {
        PROCESS_METRICS.reset();
        if let Err(e) = self.start() {
            self.shutdown();
            return Err(e);
        }
        Ok(())
    }

    /// Stops the processes in reverse start order: all instances of one name
    /// at once (each gets its stop signal, then SIGKILL after its stop_timeout),
    /// then the name before it.
    fn shutdown(&mut self) {
        while let Some((name, instances)) = self.running.pop() {
            tracing::info!("stopping side process {name}");
            let threads: Vec<JoinHandle<()>> = instances.into_iter().rev().map(|s| {
                drop(s.stop);
                s.thread
            }).collect();
            for t in threads {
                let _ = t.join();
            }
        }
        // A later server in this PHP process (without processes) must not report these.
        PROCESS_METRICS.reset();
    }
}
