//! The one table of configuration keys: name, default (as the docs show it),
//! how a value is read and where it goes, and one line of documentation. It
//! drives setting from arrays, INI and environment, the "known keys" of error
//! messages, the `folk.*` INI entries, phpinfo() and the README check.

use std::net::SocketAddr;
use std::time::Duration;

use super::parse::{self, MAX_DURATION, Zero};
use super::grpc::GRPC_KEYS;
use super::jobs::JobsDriver;
use super::{Cidr, PoolConfig, ServerConfig};
use crate::bridge::Value;
use crate::error::ConfigError;

/// One configuration key, applied to a configuration of type `C`.
pub struct Key<C: 'static> {
    /// The dotted name: `workers.count`.
    pub name: &'static str,
    /// The default as the docs show it (some depend on the machine).
    pub default: &'static str,
    pub rule: Rule<C>,
    /// One line for the docs: what the key does.
    pub doc: &'static str,
}

/// How a key's value is read (and bounded), and the setter that stores it.
pub enum Rule<C: 'static> {
    /// A whole number from `min` to `max`.
    Count { min: u64, max: u64, set: fn(&mut C, u64) },
    /// A number of bytes from `min` to `max` ("64K", "8M").
    Size { min: u64, max: u64, set: fn(&mut C, u64) },
    /// A duration up to `MAX_DURATION` ("30s"); `zero` says what 0 means.
    Duration { zero: Zero, set: fn(&mut C, Duration) },
    Bool(fn(&mut C, bool)),
    Address(fn(&mut C, SocketAddr)),
    /// An address, or "off".
    AddressOrOff(fn(&mut C, Option<SocketAddr>)),
    /// An address or a unix socket path, or "off".
    ListenOrOff(fn(&mut C, Option<super::Listen>)),
    /// File permissions in octal.
    Mode(fn(&mut C, u32)),
    /// A path to a PHP file.
    Path(fn(&mut C, String)),
    /// A `tracing` filter.
    LogFilter(fn(&mut C, String)),
    /// File extensions with their dot.
    Extensions(fn(&mut C, Vec<String>)),
    /// A string described by `accepted`, or "off".
    TextOrOff { accepted: &'static str, set: fn(&mut C, Option<String>) },
    /// A non-empty string described by `accepted`.
    Text { accepted: &'static str, set: fn(&mut C, String) },
    /// One of `options` (case-insensitive).
    Choice { options: &'static [&'static str], set: fn(&mut C, &'static str) },
    /// IP addresses and CIDR ranges, or "off".
    Cidrs(fn(&mut C, Vec<Cidr>)),
    /// Some of `allowed`, in order of preference.
    Choices { allowed: &'static [&'static str], set: fn(&mut C, Vec<String>) },
    /// Non-empty strings described by `accepted`, at least one unless `none_ok` ("off" is none).
    Strings { accepted: &'static str, none_ok: bool, set: fn(&mut C, Vec<String>) },
}

impl<C> Key<C> {
    /// Reads `v` for this key and stores it in `c`; the error names the key.
    pub fn apply(&self, c: &mut C, v: &Value) -> Result<(), ConfigError> {
        let key = self.name;
        match &self.rule {
            Rule::Count { min, max, set } => set(c, parse::count(key, v, *min, *max)?),
            Rule::Size { min, max, set } => set(c, parse::size(key, v, *min, *max)?),
            Rule::Duration { zero, set } => set(c, parse::duration(key, v, *zero)?),
            Rule::Bool(set) => set(c, parse::boolean(key, v)?),
            Rule::Address(set) => set(c, parse::address(key, v)?),
            Rule::AddressOrOff(set) => set(c, parse::address_or_off(key, v)?),
            Rule::ListenOrOff(set) => set(c, parse::listen_or_off(key, v)?),
            Rule::Mode(set) => set(c, parse::mode(key, v)?),
            Rule::Path(set) => set(c, parse::string(key, v)?),
            Rule::LogFilter(set) => set(c, parse::log_filter(key, v)?),
            Rule::TextOrOff { set, .. } => set(c, parse::text_or_off(key, v)?),
            Rule::Extensions(set) => set(c, parse::extensions(key, v)?),
            Rule::Text { set, .. } => set(c, parse::string(key, v)?),
            Rule::Choice { options, set } => set(c, parse::choice(key, v, options)?),
            Rule::Cidrs(set) => set(c, parse::list(key, v, Cidr::parse)?),
            Rule::Choices { allowed, set } => set(c, choices(key, v, allowed)?),
            Rule::Strings { none_ok, set, .. } => set(c, strings(key, v, *none_ok)?),
        }
        Ok(())
    }

    /// The values this key accepts, as the docs show them.
    pub fn accepted(&self) -> String {
        let max_duration = parse::show_duration(MAX_DURATION);
        match &self.rule {
            Rule::Count { min, max, .. } => format!("{min} to {max}"),
            Rule::Size { min, max, .. } => format!("{} to {}", parse::show_size(*min), parse::show_size(*max)),
            Rule::Duration { zero: Zero::Off, .. } => format!("0 to {max_duration}"),
            Rule::Duration { zero: Zero::Refused, .. } => format!("more than 0, up to {max_duration}"),
            Rule::Bool(_) => "true or false".into(),
            Rule::Address(_) => "host:port".into(),
            Rule::AddressOrOff(_) => "host:port or off".into(),
            Rule::ListenOrOff(_) => "host:port, unix:/path or off".into(),
            Rule::Mode(_) => "octal permissions".into(),
            Rule::Path(_) => "a PHP file".into(),
            Rule::LogFilter(_) => "a tracing filter".into(),
            Rule::TextOrOff { accepted, .. } => format!("{accepted} or off"),
            Rule::Extensions(_) => "a list of .ext".into(),
            Rule::Text { accepted, .. } => accepted.to_string(),
            Rule::Choice { options, .. } => options.join(", "),
            Rule::Cidrs(_) => "a list of CIDR ranges or off".into(),
            Rule::Choices { allowed, .. } => format!("a list of {}", allowed.join(", ")),
            Rule::Strings { accepted, none_ok: true, .. } => format!("a list of {accepted} or off"),
            Rule::Strings { accepted, none_ok: false, .. } => format!("a list of {accepted}"),
        }
    }
}

/// Some of `allowed`, at least one, each once.
fn choices(key: &str, v: &Value, allowed: &[&str]) -> Result<Vec<String>, ConfigError> {
    let picked = parse::list(key, v, |s| {
        let s = s.to_ascii_lowercase();
        if allowed.contains(&s.as_str()) { Ok(s) } else { Err(format!("\"{s}\" is not one of {}", allowed.join(", "))) }
    })?;
    if picked.is_empty() {
        return Err(ConfigError::new(key, format!("name at least one of {} (or turn the feature off)", allowed.join(", "))));
    }
    if let Some(dup) = picked.iter().enumerate().find_map(|(i, p)| picked[..i].contains(p).then_some(p)) {
        return Err(ConfigError::new(key, format!("\"{dup}\" is listed twice")));
    }
    Ok(picked)
}

/// Non-empty strings; none only where `none_ok`.
fn strings(key: &str, v: &Value, none_ok: bool) -> Result<Vec<String>, ConfigError> {
    let items = parse::list(key, v, |s| if s.is_empty() { Err("an item is empty".to_string()) } else { Ok(s.to_string()) })?;
    if items.is_empty() && !none_ok {
        return Err(ConfigError::new(key, "name at least one"));
    }
    Ok(items)
}

/// Seconds as a limit: 0 means none.
fn limit(d: Duration) -> Option<Duration> {
    (!d.is_zero()).then_some(d)
}

/// The keys every pool reads (`Folk\Pool` accepts only these).
pub static POOL_KEYS: &[Key<PoolConfig>] = &[
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

/// The keys only a server reads, beyond `POOL_KEYS` (`Folk\Server` accepts both).
pub static SERVER_KEYS: &[Key<ServerConfig>] = &[
    Key {
        name: "server.main_worker",
        default: "true",
        rule: Rule::Bool(|c, b| c.main_worker = b),
        doc: "the main PHP thread serves as a worker too (Folk\\Server)",
    },
    Key {
        name: "server.io_threads",
        default: "0 (half the CPUs, 1 to 4)",
        rule: Rule::Count { min: 0, max: 256, set: |c, n| c.io_threads = n as usize },
        doc: "tokio threads that run the plugins' sockets (Folk\\Server); PHP never runs on them",
    },
    Key {
        name: "server.supervise",
        default: "false (folk serve: true)",
        rule: Rule::Bool(|c, b| c.supervise = b),
        doc: "a small parent process holds the listening sockets and restarts the server when it crashes (Folk\\Server)",
    },
    Key { name: "http.enabled", default: "true", rule: Rule::Bool(|c, b| c.http.enabled = b), doc: "the HTTP plugin" },
    Key {
        name: "http.listen",
        default: "127.0.0.1:8080",
        rule: Rule::Address(|c, a| c.http.listen = a),
        doc: "address to listen on",
    },
    Key {
        name: "http.max_header_size",
        default: "64K",
        rule: Rule::Size { min: 1 << 10, max: 16 << 20, set: |c, n| c.http.max_header_size = n as usize },
        doc: "larger request heads get 431",
    },
    Key {
        name: "http.max_body_size",
        default: "8M",
        rule: Rule::Size { min: 0, max: 4 << 30, set: |c, n| c.http.max_body_size = n },
        doc: "larger bodies get 413 (so 0 refuses any body)",
    },
    Key {
        name: "http.body_buffer",
        default: "16K",
        rule: Rule::Size { min: 0, max: 4 << 30, set: |c, n| c.http.body_buffer = n },
        doc: "larger request bodies are written to a temporary file (PHP's upload_tmp_dir, else the system temp dir) as they arrive, not held in memory",
    },
    Key {
        name: "http.header_timeout",
        default: "10s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.http.header_timeout = d },
        doc: "time to receive a request head",
    },
    Key {
        name: "http.idle_timeout",
        default: "60s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.http.idle_timeout = d },
        doc: "idle keep-alive connections are closed after this",
    },
    Key {
        name: "http.send_timeout",
        default: "60s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.http.send_timeout = d },
        doc: "a connection that takes no response bytes this long is closed (an h2 stream whose window stays shut too), and a PHP script streaming to it stops waiting",
    },
    Key {
        name: "http.response_buffer",
        default: "256K",
        rule: Rule::Size { min: 0, max: 1 << 30, set: |c, n| c.http.response_buffer = n },
        doc: "whole responses one connection may hold in memory while its client takes them; a response over it is sent from an unnamed temporary file",
    },
    Key {
        name: "http.response_buffer_total",
        default: "64M",
        rule: Rule::Size { min: 0, max: 1 << 40, set: |c, n| c.http.response_buffer_total = n },
        doc: "the same for the whole server: past it, every connection's larger responses go to temporary files",
    },
    Key {
        name: "http.max_connections",
        default: "10000",
        rule: Rule::Count { min: 1, max: 1_000_000, set: |c, n| c.http.max_connections = n as usize },
        doc: "connections beyond this get 503",
    },
    Key {
        name: "http.access_log",
        default: "false",
        rule: Rule::Bool(|c, b| c.http.access_log = b),
        doc: "one info log line per request",
    },
    Key {
        name: "http.direct",
        default: "true",
        rule: Rule::Bool(|c, b| c.http.direct = b),
        doc: "plain HTTP/1.1 requests are read, run and answered on the PHP workers' own threads, without a hand-off; false: all through hyper on the I/O thread (see Serving on the workers' threads)",
    },
    Key {
        name: "http.root",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a directory", set: |c, s| c.http.root = s.map(Into::into) },
        doc: "document root: its files are sent by Rust without PHP, other requests go to PHP",
    },
    Key {
        name: "http.front_controller",
        default: "index.php",
        rule: Rule::Path(|c, s| c.http.front_controller = s),
        doc: "classic mode: the script, relative to http.root, that runs for a path naming no file",
    },
    Key {
        name: "http.php_extensions",
        default: ".php",
        rule: Rule::Extensions(|c, e| c.http.php_extensions = e),
        doc: "classic mode: files with these extensions run as PHP; no other file ever does",
    },
    Key {
        name: "http.output_buffering",
        default: "the user's INI output_buffering, else 4096",
        rule: Rule::Size { min: 0, max: 16 << 20, set: |c, n| c.http.output_buffering = Some(n as usize) },
        doc: "PHP's output_buffering for web requests (php-cli forces 0); 0 sends output at once",
    },
    Key {
        name: "http.allow_dotfiles",
        default: "false",
        rule: Rule::Bool(|c, b| c.http.allow_dotfiles = b),
        doc: "serve files under http.root whose path has a part starting with a dot (.env, .git/)",
    },
    Key {
        name: "http.frankenphp_compat",
        default: "false",
        rule: Rule::Bool(|c, b| c.http.frankenphp_compat = b),
        doc: "worker mode: define frankenphp_handle_request() and set $_SERVER['FRANKENPHP_WORKER'], so worker scripts written for FrankenPHP run unchanged",
    },
    Key {
        name: "http.roadrunner_compat",
        default: "false",
        rule: Rule::Bool(|c, b| c.http.roadrunner_compat = b),
        doc: "worker mode: define RoadRunner's Spiral\\RoadRunner\\Worker and Http\\PSR7Worker/HttpWorker before the worker script, so RoadRunner worker scripts run unchanged",
    },
    Key {
        name: "http.static.cache_control",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a Cache-Control value", set: |c, s| c.http.static_cache_control = s },
        doc: "Cache-Control header sent with static files, e.g. public, max-age=3600",
    },
    Key {
        name: "http.static.precompressed",
        default: "true",
        rule: Rule::Bool(|c, b| c.http.static_precompressed = b),
        doc: "send a .br, .zst or .gz sibling of a static file to clients that accept it",
    },
    Key {
        name: "http.trusted_proxies",
        default: "off",
        rule: Rule::Cidrs(|c, v| c.http.trusted_proxies = v),
        doc: "peers whose X-Forwarded-For/-Proto/-Host/-Port and Forwarded headers set the client address and scheme",
    },
    Key {
        name: "http.compression.enabled",
        default: "true",
        rule: Rule::Bool(|c, b| c.http.compression.enabled = b),
        doc: "compress responses of text-like types for clients that accept it",
    },
    Key {
        name: "http.compression.min_size",
        default: "512",
        rule: Rule::Size { min: 0, max: 1 << 30, set: |c, n| c.http.compression.min_size = n },
        doc: "bodies known to be smaller are sent uncompressed",
    },
    Key {
        name: "http.compression.algorithms",
        default: "zstd, br, gzip",
        rule: Rule::Choices { allowed: &["zstd", "br", "gzip"], set: |c, v| c.http.compression.algorithms = v },
        doc: "encodings offered, preferred first when the client accepts several equally",
    },
    Key {
        name: "http.compression.gzip_level",
        default: "6",
        rule: Rule::Count { min: 1, max: 9, set: |c, n| c.http.compression.gzip_level = n as u32 },
        doc: "gzip level (9 is smallest and slowest)",
    },
    Key {
        name: "http.compression.brotli_level",
        default: "4",
        rule: Rule::Count { min: 0, max: 11, set: |c, n| c.http.compression.brotli_level = n as u32 },
        doc: "brotli quality (11 is smallest and far slower)",
    },
    Key {
        name: "http.compression.zstd_level",
        default: "3",
        rule: Rule::Count { min: 1, max: 19, set: |c, n| c.http.compression.zstd_level = n as u32 },
        doc: "zstd level (19 is smallest and slowest)",
    },
    Key {
        name: "http.tls.cert",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a PEM file", set: |c, s| c.http.tls.cert = s.map(Into::into) },
        doc: "certificate and its chain: with http.tls.key, http.listen serves HTTPS (HTTP/2 and HTTP/1.1 by ALPN)",
    },
    Key {
        name: "http.tls.key",
        default: "off",
        rule: Rule::TextOrOff { accepted: "a PEM file", set: |c, s| c.http.tls.key = s.map(Into::into) },
        doc: "private key of http.tls.cert (PKCS#8, PKCS#1 or SEC1)",
    },
    Key {
        name: "http.tls.redirect_listen",
        default: "off",
        rule: Rule::AddressOrOff(|c, a| c.http.tls.redirect_listen = a),
        doc: "a plain-HTTP address that answers every request with a 308 to https",
    },
    Key {
        name: "http.client_connections",
        default: "0 (no limit)",
        rule: Rule::Count { min: 0, max: 1_000_000, set: |c, n| c.http.client_connections = n as usize },
        doc: "connections one client address may hold open; more get 503 (trusted proxies are exempt)",
    },
    Key {
        name: "http.client_rate",
        default: "0 (no limit)",
        rule: Rule::Count { min: 0, max: 1_000_000, set: |c, n| c.http.client_rate = n },
        doc: "requests per second one client address may send (bursts up to one second's worth); more get 429",
    },
    Key {
        name: "fastcgi.listen",
        default: "off",
        rule: Rule::ListenOrOff(|c, l| c.fastcgi.listen = l),
        doc: "FastCGI listener in php-fpm's place behind nginx, Apache or Caddy (the http.* limits and timeouts apply)",
    },
    Key {
        name: "fastcgi.socket_mode",
        default: "0660",
        rule: Rule::Mode(|c, m| c.fastcgi.socket_mode = m),
        doc: "permissions of fastcgi.listen's unix socket (php-fpm's listen.mode)",
    },
    Key {
        name: "metrics.listen",
        default: "off",
        rule: Rule::AddressOrOff(|c, a| c.metrics.listen = a),
        doc: "address of /metrics, /healthz, /readyz and the admin's /workers, POST /reload (keep it on loopback)",
    },
    Key {
        name: "jobs.driver",
        default: "off",
        rule: Rule::Choice { options: &["off", "memory", "redis"], set: |c, s| c.jobs.driver = match s {
            "memory" => Some(JobsDriver::Memory),
            "redis" => Some(JobsDriver::Redis),
            _ => None,
        } },
        doc: "the jobs plugin's broker: memory (this process only, lost on exit) or redis; off disables it",
    },
    Key {
        name: "jobs.redis.url",
        default: "redis://127.0.0.1:6379/0",
        rule: Rule::Text { accepted: "a redis:// URL", set: |c, s| c.jobs.redis_url = s },
        doc: "the Redis server of jobs.driver = redis",
    },
    Key {
        name: "jobs.visibility_timeout",
        default: "60s",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.jobs.visibility_timeout = d },
        doc: "redis: a job taken by a server that stopped renewing it this long ago (it died) is run again",
    },
    Key {
        name: "jobs.idempotency_ttl",
        default: "1d",
        rule: Rule::Duration { zero: Zero::Refused, set: |c, d| c.jobs.idempotency_ttl = d },
        doc: "how long a push's 'id' is remembered: a second push with it in that time is a no-op",
    },
    Key {
        name: "watch.enabled",
        default: "false",
        rule: Rule::Bool(|c, b| c.watch.enabled = b),
        doc: "development: reload the workers when a watched file changes (folk serve --watch)",
    },
    Key {
        name: "watch.paths",
        default: "the worker script's directory (http.root in classic mode)",
        rule: Rule::Strings { accepted: "directories", none_ok: false, set: |c, v| c.watch.paths = v },
        doc: "directories watched, with everything under them",
    },
    Key {
        name: "watch.patterns",
        default: "**/*.php, **/.env, **/*.twig, **/*.yaml, **/*.yml, **/*.json",
        rule: Rule::Strings { accepted: "globs", none_ok: false, set: |c, v| c.watch.patterns = v },
        doc: "files whose change reloads, relative to a watched directory (* within a name, ** across directories)",
    },
    Key {
        name: "watch.ignore",
        default: "vendor, node_modules, .git",
        rule: Rule::Strings { accepted: "directory names", none_ok: true, set: |c, v| c.watch.ignore = v },
        doc: "directories skipped at any depth: changes under them never reload",
    },
    Key {
        name: "watch.debounce",
        default: "100ms",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.watch.debounce = d },
        doc: "quiet time after a change before the reload: a burst of changes gives one reload",
    },
    Key {
        name: "watch.poll",
        default: "0 (inotify)",
        rule: Rule::Duration { zero: Zero::Off, set: |c, d| c.watch.poll = limit(d) },
        doc: "look for changes this often instead of inotify (bind mounts, NFS, WSL give no events)",
    },
    Key {
        name: "log.level",
        default: "info (server), warn (pool)",
        rule: Rule::LogFilter(|c, s| c.log_level = s),
        doc: "tracing filter, e.g. debug or folk=debug",
    },
];

/// One key's documentation, whichever configuration it applies to.
pub struct KeyDoc {
    pub name: &'static str,
    pub default: &'static str,
    pub accepted: String,
    pub doc: &'static str,
}

impl<C> From<&Key<C>> for KeyDoc {
    fn from(k: &Key<C>) -> Self {
        KeyDoc { name: k.name, default: k.default, accepted: k.accepted(), doc: k.doc }
    }
}

/// Every key a server understands, pool keys first, as the docs list them.
pub fn every_key() -> impl Iterator<Item = KeyDoc> {
    POOL_KEYS.iter().map(KeyDoc::from).chain(SERVER_KEYS.iter().map(KeyDoc::from)).chain(GRPC_KEYS.iter().map(KeyDoc::from))
}

/// Every key name a server understands, pool keys first.
pub fn server_key_names() -> impl Iterator<Item = &'static str> {
    POOL_KEYS.iter().map(|k| k.name).chain(SERVER_KEYS.iter().map(|k| k.name)).chain(GRPC_KEYS.iter().map(|k| k.name))
}

