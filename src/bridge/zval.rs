// TEMPORARY minimal bridge (to be replaced by the full implementation).
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};

use crate::bridge::value::{Key, Value};
use crate::error::BridgeError;

pub const MAX_DEPTH: usize = 128;
pub const MAX_BYTES: usize = 256 << 20;

pub fn to_value(zv: &Zval, root: &str) -> Result<Value, BridgeError> {
    conv(zv, root.to_string(), 0)
}

fn conv(zv: &Zval, path: String, depth: usize) -> Result<Value, BridgeError> {
    let zv = zv.dereference();
    if depth > MAX_DEPTH {
        return Err(BridgeError { path, reason: "nesting deeper than 128 levels".into() });
    }
    if zv.is_null() { return Ok(Value::Null); }
    if let Some(b) = zv.bool() { return Ok(Value::Bool(b)); }
    if let Some(i) = zv.long() { return Ok(Value::Int(i)); }
    if let Some(f) = zv.double() { return Ok(Value::Float(f)); }
    if let Some(s) = zv.zend_str() { return Ok(Value::Str(s.as_bytes().to_vec())); }
    if let Some(ht) = zv.array() {
        let mut entries = Vec::with_capacity(ht.len());
        let mut list = true;
        for (i, (k, v)) in ht.iter().enumerate() {
            let key = match k {
                ArrayKey::Long(n) => { if n != i as i64 { list = false; } Key::Int(n) }
                ArrayKey::String(s) => { list = false; Key::Str(s.into_bytes()) }
                ArrayKey::Str(s) => { list = false; Key::Str(s.as_bytes().to_vec()) }
                other => { list = false; Key::Str(other.to_string().into_bytes()) }
            };
            let p = format!("{path}[{key}]");
            entries.push((key, conv(v, p, depth + 1)?));
        }
        return Ok(if list { Value::List(entries.into_iter().map(|(_, v)| v).collect()) } else { Value::Map(entries) });
    }
    if zv.is_resource() { return Err(BridgeError { path, reason: "resources cannot cross threads".into() }); }
    Err(BridgeError { path, reason: format!("values of type {} cannot cross threads", zv.get_type()) })
}

pub fn to_zval(v: &Value) -> Zval {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Int(i) => z.set_long(*i),
        Value::Float(f) => z.set_double(*f),
        Value::Str(s) => z.set_zend_string(ext_php_rs::types::ZendStr::new(s.as_slice(), false)),
        Value::List(items) => {
            let mut ht = ZendHashTable::with_capacity(items.len() as u32);
            for it in items { let _ = ht.push(to_zval(it)); }
            z.set_hashtable(ht);
        }
        Value::Map(entries) => {
            let mut ht = ZendHashTable::with_capacity(entries.len() as u32);
            for (k, it) in entries {
                let _ = match k {
                    Key::Int(i) => ht.insert_at_index(*i, to_zval(it)),
                    Key::Str(s) => ht.insert(String::from_utf8_lossy(s).as_ref(), to_zval(it)),
                };
            }
            z.set_hashtable(ht);
        }
    }
    z
}
