//! Prometheus metrics and health probes on their own port, so monitoring and
//! load balancers never queue behind PHP workers. Pool numbers are read at
//! scrape time; HTTP numbers are fed by the HTTP plugin through `HTTP_METRICS`.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, watch};

use super::http::{Running, bind, conn_signal, stopped};
use super::{Plugin, PluginContext};
use crate::config::MetricsConfig;
use crate::pool::PoolHandle;
use crate::pool::slot::RecycleReason;
use crate::pool::state::SlotState;

/// Upper bounds (seconds) of the request-duration histogram buckets.
pub const DURATION_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Process-wide HTTP counters. Lock-free, so recording costs a few atomic adds per request.
pub struct HttpMetrics {
    /// Per-bucket (not cumulative) counts; the last one is +Inf.
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    /// 1xx..5xx.
    classes: [AtomicU64; 5],
    open_connections: AtomicU64,
    refused_connections: AtomicU64,
}

pub static HTTP_METRICS: HttpMetrics = HttpMetrics::new();

impl HttpMetrics {
    pub const fn new() -> Self {
        HttpMetrics {
            buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
            classes: [const { AtomicU64::new(0) }; 5],
            open_connections: AtomicU64::new(0),
            refused_connections: AtomicU64::new(0),
        }
    }

    /// Records one answered request.
    pub fn observe(&self, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let i = DURATION_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(took.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
        if let Some(c) = (status / 100).checked_sub(1).and_then(|i| self.classes.get(i as usize)) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts an open connection until the returned guard is dropped.
    pub fn connection_opened(&'static self) -> OpenConnection {
        self.open_connections.fetch_add(1, Ordering::Relaxed);
        OpenConnection(self)
    }

    /// A connection turned away because `http.max_connections` were open.
    pub fn connection_refused(&self) {
        self.refused_connections.fetch_add(1, Ordering::Relaxed);
    }

    pub fn requests_total(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    fn render(&self, out: &mut String) {
        metric(out, "folk_http_requests_total", "counter", "HTTP requests answered by the HTTP plugin, by status class.");
        for (i, c) in self.classes.iter().enumerate() {
            let _ = writeln!(out, "folk_http_requests_total{{class=\"{}xx\"}} {}", i + 1, c.load(Ordering::Relaxed));
        }
        metric(
            out,
            "folk_http_request_duration_seconds",
            "histogram",
            "Time from a parsed request head to the response, queueing and PHP included.",
        );
        let mut cumulative = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            match DURATION_BUCKETS.get(i) {
                Some(le) => {
                    let _ = writeln!(out, "folk_http_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}");
                }
                None => {
                    let _ = writeln!(out, "folk_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}");
                }
            }
        }
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "folk_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "folk_http_request_duration_seconds_count {cumulative}");
        metric(out, "folk_http_connections", "gauge", "Open HTTP connections.");
        let _ = writeln!(out, "folk_http_connections {}", self.open_connections.load(Ordering::Relaxed));
        metric(
            out,
            "folk_http_connections_refused_total",
            "counter",
            "Connections answered 503 because http.max_connections were open.",
        );
        let _ = writeln!(out, "folk_http_connections_refused_total {}", self.refused_connections.load(Ordering::Relaxed));
    }
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self::new()
    }
}

pub struct OpenConnection(&'static HttpMetrics);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open_connections.fetch_sub(1, Ordering::Relaxed);
    }
}

fn metric(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The whole `/metrics` page.
pub fn render(pool: &PoolHandle) -> String {
    let st = pool.snapshot();
    let mut out = String::with_capacity(4096);
    metric(&mut out, "folk_workers", "gauge", "Worker slots by state.");
    for state in SlotState::ALL {
        let n = st.slots.iter().filter(|s| s.state == state).count();
        let _ = writeln!(out, "folk_workers{{state=\"{}\"}} {n}", state.name());
    }
    metric(&mut out, "folk_queue_depth", "gauge", "Jobs waiting for a free worker.");
    let _ = writeln!(out, "folk_queue_depth {}", st.queue_depth);
    metric(&mut out, "folk_pool_healthy", "gauge", "1 while the pool can run jobs, 0 while its workers keep failing to boot.");
    let _ = writeln!(out, "folk_pool_healthy {}", u8::from(st.healthy));
    metric(&mut out, "folk_pool_generation", "gauge", "Code generation of the pool; goes up on every reload.");
    let _ = writeln!(out, "folk_pool_generation {}", st.generation);
    metric(&mut out, "folk_jobs_submitted_total", "counter", "Jobs accepted into the queue.");
    let _ = writeln!(out, "folk_jobs_submitted_total {}", st.submitted);
    metric(
        &mut out,
        "folk_jobs_total",
        "counter",
        "Jobs by outcome: ok, app_error (the handler threw), worker_died, timeout (exec_timeout), busy (refused: queue full or queue.timeout).",
    );
    for (outcome, n) in
        [("ok", st.ok), ("app_error", st.app_errors), ("worker_died", st.died), ("timeout", st.timeouts), ("busy", st.busy)]
    {
        let _ = writeln!(out, "folk_jobs_total{{outcome=\"{outcome}\"}} {n}");
    }
    metric(&mut out, "folk_recycles_total", "counter", "Workers replaced, by reason.");
    for r in RecycleReason::ALL {
        let n = st.recycles.iter().find(|(name, _)| *name == r.name()).map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "folk_recycles_total{{reason=\"{}\"}} {n}", r.name());
    }
    metric(&mut out, "folk_boot_failures_total", "counter", "Worker boots that failed (the worker script threw or exited before serve()).");
    let _ = writeln!(out, "folk_boot_failures_total {}", st.boot_failures);
    HTTP_METRICS.render(&mut out);
    out
}

