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
//! finished jobs are acknowledged in batches (`ACK_MANY`, see `redis_acks`)
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

use once_cell::sync::Lazy;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{StreamAutoClaimReply, StreamId};
use redis::{IntoConnectionInfo, Script, Value as RedisValue};

use super::driver::{Broker, BrokerFuture, Delivery, JobsError, NewJob, Pushed, QueueStats};
use super::encoding::Envelope;
use super::redis_acks::Acks;

const GROUP: &str = "folk";

/// Pushes a batch of jobs with a delay or an idempotency key in one script: KEYS = ready, delayed, then one idempotency key per job;
/// ARGV = the key TTL, then (job, delay ms, idempotent) per job. A job is ready at once or goes
/// to the delayed set at Redis's now + delay; with an idempotency key, only if the key was not
/// set (then it is, with its TTL). Returns 1 (stored) or 0 (duplicate) per job. One script, so
/// a batch is stored whole or not at all, and a NOSCRIPT reply means nothing ran.
static PUSH: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        local ttl = ARGV[1]
        local out = {}
        local now = nil
        for i = 1, #KEYS - 2 do
          local job, delay, idem = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), ARGV[3 * i + 1]
          if idem == '1' and not redis.call('SET', KEYS[i + 2], '1', 'NX', 'PX', ttl) then
            out[i] = 0
          else
            if delay > 0 then
              if not now then
                local t = redis.call('TIME')
                now = t[1] * 1000 + math.floor(t[2] / 1000)
              end
              redis.call('ZADD', KEYS[2], now + delay, job)
            else
              redis.call('XADD', KEYS[1], '*', 'job', job)
            end
            out[i] = 1
          end
        end
        return out",
    )
});

/// Jobs pushed per script (one round trip each).
const PUSH_BATCH: usize = 500;

/// Acknowledges a batch of finished jobs of one queue (KEYS = ready, stats; ARGV = entry ids) with
/// one XACK for the whole batch (a `redis.call` per id costs more than the work); only the entries
/// it acked (still pending: not settled by another script) count as done. The acknowledged entries
/// are not deleted one by one (an XDEL walks the entry's node: two thirds of an ack's cost) but
/// trimmed in bulk by `TRIM`. Returns how many it settled.
pub(super) static ACK_MANY: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        local done = redis.call('XACK', KEYS[1], 'folk', unpack(ARGV))
        if done > 0 then redis.call('HINCRBY', KEYS[2], 'done', done) end
        return done",
    )
});

/// Lua shared by `TRIM` and `STATS`: removes the entries of stream KEYS[1] that every consumer
/// group is done with: those before the oldest entry a group still has pending or, for a group
/// with none pending, up to the last one it was given (XREADGROUP hands entries out in id order,
/// so everything before that point was delivered, and what is not pending was acknowledged).
/// `~`: whole stream nodes only, so a trim costs next to nothing.
const TRIM_LUA: &str = r"
    local function trim(stream)
      local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', stream)
      if not ok or #groups == 0 then return end
      local min = nil
      for _, g in ipairs(groups) do
        local name, last
        for i = 1, #g, 2 do
          if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
        end
        local p = redis.call('XPENDING', stream, name)
        local keep = p[2]
        if not keep then
          local ms, seq = string.match(last, '^(%d+)-(%d+)$')
          keep = ms .. '-' .. (tonumber(seq) + 1)
        end
        if not min then
          min = keep
        else
          local a1, a2 = string.match(keep, '^(%d+)-(%d+)$')
          local b1, b2 = string.match(min, '^(%d+)-(%d+)$')
          if tonumber(a1) < tonumber(b1) or (a1 == b1 and tonumber(a2) < tonumber(b2)) then min = keep end
        end
      end
      redis.call('XTRIM', stream, 'MINID', '~', min)
    end";

/// Trims the stream KEYS[1] (see `TRIM_LUA`).
static TRIM: Lazy<Script> = Lazy::new(|| Script::new(&format!("{TRIM_LUA}\n    trim(KEYS[1])\n    return 1")));

/// Moves due delayed jobs to the stream. A job moves only if this call removed
/// it from the set, so concurrent promoters never double it.
static PROMOTE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        local moved = 0
        for _, job in ipairs(due) do
          if redis.call('ZREM', KEYS[1], job) == 1 then
            redis.call('XADD', KEYS[2], '*', 'job', job)
            moved = moved + 1
          end
        end
        return moved",
    )
});

