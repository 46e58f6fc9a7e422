//! The `processes` section: side processes folk starts, watches and stops
//! with the server (a queue consumer, Vite, Meilisearch), one block per name
//! (`processes.<name>.<key>`). Like `jobs.queues`, the keys are a table of their
//! own because their names hold the process's name; `ServerConfig::set` routes
//! `processes.…` here, from arrays and from `FOLK_PROCESSES_<NAME>_<KEY>`.

use std::time::Duration;

use super::parse::{self, Zero};
use super::schema::{Key, Rule};
use crate::bridge::Value;
use crate::error::ConfigError;

/// What runs: an argv exec'd directly, or a line for `/bin/sh -c`.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Not given yet (refused by `validate`).
    Unset,
    Argv(Vec<String>),
    /// Run by `/bin/sh -c`; only with `shell = true`.
    Line(String),
}

/// When an instance that ended is started again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// Whatever the exit.
    Always,
    /// Only after an exit code other than 0, or a signal folk did not send.
    OnFailure,
    Never,
}

impl Restart {
    fn parse(s: &str) -> Restart {
        match s {
            "on_failure" => Restart::OnFailure,
            "never" => Restart::Never,
            _ => Restart::Always,
        }
    }
}

/// One process's settings (`processes.<name>.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessSettings {
    pub command: Command,
    pub shell: bool,
    /// Working directory (None: the server's).
    pub directory: Option<String>,
    /// Added to the server's environment, in order.
    pub env: Vec<(String, String)>,
    /// Instances `name.0` … `name.(numprocs-1)`.
    pub numprocs: usize,
    pub restart: Restart,
    /// The first restart's delay; doubled after each short run, up to `restart_delay_max`.
    pub restart_delay: Duration,
    pub restart_delay_max: Duration,
    /// Short runs in a row after which the instance is given up (0: never).
    pub max_restarts: u32,
    /// Running this long counts as up: ready for `/readyz`, and the delay and the failure count start over.
    pub ready_after: Duration,
    /// The signal a stop sends first: "term", "int", "quit", "hup", "usr1", "usr2" or "kill".
    pub stop_signal: &'static str,
    /// How long after `stop_signal` the group gets SIGKILL.
    pub stop_timeout: Duration,
    /// `/readyz` answers 503 until every instance is up.
    pub required: bool,
}

impl Default for ProcessSettings {
    fn default() -> Self {
        ProcessSettings {
            command: Command::Unset,
            shell: false,
            directory: None,
            env: Vec::new(),
            numprocs: 1,
            restart: Restart::Always,
            restart_delay: Duration::from_secs(1),
            restart_delay_max: Duration::from_secs(30),
            max_restarts: 10,
            ready_after: Duration::from_secs(1),
            stop_signal: "term",
            stop_timeout: Duration::from_secs(10),
            required: false,
        }
    }
}

/// The `processes` section: every side process, in the order given (their start order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcessesConfig {
    pub processes: Vec<(String, ProcessSettings)>,
}

impl ProcessesConfig {
    pub fn get(&self, name: &str) -> Option<&ProcessSettings> {
        super::named(&self.processes, name)
    }

    fn get_mut(&mut self, name: &str) -> &mut ProcessSettings {
        super::named_mut(&mut self.processes, name)
    }

    /// Sets `full` = "processes.<rest>": `rest` is "<name>.<key>", "<name>.env.<VAR>", or
    /// "<name>" with an empty array. A refused value changes nothing.
    pub fn set_key(&mut self, full: &str, rest: &str, v: &Value) -> Result<(), ConfigError> {
        if rest.is_empty() {
            return match v {
                Value::List(l) if l.is_empty() => Ok(()),
                _ => Err(ConfigError::new(full, "expected an array of processes by name: ['queue' => ['command' => [...]]]")),
            };
        }
        let (name, key) = rest.split_once('.').unwrap_or((rest, ""));
        check_name(name).map_err(|reason| ConfigError::new(full, reason))?;
        let mut p = self.get(name).cloned().unwrap_or_default();
        match key {
            "" if matches!(v, Value::List(l) if l.is_empty()) => {}
            "" => return Err(ConfigError::new(full, "expected an array of the process's settings, or processes.<name>.<key>")),
            "command" => p.command = command(full, v)?,
            "env" => match v {
                Value::List(l) if l.is_empty() => p.env.clear(),
                _ => return Err(ConfigError::new(full, "expected a map of variables: ['APP_ENV' => 'prod']")),
            },
            _ if key.starts_with("env.") => {
                let var = &key[4..];
                if var.is_empty() || var.contains('=') || var.contains('\0') {
                    return Err(ConfigError::new(full, format!("\"{var}\" is not an environment variable name")));
                }
                let value = env_value(v).ok_or_else(|| ConfigError::new(full, format!("expected a string or a number, got {}", parse::describe(v))))?;
                p.env.retain(|(k, _)| k != var);
                p.env.push((var.to_string(), value));
            }
            _ => {
                let k = PROCESS_KEYS.iter().find(|k| k.name == key).ok_or_else(|| {
                    let known: Vec<&str> = PROCESS_KEYS.iter().map(|k| k.name).collect();
                    ConfigError::new(full, format!("unknown process option (known: {})", known.join(", ")))
                })?;
                k.apply(&mut p, v).map_err(|e| ConfigError::new(full, e.reason))?;
            }
        }
        *self.get_mut(name) = p;
        Ok(())
    }

