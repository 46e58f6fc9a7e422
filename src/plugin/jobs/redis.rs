//! The Redis broker: one stream per queue read through one consumer group
//! ("folk") by every server, so a job goes to exactly one consumer and stays
//! in its pending list until settled. A server that dies leaves its jobs
//! pending; any consumer reclaims them (`XAUTOCLAIM`) once they sat idle past
//! `jobs.visibility_timeout` (taken jobs, waiting or running, are renewed with `XCLAIM` so a slow
//! job is not taken as abandoned) and requeues them as their next attempt. Delayed jobs wait in a sorted set scored by
//! Redis's own clock and are promoted by one Lua script, atomically (ZREM then
//! XADD, only if the ZREM removed it): two servers promoting at once can
//! neither lose nor double a job, the bug of the design folk descends from.
//! Every settlement is one script too (XACK, and only if it acked, XDEL and
//! the move), so a job is settled once however many servers raced for it;
//! finished jobs are acknowledged in batches (`ACK_MANY`, see `redis_acks`; the scripts and keys are
//! in `redis_scripts`, the reading of replies in `redis_wire`)
//! and their entries trimmed from the stream in bulk (`TRIM`), not deleted one by one.
//!
//! Keys of queue q: `folk:{q}:ready` (stream), `folk:{q}:delayed` (zset),
//! `folk:{q}:dl:<dead_letter>` (stream of dead jobs with their error),
//! `folk:{q}:stats` (hash: done, failed), `folk:{q}:id:<id>` (idempotency, with a TTL),
//! `folk:{q}:meta` (hash: `dead_letter`, recorded by the consuming server so that a client
//! without the queue's settings finds the dead letters). The `{q}` hash tag keeps a queue's
//! keys in one Redis Cluster slot.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{StreamAutoClaimReply, StreamId};
use redis::{IntoConnectionInfo, Value as RedisValue};

use super::driver::{Broker, BrokerFuture, Delivery, JobsError, NewJob, Pushed, QueueStats};
use super::encoding::Envelope;
use super::redis_acks::Acks;
use super::redis_scripts::*;
use super::redis_wire::{Entry, millis, read_entries, redacted, with_reconnect};

pub struct RedisBroker {
    client: redis::Client,
    /// Multiplexed: every non-blocking command.
    conn: ConnectionManager,
    /// One connection per queue for the blocking reads (a blocked read would stall a shared one).
    readers: Mutex<HashMap<String, ConnectionManager>>,
    /// Queues whose consumer group exists, as far as this process knows.
    grouped: Mutex<Vec<String>>,
    /// The dead letter of each queue this server consumes (`declare`), recorded in Redis with its group.
    pub(super) dead_letters: Mutex<HashMap<String, String>>,
    /// When each queue last looked for abandoned jobs.
    reclaimed: Mutex<HashMap<String, Instant>>,
    /// The stream entries (queue, entry id) this process took and has not tried to settle yet.
    /// Its own reclaim never requeues one of them: the job is still held here (at the gate,
    /// running, its settlement on the way) even if its renewal could not reach Redis for a
    /// while (a Redis restart); requeueing it would run it twice.
    held: Mutex<HashSet<(String, String)>>,
    /// Acks of finished jobs, combined into one script per batch (started on the first ack).
    acks: OnceLock<Acks>,
    consumer: String,
    visibility: Duration,
    url: String,
}

