//! A request body too large to keep in memory travels beside its job as an
//! open temporary file. The pool's `Value` cannot carry a file, so the HTTP
//! side parks it here under an id the payload names (`SPOOL_KEY`), and the
//! PHP thread claims it when it takes the job: a queued request holds a file
//! descriptor, not its body. It lives in the pool, beside `stream`, because
//! both the HTTP plugin and the runtime use it.
//!
//! Who closes the file: the HTTP side's `Ticket` while the file is unclaimed
//! (the request answered, its client gone, its job dropped from the queue),
//! else the request that claimed it, when it ends however it ends. The file
//! has no name by then (unlinked when it was made), so closing it frees its disk.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::bridge::{Key, Value};

/// The payload key that names a request's spooled body; `body` is then empty.
pub const SPOOL_KEY: &str = "body_spool";

/// A whole request body, written to a temporary file.
#[derive(Debug)]
pub struct Spooled {
    file: File,
    len: u64,
}

impl Spooled {
    /// `file` holds the body's `len` bytes from offset 0 and is open for reading.
    pub fn new(file: File, len: u64) -> Self {
        Spooled { file, len }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// Copies the bytes at `offset` into `buf`: all of `buf` unless the body
    /// ends first (a short count means the end, as PHP's `read_post` takes it).
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let want = usize::try_from(self.len.saturating_sub(offset)).unwrap_or(usize::MAX).min(buf.len());
        let mut done = 0;
        // Each pass reads at least one byte or returns: at most `want` passes.
        while done < want {
            match self.file.read_at(&mut buf[done..want], offset + done as u64) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the spooled body is shorter than it was written")),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// The whole body in memory (for `Folk\Worker::serve()`, whose handler gets it as a string).
    pub fn read_all(&self) -> io::Result<Vec<u8>> {
        let len = usize::try_from(self.len).map_err(|_| io::Error::other("the spooled body does not fit in memory"))?;
        let mut out = vec![0; len];
        self.read_at(0, &mut out)?;
        Ok(out)
    }
}

static NEXT: AtomicU64 = AtomicU64::new(1);
static WAITING: Mutex<Option<HashMap<u64, Spooled>>> = Mutex::new(None);

fn waiting<R>(f: impl FnOnce(&mut HashMap<u64, Spooled>) -> R) -> R {
    let mut guard = WAITING.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// The HTTP side's hold on a body it parked: dropping it closes a file the
/// PHP side never claimed (the job never ran, or the request ended first).
#[derive(Debug)]
pub struct Ticket(u64);

impl Ticket {
    /// The id the payload's `SPOOL_KEY` carries.
    pub fn id(&self) -> u64 {
        self.0
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        // Taken out under the lock, closed after it.
        drop(waiting(|w| w.remove(&self.0)));
    }
}

/// Parks a spooled body for one request's job.
pub fn offer(body: Spooled) -> Ticket {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    waiting(|w| w.insert(id, body));
    Ticket(id)
}

/// The PHP side takes the body the payload named; None if the HTTP side
/// withdrew it (the client left while the job was being taken).
pub fn claim(id: u64) -> Option<Spooled> {
    waiting(|w| w.remove(&id))
}

/// For a handler that gets the payload as a PHP array (`serve()`): the
/// spooled body is read into `body` and `SPOOL_KEY` removed, so the handler
/// sees the same payload as for a body kept in memory. Done when a worker
/// has taken the job, so a queued request never holds its body in memory.
pub fn inline(payload: &mut Value) -> io::Result<()> {
    let Value::Map(entries) = payload else { return Ok(()) };
    let Some(at) = entries.iter().position(|(k, _)| matches!(k, Key::Str(k) if k == SPOOL_KEY.as_bytes())) else {
        return Ok(());
    };
    let (_, id) = entries.remove(at);
    let body = match id {
        Value::Int(id) => match u64::try_from(id).ok().and_then(claim) {
            Some(spooled) => spooled.read_all()?,
            None => Vec::new(),
        },
        _ => return Ok(()),
    };
    match entries.iter_mut().find(|(k, _)| matches!(k, Key::Str(k) if k == b"body")) {
        Some((_, v)) => *v = Value::Str(body),
        None => entries.push((Key::str("body"), Value::Str(body))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn spooled(bytes: &[u8]) -> Spooled {
        let mut f = tempfile();
        f.write_all(bytes).unwrap();
        Spooled::new(f, bytes.len() as u64)
    }

    /// An unnamed file in the system temp dir.
    fn tempfile() -> File {
        let path = std::env::temp_dir().join(format!("folk-spool-test-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        let f = File::options().read(true).write(true).create_new(true).open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        f
    }

    #[test]
    fn a_spooled_body_is_read_in_full_blocks_then_a_short_one() {
        let s = spooled(b"0123456789");
        let mut buf = [0u8; 4];
        assert_eq!(s.read_at(0, &mut buf).unwrap(), 4);
        assert_eq!(&buf, b"0123");
        assert_eq!(s.read_at(8, &mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], b"89");
        assert_eq!(s.read_at(10, &mut buf).unwrap(), 0);
        assert_eq!(s.read_at(99, &mut buf).unwrap(), 0);
        assert_eq!(s.read_all().unwrap(), b"0123456789");
    }

    #[test]
    fn a_claimed_body_is_claimed_once_and_a_dropped_ticket_withdraws_it() {
        let ticket = offer(spooled(b"abc"));
        assert_eq!(claim(ticket.id()).unwrap().read_all().unwrap(), b"abc");
        assert!(claim(ticket.id()).is_none(), "claimed once");

        let ticket = offer(spooled(b"abc"));
        let id = ticket.id();
        drop(ticket);
        assert!(claim(id).is_none(), "withdrawn with its ticket");
    }

    #[test]
    fn inline_puts_the_spooled_body_into_the_payload_as_bytes() {
        let ticket = offer(spooled(b"large body"));
        let mut payload = Value::Map(vec![
            (Key::str("method"), Value::str("POST")),
            (Key::str("body"), Value::str("")),
            (Key::str(SPOOL_KEY), Value::Int(ticket.id() as i64)),
        ]);
        inline(&mut payload).unwrap();
        assert_eq!(
            payload,
            Value::Map(vec![(Key::str("method"), Value::str("POST")), (Key::str("body"), Value::str("large body"))])
        );

        let mut untouched = Value::Map(vec![(Key::str("body"), Value::str("small"))]);
        inline(&mut untouched).unwrap();
        assert_eq!(untouched, Value::Map(vec![(Key::str("body"), Value::str("small"))]));
    }
}
