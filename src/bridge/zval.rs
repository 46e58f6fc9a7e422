//! Converts PHP zvals to the owned `Value` and back, on the thread that owns
//! the interpreter, without a JSON text in between. Both directions walk the
//! engine's own structures (buckets, packed slots, zend_strings) through raw FFI.
//!
//! Targets the PHP >= 8.2 hash table layout (packed arrays hold bare zvals) on
//! 64-bit Unix, where `ZEND_FASTCALL` is the plain C calling convention.

use std::ffi::c_char;
use std::fmt::Write as _;
use std::mem::MaybeUninit;
use std::panic::AssertUnwindSafe;
use std::ptr;

use ext_php_rs::ffi::{
    self, GC_IMMUTABLE, HashTable, IS_ARRAY, IS_ARRAY_EX, IS_DOUBLE, IS_FALSE, IS_INDIRECT, IS_INTERNED_STRING_EX,
    IS_LONG, IS_NULL, IS_OBJECT, IS_REFERENCE, IS_RESOURCE, IS_STRING, IS_STRING_EX, IS_TRUE, IS_UNDEF,
    zend_class_entry, zend_object, zend_string, zval,
};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, bailout, try_catch};

use crate::bridge::value::{Key, Value};
use crate::error::BridgeError;

/// Nesting deeper than this is refused (not a crash).
pub const MAX_DEPTH: usize = 128;
/// Values larger than this (approximate bytes) are refused.
pub const MAX_BYTES: usize = 256 << 20;

#[cfg(any(windows, target_pointer_width = "32"))]
compile_error!("bridge::zval declares ZEND_FASTCALL functions as extern \"C\", which only holds on 64-bit Unix");

// Engine symbols that ext-php-rs does not bind. The `php` binary exports them
// and the extension resolves them when it is loaded, like every other zend_* symbol.
unsafe extern "C" {
    static mut php_json_serializable_ce: *mut zend_class_entry;
    static mut zend_ce_closure: *mut zend_class_entry;
    fn zend_hash_real_init_packed(ht: *mut HashTable);
    fn zend_hash_real_init_mixed(ht: *mut HashTable);
    fn zend_is_unwind_exit(ex: *const zend_object) -> bool;
    fn zend_is_graceful_exit(ex: *const zend_object) -> bool;
}

/// Turns an object of a class folk defines into its value straight from its
/// Rust fields; None for any other object. Set once at module startup.
pub type NativeObject = fn(&ext_php_rs::types::ZendObject) -> Option<Value>;

static NATIVE_OBJECTS: std::sync::OnceLock<NativeObject> = std::sync::OnceLock::new();

/// Objects of folk's own classes (`Folk\Http\Response`) cross threads through
/// `f`: their `jsonSerialize()` would build a PHP array (copying the body) only
/// for it to be read back here.
pub fn convert_natively(f: NativeObject) {
    let _ = NATIVE_OBJECTS.set(f);
}

/// `\JsonSerializable`'s class entry, once ext/json has started (it is built
/// into every PHP >= 8.0 and starts before any shared extension).
pub fn json_serializable_ce() -> Option<&'static ClassEntry> {
    // SAFETY: a copy of a pointer ext/json sets once at its startup, to its static class entry (null before).
    unsafe { php_json_serializable_ce.cast::<ClassEntry>().as_ref() }
}

/// Whether `ex` is the exception `exit()` throws to unwind the stack (it must
/// stay pending: it ends the script).
pub fn is_unwind_exit(ex: &ZendObject) -> bool {
    // SAFETY: `ex` is a live object; the check only reads its class.
    unsafe { zend_is_unwind_exit(ex) }
}

// zend_hash.h: only the low byte of `u.flags` holds flags.
const HASH_FLAG_PACKED: u32 = 1 << 2;
/// What the size limit charges per copied node and per map key (an estimate of the `Value`'s heap use).
const NODE_BYTES: usize = 16;
const KEY_BYTES: usize = 8;

// ---------------------------------------------------------------------------
// PHP -> Value
// ---------------------------------------------------------------------------

