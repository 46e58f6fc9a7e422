//! The one shared job queue. Idle workers pull from it, so a slow job never
//! holds up the jobs behind it while another worker is free (no per-worker
//! inboxes). Bounded by `queue.size`; a refused job is handed back.
//!
//! Background jobs (the jobs plugin's) wait in a lane of their own: a worker
//! takes one only when no request waits and, with `background_reserve` set,
//! only if that many other workers stay idle for the requests to come. So a
//! request never queues behind a background job, and the jobs plugin can
//! queue the next jobs ahead: a worker that finishes one takes the next at
//! once instead of waiting for the scheduler to hand it over.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::job::Job;
use super::waitset::{WaitSet, Woke};
use crate::error::WorkError;

pub struct JobQueue {
    inner: Mutex<Inner>,
    available: Condvar,
    capacity: usize,
    len: AtomicUsize,
    /// Jobs a worker arriving in `pop` could take now (requests, and background jobs if the
    /// reserve allows): what spinners watch, so an idle reserve worker spins for requests only.
    takeable: AtomicUsize,
    /// Workers in `pop` right now (idle), for lock-free readers.
    idle: AtomicUsize,
    /// Told each time the last idle worker takes work (`all_busy`).
    busy: tokio::sync::Notify,
    /// Workers spinning on an empty queue right now, and how many may.
    spinners: AtomicUsize,
    max_spinners: usize,
    /// A wait set is attached (`Inner::set`), for the lock-free look before spinning.
    attached: AtomicBool,
}

struct Inner {
    jobs: VecDeque<Job>,
    /// The background lane.
    background: VecDeque<Job>,
    /// Workers inside `pop` (idle), the caller included.
    idle: usize,
    /// A background job is taken only while more than this many workers are idle.
    reserve: usize,
    closed: bool,
    /// Workers blocked on `available`: a push only pays for a futex wake when
    /// one of them is needed.
    parked: usize,
    /// Workers waiting on the wait set, and which of its wake-up files were
    /// written and not yet taken (each wakes one of them).
    waiting: usize,
    pending: Vec<bool>,
    npending: usize,
    /// Set while a front end serves connections on the workers (`http.direct`):
    /// idle workers then wait on it instead of `available`.
    set: Option<Arc<WaitSet>>,
}

impl Inner {
    /// Whether a worker may take a background job while `idle` workers (it included) are idle.
    fn background_open(&self, idle: usize) -> bool {
        idle > self.reserve
    }

    /// The jobs a worker may take while `idle` workers (it included) are idle.
    fn takeable(&self, idle: usize) -> usize {
        self.jobs.len() + if self.background_open(idle) { self.background.len() } else { 0 }
    }

    /// Claims a wake-up file for one more waiter on the wait set, if one
    /// waits that no written file will wake yet.
    fn claim_wake(&mut self) -> Option<usize> {
        if self.waiting <= self.npending {
            return None;
        }
        let i = self.pending.iter().position(|p| !p)?;
        self.pending[i] = true;
        self.npending += 1;
        Some(i)
    }

    /// Wake-up file `i` was taken by a waiter.
    fn woke(&mut self, i: usize) {
        if self.pending.get(i).copied() == Some(true) {
            self.pending[i] = false;
            self.npending -= 1;
        }
    }
}

pub enum Pop {
    Job(Job),
    /// A job a worker took from the wait set's front end itself (never queued).
    Direct(Job),
    /// Nothing arrived before the deadline, or the caller asked to leave.
    Nothing,
}

/// How long an idle worker spins on an empty queue before it parks: while
/// jobs keep arriving, the hand-off costs a cache-line transfer, not a futex wake.
const SPIN: Duration = Duration::from_micros(50);

impl JobQueue {
    /// A queue where half the CPUs' worth of workers may spin at once. Every
    /// spinner burns a core that the I/O threads and the other workers could
    /// use: one per two cores takes the next job without a wake-up, and never
    /// all of them spin. (Measured on 2 cores, wrk -c64 against the hello
    /// endpoint, before the spinners yielded: one spinner ~81k req/s, none
    /// ~52k, all of them ~58k.)
    pub fn new(capacity: usize) -> Self {
        Self::with_spinners(capacity, crate::config::half_the_cpus())
    }

