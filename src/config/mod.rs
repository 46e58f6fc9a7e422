//! Configuration of pools and servers: the typed structs every part of folk
//! reads. The keys that fill them are tables (`pool_keys`, `server_keys`,
//! `http_keys`, `jobs`, `grpc`) of one kind of entry (`schema`), put together by
//! `keys`, read by `parse` and merged from INI, option arrays and the
//! environment by `sources`.

mod cidr;
mod grpc;
mod http_keys;
mod jobs;
mod keys;
mod parse;
mod pool_keys;
mod processes;
mod schema;
mod server_keys;
mod sources;

pub use grpc::{Deadline, GrpcConfig};
pub use jobs::{Backoff, JobsConfig, JobsDriver, QUEUE_KEYS, QueueSettings, check_queue_name, delay_option, jobs_config};
pub use cidr::Cidr;
pub use parse::{MAX_DURATION, describe};
pub use keys::every_key;
pub use processes::{Command, ProcessSettings, ProcessesConfig, Restart};
pub use sources::{flatten, server_config};
#[cfg(test)]
use sources::env_name;

use std::time::Duration;

/// Worker lifecycle limits. Soft limits (max_jobs, ttl, idle_ttl, max_memory)
/// are checked between jobs, never in the middle of one.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkersConfig {
    /// Number of ZTS worker slots.
    pub count: usize,
    /// Recycle a worker after this many jobs (0 = never).
    pub max_jobs: u64,
    /// Recycle a worker older than this (None = never).
    pub ttl: Option<Duration>,
    /// Recycle a worker idle for this long (None = never).
    pub idle_ttl: Option<Duration>,
    /// Recycle a worker whose PHP heap grew past this many bytes (0 = never).
    pub max_memory: u64,
    /// Interrupt a job running longer than this (None = never).
    pub exec_timeout: Option<Duration>,
    /// `exec_timeout` was configured (else a server with HTTP derives it from `max_execution_time`).
    pub exec_timeout_set: bool,
    /// Fail a worker boot slower than this.
    pub boot_timeout: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueConfig {
    /// Jobs waiting for a worker beyond this many are refused with Busy at once.
    pub size: usize,
    /// A job waiting longer than this for a worker fails with Busy (None = wait forever).
    pub timeout: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PoolConfig {
    /// The worker script each worker boots.
    pub worker: String,
    pub workers: WorkersConfig,
    pub queue: QueueConfig,
    /// How long a graceful shutdown waits for queued and running jobs.
    pub shutdown_timeout: Duration,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            worker: String::new(),
            workers: WorkersConfig {
                count: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
                max_jobs: 0,
                ttl: None,
                idle_ttl: None,
                max_memory: 0,
                exec_timeout: Some(Duration::from_secs(30)),
                exec_timeout_set: false,
                boot_timeout: Duration::from_secs(30),
            },
            queue: QueueConfig { size: 1024, timeout: Some(Duration::from_secs(30)) },
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// The watch plugin's section (`watch.*`): development reloads on file changes.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchConfig {
    pub enabled: bool,
    /// Directories watched recursively (empty: the worker script's directory, or `http.root` in classic mode).
    pub paths: Vec<String>,
    /// Globs, relative to a watched directory, of the files whose change reloads (`**` spans directories).
    pub patterns: Vec<String>,
    /// Directory names never looked into, at any depth.
    pub ignore: Vec<String>,
    /// Quiet time after a change before the reload: a burst of changes gives one reload.
    pub debounce: Duration,
    /// Poll every this long instead of using inotify (None: inotify).
    pub poll: Option<Duration>,
}

/// `watch.patterns`' default: PHP code, templates and the configuration it reads.
pub const WATCH_PATTERNS: [&str; 6] = ["**/*.php", "**/.env", "**/*.twig", "**/*.yaml", "**/*.yml", "**/*.json"];
/// `watch.ignore`' default: dependencies and version control, large and not edited by hand.
pub const WATCH_IGNORE: [&str; 3] = ["vendor", "node_modules", ".git"];

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            enabled: false,
            paths: Vec::new(),
            patterns: WATCH_PATTERNS.iter().map(|s| s.to_string()).collect(),
            ignore: WATCH_IGNORE.iter().map(|s| s.to_string()).collect(),
            debounce: Duration::from_millis(100),
            poll: None,
        }
    }
}

