//! The wrapped `sapi_module` callbacks. `sapi_module` is one process-wide
//! struct read at every call, so folk swaps its entries at module startup
//! (before any thread exists) and restores them at shutdown. Each wrapper
//! asks `context::current()`: no folk request on this thread (the main
//! php-cli thread, `Folk\Pool` workers, a classic thread between requests)
//! → php-cli's own callback, unchanged; a folk request → web behaviour.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::{Mutex, OnceLock};

use ext_php_rs::ffi::{
    ext_php_rs_process_globals, ext_php_rs_sapi_globals, php_register_variable_safe, sapi_header_op_enum, sapi_header_struct, sapi_headers_struct,
    sapi_module, zval,
};

use super::context::{self, Exchange};
use super::ffi::{self, PARSE_SERVER, SAPI_HEADER_ADD, SAPI_HEADER_SENT_SUCCESSFULLY, SUCCESS};
use super::ini;
use super::response::Head;
use crate::pool::stream::SendError;

type UbWrite = unsafe extern "C" fn(*const c_char, usize) -> usize;
type Flush = unsafe extern "C" fn(*mut c_void);
type Getenv = unsafe extern "C" fn(*const c_char, usize) -> *mut c_char;
type HeaderHandler = unsafe extern "C" fn(*mut sapi_header_struct, sapi_header_op_enum, *mut sapi_headers_struct) -> c_int;
type SendHeaders = unsafe extern "C" fn(*mut sapi_headers_struct) -> c_int;
type ReadPost = unsafe extern "C" fn(*mut c_char, usize) -> usize;
type ReadCookies = unsafe extern "C" fn() -> *mut c_char;
type RegisterVariables = unsafe extern "C" fn(*mut zval);
type Activate = unsafe extern "C" fn() -> c_int;

/// php-cli's callbacks, as found at module startup.
#[derive(Clone, Copy)]
struct Cli {
    ub_write: Option<UbWrite>,
    flush: Option<Flush>,
    getenv: Option<Getenv>,
    header_handler: Option<HeaderHandler>,
    send_headers: Option<SendHeaders>,
    read_post: Option<ReadPost>,
    read_cookies: Option<ReadCookies>,
    register_server_variables: Option<RegisterVariables>,
    activate: Option<Activate>,
}

static CLI: OnceLock<Cli> = OnceLock::new();
/// CLI output from several threads goes through one writer; the lock keeps
/// lines of different workers from interleaving mid-write.
static WRITE_LOCK: Mutex<()> = Mutex::new(());

fn cli() -> Option<&'static Cli> {
    CLI.get()
}

/// Module startup: put folk's wrappers into `sapi_module`.
pub fn install() {
    // SAFETY: module startup runs before folk starts any thread, so no one reads `sapi_module` while it changes.
    unsafe {
        let m = &raw mut sapi_module;
        CLI.get_or_init(|| Cli {
            ub_write: (*m).ub_write,
            flush: (*m).flush,
            getenv: (*m).getenv,
            header_handler: (*m).header_handler,
            send_headers: (*m).send_headers,
            read_post: (*m).read_post,
            read_cookies: (*m).read_cookies,
            register_server_variables: (*m).register_server_variables,
            activate: (*m).activate,
        });
        (*m).ub_write = Some(ub_write);
        (*m).flush = Some(flush);
        (*m).getenv = Some(getenv);
        (*m).header_handler = Some(header_handler);
        (*m).send_headers = Some(send_headers);
        (*m).read_post = Some(read_post);
        (*m).read_cookies = Some(read_cookies);
        (*m).register_server_variables = Some(register_server_variables);
        (*m).activate = Some(activate);
    }
}

/// Module shutdown: give php-cli its callbacks back.
pub fn uninstall() {
    let Some(c) = cli() else { return };
    // SAFETY: module shutdown runs after request shutdown joined every pool's workers: no other thread calls into the SAPI.
    unsafe {
        let m = &raw mut sapi_module;
        (*m).ub_write = c.ub_write;
        (*m).flush = c.flush;
        (*m).getenv = c.getenv;
        (*m).header_handler = c.header_handler;
        (*m).send_headers = c.send_headers;
        (*m).read_post = c.read_post;
        (*m).read_cookies = c.read_cookies;
        (*m).register_server_variables = c.register_server_variables;
        (*m).activate = c.activate;
    }
}

unsafe extern "C" fn ub_write(s: *const c_char, len: usize) -> usize {
    if let Some(ex) = context::current() {
        if !s.is_null() && len > 0 {
            // SAFETY: PHP passes `len` readable bytes at `s`.
            let sent = ex.write(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), len) });
            if let Err(e) = sent {
                // May not return (php-fpm's abort): nothing with a destructor is live here.
                client_gone(e, ex.options.worker);
            }
        }
        return len;
    }
    let _guard = WRITE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    match cli().and_then(|c| c.ub_write) {
        // SAFETY: PHP's own arguments, passed unchanged to the writer php-cli had installed.
        Some(f) => unsafe { f(s, len) },
        None => len,
    }
}

