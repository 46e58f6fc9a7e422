//! Dead letters on Redis: which one a queue declared and recorded (so a
//! client without the queue's settings finds it), the queue's counts, and
//! moving dead jobs back to the ready stream, each entry atomically.

use std::time::Duration;

use redis::streams::StreamId;

use super::driver::{JobsError, QueueStats};
use super::encoding::Envelope;
use super::redis::RedisBroker;
use super::redis_scripts::{RECORD_DEAD_LETTER, REQUEUE_DEAD, STATS, dead_key, keys, meta_key};
use super::redis_wire::{field, reconnects, with_reconnect};

impl RedisBroker {
    pub(super) fn declared_dead_letter(&self, queue: &str) -> Option<String> {
        self.dead_letters.lock().unwrap_or_else(|e| e.into_inner()).get(queue).cloned()
    }

    /// Records where this server buries the queue's dead jobs, for the clients that ask
    /// (`recorded_dead_letter`). Servers of one queue should agree: the last one to start wins,
    /// and the jobs another buried elsewhere stay there, out of `stats()` and `retryDead()`.
    pub(super) async fn record_dead_letter(&self, queue: &str) -> Result<(), JobsError> {
        let Some(dead_letter) = self.declared_dead_letter(queue) else { return Ok(()) };
        let before: Option<String> =
            RECORD_DEAD_LETTER.key(meta_key(queue)).arg(&dead_letter).invoke_async(&mut self.conn()).await.map_err(|e| self.error(queue, e))?;
        if let Some(before) = before.filter(|b| *b != dead_letter) {
            tracing::warn!(
                queue,
                dead_letter = %dead_letter,
                before = %before,
                "the queue's dead letter changed: jobs dead-lettered under the old name stay there, and stats() and retryDead() now see the new one"
            );
        }
        Ok(())
    }

    pub(super) async fn read_recorded_dead_letter(&self, queue: &str) -> Result<Option<String>, JobsError> {
        let key = meta_key(queue);
        let key = &key;
        with_reconnect(|| {
            let mut conn = self.conn();
            async move { redis::cmd("HGET").arg(key).arg("dead_letter").query_async(&mut conn).await }
        })
        .await
        .map_err(|e| self.error(queue, e))
    }

    pub(super) async fn read_stats(&self, queue: &str, dead_letter: &str) -> Result<QueueStats, JobsError> {
        let k = keys(queue);
        let dead = dead_key(queue, dead_letter);
        let mut invocation = STATS.key(&k.ready);
        invocation.key(&k.delayed).key(&k.stats).key(&dead);
        // Always safe to ask again: it reads, and at most trims what no group needs.
        let invocation = &invocation;
        let n: Vec<i64> = with_reconnect(|| {
            let mut conn = self.conn();
            async move { invocation.invoke_async(&mut conn).await }
        })
        .await
        .map_err(|e| self.error(queue, e))?;
        let at = |i: usize| n.get(i).copied().unwrap_or(0).max(0) as u64;
        Ok(QueueStats { ready: at(0), delayed: at(1), running: at(2), dead: at(3), done: at(4), failed: at(5) })
    }

    pub(super) async fn requeue_dead(&self, queue: &str, dead_letter: &str) -> Result<u64, JobsError> {
        let dead = dead_key(queue, dead_letter);
        let dead = &dead;
        // The jobs dead now, up to the newest one: a requeued job that fails again at once is
        // buried behind it and waits for the next call, instead of going round until the call times out.
        let newest: redis::streams::StreamRangeReply = with_reconnect(|| {
            let mut conn = self.conn();
            async move { redis::cmd("XREVRANGE").arg(dead).arg("+").arg("-").arg("COUNT").arg(1).query_async(&mut conn).await }
        })
        .await
        .map_err(|e| self.error(queue, e))?;
        let Some(last) = newest.ids.into_iter().next().map(|e| e.id) else { return Ok(0) };
        // Each entry moves atomically, so running it again after a reconnect moves the rest.
        match self.retry_dead_once(queue, dead, &last).await {
            Err((e, moved)) if reconnects(&e) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Ok(moved + self.retry_dead_once(queue, dead, &last).await.map_err(|(e, _)| self.error(queue, e))?)
            }
            r => r.map_err(|(e, _)| self.error(queue, e)),
        }
    }

    /// Requeues the entries of the dead-letter stream `dead` up to entry `last`; on an error, also
    /// says how many it moved before it.
    async fn retry_dead_once(&self, queue: &str, dead: &str, last: &str) -> Result<u64, (redis::RedisError, u64)> {
        let k = keys(queue);
        let mut conn = self.conn();
        let mut n = 0u64;
        let mut from = "-".to_string();
        loop {
            let batch: Vec<StreamId> = redis::cmd("XRANGE")
                .arg(dead)
                .arg(&from)
                .arg(last)
                .arg("COUNT")
                .arg(500)
                .query_async::<redis::streams::StreamRangeReply>(&mut conn)
                .await
                .map_err(|e| (e, n))?
                .ids;
            let Some(end) = batch.last() else { break };
            from = format!("({}", end.id);
            for entry in batch {
                let raw = field(&entry, "job").unwrap_or_default();
                let text = match Envelope::decode(&raw) {
                    Ok(mut env) => {
                        env.attempt = 1;
                        env.encode().unwrap_or_else(|_| String::from_utf8_lossy(&raw).into_owned())
                    }
                    Err(_) => String::from_utf8_lossy(&raw).into_owned(),
                };
                let moved: i64 = REQUEUE_DEAD.key(dead).key(&k.ready).arg(&entry.id).arg(text).invoke_async(&mut conn).await.map_err(|e| (e, n))?;
                n += moved as u64;
            }
        }
        Ok(n)
    }}