/// Copies a PHP value. `root` names it in errors, e.g. "payload" or "result".
///
/// * Arrays whose keys are exactly `0..n` in order become `Value::List`, any
///   other array a `Value::Map` in PHP order. References are followed.
/// * A `JsonSerializable` object is replaced by what its `jsonSerialize()`
///   returns. An exception thrown there is taken off the engine and reported in
///   the error; an `exit()` there stays pending, as it must end the script.
/// * A `stdClass` becomes a `Value::Map` of its properties, so it arrives on the
///   other side as an array, exactly like `(array) $object`.
/// * Closures, other objects, resources, nesting deeper than [`MAX_DEPTH`] and
///   values larger than [`MAX_BYTES`] are refused with an error naming where.
///
/// If `jsonSerialize()` ends in a fatal error (a bailout), this function frees
/// its own allocations and resumes the bailout: it does not return. Callers
/// outside a `zend_try` must wrap it as they would any call into PHP code.
pub fn to_value(zv: &Zval, root: &str) -> Result<Value, BridgeError> {
    let mut walker = Walker { bytes: 0, bailed: false };
    // SAFETY: `zv` is a live zval of this thread's interpreter.
    let fail = match unsafe { walker.value(zv, 0) } {
        Ok(v) => return Ok(v),
        // Unboxed in its own block so the box is freed here: a bailout below
        // must not skip any destructor.
        Err(fail) => *fail,
    };
    let Fail { kind, path } = fail;
    match kind {
        FailKind::Reason(reason) => Err(BridgeError { path: render_path(root, &path), reason }),
        FailKind::TooLarge => {
            Err(BridgeError { path: root.to_owned(), reason: format!("value larger than {} MiB", MAX_BYTES >> 20) })
        }
        FailKind::Bailout => {
            drop(path);
            // SAFETY: every Rust value of this call is dropped; the engine
            // resumes the bailout that jsonSerialize() started.
            unsafe { bailout() }
        }
    }
}

/// Why a walk stopped. Boxed, so that `Res<Value>` is no bigger than `Value`.
struct Fail {
    kind: FailKind,
    /// Keys from the failing value out to the root, innermost first: each
    /// level adds its key while the error travels up, so a successful walk
    /// never tracks a path at all.
    path: Vec<Key>,
}

enum FailKind {
    Reason(String),
    TooLarge,
    Bailout,
}

type Res<T> = Result<T, Box<Fail>>;

fn fail<T>(reason: impl Into<String>) -> Res<T> {
    Err(Box::new(Fail { kind: FailKind::Reason(reason.into()), path: Vec::new() }))
}

fn too_large<T>() -> Res<T> {
    Err(Box::new(Fail { kind: FailKind::TooLarge, path: Vec::new() }))
}

fn depth_fail<T>() -> Res<T> {
    fail(format!("nesting deeper than {MAX_DEPTH} levels"))
}

/// Adds `key` to the path of a failure coming out of a child.
#[inline]
fn at<T>(r: Res<T>, key: impl FnOnce() -> Key) -> Res<T> {
    r.map_err(|mut f| {
        f.path.push(key());
        f
    })
}

struct Walker {
    /// Estimated heap bytes of everything copied so far (see NODE_BYTES).
    bytes: usize,
    /// Set once the engine bailed out: from then on nothing engine-side may be
    /// released (it could run destructors); the request shutdown frees it all.
    bailed: bool,
}

