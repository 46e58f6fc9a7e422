//! Every key a pool or a server understands, as one list: the tables put
//! together in the order the docs show them, and the setters that find a
//! key by name and refuse an unknown one with the list of known ones.

use super::schema::{Key, KeyDoc};
use super::{PoolConfig, ServerConfig, grpc, http_keys, jobs, pool_keys::POOL_KEYS, server_keys};
use crate::bridge::Value;
use crate::error::ConfigError;

/// The keys only a server reads, beyond `POOL_KEYS` (`Folk\Server` accepts both), table by table.
static SERVER_TABLES: &[&[Key<ServerConfig>]] = &[
    server_keys::SERVER_KEYS,
    http_keys::HTTP_KEYS,
    server_keys::LISTENER_KEYS,
    grpc::GRPC_KEYS,
    jobs::JOBS_KEYS,
    server_keys::WATCH_KEYS,
    server_keys::LOG_KEYS,
];

fn server_keys() -> impl Iterator<Item = &'static Key<ServerConfig>> {
    SERVER_TABLES.iter().flat_map(|t| t.iter())
}

/// Every key a server understands, pool keys first, as the docs list them.
pub fn every_key() -> impl Iterator<Item = KeyDoc> {
    POOL_KEYS.iter().map(KeyDoc::from).chain(server_keys().map(KeyDoc::from))
}

/// Every key name a server understands, pool keys first.
pub fn server_key_names() -> impl Iterator<Item = &'static str> {
    POOL_KEYS.iter().map(|k| k.name).chain(server_keys().map(|k| k.name))
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
        if let Some(k) = server_keys().find(|k| k.name == key) {
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
    use crate::config::parse::MAX_DURATION;
    use crate::config::schema::Rule;

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
        assert!(e.reason.contains("server.shutdown_timeout, server.main_worker") && e.reason.ends_with("log.level)"), "{}", e.reason);
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
        let Some(Key { rule: Rule::Count { max, .. }, .. }) = server_keys().find(|k| k.name == "http.max_connections") else {
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

