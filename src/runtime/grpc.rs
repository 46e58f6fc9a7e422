//! The worker side of a gRPC call (a job with method "grpc"): what the
//! handler returned or threw becomes the call's answer. A message is a
//! string or any object with `serializeToString()` (a message class made by
//! `protoc --php_out`); an iterable is a server stream, each message sent as
//! the handler produces it, the worker waiting while the client is slow; a
//! thrown `Folk\Grpc\Exception` is a status with its code and message. The
//! gRPC plugin reads the answer (`plugin::grpc::answer` documents its shape).

use std::sync::Arc;
use std::time::Duration;

use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};

use crate::bridge::zval::to_value;
use crate::bridge::{Key, Value};
use crate::error::WorkError;
use crate::pool::grpc::{CHUNK_MESSAGE, CHUNK_STATUS};
use crate::pool::stream::{Offer, STREAM_KEY, Sink};
use crate::pool::{KillFlag, KillLevel, Reply};

/// The status codes the worker side sets itself (`Folk\Grpc\Status`).
const UNKNOWN: i64 = 2;
const DEADLINE_EXCEEDED: i64 = 4;

/// How long one streamed message may wait for the client to make room
/// before the client counts as gone (as `http.send_timeout`'s default).
const SEND_PATIENCE: Duration = Duration::from_secs(60);

/// The class of `Folk\Grpc\Exception`, declared in every worker (`define`).
fn grpc_exception_ce() -> Option<&'static ClassEntry> {
    ClassEntry::try_find("Folk\\Grpc\\Exception")
}

/// A thrown `Folk\Grpc\Exception` as the answer it stands for: `{status, message}`.
/// None for any other throwable (the call gets UNKNOWN, as a failed job).
pub(super) fn thrown_status(ex: &ZendObject) -> Option<Value> {
    let ce = grpc_exception_ce()?;
    if !ex.instance_of(ce) {
        return None;
    }
    let (code, message) = code_and_message(ex);
    Some(status_value(code, message))
}

fn code_and_message(ex: &ZendObject) -> (i64, String) {
    let call = |m: &str| ex.try_call_method(m, vec![]).ok();
    let code = call("getCode").and_then(|z| z.long()).unwrap_or(UNKNOWN);
    let message = call("getMessage").and_then(|z| z.string()).unwrap_or_default();
    (code, message)
}

fn status_value(code: i64, message: String) -> Value {
    Value::Map(vec![(Key::str("status"), Value::Int(code)), (Key::str("message"), Value::str(message))])
}

/// A returned value that is one message: its bytes. Err names what it is instead.
fn message_bytes(z: &Zval) -> Result<Vec<u8>, String> {
    if z.is_string() {
        return match to_value(z, "result") {
            Ok(Value::Str(b)) => Ok(b),
            _ => Err("a string that cannot be read".into()),
        };
    }
    if let Some(obj) = z.object() {
        let class = obj.get_class_name().unwrap_or_default();
        let Ok(out) = obj.try_call_method("serializeToString", vec![]) else {
            return Err(format!("an object of class {class} without serializeToString()"));
        };
        if ExecutorGlobals::take_exception().is_some() {
            return Err(format!("{class}::serializeToString() throwing"));
        }
        return match to_value(&out, "result") {
            Ok(Value::Str(b)) => Ok(b),
            _ => Err(format!("{class}::serializeToString() returned no string")),
        };
    }
    Err(format!("a value of type {}", z.get_type()))
}

/// Whether the handler's result is a stream of messages rather than one.
fn is_stream(z: &Zval) -> bool {
    z.is_array() || z.object().is_some_and(|o| o.is_traversable())
}

