//! The SAPI name PHP code sees on folk's request threads: php-fpm's
//! "fpm-fcgi", not "cli". Frameworks branch on `PHP_SAPI`/`php_sapi_name()`
//! (Laravel's runningInConsole(), Symfony's Response::send() and VarDumper,
//! Drupal's and WP-CLI's console guards) and must take their web path, as
//! they do under php-fpm, whose behaviour classic mode reproduces.
//!
//! Only the calling thread changes: under ZTS each thread owns a copy of the
//! constant table (`executor_globals_ctor` → `zend_copy_constants`) and of
//! every internal function (`compiler_globals_ctor` → `function_copy_ctor`),
//! so the main php-cli thread and `Folk\Pool` workers keep "cli".
//! (`sapi_module.name` itself is process-wide and stays "cli".)
//! One limit: the compiler substitutes the persistent `PHP_SAPI` into the
//! opcodes, and opcache shares them between threads, so a file compiled on
//! one kind of thread shows that thread's name when another kind includes
//! it; `php_sapi_name()` always answers for the calling thread.

use std::ptr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::ffi::{
    IS_INTERNED_STRING_EX, IS_STRING, ext_php_rs_compiler_globals, ext_php_rs_executor_globals, zend_execute_data,
    zend_hash_str_find, zend_string, zend_string_init_interned, zif_handler, zval,
};

use super::ffi::ZendConstant;

pub const WEB_SAPI_NAME: &str = "fpm-fcgi";

/// The name as a permanent interned string, made once at module startup.
static NAME: AtomicPtr<zend_string> = AtomicPtr::new(ptr::null_mut());
/// php_sapi_name()'s own handler: it reports wrong arguments exactly as PHP does.
static CLI_HANDLER: OnceLock<zif_handler> = OnceLock::new();

const ZEND_INTERNAL_FUNCTION: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("PHP has no {0} on this thread; PHP_SAPI and php_sapi_name() stay \"cli\" in requests")]
    Missing(&'static str),
}

/// Module startup: make the name string (interned strings made now are permanent and shared by all threads).
pub fn prepare() {
    // SAFETY: during module startup zend_string_init_interned makes permanent strings; the bytes are read during the call.
    unsafe {
        if let Some(init) = zend_string_init_interned {
            NAME.store(init(WEB_SAPI_NAME.as_ptr().cast(), WEB_SAPI_NAME.len(), true), Ordering::Release);
        }
    }
}

/// Makes this thread's `PHP_SAPI` and `php_sapi_name()` say "fpm-fcgi". For
/// a fresh ZTS thread of folk's, before its first request.
pub fn become_web_thread() -> Result<(), IdentityError> {
    let name = NAME.load(Ordering::Acquire);
    if name.is_null() {
        return Err(IdentityError::Missing("interned SAPI name"));
    }
    // SAFETY: this thread's own constant table, with no request running; the
    // constant's flags (in value.u2) stay; its old value is an interned string
    // nothing frees, and the new one is permanent and interned.
    unsafe {
        let constants = (*ext_php_rs_executor_globals()).zend_constants;
        let found = find(constants, "PHP_SAPI").ok_or(IdentityError::Missing("PHP_SAPI constant"))?;
        let constant = (*found).value.ptr.cast::<ZendConstant>();
        if constant.is_null() || (*constant).value.u1.type_info & 0xff != IS_STRING {
            return Err(IdentityError::Missing("string PHP_SAPI constant"));
        }
        (*constant).value.value.str_ = name;
        (*constant).value.u1.type_info = IS_INTERNED_STRING_EX;
    }
    // SAFETY: this thread's own copy of the internal function (see the module
    // doc), changed while no PHP code runs on it; freed with the thread.
    unsafe {
        let functions = (*ext_php_rs_compiler_globals()).function_table;
        let found = find(functions, "php_sapi_name").ok_or(IdentityError::Missing("php_sapi_name() function"))?;
        let function = (*found).value.func;
        if function.is_null() || (*function).type_ != ZEND_INTERNAL_FUNCTION {
            return Err(IdentityError::Missing("internal php_sapi_name() function"));
        }
        let handler = &mut (*function).internal_function.handler;
        CLI_HANDLER.get_or_init(|| *handler);
        *handler = Some(web_sapi_name);
    }
    Ok(())
}

/// # Safety
/// `table` is a live hash table of this thread.
unsafe fn find(table: *mut ext_php_rs::ffi::HashTable, key: &str) -> Option<*mut zval> {
    if table.is_null() {
        return None;
    }
    // SAFETY: the caller's table; the key is read during the call.
    let found = unsafe { zend_hash_str_find(table, key.as_ptr().cast(), key.len()) };
    (!found.is_null()).then_some(found)
}

/// php_sapi_name() on folk's request threads.
unsafe extern "C" fn web_sapi_name(execute_data: *mut zend_execute_data, return_value: *mut zval) {
    let name = NAME.load(Ordering::Acquire);
    // SAFETY: PHP calls a handler with its live call frame and return slot.
    unsafe {
        if (*execute_data).This.u2.num_args == 0 && !name.is_null() {
            (*return_value).value.str_ = name;
            (*return_value).u1.type_info = IS_INTERNED_STRING_EX;
        } else if let Some(Some(cli)) = CLI_HANDLER.get() {
            // With arguments the original throws PHP's ArgumentCountError.
            cli(execute_data, return_value);
        }
    }
}
