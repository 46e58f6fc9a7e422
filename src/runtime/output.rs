//! Output from several PHP threads goes through one SAPI `ub_write`. This
//! wraps that function pointer (installed at module startup, restored at
//! shutdown) so lines from different workers do not interleave mid-write.

use std::ffi::c_char;
use std::sync::Mutex;

use ext_php_rs::ffi::sapi_module;

type UbWrite = unsafe extern "C" fn(*const c_char, usize) -> usize;

static ORIGINAL: Mutex<Option<UbWrite>> = Mutex::new(None);
static WRITE_LOCK: Mutex<()> = Mutex::new(());

unsafe extern "C" fn locked_write(s: *const c_char, len: usize) -> usize {
    let original = *ORIGINAL.lock().unwrap_or_else(|e| e.into_inner());
    let _guard = WRITE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    match original {
        // SAFETY: `s` and `len` are PHP's own arguments, passed unchanged to the writer PHP had installed.
        Some(f) => unsafe { f(s, len) },
        None => len,
    }
}

/// Module startup: route every thread's output through one lock.
pub fn serialize_writes() {
    // SAFETY: module startup runs before folk starts any thread, so no one reads `ub_write` while it changes.
    unsafe {
        let module = &raw mut sapi_module;
        let mut orig = ORIGINAL.lock().unwrap_or_else(|e| e.into_inner());
        if orig.is_none() {
            *orig = (*module).ub_write;
            (*module).ub_write = Some(locked_write);
        }
    }
}

/// Module shutdown: give PHP its own writer back.
pub fn restore_writes() {
    // SAFETY: module shutdown runs after request shutdown joined every pool's workers: no other thread writes.
    unsafe {
        let module = &raw mut sapi_module;
        if let Some(f) = ORIGINAL.lock().unwrap_or_else(|e| e.into_inner()).take() {
            (*module).ub_write = Some(f);
        }
    }
}
