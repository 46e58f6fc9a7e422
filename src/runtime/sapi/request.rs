//! `WebRequest`: one HTTP request as classic mode runs it, read from the job
//! the HTTP plugin sends (method "http"; the payload's keys are documented on
//! `from_payload`). Owned and `Send`: built from the payload on the PHP thread.

use std::time::Duration;

use crate::bridge::{Key, Value};
use crate::error::BridgeError;
use crate::pool::spool::{self, SPOOL_KEY, Spooled};

/// The job method of a classic-mode request.
pub const HTTP_JOB: &str = "http";

/// The script the HTTP side resolved for this request (nginx's
/// `fastcgi_split_path_info` result, under the real document root).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script {
    /// SCRIPT_FILENAME: the real path of the `.php` file to run.
    pub filename: Vec<u8>,
    /// SCRIPT_NAME: the script's URL path, e.g. "/index.php".
    pub name: Vec<u8>,
    /// PATH_INFO: what follows the script in the URL path ("" if nothing).
    pub path_info: Vec<u8>,
    /// DOCUMENT_ROOT: the real path of `http.root`.
    pub root: Vec<u8>,
}

/// A request body: in memory, or the temporary file the HTTP side wrote a
/// body over `http.body_buffer` to (claimed from `spool`; closed when the
/// request that owns it is dropped).
#[derive(Debug)]
pub enum Body {
    Memory(Vec<u8>),
    Spooled(Spooled),
}

impl Default for Body {
    fn default() -> Self {
        Body::Memory(Vec::new())
    }
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Memory(b) => b.len() as u64,
            Body::Spooled(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Default)]
pub struct WebRequest {
    pub method: String,
    /// The request target as sent (origin or absolute form).
    pub target: String,
    /// The URL path, still percent-encoded.
    pub path: String,
    /// The query string without '?', "" if none.
    pub query: String,
    /// "HTTP/1.0", "HTTP/1.1" or "HTTP/2.0".
    pub protocol: String,
    /// Lower-case names in arrival order, each with all its values.
    pub headers: Vec<(String, Vec<Vec<u8>>)>,
    pub body: Body,
    /// Client and server socket addresses, "ip:port" ("[v6]:port").
    pub remote: String,
    pub local: String,
    /// Whether the request came over TLS (or a trusted proxy says the client used https).
    pub https: bool,
    /// The host and port the client asked for, when a trusted proxy named them.
    pub server_name: Option<String>,
    pub server_port: Option<u16>,
    pub script: Script,
    /// The response may stream (the HTTP side takes it from the job's reply);
    /// a send waits this long at most for a slow client (`http.send_timeout`).
    pub stream: Option<Duration>,
    /// The CGI variables exactly as a web server sent them over FastCGI (after
    /// php-fpm's PATH_INFO fixing), in their order: `$_SERVER` and getenv()
    /// take these instead of the ones folk derives from the HTTP request.
    pub cgi: Option<Vec<(String, Vec<u8>)>>,
    /// PHP_SELF of a FastCGI request, as php-fpm makes it.
    pub php_self: Vec<u8>,
    /// A FastCGI request php-fpm would not run: 404 ("File not found.", no
    /// such script) or 403 ("Access denied.", not a PHP extension).
    pub unrunnable: Option<u16>,
    /// `PHP_VALUE` and `PHP_ADMIN_VALUE` as a web server sent them over
    /// FastCGI: INI lines applied to this request only.
    pub ini: Vec<IniLines>,
}

/// INI lines from `PHP_VALUE` (`admin` false) or `PHP_ADMIN_VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct IniLines {
    pub admin: bool,
    pub lines: Vec<u8>,
}

impl WebRequest {
    /// Reads the payload of an "http" job: a map with `method`, `target`,
    /// `path`, `query`, `protocol`, `headers` (lower-case name => list of
    /// values), `body` (or `body_spool`, the id of a spooled body, claimed
    /// here), `remote`, `local`, `https` (bool), optionally
    /// `server_name` and `server_port` (from a trusted proxy), `script` (a map
    /// with `filename`, `name`, `path_info`, `root`) and optionally `stream`
    /// (an int: the response may stream, a send waiting at most this many
    /// milliseconds). Unknown keys are ignored.
    pub fn from_payload(payload: Value) -> Result<Self, BridgeError> {
        let r = Self::parse(payload)?;
        if r.script.filename.is_empty() && r.unrunnable.is_none() {
            return Err(missing("payload.script.filename"));
        }
        Ok(r)
    }

    /// The same for worker mode, where the HTTP side names a script only
    /// under `http.root`: without one, `fallback` (the worker script) is it.
    pub fn from_worker_payload(payload: Value, fallback: &Script) -> Result<Self, BridgeError> {
        let mut r = Self::parse(payload)?;
        if r.script.filename.is_empty() {
            r.script = fallback.clone();
        }
        Ok(r)
    }

