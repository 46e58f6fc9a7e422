//! One queue's consumer: takes ready jobs in batches, holding about 100 ms of
//! work (see `prefetch`), lets at most `concurrency` of them run at once, passes each through the gate (HTTP first, priorities), runs
//! it on the pool as method "jobs.process" under the queue's hard `timeout`,
//! and settles it with the broker: done, retried after a backoff, or
//! dead-lettered with its error. A job that never started goes back unacked.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore, watch};

use super::backoff;
use super::driver::{Broker, Delivery};
use super::gate::Gate;
use super::prefetch::Prefetch;
use super::metrics::{JOBS_METRICS, Outcome, QueueMetrics};
use crate::config::QueueSettings;
use crate::error::WorkError;
use crate::pool::{PoolHandle, ReplyFuture};

/// The pool method jobs arrive as.
pub const METHOD: &str = "jobs.process";

/// How long one `take` waits for a job before the loop looks at its flags again.
const TAKE_WAIT: Duration = Duration::from_millis(500);

/// What the consumers of one server share.
pub struct Shared {
    pub broker: Arc<dyn Broker>,
    pub pool: PoolHandle,
    pub gate: Arc<Gate>,
    /// Jobs taken and not settled yet, over all queues (shutdown waits for 0).
    pub in_flight: AtomicUsize,
    pub settled: Notify,
    pub visibility_timeout: Duration,
}

pub struct QueueRunner {
    pub name: String,
    pub settings: QueueSettings,
    pub dead_letter: String,
    pub metrics: Arc<QueueMetrics>,
    /// Jobs of this queue taken and not settled (waiting to start or running).
    taken: AtomicUsize,
    room: Notify,
    /// How many of them to hold.
    prefetch: Prefetch,
    /// One permit per job of this queue allowed to run at once (`concurrency`).
    running: Semaphore,
}

impl QueueRunner {
    pub fn new(name: String, settings: QueueSettings, dead_letter: String, metrics: Arc<QueueMetrics>) -> Self {
        let prefetch = Prefetch::new(settings.concurrency, settings.prefetch);
        let running = Semaphore::new(settings.concurrency);
        QueueRunner { name, settings, dead_letter, metrics, taken: AtomicUsize::new(0), room: Notify::new(), prefetch, running }
    }

    /// How many jobs the consumer should read now, if any.
    fn wants_more(&self) -> Option<usize> {
        self.prefetch.wants(self.taken.load(Ordering::Acquire))
    }
}

fn stopping(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow()
}

/// Waits until `stop` is true.
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Backoff while the broker fails: 100ms doubling to 5s, never a busy loop.
fn broker_backoff(failures: u32) -> Duration {
    backoff::doubling(Duration::from_millis(100), Duration::from_secs(5), failures)
}

