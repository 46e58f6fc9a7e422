//! `phpinfo()` and `phpcredits()` print HTML in web requests, as under
//! php-fpm. php-cli sets `sapi_module.phpinfo_as_text`, one process-wide
//! flag that every info printer (PHP's and each extension's MINFO) reads, so
//! it cannot differ per thread: a folk request clears it for the length of
//! its call, and every call (the main php-cli thread's too) takes one lock so
//! no other thread prints while the flag is not its own.
//!
//! The wrappers replace the two functions' handlers in the global function
//! table at module startup, before any thread copies it.

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, OnceLock};

use ext_php_rs::ffi::{ext_php_rs_compiler_globals, sapi_module, zend_execute_data, zend_hash_str_find, zif_handler, zval};
use ext_php_rs::zend::try_catch;

use super::context;
use crate::runtime::php;

static PHPINFO: OnceLock<zif_handler> = OnceLock::new();
static PHPCREDITS: OnceLock<zif_handler> = OnceLock::new();
/// Held by every phpinfo()/phpcredits() call while it prints.
static PRINTING: Mutex<()> = Mutex::new(());

const ZEND_INTERNAL_FUNCTION: u8 = 1;

/// Module startup (single-threaded): wrap both functions.
pub fn install() {
    wrap("phpinfo", &PHPINFO, phpinfo);
    wrap("phpcredits", &PHPCREDITS, phpcredits);
}

fn wrap(name: &str, original: &OnceLock<zif_handler>, wrapper: unsafe extern "C" fn(*mut zend_execute_data, *mut zval)) {
    // SAFETY: module startup, before any thread exists: the global function
    // table is read and one internal function's handler replaced, which every
    // thread's copy of the table then starts with.
    unsafe {
        let table = (*ext_php_rs_compiler_globals()).function_table;
        if table.is_null() {
            return;
        }
        let found = zend_hash_str_find(table, name.as_ptr().cast(), name.len());
        if found.is_null() {
            return;
        }
        let function = (*found).value.func;
        if function.is_null() || (*function).type_ != ZEND_INTERNAL_FUNCTION {
            return;
        }
        let handler = &mut (*function).internal_function.handler;
        original.get_or_init(|| *handler);
        *handler = Some(wrapper);
    }
}

unsafe extern "C" fn phpinfo(execute_data: *mut zend_execute_data, return_value: *mut zval) {
    // SAFETY: PHP's own arguments, passed on unchanged.
    unsafe { print(&PHPINFO, execute_data, return_value) }
}

unsafe extern "C" fn phpcredits(execute_data: *mut zend_execute_data, return_value: *mut zval) {
    // SAFETY: PHP's own arguments, passed on unchanged.
    unsafe { print(&PHPCREDITS, execute_data, return_value) }
}

/// # Safety
/// Called by PHP as a function handler, with its live frame and return slot.
unsafe fn print(original: &OnceLock<zif_handler>, execute_data: *mut zend_execute_data, return_value: *mut zval) {
    let Some(Some(handler)) = original.get().copied() else { return };
    let web = context::current().is_some();
    let guard = PRINTING.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: the flag is only changed under PRINTING, and every printer holds it.
    let text = unsafe { sapi_module.phpinfo_as_text };
    if web {
        // SAFETY: as above.
        unsafe { sapi_module.phpinfo_as_text = 0 };
    }
    // The output may stop the script (a client that left): catch the
    // bailout, put the flag back and unlock, then let it go on.
    // SAFETY: PHP's own arguments, passed on unchanged.
    let printed = try_catch(AssertUnwindSafe(|| unsafe { handler(execute_data, return_value) }));
    // SAFETY: still under PRINTING.
    unsafe { sapi_module.phpinfo_as_text = text };
    drop(guard);
    if printed.is_err() {
        php::reraise_bailout();
    }
}