    /// Settings that only make sense together: every process has a command, a
    /// shell line only with `shell = true`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (name, p) in &self.processes {
            let key = format!("processes.{name}.command");
            match &p.command {
                Command::Unset => return Err(ConfigError::new(key, "every process needs a command: a list like ['php', 'artisan', 'queue:work']")),
                Command::Line(_) if !p.shell => {
                    return Err(ConfigError::new(
                        key,
                        "a string is run by /bin/sh only with processes.<name>.shell = true; or give the command as a list (argv) like ['php', 'artisan', 'queue:work']",
                    ));
                }
                Command::Argv(_) if p.shell => {
                    return Err(ConfigError::new(key, "with shell = true give the command as one string (the shell line), not a list"));
                }
                _ => {}
            }
            if p.restart_delay_max < p.restart_delay {
                return Err(ConfigError::new(format!("processes.{name}.restart_delay_max"), "must not be less than restart_delay"));
            }
        }
        Ok(())
    }
}

/// `command`: a list of strings (argv), a JSON list in a string (for the
/// environment), or a plain string: a shell line (`validate` wants shell = true for it).
fn command(key: &str, v: &Value) -> Result<Command, ConfigError> {
    let argv = match v {
        Value::List(items) => items
            .iter()
            .map(|i| env_value(i).ok_or_else(|| ConfigError::new(key, format!("every argument must be a string, got {}", parse::describe(i)))))
            .collect::<Result<Vec<_>, _>>()?,
        Value::Str(_) => {
            let s = parse::string(key, v)?;
            if !s.starts_with('[') {
                return Ok(Command::Line(s));
            }
            serde_json::from_str::<Vec<String>>(&s).map_err(|e| ConfigError::new(key, format!("a command starting with '[' must be a JSON list of strings: {e}")))?
        }
        _ => return Err(ConfigError::new(key, format!("expected a list like ['php', 'worker.php'], got {}", parse::describe(v)))),
    };
    if argv.first().is_none_or(|a| a.is_empty()) {
        return Err(ConfigError::new(key, "the command needs a program: a list like ['php', 'worker.php']"));
    }
    Ok(Command::Argv(argv))
}

fn env_value(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(String::from_utf8_lossy(s).into_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(if *b { "1".into() } else { "".into() }),
        _ => None,
    }
}

/// A process name: 1 to 64 of a-z, 0-9, '_' and '-' (it is part of env names and log prefixes).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok { Ok(()) } else { Err(format!("process name \"{name}\" must be 1 to 64 of a-z, 0-9, '_' and '-'")) }
}

/// Whether option arrays may give `key` a list (`processes.<name>.command`).
pub fn takes_list(key: &str) -> bool {
    key.strip_prefix("processes.").and_then(|r| r.split_once('.')).is_some_and(|(_, k)| k == "command")
}

/// `FOLK_PROCESSES_<NAME>_<KEY>` -> `processes.<name>.<key>` (the longest key matching the end,
/// so names may hold '_').
pub fn env_key(var: &str) -> Option<String> {
    let rest = var.strip_prefix("FOLK_PROCESSES_")?;
    PROCESS_KEYS
        .iter()
        .filter(|k| k.name != "env")
        .filter_map(|k| {
            let name = rest.strip_suffix(&format!("_{}", k.name.to_ascii_uppercase()))?;
            (!name.is_empty()).then(|| (k.name.len(), format!("processes.{}.{}", name.to_ascii_lowercase(), k.name)))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, key)| key)
}

/// The stop signals `stop_signal` accepts.
pub const STOP_SIGNALS: &[&str] = &["term", "int", "quit", "hup", "usr1", "usr2", "kill"];