    pub fn with_spinners(capacity: usize, max_spinners: usize) -> Self {
        JobQueue {
            inner: Mutex::new(Inner {
                jobs: VecDeque::with_capacity(capacity.min(4096)),
                background: VecDeque::new(),
                idle: 0,
                reserve: 0,
                closed: false,
                parked: 0,
                waiting: 0,
                pending: Vec::new(),
                npending: 0,
                set: None,
            }),
            available: Condvar::new(),
            capacity,
            len: AtomicUsize::new(0),
            takeable: AtomicUsize::new(0),
            idle: AtomicUsize::new(0),
            busy: tokio::sync::Notify::new(),
            spinners: AtomicUsize::new(0),
            max_spinners,
            attached: AtomicBool::new(false),
        }
    }

    /// From now on idle workers wait on `set` (see waitset.rs), until `detach`.
    pub fn attach(&self, set: Arc<WaitSet>) -> Result<(), String> {
        let mut q = self.lock();
        if q.set.is_some() {
            return Err("a front end already serves connections on these workers".to_string());
        }
        q.pending = vec![false; set.wakes()];
        q.npending = 0;
        q.set = Some(set);
        self.attached.store(true, Ordering::Release);
        drop(q);
        // Workers parked on the condvar move over to the set.
        self.available.notify_all();
        Ok(())
    }

    /// Idle workers wait on the condvar again (the front end stopped); those
    /// waiting on `set` are woken to move over.
    pub fn detach(&self, set: &Arc<WaitSet>) {
        let mut q = self.lock();
        if !q.set.as_ref().is_some_and(|s| Arc::ptr_eq(s, set)) {
            return;
        }
        q.set = None;
        self.attached.store(false, Ordering::Release);
        drop(q);
        for i in 0..set.wakes() {
            set.signal(i);
        }
    }

