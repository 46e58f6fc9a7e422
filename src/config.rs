//! One configuration schema for pools and servers. Options arrive as dotted
//! keys (`workers.count`) from any source; each is validated here, and every
//! error names the key, so a typo fails at start-up instead of being ignored.

use std::time::Duration;

use crate::bridge::Value;
use crate::error::ConfigError;

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
                boot_timeout: Duration::from_secs(30),
            },
            queue: QueueConfig { size: 1024, timeout: Some(Duration::from_secs(30)) },
            shutdown_timeout: Duration::from_secs(30),
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
    /// Time allowed to receive a request head; slower gets 408 and the connection closes.
    pub header_timeout: Duration,
    /// Keep-alive connections idle this long are closed.
    pub idle_timeout: Duration,
    /// Connections beyond this are refused (503) until others close.
    pub max_connections: usize,
    /// One log line per request at info level.
    pub access_log: bool,
    /// The document root: its files are sent by Rust, without PHP (None: every request goes to PHP).
    pub root: Option<std::path::PathBuf>,
    /// The script that takes requests matching no file, relative to the root.
    pub front_controller: String,
    /// Extensions of the files that run as PHP.
    pub php_extensions: Vec<String>,
    /// Serve files and directories whose name starts with a dot (`.env`, `.git/`).
    pub allow_dotfiles: bool,
    /// `Cache-Control` sent with static files (None: no header).
    pub static_cache_control: Option<String>,
    /// Send a `.br`/`.zst`/`.gz` sibling of a static file to clients that accept it.
    pub static_precompressed: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            enabled: true,
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            max_header_size: 64 << 10,
            max_body_size: 8 << 20,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
            access_log: false,
            root: None,
            front_controller: "index.php".into(),
            php_extensions: vec![".php".into()],
            allow_dotfiles: false,
            static_cache_control: None,
            static_precompressed: true,
        }
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
    /// tracing filter, e.g. "info" or "folk=debug".
    pub log_level: String,
    /// Whether the main PHP thread runs the worker script as one more (never recycled) worker.
    pub main_worker: bool,
    /// tokio threads for the plugins' network I/O; 0 means half the CPUs (1 to 4).
    pub io_threads: usize,
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
            log_level: "info".into(),
            main_worker: true,
            io_threads: 0,
        }
    }
}

/// Server-only keys, beyond `POOL_KEYS`.
pub const SERVER_KEYS: &[(&str, &str)] = &[
    ("server.main_worker", "true"),
    ("server.io_threads", "0 (half the CPUs, 1 to 4)"),
    ("http.enabled", "true"),
    ("http.listen", "127.0.0.1:8080"),
    ("http.max_header_size", "64K"),
    ("http.max_body_size", "8M"),
    ("http.header_timeout", "10s"),
    ("http.idle_timeout", "60s"),
    ("http.max_connections", "10000"),
    ("http.access_log", "false"),
    ("http.root", "off"),
    ("http.allow_dotfiles", "false"),
    ("http.static.cache_control", "off"),
    ("http.static.precompressed", "true"),
    ("metrics.listen", "off"),
    ("log.level", "info"),
];

/// Every key a server understands, pool keys first.
pub fn server_keys() -> impl Iterator<Item = &'static str> {
    POOL_KEYS.iter().chain(SERVER_KEYS).map(|(k, _)| *k)
}

/// The environment variable for a key: `workers.max_jobs` -> `FOLK_WORKERS_MAX_JOBS`.
pub fn env_name(key: &str) -> String {
    format!("FOLK_{}", key.to_ascii_uppercase().replace('.', "_"))
}

