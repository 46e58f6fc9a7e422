//! `Folk\Metrics`: application counters, gauges and histograms with labels,
//! exported on the server's `/metrics`. Translation only: the registry is
//! `server::app_metrics`.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::{InvalidArgumentException, exception};
use crate::bridge::zval::to_value;
use crate::bridge::{Key, Value};
use crate::server::app_metrics::{APP_METRICS, MetricError};

/// Application metrics, shared by every worker of the process.
#[php_class]
#[php(name = "Folk\\Metrics")]
pub struct Metrics;

fn refused(e: MetricError) -> PhpException {
    exception::<InvalidArgumentException>(e.to_string())
}

/// `['route' => '/', 'status' => 200]` as label pairs; values are strings, ints, floats or bools.
fn labels(name: &str, z: Option<&Zval>) -> PhpResult<Vec<(String, String)>> {
    let bad = |reason: String| refused(MetricError { name: name.to_string(), reason });
    let Some(z) = z else { return Ok(Vec::new()) };
    let v = to_value(z, "labels").map_err(|e| bad(e.to_string()))?;
    let entries = match v {
        Value::Map(entries) => entries,
        Value::List(items) if items.is_empty() => Vec::new(),
        _ => return Err(bad("labels are an array of name => value".into())),
    };
    entries
        .into_iter()
        .map(|(k, v)| {
            let Key::Str(k) = k else { return Err(bad(format!("label {k}: a label name is a string"))) };
            let k = String::from_utf8_lossy(&k).into_owned();
            let value = match v {
                Value::Str(s) => String::from_utf8_lossy(&s).into_owned(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(bad(format!("label '{k}': a value is a string or a number"))),
            };
            Ok((k, value))
        })
        .collect()
}

#[php_impl]
impl Metrics {
    /// Adds `$value` (default 1, never negative) to the counter `$name` with `$labels`.
    pub fn counter(name: String, value: Option<f64>, labels: Option<&Zval>) -> PhpResult<()> {
        let l = self::labels(&name, labels)?;
        APP_METRICS.counter(&name, value.unwrap_or(1.0), l).map_err(refused)
    }

    /// Sets the gauge `$name` with `$labels` to `$value`.
    pub fn gauge(name: String, value: f64, labels: Option<&Zval>) -> PhpResult<()> {
        let l = self::labels(&name, labels)?;
        APP_METRICS.gauge(&name, value, l).map_err(refused)
    }

    /// Records `$value` (seconds, usually) in the histogram `$name` with `$labels`
    /// (buckets 5ms to 10s, Prometheus's defaults).
    pub fn histogram(name: String, value: f64, labels: Option<&Zval>) -> PhpResult<()> {
        let l = self::labels(&name, labels)?;
        APP_METRICS.histogram(&name, value, l).map_err(refused)
    }
}