/// The keys of one process, each `processes.<name>.<key>`. `command` and `env`
/// are read by `set_key` itself (a list or a line; one variable per `env.<VAR>`);
/// their rows here are for the docs.
pub static PROCESS_KEYS: &[Key<ProcessSettings>] = &[
    Key {
        name: "command",
        default: "— (required)",
        rule: Rule::Strings { accepted: "argv strings (a string is a shell line: needs shell = true)", none_ok: false, set: |p, v| p.command = Command::Argv(v) },
        doc: "what runs, exec'd directly without a shell: ['php', 'artisan', 'queue:work']; from the environment a JSON list",
    },
    Key {
        name: "shell",
        default: "false",
        rule: Rule::Bool(|p, b| p.shell = b),
        doc: "true: command is one string run by /bin/sh -c (pipes, &&, $VARS); prefer exec in it so signals reach the program",
    },
    Key {
        name: "directory",
        default: "off (the server's)",
        rule: Rule::TextOrOff { accepted: "a directory", set: |p, s| p.directory = s },
        doc: "working directory of the process",
    },
    Key {
        name: "env",
        default: "none",
        rule: Rule::Text { accepted: "a map of NAME => value", set: |_, _| {} },
        doc: "variables added to the server's environment, with FOLK_PROCESS_NAME (name.N) and FOLK_PROCESS_INDEX (N)",
    },
    Key {
        name: "numprocs",
        default: "1",
        rule: Rule::Count { min: 1, max: 64, set: |p, n| p.numprocs = n as usize },
        doc: "instances started, name.0 to name.(numprocs-1)",
    },
    Key {
        name: "restart",
        default: "always",
        rule: Rule::Choice { options: &["always", "on_failure", "never"], set: |p, s| p.restart = Restart::parse(s) },
        doc: "when an instance that ended starts again: always, on_failure (exit code not 0, or killed by a signal) or never",
    },
    Key {
        name: "restart_delay",
        default: "1s",
        rule: Rule::Duration { zero: Zero::Refused, set: |p, d| p.restart_delay = d },
        doc: "wait before a restart; doubles after each run shorter than ready_after",
    },
    Key {
        name: "restart_delay_max",
        default: "30s",
        rule: Rule::Duration { zero: Zero::Refused, set: |p, d| p.restart_delay_max = d },
        doc: "the doubling restart delay stops growing here",
    },
    Key {
        name: "max_restarts",
        default: "10",
        rule: Rule::Count { min: 0, max: 1_000_000, set: |p, n| p.max_restarts = n as u32 },
        doc: "after this many restarts in a row of runs shorter than ready_after the instance is given up (logged as an error); 0: never give up",
    },
    Key {
        name: "ready_after",
        default: "1s",
        rule: Rule::Duration { zero: Zero::Off, set: |p, d| p.ready_after = d },
        doc: "an instance running this long is up: /readyz counts it, and the restart delay and count start over",
    },
    Key {
        name: "stop_signal",
        default: "term",
        rule: Rule::Choice { options: STOP_SIGNALS, set: |p, s| p.stop_signal = s },
        doc: "sent to the process group when the server stops",
    },
    Key {
        name: "stop_timeout",
        default: "10s",
        rule: Rule::Duration { zero: Zero::Off, set: |p, d| p.stop_timeout = d },
        doc: "a group still running this long after stop_signal gets SIGKILL",
    },
    Key {
        name: "required",
        default: "false",
        rule: Rule::Bool(|p, b| p.required = b),
        doc: "/readyz answers 503 while an instance is not up",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::Key as K;
    use crate::config::ServerConfig;

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::from(*s)).collect())
    }

    #[test]
    fn process_keys_make_processes_in_order_and_env_is_one_variable_per_key() {
        let mut c = ServerConfig::default();
        c.set("processes.vite.command", &list(&["npm", "run", "dev"])).unwrap();
        c.set("processes.queue.command", &"php artisan queue:work >> q.log".into()).unwrap();
        c.set("processes.queue.shell", &Value::Bool(true)).unwrap();
        c.set("processes.queue.numprocs", &Value::Int(3)).unwrap();
        c.set("processes.queue.env.APP_ENV", &"prod".into()).unwrap();
        c.set("processes.queue.env.N", &Value::Int(2)).unwrap();
        c.set("processes.queue.stop_signal", &"QUIT".into()).unwrap();
        c.set("processes.queue.restart", &"on_failure".into()).unwrap();
        c.set("processes.empty", &Value::List(vec![])).unwrap();
        let names: Vec<&str> = c.processes.processes.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["vite", "queue", "empty"]);
        let q = c.processes.get("queue").unwrap();
        assert_eq!(q.command, Command::Line("php artisan queue:work >> q.log".into()));
        assert_eq!((q.numprocs, q.stop_signal, q.restart), (3, "quit", Restart::OnFailure));
        assert_eq!(q.env, [("APP_ENV".to_string(), "prod".to_string()), ("N".into(), "2".into())]);
        assert_eq!(c.processes.get("vite").unwrap().command, Command::Argv(vec!["npm".into(), "run".into(), "dev".into()]));
    }

    #[test]
    fn refused_values_name_the_full_key_and_change_nothing() {
        let mut c = ServerConfig::default();
        c.set("processes.a.command", &list(&["true"])).unwrap();
        for (key, v, reason) in [
            ("processes.a.nope", Value::Int(1), "unknown process option (known: command, shell,"),
            ("processes.A.numprocs", Value::Int(1), "process name \"A\" must be"),
            ("processes.a.numprocs", Value::Int(0), "must be at least 1"),
            ("processes.a.stop_signal", "STOP".into(), "expected one of term, int, quit, hup, usr1, usr2, kill"),
            ("processes.a.restart", "sometimes".into(), "expected one of always, on_failure, never"),
            ("processes.a.restart_delay", Value::Int(0), "must be greater than 0"),
            ("processes.a.command", list(&[]), "the command needs a program"),
            ("processes.a.command", Value::Int(3), "expected a list like"),
            ("processes.a.command", "[\"php\", 1]".into(), "a command starting with '[' must be a JSON list of strings"),
            ("processes.a", Value::Int(1), "expected an array of the process's settings"),
        ] {
            let before = c.clone();
            let e = c.set(key, &v).unwrap_err();
            assert_eq!(e.key, key);
            assert!(e.reason.starts_with(reason), "{key}: {}", e.reason);
            assert_eq!(c, before, "{key}: a refused value changes nothing");
        }
    }

    #[test]
    fn a_string_command_needs_shell_and_every_process_needs_a_command() {
        let mut c = ProcessesConfig::default();
        c.set_key("processes.q.command", "q.command", &"php artisan queue:work".into()).unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e.key, "processes.q.command");
        assert!(e.reason.contains("shell = true"), "{}", e.reason);
        c.set_key("processes.q.shell", "q.shell", &Value::Bool(true)).unwrap();
        c.validate().unwrap();
        c.set_key("processes.r.numprocs", "r.numprocs", &Value::Int(2)).unwrap();
        assert!(c.validate().unwrap_err().reason.starts_with("every process needs a command"));
    }

    #[test]
    fn environment_variables_name_the_process_and_the_longest_matching_key() {
        assert_eq!(env_key("FOLK_PROCESSES_QUEUE_NUMPROCS").as_deref(), Some("processes.queue.numprocs"));
        assert_eq!(env_key("FOLK_PROCESSES_MY_QUEUE_RESTART_DELAY_MAX").as_deref(), Some("processes.my_queue.restart_delay_max"));
        assert_eq!(env_key("FOLK_PROCESSES_Q_RESTART").as_deref(), Some("processes.q.restart"));
        assert_eq!(env_key("FOLK_PROCESSES_Q_MAX_RESTARTS").as_deref(), Some("processes.q.max_restarts"));
        assert_eq!(env_key("FOLK_PROCESSES_NUMPROCS"), None);
        assert_eq!(env_key("FOLK_PROCESSES_Q_ENV"), None);
        let mut c = ProcessesConfig::default();
        c.set_key("x", "q.command", &"[\"php\", \"-r\", \"echo 1;\"]".into()).unwrap();
        assert_eq!(c.get("q").unwrap().command, Command::Argv(vec!["php".into(), "-r".into(), "echo 1;".into()]));
    }

    #[test]
    fn option_arrays_give_command_as_a_list_and_env_as_a_map() {
        let opts = Value::Map(vec![
            (K::str("worker"), "w.php".into()),
            (
                K::str("processes"),
                Value::Map(vec![(
                    K::str("q"),
                    Value::Map(vec![
                        (K::str("command"), list(&["php", "q.php"])),
                        (K::str("env"), Value::Map(vec![(K::str("A"), "1".into())])),
                    ]),
                )]),
            ),
        ]);
        let c = crate::config::server_config(&[], Some(&opts), &[]).unwrap();
        let q = c.processes.get("q").unwrap();
        assert_eq!((q.command.clone(), q.env.clone()), (Command::Argv(vec!["php".into(), "q.php".into()]), vec![("A".into(), "1".into())]));
    }

    #[test]
    fn readme_process_table_lists_exactly_the_process_keys() {
        let rows = crate::config::schema::readme_rows("process key");
        let keys = crate::config::schema::doc_rows(PROCESS_KEYS);
        assert_eq!(rows, keys, "README.md's process keys table must match PROCESS_KEYS");
    }
}
