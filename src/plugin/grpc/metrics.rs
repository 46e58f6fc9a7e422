//! The gRPC plugin's numbers in `/metrics`: calls by service, method and
//! status code, their durations, and calls the client cancelled. Service
//! and method come from the request path, so their distinct pairs are
//! capped: past `MAX_PAIRS` new ones count as "other" (bounded cardinality
//! whatever paths clients send).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::plugin::metrics::front::DURATION_BUCKETS;
use crate::plugin::metrics::prometheus::{MetricSource, header};

/// Distinct (service, method) pairs counted by name.
const MAX_PAIRS: usize = 256;

pub struct GrpcMetrics {
    /// (service, method, code) => calls.
    calls: Mutex<BTreeMap<(String, String, i32), u64>>,
    /// Per-bucket (not cumulative) counts; the last one is +Inf.
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    cancelled: AtomicU64,
}

pub static GRPC_METRICS: GrpcMetrics = GrpcMetrics {
    calls: Mutex::new(BTreeMap::new()),
    buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64::new(0),
    cancelled: AtomicU64::new(0),
};

impl GrpcMetrics {
    /// One call ended with `code` after `took`.
    pub(super) fn observe(&self, service: &str, method: &str, code: i32, took: Duration) {
        {
            let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
            let key = (service.to_string(), method.to_string(), code);
            let known = calls.contains_key(&key) || calls.keys().any(|(s, m, _)| s == service && m == method);
            let key = if known || pairs(&calls) < MAX_PAIRS { key } else { ("other".into(), "other".into(), code) };
            *calls.entry(key).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        let i = DURATION_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The client went away before the call ended (RST_STREAM, a closed connection).
    pub(super) fn cancelled(&self) {
        self.cancelled.fetch_add(1, Ordering::Relaxed);
    }
}

fn pairs(calls: &BTreeMap<(String, String, i32), u64>) -> usize {
    let mut seen: Vec<(&str, &str)> = calls.keys().map(|(s, m, _)| (s.as_str(), m.as_str())).collect();
    seen.dedup();
    seen.len()
}

/// The label value of a status code, as grpc-go and tonic name them.
fn code_name(code: i32) -> &'static str {
    const NAMES: [&str; 17] = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];
    usize::try_from(code).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("UNKNOWN")
}

/// A label value with `\` and `"` escaped.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl MetricSource for GrpcMetrics {
    fn render(&self, out: &mut String) {
        header(out, "folk_grpc_requests_total", "counter", "gRPC calls ended, by service, method and status code.");
        for ((service, method, code), n) in self.calls.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(
                out,
                "folk_grpc_requests_total{{service=\"{}\",method=\"{}\",code=\"{}\"}} {n}",
                label(service),
                label(method),
                code_name(*code)
            );
        }
        let duration = "folk_grpc_request_duration_seconds";
        header(out, duration, "histogram", "Time from a gRPC call's headers to its status, queueing, PHP and streaming included.");
        let mut cumulative = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            let le = DURATION_BUCKETS.get(i).map_or_else(|| "+Inf".to_string(), |le| le.to_string());
            let _ = writeln!(out, "{duration}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{duration}_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{duration}_count {cumulative}");
        header(out, "folk_grpc_cancelled_total", "counter", "gRPC calls the client cancelled or left before their status: a queued job is dropped unrun.");
        let _ = writeln!(out, "folk_grpc_cancelled_total {}", self.cancelled.load(Ordering::Relaxed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_by_service_method_and_code_name() {
        let m = GrpcMetrics {
            calls: Mutex::new(BTreeMap::new()),
            buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
            cancelled: AtomicU64::new(0),
        };
        m.observe("pkg.Svc", "Get", 0, Duration::from_millis(3));
        m.observe("pkg.Svc", "Get", 0, Duration::from_millis(3));
        m.observe("pkg.Svc", "Get", 5, Duration::from_millis(3));
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("folk_grpc_requests_total{service=\"pkg.Svc\",method=\"Get\",code=\"OK\"} 2"), "{out}");
        assert!(out.contains("code=\"NOT_FOUND\"} 1"), "{out}");
        assert!(out.contains("folk_grpc_request_duration_seconds_count 3"), "{out}");
    }

    #[test]
    fn new_pairs_past_the_cap_count_as_other() {
        let m = GrpcMetrics {
            calls: Mutex::new(BTreeMap::new()),
            buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
            cancelled: AtomicU64::new(0),
        };
        for i in 0..MAX_PAIRS + 10 {
            m.observe("s", &format!("m{i}"), 0, Duration::ZERO);
        }
        let calls = m.calls.lock().unwrap();
        assert_eq!(pairs(&calls), MAX_PAIRS + 1);
        assert_eq!(calls[&("other".to_string(), "other".to_string(), 0)], 10);
    }
}
