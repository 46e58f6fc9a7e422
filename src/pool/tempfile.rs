//! Temporary files that have no name: response bytes waiting for a slow
//! client (the HTTP plugin's whole answers, a classic stream's overflow) live
//! in them, so closing the file frees its disk whatever happens to the
//! process, and no sweep is needed. In the pool because both the HTTP plugin
//! and the runtime's output stream use them.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// A new read-write file under `dir` that has no name: O_TMPFILE, or where
/// the file system has none, a file created and unlinked at once.
pub fn unnamed_file(dir: &Path) -> io::Result<File> {
    let open = || {
        let mut o = OpenOptions::new();
        o.read(true).write(true).mode(0o600);
        o
    };
    match open().custom_flags(libc::O_TMPFILE).open(dir) {
        Ok(f) => return Ok(f),
        // No O_TMPFILE on this file system (or kernel).
        Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)) => {}
        Err(e) => return Err(e),
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    for _ in 0..16 {
        let path = dir.join(format!("folk-response-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        match open().create_new(true).open(&path) {
            Ok(f) => {
                std::fs::remove_file(&path)?;
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free name for a temporary file"))
}