    fn parse(payload: Value) -> Result<Self, BridgeError> {
        let Value::Map(entries) = payload else {
            return Err(wrong("payload", "an array", &payload));
        };
        let mut r = WebRequest::default();
        for (key, value) in entries {
            let Key::Str(key) = key else { continue };
            match key.as_slice() {
                b"method" => r.method = text("payload.method", value)?,
                b"target" => r.target = text("payload.target", value)?,
                b"path" => r.path = text("payload.path", value)?,
                b"query" => r.query = text("payload.query", value)?,
                b"protocol" => r.protocol = text("payload.protocol", value)?,
                b"remote" => r.remote = text("payload.remote", value)?,
                b"local" => r.local = text("payload.local", value)?,
                b"body" => {
                    let bytes = bytes("payload.body", value)?;
                    // `body` is empty beside `body_spool`, whichever comes first.
                    if !matches!(r.body, Body::Spooled(_)) {
                        r.body = Body::Memory(bytes);
                    }
                }
                k if k == SPOOL_KEY.as_bytes() => {
                    r.body = match value {
                        // Withdrawn: the client left while the job was being taken; nothing reads the answer.
                        Value::Int(id) => u64::try_from(id).ok().and_then(spool::claim).map_or_else(Body::default, Body::Spooled),
                        other => return Err(wrong("payload.body_spool", "an int", &other)),
                    }
                }
                b"headers" => r.headers = headers(value)?,
                b"server_name" => r.server_name = Some(text("payload.server_name", value)?),
                b"server_port" => {
                    r.server_port = match value {
                        Value::Int(p) => u16::try_from(p).ok(),
                        other => return Err(wrong("payload.server_port", "an int", &other)),
                    }
                }
                b"https" => {
                    r.https = match value {
                        Value::Bool(b) => b,
                        other => return Err(wrong("payload.https", "a bool", &other)),
                    }
                }
                b"script" => {
                    r.script = script(value)?;
                }
                b"cgi" => r.cgi = Some(cgi(value)?),
                b"php_self" => r.php_self = bytes("payload.php_self", value)?,
                b"unrunnable" => {
                    r.unrunnable = match value {
                        Value::Int(status) => u16::try_from(status).ok(),
                        other => return Err(wrong("payload.unrunnable", "an int", &other)),
                    }
                }
                b"php_value" | b"php_admin_value" => {
                    let admin = key.as_slice() == b"php_admin_value";
                    r.ini.push(IniLines { admin, lines: bytes("payload.php_value", value)? });
                }
                b"stream" => {
                    r.stream = match value {
                        Value::Int(ms) => u64::try_from(ms).ok().map(Duration::from_millis),
                        other => return Err(wrong("payload.stream", "an int", &other)),
                    }
                }
                _ => {}
            }
        }
        if r.method.is_empty() {
            return Err(missing("payload.method"));
        }
        Ok(r)
    }

    /// All values of one header (`name` in lower case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&[Vec<u8>]> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }
}

fn script(value: Value) -> Result<Script, BridgeError> {
    let Value::Map(entries) = value else {
        return Err(wrong("payload.script", "an array", &value));
    };
    let mut s = Script::default();
    for (key, value) in entries {
        let Key::Str(key) = key else { continue };
        match key.as_slice() {
            b"filename" => s.filename = bytes("payload.script.filename", value)?,
            b"name" => s.name = bytes("payload.script.name", value)?,
            b"path_info" => s.path_info = bytes("payload.script.path_info", value)?,
            b"root" => s.root = bytes("payload.script.root", value)?,
            _ => {}
        }
    }
    Ok(s)
}

/// The CGI variables of a FastCGI request: name => value, in order.
fn cgi(value: Value) -> Result<Vec<(String, Vec<u8>)>, BridgeError> {
    let entries = match value {
        Value::Map(entries) => entries,
        Value::List(l) if l.is_empty() => return Ok(Vec::new()),
        other => return Err(wrong("payload.cgi", "an array of name => value", &other)),
    };
    let mut out = Vec::with_capacity(entries.len());
    for (key, v) in entries {
        let Key::Str(name) = key else {
            return Err(BridgeError { path: "payload.cgi".into(), reason: format!("variable name {key} is not a string") });
        };
        let name = String::from_utf8(name).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        out.push((name, bytes("payload.cgi", v)?));
    }
    Ok(out)
}

fn headers(value: Value) -> Result<Vec<(String, Vec<Vec<u8>>)>, BridgeError> {
    let entries = match value {
        Value::Map(entries) => entries,
        Value::List(l) if l.is_empty() => return Ok(Vec::new()),
        other => return Err(wrong("payload.headers", "an array of name => values", &other)),
    };
    let mut out = Vec::with_capacity(entries.len());
    for (key, values) in entries {
        let Key::Str(name) = key else {
            return Err(BridgeError { path: "payload.headers".into(), reason: format!("header name {key} is not a string") });
        };
        // Names come lowercase from the HTTP side: no copy unless they are not UTF-8.
        let mut name = String::from_utf8(name).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        name.make_ascii_lowercase();
        // The error's path is only made for an error: this runs for every header of every request.
        let one = |v: Value| bytes("", v).map_err(|e| BridgeError { path: format!("payload.headers.{name}"), ..e });
        let values = match values {
            Value::List(items) => items.into_iter().map(one).collect::<Result<Vec<_>, _>>()?,
            v => vec![one(v)?],
        };
        out.push((name, values));
    }
    Ok(out)
}

