//! How a job is stored in a broker: one JSON object (the envelope) whose
//! `payload` is the PHP value as JSON, so that any language can push jobs.
//! PHP strings must be UTF-8 (binary data: base64 it); arrays with keys
//! 0..n become JSON arrays, other arrays JSON objects; a JSON object's numeric
//! keys come back as PHP int keys, as PHP itself would make them.

use serde_json::{Map, Number, Value as Json};

use crate::bridge::{Key, Value};

/// One job as a broker holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Unique per job; the idempotency key when the pusher gave one.
    pub id: String,
    pub name: String,
    pub payload: Value,
    /// 1 for the first run; each retry adds one.
    pub attempt: u32,
    /// Unix time in seconds (with fractions) of the first push.
    pub enqueued_at: f64,
    /// The error of the last failed attempt, if any.
    pub last_error: Option<String>,
}

/// A value that has no JSON form; `path` says where in the payload it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct EncodeError {
    pub path: String,
    pub reason: String,
}

pub fn to_json(v: &Value, path: &str) -> Result<Json, EncodeError> {
    let err = |reason: &str| EncodeError { path: path.to_string(), reason: reason.to_string() };
    Ok(match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => Json::Number(Number::from_f64(*f).ok_or_else(|| err("NAN and INF have no JSON form"))?),
        Value::Str(s) => Json::String(
            String::from_utf8(s.clone()).map_err(|_| err("the string is not UTF-8 (base64-encode binary data)"))?,
        ),
        Value::List(items) => {
            Json::Array(items.iter().enumerate().map(|(i, x)| to_json(x, &format!("{path}[{i}]"))).collect::<Result<_, _>>()?)
        }
        Value::Map(entries) => {
            let mut m = Map::with_capacity(entries.len());
            for (k, x) in entries {
                let name = match k {
                    Key::Int(i) => i.to_string(),
                    Key::Str(s) => String::from_utf8(s.clone()).map_err(|_| err("an array key is not UTF-8"))?,
                };
                let child = to_json(x, &format!("{path}[{k}]"))?;
                m.insert(name, child);
            }
            Json::Object(m)
        }
    })
}

/// A JSON object key as PHP would store it: a canonical decimal integer becomes an int key.
fn php_key(s: &str) -> Key {
    match s.parse::<i64>() {
        Ok(i) if i.to_string() == s => Key::Int(i),
        _ => Key::str(s),
    }
}

pub fn from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::str(s.as_bytes()),
        Json::Array(items) => Value::List(items.iter().map(from_json).collect()),
        Json::Object(m) => Value::Map(m.iter().map(|(k, v)| (php_key(k), from_json(v))).collect()),
    }
}

impl Envelope {
    /// The stored form: `{"id","name","payload","attempt","enqueued_at"[,"last_error"]}`.
    pub fn encode(&self) -> Result<String, EncodeError> {
        let mut m = Map::new();
        m.insert("id".into(), Json::String(self.id.clone()));
        m.insert("name".into(), Json::String(self.name.clone()));
        m.insert("payload".into(), to_json(&self.payload, "payload")?);
        m.insert("attempt".into(), Json::Number(self.attempt.into()));
        m.insert("enqueued_at".into(), Number::from_f64(self.enqueued_at).map_or(Json::Null, Json::Number));
        if let Some(e) = &self.last_error {
            m.insert("last_error".into(), Json::String(e.clone()));
        }
        Ok(Json::Object(m).to_string())
    }

