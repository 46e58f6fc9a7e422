//! folk: a PHP application server shipped as a PHP extension.
//!
//! This file only lists the modules and assembles the one `#[php_module]`;
//! everything PHP can see is declared in `api`.

#![cfg_attr(windows, feature(abi_vectorcall))]

pub mod api;
pub mod bridge;
pub mod config;
pub mod error;
pub mod logging;
pub mod plugin;
pub mod pool;
pub mod runtime;
pub mod server;

use ext_php_rs::prelude::*;

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    api::build_module(module)
}
