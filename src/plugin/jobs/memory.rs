//! The memory broker: the same semantics as Redis inside one process, for
//! development and tests (jobs are lost when the process exits). All state is
//! behind ONE mutex, and no other lock is ever taken while it is held: the
//! design folk descends from deadlocked between a `delayed` and a `queues`
//! mutex taken in opposite orders. Waiters are woken through a `Notify` after
//! the lock is released.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::driver::{Broker, BrokerFuture, Delivery, JobsError, NewJob, Pushed, QueueStats};
use super::encoding::Envelope;

/// Pushes between two sweeps of expired idempotency keys.
const ID_SWEEP_EVERY: u64 = 1024;

#[derive(Default)]
pub struct MemoryBroker {
    state: Mutex<State>,
    /// Something became ready (a push, a release, a promotion due).
    changed: Notify,
}

#[derive(Default)]
struct State {
    queues: HashMap<String, Queue>,
    /// Dead letters by dead-letter name.
    dead: HashMap<String, Vec<Envelope>>,
    /// The dead letter of each queue the server consumes (`declare`).
    dead_letters: HashMap<String, String>,
    /// Idempotency keys per queue, with when they are forgotten.
    ids: HashMap<(String, String), Instant>,
    seq: u64,
}

#[derive(Default)]
struct Queue {
    /// Ready jobs in push order.
    ready: BTreeMap<u64, Envelope>,
    /// Delayed jobs by due time.
    delayed: BTreeMap<(Instant, u64), Envelope>,
    running: HashMap<u64, Envelope>,
    done: u64,
    failed: u64,
}

impl Queue {
    /// Moves due delayed jobs to ready; returns when the next one is due.
    fn promote(&mut self, now: Instant) -> Option<Instant> {
        while let Some(entry) = self.delayed.first_entry() {
            if entry.key().0 > now {
                return Some(entry.key().0);
            }
            let ((_, seq), env) = entry.remove_entry();
            self.ready.insert(seq, env);
        }
        None
    }
}

impl State {
    fn next(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn queue(&mut self, name: &str) -> &mut Queue {
        self.queues.entry(name.to_string()).or_default()
    }

    fn enqueue(&mut self, queue: &str, env: Envelope, delay: Duration, now: Instant) {
        let seq = self.next();
        let q = self.queue(queue);
        if delay.is_zero() {
            q.ready.insert(seq, env);
        } else {
            q.delayed.insert((now + delay, seq), env);
        }
    }
}

fn token(d: &Delivery) -> Result<u64, JobsError> {
    d.token.parse().map_err(|_| JobsError::new(&d.queue, format!("not a memory delivery: {}", d.token)))
}

fn not_running(d: &Delivery) -> JobsError {
    JobsError::new(&d.queue, format!("job {} is not running (already settled?)", d.envelope.id))
}

impl MemoryBroker {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn push_now(&self, queue: &str, jobs: Vec<NewJob>, ttl: Duration) -> Vec<Pushed> {
        let now = Instant::now();
        let out = {
            let mut st = self.lock();
            // Expired keys are swept now and then (a sweep is O(keys)); a lookup ignores them anyway.
            if st.seq.is_multiple_of(ID_SWEEP_EVERY) {
                st.ids.retain(|_, until| *until > now);
            }
            let mut out = Vec::with_capacity(jobs.len());
            for job in jobs {
                let id = job.envelope.id.clone();
                if job.idempotent {
                    let key = (queue.to_string(), id.clone());
                    if st.ids.get(&key).is_some_and(|until| *until > now) {
                        out.push(Pushed::Duplicate(id));
                        continue;
                    }
                    st.ids.insert(key, now + ttl);
                }
                st.enqueue(queue, job.envelope, job.delay, now);
                out.push(Pushed::Queued(id));
            }
            out
        };
        self.changed.notify_waiters();
        out
    }

