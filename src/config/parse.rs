//! Reading one option value: counts, sizes ("128M"), durations ("30s"),
//! booleans, addresses and strings, each checked against its accepted range.
//! Every refusal is a `ConfigError` naming the key; nothing here can panic.

use std::net::SocketAddr;
use std::time::Duration;

use crate::bridge::Value;
use crate::error::ConfigError;

/// The longest duration any option (or `Future::wait()`) accepts: one year.
/// Far beyond any sensible timeout, and far enough below what `Instant`
/// holds that no `Instant::now() + limit` can overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 86_400);

/// What 0 means for a duration option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zero {
    /// 0 turns the limit off (or, for a shutdown, does not wait).
    Off,
    /// 0 is refused: the option needs a positive duration.
    Refused,
}

const DURATION_SYNTAX: &str = "expected a duration like \"30s\", \"500ms\" or \"1h\"";
const SIZE_SYNTAX: &str = "expected a size like \"128M\", \"1G\" or bytes";
const ADDRESS_SYNTAX: &str = "expected an address like \"127.0.0.1:8080\"";

/// A string option, trimmed; None for any other PHP type.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(String::from_utf8_lossy(s).trim().to_string()),
        _ => None,
    }
}

/// How a refused value is shown in an error message.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Int(i) => format!("{i}"),
        Value::Float(f) if f.is_nan() => "NAN".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "INF".into() } else { "-INF".into() },
        Value::Float(f) => format!("{f:?}"),
        Value::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
        Value::List(_) | Value::Map(_) => "an array".into(),
    }
}

pub fn string(key: &str, v: &Value) -> Result<String, ConfigError> {
    text(v).filter(|s| !s.is_empty()).ok_or_else(|| ConfigError::new(key, "expected a non-empty string"))
}

pub fn boolean(key: &str, v: &Value) -> Result<bool, ConfigError> {
    let refused = || ConfigError::new(key, format!("expected true or false, got {}", describe(v)));
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Int(0) => Ok(false),
        Value::Int(1) => Ok(true),
        Value::Str(_) => match text(v).unwrap_or_default().to_ascii_lowercase().as_str() {
            "1" | "true" | "on" | "yes" => Ok(true),
            "0" | "false" | "off" | "no" | "" => Ok(false),
            _ => Err(refused()),
        },
        _ => Err(refused()),
    }
}

/// "127.0.0.1:8080", "[::1]:8080", or ":8080" for every IPv4 interface.
pub fn address(key: &str, v: &Value) -> Result<SocketAddr, ConfigError> {
    let s = text(v).ok_or_else(|| ConfigError::new(key, format!("{ADDRESS_SYNTAX}, got {}", describe(v))))?;
    let s = if s.starts_with(':') { format!("0.0.0.0{s}") } else { s };
    s.parse().map_err(|_| ConfigError::new(key, format!("{ADDRESS_SYNTAX}, got \"{s}\"")))
}

/// An address, or null, false, "" or "off" for none.
pub fn address_or_off(key: &str, v: &Value) -> Result<Option<SocketAddr>, ConfigError> {
    match v {
        Value::Null | Value::Bool(false) => Ok(None),
        _ if matches!(text(v).as_deref(), Some("" | "off")) => Ok(None),
        _ => address(key, v).map(Some),
    }
}

/// A listening address or a unix socket path (`unix:/run/folk.sock`, or any
/// value starting with `/`); "" or "off" is none.
pub fn listen_or_off(key: &str, v: &Value) -> Result<Option<super::Listen>, ConfigError> {
    match v {
        Value::Null | Value::Bool(false) => return Ok(None),
        _ if matches!(text(v).as_deref(), Some("" | "off")) => return Ok(None),
        _ => {}
    }
    let t = text(v).unwrap_or_default();
    let path = t.strip_prefix("unix:").or(t.starts_with('/').then_some(t.as_str()));
    match path {
        Some(p) if p.starts_with('/') && p.len() < 108 => Ok(Some(super::Listen::Unix(p.into()))),
        Some(p) => Err(ConfigError::new(key, format!("a unix socket path must be absolute and under 108 bytes, got \"{p}\""))),
        None => address(key, v).map(|a| Some(super::Listen::Tcp(a))),
    }
}

