//! The keys every pool reads, a `Folk\Pool` as much as a `Folk\Server`: the
//! worker script, its workers' lifecycle limits and the queue.

use super::parse::Zero;
use super::schema::{Key, Rule, limit};
use super::PoolConfig;

/// The keys every pool reads (`Folk\Pool` accepts only these).
pub(super) static POOL_KEYS: &[Key<PoolConfig>] = &[
    Key {
        name: "worker",
        default: "— (required by Folk\\Server)",
        rule: Rule::Path(|c, s| c.worker = s),
        doc: "the worker script (Folk\\Pool takes it as its first argument)",
    },
    Key {
        name: "workers.count",
        default: "number of CPUs",
        rule: Rule::Count { min: 1, max: 1024, set: |c, n| c.workers.count = n as usize },
        doc: "worker threads (ZTS slots)",
    },
    Key {
        name: "workers.max_jobs",
        default: "0 (never)",
        rule: Rule::Count { min: 0, max: 1_000_000_000, set: |c, n| c.workers.max_jobs = n },
        doc: "recycle a worker after this many jobs",
    },
    Key {
        name: "workers.ttl",
        default: "0 (never)",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.workers.ttl = limit(d) },
        doc: "recycle a worker older than this",
    },
    Key {
        name: "workers.idle_ttl",
        default: "0 (never)",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.workers.idle_ttl = limit(d) },
        doc: "recycle a worker idle this long",
    },
    Key {
        name: "workers.max_memory",
        default: "0 (never)",
        rule: Rule::Size { min: 0, max: 1 << 40, set: |c, n| c.workers.max_memory = n },
        doc: "recycle a worker whose PHP heap exceeds this after a job",
    },
    Key {
        name: "workers.exec_timeout",
        default: "30s (with HTTP: max_execution_time + 5s when that is longer)",
        rule: Rule::Duration {
            zero: Zero::Off,
            set: |c, d| {
                c.workers.exec_timeout = limit(d);
                c.workers.exec_timeout_set = true;
            },
        },
        doc: "the hard bound of a job: it gets TimeoutException, an HTTP request 504",
    },
    Key {
        name: "workers.boot_timeout",
        default: "30s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.workers.boot_timeout = d },
        doc: "fail a worker boot slower than this",
    },
    Key {
        name: "queue.size",
        default: "1024",
        rule: Rule::Count { min: 0, max: 10_000_000, set: |c, n| c.queue.size = n as usize },
        doc: "jobs waiting beyond this are refused at once (BusyException)",
    },
    Key {
        name: "queue.timeout",
        default: "30s",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.queue.timeout = limit(d) },
        doc: "a job waiting longer for a worker fails (BusyException)",
    },
    Key {
        name: "server.shutdown_timeout",
        default: "30s",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.shutdown_timeout = d },
        doc: "how long close() / a graceful shutdown lets queued and running jobs finish",
    },
];
