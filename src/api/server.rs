//! `Folk\Server`: configuration in (INI, array, environment), `run()` blocks
//! until SIGTERM/SIGINT. Translation only; the lifecycle is in `server`.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use super::exceptions::{config_error, folk_error};
use super::ini;
use crate::bridge::zval::to_value;
use crate::config::{ServerConfig, server_config};
use crate::error::ConfigError;
use crate::runtime::{php, serve};

/// The FOLK_* variables as PHP sees them (getenv(), so putenv() counts).
/// Rust's std::env::vars() sees an empty environment inside php-cli, so ask PHP.
fn folk_environment() -> Vec<(String, String)> {
    let Ok(getenv) = ext_php_rs::types::ZendCallable::try_from_name("getenv") else { return Vec::new() };
    let Ok(all) = getenv.try_call(vec![]) else { return Vec::new() };
    let Some(vars) = all.array() else { return Vec::new() };
    let mut out: Vec<(String, String)> = vars
        .iter()
        .filter_map(|(k, v)| {
            let k = k.to_string();
            k.starts_with("FOLK_").then(|| (k, v.string().unwrap_or_default()))
        })
        .collect();
    out.sort();
    out
}

/// An application server: long-lived PHP workers behind built-in plugins (HTTP, metrics).
#[php_class]
#[php(name = "Folk\\Server")]
pub struct Server {
    config: Option<ServerConfig>,
}

#[php_impl]
impl Server {
    /// Reads the configuration (folk.* INI < $options < FOLK_* environment) and validates it.
    pub fn __construct(options: Option<&Zval>) -> PhpResult<Self> {
        let array = match options {
            Some(z) => Some(to_value(z, "options").map_err(|e| config_error(ConfigError::new("options", e.to_string())))?),
            None => None,
        };
        let env = folk_environment();
        let mut config = server_config(&ini::values(), array.as_ref(), &env).map_err(config_error)?;
        if !config.classic() {
            let path = std::fs::canonicalize(&config.pool.worker).map_err(|e| {
                config_error(ConfigError::new("worker", format!("cannot open {}: {e}", config.pool.worker)))
            })?;
            config.pool.worker = path.to_string_lossy().into_owned();
        }
        Ok(Server { config: Some(config) })
    }

    /// Serves until SIGTERM or SIGINT (graceful: in-flight work finishes), then
    /// returns. SIGHUP reloads the workers. The calling thread serves as a worker too.
    pub fn run(&mut self) -> PhpResult<()> {
        if serve::in_worker() {
            return Err(folk_error("Folk\\Server::run() cannot be called inside a folk worker"));
        }
        let config = self.config.take().ok_or_else(|| folk_error("Folk\\Server::run() was already called"))?;
        crate::logging::set_level(&config.log_level);
        // The script's own max_execution_time does not count while it serves
        // (each request and job has its own); it starts again afterwards.
        php::stop_time_limit();
        let ran = crate::server::run(config);
        php::restart_time_limit();
        match ran {
            // The main-thread worker died of a fatal error earlier: PHP's state of this
            // request is gone, so run() cannot return into the script; the process ends
            // here, and after a clean stop it exits 0 (the fatal error was one request's).
            Ok(report) if report.main_bailed_out => {
                php::set_exit_status(0);
                php::reraise_bailout()
            }
            Ok(_) => Ok(()),
            Err(e) => Err(folk_error(e.to_string())),
        }
    }
}