/// File permissions in octal, as chmod takes them ("0660", "660", "0o660").
pub fn mode(key: &str, v: &Value) -> Result<u32, ConfigError> {
    let t = text(v).unwrap_or_default();
    let digits = t.trim_start_matches("0o");
    match u32::from_str_radix(digits, 8) {
        Ok(m) if !digits.is_empty() && m <= 0o777 => Ok(m),
        _ => Err(ConfigError::new(key, format!("expected permissions in octal like \"0660\", got {}", describe(v)))),
    }
}

/// File extensions with their dot: a list of strings (`[".php", ".phtml"]`) or one string
/// separated by commas (`".php,.phtml"`, for INI and environment). At least one.
pub fn extensions(key: &str, v: &Value) -> Result<Vec<String>, ConfigError> {
    let refused = || ConfigError::new(key, format!("expected extensions like [\".php\"] or \".php,.phtml\", got {}", describe(v)));
    let items: Vec<String> = match v {
        Value::Str(_) => text(v).unwrap_or_default().split(',').map(|e| e.trim().to_string()).collect(),
        Value::List(items) => items.iter().map(|i| text(i).ok_or_else(refused)).collect::<Result<_, _>>()?,
        _ => return Err(refused()),
    };
    let valid = |e: &String| e.len() > 1 && e.starts_with('.') && e[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if items.is_empty() || !items.iter().all(valid) {
        return Err(refused());
    }
    Ok(items.into_iter().map(|e| e.to_ascii_lowercase()).collect())
}

/// Items of a list (`["a", "b"]`) or of one string separated by commas (for INI and
/// environment); "" or "off" is none. Each item is trimmed and must pass `item`.
pub fn list<T>(key: &str, v: &Value, item: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, ConfigError> {
    let refused = || ConfigError::new(key, format!("expected a list or a comma-separated string, got {}", describe(v)));
    let items: Vec<String> = match v {
        Value::Null | Value::Bool(false) => return Ok(Vec::new()),
        Value::Str(_) if matches!(text(v).as_deref(), Some("" | "off")) => return Ok(Vec::new()),
        Value::Str(_) => text(v).unwrap_or_default().split(',').map(|e| e.trim().to_string()).collect(),
        Value::List(items) => items.iter().map(|i| text(i).ok_or_else(refused)).collect::<Result<_, _>>()?,
        _ => return Err(refused()),
    };
    items.iter().map(|i| item(i).map_err(|why| ConfigError::new(key, why))).collect()
}

/// A string, or null, false, "" or "off" for none.
pub fn text_or_off(key: &str, v: &Value) -> Result<Option<String>, ConfigError> {
    match v {
        Value::Null | Value::Bool(false) => Ok(None),
        _ if matches!(text(v).as_deref(), Some("" | "off")) => Ok(None),
        _ => string(key, v).map(Some),
    }
}

/// One of `options`, case-insensitive; the error lists them.
pub fn choice(key: &str, v: &Value, options: &'static [&'static str]) -> Result<&'static str, ConfigError> {
    let given = text(v).unwrap_or_default().to_ascii_lowercase();
    options
        .iter()
        .find(|o| **o == given)
        .copied()
        .ok_or_else(|| ConfigError::new(key, format!("expected one of {}, got {}", options.join(", "), describe(v))))
}

/// A `tracing` filter such as "info" or "folk=debug".
pub fn log_filter(key: &str, v: &Value) -> Result<String, ConfigError> {
    let s = string(key, v)?;
    tracing_subscriber::EnvFilter::try_new(&s).map_err(|e| ConfigError::new(key, format!("not a log level/filter: {e}")))?;
    Ok(s)
}

/// A whole number from `min` to `max`: an integer or a string of digits.
pub fn count(key: &str, v: &Value, min: u64, max: u64) -> Result<u64, ConfigError> {
    let n = match v {
        Value::Int(i) => *i,
        Value::Str(_) => text(v)
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| ConfigError::new(key, format!("expected an integer, got {}", describe(v))))?,
        _ => return Err(ConfigError::new(key, format!("expected an integer, got {}", describe(v)))),
    };
    let n = u64::try_from(n).map_err(|_| ConfigError::new(key, format!("must not be negative, got {n}")))?;
    within(key, n, min, max, |n| n.to_string())
}