impl RedisBroker {
    /// Opens the broker; the connection itself is made on first use and remade
    /// (with backoff) whenever it breaks. Must run inside a tokio runtime context.
    pub fn open(url: &str, visibility: Duration) -> Result<RedisBroker, String> {
        let bad_url = |e: redis::RedisError| format!("jobs.redis.url {}: {e}", redacted(url));
        let info = url.into_connection_info().map_err(bad_url)?;
        // TCP_NODELAY (redis-rs leaves Nagle on): commands share a multiplexed connection, and with
        // Nagle each small write waits for the reply to the one before it (a take of 8 jobs: 900 µs).
        let tcp = info.tcp_settings().clone().set_nodelay(true);
        let client = redis::Client::open(info.set_tcp_settings(tcp)).map_err(bad_url)?;
        let conn = ConnectionManager::new_lazy_with_config(client.clone(), Self::config(Duration::from_secs(3)))
            .map_err(|e| format!("cannot set up the Redis connection to {}: {e}", redacted(url)))?;
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        let consumer = format!("{}-{}-{:04x}", host.trim(), std::process::id(), super::backoff::random_u64() & 0xffff);
        Ok(RedisBroker {
            client,
            conn,
            readers: Mutex::default(),
            grouped: Mutex::default(),
            dead_letters: Mutex::default(),
            reclaimed: Mutex::default(),
            held: Mutex::default(),
            acks: OnceLock::new(),
            consumer,
            visibility,
            url: redacted(url),
        })
    }

