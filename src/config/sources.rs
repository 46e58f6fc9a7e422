//! Where options come from and how they merge: nested or dotted option
//! arrays, `folk.*` INI directives and `FOLK_*` environment variables, lowest
//! precedence first. Every error names the directive, key or variable it came from.

use super::ServerConfig;
use super::keys::server_key_names;
use crate::bridge::{Key, Value};
use crate::error::ConfigError;

/// Environment variables that set a key under another name than `env_name(key)`.
const ENV_ALIASES: &[(&str, &str)] = &[("FOLK_LOG", "log.level")];

/// The `folk` command's own variables (which PHP and which libfolk.so `bin/folk` runs), not
/// options: a user who exports them for the command must still be able to start a server script,
/// so the scan skips them instead of refusing them as unknown.
const COMMAND_VARS: &[&str] = &["FOLK_PHP", "FOLK_EXTENSION"];

/// The environment variable for a key: `workers.max_jobs` -> `FOLK_WORKERS_MAX_JOBS`.
pub fn env_name(key: &str) -> String {
    format!("FOLK_{}", key.to_ascii_uppercase().replace('.', "_"))
}

/// The key an environment variable sets, if it is one of ours.
fn env_key(name: &str) -> Option<&'static str> {
    ENV_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, key)| *key)
        .or_else(|| server_key_names().find(|k| env_name(k) == name))
}

/// `FOLK_JOBS_QUEUES_<NAME>_<KEY>` -> `jobs.queues.<name>.<key>` (the key is matched from the end,
/// so queue names may hold '_').
fn queue_env_key(name: &str) -> Option<String> {
    let rest = name.strip_prefix("FOLK_JOBS_QUEUES_")?;
    super::QUEUE_KEYS.iter().find_map(|k| {
        let queue = rest.strip_suffix(&format!("_{}", k.name.to_ascii_uppercase()))?;
        (!queue.is_empty()).then(|| format!("jobs.queues.{}.{}", queue.to_ascii_lowercase(), k.name))
    })
}

fn unknown_env(name: &str) -> ConfigError {
    let known: Vec<String> = server_key_names().map(env_name).chain(ENV_ALIASES.iter().map(|(a, _)| a.to_string())).collect();
    ConfigError::new(name, format!("unknown environment variable (known: {})", known.join(", ")))
}

/// Flattens nested option arrays (`['workers' => ['count' => 2]]`) into
/// dotted keys (`workers.count`). Dotted keys given directly are kept.
pub fn flatten(v: &Value) -> Result<Vec<(String, &Value)>, ConfigError> {
    fn walk<'a>(prefix: &str, v: &'a Value, out: &mut Vec<(String, &'a Value)>) -> Result<(), ConfigError> {
        let at = || if prefix.is_empty() { "options".to_string() } else { prefix.to_string() };
        match v {
            Value::Map(entries) => {
                for (k, child) in entries {
                    let name = match k {
                        Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
                        Key::Int(i) => return Err(ConfigError::new(at(), format!("expected named options, got index {i}"))),
                    };
                    let full = if prefix.is_empty() { name } else { format!("{prefix}.{name}") };
                    walk(&full, child, out)?;
                }
                Ok(())
            }
            // A list is a value only for a key that takes one (`http.trusted_proxies`, `http.php_extensions`).
            Value::List(items) if prefix.is_empty() || (!items.is_empty() && !server_key_names().any(|k| k == prefix)) => {
                Err(ConfigError::new(at(), "expected named options, got a list"))
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
        if COMMAND_VARS.contains(&name.as_str()) {
            continue;
        }
        if let Some(key) = queue_env_key(name) {
            c.set(&key, &Value::from(v.as_str())).map_err(|e| ConfigError::new(format!("{name} ({})", e.key), e.reason))?;
            continue;
        }
        let key = env_key(name).ok_or_else(|| unknown_env(name))?;
        c.set(key, &Value::from(v.as_str())).map_err(|e| ConfigError::new(format!("{name} ({})", e.key), e.reason))?;
    }
    c.jobs.validate()?;
    // Classic mode over FastCGI alone needs no root: the web server names each script.
    if c.pool.worker.is_empty() && c.http.root.is_none() {
        if c.fastcgi.listen.is_some() && c.http.enabled {
            return Err(ConfigError::new(
                "http.root",
                "classic mode over HTTP needs http.root (the scripts' directory); set it, or http.enabled = false to serve FastCGI only",
            ));
        }
        if c.fastcgi.listen.is_none() {
            return Err(ConfigError::new(
                "worker",
                "the worker script is required (option 'worker', folk.worker or FOLK_WORKER), or http.root for classic mode",
            ));
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_beats_array_beats_ini() {
        let ini = vec![("workers.count".to_string(), "2".to_string()), ("worker".into(), "w.php".into())];
        let array = Value::Map(vec![(Key::Str(b"workers".to_vec()), Value::Map(vec![(Key::Str(b"count".to_vec()), Value::Int(3))]))]);
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

    #[test]
    fn every_key_has_its_environment_variable_and_folk_log_is_log_level() {
        for key in server_key_names() {
            assert_eq!(env_key(&env_name(key)), Some(key));
        }
        let w = vec![("worker".to_string(), "w.php".to_string())];
        let c = server_config(&w, None, &[("FOLK_LOG".into(), "debug".into())]).unwrap();
        assert_eq!(c.log_level, "debug");
        let e = server_config(&w, None, &[("FOLK_NOPE".into(), "1".into())]).unwrap_err();
        assert!(e.reason.starts_with("unknown environment variable (known: FOLK_WORKER, FOLK_WORKERS_COUNT,"), "{}", e.reason);
        assert!(e.reason.ends_with("FOLK_LOG_LEVEL, FOLK_LOG)"), "{}", e.reason);
    }

    #[test]
    fn the_folk_commands_variables_are_ignored_and_a_misspelt_one_still_fails() {
        let w = vec![("worker".to_string(), "w.php".to_string())];
        let env = vec![("FOLK_EXTENSION".to_string(), "/x/libfolk.so".to_string()), ("FOLK_PHP".into(), "/x/php".into())];
        assert_eq!(server_config(&w, None, &env).unwrap(), server_config(&w, None, &[]).unwrap());
        for typo in ["FOLK_WORKERS_CONT", "FOLK_PHP_BINARY", "FOLK_EXTENSIONS"] {
            let e = server_config(&w, None, &[(typo.to_string(), "1".to_string())]).unwrap_err();
            assert_eq!(e.key, typo);
            assert!(e.reason.starts_with("unknown environment variable (known: "), "{typo}: {}", e.reason);
        }
        // Skipping them must never hide an option of that name.
        for key in server_key_names() {
            assert!(!COMMAND_VARS.contains(&env_name(key).as_str()), "option '{key}' is read from a variable the server skips");
        }
    }

    #[test]
    fn out_of_range_values_are_refused_from_every_source() {
        let w = vec![("worker".to_string(), "w.php".to_string())];
        let ini = [w.clone(), vec![("workers.ttl".to_string(), "400d".to_string())]].concat();
        assert_eq!(server_config(&ini, None, &[]).unwrap_err().to_string(), "invalid option 'folk.workers.ttl': must be at most 365d");
        let env = vec![("FOLK_HTTP_MAX_CONNECTIONS".to_string(), "0".to_string())];
        assert_eq!(
            server_config(&w, None, &env).unwrap_err().to_string(),
            "invalid option 'FOLK_HTTP_MAX_CONNECTIONS (http.max_connections)': must be at least 1"
        );
    }
}
