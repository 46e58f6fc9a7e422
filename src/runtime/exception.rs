//! Exception objects that look as if PHP's `new` had made them. A class that
//! ext-php-rs registers bypasses \Exception's own object creation, which would
//! leave message, file and line empty; this fills them in through the engine.

use std::ffi::{CString, c_char, c_long};

use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{zend_class_entry, zend_object};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ce};

unsafe extern "C" {
    fn zend_update_property_string(scope: *mut zend_class_entry, object: *mut zend_object, name: *const c_char, len: usize, value: *const c_char);
    fn zend_update_property_long(scope: *mut zend_class_entry, object: *mut zend_object, name: *const c_char, len: usize, value: c_long);
    fn zend_get_executed_filename() -> *const c_char;
    fn zend_get_executed_lineno() -> u32;
}

/// An exception of class `ce` (an \Exception subclass) carrying `message`,
/// and the file and line of the PHP code running on this thread (the code
/// that called into folk). `fill` then sets the class's own fields.
pub fn located_exception(ce: &'static ClassEntry, message: String, fill: impl FnOnce(&mut ZendObject)) -> PhpException {
    let mut obj = ZendObject::new(ce);
    let exception_ce = ce::exception() as *const _ as *mut zend_class_entry;
    let raw: *mut zend_object = &mut *obj;
    // SAFETY: `raw` is live and this thread's; names, `msg` and a non-null filename are C strings alive for the calls.
    unsafe {
        let msg = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
        zend_update_property_string(exception_ce, raw, c"message".as_ptr(), 7, msg.as_ptr());
        let file = zend_get_executed_filename();
        if !file.is_null() {
            zend_update_property_string(exception_ce, raw, c"file".as_ptr(), 4, file);
        }
        zend_update_property_long(exception_ce, raw, c"line".as_ptr(), 4, zend_get_executed_lineno() as c_long);
    }
    fill(&mut obj);
    let mut zv = Zval::new();
    // SAFETY: `into_raw` hands over the live object's only reference; the zval owns (and releases) it from here on.
    zv.set_object(unsafe { &mut *obj.into_raw() });
    PhpException::new(message, 0, ce).with_object(zv)
}
