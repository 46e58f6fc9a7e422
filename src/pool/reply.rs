//! The one answer a job gets. Whoever completes it first wins (the worker,
//! or the supervisor on a timeout), so a caller gets exactly one answer and
//! never waits for a worker that was interrupted.
//!
//! A caller that will never read the answer (an HTTP client that closed its
//! connection) may mark it abandoned: a queued job so marked is dropped
//! before a worker takes it. Only callers that opt in (`AbandonOnDrop`) mark
//! it; a `Folk\Pool` future dropped unwaited leaves its job to run (jobs are
//! fire-and-forget there).
//!
//! A caller may also give the reply a `Finish`: work done on a successful
//! answer where it is produced (the worker's thread), before it is handed
//! over. The HTTP plugin writes a large answer to disk there, so a burst of
//! answers waits for the disk on the threads that made them instead of
//! piling up in memory for the one I/O thread, and their bytes are freed by
//! the thread that allocated them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::Waker;
use std::time::{Duration, Instant};

use crate::bridge::Value;
use crate::error::WorkError;

pub type JobResult = Result<Value, WorkError>;

/// Work on a successful answer, run once by whoever completes the reply with
/// it. Shared, so a caller can keep its own handle on what the work produced.
pub trait Finish: Send + Sync {
    fn finish(&self, answer: &mut Value);
}

/// Where an answer goes when no caller waits for it: the connection a
/// request came in on, answered by the thread that completes the reply
/// (the worker, or the supervisor on a timeout; `http.direct`).
pub trait Deliver: Send {
    /// `reply` is the one completed, for the stream its answer's body may follow on.
    fn deliver(self: Box<Self>, result: JobResult, reply: &Reply);

    /// Whether the client is known to be gone (asked while the job runs, at its output).
    fn client_gone(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct Reply {
    /// This job's hard time limit, instead of `workers.exec_timeout` (the jobs plugin's per-queue `timeout`).
    exec_timeout: Option<Duration>,
    done: AtomicBool,
    /// Nobody will read the answer: a worker that pops the job drops it.
    abandoned: AtomicBool,
    state: Mutex<State>,
    cv: Condvar,
    finish: Mutex<Option<Arc<dyn Finish>>>,
    /// The body of a response the PHP side streams (`stream::Offer::open`).
    stream: Mutex<Option<super::stream::Receiver>>,
    /// Set for an answer nobody waits for: the winning completion hands it over here.
    deliver: Mutex<Option<Box<dyn Deliver>>>,
    /// Made with a `Deliver` (never changes): only then is there a client to ask about.
    delivers: bool,
}

#[derive(Default)]
struct State {
    result: Option<JobResult>,
    waker: Option<Waker>,
    taken: bool,
    /// Blocking callers waiting on `cv`: only then is a futex wake worth its syscall.
    parked: usize,
}

/// How long a waiting caller spins before it parks: a worker usually answers
/// a short job within microseconds, and a futex wake costs ~20us here.
const SPIN: Duration = Duration::from_micros(50);

impl Reply {
    pub fn new() -> Self {
        Self::default()
    }

    /// A reply whose job may run `limit` (None: `workers.exec_timeout`).
    pub fn with_exec_timeout(limit: Option<Duration>) -> Self {
        Reply { exec_timeout: limit, ..Self::default() }
    }

    /// A reply whose successful answer goes through `finish` first, on the thread that answers.
    pub fn with_finish(finish: Arc<dyn Finish>) -> Self {
        Reply { finish: Mutex::new(Some(finish)), ..Self::default() }
    }

    /// A reply whose answer goes to `to` instead of a waiting caller.
    pub fn delivered(to: Box<dyn Deliver>) -> Self {
        Reply { deliver: Mutex::new(Some(to)), delivers: true, ..Self::default() }
    }

    /// The PHP side opened the response's stream: its receiving end waits here.
    pub fn put_stream(&self, rx: super::stream::Receiver) {
        *self.stream.lock().unwrap_or_else(|e| e.into_inner()) = Some(rx);
    }

    /// The stream the PHP side opened, taken once by the HTTP side.
    pub fn take_stream(&self) -> Option<super::stream::Receiver> {
        self.stream.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The job's own time limit, if it has one.
    pub fn exec_timeout(&self) -> Option<Duration> {
        self.exec_timeout
    }

    /// Stores the answer unless one is already there, after the reply's
    /// `Finish` (if any) worked on it. Returns whether this call won.
    pub fn complete(&self, mut result: JobResult) -> bool {
        if self.is_done() {
            return false;
        }
        if let Ok(value) = &mut result {
            let finish = self.finish.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(finish) = finish {
                finish.finish(value);
            }
        }
        let (waker, parked) = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if st.result.is_some() || st.taken {
                return false;
            }
            let deliver = self.deliver.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(to) = deliver {
                st.taken = true;
                self.done.store(true, Ordering::Release);
                drop(st);
                to.deliver(result, self);
                return true;
            }
            st.result = Some(result);
            self.done.store(true, Ordering::Release);
            (st.waker.take(), st.parked > 0)
        };
        if parked {
            self.cv.notify_all();
        }
        if let Some(w) = waker {
            w.wake();
        }
        true
    }

    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// The caller is gone for good: the job, if still queued, need not run.
    pub fn abandon(&self) {
        self.abandoned.store(true, Ordering::Release);
    }

    /// One atomic load: checked by every worker for every job it pops.
    pub fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Acquire)
    }

