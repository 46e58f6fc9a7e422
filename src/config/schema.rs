//! What a configuration key is: its name, default (as the docs show it), how
//! a value is read and bounded, where it goes, and one line of documentation.
//! The tables of keys live with what they configure (`pool_keys`,
//! `server_keys`, `http_keys`, `jobs`); `keys` puts them together.

use std::net::SocketAddr;
use std::time::Duration;

use super::parse::{self, MAX_DURATION, Zero};
use super::Cidr;
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
pub(super) fn limit(d: Duration) -> Option<Duration> {
    (!d.is_zero()).then_some(d)
}

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

/// README.md's table whose first column is headed `header`, row by row
/// (backticks dropped), for the tests that hold a key table and the README together.
#[cfg(test)]
pub(super) fn readme_rows(header: &str) -> Vec<Vec<String>> {
    let readme = include_str!("../../README.md");
    let table = readme.split(&format!("| {header} |")).nth(1).unwrap_or_else(|| panic!("README.md has the {header} table"));
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().replace('`', "")).collect())
        .collect()
}

/// The rows a key table gives the README: name, default, what it accepts, what it does.
#[cfg(test)]
pub(super) fn doc_rows<C>(keys: &[Key<C>]) -> Vec<Vec<String>> {
    keys.iter().map(|k| vec![k.name.into(), k.default.into(), k.accepted(), k.doc.into()]).collect()
}
