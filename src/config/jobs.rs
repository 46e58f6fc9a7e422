//! The `jobs` section: which broker, how to reach it, and one block of
//! settings per queue (`jobs.queues.<name>.*`). Queue keys are a table of
//! their own because their names hold the queue's name; `ServerConfig::set`
//! routes `jobs.queues.<name>.<key>` here, from arrays and `FOLK_JOBS_QUEUES_<NAME>_<KEY>`.

use std::time::Duration;

use super::parse::Zero;
use super::schema::{Key, Rule};
use super::ServerConfig;
use crate::bridge::Value;
use crate::error::ConfigError;

/// Which broker holds the jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobsDriver {
    /// In this process only: for development and tests; lost on exit.
    Memory,
    /// A Redis server (Streams): shared by many folk servers, survives their crashes.
    Redis,
}

/// How a failed job's delay grows with each attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// Always `retry_delay`.
    Fixed,
    /// `retry_delay × attempt`.
    Linear,
    /// `retry_delay × 2^(attempt-1)`.
    Exponential,
}

impl Backoff {
    pub const ALL: [Backoff; 3] = [Backoff::Fixed, Backoff::Linear, Backoff::Exponential];

    pub fn name(self) -> &'static str {
        match self {
            Backoff::Fixed => "fixed",
            Backoff::Linear => "linear",
            Backoff::Exponential => "exponential",
        }
    }

    pub fn parse(s: &str) -> Option<Backoff> {
        Backoff::ALL.into_iter().find(|b| b.name() == s)
    }
}

/// One queue's settings (`jobs.queues.<name>.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSettings {
    /// At most this many of its jobs run at once (in this server).
    pub concurrency: usize,
    /// At most this many of its jobs are held by this server, running or about to run
    /// (it takes about 100 ms of work ahead, measured from recent jobs, up to this many).
    pub prefetch: usize,
    /// Failed attempts retried before the job is dead-lettered (so 1 + this many runs at most).
    pub max_retries: u32,
    pub retry_delay: Duration,
    pub retry_backoff: Backoff,
    /// The hard time limit of one attempt (None: `workers.exec_timeout`).
    pub timeout: Option<Duration>,
    /// Where dead jobs are kept (None: `<name>.dead`).
    pub dead_letter: Option<String>,
    /// When workers are scarce, queues with a higher priority are served first.
    pub priority: u64,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            concurrency: 1,
            prefetch: 256,
            max_retries: 3,
            retry_delay: Duration::from_secs(1),
            retry_backoff: Backoff::Exponential,
            timeout: None,
            dead_letter: None,
            priority: 0,
        }
    }
}

/// The `jobs` section.
#[derive(Debug, Clone, PartialEq)]
pub struct JobsConfig {
    /// None: the jobs plugin is off.
    pub driver: Option<JobsDriver>,
    pub redis_url: String,
    /// A job delivered this long ago and not acknowledged (its server died) is delivered again.
    pub visibility_timeout: Duration,
    /// How long a push's idempotency `id` is remembered.
    pub idempotency_ttl: Duration,
    /// The queues this server runs, in the order given.
    pub queues: Vec<(String, QueueSettings)>,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            driver: None,
            redis_url: "redis://127.0.0.1:6379/0".into(),
            visibility_timeout: Duration::from_secs(60),
            idempotency_ttl: Duration::from_secs(86_400),
            queues: Vec::new(),
        }
    }
}

impl JobsConfig {
    pub fn queue(&self, name: &str) -> Option<&QueueSettings> {
        super::named(&self.queues, name)
    }

    /// The settings of queue `name`, added with defaults on first mention.
    pub fn queue_mut(&mut self, name: &str) -> &mut QueueSettings {
        super::named_mut(&mut self.queues, name)
    }

    /// The name dead jobs of `queue` are kept under.
    pub fn dead_letter_of(&self, queue: &str) -> String {
        self.queue(queue).and_then(|q| q.dead_letter.clone()).unwrap_or_else(|| format!("{queue}.dead"))
    }

