//! The threads that write request bodies to their spool files, so the IO
//! threads never wait on a disk. A fixed few, owned by one HTTP server and
//! gone with it: tokio's `spawn_blocking` would start a thread per upload in
//! flight (a hundred uploads, a hundred threads, each with its stack and
//! allocator heap), which is what spooling is meant to save.
//!
//! They start with the first body to spool, from an IO thread, so they
//! inherit its signal mask: every asynchronous signal blocked, as on all of
//! folk's threads (signals belong to the main PHP thread).

use std::io;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Task = Box<dyn FnOnce() + Send>;

pub(crate) struct DiskThreads {
    count: usize,
    /// None until the first task (or after the threads could not start: tried again).
    tx: Mutex<Option<mpsc::Sender<Task>>>,
}

impl DiskThreads {
    /// `count` threads named `folk-disk`, started on first use; each ends once this is dropped.
    pub(crate) fn new(count: usize) -> Arc<Self> {
        Arc::new(DiskThreads { count: count.max(1), tx: Mutex::new(None) })
    }

    /// Runs `work` on one of the threads and waits for its result.
    pub(super) async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> io::Result<T> + Send + 'static) -> io::Result<T> {
        let (done, result) = oneshot::channel();
        let task: Task = Box::new(move || {
            // The waiter may be gone (its client left): the result is dropped here.
            let _ = done.send(work());
        });
        {
            let mut tx = self.tx.lock().unwrap_or_else(|e| e.into_inner());
            if tx.is_none() {
                *tx = Some(self.start()?);
            }
            tx.as_ref().map(|tx| tx.send(task)).ok_or_else(stopped)?.map_err(|_| stopped())?;
        }
        result.await.map_err(|_| stopped())?
    }

    fn start(&self) -> io::Result<mpsc::Sender<Task>> {
        let (tx, rx) = mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..self.count {
            let rx = rx.clone();
            std::thread::Builder::new().name("folk-disk".into()).spawn(move || {
                // Ends when the sender is gone: the server that owned these threads stopped.
                while let Ok(task) = next(&rx) {
                    task();
                }
            })?;
        }
        Ok(tx)
    }
}

fn next(rx: &Mutex<mpsc::Receiver<Task>>) -> Result<Task, mpsc::RecvError> {
    rx.lock().unwrap_or_else(|e| e.into_inner()).recv()
}

fn stopped() -> io::Error {
    io::Error::other("the disk threads stopped")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_runs_on_a_disk_thread_and_its_result_comes_back() {
        let threads = DiskThreads::new(2);
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let name = rt.block_on(threads.run(|| Ok(std::thread::current().name().map(String::from)))).unwrap();
        assert_eq!(name.as_deref(), Some("folk-disk"));
        let e = rt.block_on(threads.run(|| Err::<(), _>(io::Error::other("full")))).unwrap_err();
        assert_eq!(e.to_string(), "full");
    }
}