    /// Reads a stored job; the error says what is wrong with it.
    pub fn decode(text: &[u8]) -> Result<Envelope, String> {
        // Straight into the fields (no map of the whole object); each field stays a JSON value,
        // so a field of the wrong type is read as missing, as a hand-pushed job may have it.
        #[derive(serde::Deserialize)]
        struct Stored {
            id: Option<Json>,
            name: Option<Json>,
            payload: Option<Json>,
            attempt: Option<Json>,
            enqueued_at: Option<Json>,
            last_error: Option<Json>,
        }
        let o: Stored = match serde_json::from_slice(text) {
            Ok(o) => o,
            Err(e) if e.is_data() => return Err("not a JSON object".into()),
            Err(e) => return Err(format!("not JSON: {e}")),
        };
        let s = |v: Option<Json>| match v {
            Some(Json::String(s)) => Some(s),
            _ => None,
        };
        Ok(Envelope {
            id: s(o.id).ok_or("no \"id\" string")?,
            name: s(o.name).ok_or("no \"name\" string")?,
            payload: o.payload.as_ref().map_or(Value::Null, from_json),
            attempt: o.attempt.as_ref().and_then(Json::as_u64).unwrap_or(1).clamp(1, u32::MAX as u64) as u32,
            enqueued_at: o.enqueued_at.as_ref().and_then(Json::as_f64).unwrap_or(0.0),
            last_error: s(o.last_error),
        })
    }

    /// What the handler gets as `$payload` with method "jobs.process".
    pub fn to_handler_payload(&self, queue: &str) -> Value {
        Value::Map(vec![
            (Key::str("queue"), Value::str(queue)),
            (Key::str("name"), Value::str(self.name.as_str())),
            (Key::str("payload"), self.payload.clone()),
            (Key::str("id"), Value::str(self.id.as_str())),
            (Key::str("attempt"), Value::Int(self.attempt as i64)),
            (Key::str("enqueued_at"), Value::Float(self.enqueued_at)),
            (Key::str("last_error"), self.last_error.as_deref().map_or(Value::Null, Value::str)),
        ])
    }
}

/// Seconds since the Unix epoch, with fractions.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// A fresh job id: 32 random hex digits.
pub fn new_id() -> String {
    format!("{:016x}{:016x}", super::backoff::random_u64(), super::backoff::random_u64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_round_trips_with_php_key_rules() {
        let payload = Value::Map(vec![
            (Key::str("user"), Value::Int(42)),
            (Key::Int(7), Value::List(vec![Value::Float(1.5), Value::Null, Value::Bool(true)])),
            (Key::str("name"), Value::str("Zoë")),
        ]);
        let e = Envelope { id: "a".into(), name: "welcome".into(), payload, attempt: 2, enqueued_at: 1.25, last_error: Some("x".into()) };
        let text = e.encode().unwrap();
        assert!(text.contains("\"7\":[1.5,null,true]"), "{text}");
        let back = Envelope::decode(text.as_bytes()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn values_without_a_json_form_are_refused_with_their_path() {
        let bad = Value::Map(vec![(Key::str("blob"), Value::List(vec![Value::Str(vec![0xff, 0xfe])]))]);
        let e = to_json(&bad, "payload").unwrap_err();
        assert_eq!(e.path, "payload['blob'][0]");
        assert!(e.reason.contains("not UTF-8"));
        assert!(to_json(&Value::Float(f64::NAN), "payload").is_err());
    }

    #[test]
    fn a_foreign_job_is_read_and_garbage_is_named() {
        let e = Envelope::decode(br#"{"id":"x","name":"n","payload":{"01":1,"2":2}}"#).unwrap();
        assert_eq!(e.attempt, 1);
        let odd = Envelope::decode(br#"{"id":"x","name":"n","attempt":"3","enqueued_at":"soon","last_error":7,"extra":[1]}"#).unwrap();
        assert_eq!((odd.attempt, odd.enqueued_at, odd.last_error), (1, 0.0, None), "fields of the wrong type read as missing");
        assert!(Envelope::decode(br#"{"id":1,"name":"n"}"#).unwrap_err().contains("\"id\""));
        assert_eq!(e.payload, Value::Map(vec![(Key::str("01"), Value::Int(1)), (Key::Int(2), Value::Int(2))]));
        assert!(Envelope::decode(b"[1]").unwrap_err().contains("not a JSON object"));
        assert!(Envelope::decode(b"{").unwrap_err().starts_with("not JSON"));
    }
}