/// Settles a delivery: only if XACK acked it (it was still pending), the entry
/// is deleted and the job goes where ARGV[2] says. Returns 1 if it settled.
static SETTLE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        if redis.call('XACK', KEYS[1], 'folk', ARGV[1]) == 0 then return 0 end
        redis.call('XDEL', KEYS[1], ARGV[1])
        local action = ARGV[2]
        if action == 'ack' then
          redis.call('HINCRBY', KEYS[3], 'done', 1)
        elseif action == 'retry' then
          local t = redis.call('TIME')
          redis.call('ZADD', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[4]), ARGV[3])
          redis.call('HINCRBY', KEYS[3], 'failed', 1)
        elseif action == 'bury' then
          redis.call('XADD', KEYS[4], '*', 'job', ARGV[3], 'error', ARGV[5])
          redis.call('HINCRBY', KEYS[3], 'failed', 1)
        elseif action == 'requeue' then
          redis.call('XADD', KEYS[1], '*', 'job', ARGV[3])
          redis.call('HINCRBY', KEYS[3], 'failed', 1)
        else
          redis.call('XADD', KEYS[1], '*', 'job', ARGV[3])
        end
        return 1",
    )
});

/// One queue's numbers in one round trip; a queue nobody consumed yet has no group. Ready jobs
/// are the group's lag (entries not handed out yet); Redis knows it unless an entry not handed
/// out was deleted (folk never does; someone by hand might), then the stream is trimmed and its
/// length less the pending ones is the count (acknowledged entries may linger in a stream node).
static STATS: Lazy<Script> = Lazy::new(|| {
    Script::new(&format!(
        "{TRIM_LUA}
        local pending, lag = 0, nil
        local p = redis.pcall('XPENDING', KEYS[1], 'folk')
        if type(p) == 'table' and p.err == nil then
          pending = p[1]
          for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
            local name, l
            for i = 1, #g, 2 do
              if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'lag' then l = g[i + 1] end
            end
            if name == 'folk' and type(l) == 'number' then lag = l end
          end
        end
        if not lag then
          trim(KEYS[1])
          lag = redis.call('XLEN', KEYS[1]) - pending
        end
        local s = redis.call('HMGET', KEYS[3], 'done', 'failed')
        return {{lag, redis.call('ZCARD', KEYS[2]), pending, redis.call('XLEN', KEYS[4]),
                tonumber(s[1] or 0), tonumber(s[2] or 0)}}"
    ))
});

/// Records the queue's dead letter (KEYS = meta; ARGV = its name); returns the one recorded before, if any.
static RECORD_DEAD_LETTER: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        local before = redis.call('HGET', KEYS[1], 'dead_letter')
        redis.call('HSET', KEYS[1], 'dead_letter', ARGV[1])
        return before",
    )
});

/// Requeues one dead job: only if this call deleted it from the dead letters.
static REQUEUE_DEAD: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('XADD', KEYS[2], '*', 'job', ARGV[2])
        return 1",
    )
});

pub(super) struct Keys {
    pub ready: String,
    pub delayed: String,
    pub stats: String,
}

pub(super) fn keys(queue: &str) -> Keys {
    Keys { ready: format!("folk:{{{queue}}}:ready"), delayed: format!("folk:{{{queue}}}:delayed"), stats: format!("folk:{{{queue}}}:stats") }
}

fn dead_key(queue: &str, dead_letter: &str) -> String {
    format!("folk:{{{queue}}}:dl:{dead_letter}")
}

/// The queue's recorded settings (hash; field `dead_letter`).
fn meta_key(queue: &str) -> String {
    format!("folk:{{{queue}}}:meta")
}

fn id_key(queue: &str, id: &str) -> String {
    format!("folk:{{{queue}}}:id:{id}")
}