    /// Takes up to `max` ready jobs now; also says when the next delayed one is due.
    pub fn take_now(&self, queue: &str, max: usize) -> (Vec<Delivery>, Option<Instant>) {
        let mut st = self.lock();
        let mut tokens = Vec::new();
        let next_due = {
            let q = st.queue(queue);
            let next_due = q.promote(Instant::now());
            while tokens.len() < max {
                let Some((seq, env)) = q.ready.pop_first() else { break };
                q.running.insert(seq, env.clone());
                tokens.push((seq, env));
            }
            next_due
        };
        let out = tokens.into_iter().map(|(seq, envelope)| Delivery { queue: queue.to_string(), envelope, token: seq.to_string() }).collect();
        (out, next_due)
    }

    /// Removes `d` from running, then lets `then` place it.
    fn settle(&self, d: &Delivery, then: impl FnOnce(&mut State, Envelope)) -> Result<(), JobsError> {
        let t = token(d)?;
        {
            let mut st = self.lock();
            let env = st.queue(&d.queue).running.remove(&t).ok_or_else(|| not_running(d))?;
            then(&mut st, env);
        }
        self.changed.notify_waiters();
        Ok(())
    }

    pub fn ack_now(&self, d: &Delivery) -> Result<(), JobsError> {
        self.settle(d, |st, _| st.queue(&d.queue).done += 1)
    }

    pub fn retry_now(&self, d: &Delivery, after: Duration, error: String) -> Result<(), JobsError> {
        self.settle(d, |st, mut env| {
            env.attempt += 1;
            env.last_error = Some(error);
            st.queue(&d.queue).failed += 1;
            st.enqueue(&d.queue, env, after, Instant::now());
        })
    }

    pub fn bury_now(&self, d: &Delivery, dead_letter: &str, error: String) -> Result<(), JobsError> {
        self.settle(d, |st, mut env| {
            env.last_error = Some(error);
            st.queue(&d.queue).failed += 1;
            st.dead.entry(dead_letter.to_string()).or_default().push(env);
        })
    }

    pub fn release_now(&self, d: &Delivery) -> Result<(), JobsError> {
        let t = token(d)?;
        self.settle(d, |st, env| {
            // Back in its old place: ahead of the jobs pushed after it.
            st.queue(&d.queue).ready.insert(t, env);
        })
    }

    pub fn stats_now(&self, queue: &str, dead_letter: &str) -> QueueStats {
        let mut st = self.lock();
        let dead = st.dead.get(dead_letter).map_or(0, Vec::len) as u64;
        let q = st.queue(queue);
        q.promote(Instant::now());
        QueueStats {
            ready: q.ready.len() as u64,
            delayed: q.delayed.len() as u64,
            running: q.running.len() as u64,
            dead,
            done: q.done,
            failed: q.failed,
        }
    }

    pub fn retry_dead_now(&self, queue: &str, dead_letter: &str) -> u64 {
        let n = {
            let mut st = self.lock();
            let dead = st.dead.remove(dead_letter).unwrap_or_default();
            let n = dead.len() as u64;
            let now = Instant::now();
            for mut env in dead {
                env.attempt = 1;
                st.enqueue(queue, env, Duration::ZERO, now);
            }
            n
        };
        self.changed.notify_waiters();
        n
    }

    /// Waits until `queue` has ready jobs, `wait` passed, or a delayed job is due.
    async fn take_waiting(&self, queue: &str, max: usize, wait: Duration) -> Vec<Delivery> {
        let deadline = Instant::now() + wait;
        loop {
            // Registered before looking, so a push between the look and the wait is not missed.
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (got, next_due) = self.take_now(queue, max);
            let now = Instant::now();
            if !got.is_empty() || now >= deadline {
                return got;
            }
            let until = next_due.map_or(deadline, |due| due.min(deadline));
            let _ = tokio::time::timeout(until.saturating_duration_since(now), notified).await;
        }
    }
}

impl Broker for MemoryBroker {
    fn kind(&self) -> &'static str {
        "memory"
    }

    fn push<'a>(&'a self, queue: &'a str, jobs: Vec<NewJob>, ttl: Duration) -> BrokerFuture<'a, Vec<Pushed>> {
        let out = self.push_now(queue, jobs, ttl);
        Box::pin(async move { Ok(out) })
    }