/// The answer to a call whose handler returned `rv`. A stream is sent
/// through `sink` (opened here, held by the caller so that a bailout
/// mid-stream still drops it and the client sees the stream cut short).
pub(super) fn answer(rv: &Zval, reply: &Arc<Reply>, kill: &Arc<KillFlag>, sink: &mut Option<Sink>) -> Result<Value, WorkError> {
    let (rv, metadata) = match reply_parts(rv)? {
        Some((message, headers, trailers)) => (message, Some((headers, trailers))),
        None => (rv, None),
    };
    let with_headers = |mut entries: Vec<(Key, Value)>| {
        if let Some((h, t)) = &metadata {
            entries.push((Key::str("headers"), h.clone()));
            entries.push((Key::str("trailers"), t.clone()));
        }
        Value::Map(entries)
    };
    if !is_stream(rv) {
        return match message_bytes(rv) {
            Ok(bytes) if metadata.is_none() => Ok(Value::Str(bytes)),
            Ok(bytes) => Ok(with_headers(vec![(Key::str("message"), Value::Str(bytes))])),
            Err(what) => Err(not_a_message(&what)),
        };
    }
    let opened = sink.insert(Offer::new(reply.clone(), kill.clone(), SEND_PATIENCE).open());
    // The head goes now, before the first message: the client sees the call
    // answered while the handler still produces.
    reply.complete(Ok(with_headers(vec![(Key::str(STREAM_KEY), Value::Bool(true))])));
    let ended = stream(rv, opened, kill, reply);
    if let Some(s) = sink.take() {
        match ended {
            Streamed::Done => drop(s.end()),
            Streamed::Status(code, message) => {
                let mut chunk = vec![CHUNK_STATUS, u8::try_from(code).unwrap_or(UNKNOWN as u8)];
                chunk.extend_from_slice(message.as_bytes());
                if s.data(chunk).is_ok() {
                    drop(s.end());
                }
            }
            Streamed::ClientGone => {}
        }
    }
    // The reply is answered already; this only frees the worker.
    Ok(Value::Null)
}

/// A `Folk\Grpc\Reply`: its message, headers and trailers (as the plugin reads them).
fn reply_parts(rv: &Zval) -> Result<Option<(&Zval, Value, Value)>, WorkError> {
    let Some(obj) = rv.object() else { return Ok(None) };
    if obj.get_class_name().ok().as_deref() != Some(REPLY_CLASS) {
        return Ok(None);
    }
    let message: &Zval = obj.get_property("message").map_err(|_| not_a_message("a Folk\\Grpc\\Reply without its message"))?;
    let map = |name: &str| match obj.get_property::<&Zval>(name) {
        Ok(z) => to_value(z, name),
        Err(_) => Ok(Value::Map(Vec::new())),
    };
    let (headers, trailers) = (map("headers")?, map("trailers")?);
    if ExecutorGlobals::take_exception().is_some() {
        return Err(not_a_message("a Folk\\Grpc\\Reply whose properties cannot be read"));
    }
    Ok(Some((message, headers, trailers)))
}

/// Folk's gRPC classes, compiled into the extension (`php/Grpc/`).
const REPLY_CLASS: &str = "Folk\\Grpc\\Reply";
const CLASSES: &[(&str, &str, &str)] = &[
    ("Folk\\Grpc\\Status", "Grpc/Status.php", include_str!("../../php/Grpc/Status.php")),
    ("Folk\\Grpc\\Exception", "Grpc/Exception.php", include_str!("../../php/Grpc/Exception.php")),
    (REPLY_CLASS, "Grpc/Reply.php", include_str!("../../php/Grpc/Reply.php")),
];

/// Declares `Folk\Grpc\Status`, `Exception` and `Reply` on this worker
/// thread (they cannot be extension classes: an extension class extending
/// \Exception cannot be constructed from PHP). Call inside its open request
/// and a zend_try, before the worker script; false if PHP refused one.
pub fn define() -> bool {
    CLASSES.iter().all(|(class, file, source)| {
        let quoted = class.replace('\\', "\\\\");
        if super::php::eval_true(&format!("class_exists('{quoted}', false)"), c"folk gRPC classes") {
            return true;
        }
        let Ok(name) = std::ffi::CString::new(format!("folk/php/{file}")) else { return false };
        super::php::eval(source.strip_prefix("<?php").unwrap_or(source), &name)
    })
}

