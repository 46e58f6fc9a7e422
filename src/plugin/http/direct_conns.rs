//! The connections `http.direct` keeps: what each holds while open (its
//! socket, what it read, its permits), who owns it now (the wait set, one
//! worker, nobody), and the slab that finds one by the token the wait set reports.

use std::net::{SocketAddr, TcpStream as StdStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use rustix::net::RecvFlags;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, watch};


use super::budget::ConnMemory;
use super::counters::OpenConnection;
use super::exchange::Peer;
use super::limits::ClientConnection;
use crate::plugin::net::ConnSignal;

/// What a connection holds while it is open, whoever serves it.
pub(super) struct Keep {
    pub(super) permit: OwnedSemaphorePermit,
    pub(super) client: Option<ClientConnection>,
    pub(super) signal: watch::Receiver<ConnSignal>,
}

pub(super) const ARMED: u8 = 0;
pub(super) const BUSY: u8 = 1;
pub(super) const GONE: u8 = 2;
/// Busy, and bytes arrived meanwhile: its owner has the set report it again.
pub(super) const PENDING: u8 = 3;

/// A connection in the wait set. `state` says who owns it: the set (ARMED,
/// waiting for bytes), one worker or answer (BUSY, PENDING), nobody (GONE).
/// The set reports each arrival of bytes once, to one worker: one that finds
/// the connection busy leaves it PENDING to its owner (`Direct::release`).
pub(super) struct Conn {
    pub(super) token: u64,
    pub(super) state: AtomicU8,
    /// Milliseconds since `Direct::epoch` of its last request, for the sweep.
    pub(super) last: AtomicU64,
    /// No request yet: `http.header_timeout` applies, not `idle_timeout`.
    pub(super) fresh: AtomicBool,
    pub(super) peer: Arc<Peer>,
    pub(super) io: Mutex<Option<Io>>,
}

pub(super) struct Io {
    pub(super) stream: StdStream,
    pub(super) buf: Vec<u8>,
    pub(super) keep: Keep,
    pub(super) _open: OpenConnection,
}

impl Conn {
    pub(super) fn io(&self) -> MutexGuard<'_, Option<Io>> {
        self.io.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Connections by token: the slot index in the low 32 bits, its reuse count
/// in the high ones, so an event for a connection closed meanwhile finds nothing.
#[derive(Default)]
pub(super) struct Slab {
    pub(super) entries: Vec<(u32, Option<Arc<Conn>>)>,
    pub(super) free: Vec<u32>,
}

impl Slab {
    pub(super) fn insert(&mut self, make: impl FnOnce(u64) -> Arc<Conn>) -> Arc<Conn> {
        let i = self.free.pop().unwrap_or_else(|| {
            self.entries.push((0, None));
            (self.entries.len() - 1) as u32
        });
        let entry = &mut self.entries[i as usize];
        entry.0 = entry.0.wrapping_add(1);
        let conn = make((u64::from(entry.0) << 32 | u64::from(i)) & !(1 << 63));
        entry.1 = Some(conn.clone());
        conn
    }

    pub(super) fn get(&self, token: u64) -> Option<Arc<Conn>> {
        let (generation, conn) = self.entries.get((token & 0xffff_ffff) as usize)?;
        (u64::from(*generation) << 32 & !(1 << 63) == token & !0xffff_ffff).then(|| conn.clone()).flatten()
    }

    /// Every connection in it now.
    pub(super) fn conns(&self) -> Vec<Arc<Conn>> {
        self.entries.iter().filter_map(|(_, c)| c.clone()).collect()
    }

    pub(super) fn remove(&mut self, token: u64) {
        let i = (token & 0xffff_ffff) as u32;
        if let Some(entry) = self.entries.get_mut(i as usize)
            && entry.1.as_ref().is_some_and(|c| c.token == token)
        {
            entry.1 = None;
            self.free.push(i);
        }
    }
}

/// What a connection has waiting to be read, without reading it.
pub(super) enum Waiting {
    Bytes,
    Nothing,
    /// The client closed its side, or the connection failed.
    Gone,
}

pub(super) fn waiting(stream: &StdStream) -> Waiting {
    let mut one = [0u8; 1];
    match rustix::net::recv(stream, &mut one, RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Ok((0, _)) => Waiting::Gone,
        Ok(_) => Waiting::Bytes,
        Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => Waiting::Nothing,
        Err(_) => Waiting::Gone,
    }
}

/// The HTTP server as `http.direct` sees it: where a connection goes back
/// to hyper for good, and the response budget a connection's answers are
/// held against. A trait, so that the direct path does not import the
/// server that starts it.
pub(super) trait Hyper: Send + Sync {
    fn hand_back(self: Arc<Self>, stream: TcpStream, remote: SocketAddr, keep: Keep, read: Bytes) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;
    fn connection_memory(&self) -> Arc<ConnMemory>;
}