unsafe extern "C" fn flush(server_context: *mut c_void) {
    if context::current().is_some() {
        // flush() commits the head (headers_sent() is true after it, a later
        // header() warns, as under php-fpm), then streams it with the output so far.
        // SAFETY: inside this thread's request (a folk context is bound).
        unsafe { ffi::sapi_send_headers() };
        // Looked up again: send_headers ran PHP's header callbacks, and nothing is held across PHP calls.
        if let Some(ex) = context::current()
            && let Err(e) = ex.flush()
        {
            // May not return (php-fpm's abort): nothing with a destructor is live here.
            client_gone(e, ex.options.worker);
        }
        return;
    }
    if let Some(f) = cli().and_then(|c| c.flush) {
        // SAFETY: PHP's own argument, passed unchanged.
        unsafe { f(server_context) }
    }
}

/// The client is gone (the stream broke off, or the connection closed while
/// the output was held): as php-fpm, `php_handle_aborted_connection()` makes
/// `connection_aborted()` 1, drops later output, and unless `ignore_user_abort`
/// is set stops the script here with PHP's bailout (caught by the zend_try
/// around the script or the request shutdown step that wrote). An interrupted
/// send (exec_timeout, shutdown) only marks the connection: folk's own interrupt
/// stops the script.
///
/// In worker mode (`worker`) the handler is never stopped, as if
/// `ignore_user_abort` were set (FrankenPHP forces it in workers too): a
/// bailout there would leave the booted application half-way through
/// whatever it did and cost a worker per client that hangs up.
///
/// Called last in a SAPI callback whose frames hold nothing with a destructor,
/// because the bailout longjmps over them.
fn client_gone(e: SendError, worker: bool) {
    tracing::debug!(error = %e, "client gone; later output is dropped");
    match e {
        // SAFETY: inside this thread's open request; the longjmp skips only frames without destructors (above).
        SendError::ClientGone if !worker => unsafe { ffi::php_handle_aborted_connection() },
        // SAFETY: this thread's core globals, one field written.
        SendError::ClientGone => unsafe { (*ext_php_rs_process_globals()).connection_status |= ffi::PHP_CONNECTION_ABORTED },
        // SAFETY: this thread's core globals, one field written.
        SendError::Interrupted => unsafe { (*ext_php_rs_process_globals()).connection_status |= ffi::PHP_CONNECTION_ABORTED },
    }
}

unsafe extern "C" fn header_handler(
    header: *mut sapi_header_struct,
    op: sapi_header_op_enum,
    headers: *mut sapi_headers_struct,
) -> c_int {
    if context::current().is_some() {
        // Keep every header PHP adds (php-cli drops them all). `header` is
        // not read: on SAPI_HEADER_DELETE_ALL it is uninitialised.
        return SAPI_HEADER_ADD;
    }
    match cli().and_then(|c| c.header_handler) {
        // SAFETY: PHP's own arguments, passed unchanged.
        Some(f) => unsafe { f(header, op, headers) },
        None => SAPI_HEADER_ADD,
    }
}

unsafe extern "C" fn send_headers(headers: *mut sapi_headers_struct) -> c_int {
    if let Some(ex) = context::current() {
        // SAFETY: this thread's SAPI globals, read for one flag.
        if unsafe { (*ext_php_rs_sapi_globals()).request_info.no_headers } {
            return SAPI_HEADER_SENT_SUCCESSFULLY;
        }
        // SAFETY: PHP passes this thread's live header set; it is only read.
        if let Some(h) = unsafe { headers.as_ref() } {
            ex.set_head(capture(h));
        }
        return SAPI_HEADER_SENT_SUCCESSFULLY;
    }
    match cli().and_then(|c| c.send_headers) {
        // SAFETY: PHP's own argument, passed unchanged.
        Some(f) => unsafe { f(headers) },
        None => SAPI_HEADER_SENT_SUCCESSFULLY,
    }
}

/// The status PHP settled on (never the status line's text: FrankenPHP had
/// an out-of-bounds read parsing it) and every header line, in order.
fn capture(h: &sapi_headers_struct) -> Head {
    let mut lines: Vec<&[u8]> = Vec::with_capacity(h.headers.count);
    let mut element = h.headers.head;
    while !element.is_null() {
        // SAFETY: a zend_llist of sapi_header_struct: each element's `data` holds one inline, aligned after two pointers.
        unsafe {
            let header = &*ptr::addr_of!((*element).data).cast::<sapi_header_struct>();
            if !header.header.is_null() {
                lines.push(std::slice::from_raw_parts(header.header.cast::<u8>(), header.header_len));
            }
            element = (*element).next;
        }
    }
    Head::capture(h.http_response_code, !h.http_status_line.is_null(), lines.into_iter())
}

