//! `Folk\Jobs`: push background jobs, read a queue's numbers, requeue its
//! dead letters. Translation only: the broker client is `server::jobs`.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::{config_error, jobs_error};
use crate::bridge::zval::{to_value, to_zval};
use crate::bridge::{Key, Value};
use crate::config::{delay_option, jobs_config};
use crate::error::ConfigError;
use crate::server::jobs::{Client, JobsError, Push, QueueStats};

/// Longest idempotency key accepted.
const MAX_ID_LEN: usize = 256;

/// A client of the jobs broker.
#[php_class]
#[php(name = "Folk\\Jobs")]
pub struct Jobs {
    client: Client,
}

fn option<'a>(opts: &'a Value, name: &str) -> Option<&'a Value> {
    match opts {
        Value::Map(entries) => entries.iter().find(|(k, _)| *k == Key::str(name)).map(|(_, v)| v),
        _ => None,
    }
}

/// One job from `push()`'s arguments or a `pushMany()` entry.
fn job(queue: &str, name: String, payload: Value, opts: &Value, at: &str) -> PhpResult<Push> {
    if let Value::Map(entries) = opts {
        for (k, _) in entries {
            if !matches!(k, Key::Str(s) if [&b"delay"[..], b"id", b"name", b"payload"].contains(&s.as_slice())) {
                return Err(jobs_error(JobsError::new(queue, format!("{at}: unknown option {k} (known: 'delay', 'id')"))));
            }
        }
    }
    let delay = match option(opts, "delay") {
        None | Some(Value::Null) => std::time::Duration::ZERO,
        Some(v) => delay_option(&format!("{at}['delay']"), v).map_err(|e| jobs_error(JobsError::new(queue, e.to_string())))?,
    };
    let id = match option(opts, "id") {
        None | Some(Value::Null) => None,
        Some(Value::Str(s)) if !s.is_empty() && s.len() <= MAX_ID_LEN => {
            Some(String::from_utf8(s.clone()).map_err(|_| jobs_error(JobsError::new(queue, format!("{at}['id'] must be UTF-8"))))?)
        }
        Some(_) => return Err(jobs_error(JobsError::new(queue, format!("{at}['id'] must be a string of 1 to {MAX_ID_LEN} bytes")))),
    };
    if name.is_empty() {
        return Err(jobs_error(JobsError::new(queue, format!("{at}: the job name must not be empty"))));
    }
    Ok(Push { name, payload, delay, id })
}

fn stats_zval(s: &QueueStats) -> Zval {
    let n = |x: u64| Value::Int(x.min(i64::MAX as u64) as i64);
    to_zval(&Value::Map(vec![
        (Key::str("ready"), n(s.ready)),
        (Key::str("delayed"), n(s.delayed)),
        (Key::str("running"), n(s.running)),
        (Key::str("dead"), n(s.dead)),
        (Key::str("done"), n(s.done)),
        (Key::str("failed"), n(s.failed)),
    ]))
}

#[php_impl]
impl Jobs {
    /// With no options inside a folk worker: the server's `jobs` config (and,
    /// for the memory driver, its in-process broker). Else the `jobs` keys:
    /// `['driver' => 'redis', 'redis' => ['url' => 'redis://…'], 'queues' => […]]`.
    pub fn __construct(options: Option<&Zval>) -> PhpResult<Self> {
        let client = match options {
            None => Client::of_server().ok_or_else(|| {
                jobs_error(JobsError::new(
                    "-",
                    "no jobs configuration: pass options (['driver' => 'redis', …]) or create it in a worker of a server with a 'jobs' section",
                ))
            })?,
            Some(z) => {
                let v = to_value(z, "options").map_err(|e| config_error(ConfigError::new("options", e.to_string())))?;
                let cfg = jobs_config(&v).map_err(config_error)?;
                Client::open(cfg).map_err(jobs_error)?
            }
        };
        Ok(Jobs { client })
    }

    /// Pushes one job; returns its id. `$options`: 'delay' (e.g. "10s"), 'id' (idempotency key:
    /// a second push with it within jobs.idempotency_ttl is a no-op and returns the same id).
    pub fn push(&self, queue: String, name: String, payload: Option<&Zval>, options: Option<&Zval>) -> PhpResult<String> {
        let payload = match payload {
            None => Value::Null,
            Some(z) => to_value(z, "payload").map_err(|e| jobs_error(JobsError::new(&queue, e.to_string())))?,
        };
        let opts = match options {
            None => Value::Null,
            Some(z) => to_value(z, "options").map_err(|e| jobs_error(JobsError::new(&queue, e.to_string())))?,
        };
        let j = job(&queue, name, payload, &opts, "options")?;
        let mut ids = self.client.push(&queue, vec![j]).map_err(jobs_error)?;
        Ok(ids.pop().unwrap_or_default())
    }

    /// Pushes many jobs at once: each `['name' => …, 'payload' => …, 'delay' => …, 'id' => …]`; returns their ids in order.
    pub fn push_many(&self, queue: String, jobs: &Zval) -> PhpResult<Vec<String>> {
        let list = to_value(jobs, "jobs").map_err(|e| jobs_error(JobsError::new(&queue, e.to_string())))?;
        let items = match list {
            Value::List(items) => items,
            Value::Map(entries) => entries.into_iter().map(|(_, v)| v).collect(),
            _ => return Err(jobs_error(JobsError::new(&queue, "jobs must be an array of ['name' => …, 'payload' => …]"))),
        };
        let mut batch = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("jobs[{i}]");
            let name = match option(item, "name") {
                Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                _ => return Err(jobs_error(JobsError::new(&queue, format!("{at}['name'] must be a string")))),
            };
            let payload = option(item, "payload").cloned().unwrap_or(Value::Null);
            batch.push(job(&queue, name, payload, item, &at)?);
        }
        self.client.push(&queue, batch).map_err(jobs_error)
    }

    /// The queue's numbers: ready, delayed, running, dead, done and failed. The dead letters are
    /// found under the name the queue's consuming server recorded (these options' only until one has).
    pub fn stats(&self, queue: String) -> PhpResult<Zval> {
        Ok(stats_zval(&self.client.stats(&queue).map_err(jobs_error)?))
    }

    /// Moves the queue's dead letters back to ready (attempt 1); returns how many.
    pub fn retry_dead(&self, queue: String) -> PhpResult<i64> {
        let n = self.client.retry_dead(&queue).map_err(jobs_error)?;
        Ok(n.min(i64::MAX as u64) as i64)
    }
}
