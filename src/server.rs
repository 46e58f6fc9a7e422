//! The server: the pool (thread workers plus the main PHP thread), the
//! plugins and the tokio runtime, under one lifecycle: boot, serve until
//! SIGTERM/SIGINT, drain, shut down in reverse. SIGHUP (or the metrics port's
//! `POST /reload`, through the same `Reloader`) reloads the workers.
//! With `server.supervise` it first forks, and runs in the child (`supervise`).

mod supervise;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::config::ServerConfig;
use crate::plugin::registry::{BootError, Registry};
use crate::plugin::{PluginContext, Reloader, fastcgi::{FASTCGI_METRICS, FastcgiPlugin}, grpc::{GRPC_METRICS, GrpcPlugin}, http::{HTTP_METRICS, HttpPlugin}, jobs::{JobsPlugin, METRICS as JOBS_METRICS}, metrics::MetricsPlugin, process::{PROCESS_METRICS, ProcessPlugin}, watch::WatchPlugin};

use crate::pool::{Pool, Runtime};
use crate::runtime::classic::ClassicRuntime;
use crate::runtime::sapi::{self, Options};
use crate::runtime::main_thread::{self, MainEnd};
use crate::runtime::{process, signals};

/// The signals that stop (TERM, INT) and reload (HUP) a running server.
const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];
use crate::runtime::zts::{WebOptions, ZtsRuntime};

/// What `Folk\Jobs` uses: the jobs client.
pub mod jobs {
    pub use crate::plugin::jobs::client::{Client, Push};
    pub use crate::plugin::jobs::driver::{JobsError, QueueStats};
}

/// What `Folk\Metrics` uses: the application metrics registry.
pub mod app_metrics {
    pub use crate::plugin::metrics::app::{APP_METRICS, MetricError};
}
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    Plugin(#[from] BootError),
    #[error("cannot start the server: {0}")]
    Start(String),
}

/// How a run ended, for the PHP side.
pub struct RunReport {
    /// The main-thread worker hit a fatal error: the PHP request must bail out now.
    pub main_bailed_out: bool,
}