    fn take<'a>(&'a self, queue: &'a str, max: usize, wait: Duration) -> BrokerFuture<'a, Vec<Delivery>> {
        Box::pin(async move { Ok(self.take_waiting(queue, max, wait).await) })
    }

    fn ack<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> {
        let r = self.ack_now(d);
        Box::pin(async move { r })
    }

    fn retry<'a>(&'a self, d: &'a Delivery, after: Duration, error: String) -> BrokerFuture<'a, ()> {
        let r = self.retry_now(d, after, error);
        Box::pin(async move { r })
    }

    fn bury<'a>(&'a self, d: &'a Delivery, dead_letter: &'a str, error: String) -> BrokerFuture<'a, ()> {
        let r = self.bury_now(d, dead_letter, error);
        Box::pin(async move { r })
    }

    fn release<'a>(&'a self, d: &'a Delivery) -> BrokerFuture<'a, ()> {
        let r = self.release_now(d);
        Box::pin(async move { r })
    }

    fn declare(&self, queue: &str, dead_letter: &str) {
        self.lock().dead_letters.insert(queue.to_string(), dead_letter.to_string());
    }

    fn recorded_dead_letter<'a>(&'a self, queue: &'a str) -> BrokerFuture<'a, Option<String>> {
        let d = self.lock().dead_letters.get(queue).cloned();
        Box::pin(async move { Ok(d) })
    }

    fn stats<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, QueueStats> {
        let s = self.stats_now(queue, dead_letter);
        Box::pin(async move { Ok(s) })
    }

    fn retry_dead<'a>(&'a self, queue: &'a str, dead_letter: &'a str) -> BrokerFuture<'a, u64> {
        let n = self.retry_dead_now(queue, dead_letter);
        Box::pin(async move { Ok(n) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::Value;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn job(id: &str, delay: Duration, idempotent: bool) -> NewJob {
        let envelope = Envelope { id: id.into(), name: "n".into(), payload: Value::Null, attempt: 1, enqueued_at: 0.0, last_error: None };
        let text = envelope.encode().unwrap();
        NewJob { envelope, text, delay, idempotent }
    }

    const TTL: Duration = Duration::from_secs(60);

    #[test]
    fn jobs_come_out_in_push_order_and_a_release_puts_one_back_in_front() {
        let b = MemoryBroker::new();
        b.push_now("q", ["a", "b", "c"].map(|i| job(i, Duration::ZERO, false)).to_vec(), TTL);
        let (got, _) = b.take_now("q", 2);
        assert_eq!(got.iter().map(|d| d.envelope.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        b.release_now(&got[0]).unwrap();
        let (again, _) = b.take_now("q", 5);
        assert_eq!(again.iter().map(|d| d.envelope.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(b.stats_now("q", "q.dead").running, 3);
    }

    #[test]
    fn a_delayed_job_is_not_taken_before_it_is_due() {
        let b = MemoryBroker::new();
        b.push_now("q", vec![job("late", Duration::from_millis(80), false)], TTL);
        let (none, due) = b.take_now("q", 1);
        assert!(none.is_empty() && due.is_some());
        assert_eq!(b.stats_now("q", "d").delayed, 1);
        std::thread::sleep(Duration::from_millis(90));
        assert_eq!(b.take_now("q", 1).0.len(), 1);
    }

    #[test]
    fn a_second_push_with_the_same_id_is_a_no_op_until_the_ttl_passes() {
        let b = MemoryBroker::new();
        assert_eq!(b.push_now("q", vec![job("k", Duration::ZERO, true)], TTL), [Pushed::Queued("k".into())]);
        assert_eq!(b.push_now("q", vec![job("k", Duration::ZERO, true)], TTL), [Pushed::Duplicate("k".into())]);
        assert_eq!(b.push_now("other", vec![job("k", Duration::ZERO, true)], TTL), [Pushed::Queued("k".into())]);
        b.push_now("t", vec![job("x", Duration::ZERO, true)], Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(b.push_now("t", vec![job("x", Duration::ZERO, true)], TTL), [Pushed::Queued("x".into())]);
        assert_eq!(b.stats_now("q", "d").ready, 1);
    }

    #[test]
    fn retry_counts_the_attempt_and_bury_keeps_the_error_until_retry_dead() {
        let b = MemoryBroker::new();
        b.push_now("q", vec![job("j", Duration::ZERO, false)], TTL);
        let d = b.take_now("q", 1).0.remove(0);
        b.retry_now(&d, Duration::ZERO, "boom 1".into()).unwrap();
        assert!(b.ack_now(&d).is_err(), "a settled delivery cannot be settled twice");
        let d = b.take_now("q", 1).0.remove(0);
        assert_eq!((d.envelope.attempt, d.envelope.last_error.as_deref()), (2, Some("boom 1")));
        b.bury_now(&d, "q.dead", "boom 2".into()).unwrap();
        let s = b.stats_now("q", "q.dead");
        assert_eq!((s.ready, s.running, s.dead, s.failed), (0, 0, 1, 2));
        assert_eq!(b.retry_dead_now("q", "q.dead"), 1);
        let d = b.take_now("q", 1).0.remove(0);
        assert_eq!(d.envelope.attempt, 1);
        b.ack_now(&d).unwrap();
        assert_eq!(b.stats_now("q", "q.dead"), QueueStats { done: 1, failed: 2, ..Default::default() });
    }

    /// Many threads push, take, retry with and without delay, release and ack at
    /// once; every job ends done exactly once, and nothing deadlocks (the test
    /// would hang) or is lost (the counts would differ).
    #[test]
    fn many_threads_hammering_push_take_promote_ack_lose_nothing_and_never_deadlock() {
        const PUSHERS: u64 = 4;
        const PER_PUSHER: u64 = 2_000;
        let b = Arc::new(MemoryBroker::new());
        let done = Arc::new(AtomicU64::new(0));
        let seen: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let mut threads = Vec::new();
        for p in 0..PUSHERS {
            let b = b.clone();
            threads.push(std::thread::spawn(move || {
                for i in 0..PER_PUSHER {
                    let delay = if i % 7 == 0 { Duration::from_millis(i % 5) } else { Duration::ZERO };
                    b.push_now("q", vec![job(&format!("{p}-{i}"), delay, i % 3 == 0)], TTL);
                    if i % 500 == 0 {
                        b.stats_now("q", "q.dead");
                    }
                }
            }));
        }
        let total = PUSHERS * PER_PUSHER;
        for c in 0..4u64 {
            let (b, done, seen) = (b.clone(), done.clone(), seen.clone());
            let handle = rt.handle().clone();
            threads.push(std::thread::spawn(move || {
                let started = Instant::now();
                let mut n = 0u64;
                while done.load(Ordering::Acquire) < total && started.elapsed() < Duration::from_secs(30) {
                    // Half the consumers wait through the async path, half poll.
                    let got = if c % 2 == 0 {
                        handle.block_on(b.take("q", 8, Duration::from_millis(5))).unwrap()
                    } else {
                        b.take_now("q", 8).0
                    };
                    for d in got {
                        n += 1;
                        match n % 10 {
                            0 => b.retry_now(&d, Duration::from_millis(n % 3), "again".into()).unwrap(),
                            1 => b.release_now(&d).unwrap(),
                            _ => {
                                b.ack_now(&d).unwrap();
                                *seen.lock().unwrap().entry(d.envelope.id.clone()).or_default() += 1;
                                done.fetch_add(1, Ordering::AcqRel);
                            }
                        }
                    }
                }
            }));
        }
        for t in threads {
            t.join().unwrap();
        }
        let seen = seen.lock().unwrap();
        assert_eq!(done.load(Ordering::Acquire), total, "every job is done");
        assert_eq!(seen.len() as u64, total, "no job is missing");
        assert!(seen.values().all(|n| *n == 1), "no job was done twice");
        let s = b.stats_now("q", "q.dead");
        assert_eq!((s.ready, s.delayed, s.running, s.done), (0, 0, 0, total));
    }
}
