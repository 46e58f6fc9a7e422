//! Temporary files that have no name: response bytes waiting for a slow
//! client (the HTTP plugin's whole answers, a classic stream's overflow) and
//! spooled request bodies live in them, so closing the file frees its disk.
//! In the pool because both the HTTP plugin and the runtime's output stream
//! use them.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// A new read-write file under `dir` that has no name: O_TMPFILE, or where
/// the file system has none, a file created and unlinked at once.
pub fn unnamed_file(dir: &Path) -> io::Result<File> {
    match OpenOptions::new().read(true).write(true).mode(0o600).custom_flags(libc::O_TMPFILE).open(dir) {
        Ok(f) => return Ok(f),
        // No O_TMPFILE on this file system (or kernel).
        Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)) => {}
        Err(e) => return Err(e),
    }
    created_and_unlinked(dir, "folk-response-")
}

/// A new read-write file under `dir`, created as `{prefix}{pid}-{n}` and
/// unlinked at once: where O_TMPFILE is missing, and for files that a sweep
/// after a crash must recognise by name between the two steps.
pub fn created_and_unlinked(dir: &Path, prefix: &str) -> io::Result<File> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let pid = std::process::id();
    // A name can only be taken by a stale file of an earlier process with this pid.
    for _ in 0..16 {
        let path = dir.join(format!("{prefix}{pid}-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        match OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path) {
            Ok(f) => {
                std::fs::remove_file(&path)?;
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("16 names in a row under {} were taken ({prefix}{pid}-N)", dir.display())))
}
