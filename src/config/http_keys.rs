//! The `http.*` keys: the HTTP listener, its limits and timeouts, classic
//! mode's document root, static files, compression, TLS and the per-client limits.

use super::parse::Zero;
use super::schema::{Key, Rule};
use super::ServerConfig;

/// The HTTP server's keys, in the order the docs list them.
pub(super) static HTTP_KEYS: &[Key<ServerConfig>] = &[
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
];