fn find<C>(table: &'static [Key<C>], name: &str) -> Option<&'static Key<C>> {
    table.iter().find(|k| k.name == name)
}

fn unknown(key: &str, known: impl Iterator<Item = &'static str>) -> ConfigError {
    let known: Vec<&str> = known.collect();
    ConfigError::new(key, format!("unknown option (known: {})", known.join(", ")))
}

impl PoolConfig {
    /// Applies dotted-key options on top of `self`, in order; later ones win.
    pub fn apply<'a>(&mut self, entries: impl IntoIterator<Item = (String, &'a Value)>) -> Result<(), ConfigError> {
        for (key, value) in entries {
            self.set(&key, value)?;
        }
        Ok(())
    }

    /// Sets one pool key; a server-only or unknown key is refused.
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), ConfigError> {
        match find(POOL_KEYS, key) {
            Some(k) => k.apply(self, v),
            None => Err(unknown(key, POOL_KEYS.iter().map(|k| k.name))),
        }
    }
}

impl ServerConfig {
    /// Sets one key of any kind: a pool key goes to `self.pool`.
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), ConfigError> {
        if let Some(rest) = key.strip_prefix("jobs.queues.") {
            return self.jobs.set_queue_key(key, rest, v);
        }
        if let Some(k) = find(SERVER_KEYS, key).or_else(|| find(GRPC_KEYS, key)) {
            return k.apply(self, v);
        }
        match find(POOL_KEYS, key) {
            Some(k) => k.apply(&mut self.pool, v),
            None => Err(unknown(key, server_key_names())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_extensions_take_a_list_or_a_comma_separated_string_and_refuse_anything_else() {
        let mut c = ServerConfig::default();
        assert_eq!(c.http.php_extensions, [".php"]);
        c.set("http.php_extensions", &".php, .PHTML".into()).unwrap();
        assert_eq!(c.http.php_extensions, [".php", ".phtml"]);
        c.set("http.php_extensions", &Value::List(vec![".php".into()])).unwrap();
        assert_eq!(c.http.php_extensions, [".php"]);
        for bad in [Value::from("php"), Value::from(""), Value::from(".p/p"), Value::List(vec![]), Value::Int(1), Value::List(vec![Value::Int(1)])] {
            let e = c.set("http.php_extensions", &bad).unwrap_err();
            assert_eq!(e.key, "http.php_extensions", "{bad:?}");
        }
        c.set("http.front_controller", &"app.php".into()).unwrap();
        assert_eq!(c.http.front_controller, "app.php");
        assert!(c.set("http.front_controller", &"".into()).is_err());
    }

    #[test]
    fn key_names_are_unique_and_plain() {
        let names: Vec<&str> = server_key_names().collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} is listed twice");
            assert!(n.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'), "{n}: INI and env names need a-z, '.', '_'");
        }
    }

    #[test]
    fn pool_accepts_only_pool_keys_and_names_them() {
        let mut c = PoolConfig::default();
        let e = c.set("http.listen", &"127.0.0.1:1".into()).unwrap_err();
        assert_eq!(e.key, "http.listen");
        assert!(e.reason.contains("known: worker, workers.count,") && !e.reason.contains("http."), "{}", e.reason);
        let mut s = ServerConfig::default();
        let e = s.set("nope", &Value::Int(1)).unwrap_err();
        assert!(e.reason.contains("server.shutdown_timeout, server.main_worker") && e.reason.ends_with("grpc.reflection)"), "{}", e.reason);
    }

    #[test]
    fn every_key_refuses_values_out_of_its_range() {
        let mut c = ServerConfig::default();
        for (key, v, reason) in [
            ("workers.count", Value::Int(1025), "must be at most 1024"),
            ("workers.max_jobs", Value::Int(i64::MAX), "must be at most 1000000000"),
            ("workers.max_memory", "2048G".into(), "must be at most 1024G"),
            ("workers.ttl", Value::Float(1e20), "must be at most 365d"),
            ("workers.boot_timeout", Value::Int(i64::MAX), "must be at most 365d"),
            ("workers.boot_timeout", Value::Int(0), "must be greater than 0"),
            ("queue.size", Value::Int(i64::MAX), "must be at most 10000000"),
            ("queue.timeout", Value::Float(f64::NAN), "expected a duration like \"30s\", \"500ms\" or \"1h\", got NAN"),
            ("server.shutdown_timeout", Value::Float(-1.0), "must not be negative, got -1.0"),
            ("server.io_threads", Value::Int(1000), "must be at most 256"),
            ("http.max_header_size", Value::Int(100), "must be at least 1K"),
            ("http.max_header_size", Value::Int(i64::MAX), "must be at most 16M"),
            ("http.max_body_size", "5G".into(), "must be at most 4G"),
            ("http.header_timeout", Value::Int(0), "must be greater than 0"),
            ("http.idle_timeout", "400d".into(), "must be at most 365d"),
            ("http.max_connections", Value::Int(0), "must be at least 1"),
            ("http.max_connections", Value::Int(i64::MAX), "must be at most 1000000"),
        ] {
            let before = c.clone();
            let e = c.set(key, &v).unwrap_err();
            assert_eq!((e.key.as_str(), e.reason.as_str()), (key, reason), "{key} = {v:?}");
            assert_eq!(c, before, "{key}: a refused value changes nothing");
        }
    }

    #[test]
    fn the_largest_accepted_values_are_taken_as_given() {
        let mut c = ServerConfig::default();
        c.set("http.max_header_size", &"16M".into()).unwrap();
        c.set("http.max_connections", &Value::Int(1_000_000)).unwrap();
        c.set("workers.ttl", &"365d".into()).unwrap();
        c.set("workers.boot_timeout", &Value::Float(31_536_000.0)).unwrap();
        assert_eq!(c.http.max_header_size, 16 << 20);
        assert_eq!(c.http.max_connections, 1_000_000);
        assert_eq!(c.pool.workers.ttl, Some(MAX_DURATION));
        assert_eq!(c.pool.workers.boot_timeout, MAX_DURATION);
    }

    #[test]
    fn connection_limit_fits_a_semaphore_and_deadlines_fit_an_instant() {
        let Some(Key { rule: Rule::Count { max, .. }, .. }) = find(SERVER_KEYS, "http.max_connections") else {
            panic!("http.max_connections is a count");
        };
        assert!(*max as usize <= tokio::sync::Semaphore::MAX_PERMITS);
        // The longest deadline any option can set, with the slack callers add.
        assert!(std::time::Instant::now().checked_add(MAX_DURATION * 2).is_some());
    }

    /// The README's options table: one row per key, as (key, default, accepted, meaning),
    /// with the markdown backticks taken out.
    fn readme_rows(readme: &str) -> Vec<[String; 4]> {
        let table = readme.split("### Options").nth(1).expect("README.md has an Options section");
        table
            .lines()
            .skip_while(|l| !l.starts_with("| key |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<String> = l.trim_matches('|').split(" | ").map(|c| c.trim().replace('`', "")).collect();
                cells.try_into().unwrap_or_else(|c: Vec<String>| panic!("README row needs 4 cells: {c:?}"))
            })
            .collect()
    }

    #[test]
    fn readme_options_table_lists_exactly_the_schema() {
        let readme = include_str!("../../README.md");
        let rows = readme_rows(readme);
        let schema: Vec<[String; 4]> = every_key().map(|k| [k.name.into(), k.default.into(), k.accepted, k.doc.into()]).collect();
        for (row, key) in rows.iter().zip(&schema) {
            assert_eq!(row, key, "README.md's options row differs from the schema");
        }
        let names = |t: &[[String; 4]]| t.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
        assert_eq!(names(&rows), names(&schema), "README.md's options table must list exactly the schema's keys, in order");
    }
}
