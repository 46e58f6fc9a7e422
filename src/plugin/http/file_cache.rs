//! Small static files kept in memory between requests, as nginx's
//! `open_file_cache` keeps their descriptors: a hit costs one `stat(2)`
//! instead of `open`, `fstat`, `read` and `close`. Unlike nginx's (valid 60 s
//! by default), every hit is checked against the file as it is now: its
//! device, inode, size, and modification and change times must be those of
//! the bytes kept, so an edited or replaced file is read again at once.
//!
//! Bounded: files up to `MAX_FILE`, `MAX_TOTAL` in all; once full it starts
//! over (a site's hot files come back within a request each).

use std::collections::HashMap;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;

/// The largest file kept.
pub(super) const MAX_FILE: u64 = 64 << 10;
/// The most kept in all.
const MAX_TOTAL: usize = 16 << 20;

/// A file as `stat` sees it: the same key, the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Key {
    fn of(meta: &Metadata) -> Key {
        Key {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct FileCache {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_path: HashMap<PathBuf, (Key, Bytes)>,
    bytes: usize,
}

impl FileCache {
    /// The file's metadata now, with its bytes if they are kept and still its own.
    pub(super) fn get(&self, path: &Path) -> io::Result<(Metadata, Option<Bytes>)> {
        let meta = fs::metadata(path)?;
        if !meta.is_file() || meta.size() > MAX_FILE {
            return Ok((meta, None));
        }
        let key = Key::of(&meta);
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let data = entries.by_path.get(path).filter(|(k, _)| *k == key).map(|(_, data)| data.clone());
        Ok((meta, data))
    }

    /// Keeps `data`, the whole of the file `meta` describes (read after it
    /// was taken from the open file), if it is small enough.
    pub(super) fn put(&self, path: &Path, meta: &Metadata, data: &Bytes) {
        if meta.size() > MAX_FILE || data.len() as u64 != meta.size() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.bytes + data.len() > MAX_TOTAL {
            entries.by_path.clear();
            entries.bytes = 0;
        }
        entries.bytes += data.len();
        if let Some((_, old)) = entries.by_path.insert(path.to_path_buf(), (Key::of(meta), data.clone())) {
            entries.bytes -= old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn temp_file(name: &str, body: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("folk-file-cache-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.txt");
        fs::write(&path, body).unwrap();
        path
    }

    #[test]
    fn a_kept_file_is_served_until_it_changes_even_at_the_same_size_and_mtime() {
        let cache = FileCache::default();
        let path = temp_file("change", b"first");
        let (meta, data) = cache.get(&path).unwrap();
        assert!(data.is_none(), "nothing kept yet");
        cache.put(&path, &meta, &Bytes::from_static(b"first"));
        assert_eq!(cache.get(&path).unwrap().1.as_deref(), Some(&b"first"[..]));
        // Same size, and the modification time set back to what it was: the change time still moves.
        let mtime = meta.modified().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        fs::write(&path, b"other").unwrap();
        fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        assert!(cache.get(&path).unwrap().1.is_none(), "an edited file is read again");
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_replaced_file_is_read_again_and_large_ones_are_never_kept() {
        let cache = FileCache::default();
        let path = temp_file("replace", b"one");
        let (meta, _) = cache.get(&path).unwrap();
        cache.put(&path, &meta, &Bytes::from_static(b"one"));
        let other = path.with_file_name("g.txt");
        fs::write(&other, b"two").unwrap();
        fs::rename(&other, &path).unwrap();
        assert!(cache.get(&path).unwrap().1.is_none(), "another inode");

        let big = vec![b'x'; MAX_FILE as usize + 1];
        fs::write(&path, &big).unwrap();
        let (meta, _) = cache.get(&path).unwrap();
        cache.put(&path, &meta, &Bytes::from(big));
        assert!(cache.get(&path).unwrap().1.is_none());
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
