//! Errors a job, a pool or a configuration can end in. Each `WorkError`
//! variant maps to one PHP exception class (see `api::exceptions`) and, in
//! the HTTP plugin, to one status code.

use std::time::Duration;

/// Why one job failed. The caller gets exactly one of these or a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkError {
    /// The queue is full, or the job waited in it past `queue.timeout`.
    #[error("pool busy: {0}")]
    Busy(String),
    /// The job ran past `workers.exec_timeout` and was interrupted.
    #[error("job exceeded exec_timeout of {}; it was interrupted and the worker recycled", fmt_duration(*.0))]
    Timeout(Duration),
    /// The worker died during the job: fatal error, exit(), memory_limit.
    #[error("worker died during the job: {0}")]
    WorkerDied(String),
    /// The handler threw; the original exception's class, message, file, line.
    #[error("{class}: {message} in {file}:{line}")]
    Application { class: String, message: String, file: String, line: i64 },
    /// The pool cannot run jobs: its workers keep failing to boot.
    #[error("pool unhealthy: {0}")]
    Unhealthy(String),
    /// The pool is shutting down or closed.
    #[error("pool is shut down")]
    ShutDown,
    /// The payload or the result cannot cross threads.
    #[error("{0}")]
    Bridge(#[from] BridgeError),
}

/// A value that cannot be copied between interpreters; `path` says where it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct BridgeError {
    pub path: String,
    pub reason: String,
}

/// An invalid option; `key` is the option's full dotted name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid option '{key}': {reason}")]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError { key: key.into(), reason: reason.into() }
    }
}

pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 { format!("{}s", ms / 1000) } else { format!("{ms}ms") }
}