    fn config(response: Duration) -> ConnectionManagerConfig {
        ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(response))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_secs(1))
    }

    pub(super) fn error(&self, queue: &str, e: redis::RedisError) -> JobsError {
        JobsError::new(queue, format!("Redis at {}: {e}", self.url))
    }

    pub(super) fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }

    fn reader(&self, queue: &str, wait: Duration) -> Result<ConnectionManager, JobsError> {
        let mut readers = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = readers.get(queue) {
            return Ok(c.clone());
        }
        let c = ConnectionManager::new_lazy_with_config(self.client.clone(), Self::config(wait + Duration::from_secs(3)))
            .map_err(|e| self.error(queue, e))?;
        readers.insert(queue.to_string(), c.clone());
        Ok(c)
    }

    async fn ensure_group(&self, queue: &str, again: bool) -> Result<(), JobsError> {
        if !again && self.grouped.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|q| q == queue) {
            return Ok(());
        }
        let r: redis::RedisResult<RedisValue> =
            redis::cmd("XGROUP").arg("CREATE").arg(keys(queue).ready).arg(GROUP).arg("0").arg("MKSTREAM").query_async(&mut self.conn()).await;
        match r {
            Ok(_) => {}
            Err(e) if e.to_string().contains("BUSYGROUP") => {}
            Err(e) => return Err(self.error(queue, e)),
        }
        self.record_dead_letter(queue).await?;
        let mut g = self.grouped.lock().unwrap_or_else(|e| e.into_inner());
        if !g.iter().any(|q| q == queue) {
            g.push(queue.to_string());
        }
        Ok(())
    }



    /// Turns stream entries into deliveries; an entry that is not a readable job is dead-lettered at once.
    async fn deliveries(&self, queue: &str, entries: Vec<Entry>) -> Vec<Delivery> {
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let raw = entry.job.unwrap_or_default();
            match Envelope::decode(&raw) {
                Ok(envelope) => out.push(Delivery { queue: queue.to_string(), envelope, token: entry.id }),
                Err(why) => {
                    tracing::warn!(queue, entry = %entry.id, error = %why, "unreadable job in the stream; dead-lettered");
                    let k = keys(queue);
                    let _: redis::RedisResult<i64> = SETTLE
                        .key(&k.ready)
                        .key(&k.delayed)
                        .key(&k.stats)
                        .key(dead_key(queue, &self.declared_dead_letter(queue).unwrap_or_else(|| format!("{queue}.dead"))))
                        .arg(&entry.id)
                        .arg("bury")
                        .arg(raw)
                        .arg(0)
                        .arg(format!("unreadable job: {why}"))
                        .invoke_async(&mut self.conn())
                        .await;
                }
            }
        }
        out
    }

    fn holds(&self, queue: &str, token: &str) -> bool {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).contains(&(queue.to_string(), token.to_string()))
    }

    /// Jobs pending for longer than the visibility timeout (their consumer died), now ours.
    /// XAUTOCLAIM also resets the idle time of the ones this process still holds; they are left out.
    async fn reclaim(&self, queue: &str, max: usize) -> Result<Vec<StreamId>, JobsError> {
        {
            let mut r = self.reclaimed.lock().unwrap_or_else(|e| e.into_inner());
            let due = r.get(queue).is_none_or(|t| t.elapsed() >= (self.visibility / 4).max(Duration::from_millis(100)));
            if !due {
                return Ok(Vec::new());
            }
            r.insert(queue.to_string(), Instant::now());
        }
        let reply: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(keys(queue).ready)
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(millis(self.visibility))
            .arg("0-0")
            .arg("COUNT")
            .arg(max)
            .query_async(&mut self.conn())
            .await
            .map_err(|e| self.error(queue, e))?;
        let claimed: Vec<StreamId> = reply.claimed.into_iter().filter(|e| !self.holds(queue, &e.id)).collect();
        if !claimed.is_empty() {
            tracing::info!(queue, jobs = claimed.len(), "reclaimed jobs whose server stopped renewing them");
        }
        Ok(claimed)
    }

    async fn take_inner(&self, queue: &str, max: usize, wait: Duration) -> Result<Vec<Delivery>, JobsError> {
        self.ensure_group(queue, false).await?;
        // An abandoned job's attempt (its server died during it) counts as failed: it goes
        // back to the stream as the next attempt, so a job that kills its servers ends in
        // the dead letters after max_retries instead of crashing servers forever.
        let reclaimed = self.reclaim(queue, max).await?.into_iter().map(Entry::from).collect();
        for d in self.deliveries(queue, reclaimed).await {
            let mut env = d.envelope.clone();
            env.last_error = Some(format!(
                "the server running attempt {} stopped renewing it for jobs.visibility_timeout ({}s): it died or stalled",
                env.attempt,
                self.visibility.as_secs_f64()
            ));
            env.attempt += 1;
            self.settle(&d, "requeue", Some(env), Duration::ZERO, None, "").await?;
        }
        let mut reader = self.reader(queue, wait)?;
        let read = |block: u64| {
            let mut c = redis::cmd("XREADGROUP");
            c.arg("GROUP").arg(GROUP).arg(&self.consumer).arg("COUNT").arg(max).arg("BLOCK").arg(block).arg("STREAMS").arg(keys(queue).ready).arg(">");
            c
        };
        let r: redis::RedisResult<RedisValue> = read(millis(wait).max(1)).query_async(&mut reader).await;
        let reply = match r {
            Ok(r) => r,
            // The stream or group vanished (Redis restarted without persistence, FLUSHALL): make it again.
            Err(e) if e.to_string().contains("NOGROUP") => {
                self.ensure_group(queue, true).await?;
                return Ok(Vec::new());
            }
            Err(e) => return Err(self.error(queue, e)),
        };
        let taken = self.deliveries(queue, read_entries(reply)).await;
        self.held.lock().unwrap_or_else(|e| e.into_inner()).extend(taken.iter().map(|d| (d.queue.clone(), d.token.clone())));
        Ok(taken)
    }

    /// Settles `d` once; whatever the outcome, this process no longer holds it: if the
    /// script failed (Redis down), the entry stays pending and is reclaimed after the
    /// visibility timeout, by this server too (at-least-once).
    async fn settle(&self, d: &Delivery, action: &str, job: Option<Envelope>, delay: Duration, dead: Option<&str>, error: &str) -> Result<(), JobsError> {
        let r = self.settle_script(d, action, job, delay, dead, error).await;
        self.forget(d);
        r
    }

    /// This process no longer holds `d` (it tried to settle it).
    fn forget(&self, d: &Delivery) {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).remove(&(d.queue.clone(), d.token.clone()));
    }

    async fn settle_script(&self, d: &Delivery, action: &str, job: Option<Envelope>, delay: Duration, dead: Option<&str>, error: &str) -> Result<(), JobsError> {
        let k = keys(&d.queue);
        let job_text = match job {
            Some(env) => env.encode().map_err(|e| JobsError::new(&d.queue, e.to_string()))?,
            None => String::new(),
        };
        let dead = dead_key(&d.queue, dead.unwrap_or("-"));
        let settled: i64 = SETTLE
            .key(&k.ready)
            .key(&k.delayed)
            .key(&k.stats)
            .key(dead)
            .arg(&d.token)
            .arg(action)
            .arg(job_text)
            .arg(millis(delay))
            .arg(error)
            .invoke_async(&mut self.conn())
            .await
            .map_err(|e| self.error(&d.queue, e))?;
        if settled == 0 {
            tracing::debug!(queue = %d.queue, job = %d.envelope.id, action, "the delivery was settled elsewhere already");
        }
        Ok(())
    }
}

