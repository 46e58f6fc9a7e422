//! Application metrics from PHP (`Folk\Metrics::counter/gauge/histogram`):
//! one process-wide registry, so every worker thread adds to the same series,
//! rendered on the metrics plugin's `/metrics` after folk's own. Names and
//! labels are checked when first used; a name keeps the kind it was first used
//! as (the design folk descends from crashed on a duplicate registration: here
//! it is a typed error), and the series per name are bounded.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

use super::prometheus::{MetricSource, header};

/// Upper bounds of every application histogram (Prometheus's defaults).
pub const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Series (label combinations) one metric may have; more is almost always a label holding an id.
pub const MAX_SERIES_PER_METRIC: usize = 1000;
pub const MAX_METRICS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// Why a metric update was refused; the message names the metric.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("metric '{name}': {reason}")]
pub struct MetricError {
    pub name: String,
    pub reason: String,
}

type Labels = Vec<(String, String)>;

#[derive(Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

enum Series {
    Number(f64),
    Histogram(Box<Histogram>),
}

struct Family {
    kind: Kind,
    series: BTreeMap<Labels, Series>,
}

pub struct AppMetrics(Mutex<BTreeMap<String, Family>>);

pub static APP_METRICS: AppMetrics = AppMetrics(Mutex::new(BTreeMap::new()));

fn valid_name(s: &str, colon: bool) -> bool {
    let mut bytes = s.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || (colon && b == b':'));
    first_ok && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || (colon && b == b':'))
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn labels_text(labels: &Labels, extra: Option<(&str, String)>) -> String {
    let mut parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
    if let Some((k, v)) = extra {
        parts.push(format!("{k}=\"{v}\""));
    }
    if parts.is_empty() { String::new() } else { format!("{{{}}}", parts.join(",")) }
}

impl AppMetrics {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Family>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies `f` to the series of `name` with `labels`, creating it (checked) on first use.
    fn update(&self, kind: Kind, name: &str, mut labels: Labels, f: impl FnOnce(&mut Series)) -> Result<(), MetricError> {
        let err = |reason: String| MetricError { name: name.to_string(), reason };
        if !valid_name(name, true) {
            return Err(err("a metric name is [a-zA-Z_:][a-zA-Z0-9_:]*".into()));
        }
        if name.starts_with("folk_") {
            return Err(err("names starting with folk_ are folk's own".into()));
        }
        for (k, _) in &labels {
            if !valid_name(k, false) || k.starts_with("__") || (kind == Kind::Histogram && k == "le") {
                return Err(err(format!("label '{k}': a label name is [a-zA-Z_][a-zA-Z0-9_]*, not starting with __ (and not le on a histogram)")));
            }
        }
        labels.sort();
        if labels.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(err("a label is given twice".into()));
        }
        let mut all = self.lock();
        if !all.contains_key(name) && all.len() >= MAX_METRICS {
            return Err(err(format!("more than {MAX_METRICS} application metrics")));
        }
        let family = all.entry(name.to_string()).or_insert_with(|| Family { kind, series: BTreeMap::new() });
        if family.kind != kind {
            return Err(err(format!("it is a {}, not a {}", family.kind.name(), kind.name())));
        }
        let n = family.series.len();
        let series = match family.series.get_mut(&labels) {
            Some(s) => s,
            None if n >= MAX_SERIES_PER_METRIC => {
                return Err(err(format!("more than {MAX_SERIES_PER_METRIC} label combinations (is a label an id?)")));
            }
            None => family.series.entry(labels).or_insert_with(|| match kind {
                Kind::Histogram => Series::Histogram(Box::default()),
                _ => Series::Number(0.0),
            }),
        };
        f(series);
        Ok(())
    }

    pub fn counter(&self, name: &str, by: f64, labels: Labels) -> Result<(), MetricError> {
        if !by.is_finite() || by < 0.0 {
            return Err(MetricError { name: name.into(), reason: format!("a counter only goes up by a finite amount >= 0, got {by}") });
        }
        self.update(Kind::Counter, name, labels, |s| {
            if let Series::Number(x) = s {
                *x += by;
            }
        })
    }

    pub fn gauge(&self, name: &str, value: f64, labels: Labels) -> Result<(), MetricError> {
        if !value.is_finite() {
            return Err(MetricError { name: name.into(), reason: format!("a gauge takes a finite value, got {value}") });
        }
        self.update(Kind::Gauge, name, labels, |s| {
            if let Series::Number(x) = s {
                *x = value;
            }
        })
    }

    pub fn histogram(&self, name: &str, value: f64, labels: Labels) -> Result<(), MetricError> {
        if !value.is_finite() {
            return Err(MetricError { name: name.into(), reason: format!("a histogram observes finite values, got {value}") });
        }
        self.update(Kind::Histogram, name, labels, |s| {
            if let Series::Histogram(h) = s {
                if let Some(i) = BUCKETS.iter().position(|le| value <= *le) {
                    h.buckets[i] += 1;
                }
                h.count += 1;
                h.sum += value;
            }
        })
    }
}

