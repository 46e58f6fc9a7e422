//! Where idle workers wait when a front end serves its connections on them
//! (`http.direct`): one epoll set holding the front end's ready-to-read
//! sources, edge-triggered (each arrival of bytes is one event, taken by one
//! waiter; which worker serves a source is the front end's business, so no
//! `epoll_ctl` per request re-arms it), and one edge-triggered eventfd per
//! worker the queue may need to wake. An idle worker waits in `epoll_wait` on the
//! whole set, so a ready connection is taken by whichever worker is idle,
//! which then serves it itself: no hand-off between threads, as the peers
//! (Workerman, Swoole) run their requests on the thread that read them.
//!
//! The wake-ups are one eventfd each, not one shared eventfd: epoll merges
//! the edges of one file into one event, so N jobs pushed at once would wake
//! one worker. N distinct files give N events, each to a different waiter.
//!
//! The front end's side is `Ready`: told a token is ready, on the worker
//! that got it, it answers with the job to run, or none (it dealt with the
//! source itself: closed, or handed it back to its own threads).

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;
use std::time::Duration;

use rustix::event::epoll::{self, CreateFlags, Event, EventData, EventFlags};
use rustix::event::{EventfdFlags, Timespec, eventfd};

use super::job::Job;

/// The front end whose sources are in the set.
pub trait Ready: Send + Sync {
    /// `token` (as given to `WaitSet::add`) got bytes; `hangup`: its peer
    /// closed its side too. Runs on the idle worker that got the event.
    fn ready(&self, token: u64, hangup: bool) -> Option<Job>;
}

/// Tokens with this bit are the set's own wake-up files.
const WAKE: u64 = 1 << 63;

/// What ended a wait.
pub(super) enum Woke {
    /// The queue's wake-up number `i` (a job waits, or a worker must re-check whether it leaves).
    Wake(usize),
    /// A front end's source is ready (and whether its peer hung up).
    Ready(u64, bool),
    /// The timeout passed (or a signal interrupted the wait).
    Nothing,
}

pub struct WaitSet {
    epoll: OwnedFd,
    wakes: Vec<OwnedFd>,
    front: Arc<dyn Ready>,
}

/// Whether an event says the source's peer closed its side (or the source failed).
fn hung_up(flags: EventFlags) -> bool {
    flags.intersects(EventFlags::RDHUP | EventFlags::HUP | EventFlags::ERR)
}

/// A source reports each arrival of bytes (or its peer's close) once.
fn arrivals() -> EventFlags {
    EventFlags::IN | EventFlags::RDHUP | EventFlags::ET
}

impl WaitSet {
    /// A set with `wakes` wake-up files (one per worker that may wait on it).
    pub fn new(wakes: usize, front: Arc<dyn Ready>) -> io::Result<Self> {
        let epoll = epoll::create(CreateFlags::CLOEXEC)?;
        let mut set_wakes = Vec::with_capacity(wakes.max(1));
        for i in 0..wakes.max(1) {
            let fd = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
            epoll::add(&epoll, &fd, EventData::new_u64(WAKE | i as u64), EventFlags::IN | EventFlags::ET)?;
            set_wakes.push(fd);
        }
        Ok(WaitSet { epoll, wakes: set_wakes, front })
    }

    pub(super) fn wakes(&self) -> usize {
        self.wakes.len()
    }

    /// Adds a source under `token` (top bit clear); bytes already there are reported at once.
    pub fn add(&self, fd: impl AsFd, token: u64) -> io::Result<()> {
        debug_assert_eq!(token & WAKE, 0);
        Ok(epoll::add(&self.epoll, fd, EventData::new_u64(token), arrivals())?)
    }

    /// Reports a source again if it has bytes now (its last event found it busy).
    pub fn rearm(&self, fd: impl AsFd, token: u64) -> io::Result<()> {
        Ok(epoll::modify(&self.epoll, fd, EventData::new_u64(token), arrivals())?)
    }

    /// Removes a source (before it is handed elsewhere; closing it removes it too).
    pub fn remove(&self, fd: impl AsFd) -> io::Result<()> {
        Ok(epoll::delete(&self.epoll, fd)?)
    }

