//! The `grpc` section: the gRPC plugin's own listener, its limits, and how a
//! call's deadline bounds its job. A table of its own so the server's key
//! table stays readable; `keys` puts it among the server's tables.
//! `grpc.proto`, `grpc.proto_path`, `grpc.health` and `grpc.reflection` are
//! read by the service catalog and the built-in services.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::parse::Zero;
use super::schema::{Key, Rule, limit};
use super::{ServerConfig, TlsConfig};

/// What a call's `grpc-timeout` bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Only the wait for a worker: a job that started runs under `grpc.timeout`
    /// (or `workers.exec_timeout`), so short client deadlines never interrupt
    /// and replace workers; PHP sees the deadline for its own checks.
    Queue,
    /// The run too: the job's hard limit is what is left of the deadline.
    Interrupt,
}

/// The gRPC plugin's section (`grpc.*`); off unless `grpc.listen` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct GrpcConfig {
    pub listen: Option<SocketAddr>,
    /// h2 over TLS when both files are set (`redirect_listen` unused).
    pub tls: TlsConfig,
    /// A request message larger than this, after decompression, is refused (RESOURCE_EXHAUSTED).
    pub max_recv_message_size: usize,
    /// A reply message larger than this is not sent (RESOURCE_EXHAUSTED).
    pub max_send_message_size: usize,
    /// Concurrent calls on one connection.
    pub max_concurrent_streams: u32,
    /// HTTP/2 PING every this long on an idle connection (None: no pings).
    pub keepalive_interval: Option<Duration>,
    /// A PING unanswered this long closes the connection.
    pub keepalive_timeout: Duration,
    /// The server's cap on one call's run (None: `workers.exec_timeout`).
    pub timeout: Option<Duration>,
    pub deadline: Deadline,
    /// `.proto` files compiled at start (the service catalog).
    pub proto: Vec<PathBuf>,
    /// Import directories for `proto` (empty: each file's own directory).
    pub proto_path: Vec<PathBuf>,
    /// Serve `grpc.health.v1.Health`.
    pub health: bool,
    /// Serve server reflection (v1 and v1alpha) when `proto` is set.
    pub reflection: bool,
}

impl Default for GrpcConfig {
    fn default() -> Self {
        GrpcConfig {
            listen: None,
            tls: TlsConfig::default(),
            max_recv_message_size: 4 << 20,
            max_send_message_size: 4 << 20,
            max_concurrent_streams: 200,
            keepalive_interval: None,
            keepalive_timeout: Duration::from_secs(20),
            timeout: None,
            deadline: Deadline::Queue,
            proto: Vec::new(),
            proto_path: Vec::new(),
            health: true,
            reflection: true,
        }
    }
}

/// The `grpc.*` keys, in the order the docs list them.
pub(super) static GRPC_KEYS: &[Key<ServerConfig>] = &[
    Key {
        name: "grpc.listen",
        default: "off",
        rule: Rule::AddressOrOff(|c, a| c.grpc.listen = a),
        doc: "gRPC listener (HTTP/2: h2c, or h2 over TLS with grpc.tls.*); calls reach the worker's handler as method \"grpc\"",
    },
    Key {
        name: "grpc.tls.cert",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a PEM file", set: |c, s| c.grpc.tls.cert = s.map(Into::into) },
        doc: "certificate and its chain: with grpc.tls.key, grpc.listen serves h2 over TLS only (re-read on SIGHUP)",
    },
    Key {
        name: "grpc.tls.key",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a PEM file", set: |c, s| c.grpc.tls.key = s.map(Into::into) },
        doc: "private key of grpc.tls.cert (PKCS#8, PKCS#1 or SEC1)",
    },
    Key {
        name: "grpc.max_recv_message_size",
        default: "4M",
        rule: Rule::Size { min: 1, max: 1 << 30, set: |c, n| c.grpc.max_recv_message_size = n as usize },
        doc: "larger request messages (after decompression) get RESOURCE_EXHAUSTED",
    },
    Key {
        name: "grpc.max_send_message_size",
        default: "4M",
        rule: Rule::Size { min: 1, max: 1 << 30, set: |c, n| c.grpc.max_send_message_size = n as usize },
        doc: "a larger reply message is not sent: the call ends with RESOURCE_EXHAUSTED",
    },
    Key {
        name: "grpc.max_concurrent_streams",
        default: "200",
        rule: Rule::Count { min: 1, max: 100_000, set: |c, n| c.grpc.max_concurrent_streams = n as u32 },
        doc: "calls one connection may have open at once",
    },
    Key {
        name: "grpc.keepalive_interval",
        default: "0 (no pings)",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.grpc.keepalive_interval = limit(d) },
        doc: "send an HTTP/2 PING on a connection this often",
    },
    Key {
        name: "grpc.keepalive_timeout",
        default: "20s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.grpc.keepalive_timeout = d },
        doc: "close a connection whose PING is unanswered this long",
    },
    Key {
        name: "grpc.timeout",
        default: "0 (workers.exec_timeout)",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.grpc.timeout = limit(d) },
        doc: "the hard bound of one call's run (a streaming handler's too): past it, DEADLINE_EXCEEDED",
    },
    Key {
        name: "grpc.deadline",
        default: "queue",
        rule: Rule::Choice {
            options: &["queue", "interrupt"],
            set: |c, s| c.grpc.deadline = if s == "interrupt" { Deadline::Interrupt } else { Deadline::Queue },
        },
        doc: "what a client's grpc-timeout bounds: queue (the wait for a worker) or interrupt (the run too; the worker is replaced)",
    },
    Key {
        name: "grpc.proto",
        default: "off",
        rule: Rule::Strings { accepted: ".proto files", none_ok: true, set: |c, v| c.grpc.proto = v.into_iter().map(Into::into).collect() },
        doc: "compiled at start (no protoc needed): unknown methods get UNIMPLEMENTED without PHP, and reflection describes them",
    },
    Key {
        name: "grpc.proto_path",
        default: "each file's directory",
        rule: Rule::Strings { accepted: "directories", none_ok: true, set: |c, v| c.grpc.proto_path = v.into_iter().map(Into::into).collect() },
        doc: "where the imports of grpc.proto are looked up",
    },
    Key {
        name: "grpc.health",
        default: "true",
        rule: Rule::Bool(|c, b| c.grpc.health = b),
        doc: "serve grpc.health.v1.Health: SERVING while the pool is healthy, NOT_SERVING once a stop begins",
    },
    Key {
        name: "grpc.reflection",
        default: "true",
        rule: Rule::Bool(|c, b| c.grpc.reflection = b),
        doc: "serve server reflection (v1 and v1alpha) for the services of grpc.proto",
    },
];
