//! The HTTP plugin's own numbers (requests by status class, their durations,
//! open and refused connections), kept lock-free next to the code that counts
//! them and rendered into `/metrics` through `MetricSource`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::plugin::prometheus::{MetricSource, header};

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
    /// `http.direct`: requests a worker read and answered itself, and connections it handed to hyper.
    direct_requests: AtomicU64,
    direct_handoffs: AtomicU64,
    direct_queued: AtomicU64,
    /// `http.direct`: static files the I/O thread sent without hyper.
    direct_files: AtomicU64,
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
            direct_requests: AtomicU64::new(0),
            direct_handoffs: AtomicU64::new(0),
            direct_queued: AtomicU64::new(0),
            direct_files: AtomicU64::new(0),
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

    /// `http.direct`: a worker took a request from its connection itself.
    pub fn direct_request(&self) {
        self.direct_requests.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a request the I/O thread queued, every worker being busy.
    pub fn direct_queued(&self) {
        self.direct_queued.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a static file sent by the I/O thread without hyper.
    pub fn direct_file(&self) {
        self.direct_files.fetch_add(1, Ordering::Relaxed);
    }

    /// `http.direct`: a connection went to hyper for good.
    pub fn direct_handoff(&self) {
        self.direct_handoffs.fetch_add(1, Ordering::Relaxed);
    }

    #[cfg(test)]
    pub fn requests_total(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }
}

impl MetricSource for HttpMetrics {
    fn render(&self, out: &mut String) {
        header(out, "folk_http_requests_total", "counter", "HTTP requests answered by the HTTP plugin, by status class.");
        for (i, c) in self.classes.iter().enumerate() {
            let _ = writeln!(out, "folk_http_requests_total{{class=\"{}xx\"}} {}", i + 1, c.load(Ordering::Relaxed));
        }
        header(
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
        header(out, "folk_http_connections", "gauge", "Open HTTP connections.");
        let _ = writeln!(out, "folk_http_connections {}", self.open_connections.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_connections_refused_total",
            "counter",
            "Connections answered 503 because http.max_connections were open.",
        );
        let _ = writeln!(out, "folk_http_connections_refused_total {}", self.refused_connections.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_requests_total",
            "counter",
            "http.direct: requests a PHP worker read from its connection and answered on its own thread.",
        );
        let _ = writeln!(out, "folk_http_direct_requests_total {}", self.direct_requests.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_handoffs_total",
            "counter",
            "http.direct: connections hyper serves instead, from their first request or a later one (h2, HEAD, conditional or ranged static files, pipelining, chunked bodies, ...).",
        );
        let _ = writeln!(out, "folk_http_direct_handoffs_total {}", self.direct_handoffs.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_queued_total",
            "counter",
            "http.direct: requests the I/O thread read and queued because every worker was busy (included in folk_http_direct_requests_total).",
        );
        let _ = writeln!(out, "folk_http_direct_queued_total {}", self.direct_queued.load(Ordering::Relaxed));
        header(
            out,
            "folk_http_direct_files_total",
            "counter",
            "http.direct: static files the I/O thread sent on plain connections without hyper (sendfile for large ones).",
        );
        let _ = writeln!(out, "folk_http_direct_files_total {}", self.direct_files.load(Ordering::Relaxed));
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

#[cfg(test)]
mod tests {
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
