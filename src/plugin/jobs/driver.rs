//! What a broker must do for the jobs plugin and `Folk\Jobs`, whichever
//! store is behind it (memory or Redis). A job taken with `take` is a
//! `Delivery`: it stays the broker's until exactly one of ack (done), retry,
//! bury (dead letter) or release (not started: back to ready) settles it, so
//! a server that dies mid-job leaves it to be delivered again (at-least-once).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::encoding::Envelope;

/// Why a broker operation failed; the message names the queue.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("jobs queue '{queue}': {reason}")]
pub struct JobsError {
    pub queue: String,
    pub reason: String,
}

impl JobsError {
    pub fn new(queue: &str, reason: impl Into<String>) -> Self {
        JobsError { queue: queue.to_string(), reason: reason.into() }
    }
}

pub type BrokerFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, JobsError>> + Send + 'a>>;

/// A job to push.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub envelope: Envelope,
    /// `envelope` in its stored form (`Envelope::encode`), made once by the pusher.
    pub text: String,
    /// Ready at once when zero.
    pub delay: Duration,
    /// `envelope.id` is the pusher's idempotency key: a second push with it (within the TTL) is a no-op.
    pub idempotent: bool,
}

/// What became of one pushed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed {
    Queued(String),
    /// The idempotency key was seen within its TTL: nothing was added.
    Duplicate(String),
}

impl Pushed {
    pub fn id(&self) -> &str {
        match self {
            Pushed::Queued(id) | Pushed::Duplicate(id) => id,
        }
    }
}

/// A job taken from a queue, not settled yet.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub queue: String,
    pub envelope: Envelope,
    /// The broker's handle on this delivery (a sequence number, a stream entry id).
    pub token: String,
}

/// One queue's numbers, as `Folk\Jobs::stats()` returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueStats {
    pub ready: u64,
    pub delayed: u64,
    /// Taken by a server and not settled.
    pub running: u64,
    pub dead: u64,
    pub done: u64,
    /// Attempts that failed (retried or dead-lettered).
    pub failed: u64,
}

pub trait Broker: Send + Sync {
    /// "memory" or "redis".
    fn kind(&self) -> &'static str;
    /// Adds jobs to `queue` (all or none where the store allows).
    fn push<'a>(&'a self, queue: &'a str, jobs: Vec<NewJob>, idempotency_ttl: Duration) -> BrokerFuture<'a, Vec<Pushed>>;
    /// Takes up to `max` ready jobs, waiting up to `wait` for the first one.
    fn take<'a>(&'a self, queue: &'a str, max: usize, wait: Duration) -> BrokerFuture<'a, Vec<Delivery>>;
    /// The job is done.
    fn ack<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()>;
    /// The attempt failed: run it again (attempt + 1) after `after`.
    fn retry<'a>(&'a self, d: &'a Delivery, after: Duration, error: String) -> BrokerFuture<'a, ()>;
    /// The last attempt failed: keep it under `dead_letter` with the error.
    fn bury<'a>(&'a self, d: &'a Delivery, dead_letter: &'a str, error: String) -> BrokerFuture<'a, ()>;
    /// It never started (shutdown, pool full): ready again, attempt unchanged.
    fn release<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()>;
    /// Still running: tell the broker not to hand it to another server.
    fn touch<'a>(&'a self, _d: &'a Delivery) -> BrokerFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
    /// Housekeeping done by every consumer: promote due delayed jobs, reclaim jobs of dead servers.
    fn maintain<'a>(&'a self, _queue: &'a str) -> BrokerFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
    /// This server consumes `queue` and buries its dead jobs under `dead_letter`. The broker
    /// records that with the queue (Redis: when this server makes the queue's consumer group), so
    /// that a client whose options do not repeat the queue's settings finds its dead letters.
    fn declare(&self, queue: &str, dead_letter: &str);
    /// The dead letter the queue's consuming server recorded (`declare`), if any did.
    fn recorded_dead_letter<'a>(&'a self, queue: &'a str) -> BrokerFuture<'a, Option<String>>;
    fn stats<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, QueueStats>;
    /// Moves every dead job of `queue` back to ready (attempt 1); returns how many.
    fn retry_dead<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, u64>;
}