    /// Writes wake-up files claimed under the lock (after it is released).
    fn signal(set: Option<Arc<WaitSet>>, wakes: impl IntoIterator<Item = usize>) {
        if let Some(set) = set {
            for i in wakes {
                set.signal(i);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a job; hands it back with the reason when full or closed.
    /// Background jobs are bounded by their sender (the jobs plugin's gate), not by `queue.size`.
    pub fn push(&self, job: Job) -> Result<(), (Job, WorkError)> {
        let mut q = self.lock();
        if q.closed {
            return Err((job, WorkError::ShutDown));
        }
        if !job.background && q.jobs.len() >= self.capacity {
            let n = q.jobs.len();
            return Err((job, WorkError::Busy(format!("queue full ({n} jobs waiting; raise queue.size or add workers)"))));
        }
        if job.background {
            q.background.push_back(job);
        } else {
            q.jobs.push_back(job);
        }
        self.publish(&q);
        // A spinner takes the job without help, but only one job each: wake a
        // parked worker for every job beyond what the spinners can take.
        // (A spinner re-checks the queue under the lock before it parks, so
        // a job it was counted for is never stranded.) A parked worker is one of the idle.
        let needed = q.takeable(q.idle).saturating_sub(self.spinners.load(Ordering::Acquire));
        let wake = q.parked > 0 && needed > 0;
        let signal = if needed > q.npending { q.claim_wake() } else { None };
        let set = signal.and(q.set.clone());
        drop(q);
        if wake {
            self.available.notify_one();
        }
        Self::signal(set, signal);
        Ok(())
    }

    /// Keeps `n` workers idle for requests: a background job is taken only while more are idle.
    pub fn set_background_reserve(&self, n: usize) {
        let mut q = self.lock();
        q.reserve = n;
        self.publish(&q);
        let wakes: Vec<usize> = std::iter::from_fn(|| q.claim_wake()).collect();
        let set = q.set.clone();
        drop(q);
        self.available.notify_all();
        Self::signal(set, wakes);
    }

    /// Takes the oldest request, else the oldest background job if enough
    /// workers stay idle, waiting until `until` at most. `leave` is checked
    /// under the queue lock before each wait, so a wake-up cannot be missed.
    pub fn pop(&self, until: Instant, leave: impl Fn() -> bool) -> Pop {
        if !self.attached.load(Ordering::Acquire) {
            // Spinning sees the queue only: with a wait set, connections get ready unseen.
            self.spin();
        }
        let mut q = self.lock();
        q.idle += 1;
        self.publish(&q);
        let got = loop {
            if let Some(job) = q.jobs.pop_front() {
                break Pop::Job(job);
            }
            if q.background_open(q.idle)
                && let Some(job) = q.background.pop_front()
            {
                // Another idle worker beyond the reserve may take the next one.
                if !q.background.is_empty() && q.background_open(q.idle - 1) {
                    if q.parked > 0 {
                        self.available.notify_one();
                    }
                    if let Some(i) = q.claim_wake() {
                        let set = q.set.clone();
                        drop(q);
                        Self::signal(set, [i]);
                        q = self.lock();
                    }
                }
                break Pop::Job(job);
            }
            if leave() {
                break Pop::Nothing;
            }
            let now = Instant::now();
            if now >= until {
                break Pop::Nothing;
            }
            // Read each turn: a worker parked before the set was attached moves over to it.
            if let Some(set) = q.set.clone() {
                q.waiting += 1;
                drop(q);
                let woke = set.wait(until - now);
                q = self.lock();
                q.waiting -= 1;
                match woke {
                    Woke::Wake(i) => q.woke(i),
                    Woke::Nothing => {}
                    Woke::Ready(token, hangup) => {
                        // The worker serves the connection itself, outside the lock
                        // (counted idle meanwhile: it takes a queued job next).
                        drop(q);
                        let job = set.front().ready(token, hangup);
                        q = self.lock();
                        if let Some(job) = job {
                            break Pop::Direct(job);
                        }
                    }
                }
                continue;
            }
            q.parked += 1;
            q = self.available.wait_timeout(q, until - now).unwrap_or_else(|e| e.into_inner()).0;
            q.parked -= 1;
        };
        q.idle -= 1;
        self.publish(&q);
        got
    }

    /// Spins while the queue is empty, for at most `SPIN`, if a spinner's
    /// place is free. Every 64 turns it yields the core, so on a busy machine
    /// the I/O threads that produce the jobs run instead of waiting behind the
    /// spinner (2 cores, wrk -c64, hello: ~90k req/s with the yield, ~78k
    /// without), and reads the clock (reading it on each turn made
    /// `clock_gettime` the hottest function of an idle worker).
    fn spin(&self) {
        if self.takeable.load(Ordering::Acquire) != 0 {
            return;
        }
        let taken = self.spinners.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.max_spinners).then_some(n + 1));
        if taken.is_err() {
            return;
        }
        let spin_until = Instant::now() + SPIN;
        'spin: loop {
            for _ in 0..64 {
                if self.takeable.load(Ordering::Acquire) != 0 {
                    break 'spin;
                }
                std::hint::spin_loop();
            }
            std::thread::yield_now();
            if Instant::now() >= spin_until {
                break;
            }
        }
        self.spinners.fetch_sub(1, Ordering::AcqRel);
    }

    /// Wakes every waiting worker so it re-checks whether it should leave.
    pub fn wake_all(&self) {
        let mut q = self.lock();
        self.available.notify_all();
        let wakes: Vec<usize> = std::iter::from_fn(|| q.claim_wake()).collect();
        let set = q.set.clone();
        drop(q);
        Self::signal(set, wakes);
    }