/// Takes and starts jobs of one queue until the server stops.
pub async fn consume(shared: Arc<Shared>, q: Arc<QueueRunner>, mut stop: watch::Receiver<bool>) {
    let mut failures = 0u32;
    while !stopping(&stop) {
        let room_changed = q.room.notified();
        tokio::pin!(room_changed);
        room_changed.as_mut().enable();
        let Some(room) = q.wants_more() else {
            tokio::select! {
                _ = stopped(&mut stop) => break,
                _ = room_changed => continue,
            }
        };
        // Not cancelled by the stop: a read cut short could leave jobs taken
        // that nobody runs until the visibility timeout. It ends within TAKE_WAIT.
        let got = shared.broker.take(&q.name, room, TAKE_WAIT).await;
        match got {
            Ok(deliveries) if stopping(&stop) => {
                for d in deliveries {
                    settle(&q, "release", shared.broker.release(&d).await);
                }
                break;
            }
            Ok(deliveries) => {
                if failures > 0 {
                    tracing::info!(queue = %q.name, "jobs broker reachable again");
                    JOBS_METRICS.set_down(None);
                }
                failures = 0;
                for d in deliveries {
                    q.taken.fetch_add(1, Ordering::AcqRel);
                    shared.in_flight.fetch_add(1, Ordering::AcqRel);
                    tokio::spawn(run_one(shared.clone(), q.clone(), d, stop.clone()));
                }
            }
            Err(e) => {
                if failures == 0 {
                    tracing::warn!(queue = %q.name, error = %e, "cannot take jobs; retrying with backoff");
                }
                JOBS_METRICS.set_down(Some(e.reason.clone()));
                let pause = broker_backoff(failures);
                failures = failures.saturating_add(1);
                tokio::select! {
                    _ = stopped(&mut stop) => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

/// Housekeeping of one queue (promotion of delayed jobs, reclaiming jobs of
/// dead servers) and its gauges, until the server stops.
pub async fn maintain(shared: Arc<Shared>, q: Arc<QueueRunner>, mut stop: watch::Receiver<bool>) {
    let mut last_stats = Instant::now() - Duration::from_secs(10);
    while !stopping(&stop) {
        if let Err(e) = shared.broker.maintain(&q.name).await {
            tracing::debug!(queue = %q.name, error = %e, "jobs housekeeping failed");
        }
        if last_stats.elapsed() >= Duration::from_secs(1) {
            last_stats = Instant::now();
            match shared.broker.stats(&q.name, &q.dead_letter).await {
                Ok(s) => q.metrics.set_gauges(s),
                Err(e) => JOBS_METRICS.set_down(Some(e.reason)),
            }
        }
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
}

/// Settles the bookkeeping of one taken job, whatever became of it.
struct Taken(Arc<Shared>, Arc<QueueRunner>);

impl Drop for Taken {
    fn drop(&mut self) {
        self.1.taken.fetch_sub(1, Ordering::AcqRel);
        self.1.room.notify_one();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.0.settled.notify_waiters();
    }
}

async fn run_one(shared: Arc<Shared>, q: Arc<QueueRunner>, d: Delivery, mut stop: watch::Receiver<bool>) {
    let _taken = Taken(shared.clone(), q.clone());
    // Reclaimed from a server that died during its last allowed attempt: that attempt failed.
    if d.envelope.attempt > q.settings.max_retries + 1 {
        let error = d.envelope.last_error.clone().unwrap_or_else(|| "out of attempts".into());
        tracing::warn!(queue = %q.name, job = %d.envelope.id, error = %error, "job's last attempt never ended; dead-lettered");
        q.metrics.count(Outcome::Dead);
        settle(&q, "bury", shared.broker.bury(&d, &q.dead_letter, error).await);
        return;
    }
    // Renewed from the moment it was taken, not only once it runs: a job waiting at the gate
    // (behind requests, higher priorities, the queue's other taken jobs) longer than
    // jobs.visibility_timeout would otherwise be reclaimed and run twice.
    let waited = renewing(&shared, &d, async {
        let start = async {
            // The queue's own limit first, so at most `concurrency` of its jobs wait at the gate.
            let permit = q.running.acquire().await.ok()?;
            Some((permit, shared.gate.pass(q.settings.priority).await))
        };
        tokio::select! {
            p = start => p,
            _ = stopped(&mut stop) => None,
        }
    });
    let Some((permit, pass)) = waited.await else {
        // Shutdown before it started: back to the broker, unacknowledged.
        settle(&q, "release", shared.broker.release(&d).await);
        return;
    };
    let started = Instant::now();
    let reply = match shared.pool.submit_background(METHOD.into(), d.envelope.to_handler_payload(&q.name), q.settings.timeout) {
        Ok(r) => r,
        Err(e) => {
            // The pool refused it (full, unhealthy, stopping): it never ran.
            drop(pass);
            drop(permit);
            tracing::debug!(queue = %q.name, error = %e, "the pool refused a job; it goes back to the queue");
            if !matches!(e, WorkError::ShutDown) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            settle(&q, "release", shared.broker.release(&d).await);
            return;
        }
    };
    let result = renewing(&shared, &d, ReplyFuture(reply)).await;
    drop(pass);
    drop(permit);
    let took = started.elapsed();
    q.metrics.observe(took);
    q.prefetch.observe(took);
    let error = match result {
        Ok(_) => {
            q.metrics.count(Outcome::Done);
            settle(&q, "ack", shared.broker.ack(&d).await);
            return;
        }
        // The server stopped (or its workers cannot boot) before the job ran, or cut it short
        // at shutdown: not the job's failure, so it goes back unacknowledged, attempt unchanged.
        Err(WorkError::ShutDown | WorkError::Unhealthy(_)) => {
            tracing::debug!(queue = %q.name, job = %d.envelope.id, "the pool stopped before the job ended; it goes back to the queue");
            settle(&q, "release", shared.broker.release(&d).await);
            return;
        }
        Err(e) => e,
    };
    if matches!(error, WorkError::Timeout(_)) {
        q.metrics.count(Outcome::Timeout);
    }
    let attempt = d.envelope.attempt;
    let message = error.to_string();
    if attempt <= q.settings.max_retries {
        let after = backoff::retry_delay(q.settings.retry_backoff, q.settings.retry_delay, attempt);
        tracing::info!(queue = %q.name, job = %d.envelope.id, attempt, error = %message, retry_in = ?after, "job failed; it will be retried");
        q.metrics.count(Outcome::Retried);
        settle(&q, "retry", shared.broker.retry(&d, after, message).await);
    } else {
        tracing::warn!(queue = %q.name, job = %d.envelope.id, attempt, error = %message, dead_letter = %q.dead_letter, "job failed its last attempt; dead-lettered");
        q.metrics.count(Outcome::Dead);
        settle(&q, "bury", shared.broker.bury(&d, &q.dead_letter, message).await);
    }
}

/// How often a delivery is renewed: a third of the visibility timeout, so two renewals may fail
/// (a slow round trip, a Redis restart) before anyone takes the job for abandoned.
fn renew_every(visibility_timeout: Duration) -> Duration {
    (visibility_timeout / 3).max(RENEW_RETRY)
}

/// The pause after a renewal that failed (Redis down): short, so that the first renewal after
/// a reconnect lands before the job's idle time reaches the visibility timeout where it can.
const RENEW_RETRY: Duration = Duration::from_millis(100);

/// Drives `work` to its end while renewing the delivery with the broker, so no consumer
/// (another server's or this one's) takes the job for abandoned while it is held here.
async fn renewing<T>(shared: &Shared, d: &Delivery, work: impl Future<Output = T>) -> T {
    let every = renew_every(shared.visibility_timeout);
    tokio::pin!(work);
    let mut next = every;
    loop {
        tokio::select! {
            r = &mut work => return r,
            _ = tokio::time::sleep(next) => {
                next = match shared.broker.touch(d).await {
                    Ok(()) => every,
                    Err(e) => {
                        tracing::debug!(queue = %d.queue, job = %d.envelope.id, error = %e, "cannot renew a job; trying again shortly");
                        RENEW_RETRY.min(every)
                    }
                };
            }
        }
    }
}

fn settle(q: &QueueRunner, what: &str, r: Result<(), super::driver::JobsError>) {
    if let Err(e) = r {
        // The broker keeps the job as taken: it is delivered again later (at-least-once).
        tracing::warn!(queue = %q.name, error = %e, "cannot {what} a job; the broker will deliver it again");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_backoff_grows_and_stops_at_five_seconds() {
        assert_eq!(broker_backoff(0), Duration::from_millis(100));
        assert_eq!(broker_backoff(1), Duration::from_millis(200));
        assert_eq!(broker_backoff(40), Duration::from_secs(5));
    }

    #[test]
    fn deliveries_are_renewed_three_times_per_visibility_timeout_and_never_faster_than_the_retry() {
        assert_eq!(renew_every(Duration::from_secs(60)), Duration::from_secs(20));
        assert_eq!(renew_every(Duration::from_secs(1)), Duration::from_nanos(333_333_333));
        assert_eq!(renew_every(Duration::from_millis(30)), RENEW_RETRY);
    }
}