impl Walker {
    /// Charges `n` more bytes, refusing once the total passes `MAX_BYTES`.
    #[inline]
    fn charge(&mut self, n: usize) -> Res<()> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > MAX_BYTES { too_large() } else { Ok(()) }
    }

    /// Refuses a container of `n` elements before allocating for it: each
    /// element will cost at least a node, so a huge array fails fast instead
    /// of first reserving gigabytes.
    #[inline]
    fn precheck(&self, n: usize) -> Res<()> {
        if self.bytes.saturating_add(n.saturating_mul(NODE_BYTES)) > MAX_BYTES { too_large() } else { Ok(()) }
    }

    /// # Safety
    /// `zv` points to a live zval of this thread.
    unsafe fn value(&mut self, zv: *const zval, depth: usize) -> Res<Value> {
        unsafe {
            let mut zv = zv;
            let mut ty = zv_type(zv);
            if ty == IS_INDIRECT {
                zv = (*zv).value.zv;
                ty = zv_type(zv);
            }
            if ty == IS_REFERENCE {
                zv = &raw const (*(*zv).value.ref_).val;
                ty = zv_type(zv);
            }
            // Scalars are charged without a check: the enclosing container's
            // precheck already counted them, and its final check catches the rest.
            self.bytes += NODE_BYTES;
            match ty {
                IS_UNDEF | IS_NULL => Ok(Value::Null),
                IS_FALSE => Ok(Value::Bool(false)),
                IS_TRUE => Ok(Value::Bool(true)),
                IS_LONG => Ok(Value::Int((*zv).value.lval)),
                IS_DOUBLE => Ok(Value::Float((*zv).value.dval)),
                IS_STRING => {
                    let bytes = zstr_bytes((*zv).value.str_);
                    self.charge(bytes.len())?;
                    Ok(Value::Str(bytes.to_vec()))
                }
                IS_ARRAY => self.array((*zv).value.arr, depth),
                IS_OBJECT => self.object((*zv).value.obj, depth),
                IS_RESOURCE => fail("resources cannot cross threads"),
                other => fail(format!("values of internal zval type {other} cannot cross threads")),
            }
        }
    }

    /// # Safety
    /// `ht` is a live array of this thread.
    unsafe fn array(&mut self, ht: *mut HashTable, depth: usize) -> Res<Value> {
        unsafe {
            if depth >= MAX_DEPTH {
                return depth_fail();
            }
            if (*ht).nNumOfElements == 0 {
                return Ok(Value::List(Vec::new()));
            }
            self.held_table(ht, depth, false)
        }
    }

    /// `table` under a reference of our own (see `hold`), released afterwards
    /// unless a bailout left the table to PHP's request shutdown.
    ///
    /// # Safety
    /// `ht` is a live table of this thread.
    unsafe fn held_table(&mut self, ht: *mut HashTable, depth: usize, props: bool) -> Res<Value> {
        unsafe {
            hold(ht);
            let result = self.table(ht, depth, props);
            if !self.bailed {
                release(ht);
            }
            let v = result?;
            self.charge(0)?;
            Ok(v)
        }
    }

    /// Walks the entries of a held table. `props` is set for an object's
    /// property table: keys are then converted like `(array) $obj` does
    /// (numeric strings become ints) and the result is always a Map.
    ///
    /// # Safety
    /// `ht` is a live table of this thread that the caller holds a reference on,
    /// so that user code run by `jsonSerialize()` can only separate it, never
    /// resize or free it under us.
    unsafe fn table(&mut self, ht: *mut HashTable, depth: usize, props: bool) -> Res<Value> {
        unsafe {
            let n = (*ht).nNumOfElements as usize;
            let used = (*ht).nNumUsed as usize;
            self.precheck(n)?;

            if (*ht).u.flags & HASH_FLAG_PACKED != 0 {
                // Packed: slot i has key i. Without holes (PHP trims trailing
                // ones) that is a list; with holes the keys skip, so a map.
                let base = (*ht).__bindgen_anon_1.arPacked;
                if used == n && !props {
                    let mut items = Vec::with_capacity(n);
                    for i in 0..used {
                        items.push(at(self.value(base.add(i), depth + 1), || Key::Int(i as i64))?);
                    }
                    return Ok(Value::List(items));
                }
                let mut entries = Vec::with_capacity(n);
                for i in 0..used {
                    let Some(zv) = live(base.add(i)) else { continue };
                    self.bytes += KEY_BYTES;
                    let v = at(self.value(zv, depth + 1), || Key::Int(i as i64))?;
                    entries.push((Key::Int(i as i64), v));
                }
                return Ok(Value::Map(entries));
            }

            let data = (*ht).__bindgen_anon_1.arData;
            let mut i = 0;
            // As long as the keys run 0, 1, 2, ... it is a list; most arrays
            // that are lists get through here without a single Key built.
            let mut items: Vec<Value> = Vec::new();
            if !props {
                while i < used {
                    let b = data.add(i);
                    let Some(zv) = live(&raw const (*b).val) else {
                        i += 1;
                        continue;
                    };
                    let next = items.len();
                    if !(*b).key.is_null() || (*b).h != next as u64 {
                        break;
                    }
                    if next == 0 {
                        // Only now: a map with string keys never needs it.
                        items.reserve_exact(n);
                    }
                    items.push(at(self.value(zv, depth + 1), || Key::Int(next as i64))?);
                    i += 1;
                }
                if i == used {
                    return Ok(Value::List(items));
                }
            }

            // A map after all: the list prefix gets its int keys back.
            self.bytes += KEY_BYTES * items.len();
            let mut entries: Vec<(Key, Value)> = Vec::with_capacity(n);
            entries.extend(items.into_iter().enumerate().map(|(k, v)| (Key::Int(k as i64), v)));
            while i < used {
                let b = data.add(i);
                i += 1;
                let Some(zv) = live(&raw const (*b).val) else { continue };
                let key = if (*b).key.is_null() {
                    self.bytes += KEY_BYTES;
                    Key::Int((*b).h as i64)
                } else {
                    let name = zstr_bytes((*b).key);
                    match if props { numeric_key(name) } else { None } {
                        Some(k) => {
                            self.bytes += KEY_BYTES;
                            Key::Int(k)
                        }
                        None => {
                            self.charge(KEY_BYTES + name.len())?;
                            Key::Str(name.to_vec())
                        }
                    }
                };
                match self.value(zv, depth + 1) {
                    Ok(v) => entries.push((key, v)),
                    Err(mut f) => {
                        f.path.push(key);
                        return Err(f);
                    }
                }
            }
            Ok(Value::Map(entries))
        }
    }

    /// # Safety
    /// `obj` is a live object of this thread.
    unsafe fn object(&mut self, obj: *mut zend_object, depth: usize) -> Res<Value> {
        unsafe {
            if depth >= MAX_DEPTH {
                return depth_fail();
            }
            let ce = (*obj).ce;
            if ce == ffi::zend_standard_class_def {
                // stdClass declares no properties, so a NULL table is an empty one.
                let props = (*obj).properties;
                if props.is_null() || (*props).nNumOfElements == 0 {
                    return Ok(Value::Map(Vec::new()));
                }
                return self.held_table(props, depth, true);
            }
            if ce == zend_ce_closure {
                return fail("closures cannot cross threads");
            }
            if let Some(v) = NATIVE_OBJECTS.get().and_then(|f| f(&*obj)) {
                return Ok(v);
            }
            let json = php_json_serializable_ce;
            if !json.is_null() && (ce == json || ffi::instanceof_function_slow(ce, json)) {
                return self.json_serialize(obj, ce, depth);
            }
            fail(format!("objects of class {} cannot cross threads (implement JsonSerializable)", class_name(ce)))
        }
    }

    /// Converts what `$obj->jsonSerialize()` returns in place of the object.
    /// The result counts as one level deeper, which also stops an object that
    /// returns itself.
    ///
    /// # Safety
    /// `obj` is a live object of class `ce`, which implements JsonSerializable.
    unsafe fn json_serialize(&mut self, obj: *mut zend_object, ce: *mut zend_class_entry, depth: usize) -> Res<Value> {
        unsafe {
            const NAME: &str = "jsonserialize"; // function tables are keyed in lower case
            let slot =
                ffi::zend_hash_str_find(&raw const (*ce).function_table, NAME.as_ptr().cast::<c_char>(), NAME.len());
            if slot.is_null() {
                return fail(format!("class {} has no jsonSerialize() method", class_name(ce)));
            }
            let func = (*slot).value.func;
            let eg = ffi::ext_php_rs_executor_globals();
            if !(*eg).exception.is_null() {
                // zend_call_function would silently not call it.
                return fail("cannot call jsonSerialize() while an exception is pending");
            }

            let mut ret = Zval::new();
            let ret_ptr = &raw mut ret;
            // Our own reference for the call: the method may drop the last
            // other one. Released inside the zend_try too, as that can run a
            // destructor.
            (*obj).gc.refcount += 1;
            let called = try_catch(AssertUnwindSafe(|| {
                ffi::zend_call_known_function(func, obj, ce, ret_ptr, 0, ptr::null_mut(), ptr::null_mut());
                ffi::ext_php_rs_zend_object_release(obj);
            }));
            if called.is_err() {
                // Nothing engine-side may be touched after a bailout.
                self.bailed = true;
                std::mem::forget(ret);
                return Err(Box::new(Fail { kind: FailKind::Bailout, path: Vec::new() }));
            }

            let ex = (*eg).exception;
            if !ex.is_null() {
                if zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex) {
                    return fail("jsonSerialize() called exit()");
                }
                // Take it off the engine: the error carries it from here on.
                (*eg).exception = ptr::null_mut();
                let reason = format!("jsonSerialize() threw {}", describe_exception(ex));
                ffi::ext_php_rs_zend_object_release(ex);
                return fail(reason);
            }
            if zv_type(&ret) == IS_UNDEF {
                return fail("jsonSerialize() returned no value");
            }
            let result = self.value(&ret, depth + 1);
            if self.bailed {
                std::mem::forget(ret);
            }
            result
        }
    }
}