    /// Whether the caller is gone, as the running job's output asks it:
    /// abandoned, or (an answer delivered to a connection) its client left.
    pub fn client_gone(&self) -> bool {
        // Every popped job asks: a reply without a connection takes no lock.
        self.is_abandoned()
            || (self.delivers && self.deliver.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|d| d.client_gone()))
    }

    /// Takes the answer, waiting up to `timeout` (forever if None).
    /// Returns None on timeout; the answer stays available for a later call.
    pub fn wait(&self, timeout: Option<Duration>) -> Option<JobResult> {
        let start = Instant::now();
        let deadline = timeout.map(|t| start + t);
        // Brief spin: the hand-off then costs a cache-line transfer, not a wake-up.
        let spin = SPIN.min(timeout.unwrap_or(SPIN));
        'spin: while start.elapsed() < spin {
            for _ in 0..64 {
                if self.is_done() {
                    break 'spin;
                }
                std::hint::spin_loop();
            }
        }
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(r) = st.result.take() {
                st.taken = true;
                return Some(r);
            }
            if st.taken {
                return Some(Err(WorkError::WorkerDied("the answer was already taken".into())));
            }
            let left = match deadline {
                None => None,
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return None,
                },
            };
            st.parked += 1;
            st = match left {
                None => self.cv.wait(st).unwrap_or_else(|e| e.into_inner()),
                Some(left) => self.cv.wait_timeout(st, left).unwrap_or_else(|e| e.into_inner()).0,
            };
            st.parked -= 1;
        }
    }

    /// Async side: takes the answer if there, else registers the waker.
    pub fn poll_take(&self, waker: &Waker) -> Option<JobResult> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = st.result.take() {
            st.taken = true;
            return Some(r);
        }
        st.waker = Some(waker.clone());
        None
    }
}

/// A future over a `Reply`, for callers on the tokio runtime. Dropping it
/// leaves the job to run (the jobs plugin's rule; HTTP uses `AbandonOnDrop`).
pub struct ReplyFuture(pub std::sync::Arc<Reply>);

impl std::future::Future for ReplyFuture {
    type Output = JobResult;
    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<JobResult> {
        match self.0.poll_take(cx.waker()) {
            Some(r) => std::task::Poll::Ready(r),
            None => std::task::Poll::Pending,
        }
    }
}

/// A `ReplyFuture` that abandons its reply when dropped before the answer
/// came: for a caller whose own future is dropped when its client leaves
/// (hyper drops a request's service future when the HTTP/1 connection
/// reaches EOF or an h2 stream is reset).
pub struct AbandonOnDrop(ReplyFuture);

impl AbandonOnDrop {
    pub fn new(reply: std::sync::Arc<Reply>) -> Self {
        AbandonOnDrop(ReplyFuture(reply))
    }
}

