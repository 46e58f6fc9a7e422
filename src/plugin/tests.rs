//! The plugins together, wired as `server.rs` wires them: what the HTTP
//! plugin counts shows on the metrics plugin's page.

use std::time::Duration;

use super::Plugin;
use super::http::HTTP_METRICS;
use super::metrics::MetricsPlugin;
use super::testing::{Fixture, get};
use crate::config::MetricsConfig;

#[test]
fn metrics_healthz_and_readyz() {
    let f = Fixture::start(|_, _| {});
    let mut m = MetricsPlugin::new(MetricsConfig { listen: Some("127.0.0.1:0".parse().unwrap()) }, vec![&HTTP_METRICS]);
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