    /// Removes the jobs whose callers abandoned them (their HTTP client left),
    /// wherever they are; returns how many. O(queued jobs): called only when
    /// the queue is full, so dead jobs never make a live one wait or be refused.
    pub fn purge_abandoned(&self) -> usize {
        let mut q = self.lock();
        let before = q.jobs.len();
        q.jobs.retain(|j| !j.reply.is_abandoned());
        self.publish(&q);
        before - q.jobs.len()
    }

    /// Removes the requests that waited longer than `timeout` (they are at the front).
    /// Background jobs wait as long as requests keep the workers busy: that is their policy.
    pub fn expire(&self, timeout: Duration, now: Instant) -> Vec<Job> {
        let mut q = self.lock();
        let mut out = Vec::new();
        while q.jobs.front().is_some_and(|j| j.waited(timeout, now)) {
            out.extend(q.jobs.pop_front());
        }
        self.publish(&q);
        out
    }

    /// Refuses new jobs from now on; queued ones stay.
    pub fn close(&self) {
        self.lock().closed = true;
        self.wake_all();
    }

    /// Removes every queued job.
    pub fn drain(&self) -> Vec<Job> {
        let mut q = self.lock();
        let mut out: Vec<Job> = q.jobs.drain(..).collect();
        out.extend(q.background.drain(..));
        self.publish(&q);
        out
    }

    /// Publishes the lengths for lock-free readers; called under the lock after every change.
    fn publish(&self, q: &Inner) {
        self.len.store(q.jobs.len() + q.background.len(), Ordering::Release);
        if self.idle.swap(q.idle, Ordering::AcqRel) != 0 && q.idle == 0 {
            // A permit when nobody waits: the next `all_busy` returns at once.
            self.busy.notify_one();
        }
        // For a worker about to arrive in `pop`: one more idle than now.
        self.takeable.store(q.takeable(q.idle + 1), Ordering::Release);
    }

    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Workers idle right now (waiting in `pop`).
    pub fn idle(&self) -> usize {
        self.idle.load(Ordering::Acquire)
    }

