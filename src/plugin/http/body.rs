//! A request body taken as nginx takes one: at most `http.body_buffer` bytes
//! stay in memory (nginx's `client_body_buffer_size`); a larger body is
//! written to a temporary file as it arrives, so a burst of large uploads
//! costs disk instead of memory, and a queued request holds a file, not its
//! body (`pool::spool` carries it to PHP). `http.max_body_size` (413) and the
//! idle clock (408) apply to what arrives, whatever `Content-Length` said.
//!
//! The files are `folk-body-<pid>-<n>` in PHP's upload directory, unlinked
//! the moment they are made (as nginx does with its client body files): the
//! disk is freed when the last descriptor closes, however the request or the
//! process ends. Only a crash between the two calls leaves one behind, and
//! `sweep` removes those of processes no longer alive at every start.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::StatusCode;
use hyper::body::Body;

use super::disk::DiskThreads;
use crate::pool::spool::Spooled;

/// The name every spool file starts with, then `<pid>-<n>`.
const PREFIX: &str = "folk-body-";

/// How a request body is received.
#[derive(Clone)]
pub(crate) struct BodyRules {
    /// `http.max_body_size`: more gets 413.
    pub(crate) max: u64,
    /// `http.body_buffer`: more goes to a file.
    pub(crate) buffer: u64,
    /// `http.idle_timeout`: an upload that sends nothing this long gets 408.
    pub(crate) idle: Duration,
    /// Where the files go (PHP's `upload_tmp_dir`, else its temporary directory).
    pub(crate) dir: PathBuf,
    /// Who writes them.
    pub(crate) disk: Arc<DiskThreads>,
}

/// A whole request body.
#[derive(Debug)]
pub(crate) enum Received {
    Memory(Vec<u8>),
    Spooled(Spooled),
}

/// Reads the whole body: 413 past `max` (chunked and h2 bodies have no length
/// up front, and a client may send other than it announced), 408 when no byte
/// arrives for `idle` (a stalled upload must not hold the connection forever),
/// 400 when the client breaks off, 500 when the file cannot be written.
pub(crate) async fn read_body<B>(body: B, rules: &BodyRules) -> Result<Received, StatusCode>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let announced = body.size_hint().lower();
    let mut body = Limited::new(body, usize::try_from(rules.max).unwrap_or(usize::MAX));
    let mut memory = Vec::with_capacity(if announced > rules.buffer { 0 } else { announced as usize });
    let mut file: Option<Arc<File>> = None;
    let mut len: u64 = 0;
    loop {
        let frame = match tokio::time::timeout(rules.idle, body.frame()).await {
            Err(_) => return Err(StatusCode::REQUEST_TIMEOUT),
            Ok(None) => break,
            Ok(Some(Ok(frame))) => frame,
            Ok(Some(Err(e))) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(StatusCode::PAYLOAD_TOO_LARGE),
            Ok(Some(Err(_))) => return Err(StatusCode::BAD_REQUEST),
        };
        let Ok(data) = frame.into_data() else { continue };
        len += data.len() as u64;
        if file.is_none() && len <= rules.buffer {
            memory.extend_from_slice(&data);
            continue;
        }
        let f = match &file {
            Some(f) => f.clone(),
            None => {
                let dir = rules.dir.clone();
                let f = Arc::new(rules.disk.run(move || create(&dir)).await.map_err(|e| cannot_spool(&rules.dir, &e))?);
                file.insert(f).clone()
            }
        };
        let held = Bytes::from(std::mem::take(&mut memory));
        // The buffers come back to be freed here, on the thread that allocated them.
        let written = rules
            .disk
            .run(move || {
                let mut w = &*f;
                w.write_all(&held)?;
                w.write_all(&data)?;
                Ok((held, data))
            })
            .await
            .map_err(|e| cannot_spool(&rules.dir, &e))?;
        drop(written);
    }
    let Some(file) = file else { return Ok(Received::Memory(memory)) };
    // Every write was awaited, and a disk thread drops its task before it answers: this is the last holder.
    let file = Arc::try_unwrap(file).map_err(|_| cannot_spool(&rules.dir, &io::Error::other("the file is still being written")))?;
    Ok(Received::Spooled(Spooled::new(file, len)))
}

fn cannot_spool(dir: &Path, e: &io::Error) -> StatusCode {
    tracing::error!(dir = %dir.display(), error = %e, "cannot write a request body to a temporary file; answered 500");
    StatusCode::INTERNAL_SERVER_ERROR
}

/// A new spool file in `dir`, open for reading and writing, already without a name.
fn create(dir: &Path) -> io::Result<File> {
    crate::pool::tempfile::created_and_unlinked(dir, PREFIX)
}

