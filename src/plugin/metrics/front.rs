//! The counters both fronts keep, the HTTP plugin and the FastCGI plugin:
//! answered requests by status class and their durations (a histogram), open
//! and refused connections. One type, so the two count and render alike and
//! only their series' names and HELP texts differ; each plugin adds its own
//! counters as `X` (`HttpMetrics`, `FastcgiMetrics` are this type with theirs).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::plugin::metrics::prometheus::header;

/// Upper bounds (seconds) of the request-duration histogram buckets.
pub const DURATION_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// A front's counters, and `own`, its plugin's. Lock-free: recording costs a few atomic adds.
pub struct FrontMetrics<X> {
    /// Per-bucket (not cumulative) counts; the last one is +Inf.
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    /// 1xx..5xx.
    classes: [AtomicU64; 5],
    open_connections: AtomicU64,
    refused_connections: AtomicU64,
    /// The plugin's own counters.
    pub(crate) own: X,
}

/// The HELP texts of a front's series.
pub struct FrontHelp {
    pub requests: &'static str,
    pub duration: &'static str,
    pub connections: &'static str,
    pub refused: &'static str,
}

impl<X> FrontMetrics<X> {
    pub const fn with(own: X) -> Self {
        FrontMetrics {
            buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
            classes: [const { AtomicU64::new(0) }; 5],
            open_connections: AtomicU64::new(0),
            refused_connections: AtomicU64::new(0),
            own,
        }
    }

    /// Records one answered request (a status outside 1xx..5xx counts in the histogram only).
    pub fn observe(&self, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let i = DURATION_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
        if let Some(c) = (status / 100).checked_sub(1).and_then(|i| self.classes.get(usize::from(i))) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts an open connection until the returned guard is dropped.
    pub fn connection_opened(&'static self) -> OpenConnection {
        self.open_connections.fetch_add(1, Ordering::Relaxed);
        OpenConnection(&self.open_connections)
    }

    /// A connection turned away because `http.max_connections` were open.
    pub fn connection_refused(&self) {
        self.refused_connections.fetch_add(1, Ordering::Relaxed);
    }

    /// Appends `{prefix}_requests_total` by class, the `{prefix}_request_duration_seconds`
    /// histogram, the `{prefix}_connections` gauge and `{prefix}_connections_refused_total`.
    pub fn render_front(&self, out: &mut String, prefix: &str, help: &FrontHelp) {
        // Writing to a String cannot fail.
        let requests = format!("{prefix}_requests_total");
        header(out, &requests, "counter", help.requests);
        for (i, c) in self.classes.iter().enumerate() {
            let _ = writeln!(out, "{requests}{{class=\"{}xx\"}} {}", i + 1, c.load(Ordering::Relaxed));
        }
        let duration = format!("{prefix}_request_duration_seconds");
        header(out, &duration, "histogram", help.duration);
        let mut cumulative = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            let le = DURATION_BUCKETS.get(i).map_or_else(|| "+Inf".to_string(), |le| le.to_string());
            let _ = writeln!(out, "{duration}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{duration}_sum {sum}");
        let _ = writeln!(out, "{duration}_count {cumulative}");
        header(out, &format!("{prefix}_connections"), "gauge", help.connections);
        let _ = writeln!(out, "{prefix}_connections {}", self.open_connections.load(Ordering::Relaxed));
        header(out, &format!("{prefix}_connections_refused_total"), "counter", help.refused);
        let _ = writeln!(out, "{prefix}_connections_refused_total {}", self.refused_connections.load(Ordering::Relaxed));
    }

    /// Requests recorded so far.
    #[cfg(test)]
    pub fn requests_total(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }
}

/// An open connection, counted until dropped.
pub struct OpenConnection(&'static AtomicU64);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