/// Why the server is not ready, or None when it can take requests.
pub fn not_ready(pool: &PoolHandle, shutting_down: bool) -> Option<String> {
    if shutting_down || pool.is_stopping() {
        return Some("shutting down".into());
    }
    let st = pool.snapshot();
    let up = st.slots.iter().any(|s| s.state == SlotState::Idle || s.state == SlotState::Busy);
    if up {
        return None;
    }
    Some(match st.health_reason {
        Some(why) => format!("pool unhealthy: {why}"),
        None => "no worker is up yet".into(),
    })
}

pub struct MetricsPlugin {
    cfg: MetricsConfig,
    addr: Option<SocketAddr>,
    running: Option<Running>,
}

impl MetricsPlugin {
    pub fn new(cfg: MetricsConfig) -> Self {
        MetricsPlugin { cfg, addr: None, running: None }
    }

    /// The bound address (useful with port 0); None before boot or when disabled.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }
}

/// Scrapers are few; this only stops a misbehaving client from piling up tasks.
const MAX_METRICS_CONNECTIONS: usize = 64;

impl Plugin for MetricsPlugin {
    fn name(&self) -> &'static str {
        "metrics"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let Some(listen) = self.cfg.listen else { return Ok(()) };
        let listener = bind(listen, &ctx.runtime)?;
        let addr = listener.local_addr().map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        self.addr = Some(addr);
        let (stop_tx, mut stop_rx) = watch::channel(false);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let pool = ctx.pool.clone();
        let shutdown = ctx.shutdown.clone();
        ctx.runtime.spawn(async move {
            let (conn_tx, _) = watch::channel(conn_signal::RUN);
            let limit = Arc::new(Semaphore::new(MAX_METRICS_CONNECTIONS));
            // Unlike the HTTP plugin, keep serving after the server starts
            // shutting down: /readyz answering 503 is how a load balancer learns it.
            loop {
                tokio::select! {
                    _ = stopped(&mut stop_rx) => break,
                    r = listener.accept() => {
                        let Ok((stream, _)) = r else {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        };
                        let Ok(permit) = limit.clone().try_acquire_owned() else { continue };
                        let pool = pool.clone();
                        let shutdown = shutdown.clone();
                        let mut signal = conn_tx.subscribe();
                        tokio::spawn(async move {
                            let _permit = permit;
                            let svc = hyper::service::service_fn(move |req| {
                                let resp = respond(&req, &pool, *shutdown.borrow());
                                async move { Ok::<_, Infallible>(resp) }
                            });
                            let conn = hyper::server::conn::http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(Duration::from_secs(10))
                                .serve_connection(TokioIo::new(stream), svc);
                            tokio::pin!(conn);
                            loop {
                                tokio::select! {
                                    _ = conn.as_mut() => break,
                                    r = signal.changed() => match r {
                                        Ok(()) if *signal.borrow_and_update() == conn_signal::DRAIN => conn.as_mut().graceful_shutdown(),
                                        _ => break,
                                    },
                                }
                            }
                        });
                    }
                }
            }
            drop(listener);
            conn_tx.send_replace(conn_signal::DRAIN);
            if tokio::time::timeout(Duration::from_secs(1), conn_tx.closed()).await.is_err() {
                conn_tx.send_replace(conn_signal::ABORT);
                let _ = tokio::time::timeout(Duration::from_secs(1), conn_tx.closed()).await;
            }
            let _ = done_tx.send(());
        });
        self.running = Some(Running::new(stop_tx, done_rx, Duration::from_secs(3)));
        tracing::info!(listen = %addr, "metrics listening on http://{addr}/metrics");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop_and_wait("metrics");
        }
    }
}

