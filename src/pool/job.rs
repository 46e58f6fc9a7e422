//! A job: a method and its payload on the way to a worker, with the reply
//! its caller waits on and when it was queued.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::reply::Reply;
use crate::bridge::Value;

pub struct Job {
    pub method: String,
    pub payload: Value,
    pub reply: Arc<Reply>,
    pub enqueued: Instant,
    /// A background job (the jobs plugin's): in the background lane, outside `queue.size`.
    pub background: bool,
}

impl Job {
    /// Whether it has been queued for `limit` or longer (`queue.timeout`).
    pub fn waited(&self, limit: Duration, now: Instant) -> bool {
        now.duration_since(self.enqueued) >= limit
    }
}