impl ServerConfig {
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), ConfigError> {
        let h = &mut self.http;
        match key {
            "server.main_worker" => self.main_worker = boolean(key, v)?,
            "server.io_threads" => {
                self.io_threads = int(key, v)? as usize;
                if self.io_threads > 256 {
                    return Err(ConfigError::new(key, "must be at most 256 (0 picks half the CPUs, 1 to 4)"));
                }
            }
            "http.enabled" => h.enabled = boolean(key, v)?,
            "http.listen" => h.listen = address(key, v)?,
            "http.max_header_size" => h.max_header_size = bytes(key, v)?.max(1024) as usize,
            "http.max_body_size" => h.max_body_size = bytes(key, v)?,
            "http.header_timeout" => {
                h.header_timeout = optional_duration(key, v)?.ok_or_else(|| ConfigError::new(key, "must be greater than 0"))?
            }
            "http.idle_timeout" => {
                h.idle_timeout = optional_duration(key, v)?.ok_or_else(|| ConfigError::new(key, "must be greater than 0"))?
            }
            "http.max_connections" => h.max_connections = int(key, v)?.max(1) as usize,
            "http.access_log" => h.access_log = boolean(key, v)?,
            "http.root" => h.root = Some(string(key, v)?.into()),
            "http.allow_dotfiles" => h.allow_dotfiles = boolean(key, v)?,
            "http.static.cache_control" => h.static_cache_control = text(v).filter(|s| !s.is_empty()),
            "http.static.precompressed" => h.static_precompressed = boolean(key, v)?,
            "metrics.listen" => {
                self.metrics.listen = match v {
                    Value::Null | Value::Bool(false) => None,
                    _ if matches!(text(v).as_deref(), Some("" | "off")) => None,
                    _ => Some(address(key, v)?),
                }
            }
            "log.level" => {
                let s = string(key, v)?;
                tracing_subscriber::EnvFilter::try_new(&s)
                    .map_err(|e| ConfigError::new(key, format!("not a log level/filter: {e}")))?;
                self.log_level = s;
            }
            _ if POOL_KEYS.iter().any(|(k, _)| *k == key) => self.pool.set(key, v)?,
            _ => {
                let known: Vec<&str> = server_keys().collect();
                return Err(ConfigError::new(key, format!("unknown option (known: {})", known.join(", "))));
            }
        }
        Ok(())
    }
}

fn boolean(key: &str, v: &Value) -> Result<bool, ConfigError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Int(0) => Ok(false),
        Value::Int(1) => Ok(true),
        Value::Str(_) => match text(v).unwrap_or_default().to_ascii_lowercase().as_str() {
            "1" | "true" | "on" | "yes" => Ok(true),
            "0" | "false" | "off" | "no" | "" => Ok(false),
            _ => Err(ConfigError::new(key, format!("expected true or false, got {}", describe(v)))),
        },
        _ => Err(ConfigError::new(key, format!("expected true or false, got {}", describe(v)))),
    }
}

fn address(key: &str, v: &Value) -> Result<std::net::SocketAddr, ConfigError> {
    let s = text(v).ok_or_else(|| ConfigError::new(key, format!("expected an address like \"127.0.0.1:8080\", got {}", describe(v))))?;
    let s = if s.starts_with(':') { format!("0.0.0.0{s}") } else { s };
    s.parse().map_err(|_| ConfigError::new(key, format!("expected an address like \"127.0.0.1:8080\", got \"{s}\"")))
}

/// Every key the pool understands, with its default, for docs and errors.
pub const POOL_KEYS: &[(&str, &str)] = &[
    ("worker", "path of the worker script (required)"),
    ("workers.count", "number of CPUs"),
    ("workers.max_jobs", "0 (never)"),
    ("workers.ttl", "0 (never)"),
    ("workers.idle_ttl", "0 (never)"),
    ("workers.max_memory", "0 (never)"),
    ("workers.exec_timeout", "30s"),
    ("workers.boot_timeout", "30s"),
    ("queue.size", "1024"),
    ("queue.timeout", "30s"),
    ("server.shutdown_timeout", "30s"),
];