    /// Sets `rest` = "<queue>.<key>" (or "<queue>" with an empty array: a queue with defaults).
    pub fn set_queue_key(&mut self, full: &str, rest: &str, v: &Value) -> Result<(), ConfigError> {
        if let Some(name) = plain_queue_name(rest)
            && matches!(v, Value::List(l) if l.is_empty())
        {
            self.queue_mut(name);
            return Ok(());
        }
        let (name, key) = rest.rsplit_once('.').ok_or_else(|| ConfigError::new(full, "expected an array of the queue's settings, or jobs.queues.<name>.<key>"))?;
        check_queue_name(name).map_err(|reason| ConfigError::new(full, reason))?;
        let k = QUEUE_KEYS.iter().find(|k| k.name == key).ok_or_else(|| {
            let known: Vec<&str> = QUEUE_KEYS.iter().map(|k| k.name).collect();
            ConfigError::new(full, format!("unknown queue option (known: {})", known.join(", ")))
        })?;
        let mut q = self.queue(name).cloned().unwrap_or_default();
        k.apply(&mut q, v).map_err(|e| ConfigError::new(full, e.reason))?;
        *self.queue_mut(name) = q;
        Ok(())
    }

    /// Settings that only make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.driver.is_none() && !self.queues.is_empty() {
            return Err(ConfigError::new("jobs.driver", "queues are configured but no driver: set 'memory' or 'redis'"));
        }
        Ok(())
    }
}

fn plain_queue_name(s: &str) -> Option<&str> {
    check_queue_name(s).ok().map(|_| s)
}

/// A queue name: 1 to 64 of a-z, 0-9, '_' and '-' (it is part of Redis keys and env names).
pub fn check_queue_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok { Ok(()) } else { Err(format!("queue name \"{name}\" must be 1 to 64 of a-z, 0-9, '_' and '-'")) }
}

/// The keys of one queue, each `jobs.queues.<name>.<key>`.
pub static QUEUE_KEYS: &[Key<QueueSettings>] = &[
    Key {
        name: "concurrency",
        default: "1",
        rule: Rule::Count { min: 1, max: 1024, set: |q, n| q.concurrency = n as usize },
        doc: "at most this many of the queue's jobs run at once in this server",
    },
    Key {
        name: "prefetch",
        default: "256",
        rule: Rule::Count { min: 1, max: 10_000, set: |q, n| q.prefetch = n as usize },
        doc: "at most this many of the queue's jobs are held by this server, running or about to run: it takes about 100 ms of work ahead (measured from recent jobs; never fewer than concurrency)",
    },
    Key {
        name: "max_retries",
        default: "3",
        rule: Rule::Count { min: 0, max: 1000, set: |q, n| q.max_retries = n as u32 },
        doc: "a job that failed this many retries (so 1 + max_retries attempts) is dead-lettered",
    },
    Key {
        name: "retry_delay",
        default: "1s",
        rule: Rule::Duration { zero: Zero::Off, set: |q, d| q.retry_delay = d },
        doc: "wait before the first retry; grown by retry_backoff, jittered down by up to 20%",
    },
    Key {
        name: "retry_backoff",
        default: "exponential",
        rule: Rule::Choice { options: &["fixed", "linear", "exponential"], set: |q, s| q.retry_backoff = Backoff::parse(s).unwrap_or(Backoff::Exponential) },
        doc: "how the retry delay grows: fixed, linear (× attempt) or exponential (× 2^(attempt-1)), at most 1h",
    },
    Key {
        name: "timeout",
        default: "0 (workers.exec_timeout)",
        rule: Rule::Duration { zero: Zero::Off, set: |q, d| q.timeout = (!d.is_zero()).then_some(d) },
        doc: "hard time limit of one attempt: the worker is interrupted (TimeoutException) and the job retried",
    },
    Key {
        name: "dead_letter",
        default: "<name>.dead",
        rule: Rule::TextOrOff { accepted: "a name", set: |q, s| q.dead_letter = s },
        doc: "where jobs that ran out of retries are kept with their last error (retryDead() requeues them)",
    },
    Key {
        name: "priority",
        default: "0",
        rule: Rule::Count { min: 0, max: 1000, set: |q, n| q.priority = n },
        doc: "when workers are scarce, ready jobs of higher-priority queues start first",
    },
];

