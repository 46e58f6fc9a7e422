//! The jobs plugin: background jobs from a broker (memory or Redis) run on
//! the same pool as HTTP, as method "jobs.process". It owns one consumer and
//! one housekeeping task per configured queue, the gate that keeps HTTP
//! first, and the process-wide client `Folk\Jobs` pushes through.
//! Delivery is at-least-once: a job is settled (done, retried, dead-lettered)
//! only after its attempt ended, so a crash runs it again, never loses it.

pub mod backoff;
pub mod client;
pub mod driver;
pub mod encoding;
mod gate;
pub mod memory;
pub mod metrics;
mod prefetch;
pub mod redis;
mod redis_acks;
mod redis_dead;
mod redis_scripts;
mod redis_wire;
mod runner;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};

use super::{Plugin, PluginContext};
use crate::config::{JobsConfig, JobsDriver};
use client::{Client, MEMORY};
use driver::Broker;
use gate::Gate;
use metrics::JOBS_METRICS;
use runner::{QueueRunner, Shared};

pub use metrics::JOBS_METRICS as METRICS;

pub struct JobsPlugin {
    cfg: JobsConfig,
    running: Option<Running>,
}

struct Running {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    /// The stop forwarder first, then each queue's consumer and housekeeper.
    tasks: Vec<tokio::task::JoinHandle<()>>,
    shutdown_timeout: Duration,
}

impl JobsPlugin {
    pub fn new(cfg: JobsConfig) -> Self {
        JobsPlugin { cfg, running: None }
    }
}

impl Plugin for JobsPlugin {
    fn name(&self) -> &'static str {
        "jobs"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let Some(driver) = self.cfg.driver else { return Ok(()) };
        let broker: Arc<dyn Broker> = match driver {
            JobsDriver::Memory => MEMORY.clone(),
            JobsDriver::Redis => {
                let _enter = ctx.runtime.enter();
                Arc::new(redis::RedisBroker::open(&self.cfg.redis_url, self.cfg.visibility_timeout)?)
            }
        };
        let slots = ctx.pool.snapshot().slots.len();
        let gate = Gate::new(Gate::limit_for(slots));
        ctx.pool.set_background_reserve(Gate::reserve_for(slots));
        let shared = Arc::new(Shared {
            broker: broker.clone(),
            pool: ctx.pool.clone(),
            gate,
            in_flight: AtomicUsize::new(0),
            settled: Notify::new(),
            visibility_timeout: self.cfg.visibility_timeout,
        });
        let names: Vec<String> = self.cfg.queues.iter().map(|(n, _)| n.clone()).collect();
        let queue_metrics = JOBS_METRICS.start(broker.kind(), &names);
        let (stop, stop_rx) = watch::channel(false);
        // The server's shutdown stops the consumers too.
        let mut server_stop = ctx.shutdown.clone();
        let forward = stop.clone();
        let mut tasks = vec![ctx.runtime.spawn(async move {
            runner::stopped(&mut server_stop).await;
            let _ = forward.send(true);
        })];
        for ((name, settings), m) in self.cfg.queues.iter().zip(queue_metrics) {
            let dead_letter = self.cfg.dead_letter_of(name);
            broker.declare(name, &dead_letter);
            let q = Arc::new(QueueRunner::new(name.clone(), settings.clone(), dead_letter, m));
            tasks.push(ctx.runtime.spawn(runner::consume(shared.clone(), q.clone(), stop_rx.clone())));
            tasks.push(ctx.runtime.spawn(runner::maintain(shared.clone(), q, stop_rx.clone())));
        }
        Client::publish(Some(Client::new(self.cfg.clone(), broker.clone(), ctx.runtime.clone())));
        tracing::info!(driver = broker.kind(), queues = ?names, job_slots = Gate::running_for(slots), "jobs plugin started");
        self.running = Some(Running { shared, stop, tasks, shutdown_timeout: ctx.shutdown_timeout });
        Ok(())
    }

    /// Stops taking jobs; jobs waiting for a worker go back to the broker
    /// unacknowledged; running ones get `server.shutdown_timeout` to finish.
    fn shutdown(&mut self) {
        let Some(r) = self.running.take() else { return };
        let _ = r.stop.send(true);
        let deadline = Instant::now() + r.shutdown_timeout;
        // The consumers end within one take (they release what that take brought);
        // aborting one mid-read would strand the jobs it read until the visibility timeout.
        let consumers = &r.tasks[1..];
        while (r.shared.in_flight.load(Ordering::Acquire) > 0 || !consumers.iter().all(|t| t.is_finished())) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let left = r.shared.in_flight.load(Ordering::Acquire);
        if left > 0 {
            tracing::warn!(jobs = left, "jobs still running at shutdown_timeout; the broker will deliver them again");
        }
        for t in &r.tasks {
            t.abort();
        }
        Client::publish(None);
        JOBS_METRICS.stop();
    }
}
