//! The one shared job queue. Idle workers pull from it, so a slow job never
//! holds up the jobs behind it while another worker is free (no per-worker
//! inboxes). Bounded by `queue.size`; a refused job is handed back.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::reply::Reply;
use crate::bridge::Value;
use crate::error::WorkError;

pub struct Job {
    pub method: String,
    pub payload: Value,
    pub reply: Arc<Reply>,
    pub enqueued: Instant,
}

pub struct JobQueue {
    inner: Mutex<Inner>,
    available: Condvar,
    capacity: usize,
    len: AtomicUsize,
}

struct Inner {
    jobs: VecDeque<Job>,
    closed: bool,
}

pub enum Pop {
    Job(Job),
    /// Nothing arrived before the deadline, or the caller asked to leave.
    Nothing,
}

/// How long an idle worker spins on an empty queue before it parks: while
/// jobs keep arriving, the hand-off costs a cache-line transfer, not a futex wake.
const SPIN: Duration = Duration::from_micros(30);

impl JobQueue {
    pub fn new(capacity: usize) -> Self {
        JobQueue {
            inner: Mutex::new(Inner { jobs: VecDeque::with_capacity(capacity.min(4096)), closed: false }),
            available: Condvar::new(),
            capacity,
            len: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a job; hands it back with the reason when full or closed.
    pub fn push(&self, job: Job) -> Result<(), (Job, WorkError)> {
        let mut q = self.lock();
        if q.closed {
            return Err((job, WorkError::ShutDown));
        }
        if q.jobs.len() >= self.capacity {
            let n = q.jobs.len();
            return Err((job, WorkError::Busy(format!("queue full ({n} jobs waiting; raise queue.size or add workers)"))));
        }
        q.jobs.push_back(job);
        self.len.store(q.jobs.len(), Ordering::Release);
        drop(q);
        self.available.notify_one();
        Ok(())
    }

    /// Takes the oldest job, waiting until `until` at most. `leave` is checked
    /// under the queue lock before each wait, so a wake-up cannot be missed.
    pub fn pop(&self, until: Instant, leave: impl Fn() -> bool) -> Pop {
        let spin_until = Instant::now() + SPIN;
        while self.len.load(Ordering::Acquire) == 0 && Instant::now() < spin_until {
            std::hint::spin_loop();
        }
        let mut q = self.lock();
        loop {
            if let Some(job) = q.jobs.pop_front() {
                self.len.store(q.jobs.len(), Ordering::Release);
                return Pop::Job(job);
            }
            if leave() {
                return Pop::Nothing;
            }
            let now = Instant::now();
            if now >= until {
                return Pop::Nothing;
            }
            q = self.available.wait_timeout(q, until - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// Wakes every waiting worker so it re-checks whether it should leave.
    pub fn wake_all(&self) {
        let _q = self.lock();
        self.available.notify_all();
    }

    /// Removes the jobs that waited longer than `timeout` (they are at the front).
    pub fn expire(&self, timeout: Duration, now: Instant) -> Vec<Job> {
        let mut q = self.lock();
        let mut out = Vec::new();
        while q.jobs.front().is_some_and(|j| now.duration_since(j.enqueued) >= timeout) {
            out.extend(q.jobs.pop_front());
        }
        self.len.store(q.jobs.len(), Ordering::Release);
        out
    }

    /// Refuses new jobs from now on; queued ones stay.
    pub fn close(&self) {
        self.lock().closed = true;
        self.wake_all();
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Removes every queued job.
    pub fn drain(&self) -> Vec<Job> {
        let mut q = self.lock();
        let out: Vec<Job> = q.jobs.drain(..).collect();
        self.len.store(0, Ordering::Release);
        out
    }

    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(n: i64) -> Job {
        Job { method: "m".into(), payload: Value::Int(n), reply: Arc::new(Reply::new()), enqueued: Instant::now() }
    }

    #[test]
    fn fifo_and_bounded() {
        let q = JobQueue::new(2);
        assert!(q.push(job(1)).is_ok());
        assert!(q.push(job(2)).is_ok());
        let (back, err) = q.push(job(3)).err().unwrap();
        assert_eq!(back.payload, Value::Int(3), "a refused job is handed back");
        assert!(matches!(err, WorkError::Busy(_)));
        match q.pop(Instant::now(), || false) {
            Pop::Job(j) => assert_eq!(j.payload, Value::Int(1)),
            Pop::Nothing => panic!("expected a job"),
        }
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn closed_queue_refuses_and_keeps_queued() {
        let q = JobQueue::new(4);
        q.push(job(1)).ok().unwrap();
        q.close();
        assert!(matches!(q.push(job(2)), Err((_, WorkError::ShutDown))));
        assert_eq!(q.drain().len(), 1);
    }

    #[test]
    fn expire_removes_only_old_jobs() {
        let q = JobQueue::new(4);
        let mut old = job(1);
        old.enqueued = Instant::now() - Duration::from_secs(5);
        q.push(old).ok().unwrap();
        q.push(job(2)).ok().unwrap();
        let gone = q.expire(Duration::from_secs(1), Instant::now());
        assert_eq!(gone.len(), 1);
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn pop_wakes_for_a_pushed_job() {
        let q = Arc::new(JobQueue::new(4));
        let q2 = q.clone();
        let t = std::thread::spawn(move || matches!(q2.pop(Instant::now() + Duration::from_secs(5), || false), Pop::Job(_)));
        std::thread::sleep(Duration::from_millis(20));
        q.push(job(1)).ok().unwrap();
        assert!(t.join().unwrap());
    }
}