    /// Resolves once no worker is idle (at once if none is now): for a
    /// front end that has work to do only then, instead of a timer that
    /// wakes it while the workers keep up.
    pub async fn all_busy(&self) {
        while self.idle() != 0 {
            self.busy.notified().await;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::Value;
    use crate::pool::reply::Reply;

    fn job(n: i64) -> Job {
        Job { method: "m".into(), payload: Value::Int(n), reply: Arc::new(Reply::new()), enqueued: Instant::now(), background: false }
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
            Pop::Nothing | Pop::Direct(_) => panic!("expected a job"),
        }
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn requests_go_before_background_jobs_which_wait_outside_the_queue_size() {
        let q = JobQueue::new(1);
        let background = |n| Job { background: true, ..job(n) };
        q.push(background(1)).ok().unwrap();
        q.push(background(2)).ok().unwrap();
        q.push(job(3)).ok().unwrap();
        assert!(q.push(job(4)).is_err(), "queue.size bounds the requests");
        assert_eq!(q.len(), 3);
        let order: Vec<Value> = (0..3)
            .map(|_| match q.pop(Instant::now(), || false) {
                Pop::Job(j) => j.payload,
                Pop::Nothing | Pop::Direct(_) => Value::Null,
            })
            .collect();
        assert_eq!(order, vec![Value::Int(3), Value::Int(1), Value::Int(2)]);
        assert!(q.expire(Duration::ZERO, Instant::now() + Duration::from_secs(1)).is_empty());
    }

    #[test]
    fn a_background_job_waits_while_it_would_take_the_last_idle_worker() {
        let q = Arc::new(JobQueue::with_spinners(8, 0));
        q.set_background_reserve(1);
        q.push(Job { background: true, ..job(1) }).ok().unwrap();
        // Alone in `pop`, a worker is the last idle one: it leaves the job for later.
        assert!(matches!(q.pop(Instant::now() + Duration::from_millis(20), || false), Pop::Nothing));
        // With a second worker idle (parked in `pop`), the next one to look takes it.
        let q2 = q.clone();
        let parked = std::thread::spawn(move || matches!(q2.pop(Instant::now() + Duration::from_millis(300), || false), Pop::Job(_)));
        std::thread::sleep(Duration::from_millis(50));
        let mine = matches!(q.pop(Instant::now() + Duration::from_millis(300), || false), Pop::Job(_));
        let theirs = parked.join().unwrap();
        assert!(mine ^ theirs, "exactly one of the two idle workers took it (mine {mine}, theirs {theirs})");
        // A request is taken by the last idle worker.
        q.push(job(2)).ok().unwrap();
        assert!(matches!(q.pop(Instant::now(), || false), Pop::Job(_)));
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
    fn purging_removes_only_abandoned_jobs() {
        let q = JobQueue::new(4);
        let gone = job(1);
        gone.reply.abandon();
        q.push(gone).ok().unwrap();
        q.push(job(2)).ok().unwrap();
        assert_eq!(q.purge_abandoned(), 1);
        assert_eq!(q.len(), 1);
        match q.pop(Instant::now(), || false) {
            Pop::Job(j) => assert_eq!(j.payload, Value::Int(2)),
            Pop::Nothing | Pop::Direct(_) => panic!("the live job was purged"),
        }
    }

    #[test]
    fn all_busy_waits_while_a_worker_is_idle_and_resolves_when_the_last_one_takes_work() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_time().build().unwrap();
        let q = Arc::new(JobQueue::new(4));
        rt.block_on(async { tokio::time::timeout(Duration::from_millis(50), q.all_busy()).await }).expect("none idle: at once");
        let q2 = q.clone();
        let idle = std::thread::spawn(move || matches!(q2.pop(Instant::now() + Duration::from_secs(5), || false), Pop::Job(_)));
        while q.idle() == 0 {
            std::thread::yield_now();
        }
        let waited = rt.block_on(async { tokio::time::timeout(Duration::from_millis(50), q.all_busy()).await });
        assert!(waited.is_err(), "a worker is idle: it waits");
        let q3 = q.clone();
        let busy = rt.spawn(async move { q3.all_busy().await });
        std::thread::sleep(Duration::from_millis(20));
        assert!(!busy.is_finished(), "waiting for the last idle worker");
        q.push(job(1)).ok().unwrap();
        assert!(idle.join().unwrap());
        rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), busy).await })
            .expect("the last idle worker took the job: it resolves")
            .unwrap();
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

    /// Pops `n` jobs on `n` threads at once; each thread says whether it got one.
    fn pop_on_threads(q: &Arc<JobQueue>, n: usize) -> Vec<std::thread::JoinHandle<bool>> {
        (0..n)
            .map(|_| {
                let q = q.clone();
                std::thread::spawn(move || matches!(q.pop(Instant::now() + Duration::from_secs(5), || false), Pop::Job(_)))
            })
            .collect()
    }

    #[test]
    fn every_parked_worker_needed_is_woken() {
        // No spinners: each pushed job must wake one parked worker.
        let q = Arc::new(JobQueue::with_spinners(16, 0));
        let threads = pop_on_threads(&q, 3);
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        for n in 0..3 {
            q.push(job(n)).ok().unwrap();
        }
        assert!(threads.into_iter().all(|t| t.join().unwrap()), "a worker missed its wake-up");
        assert!(started.elapsed() < Duration::from_secs(2), "a job waited for a timeout instead of a wake-up");
    }

    #[test]
    fn a_spinner_does_not_strand_jobs_beyond_its_own() {
        // One spinner at most: a burst of jobs still reaches the parked workers.
        let q = Arc::new(JobQueue::with_spinners(16, 1));
        for _ in 0..20 {
            let threads = pop_on_threads(&q, 4);
            for n in 0..4 {
                q.push(job(n)).ok().unwrap();
            }
            let started = Instant::now();
            assert!(threads.into_iter().all(|t| t.join().unwrap()));
            assert!(started.elapsed() < Duration::from_secs(2), "a job waited for a timeout instead of a wake-up");
            assert!(q.is_empty());
        }
    }
}