/// Removes the spool files in `dir` that a process no longer alive left
/// behind (a crash between creating one and unlinking it); returns how many.
/// Another live folk's files, and this process's, are left alone.
pub(crate) fn sweep(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let me = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(owner) else { continue };
        if pid == me || alive(pid) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed += 1,
            Err(e) => tracing::debug!(file = %entry.path().display(), error = %e, "cannot remove a stale request body file"),
        }
    }
    removed
}

/// The pid in a spool file's name, if it is one.
fn owner(name: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(PREFIX)?.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

fn alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use http_body_util::Full;
    use hyper::body::Frame;

    use super::*;

    fn rules(max: u64, buffer: u64, dir: &Path) -> BodyRules {
        BodyRules { max, buffer, idle: Duration::from_secs(1), dir: dir.to_path_buf(), disk: DiskThreads::new(1) }
    }

    /// A fresh directory of its own under the system temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("folk-body-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    /// The body in `chunks`, as a client sends it frame by frame.
    fn chunked(chunks: Vec<&'static [u8]>) -> Chunks {
        Chunks(chunks.into())
    }

    struct Chunks(std::collections::VecDeque<&'static [u8]>);

    impl Body for Chunks {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Ready(self.0.pop_front().map(|c| Ok(Frame::data(Bytes::from_static(c)))))
        }
    }

    /// A body whose client sends nothing more.
    struct Stalled;

    impl Body for Stalled {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Pending
        }
    }

    fn memory(r: Result<Received, StatusCode>) -> Result<Vec<u8>, StatusCode> {
        match r? {
            Received::Memory(b) => Ok(b),
            Received::Spooled(s) => panic!("spooled {} bytes", s.len()),
        }
    }

    #[test]
    fn a_body_past_max_body_size_gets_413_and_a_stalled_one_408() {
        let dir = scratch("limits");
        let rt = rt();
        let read = |body: &'static str, max| rt.block_on(read_body(Full::new(Bytes::from(body)), &rules(max, 1 << 20, &dir)));
        assert_eq!(memory(read("hello", 5)), Ok(b"hello".to_vec()), "exactly at the limit is fine");
        assert_eq!(memory(read("", 0)), Ok(Vec::new()));
        assert_eq!(read("hello", 4).unwrap_err(), StatusCode::PAYLOAD_TOO_LARGE);
        let stalled = rt.block_on(read_body(Stalled, &BodyRules { idle: Duration::from_millis(20), ..rules(5, 5, &dir) }));
        assert_eq!(stalled.unwrap_err(), StatusCode::REQUEST_TIMEOUT);
    }

    #[test]
    fn a_body_up_to_the_buffer_stays_in_memory_and_a_larger_one_goes_to_a_file_without_a_name() {
        let dir = scratch("spool");
        let rt = rt();
        let small = rt.block_on(read_body(chunked(vec![b"0123", b"4567"]), &rules(100, 8, &dir)));
        assert_eq!(memory(small), Ok(b"01234567".to_vec()), "exactly at body_buffer stays in memory");

        let large = rt.block_on(read_body(chunked(vec![b"0123", b"4567", b"89"]), &rules(100, 8, &dir))).unwrap();
        let Received::Spooled(s) = large else { panic!("kept in memory: {large:?}") };
        assert_eq!((s.len(), s.read_all().unwrap()), (10, b"0123456789".to_vec()));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the file is unlinked as soon as it is made");

        // Past max while spooling: 413, and the file goes with it.
        let over = rt.block_on(read_body(chunked(vec![b"0123", b"4567", b"89", b"ab"]), &rules(11, 4, &dir)));
        assert_eq!(over.unwrap_err(), StatusCode::PAYLOAD_TOO_LARGE);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_that_cannot_take_the_file_answers_500() {
        let missing = std::env::temp_dir().join(format!("folk-body-test-{}-missing/none", std::process::id()));
        let r = rt().block_on(read_body(chunked(vec![b"0123456789"]), &rules(100, 4, &missing)));
        assert_eq!(r.unwrap_err(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn the_sweep_removes_files_of_dead_processes_only() {
        let dir = scratch("sweep");
        // A pid above the kernel's pid_max (at most 2^22) is never alive.
        let dead = format!("{PREFIX}{}-7", (1u32 << 22) + 5);
        let live = format!("{PREFIX}1-7"); // init
        let mine = format!("{PREFIX}{}-7", std::process::id());
        for name in [&dead, &live, &mine, &"folk-body-notes.txt".to_string(), &"php1234".to_string()] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        assert_eq!(sweep(&dir), 1);
        let mut left: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        let mut want = vec![live, mine, "folk-body-notes.txt".to_string(), "php1234".to_string()];
        want.sort();
        assert_eq!(left, want);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
