//! The Redis side of the broker: the keys of a queue and the Lua scripts
//! that push, promote, settle, trim and count atomically (see `redis` for
//! why each is one script). `redis` and `redis_acks` run them.

use once_cell::sync::Lazy;
use redis::Script;

pub(super) const GROUP: &str = "folk";

/// Pushes a batch of jobs with a delay or an idempotency key in one script: KEYS = ready, delayed, then one idempotency key per job;
/// ARGV = the key TTL, then (job, delay ms, idempotent) per job. A job is ready at once or goes
/// to the delayed set at Redis's now + delay; with an idempotency key, only if the key was not
/// set (then it is, with its TTL). Returns 1 (stored) or 0 (duplicate) per job. One script, so
/// a batch is stored whole or not at all, and a NOSCRIPT reply means nothing ran.
pub(super) static PUSH: Lazy<Script> = Lazy::new(|| {
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
pub(super) const PUSH_BATCH: usize = 500;

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
pub(super) const TRIM_LUA: &str = r"
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
pub(super) static TRIM: Lazy<Script> = Lazy::new(|| Script::new(&format!("{TRIM_LUA}\n    trim(KEYS[1])\n    return 1")));

/// Moves due delayed jobs to the stream. A job moves only if this call removed
/// it from the set, so concurrent promoters never double it.
pub(super) static PROMOTE: Lazy<Script> = Lazy::new(|| {
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
pub(super) static SETTLE: Lazy<Script> = Lazy::new(|| {
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
pub(super) static STATS: Lazy<Script> = Lazy::new(|| {
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
pub(super) static RECORD_DEAD_LETTER: Lazy<Script> = Lazy::new(|| {
    Script::new(
        r"
        local before = redis.call('HGET', KEYS[1], 'dead_letter')
        redis.call('HSET', KEYS[1], 'dead_letter', ARGV[1])
        return before",
    )
});

/// Requeues one dead job: only if this call deleted it from the dead letters.
pub(super) static REQUEUE_DEAD: Lazy<Script> = Lazy::new(|| {
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

pub(super) fn dead_key(queue: &str, dead_letter: &str) -> String {
    format!("folk:{{{queue}}}:dl:{dead_letter}")
}

/// The queue's recorded settings (hash; field `dead_letter`).
pub(super) fn meta_key(queue: &str) -> String {
    format!("folk:{{{queue}}}:meta")
}

pub(super) fn id_key(queue: &str, id: &str) -> String {
    format!("folk:{{{queue}}}:id:{id}")
}
