//! Prometheus metrics, health probes and the admin endpoints (`/workers`,
//! `POST /reload`, what `folk status` / `folk reload` call) on their own port,
//! so monitoring, load balancers and operators never queue behind PHP workers.
//! Pool numbers are read at scrape time; other plugins' numbers come from the
//! `MetricSource`s it is given. `/reload` is as powerful as SIGHUP: the port
//! belongs on loopback (the default) or behind auth. Beside it: the text
//! format (`prometheus`), the counters every front shares (`front`) and the
//! application's own metrics, `Folk\\Metrics` (`app`).

pub mod app;
pub mod front;
pub mod prometheus;

use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use super::net::{self, Connections, Running, bind, stopped};
use self::prometheus::{MetricSource, header};
use super::{Plugin, PluginContext, Reloader};
use crate::config::MetricsConfig;
use crate::pool::PoolHandle;
use crate::pool::RecycleReason;
use crate::pool::state::SlotState;

/// The whole `/metrics` page.
pub fn render(pool: &PoolHandle, sources: &[&'static dyn MetricSource]) -> String {
    let st = pool.snapshot();
    let mut out = String::with_capacity(4096);
    header(&mut out, "folk_workers", "gauge", "Worker slots by state.");
    for state in SlotState::ALL {
        let n = st.slots.iter().filter(|s| s.state == state).count();
        let _ = writeln!(out, "folk_workers{{state=\"{}\"}} {n}", state.name());
    }
    header(&mut out, "folk_queue_depth", "gauge", "Jobs waiting for a free worker.");
    let _ = writeln!(out, "folk_queue_depth {}", st.queue_depth);
    header(&mut out, "folk_pool_healthy", "gauge", "1 while the pool can run jobs, 0 while its workers keep failing to boot.");
    let _ = writeln!(out, "folk_pool_healthy {}", u8::from(st.healthy));
    header(&mut out, "folk_pool_generation", "gauge", "Code generation of the pool; goes up on every reload.");
    let _ = writeln!(out, "folk_pool_generation {}", st.generation);
    header(&mut out, "folk_jobs_submitted_total", "counter", "Jobs accepted into the queue.");
    let _ = writeln!(out, "folk_jobs_submitted_total {}", st.submitted);
    header(
        &mut out,
        "folk_jobs_total",
        "counter",
        "Jobs by outcome: ok, app_error (the handler threw), worker_died, timeout (exec_timeout), busy (refused: queue full or queue.timeout), abandoned (dropped unrun: the HTTP client left while it was queued).",
    );
    let outcomes = [
        ("ok", st.ok),
        ("app_error", st.app_errors),
        ("worker_died", st.died),
        ("timeout", st.timeouts),
        ("busy", st.busy),
        ("abandoned", st.abandoned),
    ];
    for (outcome, n) in outcomes {
        let _ = writeln!(out, "folk_jobs_total{{outcome=\"{outcome}\"}} {n}");
    }
    header(&mut out, "folk_recycles_total", "counter", "Workers replaced, by reason.");
    for r in RecycleReason::ALL {
        let n = st.recycles.iter().find(|(name, _)| *name == r.name()).map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "folk_recycles_total{{reason=\"{}\"}} {n}", r.name());
    }
    header(&mut out, "folk_boot_failures_total", "counter", "Worker boots that failed (the worker script threw or exited before serve()).");
    let _ = writeln!(out, "folk_boot_failures_total {}", st.boot_failures);
    for source in sources {
        source.render(&mut out);
    }
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

/// The admin's `/workers` page: one entry per slot, plus the pool's generation, queue depth and health.
pub fn workers_json(pool: &PoolHandle) -> String {
    let st = pool.snapshot();
    let workers: Vec<_> = st
        .slots
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "kind": s.kind.name(),
                "state": s.state.name(),
                "job": s.job.as_ref().map(|j| serde_json::json!({ "method": j.method, "secs": j.secs })),
                "age_secs": s.age_secs,
                "memory": s.memory,
                "jobs": s.jobs,
                "jobs_total": s.jobs_total,
                "restarts": s.restarts,
                "generation": s.generation,
                "last_error": s.last_error,
            })
        })
        .collect();
    let page = serde_json::json!({
        "generation": st.generation,
        "queue_depth": st.queue_depth,
        "healthy": st.healthy,
        "health_reason": st.health_reason,
        "workers": workers,
    });
    let mut out = page.to_string();
    out.push('\n');
    out
}