/// The HTTP plugin's section (`http.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    pub enabled: bool,
    pub listen: std::net::SocketAddr,
    /// Largest request head (request line + headers) accepted; larger gets 431.
    pub max_header_size: usize,
    /// Largest request body accepted; larger gets 413.
    pub max_body_size: u64,
    /// Bytes of a request body kept in memory; a larger body is written to a temporary file.
    pub body_buffer: u64,
    /// Time allowed to receive a request head; slower gets 408 and the connection closes.
    pub header_timeout: Duration,
    /// Keep-alive connections idle this long are closed.
    pub idle_timeout: Duration,
    /// A client that takes no response bytes this long is dropped (nginx's `send_timeout`).
    pub send_timeout: Duration,
    /// Bytes of whole responses one connection may hold in memory; more go to a temporary file.
    pub response_buffer: u64,
    /// Bytes of whole responses the whole server may hold in memory; more go to temporary files.
    pub response_buffer_total: u64,
    /// Connections beyond this are refused (503) until others close.
    pub max_connections: usize,
    /// One log line per request at info level.
    pub access_log: bool,
    /// Plain HTTP/1.1 requests are read, run and answered on the PHP workers' own threads.
    pub direct: bool,
    /// The document root: its files are sent by Rust, without PHP (None: every request goes to PHP).
    pub root: Option<std::path::PathBuf>,
    /// The script that takes requests matching no file, relative to the root (classic mode).
    pub front_controller: String,
    /// Extensions of the files that run as PHP (and are never sent as static files).
    pub php_extensions: Vec<String>,
    /// Serve files and directories whose name starts with a dot (`.env`, `.git/`).
    pub allow_dotfiles: bool,
    /// Worker mode speaks FrankenPHP's worker API too (`frankenphp_handle_request()`).
    pub frankenphp_compat: bool,
    /// Worker mode speaks RoadRunner's PHP worker API too (`Spiral\RoadRunner\Http\PSR7Worker`).
    pub roadrunner_compat: bool,
    /// `Cache-Control` sent with static files (None: no header).
    pub static_cache_control: Option<String>,
    /// Send a `.br`/`.zst`/`.gz` sibling of a static file to clients that accept it.
    pub static_precompressed: bool,
    /// PHP's `output_buffering` for web requests (None: the user's INI value, else 4096).
    pub output_buffering: Option<usize>,
    /// Peers whose `X-Forwarded-*` / `Forwarded` headers are believed (empty: none).
    pub trusted_proxies: Vec<Cidr>,
    pub compression: CompressionConfig,
    pub tls: TlsConfig,
    /// Connections one client address may hold open at once (0: no limit).
    pub client_connections: usize,
    /// Requests per second one client address may send, averaged (0: no limit).
    pub client_rate: u64,
}

/// Response compression (`http.compression.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct CompressionConfig {
    pub enabled: bool,
    /// Bodies known to be smaller are sent as they are.
    pub min_size: u64,
    /// The encodings offered, best first (when the client likes several equally).
    pub algorithms: Vec<String>,
    pub gzip_level: u32,
    pub brotli_level: u32,
    pub zstd_level: u32,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            enabled: true,
            min_size: 512,
            algorithms: vec!["zstd".into(), "br".into(), "gzip".into()],
            gzip_level: 6,
            brotli_level: 4,
            zstd_level: 3,
        }
    }
}

