//! The SAPI-layer symbols ext-php-rs does not bind (they sit in headers its
//! bindings leave out); the `php` binary exports them. Values of C macros
//! are copied from php-src 8.2 (main/SAPI.h, main/php_variables.h, Zend/zend_ini.h).

use std::ffi::{c_char, c_int};

use ext_php_rs::ffi::{zend_string, zval};

/// `header_handler` result: keep the header in `SG(sapi_headers)`.
pub const SAPI_HEADER_ADD: c_int = 1 << 0;
pub const SAPI_HEADER_SENT_SUCCESSFULLY: c_int = 1;
/// The `input_filter` argument for `$_SERVER` variables.
pub const PARSE_SERVER: c_int = 5;
pub const ZEND_INI_STAGE_RUNTIME: c_int = 1 << 4;
pub const SUCCESS: c_int = 0;
/// `PG(connection_status)`'s bit for a client that went away (main/php.h).
pub const PHP_CONNECTION_ABORTED: i16 = 1;

/// `zend_constant` (Zend/zend_constants.h): the value, its flags in `value.u2`, then the name.
#[repr(C)]
pub struct ZendConstant {
    pub value: zval,
    pub name: *mut zend_string,
}

unsafe extern "C" {
    pub fn sapi_send_headers() -> c_int;
    pub fn php_output_write(str: *const c_char, len: usize) -> usize;
    /// main/main.c: marks the connection aborted, disables output and, unless
    /// `ignore_user_abort` is set, bails out (longjmps to the innermost zend_try).
    pub fn php_handle_aborted_connection();
    pub fn php_handle_auth_data(auth: *const c_char) -> c_int;
    /// main/php_open_temporary_file.c: `sys_temp_dir`, else `TMPDIR`, else /tmp
    /// (computed once, then cached in the process's globals).
    pub fn php_get_temporary_directory() -> *const c_char;
    pub fn zend_alter_ini_entry_chars(
        name: *mut zend_string,
        value: *const c_char,
        value_length: usize,
        modify_type: c_int,
        stage: c_int,
    ) -> c_int;
    /// Worker mode's importer: the environment imported once per worker, copied per request (worker_request.c).
    pub fn folk_worker_import_environment(track_vars: *mut zval);
    /// The environment importer `register_server_variables` starts with (php-cli's, unreplaced).
    pub static mut php_import_environment_variables: Option<unsafe extern "C" fn(array: *mut zval)>;
}