/// The zval an array slot really holds, or None for a deleted slot (and for a
/// property slot that was unset).
#[inline]
unsafe fn live(zv: *const zval) -> Option<*const zval> {
    unsafe {
        match zv_type(zv) {
            IS_UNDEF => None,
            IS_INDIRECT => {
                let target = (*zv).value.zv;
                if zv_type(target) == IS_UNDEF { None } else { Some(target) }
            }
            _ => Some(zv),
        }
    }
}

#[inline]
unsafe fn zv_type(zv: *const zval) -> u32 {
    unsafe { u32::from((*zv).u1.v.type_) }
}

/// The bytes of a zend_string, binary-safe.
#[inline]
unsafe fn zstr_bytes<'a>(s: *const zend_string) -> &'a [u8] {
    // A raw place, not `val.as_ptr()`: the 1-byte `val` array must not bound
    // the pointer's provenance.
    unsafe { std::slice::from_raw_parts((&raw const (*s).val).cast::<u8>(), (*s).len) }
}

#[inline]
fn is_immutable(type_info: u32) -> bool {
    type_info & GC_IMMUTABLE != 0
}

/// Takes a reference on an array while we iterate it: PHP separates any array
/// whose refcount is above one before writing to it, so user code run by a
/// `jsonSerialize()` cannot resize or free the buckets we walk.
#[inline]
unsafe fn hold(ht: *mut HashTable) {
    unsafe {
        if !is_immutable((*ht).gc.u.type_info) {
            (*ht).gc.refcount += 1;
        }
    }
}

