//! A call's metadata as the handler gets it, and the headers it answers
//! with: lowercase name => list of values, `-bin` values as raw bytes
//! (base64 on the wire), the transport's own headers (pseudo headers,
//! `grpc-*`, `te`, `content-type`) left out.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use http::HeaderMap;
use tonic::metadata::{AsciiMetadataValue, BinaryMetadataValue, MetadataKey, MetadataMap};

use crate::bridge::{Key, Value};

/// Headers the handler does not see: the transport's.
fn reserved(name: &str) -> bool {
    name.starts_with("grpc-") || name.starts_with(':') || matches!(name, "te" | "content-type")
}

/// The request's metadata as a PHP array: name => list of values.
pub(super) fn to_value(headers: &HeaderMap) -> Value {
    let mut out: Vec<(Key, Value)> = Vec::new();
    for (name, value) in headers {
        let name = name.as_str();
        if reserved(name) {
            continue;
        }
        let bytes = if name.ends_with("-bin") { decode_bin(value.as_bytes()) } else { value.as_bytes().to_vec() };
        let key = Key::str(name);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, Value::List(values))) => values.push(Value::Str(bytes)),
            _ => out.push((key, Value::List(vec![Value::Str(bytes)]))),
        }
    }
    Value::Map(out)
}

/// A `-bin` value: base64, padded or not; what does not decode is passed as sent.
fn decode_bin(v: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = v.iter().copied().filter(|b| *b != b'=').collect();
    STANDARD_NO_PAD.decode(&trimmed).unwrap_or_else(|_| v.to_vec())
}

/// The handler's headers (`Folk\Grpc\Reply`'s) as response metadata; a
/// name or value that cannot be a header is skipped with a warning.
pub(super) fn from_value(headers: &Value) -> MetadataMap {
    let mut map = MetadataMap::new();
    let Value::Map(entries) = headers else { return map };
    for (name, values) in entries {
        let name = match name {
            Key::Str(s) => String::from_utf8_lossy(s).to_ascii_lowercase(),
            Key::Int(i) => i.to_string(),
        };
        if reserved(&name) {
            tracing::warn!(header = %name, "a gRPC handler's reply header is reserved by the transport; not sent");
            continue;
        }
        let values: Vec<&Value> = match values {
            Value::List(vs) => vs.iter().collect(),
            v => vec![v],
        };
        for v in values {
            let bytes = match v {
                Value::Str(b) => b.clone(),
                Value::Int(n) => n.to_string().into_bytes(),
                _ => continue,
            };
            if !append(&mut map, &name, &bytes) {
                tracing::warn!(header = %name, "a gRPC handler's reply header is not a valid header; not sent");
            }
        }
    }
    map
}

fn append(map: &mut MetadataMap, name: &str, bytes: &[u8]) -> bool {
    if name.ends_with("-bin") {
        let Ok(key) = MetadataKey::from_bytes(name.as_bytes()) else { return false };
        map.append_bin(key, BinaryMetadataValue::from_bytes(bytes));
        return true;
    }
    let Ok(key) = MetadataKey::from_bytes(name.as_bytes()) else { return false };
    let Ok(value) = AsciiMetadataValue::try_from(bytes) else { return false };
    map.append(key, value);
    true
}

/// Raw bytes as a `-bin` header value (for tests and the docs' examples).
#[cfg(test)]
fn encode_bin(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn request_metadata_drops_the_transport_headers_and_decodes_bin_values() {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("application/grpc"));
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("grpc-timeout", HeaderValue::from_static("1S"));
        h.append("x-tag", HeaderValue::from_static("a"));
        h.append("x-tag", HeaderValue::from_static("b"));
        h.insert("trace-bin", HeaderValue::from_str(&encode_bin(&[0, 255, 1])).unwrap());
        h.insert("raw-bin", HeaderValue::from_static("AP8B")); // unpadded
        let v = to_value(&h);
        let Value::Map(entries) = v else { panic!() };
        let names: Vec<&Key> = entries.iter().map(|(k, _)| k).collect();
        assert_eq!(names, [&Key::str("x-tag"), &Key::str("trace-bin"), &Key::str("raw-bin")]);
        assert_eq!(entries[0].1, Value::List(vec![Value::str("a"), Value::str("b")]));
        assert_eq!(entries[1].1, Value::List(vec![Value::Str(vec![0, 255, 1])]));
        assert_eq!(entries[2].1, Value::List(vec![Value::Str(vec![0, 255, 1])]));
    }

    #[test]
    fn reply_headers_encode_bin_values_and_skip_reserved_names() {
        let v = Value::Map(vec![
            (Key::str("X-One"), Value::str("1")),
            (Key::str("x-many"), Value::List(vec![Value::str("a"), Value::str("b")])),
            (Key::str("blob-bin"), Value::Str(vec![0, 255])),
            (Key::str("grpc-status"), Value::str("0")),
            (Key::str("bad"), Value::str("line\nbreak")),
        ]);
        let h = from_value(&v).into_headers();
        assert_eq!(h["x-one"], "1");
        assert_eq!(h.get_all("x-many").iter().count(), 2);
        assert_eq!(decode_bin(h["blob-bin"].as_bytes()), vec![0, 255]);
        assert!(h.get("grpc-status").is_none() && h.get("bad").is_none());
    }
}
