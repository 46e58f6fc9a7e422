//! The HTTP plugin's own numbers (requests by status class, their durations,
//! open and refused connections), kept lock-free next to the code that counts
//! them and rendered into `/metrics` through `MetricSource`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::plugin::metrics::front::OpenConnection;
use crate::plugin::metrics::front::{FrontHelp, FrontMetrics};
use crate::plugin::metrics::prometheus::{MetricSource, header};

/// Process-wide HTTP counters: the front's (requests, connections) and `http.direct`'s.
pub type HttpMetrics = FrontMetrics<DirectCounters>;

/// `http.direct`'s own counters.
pub struct DirectCounters {
    /// Requests a worker read and answered itself, and connections it handed to hyper.
    requests: AtomicU64,
    handoffs: AtomicU64,
    queued: AtomicU64,
    /// Static files the I/O thread sent without hyper.
    files: AtomicU64,
}

pub static HTTP_METRICS: HttpMetrics = HttpMetrics::new();

impl HttpMetrics {
    pub const fn new() -> Self {
        FrontMetrics::with(DirectCounters {
            requests: AtomicU64::new(0),
            handoffs: AtomicU64::new(0),
            queued: AtomicU64::new(0),
            files: AtomicU64::new(0),
        })
    }

    /// `http.direct`: a worker took a request from its connection itself.
    pub fn direct_request(&self) {
        self.own.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a request the I/O thread queued, every worker being busy.
    pub fn direct_queued(&self) {
        self.own.queued.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a static file sent by the I/O thread without hyper.
    pub fn direct_file(&self) {
        self.own.files.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a connection went to hyper for good.
    pub fn direct_handoff(&self) {
        self.own.handoffs.fetch_add(1, Ordering::Relaxed);
    }
}

impl MetricSource for HttpMetrics {
    fn render(&self, out: &mut String) {
        self.render_front(
            out,
            "folk_http",
            &FrontHelp {
                requests: "HTTP requests answered by the HTTP plugin, by status class.",
                duration: "Time from a parsed request head to the response, queueing and PHP included.",
                connections: "Open HTTP connections.",
                refused: "Connections answered 503 because http.max_connections were open.",
            },
        );
        header(
            out,
            "folk_http_direct_requests_total",
            "counter",
            "http.direct: requests a PHP worker read from its connection and answered on its own thread.",
        );
        let _ = writeln!(out, "folk_http_direct_requests_total {}", self.own.requests.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_handoffs_total",
            "counter",
            "http.direct: connections hyper serves instead, from their first request or a later one (h2, HEAD, conditional or ranged static files, pipelining, chunked bodies, ...).",
        );
        let _ = writeln!(out, "folk_http_direct_handoffs_total {}", self.own.handoffs.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_queued_total",
            "counter",
            "http.direct: requests the I/O thread read and queued because every worker was busy (included in folk_http_direct_requests_total).",
        );
        let _ = writeln!(out, "folk_http_direct_queued_total {}", self.own.queued.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_files_total",
            "counter",
            "http.direct: static files the I/O thread sent on plain connections without hyper (sendfile for large ones).",
        );
        let _ = writeln!(out, "folk_http_direct_files_total {}", self.own.files.load(Ordering::Relaxed));
    }
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

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
}