unsafe extern "C" fn read_post(buffer: *mut c_char, count: usize) -> usize {
    if let Some(ex) = context::current() {
        if buffer.is_null() {
            return 0;
        }
        // SAFETY: PHP passes a writable buffer of `count` bytes. The body is
        // whole (in memory or in its spool file), so the buffer is always
        // filled up to the end: a short read means EOF to sapi_read_post_block().
        return ex.read_body(unsafe { std::slice::from_raw_parts_mut(buffer.cast::<u8>(), count) });
    }
    match cli().and_then(|c| c.read_post) {
        // SAFETY: PHP's own arguments, passed unchanged.
        Some(f) => unsafe { f(buffer, count) },
        None => 0,
    }
}

unsafe extern "C" fn read_cookies() -> *mut c_char {
    if let Some(ex) = context::current() {
        // PHP copies the string before parsing it; folk frees it after the request.
        return ex.cookies().map_or(ptr::null_mut(), |c| c.as_ptr().cast_mut());
    }
    match cli().and_then(|c| c.read_cookies) {
        // SAFETY: no arguments; php-cli's own callback.
        Some(f) => unsafe { f() },
        None => ptr::null_mut(),
    }
}

unsafe extern "C" fn register_server_variables(track_vars: *mut zval) {
    if let Some(ex) = context::current() {
        register_request(ex, track_vars);
        return;
    }
    if let Some(f) = cli().and_then(|c| c.register_server_variables) {
        // SAFETY: PHP's own argument, passed unchanged.
        unsafe { f(track_vars) }
    }
}

/// `$_SERVER` of a web request: the process environment first, as php-cli
/// (and FrankenPHP) give it, so an application configured through
/// environment variables finds them; then the request's CGI variables,
/// which win. argv/argc only as PHP builds them from the query string,
/// when the user turned `register_argc_argv` on (as under php-fpm).
fn register_request(ex: &Exchange, track_vars: *mut zval) {
    if ex.options.worker {
        // SAFETY: inside a worker-mode request on this thread; `track_vars` is the $_SERVER array being built.
        unsafe { ffi::folk_worker_import_environment(track_vars) };
    } else {
        // SAFETY: php_import_environment_variables is set once at PHP startup; `track_vars` is the $_SERVER array being built.
        unsafe {
            if let Some(import) = ffi::php_import_environment_variables {
                import(track_vars);
            }
        }
    }
    for var in ex.cgi() {
        register(&var.name, var.value(), track_vars);
    }
}

/// Registers one variable through the input filter, as php-fpm does.
fn register(name: &CStr, value: &[u8], track_vars: *mut zval) {
    let mut val = value.as_ptr().cast::<c_char>().cast_mut();
    let mut len = value.len();
    // SAFETY: `input_filter` is set at module startup only; for PARSE_SERVER
    // filters read `val` (filter's keeps a copy, never frees it); `name` and
    // `value` outlive the calls; `track_vars` is the array being built.
    unsafe {
        if let Some(filter) = sapi_module.input_filter {
            let mut filtered = len;
            if filter(PARSE_SERVER as _, name.as_ptr(), &mut val, len, &mut filtered) == 0 {
                return;
            }
            len = filtered;
        }
        php_register_variable_safe(name.as_ptr(), val, len, track_vars);
    }
}

unsafe extern "C" fn getenv(name: *const c_char, len: usize) -> *mut c_char {
    if let Some(ex) = context::current() {
        if name.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: PHP passes `len` readable bytes at `name`.
        let name = unsafe { std::slice::from_raw_parts(name.cast::<u8>(), len) };
        // As php-fpm: the request's variables; NULL lets getenv() fall back to the process environment.
        return ex.getenv(name).map_or(ptr::null_mut(), |v| v.c_value().cast_mut());
    }
    match cli().and_then(|c| c.getenv) {
        // SAFETY: PHP's own arguments, passed unchanged.
        Some(f) => unsafe { f(name, len) },
        None => ptr::null_mut(),
    }
}

unsafe extern "C" fn activate() -> c_int {
    if let Some(ex) = context::current() {
        // A worker's request starts from its baseline, which has them already.
        if !ex.options.worker {
            ini::apply(&ex.options);
            super::opcache::revalidate_on_this_thread();
        }
        // A FastCGI request's PHP_VALUE wins over both.
        ini::apply_request_ini(ex.request_ini(), ex.options.worker);
        // sapi_activate() just set HTTP/1.0 (1000); php-fpm keeps it, so a
        // Location header gives 302, also after a POST (never 303).
        // SAFETY: this thread's SAPI globals, one field written.
        unsafe { (*ext_php_rs_sapi_globals()).request_info.proto_num = 1000 };
        return SUCCESS;
    }
    match cli().and_then(|c| c.activate) {
        // SAFETY: no arguments; php-cli's own callback.
        Some(f) => unsafe { f() },
        None => SUCCESS,
    }
}
