//! The FastCGI plugin's own numbers, as the HTTP plugin keeps its: requests
//! by status class and their durations, open and refused connections, and
//! requests the web server aborted. Rendered into `/metrics`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::plugin::http::counters::DURATION_BUCKETS;
use crate::plugin::prometheus::{MetricSource, header};

pub struct FastcgiMetrics {
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    classes: [AtomicU64; 5],
    open_connections: AtomicU64,
    refused_connections: AtomicU64,
    aborted: AtomicU64,
}

pub static FASTCGI_METRICS: FastcgiMetrics = FastcgiMetrics {
    buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64::new(0),
    classes: [const { AtomicU64::new(0) }; 5],
    open_connections: AtomicU64::new(0),
    refused_connections: AtomicU64::new(0),
    aborted: AtomicU64::new(0),
};

impl FastcgiMetrics {
    /// Records one answered request.
    pub fn observe(&self, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let i = DURATION_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
        if let Some(c) = (status / 100).checked_sub(1).and_then(|i| self.classes.get(usize::from(i))) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts an open connection until the guard is dropped.
    pub fn connection_opened(&'static self) -> OpenConnection {
        self.open_connections.fetch_add(1, Ordering::Relaxed);
        OpenConnection(self)
    }

    pub fn connection_refused(&self) {
        self.refused_connections.fetch_add(1, Ordering::Relaxed);
    }

    /// The web server aborted a request (FCGI_ABORT_REQUEST, or it closed the connection).
    pub fn aborted(&self) {
        self.aborted.fetch_add(1, Ordering::Relaxed);
    }
}

pub struct OpenConnection(&'static FastcgiMetrics);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open_connections.fetch_sub(1, Ordering::Relaxed);
    }
}

impl MetricSource for FastcgiMetrics {
    fn render(&self, out: &mut String) {
        header(out, "folk_fastcgi_requests_total", "counter", "FastCGI requests answered, by status class.");
        for (i, c) in self.classes.iter().enumerate() {
            let _ = writeln!(out, "folk_fastcgi_requests_total{{class=\"{}xx\"}} {}", i + 1, c.load(Ordering::Relaxed));
        }
        header(
            out,
            "folk_fastcgi_request_duration_seconds",
            "histogram",
            "Time from a FastCGI request's params to its END_REQUEST, body, queueing and PHP included.",
        );
        let mut cumulative = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            let le = DURATION_BUCKETS.get(i).map_or_else(|| "+Inf".to_string(), |le| le.to_string());
            let _ = writeln!(out, "folk_fastcgi_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "folk_fastcgi_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "folk_fastcgi_request_duration_seconds_count {cumulative}");
        header(out, "folk_fastcgi_connections", "gauge", "Open FastCGI connections.");
        let _ = writeln!(out, "folk_fastcgi_connections {}", self.open_connections.load(Ordering::Relaxed));
        header(out, "folk_fastcgi_connections_refused_total", "counter", "FastCGI connections closed at once because http.max_connections were open.");
        let _ = writeln!(out, "folk_fastcgi_connections_refused_total {}", self.refused_connections.load(Ordering::Relaxed));
        header(
            out,
            "folk_fastcgi_aborted_total",
            "counter",
            "FastCGI requests the web server aborted (its client left): dropped unrun if still queued.",
        );
        let _ = writeln!(out, "folk_fastcgi_aborted_total {}", self.aborted.load(Ordering::Relaxed));
    }
}
