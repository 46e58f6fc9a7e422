//! The PHP-facing surface: functions, classes and exceptions. It only
//! translates between PHP and Rust; no thread or pool logic lives here.

mod info;

use ext_php_rs::prelude::*;

/// The folk version (the crate version), e.g. "0.1.0".
#[php_function]
pub fn folk_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub fn build_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(folk_version))
        .info_function(info::php_module_info)
}
