//! The functions php-fpm gives web requests, for code written against it:
//! `fastcgi_finish_request()`, `getallheaders()`, `apache_request_headers()`.
//! They act only in a folk classic request; elsewhere they do nothing.

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

use crate::bridge::zval::to_zval;
use crate::bridge::{Key, Value};
use crate::runtime::sapi;

/// Sends the response now; the script keeps running and its later output is
/// dropped. False outside a folk request, or if already called.
#[php_function]
pub fn fastcgi_finish_request() -> bool {
    sapi::finish_request()
}

/// This request's headers, name => value (Title-Case names).
#[php_function]
pub fn getallheaders() -> Zval {
    headers()
}

/// Alias of getallheaders().
#[php_function]
pub fn apache_request_headers() -> Zval {
    headers()
}

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(fastcgi_finish_request))
        .function(wrap_function!(getallheaders))
        .function(wrap_function!(apache_request_headers))
}

fn headers() -> Zval {
    let entries = sapi::request_headers().into_iter().map(|(name, value)| (Key::Str(name.into_bytes()), Value::Str(value)));
    to_zval(&Value::Map(entries.collect()))
}
