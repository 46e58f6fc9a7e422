//! The jobs plugin's numbers on `/metrics`: jobs by queue and outcome, the
//! queues' ready/delayed/running/dead gauges (refreshed from the broker about
//! once a second, so a scrape never waits on Redis), job durations, and
//! whether the broker can be reached (also what `/readyz` says when it cannot).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::driver::QueueStats;
use crate::plugin::metrics::prometheus::{MetricSource, header};

/// Upper bounds (seconds) of the job-duration histogram buckets.
pub const DURATION_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0];

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// It failed and will run again.
    Retried,
    /// It failed its last attempt and was dead-lettered.
    Dead,
    /// It ran past the queue's timeout (then was retried or dead-lettered too).
    Timeout,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Done, Outcome::Retried, Outcome::Dead, Outcome::Timeout];
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Retried => "retried",
            Outcome::Dead => "dead",
            Outcome::Timeout => "timeout",
        }
    }
}

pub struct QueueMetrics {
    pub name: String,
    outcomes: [AtomicU64; 4],
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    gauges: Mutex<QueueStats>,
}

impl QueueMetrics {
    fn new(name: &str) -> Self {
        QueueMetrics {
            name: name.to_string(),
            outcomes: [const { AtomicU64::new(0) }; 4],
            buckets: [const { AtomicU64::new(0) }; DURATION_BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
            gauges: Mutex::new(QueueStats::default()),
        }
    }

    pub fn count(&self, o: Outcome) {
        self.outcomes[o as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let i = DURATION_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(took.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    pub fn set_gauges(&self, s: QueueStats) {
        *self.gauges.lock().unwrap_or_else(|e| e.into_inner()) = s;
    }

    pub fn outcome(&self, o: Outcome) -> u64 {
        self.outcomes[o as usize].load(Ordering::Relaxed)
    }
}

#[derive(Default)]
struct Inner {
    driver: Option<&'static str>,
    queues: Vec<Arc<QueueMetrics>>,
    /// Why the broker cannot be reached, while it cannot.
    down: Option<String>,
}

/// Process-wide; the jobs plugin fills it at boot.
pub struct JobsMetrics(Mutex<Option<Inner>>);

pub static JOBS_METRICS: JobsMetrics = JobsMetrics(Mutex::new(None));

impl JobsMetrics {
    fn with<T>(&self, f: impl FnOnce(&mut Option<Inner>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The plugin booted with these queues: counters start at zero.
    pub fn start(&self, driver: &'static str, queues: &[String]) -> Vec<Arc<QueueMetrics>> {
        let qs: Vec<Arc<QueueMetrics>> = queues.iter().map(|q| Arc::new(QueueMetrics::new(q))).collect();
        self.with(|m| *m = Some(Inner { driver: Some(driver), queues: qs.clone(), down: None }));
        qs
    }

    pub fn stop(&self) {
        self.with(|m| *m = None);
    }

    pub fn set_down(&self, why: Option<String>) {
        self.with(|m| {
            if let Some(m) = m {
                m.down = why;
            }
        });
    }
}

impl MetricSource for JobsMetrics {
    fn render(&self, out: &mut String) {
        self.with(|m| {
            let Some(m) = m else { return };
            header(out, "folk_jobs_broker_up", "gauge", "1 while the jobs broker can be reached, 0 while it cannot.");
            let _ = writeln!(out, "folk_jobs_broker_up{{driver=\"{}\"}} {}", m.driver.unwrap_or(""), u8::from(m.down.is_none()));
            header(out, "folk_queue_jobs_total", "counter", "Background job attempts by queue and outcome: done, retried, dead (out of retries), timeout (also counted as retried or dead).");
            for q in &m.queues {
                for o in Outcome::ALL {
                    let _ = writeln!(out, "folk_queue_jobs_total{{queue=\"{}\",outcome=\"{}\"}} {}", q.name, o.name(), q.outcome(o));
                }
            }
            header(out, "folk_queue_jobs", "gauge", "Background jobs by queue and state (refreshed about once a second).");
            for q in &m.queues {
                let g = q.gauges.lock().unwrap_or_else(|e| e.into_inner()).clone();
                for (state, n) in [("ready", g.ready), ("delayed", g.delayed), ("running", g.running), ("dead", g.dead)] {
                    let _ = writeln!(out, "folk_queue_jobs{{queue=\"{}\",state=\"{state}\"}} {n}", q.name);
                }
            }
            header(out, "folk_queue_job_duration_seconds", "histogram", "How long background job attempts ran, by queue.");
            for q in &m.queues {
                let mut cumulative = 0u64;
                for (i, le) in DURATION_BUCKETS.iter().enumerate() {
                    cumulative += q.buckets[i].load(Ordering::Relaxed);
                    let _ = writeln!(out, "folk_queue_job_duration_seconds_bucket{{queue=\"{}\",le=\"{le}\"}} {cumulative}", q.name);
                }
                cumulative += q.buckets[DURATION_BUCKETS.len()].load(Ordering::Relaxed);
                let _ = writeln!(out, "folk_queue_job_duration_seconds_bucket{{queue=\"{}\",le=\"+Inf\"}} {cumulative}", q.name);
                let _ = writeln!(out, "folk_queue_job_duration_seconds_sum{{queue=\"{}\"}} {}", q.name, q.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
                let _ = writeln!(out, "folk_queue_job_duration_seconds_count{{queue=\"{}\"}} {cumulative}", q.name);
            }
        });
    }

    fn not_ready(&self) -> Option<String> {
        self.with(|m| m.as_ref().and_then(|m| m.down.as_ref().map(|why| format!("jobs broker unreachable: {why}"))))
    }
}
