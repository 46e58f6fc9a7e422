//! folk: a PHP application server shipped as a PHP extension.
//!
//! This file only lists the modules and assembles the one `#[php_module]`;
//! everything PHP can see is declared in `api`.

#![cfg_attr(windows, feature(abi_vectorcall))]

mod api;
mod bridge;
mod config;
mod error;
mod logging;
mod plugin;
mod pool;
mod runtime;
mod server;

use ext_php_rs::prelude::*;

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    api::build_module(module)
}

// Requests are allocated on an I/O thread and freed on a worker thread (and
// the answers the other way round); glibc malloc serializes those frees on
// the arena lock, mimalloc hands them back without one.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