/// The `jobs.*` keys a server reads (the queues' own keys are `QUEUE_KEYS`).
pub(super) static JOBS_KEYS: &[Key<ServerConfig>] = &[
    Key {
        name: "jobs.driver",
        default: "off",
        rule: Rule::Choice { options: &["off", "memory", "redis"], set: |c, s| c.jobs.driver = match s {
            "memory" => Some(JobsDriver::Memory),
            "redis" => Some(JobsDriver::Redis),
            _ => None,
        } },
        doc: "the jobs plugin's broker: memory (this process only, lost on exit) or redis; off disables it",
    },
    Key {
        name: "jobs.redis.url",
        default: "redis://127.0.0.1:6379/0",
        rule: Rule::Text { accepted: "a redis:// URL", set: |c, s| c.jobs.redis_url = s },
        doc: "the Redis server of jobs.driver = redis",
    },
    Key {
        name: "jobs.visibility_timeout",
        default: "60s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.jobs.visibility_timeout = d },
        doc: "redis: a job taken by a server that stopped renewing it this long ago (it died) is run again",
    },
    Key {
        name: "jobs.idempotency_ttl",
        default: "1d",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.jobs.idempotency_ttl = d },
        doc: "how long a push's 'id' is remembered: a second push with it in that time is a no-op",
    },
];

/// The `jobs` section alone, from `Folk\Jobs`'s options (`['driver' => 'redis', 'redis' => ['url' => …]]`):
/// the same keys as a server's `jobs.*`, without the prefix.
pub fn jobs_config(options: &Value) -> Result<JobsConfig, ConfigError> {
    let mut c = super::ServerConfig::default();
    for (key, v) in super::flatten(options)? {
        c.set(&format!("jobs.{key}"), v)?;
    }
    c.jobs.validate()?;
    Ok(c.jobs)
}

/// A push's `delay` option: a duration ("10s", 1.5, "250ms"), 0 for none.
pub fn delay_option(key: &str, v: &Value) -> Result<Duration, ConfigError> {
    super::parse::duration(key, v, Zero::Off)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerConfig;

    #[test]
    fn queue_keys_make_queues_in_order_and_errors_name_the_full_key() {
        let mut c = ServerConfig::default();
        c.set("jobs.driver", &"memory".into()).unwrap();
        c.set("jobs.queues.mail.concurrency", &Value::Int(4)).unwrap();
        c.set("jobs.queues.images", &Value::List(vec![])).unwrap();
        c.set("jobs.queues.mail.retry_backoff", &"LINEAR".into()).unwrap();
        c.set("jobs.queues.mail.timeout", &"60s".into()).unwrap();
        let names: Vec<&str> = c.jobs.queues.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["mail", "images"]);
        let mail = c.jobs.queue("mail").unwrap();
        assert_eq!((mail.concurrency, mail.retry_backoff, mail.timeout), (4, Backoff::Linear, Some(Duration::from_secs(60))));
        assert_eq!(c.jobs.queue("images"), Some(&QueueSettings::default()));
        assert_eq!(c.jobs.dead_letter_of("mail"), "mail.dead");
        for (key, v, reason) in [
            ("jobs.queues.mail.concurrency", Value::Int(0), "must be at least 1"),
            ("jobs.queues.mail.nope", Value::Int(1), "unknown queue option (known: concurrency,"),
            ("jobs.queues.Mail.priority", Value::Int(1), "queue name \"Mail\" must be"),
            ("jobs.queues.mail", Value::Int(1), "expected an array of the queue's settings"),
        ] {
            let before = c.clone();
            let e = c.set(key, &v).unwrap_err();
            assert_eq!(e.key, key);
            assert!(e.reason.starts_with(reason) || e.reason.contains(reason), "{key}: {}", e.reason);
            assert_eq!(c, before, "{key}: a refused value changes nothing");
        }
    }

    #[test]
    fn queues_without_a_driver_are_refused() {
        let mut c = JobsConfig::default();
        c.queue_mut("mail");
        assert_eq!(c.validate().unwrap_err().key, "jobs.driver");
    }

    #[test]
    fn readme_queue_table_lists_exactly_the_queue_keys() {
        let rows = crate::config::schema::readme_rows("queue key");
        let keys = crate::config::schema::doc_rows(QUEUE_KEYS);
        assert_eq!(rows, keys, "README.md's queue keys table must match QUEUE_KEYS");
    }
}