impl std::future::Future for AbandonOnDrop {
    type Output = JobResult;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<JobResult> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        let reply = &(self.0).0;
        if !reply.is_done() {
            reply.abandon();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn first_completion_wins() {
        let r = Reply::new();
        assert!(r.complete(Ok(Value::Int(1))));
        assert!(!r.complete(Err(WorkError::Timeout(Duration::from_secs(1)))));
        assert_eq!(r.wait(Some(Duration::ZERO)), Some(Ok(Value::Int(1))));
    }

    struct NameTheThread;
    impl Finish for NameTheThread {
        fn finish(&self, v: &mut Value) {
            *v = Value::str(format!("{:?}", std::thread::current().name()));
        }
    }

    struct Never;
    impl Finish for Never {
        fn finish(&self, _: &mut Value) {
            panic!("an error or a losing answer is not finished");
        }
    }

    #[test]
    fn the_finish_works_on_the_winning_answer_on_the_answering_thread() {
        let r = Arc::new(Reply::with_finish(Arc::new(NameTheThread)));
        let r2 = r.clone();
        std::thread::Builder::new().name("answering".into()).spawn(move || r2.complete(Ok(Value::Null))).unwrap().join().unwrap();
        assert_eq!(r.wait(Some(Duration::ZERO)), Some(Ok(Value::str("Some(\"answering\")"))));
        let timed_out = Reply::with_finish(Arc::new(Never));
        assert!(timed_out.complete(Err(WorkError::Timeout(Duration::from_secs(1)))));
        assert!(!timed_out.complete(Ok(Value::Null)), "the loser is dropped unfinished");
    }

    struct Into(Arc<Mutex<Vec<JobResult>>>);
    impl Deliver for Into {
        fn deliver(self: Box<Self>, result: JobResult, _: &Reply) {
            self.0.lock().unwrap().push(result);
        }
    }

    #[test]
    fn a_delivered_reply_hands_over_the_first_answer_only() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let r = Reply::delivered(Box::new(Into(got.clone())));
        assert!(r.complete(Err(WorkError::Timeout(Duration::from_secs(1)))));
        assert!(!r.complete(Ok(Value::Int(1))), "the worker's late answer loses to the timeout");
        assert!(r.is_done());
        assert_eq!(*got.lock().unwrap(), vec![Err(WorkError::Timeout(Duration::from_secs(1)))]);
    }

    #[test]
    fn a_parked_caller_is_woken_by_the_answer() {
        let r = Arc::new(Reply::new());
        let r2 = r.clone();
        let t = std::thread::spawn(move || r2.wait(Some(Duration::from_secs(10))));
        std::thread::sleep(Duration::from_millis(20)); // past the spin: the caller is parked
        let sent = Instant::now();
        assert!(r.complete(Ok(Value::Int(7))));
        assert_eq!(t.join().unwrap(), Some(Ok(Value::Int(7))));
        assert!(sent.elapsed() < Duration::from_secs(5), "the parked caller slept until its timeout");
    }

    #[test]
    fn a_reply_future_dropped_unanswered_leaves_the_job_alone() {
        let r = Arc::new(Reply::new());
        drop(ReplyFuture(r.clone()));
        assert!(!r.is_abandoned(), "Folk\\Pool-style callers keep fire-and-forget jobs");
    }

    #[test]
    fn an_abandon_on_drop_future_dropped_unanswered_abandons_the_job() {
        let r = Arc::new(Reply::new());
        drop(AbandonOnDrop::new(r.clone()));
        assert!(r.is_abandoned());
        let answered = Arc::new(Reply::new());
        answered.complete(Ok(Value::Null));
        drop(AbandonOnDrop::new(answered.clone()));
        assert!(!answered.is_abandoned(), "an answered job is not abandoned");
    }

    #[test]
    fn wait_times_out_then_gets_the_answer() {
        let r = Arc::new(Reply::new());
        assert_eq!(r.wait(Some(Duration::from_millis(5))), None);
        let r2 = r.clone();
        let t = std::thread::spawn(move || r2.complete(Ok(Value::Bool(true))));
        assert_eq!(r.wait(None), Some(Ok(Value::Bool(true))));
        assert!(t.join().unwrap());
    }
}
