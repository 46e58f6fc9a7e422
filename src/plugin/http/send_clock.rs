//! `http.send_timeout` for the response bytes hyper holds. The socket's own
//! stall clock (`Watched`) cannot see an h2 stream whose window the client
//! keeps shut: hyper then holds the stream's next chunk and stops asking its
//! body for more, while the connection stays busy with other frames. So every
//! response hands hyper its data in `Slice`s that report when hyper (or h2)
//! is done with them, and a connection one of whose responses has had data
//! waiting, untaken, for send_timeout is closed, as nginx drops a client after
//! `send_timeout` (closing is the one thing folk can do: hyper offers no way to
//! reset one stream from outside while it waits for that stream's window).

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use bytes::{Buf, Bytes};
use tokio::time::Instant;

/// The most a response hands hyper at once. Progress is seen slice by slice,
/// so a client that takes a slice per send_timeout is slow, not stalled; and a
/// stream that waits holds at most about this much in hyper.
pub(super) const SLICE: usize = 16 << 10;

/// One connection's responses, watched for data the client does not take.
pub(super) struct SendClock {
    timeout: Duration,
    /// Every response body still alive; a dead one is pruned when the list is walked.
    bodies: Mutex<Vec<Weak<Progress>>>,
}

impl SendClock {
    pub(super) fn new(timeout: Duration) -> Self {
        SendClock { timeout, bodies: Mutex::new(Vec::new()) }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Weak<Progress>>> {
        self.bodies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The progress record of one new response body. O(1) amortised: the list
    /// is pruned when it would grow. Nothing is woken: see `stalled`.
    pub(super) fn track(&self) -> Arc<Progress> {
        let progress = Arc::new(Progress::default());
        let mut bodies = self.lock();
        if bodies.len() == bodies.capacity() {
            bodies.retain(|b| b.strong_count() > 0);
        }
        bodies.push(Arc::downgrade(&progress));
        progress
    }

    /// Completes once some response has had data waiting for send_timeout.
    /// Looks at the responses once per send_timeout, or at the earliest
    /// deadline of one that waits: data that starts waiting after a look
    /// cannot stall before the next, so none is missed, and the hot path
    /// (a response, a slice) never wakes this watcher.
    pub(super) async fn stalled(&self) {
        loop {
            let next = {
                let mut bodies = self.lock();
                bodies.retain(|b| b.strong_count() > 0);
                let now = Instant::now();
                let waiting = bodies.iter().filter_map(Weak::upgrade).filter_map(|p| p.waiting_since()).min();
                waiting.map_or(now, |since| since.min(now)) + self.timeout
            };
            if next <= Instant::now() {
                return;
            }
            tokio::time::sleep_until(next).await;
        }
    }
}

/// How much of one response hyper holds untaken, and since when nothing was taken.
#[derive(Default)]
pub(super) struct Progress(Mutex<Waiting>);

#[derive(Default)]
struct Waiting {
    slices: usize,
    since: Option<Instant>,
}

impl Progress {
    fn lock(&self) -> MutexGuard<'_, Waiting> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The time since which data has waited without any being taken; None if none waits.
    fn waiting_since(&self) -> Option<Instant> {
        let w = self.lock();
        if w.slices > 0 { w.since } else { None }
    }

    fn handed(&self) {
        let mut w = self.lock();
        if w.slices == 0 {
            w.since = Some(Instant::now());
        }
        w.slices += 1;
    }

    fn taken(&self) {
        let mut w = self.lock();
        w.slices = w.slices.saturating_sub(1);
        w.since = Some(Instant::now());
    }
}

/// Response data as hyper holds it: dropped when hyper has written it (HTTP/1)
/// or h2 has framed it, which counts as the client taking it.
pub(crate) struct Slice {
    data: Bytes,
    progress: Arc<Progress>,
}

impl Slice {
    pub(super) fn new(data: Bytes, progress: &Arc<Progress>) -> Slice {
        progress.handed();
        Slice { data, progress: progress.clone() }
    }
}

impl Drop for Slice {
    fn drop(&mut self) {
        self.progress.taken();
    }
}

impl Buf for Slice {
    fn remaining(&self) -> usize {
        self.data.remaining()
    }

    fn chunk(&self) -> &[u8] {
        self.data.chunk()
    }

    fn advance(&mut self, n: usize) {
        self.data.advance(n);
    }

    fn copy_to_bytes(&mut self, len: usize) -> Bytes {
        self.data.copy_to_bytes(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn data_left_untaken_for_the_timeout_stalls_the_connection() {
        let clock = Arc::new(SendClock::new(Duration::from_secs(10)));
        let watcher = tokio::spawn({
            let clock = clock.clone();
            async move { clock.stalled().await }
        });
        let p = clock.track();
        let first = Slice::new(Bytes::from_static(b"a"), &p);
        tokio::time::sleep(Duration::from_secs(6)).await;
        // Taken in time: the clock starts again for what still waits.
        let second = Slice::new(Bytes::from_static(b"b"), &p);
        drop(first);
        tokio::time::sleep(Duration::from_secs(6)).await;
        assert!(!watcher.is_finished(), "progress 6 s ago is not a stall");
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(watcher.is_finished(), "nothing taken for 11 s");
        drop(second);
    }

    #[tokio::test(start_paused = true)]
    async fn responses_with_nothing_waiting_never_stall() {
        let clock = Arc::new(SendClock::new(Duration::from_secs(1)));
        let watcher = tokio::spawn({
            let clock = clock.clone();
            async move { clock.stalled().await }
        });
        let p = clock.track();
        for _ in 0..5 {
            drop(Slice::new(Bytes::from_static(b"a"), &p));
            tokio::time::sleep(Duration::from_millis(900)).await;
        }
        drop(p);
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!watcher.is_finished());
        // A response that appears after the watcher went idle is watched too.
        let p = clock.track();
        let _waiting = Slice::new(Bytes::from_static(b"a"), &p);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert!(watcher.is_finished());
    }
}
