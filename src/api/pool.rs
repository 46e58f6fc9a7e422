//! `Folk\Pool` and `Folk\Future`: run jobs on worker threads from any PHP
//! script. Translation only: options and values in, exceptions out.

use std::cell::RefCell;
use std::sync::{Arc, Weak};
use std::time::Duration;

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::{InvalidArgumentException, TimeoutException, config_error, exception, folk_error, throw_work_error};
use crate::bridge::zval::{to_value, to_zval};
use crate::bridge::{Key, Value};
use crate::config::{MAX_DURATION, PoolConfig, describe, flatten};
use crate::error::ConfigError;
use crate::pool::stats::PoolStats;
use crate::pool::{JobResult, Pool, Reply};
use crate::runtime::{serve, zts::ZtsRuntime};

thread_local! {
    /// Pools opened by this thread's request, closed at its request shutdown at
    /// the latest: every worker thread must be joined before PHP shuts down.
    static OPEN: RefCell<Vec<Weak<Pool>>> = const { RefCell::new(Vec::new()) };
}

/// Closes every pool this thread opened (request shutdown).
pub fn close_thread_pools() {
    let pools: Vec<Weak<Pool>> = OPEN.with(|o| o.borrow_mut().drain(..).collect());
    for p in pools.iter().filter_map(Weak::upgrade) {
        p.close();
    }
}

/// A pool of PHP workers running `$workerScript` on threads.
#[php_class]
#[php(name = "Folk\\Pool")]
pub struct PhpPool {
    pool: Option<Arc<Pool>>,
}

fn payload_value(payload: Option<&Zval>) -> PhpResult<Value> {
    match payload {
        None => Ok(Value::Null),
        Some(z) => to_value(z, "payload").map_err(|e| folk_error(e.to_string())),
    }
}

fn answer(r: JobResult) -> PhpResult<Zval> {
    match r {
        Ok(v) => Ok(to_zval(&v)),
        Err(e) => {
            throw_work_error(e);
            Ok(Zval::new())
        }
    }
}

impl PhpPool {
    fn pool(&self) -> PhpResult<&Arc<Pool>> {
        self.pool.as_ref().ok_or_else(|| folk_error("the pool is closed"))
    }
}

#[php_impl]
impl PhpPool {
    /// Starts the workers and waits until each booted (or failed to).
    pub fn __construct(worker_script: String, options: Option<&Zval>) -> PhpResult<Self> {
        if serve::in_worker() {
            return Err(folk_error("a Folk\\Pool cannot be created inside a folk worker"));
        }
        let mut config = PoolConfig::default();
        if let Some(opts) = options {
            let v = to_value(opts, "options").map_err(|e| config_error(ConfigError::new("options", e.to_string())))?;
            config.apply(flatten(&v).map_err(config_error)?).map_err(config_error)?;
        }
        let path = std::fs::canonicalize(&worker_script)
            .map_err(|e| config_error(ConfigError::new("worker", format!("cannot open {worker_script}: {e}"))))?;
        config.worker = path.to_string_lossy().into_owned();
        let pool = Pool::start(config, Arc::new(ZtsRuntime { web: None }))
            .map_err(|e| folk_error(format!("cannot start the pool: {e}")))?;
        let pool = Arc::new(pool);
        OPEN.with(|o| o.borrow_mut().push(Arc::downgrade(&pool)));
        Ok(PhpPool { pool: Some(pool) })
    }

    /// Runs a job and returns its result (blocking).
    pub fn call(&self, method: String, payload: Option<&Zval>) -> PhpResult<Zval> {
        let payload = payload_value(payload)?;
        answer(self.pool()?.execute(method, payload))
    }

    /// Queues a job and returns at once.
    pub fn submit(&self, method: String, payload: Option<&Zval>) -> PhpResult<Future> {
        let payload = payload_value(payload)?;
        match self.pool()?.submit(method, payload) {
            Ok(reply) => Ok(Future { reply, result: None }),
            Err(e) => {
                throw_work_error(e);
                Ok(Future { reply: Arc::new(Reply::new()), result: None })
            }
        }
    }

    /// Replaces every worker after its current job (new code is loaded); no job fails.
    pub fn reload(&self) -> PhpResult<()> {
        self.pool()?.reload();
        Ok(())
    }

