//! The gRPC plugin: PHP handlers behind a gRPC listener, with the services
//! folk answers itself (health, reflection) and the optional `.proto` catalog.

pub mod builtins;
pub mod catalog;
mod health;