fn bytes(path: &str, value: Value) -> Result<Vec<u8>, BridgeError> {
    match value {
        Value::Str(s) => Ok(s),
        Value::Null => Ok(Vec::new()),
        other => Err(wrong(path, "a string", &other)),
    }
}

fn text(path: &str, value: Value) -> Result<String, BridgeError> {
    Ok(String::from_utf8_lossy(&bytes(path, value)?).into_owned())
}

fn wrong(path: &str, expected: &str, got: &Value) -> BridgeError {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Int(_) => "an int",
        Value::Float(_) => "a float",
        Value::Str(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "an array",
    };
    BridgeError { path: path.into(), reason: format!("expected {expected}, got {got} (the HTTP plugin builds this payload)") }
}

fn missing(path: &str) -> BridgeError {
    BridgeError { path: path.into(), reason: "missing (the HTTP plugin builds this payload)".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn field(k: &str, v: Value) -> (Key, Value) {
        (Key::str(k), v)
    }

    fn payload() -> Value {
        Value::Map(vec![
            field("method", s("POST")),
            field("target", s("/index.php/extra?a=1")),
            field("path", s("/index.php/extra")),
            field("query", s("a=1")),
            field("protocol", s("HTTP/1.1")),
            field(
                "headers",
                Value::Map(vec![
                    field("host", Value::List(vec![s("example.com:8080")])),
                    field("x-multi", Value::List(vec![s("a"), s("b")])),
                ]),
            ),
            field("body", s("x=1")),
            field("remote", s("127.0.0.1:50000")),
            field("local", s("127.0.0.1:8080")),
            field("https", Value::Bool(false)),
            field(
                "script",
                Value::Map(vec![
                    field("filename", s("/srv/app/index.php")),
                    field("name", s("/index.php")),
                    field("path_info", s("/extra")),
                    field("root", s("/srv/app")),
                ]),
            ),
        ])
    }

    #[test]
    fn reads_every_key_of_the_http_payload() {
        let r = WebRequest::from_payload(payload()).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/index.php/extra?a=1");
        assert_eq!(r.query, "a=1");
        assert_eq!(r.header("x-multi").unwrap(), &[b"a".to_vec(), b"b".to_vec()]);
        assert!(matches!(&r.body, Body::Memory(b) if b == b"x=1"), "{:?}", r.body);
        assert_eq!(r.script.filename, b"/srv/app/index.php");
        assert_eq!(r.script.path_info, b"/extra");
        assert!(!r.https);
        assert_eq!(r.stream, None);
    }

    #[test]
    fn a_spooled_body_is_claimed_by_id_and_a_withdrawn_one_is_empty() {
        use std::io::Write;
        let path = std::env::temp_dir().join(format!("folk-request-test-{}", std::process::id()));
        let mut f = std::fs::File::options().read(true).write(true).create(true).truncate(true).open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        f.write_all(b"a=1&b=2").unwrap();
        let ticket = spool::offer(Spooled::new(f, 7));
        let with_spool = |id: i64| {
            let Value::Map(mut entries) = payload() else { unreachable!() };
            entries.push(field(SPOOL_KEY, Value::Int(id)));
            WebRequest::from_payload(Value::Map(entries)).unwrap()
        };
        let r = with_spool(ticket.id() as i64);
        let Body::Spooled(body) = &r.body else { panic!("not spooled: {:?}", r.body) };
        assert_eq!((r.body.len(), body.read_all().unwrap()), (7, b"a=1&b=2".to_vec()));
        // Claimed once: a second job naming it (never made) gets no body.
        assert!(with_spool(ticket.id() as i64).body.is_empty());
    }

    #[test]
    fn a_stream_offer_carries_how_long_a_send_may_wait() {
        let Value::Map(mut entries) = payload() else { unreachable!() };
        entries.push(field("stream", Value::Int(60_000)));
        assert_eq!(WebRequest::from_payload(Value::Map(entries)).unwrap().stream, Some(Duration::from_secs(60)));
    }

    #[test]
    fn a_payload_without_a_script_names_the_missing_key() {
        let Value::Map(mut entries) = payload() else { unreachable!() };
        entries.retain(|(k, _)| *k != Key::Str(b"script".to_vec()));
        let e = WebRequest::from_payload(Value::Map(entries)).unwrap_err();
        assert_eq!(e.path, "payload.script.filename");
    }

    #[test]
    fn a_wrongly_typed_field_names_its_path() {
        let Value::Map(mut entries) = payload() else { unreachable!() };
        entries.push(field("https", s("yes")));
        let e = WebRequest::from_payload(Value::Map(entries)).unwrap_err();
        assert_eq!(e.path, "payload.https");
        assert!(e.reason.contains("expected a bool"), "{}", e.reason);
        assert!(WebRequest::from_payload(s("GET")).is_err());
    }
}
