//! Reading Redis's replies and surviving its restarts: stream entries in
//! both protocols (RESP2 arrays, RESP3 maps), byte fields, the one retry
//! after a reconnect, and a URL fit for the log.

use std::time::Duration;

use redis::Value as RedisValue;
use redis::streams::StreamId;

pub(super) fn millis(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

/// The URL without its password, for messages and logs.
pub(super) fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

pub(super) fn field(entry: &StreamId, name: &str) -> Option<Vec<u8>> {
    bytes(entry.map.get(name)?)
}

pub(super) fn bytes(v: &RedisValue) -> Option<Vec<u8>> {
    into_bytes(v.clone())
}

pub(super) fn into_bytes(v: RedisValue) -> Option<Vec<u8>> {
    match v {
        RedisValue::BulkString(b) => Some(b),
        RedisValue::SimpleString(s) => Some(s.into_bytes()),
        _ => None,
    }
}

pub(super) fn is_job_field(v: &RedisValue) -> bool {
    matches!(v, RedisValue::BulkString(b) if b == b"job") || matches!(v, RedisValue::SimpleString(s) if s == "job")
}

/// One stream entry as folk reads it: its id and its `job` field.
pub(super) struct Entry {
    pub(super) id: String,
    pub(super) job: Option<Vec<u8>>,
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
pub(super) fn read_entries(reply: RedisValue) -> Vec<Entry> {
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
pub(super) fn reconnects(e: &redis::RedisError) -> bool {
    e.is_connection_refusal() || e.is_connection_dropped()
}

/// Runs `attempt`, and once more after a pause if the connection was refused or had died (Redis
/// restarted): the manager reconnects in the background after an I/O error, so the second try
/// finds a Redis that came back.
pub(super) async fn with_reconnect<T, F: std::future::Future<Output = redis::RedisResult<T>>>(mut attempt: impl FnMut() -> F) -> redis::RedisResult<T> {
    match attempt().await {
        Err(e) if reconnects(&e) => {
            tokio::time::sleep(Duration::from_millis(200)).await;
            attempt().await
        }
        r => r,
    }
}