/// A number of bytes from `min` to `max`: an integer or "512K", "128M", "1G".
pub fn size(key: &str, v: &Value, min: u64, max: u64) -> Result<u64, ConfigError> {
    let n = match v {
        Value::Int(i) => u64::try_from(*i).map_err(|_| ConfigError::new(key, format!("must not be negative, got {i}")))?,
        Value::Str(_) => text(v)
            .as_deref()
            .and_then(parse_bytes)
            .ok_or_else(|| ConfigError::new(key, format!("{SIZE_SYNTAX}, got {}", describe(v))))?,
        _ => return Err(ConfigError::new(key, format!("{SIZE_SYNTAX}, got {}", describe(v)))),
    };
    within(key, n, min, max, show_size)
}

/// A duration up to `MAX_DURATION`: seconds as an integer or a float, or a
/// string with a unit. 0 is returned as `Duration::ZERO` unless refused.
pub fn duration(key: &str, v: &Value, zero: Zero) -> Result<Duration, ConfigError> {
    let d = match v {
        Value::Int(i) => {
            let secs = u64::try_from(*i).map_err(|_| ConfigError::new(key, format!("must not be negative, got {i}")))?;
            Duration::from_secs(secs.min(MAX_DURATION.as_secs() + 1))
        }
        Value::Float(f) if f.is_finite() && *f < 0.0 => {
            return Err(ConfigError::new(key, format!("must not be negative, got {}", describe(v))));
        }
        Value::Float(f) if f.is_finite() => saturating_secs(*f),
        Value::Str(_) => text(v)
            .as_deref()
            .and_then(parse_duration)
            .ok_or_else(|| ConfigError::new(key, format!("{DURATION_SYNTAX}, got {}", describe(v))))?,
        _ => return Err(ConfigError::new(key, format!("{DURATION_SYNTAX}, got {}", describe(v)))),
    };
    if d > MAX_DURATION {
        return Err(ConfigError::new(key, format!("must be at most {}", show_duration(MAX_DURATION))));
    }
    if d.is_zero() && zero == Zero::Refused {
        return Err(ConfigError::new(key, "must be greater than 0"));
    }
    Ok(d)
}

fn within(key: &str, n: u64, min: u64, max: u64, show: fn(u64) -> String) -> Result<u64, ConfigError> {
    if n < min {
        return Err(ConfigError::new(key, format!("must be at least {}", show(min))));
    }
    if n > max {
        return Err(ConfigError::new(key, format!("must be at most {}", show(max))));
    }
    Ok(n)
}

/// Seconds (finite, not negative) as a Duration; beyond what a Duration holds
/// becomes `Duration::MAX`, which every bound then refuses.
fn saturating_secs(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
}

/// "30s", "500ms", "2m", "1h", "1d", a bare number of seconds; 0 means off.
/// A value too large for a Duration comes back as `Duration::MAX`.
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
    (secs.is_finite() && secs >= 0.0).then(|| saturating_secs(secs))
}

/// "128M", "1G", "512K", or a number of bytes; 0 means off. A value too large
/// for a u64 comes back as `u64::MAX`, which every bound then refuses.
pub fn parse_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    if num.is_empty() {
        return None;
    }
    let n: u64 = num.parse().unwrap_or(u64::MAX);
    let factor: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return None,
    };
    Some(n.saturating_mul(factor))
}

/// A size as written in the docs: "64K", "8M", "4G", or bytes.
pub fn show_size(n: u64) -> String {
    match n {
        0 => "0".into(),
        n if n % (1 << 30) == 0 => format!("{}G", n >> 30),
        n if n % (1 << 20) == 0 => format!("{}M", n >> 20),
        n if n % (1 << 10) == 0 => format!("{}K", n >> 10),
        n => n.to_string(),
    }
}