impl PoolConfig {
    /// Applies dotted-key options on top of `self`, in order; later ones win.
    pub fn apply<'a>(&mut self, entries: impl IntoIterator<Item = (String, &'a Value)>) -> Result<(), ConfigError> {
        for (key, value) in entries {
            self.set(&key, value)?;
        }
        Ok(())
    }

    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), ConfigError> {
        let w = &mut self.workers;
        match key {
            "worker" => self.worker = string(key, v)?,
            "workers.count" => {
                w.count = int(key, v)? as usize;
                if w.count == 0 {
                    return Err(ConfigError::new(key, "must be at least 1"));
                }
                if w.count > 1024 {
                    return Err(ConfigError::new(key, "must be at most 1024"));
                }
            }
            "workers.max_jobs" => w.max_jobs = int(key, v)?,
            "workers.ttl" => w.ttl = optional_duration(key, v)?,
            "workers.idle_ttl" => w.idle_ttl = optional_duration(key, v)?,
            "workers.max_memory" => w.max_memory = bytes(key, v)?,
            "workers.exec_timeout" => w.exec_timeout = optional_duration(key, v)?,
            "workers.boot_timeout" => {
                w.boot_timeout = optional_duration(key, v)?
                    .ok_or_else(|| ConfigError::new(key, "must be greater than 0"))?
            }
            "queue.size" => self.queue.size = int(key, v)? as usize,
            "queue.timeout" => self.queue.timeout = optional_duration(key, v)?,
            "server.shutdown_timeout" => self.shutdown_timeout = optional_duration(key, v)?.unwrap_or(Duration::ZERO),
            _ => {
                let known: Vec<&str> = POOL_KEYS.iter().map(|(k, _)| *k).collect();
                return Err(ConfigError::new(key, format!("unknown option (known: {})", known.join(", "))));
            }
        }
        Ok(())
    }
}

/// Flattens nested option arrays (`['workers' => ['count' => 2]]`) into
/// dotted keys (`workers.count`). Dotted keys given directly are kept.
pub fn flatten(v: &Value) -> Result<Vec<(String, &Value)>, ConfigError> {
    fn walk<'a>(prefix: &str, v: &'a Value, out: &mut Vec<(String, &'a Value)>) -> Result<(), ConfigError> {
        match v {
            Value::Map(entries) => {
                for (k, child) in entries {
                    let name = match k {
                        crate::bridge::Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
                        crate::bridge::Key::Int(i) => {
                            let at = if prefix.is_empty() { "options".to_string() } else { prefix.to_string() };
                            return Err(ConfigError::new(at, format!("expected named options, got index {i}")));
                        }
                    };
                    let full = if prefix.is_empty() { name } else { format!("{prefix}.{name}") };
                    walk(&full, child, out)?;
                }
                Ok(())
            }
            Value::List(items) if !items.is_empty() || prefix.is_empty() => {
                let at = if prefix.is_empty() { "options".to_string() } else { prefix.to_string() };
                Err(ConfigError::new(at, "expected named options, got a list"))
            }
            _ => {
                out.push((prefix.to_string(), v));
                Ok(())
            }
        }
    }
    let mut out = Vec::new();
    if matches!(v, Value::List(items) if items.is_empty()) {
        return Ok(out);
    }
    walk("", v, &mut out)?;
    Ok(out)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(String::from_utf8_lossy(s).trim().to_string()),
        _ => None,
    }
}

fn string(key: &str, v: &Value) -> Result<String, ConfigError> {
    text(v).filter(|s| !s.is_empty()).ok_or_else(|| ConfigError::new(key, "expected a non-empty string"))
}

fn int(key: &str, v: &Value) -> Result<u64, ConfigError> {
    let n = match v {
        Value::Int(i) => *i,
        Value::Str(_) => text(v)
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| ConfigError::new(key, format!("expected an integer, got {}", describe(v))))?,
        _ => return Err(ConfigError::new(key, format!("expected an integer, got {}", describe(v)))),
    };
    u64::try_from(n).map_err(|_| ConfigError::new(key, format!("must not be negative, got {n}")))
}

/// "30s", "500ms", "2m", "1h", "1d", a bare number of seconds; 0 means off.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let factor = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "us" => 0.000_001,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    let secs = n * factor;
    (secs.is_finite() && secs >= 0.0 && secs < 1e10).then(|| Duration::from_secs_f64(secs))
}

fn optional_duration(key: &str, v: &Value) -> Result<Option<Duration>, ConfigError> {
    let d = match v {
        Value::Int(i) if *i >= 0 => Duration::from_secs(*i as u64),
        Value::Float(f) if *f >= 0.0 && f.is_finite() => Duration::from_secs_f64(*f),
        Value::Str(_) => text(v).as_deref().and_then(parse_duration).ok_or_else(|| {
            ConfigError::new(key, format!("expected a duration like \"30s\", \"500ms\" or \"1h\", got {}", describe(v)))
        })?,
        _ => {
            return Err(ConfigError::new(
                key,
                format!("expected a duration like \"30s\", \"500ms\" or \"1h\", got {}", describe(v)),
            ));
        }
    };
    Ok((!d.is_zero()).then_some(d))
}