    /// Waits for one event, at most `timeout`.
    pub(super) fn wait(&self, timeout: Duration) -> Woke {
        let mut buf = [MaybeUninit::<Event>::uninit(); 1];
        // Rounded up to the millisecond, as epoll_wait would: a wait of 0 before a deadline 300 µs away would spin.
        let ms = timeout.as_micros().div_ceil(1000);
        let ts = Timespec { tv_sec: (ms / 1000).min(i32::MAX as u128) as _, tv_nsec: ((ms % 1000) * 1_000_000) as _ };
        let (token, flags) = match epoll::wait(&self.epoll, &mut buf, Some(&ts)) {
            Ok((events, _)) if !events.is_empty() => (events[0].data.u64(), events[0].flags),
            _ => return Woke::Nothing,
        };
        if token & WAKE != 0 { Woke::Wake((token & !WAKE) as usize) } else { Woke::Ready(token, hung_up(flags)) }
    }

    /// For the front end's own thread while no worker is idle: the sources
    /// ready now, without waiting (at most 64). Wake-ups taken with them are
    /// written again, for the workers they were meant for.
    pub fn take_ready(&self, out: &mut Vec<(u64, bool)>) {
        let mut buf = [MaybeUninit::<Event>::uninit(); 64];
        let Ok((events, _)) = epoll::wait(&self.epoll, &mut buf, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })) else { return };
        let mut wakes = Vec::new();
        for ev in events.iter() {
            let (token, flags) = (ev.data.u64(), { ev.flags });
            if token & WAKE != 0 {
                wakes.push((token & !WAKE) as usize);
            } else {
                out.push((token, hung_up(flags)));
            }
        }
        for i in wakes {
            self.signal(i);
        }
    }

    /// Wakes one waiter (whichever takes the edge of wake-up file `i`).
    pub(super) fn signal(&self, i: usize) {
        if let Some(fd) = self.wakes.get(i) {
            // A full counter (EAGAIN, after 2^64 wakes) still leaves it readable.
            let _ = rustix::io::write(fd, &1u64.to_ne_bytes());
        }
    }

    pub(super) fn front(&self) -> &Arc<dyn Ready> {
        &self.front
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;

    struct Nothing;
    impl Ready for Nothing {
        fn ready(&self, _: u64, _: bool) -> Option<Job> {
            None
        }
    }

    #[test]
    fn each_wake_file_and_each_arrival_of_bytes_is_one_event() {
        let set = WaitSet::new(2, Arc::new(Nothing)).unwrap();
        assert!(matches!(set.wait(Duration::from_millis(1)), Woke::Nothing));
        set.signal(0);
        set.signal(1);
        let mut got = [false; 2];
        for _ in 0..2 {
            match set.wait(Duration::from_millis(100)) {
                Woke::Wake(i) => got[i] = true,
                _ => panic!("expected a wake-up"),
            }
        }
        assert_eq!(got, [true, true], "two wake files gave two events");
        assert!(matches!(set.wait(Duration::from_millis(1)), Woke::Nothing), "an edge is taken once");
        let (mut a, b) = UnixStream::pair().unwrap();
        set.add(&b, 7).unwrap();
        a.write_all(b"x").unwrap();
        assert!(matches!(set.wait(Duration::from_millis(100)), Woke::Ready(7, false)));
        assert!(matches!(set.wait(Duration::from_millis(1)), Woke::Nothing), "unread bytes are not reported twice");
        a.write_all(b"y").unwrap();
        assert!(matches!(set.wait(Duration::from_millis(100)), Woke::Ready(7, false)), "new bytes are a new event");
        set.rearm(&b, 7).unwrap();
        assert!(matches!(set.wait(Duration::from_millis(100)), Woke::Ready(7, false)), "re-armed while readable: reported again");
        drop(a);
        assert!(matches!(set.wait(Duration::from_millis(100)), Woke::Ready(7, true)), "the peer's close is a hang-up");
    }
}
