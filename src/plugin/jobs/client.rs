//! The pushing side, as `Folk\Jobs` uses it from any PHP thread: inside a
//! server's worker it shares the server's broker (for the memory driver that
//! is the point: one in-process store); elsewhere it opens its own, driven by
//! a small process-wide tokio runtime. Every call has a deadline, so a
//! broker that is down fails the push with a clear error instead of hanging.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use once_cell::sync::Lazy;

use super::driver::{Broker, JobsError, NewJob, QueueStats};
use super::encoding::{Envelope, new_id, unix_now};
use super::memory::MemoryBroker;
use super::redis::RedisBroker;
use crate::bridge::Value;
use crate::config::{JobsConfig, JobsDriver, check_queue_name};

/// The one memory broker of this process.
pub static MEMORY: Lazy<Arc<MemoryBroker>> = Lazy::new(|| Arc::new(MemoryBroker::new()));

/// The running server's jobs config and broker, while its jobs plugin runs.
static SERVER: RwLock<Option<Client>> = RwLock::new(None);

/// Redis brokers by URL.
type Opened = Vec<(String, Arc<RedisBroker>)>;

/// Redis brokers opened outside a server: one connection per URL per process.
static OPENED: Lazy<Mutex<Opened>> = Lazy::new(Mutex::default);

/// Drives the brokers opened outside a server.
static CLIENT_RUNTIME: Lazy<Result<tokio::runtime::Runtime, String>> = Lazy::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("folk-jobs-client")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the jobs client runtime: {e}"))
});

/// How long a push, stats or retryDead may take before it fails.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// One job to push, as PHP gave it.
pub struct Push {
    pub name: String,
    pub payload: Value,
    pub delay: Duration,
    /// The idempotency key.
    pub id: Option<String>,
}

#[derive(Clone)]
pub struct Client {
    config: JobsConfig,
    broker: Arc<dyn Broker>,
    runtime: tokio::runtime::Handle,
}