    /// Per-slot and pool-wide figures.
    pub fn stats(&self) -> PhpResult<Zval> {
        Ok(to_zval(&stats_value(&self.pool()?.stats())))
    }

    /// Finishes queued and running jobs (up to server.shutdown_timeout) and stops the workers.
    pub fn close(&mut self) {
        if let Some(p) = self.pool.take() {
            p.close();
        }
    }
}

impl Drop for PhpPool {
    fn drop(&mut self) {
        self.close();
    }
}

/// The answer of a submitted job.
#[php_class]
#[php(name = "Folk\\Future")]
pub struct Future {
    reply: Arc<Reply>,
    result: Option<JobResult>,
}

#[php_impl]
impl Future {
    /// Waits for the result (at most $timeout seconds if given) and returns it,
    /// or throws the job's exception.
    pub fn wait(&mut self, timeout: Option<f64>) -> PhpResult<Zval> {
        let result = match &self.result {
            Some(r) => r.clone(),
            None => {
                let limit = timeout.map(wait_limit).transpose()?;
                let Some(r) = self.reply.wait(limit) else {
                    return Err(exception::<TimeoutException>(format!(
                        "Future::wait() gave up after {}s; the job is still queued or running",
                        timeout.unwrap_or(0.0)
                    )));
                };
                self.result = Some(r.clone());
                r
            }
        };
        answer(result)
    }

    /// Whether the answer is there (wait() would not block).
    pub fn done(&self) -> bool {
        self.result.is_some() || self.reply.is_done()
    }
}

/// `Future::wait()`'s timeout: finite seconds from 0 to `MAX_DURATION`, so
/// that the deadline it sets is always an `Instant` (a huge one would overflow).
fn wait_limit(seconds: f64) -> PhpResult<Duration> {
    let max = MAX_DURATION.as_secs();
    (0.0..=max as f64)
        .contains(&seconds)
        .then(|| Duration::try_from_secs_f64(seconds).ok())
        .flatten()
        .ok_or_else(|| {
            exception::<InvalidArgumentException>(format!(
                "Future::wait(): $timeout must be from 0 to {max} seconds, or null to wait without limit; got {}",
                describe(&Value::Float(seconds))
            ))
        })
}

fn s(k: &str) -> Key {
    Key::str(k)
}

fn stats_value(st: &PoolStats) -> Value {
    let slots = st
        .slots
        .iter()
        .map(|sl| {
            Value::Map(vec![
                (s("id"), Value::Int(sl.id as i64)),
                (s("state"), Value::from(sl.state.name())),
                (s("jobs"), Value::Int(sl.jobs as i64)),
                (s("jobs_total"), Value::Int(sl.jobs_total as i64)),
                (s("age"), Value::Float(sl.age_secs)),
                (s("memory"), Value::Int(sl.memory as i64)),
                (s("restarts"), Value::Int(sl.restarts as i64)),
                (s("generation"), Value::Int(sl.generation as i64)),
                (s("last_error"), sl.last_error.clone().map(Value::from).unwrap_or(Value::Null)),
            ])
        })
        .collect();
    let recycles = Value::Map(st.recycles.iter().map(|(k, n)| (s(k), Value::Int(*n as i64))).collect());
    Value::Map(vec![
        (s("workers"), Value::List(slots)),
        (s("queue_depth"), Value::Int(st.queue_depth as i64)),
        (s("healthy"), Value::Bool(st.healthy)),
        (s("health_reason"), st.health_reason.clone().map(Value::from).unwrap_or(Value::Null)),
        (s("generation"), Value::Int(st.generation as i64)),
        (
            s("jobs"),
            Value::Map(vec![
                (s("submitted"), Value::Int(st.submitted as i64)),
                (s("ok"), Value::Int(st.ok as i64)),
                (s("application_errors"), Value::Int(st.app_errors as i64)),
                (s("worker_died"), Value::Int(st.died as i64)),
                (s("timeouts"), Value::Int(st.timeouts as i64)),
                (s("busy"), Value::Int(st.busy as i64)),
            ]),
        ),
        (s("boot_failures"), Value::Int(st.boot_failures as i64)),
        (s("recycles"), recycles),
    ])
}