/// Runs the server on the calling (main PHP) thread until a stop signal.
pub fn run(mut config: ServerConfig) -> Result<RunReport, ServerError> {
    if config.serves_web() && !config.pool.workers.exec_timeout_set {
        config.pool.workers.exec_timeout = Some(default_exec_timeout(sapi::max_execution_time()));
    }
    if config.supervise {
        // Before anything starts a thread: only the child returns from it.
        supervise::fork_server(&config)?;
    }
    let shutdown_timeout = config.pool.shutdown_timeout;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.io_threads())
        .enable_all()
        .thread_name("folk-io")
        .on_thread_start(signals::block_async_signals)
        .build()
        .map_err(|e| ServerError::Start(format!("tokio runtime: {e}")))?;
    // The stop and reload signals are blocked in every thread and taken by
    // the lifecycle thread with sigtimedwait(), so no handler runs on a PHP
    // thread: delivered to the main thread (the only one that let them
    // through), one cut the main-thread worker's sleep() or blocking I/O short
    // with EINTR. Blocked from now on, one that arrives during boot stays pending.
    supervise::handlers_installed();
    let main_mask = process::block(&STOP_SIGNALS);

    // Classic mode runs each script per request on pooled threads; the main
    // thread has no worker script to run, so it only supervises.
    let options = Options { output_buffering: sapi::output_buffering(config.http.output_buffering), ..Options::default() };
    let web = config.serves_web().then_some(WebOptions {
        options: Options { worker: true, frankenphp_worker: config.http.frankenphp_compat, ..options },
        roadrunner: config.http.roadrunner_compat,
    });
    let runtime: Arc<dyn Runtime> =
        if config.classic() { Arc::new(ClassicRuntime { options }) } else { Arc::new(ZtsRuntime { web }) };
    if config.watch.enabled {
        sapi::prepare_for_watch().map_err(|e| ServerError::Start(e.to_string()))?;
    }
    let main_worker = config.main_worker && !config.classic();
    let pool = Pool::start_with_main(config.pool.clone(), runtime, main_worker)
        .map_err(|e| ServerError::Start(format!("cannot start the workers: {e}")))?;
    let pool = Arc::new(pool);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (reloader, reloads) = Reloader::new(pool.handle());
    let ctx = PluginContext { pool: pool.handle(), runtime: rt.handle().clone(), shutdown: stop_rx, shutdown_timeout, reloads, reloader: reloader.clone() };
    // Metrics first: shut down last, so /readyz answers 503 while HTTP drains.
    let mut registry = Registry::default();
    if config.metrics.listen.is_some() {
        let sources: Vec<&'static dyn crate::plugin::metrics::prometheus::MetricSource> =
            vec![&HTTP_METRICS, &FASTCGI_METRICS, &GRPC_METRICS, &JOBS_METRICS, &crate::plugin::metrics::app::APP_METRICS, &PROCESS_METRICS];
        registry.register(Box::new(MetricsPlugin::new(config.metrics.clone(), sources)));
    }
    // Side processes next: they start before any plugin takes traffic (a
    // request or job may call them from the first one) and, shut down in
    // reverse, stop after jobs, HTTP and FastCGI drained, before the pool;
    // metrics, which only watches them, still answers while they stop.
    if !config.processes.processes.is_empty() {
        registry.register(Box::new(ProcessPlugin::new(config.processes.clone())));
    }
    // Jobs before HTTP: a request may push jobs (`new Folk\Jobs()` finds the
    // server's client) from the first one it serves to the last one it drains.
    // The consumers stop taking jobs as soon as the stop begins (`shutdown`),
    // whatever the order; jobs still running then finish after HTTP drained.
    if config.jobs.driver.is_some() {
        registry.register(Box::new(JobsPlugin::new(config.jobs.clone())));
    }
    if config.http.enabled {
        registry.register(Box::new(HttpPlugin::new(config.http.clone(), config.classic()).with_body_dir(sapi::upload_tmp_dir())));
    }
    if config.fastcgi.listen.is_some() {
        let fastcgi = FastcgiPlugin::new(config.fastcgi.clone(), config.http.clone(), config.classic());
        registry.register(Box::new(fastcgi.with_body_dir(sapi::upload_tmp_dir())));
    }
    if config.grpc.listen.is_some() {
        registry.register(Box::new(GrpcPlugin::new(config.grpc.clone(), config.pool.workers.exec_timeout)));
    }
    // Last: it boots once everything serves, and stops reloading first.
    if config.watch.enabled {
        registry.register(Box::new(WatchPlugin::new(config.watch.clone(), watch_root(&config), config.pool.workers.boot_timeout)));
    }
    if let Err(e) = registry.boot(&ctx) {
        pool.shutdown(shutdown_timeout);
        return Err(e.into());
    }
    supervise::report_ready();
    tracing::info!(
        workers = config.pool.workers.count,
        io_threads = config.io_threads(),
        classic = config.classic(),
        main_worker,
        plugins = ?registry.describe(),
        "folk server started; SIGTERM/SIGINT stop it gracefully, SIGHUP reloads the workers"
    );

    // Waits for the stop signal, then drains: plugins first (in reverse), then the pool.
    let stopper_pool = pool.clone();
    let stopper = std::thread::Builder::new()
        .name("folk-lifecycle".into())
        .spawn(move || {
            signals::block_async_signals();
            loop {
                match process::wait_signal(&STOP_SIGNALS, Duration::from_millis(200)) {
                    Some(libc::SIGTERM) => {
                        tracing::info!("SIGTERM: shutting down");
                        break;
                    }
                    Some(libc::SIGINT) => {
                        tracing::info!("SIGINT: shutting down");
                        break;
                    }
                    Some(libc::SIGHUP) => {
                        reloader.reload("SIGHUP");
                    }
                    _ => {}
                }
            }
            let _ = stop_tx.send(true);
            registry.shutdown();
            stopper_pool.shutdown(shutdown_timeout);
        })
        .map_err(|e| ServerError::Start(format!("cannot start the lifecycle thread: {e}")))?;

    let end = match pool.attach_main() {
        Some(link) => main_thread::serve_here(link, web),
        None => MainEnd::Left,
    };
    let _ = stopper.join();
    // The script runs on: signals that came after the stop are dropped, the mask is its own again.
    while process::wait_signal(&STOP_SIGNALS, Duration::ZERO).is_some() {}
    process::restore(&main_mask);
    drop(ctx);
    drop(pool);
    rt.shutdown_timeout(Duration::from_secs(1));
    tracing::info!("folk server stopped");
    Ok(RunReport { main_bailed_out: matches!(end, MainEnd::BailedOut) })
}

/// What watch mode watches where `watch.paths` is not set: the document
/// root in classic mode, else the worker script's directory.
fn watch_root(config: &ServerConfig) -> std::path::PathBuf {
    match (&config.http.root, config.classic()) {
        (Some(root), true) => root.clone(),
        _ => match std::path::Path::new(&config.pool.worker).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => ".".into(),
        },
    }
}

/// `workers.exec_timeout` where none is configured, for a server with HTTP:
/// 30 s, or 5 s past PHP's own `max_execution_time` when that is longer, so
/// a request PHP may still run is never cut by folk's hard bound first (PHP's
/// limit answers with its own fatal error, as under php-fpm).
fn default_exec_timeout(max_execution_time: u64) -> Duration {
    Duration::from_secs(30).max(Duration::from_secs(max_execution_time.saturating_add(5)))
}

#[cfg(test)]
mod exec_timeout_tests {
    use super::*;

    #[test]
    fn exec_timeout_stays_past_a_longer_max_execution_time() {
        assert_eq!(default_exec_timeout(0), Duration::from_secs(30));
        assert_eq!(default_exec_timeout(2), Duration::from_secs(30));
        assert_eq!(default_exec_timeout(30), Duration::from_secs(35));
        assert_eq!(default_exec_timeout(60), Duration::from_secs(65));
    }
}