/// Drops the reference taken by `hold` (`zend_array_release`).
#[inline]
unsafe fn release(ht: *mut HashTable) {
    unsafe {
        if !is_immutable((*ht).gc.u.type_info) {
            (*ht).gc.refcount -= 1;
            if (*ht).gc.refcount == 0 {
                ffi::zend_array_destroy(ht);
            }
        }
    }
}

/// A class name for messages; anonymous classes carry a NUL and their file
/// after "class@anonymous", which PHP does not show either.
unsafe fn class_name(ce: *const zend_class_entry) -> String {
    unsafe {
        if ce.is_null() || (*ce).name.is_null() {
            return "(unknown)".into();
        }
        let name = zstr_bytes((*ce).name);
        let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        String::from_utf8_lossy(&name[..end]).into_owned()
    }
}

/// "Class: message" of an exception object that is no longer pending.
unsafe fn describe_exception(ex: *mut zend_object) -> String {
    unsafe {
        let class = class_name((*ex).ce);
        let message = (*ex)
            .try_call_method("getMessage", vec![])
            .ok()
            .and_then(|m| {
                m.zend_str().map(|s| {
                    // A NUL would make the error itself impossible to throw.
                    String::from_utf8_lossy(s.as_bytes()).replace('\0', "\\0")
                })
            })
            .unwrap_or_default();
        if message.is_empty() { class } else { format!("{class}: {message}") }
    }
}

