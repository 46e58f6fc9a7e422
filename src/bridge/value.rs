//! `Value`: an owned, `Send` copy of a PHP value. No JSON text in between.

use std::fmt;

/// A key of a PHP array: PHP normalises numeric string keys to ints, so both kinds exist.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    /// Binary-safe string key.
    Str(Vec<u8>),
}

/// An owned copy of a PHP value that can cross threads.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Binary-safe string (PHP strings are bytes, not UTF-8).
    Str(Vec<u8>),
    /// A PHP array whose keys are exactly 0..n in order.
    List(Vec<Value>),
    /// Any other PHP array: an ordered map with int and string keys.
    Map(Vec<(Key, Value)>),
}

impl Key {
    pub fn str(s: impl Into<Vec<u8>>) -> Self {
        Key::Str(s.into())
    }
}

impl Value {
    pub fn str(s: impl Into<Vec<u8>>) -> Self {
        Value::Str(s.into())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => write!(f, "'{}'", String::from_utf8_lossy(s)),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.as_bytes().to_vec())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s.into_bytes())
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}
