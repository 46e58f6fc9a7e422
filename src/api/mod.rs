//! The PHP-facing surface: functions, classes and exceptions. It only
//! translates between PHP and Rust; no thread or pool logic lives here.

pub mod exceptions;
mod http;
mod info;
mod ini;
mod jobs;
mod metrics_api;
mod pool;
mod server;
mod web;
mod worker;

use ext_php_rs::prelude::*;

/// The folk version (the crate version), e.g. "0.1.0".
#[php_function]
pub fn folk_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Module startup, in this order; shutdown undoes it in reverse. The three
/// callbacks are plain `extern "C"` fns: the raw engine calls they make are
/// behind `runtime`'s safe functions.
extern "C" fn startup(_ty: i32, module: i32) -> i32 {
    ini::register(module);
    crate::logging::init();
    crate::runtime::sapi::install();
    crate::runtime::serve::install_interrupt_hook(exceptions::throw_timeout);
    crate::bridge::zval::convert_natively(http::native_value);
    0
}

extern "C" fn shutdown(_ty: i32, _module: i32) -> i32 {
    crate::runtime::serve::remove_interrupt_hook();
    crate::runtime::sapi::uninstall();
    0
}

/// Request shutdown (every thread's): join the workers of pools this thread
/// opened, before PHP frees anything they might use.
extern "C" fn request_shutdown(_ty: i32, _module: i32) -> i32 {
    pool::close_thread_pools();
    0
}

pub fn build_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = web::register(exceptions::register(module));
    module
        .class::<worker::Worker>()
        .class::<pool::PhpPool>()
        .class::<pool::Future>()
        .class::<server::Server>()
        .class::<http::Response>()
        .class::<jobs::Jobs>()
        .class::<metrics_api::Metrics>()
        .function(wrap_function!(folk_version))
        .startup_function(startup)
        .shutdown_function(shutdown)
        .request_shutdown_function(request_shutdown)
        .info_function(info::php_module_info)
}