/// PHP's rule for array keys that are ints although given as strings
/// (`_zend_handle_numeric_str_ex`): an optional '-', no leading zero, no "-0",
/// and the value must fit in a zend_long.
fn numeric_key(s: &[u8]) -> Option<i64> {
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    let (&first, _) = digits.split_first()?;
    if !first.is_ascii_digit() || (first == b'0' && s.len() > 1) || digits.len() > 19 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        // At most 19 digits: cannot overflow a u64.
        n = n * 10 + u64::from(c - b'0');
    }
    if digits.len() < s.len() {
        // -9223372036854775808 is still a long, one more is not.
        if n > i64::MAX as u64 + 1 { None } else { Some(0i64.wrapping_sub(n as i64)) }
    } else if n > i64::MAX as u64 {
        None
    } else {
        Some(n as i64)
    }
}

/// `root['a'][0]...`, with overly deep paths cut in the middle and overly
/// long keys shortened, so an error message stays readable. Control
/// characters in keys are escaped: a NUL could not even be thrown.
fn render_path(root: &str, innermost_first: &[Key]) -> String {
    const HEAD: usize = 16;
    const TAIL: usize = 8;
    const KEY_BYTES_SHOWN: usize = 64;
    let mut out = String::from(root);
    let push = |out: &mut String, key: &Key| match key {
        Key::Int(i) => {
            let _ = write!(out, "[{i}]");
        }
        Key::Str(s) => {
            out.push_str("['");
            push_escaped(out, &s[..s.len().min(KEY_BYTES_SHOWN)]);
            if s.len() > KEY_BYTES_SHOWN {
                out.push_str("...");
            }
            out.push_str("']");
        }
    };
    let n = innermost_first.len();
    if n <= HEAD + TAIL {
        innermost_first.iter().rev().for_each(|k| push(&mut out, k));
    } else {
        innermost_first[n - HEAD..].iter().rev().for_each(|k| push(&mut out, k));
        out.push_str("...");
        innermost_first[..TAIL].iter().rev().for_each(|k| push(&mut out, k));
    }
    out
}

/// Appends PHP bytes as text: invalid UTF-8 as U+FFFD, control characters
/// escaped (`\0`, `\n`, `\u{1b}`).
fn push_escaped(out: &mut String, bytes: &[u8]) {
    for c in String::from_utf8_lossy(bytes).chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
}

// ---------------------------------------------------------------------------
// Value -> PHP
// ---------------------------------------------------------------------------

/// Builds a PHP value on the current thread. The returned zval owns everything
/// it references (fresh arrays and strings; empty arrays are PHP's shared
/// immutable one, as `[]` is). A Map's string keys that look like ints become
/// int keys, as PHP does for `["5" => x]`; a duplicate key keeps its first
/// position and its last value.
pub fn to_zval(v: &Value) -> Zval {
    let mut out = Zval::new();
    let mut builder = Builder {
        keys: [[ptr::null_mut(); KEY_CACHE_POSITIONS]; KEY_CACHE_DEPTHS],
        row_len: [0; KEY_CACHE_DEPTHS],
        maps_seen: [0; KEY_CACHE_DEPTHS],
    };
    // SAFETY: `out` is a fresh null zval: nothing to release before writing.
    unsafe {
        builder.write(v, &raw mut out, 0);
        builder.finish();
    }
    out
}

/// Key strings are shared between maps of the same shape (a list of records
/// repeats the same keys in the same order): remembered per nesting depth and
/// position, up to these bounds. A hit saves an allocation and a hash, and
/// the keys' memory. Only from the second map at a depth on, so a payload
/// with one map per level pays nothing for it; on the stack, no heap.
const KEY_CACHE_DEPTHS: usize = 6;
const KEY_CACHE_POSITIONS: usize = 16;

struct Builder {
    /// `keys[depth][position]`: the last string key used there, one reference
    /// held by the cache and dropped in `finish`.
    keys: [[*mut zend_string; KEY_CACHE_POSITIONS]; KEY_CACHE_DEPTHS],
    /// How much of each row was ever used: the final sweep looks no further.
    row_len: [u8; KEY_CACHE_DEPTHS],
    /// Maps built so far at each depth (saturating).
    maps_seen: [u8; KEY_CACHE_DEPTHS],
}

