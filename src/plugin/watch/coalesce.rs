//! Turns a stream of file changes into reloads: a burst gives one reload once
//! it has been quiet for `watch.debounce`; while a reload is in flight (its
//! new workers still booting) further changes gather into one pending batch,
//! reloaded after it. So at most one reload runs and one waits, however many
//! files an editor, `git checkout` or a code generator touches.

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often an in-flight reload is looked at.
const IN_FLIGHT_CHECK: Duration = Duration::from_millis(20);
/// Changed paths a log line names before "and N more".
const NAMED: usize = 3;

/// What the watcher (inotify or polling) reports.
#[derive(Debug)]
pub enum Msg {
    /// A path, relative to its watched root, that matched the patterns.
    Changed(String),
    /// Events were lost (the kernel's queue overflowed): reload to be safe.
    Lost,
    /// The plugin shuts down.
    Stop,
}

/// The distinct paths of one batch, in the order they first changed.
#[derive(Debug, Default)]
pub struct Changes {
    paths: Vec<String>,
    seen: HashSet<String>,
    lost: bool,
}

impl Changes {
    fn add(&mut self, msg: Msg) {
        match msg {
            Msg::Changed(p) => {
                if self.seen.insert(p.clone()) {
                    self.paths.push(p);
                }
            }
            Msg::Lost => self.lost = true,
            Msg::Stop => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.lost
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// For the log: a few paths, then "and N more".
    pub fn summary(&self) -> String {
        let mut s = self.paths.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
        if self.paths.len() > NAMED {
            s.push_str(&format!(" and {} more", self.paths.len() - NAMED));
        }
        if self.lost {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str("events were lost (inotify queue overflow)");
        }
        s
    }
}

/// Runs until `Msg::Stop` or the senders are gone. `reload` starts a reload
/// and returns its generation; `in_flight(generation, started)` says whether
/// that reload is still under way.
pub fn run(rx: &Receiver<Msg>, debounce: Duration, mut reload: impl FnMut(&Changes) -> u64, mut in_flight: impl FnMut(u64, Instant) -> bool) {
    let mut changes = Changes::default();
    loop {
        if changes.is_empty() {
            match rx.recv() {
                Ok(Msg::Stop) | Err(_) => return,
                Ok(msg) => changes.add(msg),
            }
        }
        // Debounce: the batch is done once no change came for `debounce`.
        loop {
            match rx.recv_timeout(debounce) {
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(msg) => changes.add(msg),
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        let generation = reload(&changes);
        changes = Changes::default();
        let started = Instant::now();
        // In flight: what changes meanwhile is the one pending batch.
        while in_flight(generation, started) {
            match rx.recv_timeout(IN_FLIGHT_CHECK) {
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(msg) => changes.add(msg),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{Sender, channel};
    use std::sync::{Arc, Mutex};
    use std::thread;
    use std::time::Instant;

    type Reloads = Arc<Mutex<Vec<(Instant, Vec<String>)>>>;

    /// Runs the loop on a thread; returns the sender and the batches reloaded (when, what).
    /// A reload counts as in flight while `in_flight` is set (the test says when it is over).
    fn start(debounce: Duration, in_flight: Arc<AtomicBool>) -> (Sender<Msg>, Reloads, thread::JoinHandle<()>) {
        let (tx, rx) = channel();
        let reloads: Reloads = Arc::default();
        let r = reloads.clone();
        let t = thread::spawn(move || {
            run(
                &rx,
                debounce,
                |c| {
                    let mut r = r.lock().unwrap();
                    r.push((Instant::now(), c.paths.clone()));
                    r.len() as u64
                },
                |_, _| in_flight.load(Ordering::SeqCst),
            )
        });
        (tx, reloads, t)
    }

    /// Waits (up to 5 s) until `n` reloads happened.
    fn wait_for(reloads: &Reloads, n: usize) {
        let end = Instant::now() + Duration::from_secs(5);
        while reloads.lock().unwrap().len() < n && Instant::now() < end {
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_burst_of_changes_gives_one_reload_after_the_debounce() {
        let debounce = Duration::from_millis(50);
        let (tx, reloads, t) = start(debounce, Arc::new(AtomicBool::new(false)));
        for i in 0..199 {
            tx.send(Msg::Changed(format!("f{}.php", i % 150))).unwrap();
        }
        // The reload comes at least a debounce after the last change was received, so
        // after this instant plus the debounce, however the threads are scheduled.
        let before_last = Instant::now();
        tx.send(Msg::Changed("f0.php".into())).unwrap();
        wait_for(&reloads, 1);
        thread::sleep(Duration::from_millis(200));
        tx.send(Msg::Stop).unwrap();
        t.join().unwrap();
        let r = reloads.lock().unwrap();
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].0 >= before_last + debounce, "no reload before the burst has been quiet for the debounce");
        assert_eq!(r[0].1.len(), 150, "each path once");
    }

    #[test]
    fn changes_during_a_reload_in_flight_give_exactly_one_more_reload_after_it() {
        let in_flight = Arc::new(AtomicBool::new(true));
        let (tx, reloads, t) = start(Duration::from_millis(10), in_flight.clone());
        tx.send(Msg::Changed("a.php".into())).unwrap();
        wait_for(&reloads, 1);
        for i in 0..50 {
            tx.send(Msg::Changed(format!("b{i}.php"))).unwrap();
        }
        thread::sleep(Duration::from_millis(100));
        assert_eq!(reloads.lock().unwrap().len(), 1, "the second waits while the first is in flight");
        in_flight.store(false, Ordering::SeqCst);
        wait_for(&reloads, 2);
        thread::sleep(Duration::from_millis(100));
        tx.send(Msg::Stop).unwrap();
        t.join().unwrap();
        let r = reloads.lock().unwrap();
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!((r[0].1.len(), r[1].1.len()), (1, 50));
    }

    #[test]
    fn the_summary_names_a_few_paths_then_counts_the_rest() {
        let mut c = Changes::default();
        c.add(Msg::Changed("a.php".into()));
        assert_eq!(c.summary(), "a.php");
        for p in ["b.php", "c.php", "a.php", "d.php", "e.php"] {
            c.add(Msg::Changed(p.into()));
        }
        assert_eq!(c.summary(), "a.php, b.php, c.php and 2 more");
        c.add(Msg::Lost);
        assert_eq!(c.summary(), "a.php, b.php, c.php and 2 more; events were lost (inotify queue overflow)");
    }
}