fn respond(req: &Request<Incoming>, pool: &PoolHandle, shutting_down: bool) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n".into());
    }
    match req.uri().path() {
        "/metrics" => {
            let mut r = text(StatusCode::OK, render(pool));
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
            r
        }
        "/healthz" => text(StatusCode::OK, "ok\n".into()),
        "/readyz" => match not_ready(pool, shutting_down) {
            None => text(StatusCode::OK, "ready\n".into()),
            Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {why}\n")),
        },
        _ => text(StatusCode::NOT_FOUND, "404 Not Found (try /metrics, /healthz or /readyz)\n".into()),
    }
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::http::tests::{Fixture, get};

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = HttpMetrics::new();
        m.observe(200, Duration::from_micros(500));
        m.observe(404, Duration::from_millis(20));
        m.observe(503, Duration::from_secs(60));
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("folk_http_request_duration_seconds_bucket{le=\"0.001\"} 1\n"), "{out}");
        assert!(out.contains("folk_http_request_duration_seconds_bucket{le=\"0.025\"} 2\n"), "{out}");
        assert!(out.contains("folk_http_request_duration_seconds_bucket{le=\"30\"} 2\n"), "{out}");
        assert!(out.contains("folk_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("folk_http_request_duration_seconds_count 3\n"), "{out}");
        assert!(out.contains("folk_http_requests_total{class=\"2xx\"} 1\n"), "{out}");
        assert!(out.contains("folk_http_requests_total{class=\"4xx\"} 1\n"), "{out}");
        assert!(out.contains("folk_http_requests_total{class=\"5xx\"} 1\n"), "{out}");
    }

    #[test]
    fn metrics_healthz_and_readyz() {
        let f = Fixture::start(|_, _| {});
        let mut m = MetricsPlugin::new(MetricsConfig { listen: Some("127.0.0.1:0".parse().unwrap()) });
        m.boot(&f.ctx).unwrap();
        let addr = m.local_addr().unwrap();

        // One request through the HTTP plugin so the HTTP series move.
        let r = get(f.addr(), "/hello");
        assert_eq!(r.status, 200);

        let r = get(addr, "/metrics");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
        let body = String::from_utf8(r.body).unwrap();
        for needle in [
            "# TYPE folk_workers gauge",
            "folk_workers{state=\"idle\"} 2",
            "folk_workers{state=\"dead\"} 0",
            "folk_queue_depth 0",
            "folk_jobs_total{outcome=\"ok\"} ",
            "folk_jobs_total{outcome=\"busy\"} 0",
            "folk_recycles_total{reason=\"max_jobs\"} 0",
            "folk_boot_failures_total 0",
            "# TYPE folk_http_request_duration_seconds histogram",
            "folk_http_request_duration_seconds_bucket{le=\"+Inf\"} ",
            "folk_http_requests_total{class=\"2xx\"} ",
        ] {
            assert!(body.contains(needle), "missing {needle:?} in\n{body}");
        }
        let ok_jobs = body.lines().find_map(|l| l.strip_prefix("folk_jobs_total{outcome=\"ok\"} ")).unwrap();
        assert!(ok_jobs.parse::<u64>().unwrap() >= 1, "{body}");
        assert!(HTTP_METRICS.requests_total() >= 1);

        let r = get(addr, "/healthz");
        assert_eq!((r.status, r.body.as_slice()), (200, b"ok\n".as_slice()));
        assert_eq!(get(addr, "/readyz").status, 200);
        assert_eq!(get(addr, "/nope").status, 404);

        // Shutting down: not ready any more, but still answering.
        f.shutdown_tx.send_replace(true);
        let r = get(addr, "/readyz");
        assert_eq!(r.status, 503);
        assert_eq!(r.body, b"not ready: shutting down\n");
        m.shutdown();
        assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
    }

    #[test]
    fn readyz_is_503_without_a_live_worker() {
        let rt = crate::runtime::mock::runtime();
        rt.boot_failures.store(u32::MAX, std::sync::atomic::Ordering::Release);
        let f = Fixture::with_runtime(rt, |p, _| p.workers.count = 1);
        let why = not_ready(&f.ctx.pool, false).expect("no worker booted");
        assert!(why.starts_with("no worker is up yet") || why.starts_with("pool unhealthy"), "{why}");
        assert_eq!(not_ready(&f.ctx.pool, true).as_deref(), Some("shutting down"));
    }

    #[test]
    fn disabled_without_listen() {
        let f = Fixture::start(|_, _| {});
        let mut m = MetricsPlugin::new(MetricsConfig { listen: None });
        m.boot(&f.ctx).unwrap();
        assert_eq!(m.local_addr(), None);
        m.shutdown();
    }
}
