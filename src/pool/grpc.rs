//! What a gRPC call's job looks like between the gRPC plugin that makes it
//! and the runtime that runs it on a worker (each reads the other's side
//! only through these): the job's method, and how a server stream's chunks
//! are tagged. It lives in the pool, beside `stream`, because both use it.

/// The method of a gRPC call's job.
pub const GRPC_JOB: &str = "grpc";

/// A streamed chunk starts with one of these: a reply message follows, or
/// the status that ends the stream (one byte of code, then its message).
/// The stream carries whole chunks (the worker sends with `Sink::data` only,
/// which never spills to the overflow file).
pub const CHUNK_MESSAGE: u8 = b'M';
pub const CHUNK_STATUS: u8 = b'S';