/// TLS (`http.tls.*`): on when a certificate and key are set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TlsConfig {
    /// PEM file: the certificate, then its chain.
    pub cert: Option<std::path::PathBuf>,
    /// PEM file: the private key.
    pub key: Option<std::path::PathBuf>,
    /// A plain-HTTP listener that answers every request with a 308 to https.
    pub redirect_listen: Option<std::net::SocketAddr>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            enabled: true,
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            max_header_size: 64 << 10,
            max_body_size: 8 << 20,
            body_buffer: 16 << 10,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            send_timeout: Duration::from_secs(60),
            response_buffer: 256 << 10,
            response_buffer_total: 64 << 20,
            max_connections: 10_000,
            access_log: false,
            direct: true,
            root: None,
            front_controller: "index.php".into(),
            php_extensions: vec![".php".into()],
            allow_dotfiles: false,
            frankenphp_compat: false,
            roadrunner_compat: false,
            static_cache_control: None,
            static_precompressed: true,
            output_buffering: None,
            trusted_proxies: Vec::new(),
            compression: CompressionConfig::default(),
            tls: TlsConfig::default(),
            client_connections: 0,
            client_rate: 0,
        }
    }
}

/// Where a listener binds: a TCP address or a unix socket path.
#[derive(Debug, Clone, PartialEq)]
pub enum Listen {
    Tcp(std::net::SocketAddr),
    Unix(std::path::PathBuf),
}

impl std::fmt::Display for Listen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listen::Tcp(a) => write!(f, "{a}"),
            Listen::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

/// The FastCGI plugin's section (`fastcgi.*`); off unless `fastcgi.listen` is set.
/// Its limits and timeouts are the HTTP section's.
#[derive(Debug, Clone, PartialEq)]
pub struct FastcgiConfig {
    pub listen: Option<Listen>,
    /// Permissions of a unix socket (php-fpm's `listen.mode`).
    pub socket_mode: u32,
}

impl Default for FastcgiConfig {
    fn default() -> Self {
        FastcgiConfig { listen: None, socket_mode: 0o660 }
    }
}

/// The metrics plugin's section (`metrics.*`); off unless `metrics.listen` is set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricsConfig {
    pub listen: Option<std::net::SocketAddr>,
}

/// Everything `Folk\\Server` reads: the pool, its plugins, logging.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    pub pool: PoolConfig,
    pub http: HttpConfig,
    pub metrics: MetricsConfig,
    pub fastcgi: FastcgiConfig,
    /// The gRPC plugin's section; off unless `grpc.listen` is set.
    pub grpc: GrpcConfig,
    /// The jobs plugin's section; off unless `jobs.driver` is set.
    pub jobs: JobsConfig,
    /// Side processes started, watched and stopped with the server (`processes.<name>.*`).
    pub processes: ProcessesConfig,
    /// Development: reload the workers when source files change (`watch.*`).
    pub watch: WatchConfig,
    /// tracing filter, e.g. "info" or "folk=debug".
    pub log_level: String,
    /// Whether the main PHP thread runs the worker script as one more (never recycled) worker.
    pub main_worker: bool,
    /// tokio threads for the plugins' network I/O; 0 means half the CPUs (1 to 4).
    pub io_threads: usize,
    /// Run the server as a child of a parent that holds its sockets and restarts it after a crash.
    pub supervise: bool,
}

impl ServerConfig {
    /// Classic mode: no worker script, every PHP request runs a script under
    /// `http.root` from scratch, as php-fpm does.
    pub fn classic(&self) -> bool {
        self.pool.worker.is_empty()
    }

    /// Whether web requests reach the workers (HTTP, FastCGI, or both):
    /// worker scripts may then serve with handleRequest(), and requests get
    /// `workers.exec_timeout`'s default.
    pub fn serves_web(&self) -> bool {
        self.http.enabled || self.fastcgi.listen.is_some()
    }
}

impl ServerConfig {
    /// The I/O thread count to start: half the CPUs, at least 1, at most 4.
    /// Sockets need less CPU than PHP, and every extra I/O thread competes
    /// with the workers for the same cores (2 cores, wrk -c64, hello: 1 I/O
    /// thread ~90k req/s steadily, 2 between 74k and 92k).
    pub fn io_threads(&self) -> usize {
        match self.io_threads {
            0 => half_the_cpus().min(4),
            n => n,
        }
    }
}

/// The settings named `name` in a list by name (the jobs queues, the side processes).
fn named<'a, T>(list: &'a [(String, T)], name: &str) -> Option<&'a T> {
    list.iter().find(|(n, _)| n == name).map(|(_, t)| t)
}

