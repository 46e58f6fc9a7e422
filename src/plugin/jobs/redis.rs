//! placeholder
use std::time::Duration;
use super::driver::{Broker, BrokerFuture, Delivery, NewJob, Pushed, QueueStats, JobsError};
pub struct RedisBroker;
impl RedisBroker {
    pub fn open(_url: &str, _v: Duration) -> Result<RedisBroker, String> { Err("redis driver not built yet".into()) }
}
impl Broker for RedisBroker {
    fn kind(&self) -> &'static str { "redis" }
    fn push<'a>(&'a self, q: &'a str, _j: Vec<NewJob>, _t: Duration) -> BrokerFuture<'a, Vec<Pushed>> { Box::pin(async move { Err(JobsError::new(q, "x")) }) }
    fn take<'a>(&'a self, q: &'a str, _m: usize, _w: Duration) -> BrokerFuture<'a, Vec<Delivery>> { Box::pin(async move { Err(JobsError::new(q, "x")) }) }
    fn ack<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> { Box::pin(async move { Err(JobsError::new(&d.queue, "x")) }) }
    fn retry<'a>(&'a self, d: &'a Delivery, _a: Duration, _e: String) -> BrokerFuture<'a, ()> { Box::pin(async move { Err(JobsError::new(&d.queue, "x")) }) }
    fn bury<'a>(&'a self, d: &'a Delivery, _dl: &'a str, _e: String) -> BrokerFuture<'a, ()> { Box::pin(async move { Err(JobsError::new(&d.queue, "x")) }) }
    fn release<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> { Box::pin(async move { Err(JobsError::new(&d.queue, "x")) }) }
    fn stats<'a>(&'a self, q: &'a str, _d: &'a str) -> BrokerFuture<'a, QueueStats> { Box::pin(async move { Err(JobsError::new(q, "x")) }) }
    fn retry_dead<'a>(&'a self, q: &'a str, _d: &'a str) -> BrokerFuture<'a, u64> { Box::pin(async move { Err(JobsError::new(q, "x")) }) }
}