pub struct MetricsPlugin {
    cfg: MetricsConfig,
    /// Rendered after the pool's series, in this order.
    sources: Vec<&'static dyn MetricSource>,
    addr: Option<SocketAddr>,
    running: Option<Running>,
}

impl MetricsPlugin {
    pub fn new(cfg: MetricsConfig, sources: Vec<&'static dyn MetricSource>) -> Self {
        MetricsPlugin { cfg, sources, addr: None, running: None }
    }

}

impl Plugin for MetricsPlugin {
    fn name(&self) -> &'static str {
        "metrics"
    }

    /// The bound address (useful with port 0); None before boot or when disabled.
    fn local_addr(&self) -> Option<SocketAddr> {
        self.addr
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        let Some(listen) = self.cfg.listen else { return Ok(()) };
        let (listener, addr) = bind(listen, &ctx.runtime)?;
        self.addr = Some(addr);
        let pages = Arc::new(Pages {
            pool: ctx.pool.clone(),
            sources: self.sources.clone(),
            shutdown: ctx.shutdown.clone(),
            reloader: ctx.reloader.clone(),
        });
        self.running = Some(Running::spawn(&ctx.runtime, Duration::from_secs(3), move |stop| pages.serve(listener, stop)));
        tracing::info!(listen = %addr, "metrics listening on http://{addr}/metrics");
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop_and_wait("metrics");
        }
    }
}

/// Scrapers are few; this only stops a misbehaving client from piling up tasks.
const MAX_METRICS_CONNECTIONS: usize = 64;

/// What the metrics port answers from.
struct Pages {
    pool: PoolHandle,
    sources: Vec<&'static dyn MetricSource>,
    /// The server's shutdown flag: /readyz says 503 once it is set.
    shutdown: watch::Receiver<bool>,
    /// What `POST /reload` calls: the same reload as SIGHUP.
    reloader: Reloader,
}