impl Builder {
    /// Writes `v` into the slot `dst` without releasing what was there: `dst`
    /// is a null zval, uninitialised memory or a fresh packed slot.
    ///
    /// # Safety
    /// `dst` is valid for writes; on this thread's interpreter.
    unsafe fn write(&mut self, v: &Value, dst: *mut zval, depth: usize) {
        unsafe {
            let type_info = match v {
                Value::Null => IS_NULL,
                Value::Bool(true) => IS_TRUE,
                Value::Bool(false) => IS_FALSE,
                Value::Int(i) => {
                    (*dst).value.lval = *i;
                    IS_LONG
                }
                Value::Float(f) => {
                    (*dst).value.dval = *f;
                    IS_DOUBLE
                }
                Value::Str(s) => {
                    let zs = new_zstr(s);
                    (*dst).value.str_ = zs;
                    if is_immutable((*zs).gc.u.type_info) { IS_INTERNED_STRING_EX } else { IS_STRING_EX }
                }
                Value::List(items) => {
                    let ht = self.list(items, depth);
                    (*dst).value.arr = ht;
                    array_type(ht)
                }
                Value::Map(entries) => {
                    let ht = self.map(entries, depth);
                    (*dst).value.arr = ht;
                    array_type(ht)
                }
            };
            (*dst).u1.type_info = type_info;
        }
    }

    /// A packed array filled in place (PHP's ZEND_HASH_FILL_PACKED): one
    /// allocation, no per-element call.
    unsafe fn list(&mut self, items: &[Value], depth: usize) -> *mut HashTable {
        unsafe {
            if items.is_empty() {
                return empty_array();
            }
            let n = items.len();
            let ht = ffi::_zend_new_array(size_hint(n));
            zend_hash_real_init_packed(ht);
            if ((*ht).nTableSize as usize) < n {
                // Unreachable in practice (PHP refuses such sizes with a fatal
                // error), but never write past the table.
                for item in items {
                    let mut tmp = MaybeUninit::<zval>::uninit();
                    self.write(item, tmp.as_mut_ptr(), depth + 1);
                    ffi::zend_hash_next_index_insert(ht, tmp.as_mut_ptr());
                }
                return ht;
            }
            let base = (*ht).__bindgen_anon_1.arPacked;
            for (i, item) in items.iter().enumerate() {
                self.write(item, base.add(i), depth + 1);
            }
            // Only now, so a bailout half-way leaves a consistent (empty) table.
            (*ht).nNumUsed = n as u32;
            (*ht).nNumOfElements = n as u32;
            (*ht).nNextFreeElement = n as i64;
            (*ht).nInternalPointer = 0;
            ht
        }
    }

    /// A hash built with symtable semantics, pre-sized for all entries.
    unsafe fn map(&mut self, entries: &[(Key, Value)], depth: usize) -> *mut HashTable {
        unsafe {
            if entries.is_empty() {
                return empty_array();
            }
            let ht = ffi::_zend_new_array(size_hint(entries.len()));
            // With int keys only, let PHP pick packed or hash on the first
            // insert; a string key anywhere means hash, so start there instead
            // of converting a packed table half-way.
            if entries.iter().any(|(k, _)| matches!(k, Key::Str(_))) {
                zend_hash_real_init_mixed(ht);
            }
            let use_cache = match self.maps_seen.get_mut(depth) {
                Some(seen) => {
                    *seen = seen.saturating_add(1);
                    *seen >= 2
                }
                None => false,
            };
            for (pos, (key, v)) in entries.iter().enumerate() {
                // The table takes the zval's contents as they are (ZVAL_COPY_VALUE).
                let mut tmp = MaybeUninit::<zval>::uninit();
                self.write(v, tmp.as_mut_ptr(), depth + 1);
                let slot = tmp.as_mut_ptr();
                match key {
                    Key::Int(i) => {
                        ffi::zend_hash_index_update(ht, *i as u64, slot);
                    }
                    Key::Str(s) => {
                        if let Some(i) = numeric_key(s) {
                            ffi::zend_hash_index_update(ht, i as u64, slot);
                        } else if let Some(zs) = if use_cache { self.cached_key(s, depth, pos) } else { None } {
                            // zend_hash_update takes its own reference on a new key.
                            ffi::zend_hash_update(ht, zs, slot);
                        } else {
                            ffi::zend_hash_str_update(ht, s.as_ptr().cast::<c_char>(), s.len(), slot);
                        }
                    }
                }
            }
            ht
        }
    }