fn not_a_message(what: &str) -> WorkError {
    WorkError::Application {
        class: "Folk\\Grpc\\Exception".into(),
        message: format!("a gRPC handler must return a message (a string or an object with serializeToString()), a Folk\\Grpc\\Reply or an iterable of messages; it returned {what}"),
        file: String::new(),
        line: 0,
    }
}

enum Streamed {
    Done,
    /// Ends with this status (a throw in the generator, a bad item).
    Status(i64, String),
    ClientGone,
}

/// Sends each message of `rv` as it is produced.
fn stream(rv: &Zval, sink: &Sink, kill: &KillFlag, reply: &Reply) -> Streamed {
    // The call's side may leave before it took the stream (a deadline, a cancel): nobody reads then.
    let gone = || sink.client_gone() || reply.client_gone();
    let thrown = || thrown(kill);
    let send = |item: &Zval| -> Option<Streamed> {
        match message_bytes(item) {
            Ok(bytes) => {
                let mut chunk = Vec::with_capacity(bytes.len() + 1);
                chunk.push(CHUNK_MESSAGE);
                chunk.extend_from_slice(&bytes);
                if gone() {
                    return Some(Streamed::ClientGone);
                }
                sink.data(chunk).err().map(|_| Streamed::ClientGone)
            }
            Err(what) => Some(Streamed::Status(UNKNOWN, format!("the handler's stream yielded {what}, not a message"))),
        }
    };
    if let Some(items) = rv.array() {
        for (_, item) in items.iter() {
            if let Some(end) = send(item) {
                return end;
            }
        }
        return Streamed::Done;
    }
    let Some(obj) = rv.object() else { return Streamed::Done };
    let iterator = match obj.try_call_method("getIterator", vec![]) {
        // An IteratorAggregate: walk what it gives.
        Ok(it) if it.object().is_some() => it,
        _ => match obj.try_call_method("current", vec![]) {
            Ok(_) => rv.shallow_clone(),
            Err(_) => return Streamed::Status(UNKNOWN, "the handler returned a Traversable that is neither an Iterator nor an IteratorAggregate".into()),
        },
    };
    if let Some(end) = thrown() {
        return end;
    }
    let Some(it) = iterator.object() else { return Streamed::Done };
    loop {
        let valid = it.try_call_method("valid", vec![]).ok().and_then(|z| z.bool()).unwrap_or(false);
        if let Some(end) = thrown() {
            return end;
        }
        if !valid {
            return Streamed::Done;
        }
        let current = it.try_call_method("current", vec![]);
        if let Some(end) = thrown() {
            return end;
        }
        if let Ok(item) = current
            && let Some(end) = send(&item)
        {
            return end;
        }
        if gone() {
            return Streamed::ClientGone;
        }
        let _ = it.try_call_method("next", vec![]);
        if let Some(end) = thrown() {
            return end;
        }
    }
}

/// An exception the generator threw: taken, as the status ending the stream.
fn thrown(kill: &KillFlag) -> Option<Streamed> {
    let ex = ExecutorGlobals::take_exception()?;
    if kill.load() != KillLevel::None {
        // folk's own interrupt (grpc.timeout, exec_timeout, the deadline in interrupt mode, a stop).
        return Some(Streamed::Status(DEADLINE_EXCEEDED, "the call ran past its time limit".into()));
    }
    if let Some(ce) = grpc_exception_ce()
        && ex.instance_of(ce)
    {
        let (code, message) = code_and_message(&ex);
        return Some(Streamed::Status(code, message));
    }
    let class = ex.get_class_name().unwrap_or_else(|_| "Throwable".into());
    let message = ex.try_call_method("getMessage", vec![]).ok().and_then(|z| z.string()).unwrap_or_default();
    tracing::error!(class = %class, "gRPC streaming handler threw: {message}");
    Some(Streamed::Status(UNKNOWN, "the handler threw".into()))
}