/// "128M", "1G", "512K", or a number of bytes; 0 means off.
pub fn parse_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor)
}

fn bytes(key: &str, v: &Value) -> Result<u64, ConfigError> {
    match v {
        Value::Int(i) if *i >= 0 => Ok(*i as u64),
        Value::Str(_) => text(v).as_deref().and_then(parse_bytes).ok_or_else(|| {
            ConfigError::new(key, format!("expected a size like \"128M\", \"1G\" or bytes, got {}", describe(v)))
        }),
        _ => Err(ConfigError::new(key, format!("expected a size like \"128M\", \"1G\" or bytes, got {}", describe(v)))),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Int(i) => format!("{i}"),
        Value::Float(f) => format!("{f}"),
        Value::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
        Value::List(_) | Value::Map(_) => "an array".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (crate::bridge::Key::Str(k.into()), v)).collect())
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("10"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("10 parsecs"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_bytes("128M"), Some(128 << 20));
        assert_eq!(parse_bytes("1G"), Some(1 << 30));
        assert_eq!(parse_bytes("512k"), Some(512 << 10));
        assert_eq!(parse_bytes("100"), Some(100));
        assert_eq!(parse_bytes("12X"), None);
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

/// Builds a server configuration from its three sources, lowest precedence
/// first: `folk.*` INI directives, the options array, `FOLK_*` environment
/// variables. Errors name the INI directive, the key or the variable.
pub fn server_config(
    ini: &[(String, String)],
    array: Option<&Value>,
    env: &[(String, String)],
) -> Result<ServerConfig, ConfigError> {
    let mut c = ServerConfig::default();
    for (key, v) in ini {
        c.set(key, &Value::from(v.as_str())).map_err(|e| ConfigError::new(format!("folk.{}", e.key), e.reason))?;
    }
    if let Some(a) = array {
        for (key, v) in flatten(a)? {
            c.set(&key, v)?;
        }
    }
    for (name, v) in env {
        let key = if name == "FOLK_LOG" {
            Some("log.level")
        } else {
            server_keys().find(|k| env_name(k) == *name)
        };
        let Some(key) = key else {
            let known: Vec<String> = server_keys().map(env_name).collect();
            return Err(ConfigError::new(name.clone(), format!("unknown environment variable (known: {}, FOLK_LOG)", known.join(", "))));
        };
        c.set(key, &Value::from(v.as_str())).map_err(|e| ConfigError::new(format!("{name} ({})", e.key), e.reason))?;
    }
    if c.pool.worker.is_empty() {
        return Err(ConfigError::new("worker", "the worker script is required (option 'worker', folk.worker or FOLK_WORKER)"));
    }
    Ok(c)
}

#[cfg(test)]
mod source_tests {
    use super::*;

    #[test]
    fn env_beats_array_beats_ini() {
        let ini = vec![("workers.count".to_string(), "2".to_string()), ("worker".into(), "w.php".into())];
        let array = Value::Map(vec![(crate::bridge::Key::Str(b"workers".to_vec()), Value::Map(vec![(crate::bridge::Key::Str(b"count".to_vec()), Value::Int(3))]))]);
        let c = server_config(&ini, Some(&array), &[]).unwrap();
        assert_eq!(c.pool.workers.count, 3);
        let env = vec![("FOLK_WORKERS_COUNT".to_string(), "5".to_string())];
        let c = server_config(&ini, Some(&array), &env).unwrap();
        assert_eq!(c.pool.workers.count, 5);
        let c = server_config(&ini, None, &[]).unwrap();
        assert_eq!(c.pool.workers.count, 2);
    }

    #[test]
    fn errors_name_their_source() {
        let ini = vec![("workers.count".to_string(), "zero".to_string())];
        assert_eq!(server_config(&ini, None, &[]).unwrap_err().key, "folk.workers.count");
        let env = vec![("FOLK_WORKERS_CUONT".to_string(), "1".to_string())];
        let w = vec![("worker".to_string(), "w.php".to_string())];
        assert_eq!(server_config(&w, None, &env).unwrap_err().key, "FOLK_WORKERS_CUONT");
        let env = vec![("FOLK_HTTP_LISTEN".to_string(), "nope".to_string())];
        assert_eq!(server_config(&w, None, &env).unwrap_err().key, "FOLK_HTTP_LISTEN (http.listen)");
    }
}