    /// The key string for `s` at this depth and position: the cached one if
    /// it matches, else a new one that replaces it. None outside the cache's bounds.
    unsafe fn cached_key(&mut self, s: &[u8], depth: usize, pos: usize) -> Option<*mut zend_string> {
        unsafe {
            if depth >= KEY_CACHE_DEPTHS || pos >= KEY_CACHE_POSITIONS {
                return None;
            }
            let len = &mut self.row_len[depth];
            *len = (*len).max(pos as u8 + 1);
            let slot = &mut self.keys[depth][pos];
            if !slot.is_null() {
                if zstr_bytes(*slot) == s {
                    return Some(*slot);
                }
                ffi::ext_php_rs_zend_string_release(*slot);
            }
            *slot = new_zstr(s);
            Some(*slot)
        }
    }

    /// Drops the cache's references; the tables keep theirs.
    unsafe fn finish(&mut self) {
        for (row, &len) in self.keys.iter().zip(&self.row_len) {
            for &zs in row[..usize::from(len)].iter().filter(|zs| !zs.is_null()) {
                unsafe { ffi::ext_php_rs_zend_string_release(zs) };
            }
        }
    }
}

/// A fresh request-lifetime zend_string (PHP's shared interned ones for
/// lengths 0 and 1), refcount 1, owned by the caller.
#[inline]
unsafe fn new_zstr(s: &[u8]) -> *mut zend_string {
    unsafe { ffi::ext_php_rs_zend_string_init(s.as_ptr().cast::<c_char>(), s.len(), false) }
}

#[inline]
unsafe fn array_type(ht: *mut HashTable) -> u32 {
    // The shared empty array is immutable and must not be refcounted.
    if unsafe { is_immutable((*ht).gc.u.type_info) } { IS_ARRAY } else { IS_ARRAY_EX }
}

#[inline]
fn empty_array() -> *mut HashTable {
    // Never written to: PHP separates immutable arrays before any write.
    (&raw const ffi::zend_empty_array).cast_mut()
}

#[inline]
fn size_hint(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_follow_php() {
        assert_eq!(numeric_key(b"0"), Some(0));
        assert_eq!(numeric_key(b"5"), Some(5));
        assert_eq!(numeric_key(b"-5"), Some(-5));
        assert_eq!(numeric_key(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(numeric_key(b"-9223372036854775808"), Some(i64::MIN));
        for s in [
            &b""[..],
            b"-",
            b"-0",
            b"00",
            b"01",
            b"-01",
            b"1a",
            b" 1",
            b"1 ",
            b"+1",
            b"1.0",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"99999999999999999999",
            b"a",
        ] {
            assert_eq!(numeric_key(s), None, "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn paths_render_outermost_first_and_are_cut_when_deep() {
        let path = vec![Key::Str(b"handle".to_vec()), Key::Int(3), Key::Str(b"user".to_vec())];
        assert_eq!(render_path("payload", &path), "payload['user'][3]['handle']");
        assert_eq!(render_path("result", &[]), "result");
        let deep = vec![Key::Int(0); 200];
        let s = render_path("payload", &deep);
        assert_eq!(s, format!("payload{}...{}", "[0]".repeat(16), "[0]".repeat(8)));
        let long = vec![Key::Str(vec![b'k'; 100])];
        assert_eq!(render_path("p", &long), format!("p['{}...']", "k".repeat(64)));
        let odd = vec![Key::Str(b"a\0b\n\xff'".to_vec())];
        assert_eq!(render_path("p", &odd), "p['a\\0b\\n\u{fffd}'']");
    }
}