impl Pages {
    /// Unlike the HTTP plugin, keeps serving after the server starts shutting
    /// down: /readyz answering 503 is how a load balancer learns it.
    async fn serve(self: Arc<Self>, listener: TcpListener, mut stop: watch::Receiver<bool>) {
        let conns = Connections::new();
        let limit = Arc::new(Semaphore::new(MAX_METRICS_CONNECTIONS));
        loop {
            tokio::select! {
                _ = stopped(&mut stop) => break,
                r = listener.accept() => {
                    let Ok((stream, _)) = r else {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    let Ok(permit) = limit.clone().try_acquire_owned() else { continue };
                    let pages = self.clone();
                    let signal = conns.track();
                    tokio::spawn(async move {
                        let _permit = permit;
                        let svc = hyper::service::service_fn(move |req| {
                            let resp = pages.respond(&req);
                            async move { Ok::<_, Infallible>(resp) }
                        });
                        let conn = hyper::server::conn::http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(Duration::from_secs(10))
                            .serve_connection(TokioIo::new(stream), svc);
                        // A scraper that breaks off is no news.
                        let _ = net::serve(conn, signal, std::future::pending()).await;
                    });
                }
            }
        }
        conns.drain(listener, Duration::from_secs(1), |_| {}).await;
    }

    fn respond(&self, req: &Request<Incoming>) -> Response<Full<Bytes>> {
        self.respond_to(req.method(), req.uri().path())
    }

    fn respond_to(&self, method: &Method, path: &str) -> Response<Full<Bytes>> {
        if path == "/reload" {
            if method != Method::POST {
                return not_allowed("POST");
            }
            let generation = self.reloader.reload("POST /reload");
            return json(StatusCode::ACCEPTED, format!("{{\"generation\":{generation}}}\n"));
        }
        if method != Method::GET && method != Method::HEAD {
            return not_allowed("GET, HEAD");
        }
        match path {
            "/workers" => json(StatusCode::OK, workers_json(&self.pool)),
            "/metrics" => {
                let mut r = text(StatusCode::OK, render(&self.pool, &self.sources));
                r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
                r
            }
            "/healthz" => text(StatusCode::OK, "ok\n".into()),
            "/readyz" => match not_ready(&self.pool, *self.shutdown.borrow()).or_else(|| self.sources.iter().find_map(|s| s.not_ready())) {
                None => text(StatusCode::OK, "ready\n".into()),
                Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {why}\n")),
            },
            _ => text(StatusCode::NOT_FOUND, "404 Not Found (try /metrics, /healthz, /readyz, /workers or POST /reload)\n".into()),
        }
    }
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn json(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = text(status, body);
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn not_allowed(allow: &'static str) -> Response<Full<Bytes>> {
    let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n".into());
    r.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::testing::Harness;
    use crate::pool::mock;

    #[test]
    fn readyz_is_503_without_a_live_worker() {
        let rt = mock::runtime();
        rt.boot_failures.store(u32::MAX, std::sync::atomic::Ordering::Release);
        let h = Harness::start(rt, { let mut p = Harness::pool_config(); p.workers.count = 1; p });
        let why = not_ready(&h.ctx.pool, false).expect("no worker booted");
        assert!(why.starts_with("no worker is up yet") || why.starts_with("pool unhealthy"), "{why}");
        assert_eq!(not_ready(&h.ctx.pool, true).as_deref(), Some("shutting down"));
    }

    fn pages(h: &Harness) -> Pages {
        Pages { pool: h.ctx.pool.clone(), sources: Vec::new(), shutdown: h.ctx.shutdown.clone(), reloader: h.ctx.reloader.clone() }
    }

    fn body(r: Response<Full<Bytes>>) -> serde_json::Value {
        use http_body_util::BodyExt;
        let bytes = block_on(r.into_body().collect()).unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !f() {
            assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn workers_page_shows_the_job_a_busy_worker_runs_and_for_how_long() {
        let h = Harness::start(mock::runtime(), Harness::pool_config());
        let p = pages(&h);
        wait_until("both workers are idle", || h.ctx.pool.snapshot().slots.iter().all(|s| s.state == SlotState::Idle));
        let reply = h.ctx.pool.submit("sleep", crate::bridge::Value::Int(400)).unwrap();
        wait_until("a worker is busy", || h.ctx.pool.snapshot().slots.iter().any(|s| s.state == SlotState::Busy));
        std::thread::sleep(Duration::from_millis(50));
        let page = body(p.respond_to(&Method::GET, "/workers"));
        let workers = page["workers"].as_array().unwrap();
        assert_eq!(workers.len(), 2);
        let busy: Vec<_> = workers.iter().filter(|w| w["state"] == "busy").collect();
        assert_eq!(busy.len(), 1, "{page}");
        assert_eq!(busy[0]["job"]["method"], "sleep");
        assert!(busy[0]["job"]["secs"].as_f64().unwrap() >= 0.05, "{page}");
        assert_eq!(busy[0]["kind"], "thread");
        let idle = workers.iter().find(|w| w["state"] == "idle").unwrap();
        assert!(idle["job"].is_null(), "{page}");
        assert_eq!((page["healthy"].as_bool(), page["queue_depth"].as_u64()), (Some(true), Some(0)));
        let _ = reply.wait(None);
    }

    #[test]
    fn post_reload_bumps_the_generation_and_tells_the_plugins() {
        let h = Harness::start(mock::runtime(), Harness::pool_config());
        let p = pages(&h);
        let before = h.ctx.pool.snapshot().generation;
        let r = p.respond_to(&Method::POST, "/reload");
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        assert_eq!(body(r)["generation"].as_u64(), Some(before + 1));
        assert_eq!(h.ctx.pool.snapshot().generation, before + 1);
        assert_eq!(*h.ctx.reloads.borrow(), 1, "plugins that re-read files on reload hear of it");
    }

    #[test]
    fn admin_paths_refuse_other_methods_with_allow() {
        let h = Harness::start(mock::runtime(), Harness::pool_config());
        let p = pages(&h);
        let before = h.ctx.pool.snapshot().generation;
        let r = p.respond_to(&Method::GET, "/reload");
        assert_eq!((r.status(), r.headers()[ALLOW].to_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "POST"));
        let r = p.respond_to(&Method::POST, "/workers");
        assert_eq!((r.status(), r.headers()[ALLOW].to_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "GET, HEAD"));
        assert_eq!(h.ctx.pool.snapshot().generation, before, "a refused reload reloads nothing");
    }

    #[test]
    fn disabled_without_listen() {
        let h = Harness::start(mock::runtime(), Harness::pool_config());
        let mut m = MetricsPlugin::new(MetricsConfig { listen: None }, Vec::new());
        m.boot(&h.ctx).unwrap();
        assert_eq!(m.local_addr(), None);
        m.shutdown();
    }
}
