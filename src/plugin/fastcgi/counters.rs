//! The FastCGI plugin's own numbers, as the HTTP plugin keeps its: requests
//! by status class and their durations, open and refused connections, and
//! requests the web server aborted. Rendered into `/metrics`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::plugin::metrics::front::{FrontHelp, FrontMetrics};
use crate::plugin::metrics::prometheus::{MetricSource, header};

/// The front's counters (requests, connections) and aborted requests.
pub type FastcgiMetrics = FrontMetrics<AtomicU64>;

pub static FASTCGI_METRICS: FastcgiMetrics = FrontMetrics::with(AtomicU64::new(0));

impl FastcgiMetrics {
    /// The web server aborted a request (FCGI_ABORT_REQUEST, or it closed the connection).
    pub fn aborted(&self) {
        self.own.fetch_add(1, Ordering::Relaxed);
    }
}

impl MetricSource for FastcgiMetrics {
    fn render(&self, out: &mut String) {
        self.render_front(
            out,
            "folk_fastcgi",
            &FrontHelp {
                requests: "FastCGI requests answered, by status class.",
                duration: "Time from a FastCGI request's params to its END_REQUEST, body, queueing and PHP included.",
                connections: "Open FastCGI connections.",
                refused: "FastCGI connections closed at once because http.max_connections were open.",
            },
        );
        header(
            out,
            "folk_fastcgi_aborted_total",
            "counter",
            "FastCGI requests the web server aborted (its client left): dropped unrun if still queued.",
        );
        let _ = writeln!(out, "folk_fastcgi_aborted_total {}", self.own.load(Ordering::Relaxed));
    }
}
