//! Raw PHP symbols folk declares itself (ext-php-rs only binds them with its
//! `embed` feature, which would link a second libphp), and small helpers
//! over PHP globals. The `php` binary exports all of them.

use std::ffi::{c_char, c_int, c_void};

use ext_php_rs::ffi::{zend_execute_data, zend_file_handle, zend_object, zend_string};
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ExecutorGlobals, ProcessGlobals};

unsafe extern "C" {
    pub fn ts_resource_ex(id: c_int, th_id: *mut c_void) -> *mut c_void;
    pub fn ts_free_thread();
    pub fn php_request_startup() -> c_int;
    pub fn php_request_shutdown(dummy: *mut c_void);
    pub fn php_execute_script(primary_file: *mut zend_file_handle) -> bool;
    pub fn zend_memory_usage(real_usage: bool) -> usize;
    pub fn zend_is_unwind_exit(ex: *const zend_object) -> bool;
    pub fn zend_is_graceful_exit(ex: *const zend_object) -> bool;
    pub fn _call_user_function_impl(
        object: *mut Zval,
        function_name: *mut Zval,
        retval_ptr: *mut Zval,
        param_count: u32,
        params: *mut Zval,
        named_params: *mut c_void,
    ) -> c_int;
    pub fn zend_alter_ini_entry_chars(
        name: *mut zend_string,
        value: *const c_char,
        value_length: usize,
        modify_type: c_int,
        stage: c_int,
    ) -> c_int;
}

pub type InterruptFn = unsafe extern "C" fn(*mut zend_execute_data);

/// The last PHP error of this thread, as "message in file:line".
pub fn last_error() -> Option<String> {
    let pg = ProcessGlobals::get();
    let msg = zstr(pg.last_error_message)?;
    let file = zstr(pg.last_error_file).unwrap_or_default();
    Some(if file.is_empty() { msg } else { format!("{msg} in {file}:{}", pg.last_error_lineno) })
}

fn zstr(s: *mut zend_string) -> Option<String> {
    if s.is_null() {
        return None;
    }
    unsafe {
        let len = (*s).len;
        let ptr = (*s).val.as_ptr() as *const u8;
        Some(String::from_utf8_lossy(std::slice::from_raw_parts(ptr, len)).into_owned())
    }
}

/// Bytes of the PHP heap in use on this thread.
pub fn memory_usage() -> u64 {
    unsafe { zend_memory_usage(false) as u64 }
}

/// The pending exception of this thread, if any, without taking it.
pub fn pending_exception() -> *mut zend_object {
    ExecutorGlobals::get().exception
}
