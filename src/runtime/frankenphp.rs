//! FrankenPHP's worker API on folk's web workers (`http.frankenphp_compat`):
//! worker scripts written for FrankenPHP (Laravel Octane's FrankenPHP
//! worker, Symfony ≥ 7.4's runner) check `$_SERVER['FRANKENPHP_WORKER']` at
//! boot and loop on `frankenphp_handle_request()`. Both are defined in the
//! worker thread's own PHP request before its script runs, as plain PHP: the
//! functions live and die with that request, and no other thread (php-cli's
//! main thread, `Folk\Pool` workers) ever sees them.

/// What a FrankenPHP worker script expects to exist when it boots.
const PRELUDE: &str = r#"
$_SERVER['FRANKENPHP_WORKER'] = '1';
if (!function_exists('frankenphp_handle_request')) {
    function frankenphp_handle_request(callable $callback): bool { return \Folk\Worker::handleRequest($callback); }
}
if (!function_exists('frankenphp_finish_request')) {
    function frankenphp_finish_request(): bool { return fastcgi_finish_request(); }
}
"#;

/// Defines the API on this worker thread. Call inside its open request and
/// a zend_try, before the worker script; false if PHP refused the code.
pub fn define() -> bool {
    super::php::eval(PRELUDE, c"folk frankenphp compatibility")
}