impl MetricSource for AppMetrics {
    fn render(&self, out: &mut String) {
        let all = self.lock();
        for (name, family) in all.iter() {
            header(out, name, family.kind.name(), "Application metric (Folk\\Metrics).");
            for (labels, series) in &family.series {
                match series {
                    Series::Number(x) => {
                        let _ = writeln!(out, "{name}{} {x}", labels_text(labels, None));
                    }
                    Series::Histogram(h) => {
                        let mut cumulative = 0;
                        for (i, le) in BUCKETS.iter().enumerate() {
                            cumulative += h.buckets[i];
                            let _ = writeln!(out, "{name}_bucket{} {cumulative}", labels_text(labels, Some(("le", le.to_string()))));
                        }
                        let _ = writeln!(out, "{name}_bucket{} {}", labels_text(labels, Some(("le", "+Inf".into()))), h.count);
                        let _ = writeln!(out, "{name}_sum{} {}", labels_text(labels, None), h.sum);
                        let _ = writeln!(out, "{name}_count{} {}", labels_text(labels, None), h.count);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn series_render_in_the_prometheus_text_format_with_escaped_labels() {
        let m = AppMetrics(Mutex::new(BTreeMap::new()));
        m.counter("orders_total", 1.0, l(&[("shop", "a\"b"), ("kind", "x")])).unwrap();
        m.counter("orders_total", 2.5, l(&[("kind", "x"), ("shop", "a\"b")])).unwrap();
        m.gauge("queue_size", 7.0, vec![]).unwrap();
        m.histogram("latency_seconds", 0.02, l(&[("route", "/")])).unwrap();
        m.histogram("latency_seconds", 20.0, l(&[("route", "/")])).unwrap();
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("# TYPE orders_total counter\norders_total{kind=\"x\",shop=\"a\\\"b\"} 3.5\n"), "{out}");
        assert!(out.contains("queue_size 7\n"), "{out}");
        assert!(out.contains("latency_seconds_bucket{route=\"/\",le=\"0.01\"} 0\n"), "{out}");
        assert!(out.contains("latency_seconds_bucket{route=\"/\",le=\"0.025\"} 1\n"), "{out}");
        assert!(out.contains("latency_seconds_bucket{route=\"/\",le=\"+Inf\"} 2\n"), "{out}");
        assert!(out.contains("latency_seconds_count{route=\"/\"} 2\n"), "{out}");
    }

    #[test]
    fn bad_names_kinds_values_and_cardinality_are_refused_by_name() {
        let m = AppMetrics(Mutex::new(BTreeMap::new()));
        let reason = |r: Result<(), MetricError>| r.unwrap_err().reason;
        assert!(reason(m.counter("9lives", 1.0, vec![])).contains("a metric name is"));
        assert!(reason(m.counter("folk_jobs", 1.0, vec![])).contains("folk's own"));
        assert!(reason(m.counter("c", -1.0, vec![])).contains("only goes up"));
        assert!(reason(m.gauge("g", f64::NAN, vec![])).contains("finite"));
        assert!(reason(m.counter("c", 1.0, l(&[("a-b", "x")]))).contains("label 'a-b'"));
        assert!(reason(m.histogram("h", 1.0, l(&[("le", "x")]))).contains("not le"));
        m.counter("c", 1.0, vec![]).unwrap();
        assert_eq!(reason(m.gauge("c", 1.0, vec![])), "it is a counter, not a gauge");
        for i in 0..MAX_SERIES_PER_METRIC {
            m.gauge("wide", 1.0, l(&[("id", &i.to_string())])).unwrap();
        }
        assert!(reason(m.gauge("wide", 1.0, l(&[("id", "one more")]))).contains("label combinations"));
        m.gauge("wide", 2.0, l(&[("id", "3")])).unwrap();
    }
}
