//! Acknowledgements of finished jobs, combined: each job that ends well
//! hands its entry id to one task per broker, which settles everything that
//! arrived while its previous call was out in one script per queue. Under
//! load a round trip and a script run carry dozens of jobs instead of one
//! (the Redis side of throughput); when idle a lone ack goes at once, so it
//! costs no latency. An ack that cannot reach Redis (it is down, restarting)
//! is tried again with backoff until it lands, while the job stays held by this
//! server (so its own reclaim leaves it alone): a job that finished during an
//! outage is acknowledged once Redis is back instead of running again.

use std::collections::HashMap;
use std::time::Duration;

use redis::aio::ConnectionManager;
use tokio::sync::{mpsc, oneshot};

use super::driver::JobsError;

/// At most this many acks go in one script (a script blocks Redis while it runs).
const MAX_BATCH: usize = 1000;

struct Ack {
    queue: String,
    token: String,
    settled: oneshot::Sender<Result<(), JobsError>>,
}

/// The sending side; the task ends when it is dropped.
pub struct Acks {
    tx: mpsc::UnboundedSender<Ack>,
}

impl Acks {
    /// Starts the combining task on the current tokio runtime.
    pub fn start(conn: ConnectionManager, url: String) -> Acks {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(rx, conn, url));
        Acks { tx }
    }

    /// Acknowledges the stream entry `token` of `queue` together with whatever else is waiting.
    pub async fn ack(&self, queue: &str, token: &str) -> Result<(), JobsError> {
        let (settled, outcome) = oneshot::channel();
        let gone = || JobsError::new(queue, "the jobs broker is shutting down; the job stays pending and is delivered again");
        self.tx.send(Ack { queue: queue.to_string(), token: token.to_string(), settled }).map_err(|_| gone())?;
        outcome.await.unwrap_or_else(|_| Err(gone()))
    }
}

async fn run(mut rx: mpsc::UnboundedReceiver<Ack>, mut conn: ConnectionManager, url: String) {
    let mut batch = Vec::with_capacity(64);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut by_queue: HashMap<String, Vec<Ack>> = HashMap::new();
        for mut a in batch.drain(..) {
            by_queue.entry(std::mem::take(&mut a.queue)).or_default().push(a);
        }
        for (queue, acks) in by_queue {
            let r = settle_until_reachable(&mut conn, &queue, &acks, &url).await.map_err(|e| JobsError::new(&queue, format!("Redis at {url}: {e}")));
            match &r {
                Ok(settled) if *settled < acks.len() => {
                    tracing::debug!(queue, acks = acks.len(), settled, "some deliveries were settled elsewhere already");
                }
                _ => {}
            }
            for a in acks {
                let _ = a.settled.send(r.as_ref().map(|_| ()).map_err(Clone::clone));
            }
        }
    }
}

/// Backoff between two tries of a batch whose Redis is unreachable: 50 ms doubling to 1 s.
fn retry_pause(tries: u32) -> Duration {
    super::backoff::doubling(Duration::from_millis(50), Duration::from_secs(1), tries)
}

/// An error after which the same script may succeed once the connection is remade. Wider than
/// the broker's `reconnects` (which a push must not outlast: a push that timed out may have been
/// stored), as an acknowledgement may be sent again whatever became of the first one.
fn unreachable(e: &redis::RedisError) -> bool {
    e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() || e.is_timeout()
}

async fn settle_until_reachable(conn: &mut ConnectionManager, queue: &str, acks: &[Ack], url: &str) -> redis::RedisResult<usize> {
    let mut tries = 0u32;
    loop {
        match settle(conn, queue, acks).await {
            Err(e) if unreachable(&e) => {
                if tries == 0 {
                    tracing::warn!(queue, jobs = acks.len(), redis = url, error = %e, "cannot acknowledge finished jobs; trying again until Redis answers");
                }
                tokio::time::sleep(retry_pause(tries)).await;
                tries = tries.saturating_add(1);
            }
            r => {
                if tries > 0 && r.is_ok() {
                    tracing::info!(queue, jobs = acks.len(), "finished jobs acknowledged after Redis came back");
                }
                return r;
            }
        }
    }
}

async fn settle(conn: &mut ConnectionManager, queue: &str, acks: &[Ack]) -> redis::RedisResult<usize> {
    let k = super::redis_scripts::keys(queue);
    let mut invocation = super::redis_scripts::ACK_MANY.key(&k.ready);
    invocation.key(&k.stats);
    for a in acks {
        invocation.arg(&a.token);
    }
    let n: i64 = invocation.invoke_async(conn).await?;
    Ok(n.max(0) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_redis_is_retried_from_50ms_doubling_to_one_second() {
        assert_eq!(retry_pause(0), Duration::from_millis(50));
        assert_eq!(retry_pause(1), Duration::from_millis(100));
        assert_eq!(retry_pause(4), Duration::from_millis(800));
        assert_eq!(retry_pause(30), Duration::from_secs(1));
    }
}
