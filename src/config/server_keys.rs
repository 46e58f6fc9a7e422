//! The server's own keys beyond HTTP and jobs: the process (`server.*`), the
//! other listeners (`fastcgi.*`, `metrics.listen`), watch mode and the log.

use super::parse::Zero;
use super::schema::{Key, Rule, limit};
use super::ServerConfig;

/// How the server process runs and stops.
pub(super) static SERVER_KEYS: &[Key<ServerConfig>] = &[
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
];

/// The listeners beside HTTP: FastCGI and the metrics/admin port.
pub(super) static LISTENER_KEYS: &[Key<ServerConfig>] = &[
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
];

/// Watch mode (development): what is watched and how often.
pub(super) static WATCH_KEYS: &[Key<ServerConfig>] = &[
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
];

/// The log.
pub(super) static LOG_KEYS: &[Key<ServerConfig>] = &[
    Key {
        name: "log.level",
        default: "info (server), warn (pool)",
        rule: Rule::LogFilter(|c, s| c.log_level = s),
        doc: "tracing filter, e.g. debug or folk=debug",
    },
];