fn millis(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

/// The URL without its password, for messages and logs.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

fn field(entry: &StreamId, name: &str) -> Option<Vec<u8>> {
    bytes(entry.map.get(name)?)
}

fn bytes(v: &RedisValue) -> Option<Vec<u8>> {
    into_bytes(v.clone())
}

fn into_bytes(v: RedisValue) -> Option<Vec<u8>> {
    match v {
        RedisValue::BulkString(b) => Some(b),
        RedisValue::SimpleString(s) => Some(s.into_bytes()),
        _ => None,
    }
}

fn is_job_field(v: &RedisValue) -> bool {
    matches!(v, RedisValue::BulkString(b) if b == b"job") || matches!(v, RedisValue::SimpleString(s) if s == "job")
}

/// One stream entry as folk reads it: its id and its `job` field.
struct Entry {
    id: String,
    job: Option<Vec<u8>>,
}

impl From<StreamId> for Entry {
    fn from(e: StreamId) -> Entry {
        let job = field(&e, "job");
        Entry { id: e.id, job }
    }
}

/// The entries of an XREADGROUP reply (nil on a timeout; per stream `[key, [[id, [field, value, …]], …]]`,
/// as an array of pairs in RESP2 or a map in RESP3), read in place: the generic
/// `StreamReadReply` builds a hash map per entry, a tenth of the scheduler's time per job.
fn read_entries(reply: RedisValue) -> Vec<Entry> {
    let streams: Vec<RedisValue> = match reply {
        RedisValue::Array(pairs) => pairs.into_iter().filter_map(|p| if let RedisValue::Array(mut kv) = p { kv.pop() } else { None }).collect(),
        RedisValue::Map(pairs) => pairs.into_iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for entries in streams {
        let RedisValue::Array(entries) = entries else { continue };
        out.reserve(entries.len());
        for entry in entries {
            let RedisValue::Array(mut parts) = entry else { continue };
            if parts.len() != 2 {
                continue;
            }
            let fields = parts.pop();
            let Some(id) = parts.pop().and_then(into_bytes).and_then(|b| String::from_utf8(b).ok()) else { continue };
            // The job's bytes are moved out of the reply, not copied.
            let job = match fields {
                Some(RedisValue::Array(f)) => {
                    let mut f = f.into_iter();
                    let mut job = None;
                    while let (Some(k), Some(v)) = (f.next(), f.next()) {
                        if is_job_field(&k) {
                            job = into_bytes(v);
                            break;
                        }
                    }
                    job
                }
                Some(RedisValue::Map(f)) => f.into_iter().find(|(k, _)| is_job_field(k)).and_then(|(_, v)| into_bytes(v)),
                _ => None,
            };
            out.push(Entry { id, job });
        }
    }
    out
}

/// An error after which the connection manager reconnects, so that one more try may succeed.
fn reconnects(e: &redis::RedisError) -> bool {
    e.is_connection_refusal() || e.is_connection_dropped()
}

/// Runs `attempt`, and once more after a pause if the connection was refused or had died (Redis
/// restarted): the manager reconnects in the background after an I/O error, so the second try
/// finds a Redis that came back.
async fn with_reconnect<T, F: std::future::Future<Output = redis::RedisResult<T>>>(mut attempt: impl FnMut() -> F) -> redis::RedisResult<T> {
    match attempt().await {
        Err(e) if reconnects(&e) => {
            tokio::time::sleep(Duration::from_millis(200)).await;
            attempt().await
        }
        r => r,
    }
}

pub struct RedisBroker {
    client: redis::Client,
    /// Multiplexed: every non-blocking command.
    conn: ConnectionManager,
    /// One connection per queue for the blocking reads (a blocked read would stall a shared one).
    readers: Mutex<HashMap<String, ConnectionManager>>,
    /// Queues whose consumer group exists, as far as this process knows.
    grouped: Mutex<Vec<String>>,
    /// The dead letter of each queue this server consumes (`declare`), recorded in Redis with its group.
    dead_letters: Mutex<HashMap<String, String>>,
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

    fn error(&self, queue: &str, e: redis::RedisError) -> JobsError {
        JobsError::new(queue, format!("Redis at {}: {e}", self.url))
    }

    fn conn(&self) -> ConnectionManager {
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

    fn declared_dead_letter(&self, queue: &str) -> Option<String> {
        self.dead_letters.lock().unwrap_or_else(|e| e.into_inner()).get(queue).cloned()
    }

    /// Records where this server buries the queue's dead jobs, for the clients that ask
    /// (`recorded_dead_letter`). Servers of one queue should agree: the last one to start wins,
    /// and the jobs another buried elsewhere stay there, out of `stats()` and `retryDead()`.
    async fn record_dead_letter(&self, queue: &str) -> Result<(), JobsError> {
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
        Box::pin(async move {
            let key = meta_key(queue);
            let key = &key;
            with_reconnect(|| {
                let mut conn = self.conn();
                async move { redis::cmd("HGET").arg(key).arg("dead_letter").query_async(&mut conn).await }
            })
            .await
            .map_err(|e| self.error(queue, e))
        })
    }

    fn stats<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, QueueStats> {
        Box::pin(async move {
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
        })
    }

    fn retry_dead<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, u64> {
        Box::pin(async move {
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
        })
    }
}

impl RedisBroker {
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
