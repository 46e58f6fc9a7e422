//! `http.response_buffer` and `http.response_buffer_total`: how many bytes of
//! whole responses (a handler's answer, a classic page that never streamed, a
//! small static file, a compressed body) may wait in memory for their clients,
//! per connection and in the whole server. A response that would go over is
//! written to a temporary file that has no name (unlinked at once) and sent
//! from there slice by slice as the client takes it, as nginx spills a
//! FastCGI answer past its buffers to a temp file: clients that read nothing
//! cost disk, never memory, and the worker that answered is free either way.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

use super::any_body::AnyBody;
use super::send_clock::SLICE;
use super::file_body::{FileBody, FileStream};
use crate::pool::tempfile::unnamed_file;

/// A limit and what is held against it.
struct Pot {
    limit: usize,
    held: AtomicUsize,
}

impl Pot {
    fn new(limit: usize) -> Self {
        Pot { limit, held: AtomicUsize::new(0) }
    }

    fn take(&self, n: usize) -> bool {
        self.held.fetch_update(Ordering::AcqRel, Ordering::Acquire, |h| h.checked_add(n).filter(|t| *t <= self.limit)).is_ok()
    }

    fn give(&self, n: usize) {
        self.held.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The server's side: the total, and what each new connection may hold.
pub(super) struct ResponseMemory {
    total: Arc<Pot>,
    per_connection: usize,
}

impl ResponseMemory {
    pub(super) fn new(per_connection: u64, total: u64) -> Self {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        ResponseMemory { total: Arc::new(Pot::new(size(total))), per_connection: size(per_connection) }
    }

    /// The budget of one new connection.
    pub(super) fn connection(&self) -> Arc<ConnMemory> {
        Arc::new(ConnMemory { own: Pot::new(self.per_connection), total: self.total.clone() })
    }

    /// Bytes held in memory right now, server-wide.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.total.held.load(Ordering::Acquire)
    }
}

/// One connection's budget.
pub(super) struct ConnMemory {
    own: Pot,
    total: Arc<Pot>,
}

impl ConnMemory {
    /// Room for `n` bytes in this connection's and the server's budget, held
    /// until the `Held` is dropped; None when either is full. Up to one
    /// `SLICE` is always granted and not counted: a response that waits holds
    /// that much in hyper however it is stored.
    pub(super) fn hold(self: &Arc<Self>, n: usize) -> Option<Held> {
        if n <= SLICE {
            return Some(Held { memory: None, n: 0 });
        }
        if !self.own.take(n) {
            return None;
        }
        if !self.total.take(n) {
            self.own.give(n);
            return None;
        }
        Some(Held { memory: Some(self.clone()), n })
    }
}

/// Room held in a budget, given back when dropped.
pub(super) struct Held {
    memory: Option<Arc<ConnMemory>>,
    n: usize,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(m) = &self.memory {
            m.own.give(self.n);
            m.total.give(self.n);
        }
    }
}

/// Bytes that keep their room held until the last slice of them is gone
/// (hyper, or h2 waiting for the client's window, may hold slices after the body ended).
pub(super) fn kept(data: Bytes, held: Held) -> Bytes {
    struct Kept(Bytes, #[allow(dead_code)] Held);
    impl AsRef<[u8]> for Kept {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
    Bytes::from_owner(Kept(data, held))
}

/// The response, its whole body (`AnyBody::Whole`) settled: kept in memory
/// (`AnyBody::Full`) if the connection's and the server's budgets have room,
/// else spooled to an unnamed temporary file and sent from there. Runs on the
/// thread that made the answer (a PHP worker: see `Requests::run_php`), so a
/// burst of large answers waits for the disk there. A HEAD answer's body is
/// never sent: it is neither counted nor spooled. A body that cannot be
/// spooled (the disk is full) stays in memory, with a warning.
pub(super) fn settle(resp: Response<AnyBody>, memory: &Arc<ConnMemory>, head: bool) -> Response<AnyBody> {
    let (parts, body) = resp.into_parts();
    let AnyBody::Whole(Some(data)) = body else { return Response::from_parts(parts, body) };
    let full = |data| AnyBody::Full(Full::new(data));
    if head || data.len() <= SLICE {
        // Never sent (HEAD), or too small to count (see `ConnMemory::hold`).
        return Response::from_parts(parts, full(data));
    }
    if let Some(held) = memory.hold(data.len()) {
        return Response::from_parts(parts, full(kept(data, held)));
    }
    let body = match spool(&std::env::temp_dir(), &data) {
        Ok(file) => AnyBody::File(FileBody::Stream(FileStream::spooled(file, data.len() as u64))),
        Err(e) => {
            if spool_warning() {
                tracing::warn!(
                    dir = %std::env::temp_dir().display(),
                    error = %e,
                    "cannot spool a response past http.response_buffer to a temporary file; keeping it in memory"
                );
            }
            full(data)
        }
    };
    Response::from_parts(parts, body)
}

/// `data` in a new temporary file under `dir` that has no name: O_TMPFILE, or
/// where the file system has none, a file created and unlinked at once.
pub(super) fn spool(dir: &Path, data: &[u8]) -> io::Result<File> {
    let mut file = unnamed_file(dir)?;
    file.write_all(data)?;
    Ok(file)
}

/// At most one spooling warning per second.
fn spool_warning() -> bool {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    LAST.swap(now, Ordering::Relaxed) != now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_held_per_connection_and_in_total_until_dropped() {
        let server = ResponseMemory::new(100 << 10, 150 << 10);
        let (a, b) = (server.connection(), server.connection());
        let first = a.hold(60 << 10).expect("within both");
        assert!(a.hold(60 << 10).is_none(), "over the connection's 100K");
        let second = b.hold(60 << 10).expect("b has its own 100K");
        assert!(b.hold(40 << 10).is_none(), "within b's 100K but over the 150K total");
        assert_eq!(server.held(), 120 << 10);
        drop(first);
        assert!(b.hold(30 << 10).is_some(), "the total has room again");
        drop(second);
        assert_eq!(server.held(), 0);
        let small: Vec<_> = (0..100).map(|_| a.hold(SLICE).unwrap()).collect();
        assert_eq!((small.len(), server.held()), (100, 0), "one slice is never counted");
    }

    #[test]
    fn kept_bytes_give_their_room_back_with_their_last_slice() {
        let server = ResponseMemory::new(1 << 20, 1 << 20);
        let conn = server.connection();
        let mut data = kept(Bytes::from(vec![7u8; 100 << 10]), conn.hold(100 << 10).unwrap());
        let head = data.split_to(SLICE);
        drop(data);
        assert_eq!(server.held(), 100 << 10, "a slice still holds the whole");
        drop(head);
        assert_eq!(server.held(), 0);
    }

    #[test]
    fn a_spooled_body_has_no_name_and_reads_back_whole() {
        let dir = std::env::temp_dir().join(format!("folk-spool-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let file = spool(&dir, &data).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing left under a name");
        use std::os::unix::fs::FileExt;
        let mut back = vec![0u8; data.len()];
        file.read_exact_at(&mut back, 0).unwrap();
        assert_eq!(back, data);
        std::fs::remove_dir(&dir).unwrap();
    }
}