impl Broker for RedisBroker {
    fn kind(&self) -> &'static str {
        "redis"
    }

    fn push<'a>(&'a self, queue: &'a str, jobs: Vec<NewJob>, ttl: Duration) -> BrokerFuture<'a, Vec<Pushed>> {
        Box::pin(async move {
            let k = keys(queue);
            let mut out = Vec::with_capacity(jobs.len());
            for chunk in jobs.chunks(PUSH_BATCH) {
                // Tried again after a reconnect: a reply lost after the batch was stored would push
                // it twice: at-least-once, and an `id` push stays a no-op.
                let added: Vec<i64> = if chunk.iter().all(|j| !j.idempotent && j.delay.is_zero()) {
                    // Plain jobs: XADDs in one MULTI/EXEC, all stored or none, without the
                    // script's per-job Lua work (two thirds of Redis's time per pushed job).
                    let mut pipe = redis::pipe();
                    pipe.atomic();
                    for job in chunk {
                        pipe.cmd("XADD").arg(&k.ready).arg("*").arg("job").arg(&job.text).ignore();
                    }
                    let pipe = &pipe;
                    with_reconnect(|| {
                        let mut conn = self.conn();
                        async move { pipe.query_async::<()>(&mut conn).await }
                    })
                    .await
                    .map_err(|e| self.error(queue, e))?;
                    vec![1; chunk.len()]
                } else {
                    let mut invocation = PUSH.key(&k.ready);
                    invocation.key(&k.delayed).arg(millis(ttl).max(1));
                    for job in chunk {
                        invocation.key(id_key(queue, &job.envelope.id)).arg(&job.text).arg(millis(job.delay)).arg(if job.idempotent { "1" } else { "0" });
                    }
                    let invocation = &invocation;
                    with_reconnect(|| {
                        let mut conn = self.conn();
                        async move { invocation.invoke_async(&mut conn).await }
                    })
                    .await
                    .map_err(|e| self.error(queue, e))?
                };
                if added.len() != chunk.len() {
                    return Err(JobsError::new(queue, format!("Redis at {} answered {} results for {} pushed jobs", self.url, added.len(), chunk.len())));
                }
                out.extend(chunk.iter().zip(added).map(|(job, a)| {
                    let id = job.envelope.id.clone();
                    if a == 1 { Pushed::Queued(id) } else { Pushed::Duplicate(id) }
                }));
            }
            Ok(out)
        })
    }

    fn take<'a>(&'a self, queue: &'a str, max: usize, wait: Duration) -> BrokerFuture<'a, Vec<Delivery>> {
        Box::pin(self.take_inner(queue, max, wait))
    }

    fn ack<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> {
        Box::pin(async move {
            let acks = self.acks.get_or_init(|| Acks::start(self.conn(), self.url.clone()));
            let r = acks.ack(&d.queue, &d.token).await;
            self.forget(d);
            r
        })
    }

    fn retry<'a>(&'a self, d: &'a Delivery, after: Duration, error: String) -> BrokerFuture<'a, ()> {
        let mut env = d.envelope.clone();
        env.attempt += 1;
        env.last_error = Some(error);
        Box::pin(async move { self.settle(d, "retry", Some(env), after, None, "").await })
    }

    fn bury<'a>(&'a self, d: &'a Delivery, dead_letter: &'a str, error: String) -> BrokerFuture<'a, ()> {
        let mut env = d.envelope.clone();
        env.last_error = Some(error.clone());
        Box::pin(async move { self.settle(d, "bury", Some(env), Duration::ZERO, Some(dead_letter), &error).await })
    }

    fn release<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> {
        Box::pin(self.settle(d, "release", Some(d.envelope.clone()), Duration::ZERO, None, ""))
    }

    fn touch<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> {
        Box::pin(async move {
            let _: RedisValue = redis::cmd("XCLAIM")
                .arg(keys(&d.queue).ready)
                .arg(GROUP)
                .arg(&self.consumer)
                .arg(0)
                .arg(&d.token)
                .arg("JUSTID")
                .query_async(&mut self.conn())
                .await
                .map_err(|e| self.error(&d.queue, e))?;
            Ok(())
        })
    }

    fn maintain<'a>(&'a self, queue: &'a str) -> BrokerFuture<'a, ()> {
        Box::pin(async move {
            let k = keys(queue);
            let _: i64 = PROMOTE.key(&k.delayed).key(&k.ready).arg(1000).invoke_async(&mut self.conn()).await.map_err(|e| self.error(queue, e))?;
            let _: i64 = TRIM.key(&k.ready).invoke_async(&mut self.conn()).await.map_err(|e| self.error(queue, e))?;
            Ok(())
        })
    }

    fn declare(&self, queue: &str, dead_letter: &str) {
        self.dead_letters.lock().unwrap_or_else(|e| e.into_inner()).insert(queue.to_string(), dead_letter.to_string());
    }

    fn recorded_dead_letter<'a>(&'a self, queue: &'a str) -> BrokerFuture<'a, Option<String>> {
        Box::pin(self.read_recorded_dead_letter(queue))
    }

    fn stats<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, QueueStats> {
        Box::pin(self.read_stats(queue, dead_letter))
    }

    fn retry_dead<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, u64> {
        Box::pin(self.requeue_dead(queue, dead_letter))
    }



}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_replies_are_read_in_both_protocols_and_a_timeout_is_no_entry() {
        let b = |s: &str| RedisValue::BulkString(s.as_bytes().to_vec());
        let entries = || {
            RedisValue::Array(vec![
                RedisValue::Array(vec![b("1-0"), RedisValue::Array(vec![b("job"), b("{}")])]),
                RedisValue::Array(vec![b("2-0"), RedisValue::Array(vec![b("other"), b("x")])]),
            ])
        };
        let resp2 = RedisValue::Array(vec![RedisValue::Array(vec![b("folk:{q}:ready"), entries()])]);
        let resp3 = RedisValue::Map(vec![(b("folk:{q}:ready"), entries())]);
        for reply in [resp2, resp3] {
            let got: Vec<(String, Option<Vec<u8>>)> = read_entries(reply).into_iter().map(|e| (e.id, e.job)).collect();
            assert_eq!(got, vec![("1-0".to_string(), Some(b"{}".to_vec())), ("2-0".to_string(), None)]);
        }
        assert!(read_entries(RedisValue::Nil).is_empty());
    }

    #[test]
    fn a_queue_keeps_its_keys_in_one_cluster_slot_and_urls_hide_passwords() {
        let k = keys("mail");
        for key in [k.ready, k.delayed, k.stats, dead_key("mail", "mail.dead"), meta_key("mail"), id_key("mail", "x")] {
            assert!(key.starts_with("folk:{mail}:"), "{key}");
        }
        assert_eq!(redacted("redis://user:secret@10.0.0.1:6379/0"), "redis://…@10.0.0.1:6379/0");
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }
}