/// The settings named `name`, added with defaults on first mention.
fn named_mut<'a, T: Default>(list: &'a mut Vec<(String, T)>, name: &str) -> &'a mut T {
    let i = match list.iter().position(|(n, _)| n == name) {
        Some(i) => i,
        None => {
            list.push((name.to_string(), T::default()));
            list.len() - 1
        }
    };
    &mut list[i].1
}

/// Half the CPUs this process may use, at least 1: the share given to threads
/// that only serve the PHP workers (I/O threads, spinning idle workers).
pub fn half_the_cpus() -> usize {
    std::thread::available_parallelism().map(|n| n.get() / 2).unwrap_or(1).max(1)
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            pool: PoolConfig::default(),
            http: HttpConfig::default(),
            metrics: MetricsConfig::default(),
            fastcgi: FastcgiConfig::default(),
            grpc: GrpcConfig::default(),
            jobs: JobsConfig::default(),
            processes: ProcessesConfig::default(),
            watch: WatchConfig::default(),
            log_level: "info".into(),
            main_worker: true,
            io_threads: 0,
            supervise: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::Value;

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (crate::bridge::Key::Str(k.into()), v)).collect())
    }

    #[test]
    fn io_threads_default_to_the_cpus_capped_and_refuse_silly_counts() {
        let mut c = ServerConfig::default();
        let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        assert_eq!(c.io_threads(), (cpus / 2).clamp(1, 4));
        c.set("server.io_threads", &Value::Int(3)).unwrap();
        assert_eq!(c.io_threads(), 3);
        let e = c.set("server.io_threads", &Value::Int(1000)).unwrap_err();
        assert_eq!(e.key, "server.io_threads");
    }

    #[test]
    fn nested_and_dotted_options_apply() {
        let opts = map(vec![
            ("workers", map(vec![("count", Value::Int(3)), ("exec_timeout", "250ms".into())])),
            ("queue.size", Value::Int(7)),
        ]);
        let mut c = PoolConfig::default();
        c.apply(flatten(&opts).unwrap()).unwrap();
        assert_eq!(c.workers.count, 3);
        assert_eq!(c.workers.exec_timeout, Some(Duration::from_millis(250)));
        assert_eq!(c.queue.size, 7);
    }

    #[test]
    fn errors_name_the_full_key() {
        let mut c = PoolConfig::default();
        let e = c.apply(flatten(&map(vec![("workers", map(vec![("cuont", Value::Int(1))]))])).unwrap()).unwrap_err();
        assert_eq!(e.key, "workers.cuont");
        let e = c.set("workers.count", &Value::Int(0)).unwrap_err();
        assert_eq!(e.key, "workers.count");
        let e = c.set("workers.ttl", &"soon".into()).unwrap_err();
        assert!(e.to_string().contains("workers.ttl") && e.to_string().contains("\"soon\""));
        let e = c.set("queue.size", &Value::Int(-1)).unwrap_err();
        assert_eq!(e.key, "queue.size");
    }

    #[test]
    fn server_keys_and_env_names() {
        let mut c = ServerConfig::default();
        c.set("http.listen", &"127.0.0.1:9999".into()).unwrap();
        c.set("workers.count", &"3".into()).unwrap();
        c.set("metrics.listen", &"off".into()).unwrap();
        c.set("http.access_log", &"on".into()).unwrap();
        assert_eq!(c.http.listen.port(), 9999);
        assert_eq!(c.pool.workers.count, 3);
        assert_eq!(c.metrics.listen, None);
        assert!(c.http.access_log);
        assert_eq!(c.set("http.listen", &"nowhere".into()).unwrap_err().key, "http.listen");
        assert_eq!(c.set("http.lisen", &"x".into()).unwrap_err().key, "http.lisen");
        assert_eq!(env_name("workers.max_jobs"), "FOLK_WORKERS_MAX_JOBS");
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let mut c = PoolConfig::default();
        c.set("workers.exec_timeout", &Value::Int(0)).unwrap();
        assert_eq!(c.workers.exec_timeout, None);
        assert!(c.set("workers.boot_timeout", &Value::Int(0)).is_err());
    }
}