impl Client {
    /// The server's client, inside a server whose jobs plugin runs.
    pub fn of_server() -> Option<Client> {
        SERVER.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn publish(c: Option<Client>) {
        *SERVER.write().unwrap_or_else(|e| e.into_inner()) = c;
    }

    pub(super) fn new(config: JobsConfig, broker: Arc<dyn Broker>, runtime: tokio::runtime::Handle) -> Client {
        Client { config, broker, runtime }
    }

    /// A client for `config` outside a server (or with another config than the server's).
    pub fn open(config: JobsConfig) -> Result<Client, JobsError> {
        let runtime = CLIENT_RUNTIME.as_ref().map_err(|e| JobsError::new("-", e.clone()))?.handle().clone();
        let broker: Arc<dyn Broker> = match config.driver {
            None => return Err(JobsError::new("-", "no jobs driver configured: pass ['driver' => 'memory' or 'redis']")),
            Some(JobsDriver::Memory) => MEMORY.clone(),
            Some(JobsDriver::Redis) => {
                let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
                match opened.iter().find(|(url, _)| *url == config.redis_url) {
                    Some((_, b)) => b.clone(),
                    None => {
                        let _enter = runtime.enter();
                        let b = Arc::new(RedisBroker::open(&config.redis_url, config.visibility_timeout).map_err(|e| JobsError::new("-", e))?);
                        opened.push((config.redis_url.clone(), b.clone()));
                        b
                    }
                }
            }
        };
        Ok(Client { config, broker, runtime })
    }

    fn check_queue(&self, queue: &str) -> Result<(), JobsError> {
        check_queue_name(queue).map_err(|reason| JobsError::new(queue, reason))?;
        // With queues configured, a push to another one would never run here.
        if !self.config.queues.is_empty() && self.config.queue(queue).is_none() {
            let known: Vec<&str> = self.config.queues.iter().map(|(n, _)| n.as_str()).collect();
            return Err(JobsError::new(queue, format!("not a configured queue (jobs.queues: {})", known.join(", "))));
        }
        Ok(())
    }

    fn call<T>(&self, queue: &str, f: impl std::future::Future<Output = Result<T, JobsError>>) -> Result<T, JobsError> {
        self.runtime.block_on(async {
            match tokio::time::timeout(CALL_TIMEOUT, f).await {
                Ok(r) => r,
                Err(_) => Err(JobsError::new(queue, format!("the {} broker did not answer within {}s", self.broker.kind(), CALL_TIMEOUT.as_secs()))),
            }
        })
    }

    /// Pushes jobs to `queue`; returns their ids (the given idempotency key, or a fresh id).
    pub fn push(&self, queue: &str, jobs: Vec<Push>) -> Result<Vec<String>, JobsError> {
        self.check_queue(queue)?;
        let now = unix_now();
        let mut batch = Vec::with_capacity(jobs.len());
        for p in jobs {
            let idempotent = p.id.is_some();
            let envelope = Envelope { id: p.id.unwrap_or_else(new_id), name: p.name, payload: p.payload, attempt: 1, enqueued_at: now, last_error: None };
            let text = envelope.encode().map_err(|e| JobsError::new(queue, format!("the payload cannot be stored: {e}")))?;
            batch.push(NewJob { envelope, text, delay: p.delay, idempotent });
        }
        let pushed = self.call(queue, self.broker.push(queue, batch, self.config.idempotency_ttl))?;
        Ok(pushed.into_iter().map(|p| p.id().to_string()).collect())
    }

    /// Where `queue`'s dead jobs are: the dead letter its consuming server recorded wins over
    /// this client's options, which often do not repeat the server's queue settings (a web
    /// request's `Folk\Jobs(['driver' => 'redis', …])`) and may be stale; they (or `<queue>.dead`)
    /// serve only until a server has consumed the queue.
    async fn dead_letter(&self, queue: &str) -> Result<String, JobsError> {
        Ok(match self.broker.recorded_dead_letter(queue).await? {
            Some(recorded) => recorded,
            None => self.config.dead_letter_of(queue),
        })
    }

    pub fn stats(&self, queue: &str) -> Result<QueueStats, JobsError> {
        check_queue_name(queue).map_err(|reason| JobsError::new(queue, reason))?;
        self.call(queue, async {
            let dead = self.dead_letter(queue).await?;
            self.broker.stats(queue, &dead).await
        })
    }

    pub fn retry_dead(&self, queue: &str) -> Result<u64, JobsError> {
        check_queue_name(queue).map_err(|reason| JobsError::new(queue, reason))?;
        self.call(queue, async {
            let dead = self.dead_letter(queue).await?;
            self.broker.retry_dead(queue, &dead).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memory client whose options give `queue` the dead letter `dead_letter`, if any.
    fn client(queue: &str, dead_letter: Option<&str>) -> Client {
        let mut config = JobsConfig { driver: Some(JobsDriver::Memory), ..JobsConfig::default() };
        if let Some(d) = dead_letter {
            config.queue_mut(queue).dead_letter = Some(d.to_string());
        }
        Client::open(config).unwrap()
    }

    #[test]
    fn stats_and_retry_dead_use_the_dead_letter_the_server_recorded_over_the_clients_options() {
        // MEMORY is the process's: a queue of this test's own.
        let q = "client-recorded-dead-letter";
        let (plain, other) = (client(q, None), client(q, Some("elsewhere")));
        let dead_letter = |c: &Client| c.runtime.block_on(c.dead_letter(q)).unwrap();
        assert_eq!((dead_letter(&plain), dead_letter(&other)), (format!("{q}.dead"), "elsewhere".to_string()), "no server consumed it yet");
        let jobs = (0..3).map(|i| Push { name: "n".into(), payload: Value::Int(i), delay: Duration::ZERO, id: None }).collect();
        plain.push(q, jobs).unwrap();
        MEMORY.declare(q, "q-dead");
        let (taken, _) = MEMORY.take_now(q, 3);
        for d in &taken {
            MEMORY.bury_now(d, "q-dead", "boom".into()).unwrap();
        }
        assert_eq!((plain.stats(q).unwrap().dead, other.stats(q).unwrap().dead), (3, 3));
        assert_eq!(other.retry_dead(q).unwrap(), 3);
        let s = plain.stats(q).unwrap();
        assert_eq!((s.ready, s.dead), (3, 0));
    }
}