/// A duration as written in the docs, in its largest whole unit: "365d", "30s", "250ms".
pub fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    let units: [(u128, &str); 4] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s")];
    if ms == 0 {
        return "0".into();
    }
    units
        .iter()
        .find(|(per, _)| ms % per == 0)
        .map(|(per, unit)| format!("{}{unit}", ms / per))
        .unwrap_or_else(|| format!("{ms}ms"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(parse_duration(&"9".repeat(400)), None, "beyond f64: not a number");
        assert_eq!(parse_duration(&format!("{}d", "9".repeat(30))), Some(Duration::MAX));
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_bytes("128M"), Some(128 << 20));
        assert_eq!(parse_bytes("1G"), Some(1 << 30));
        assert_eq!(parse_bytes("512k"), Some(512 << 10));
        assert_eq!(parse_bytes("100"), Some(100));
        assert_eq!(parse_bytes("12X"), None);
        assert_eq!(parse_bytes("M"), None);
        assert_eq!(parse_bytes("99999999999999999999999G"), Some(u64::MAX));
    }

    #[test]
    fn durations_beyond_a_year_are_refused_in_every_form() {
        let year = Value::Int(MAX_DURATION.as_secs() as i64);
        assert_eq!(duration("k", &year, Zero::Off), Ok(MAX_DURATION));
        for v in [
            Value::Int(MAX_DURATION.as_secs() as i64 + 1),
            Value::Int(i64::MAX),
            Value::Float(1e20),
            Value::Float(f64::MAX),
            "366d".into(),
            "99999999999999999999999999h".into(),
        ] {
            let e = duration("workers.ttl", &v, Zero::Off).unwrap_err();
            assert_eq!(e.to_string(), "invalid option 'workers.ttl': must be at most 365d", "{v:?}");
        }
    }

    #[test]
    fn non_finite_and_negative_durations_are_refused() {
        for (v, reason) in [
            (Value::Float(f64::NAN), "expected a duration like \"30s\", \"500ms\" or \"1h\", got NAN"),
            (Value::Float(f64::INFINITY), "expected a duration like \"30s\", \"500ms\" or \"1h\", got INF"),
            (Value::Float(f64::NEG_INFINITY), "expected a duration like \"30s\", \"500ms\" or \"1h\", got -INF"),
            (Value::Float(-1.5), "must not be negative, got -1.5"),
            (Value::Int(i64::MIN), "must not be negative, got -9223372036854775808"),
            (Value::Null, "expected a duration like \"30s\", \"500ms\" or \"1h\", got null"),
        ] {
            assert_eq!(duration("k", &v, Zero::Off).unwrap_err().reason, reason);
        }
        assert_eq!(duration("k", &Value::Float(-0.0), Zero::Off), Ok(Duration::ZERO));
        assert_eq!(duration("k", &Value::Int(0), Zero::Refused).unwrap_err().reason, "must be greater than 0");
    }

    #[test]
    fn counts_and_sizes_outside_their_range_are_refused() {
        assert_eq!(count("k", &Value::Int(0), 1, 8).unwrap_err().reason, "must be at least 1");
        assert_eq!(count("k", &Value::Int(9), 1, 8).unwrap_err().reason, "must be at most 8");
        assert_eq!(count("k", &Value::Int(i64::MAX), 1, 8).unwrap_err().reason, "must be at most 8");
        assert_eq!(count("k", &Value::Int(-1), 1, 8).unwrap_err().reason, "must not be negative, got -1");
        assert_eq!(count("k", &Value::Float(2.0), 1, 8).unwrap_err().reason, "expected an integer, got 2.0");
        assert_eq!(count("k", &"8".into(), 1, 8), Ok(8));
        assert_eq!(size("k", &"512".into(), 1024, 16 << 20).unwrap_err().reason, "must be at least 1K");
        assert_eq!(size("k", &"17M".into(), 1024, 16 << 20).unwrap_err().reason, "must be at most 16M");
        assert_eq!(size("k", &Value::Int(i64::MIN), 0, 8).unwrap_err().reason, "must not be negative, got -9223372036854775808");
        assert_eq!(size("k", &"16M".into(), 1024, 16 << 20), Ok(16 << 20));
    }

    #[test]
    fn bounds_are_shown_as_they_are_written() {
        assert_eq!(show_duration(MAX_DURATION), "365d");
        assert_eq!(show_duration(Duration::from_secs(90)), "90s");
        assert_eq!(show_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(show_size(64 << 10), "64K");
        assert_eq!(show_size(4 << 30), "4G");
        assert_eq!(show_size(1000), "1000");
        for d in ["365d", "90s", "250ms"] {
            assert_eq!(show_duration(parse_duration(d).unwrap()), d);
        }
    }
}
