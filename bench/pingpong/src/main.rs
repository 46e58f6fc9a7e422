//! Thread hand-off latency floor for folk's scheduler design.
//!
//! folk hands each request from a Rust I/O thread to a PHP worker thread and
//! back. This measures what one such round trip costs on this machine with
//! nothing else in it: two threads passing a token back and forth, either
//! parking in the kernel between hand-offs or burning a core spinning.
//!
//! Each printed figure is a ROUND TRIP (main -> worker -> main), i.e. two
//! hand-offs, measured per iteration with `Instant`. One line per case:
//!
//!   pingpong <case> p50_us=.. p99_us=.. n=..
//!
//! Env: PINGPONG_N (default 200000 timed round trips per case) and
//! PINGPONG_TOTAL_SECS (default 10, hard cap for the whole run, shared out
//! among the cases still to run; n reports how many round trips actually ran).

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const WARMUP_ROUNDS: usize = 20_000;
const WARMUP_MAX: Duration = Duration::from_millis(500);

struct Budget {
    n: usize,
    max: Duration,
}

/// Runs `round` for warm-up, then up to `b.n` timed round trips or until
/// `b.max` elapses, and returns the per-round-trip times in nanoseconds.
fn measure(b: &Budget, mut round: impl FnMut()) -> Vec<u64> {
    let t0 = Instant::now();
    for _ in 0..WARMUP_ROUNDS {
        round();
        if t0.elapsed() > WARMUP_MAX {
            break;
        }
    }
    let mut samples = Vec::with_capacity(b.n);
    let start = Instant::now();
    for i in 0..b.n {
        let t = Instant::now();
        round();
        samples.push(t.elapsed().as_nanos() as u64);
        // Checking the clock every 1024 rounds keeps the overhead out of the samples.
        if i % 1024 == 1023 && start.elapsed() > b.max {
            break;
        }
    }
    samples
}

/// (a) std::sync::mpsc: each side blocks in recv() (crossbeam-style brief
/// backoff, then parks on a futex).
fn case_mpsc(b: &Budget) -> Vec<u64> {
    let (to_worker, worker_rx) = mpsc::channel::<u64>();
    let (to_main, main_rx) = mpsc::channel::<u64>();
    let worker = thread::spawn(move || {
        while let Ok(v) = worker_rx.recv() {
            if to_main.send(v + 1).is_err() {
                break;
            }
        }
    });
    let mut v = 0u64;
    let samples = measure(b, || {
        to_worker.send(v).unwrap();
        v = main_rx.recv().unwrap();
    });
    drop(to_worker);
    worker.join().unwrap();
    samples
}

/// (a') Mutex + Condvar: the purest "each side parks" hand-off.
fn case_condvar(b: &Budget) -> Vec<u64> {
    // state: even = main's turn, odd = worker's turn, u64::MAX = stop.
    let shared = Arc::new((Mutex::new(0u64), Condvar::new()));
    let w = Arc::clone(&shared);
    let worker = thread::spawn(move || {
        let (lock, cv) = &*w;
        let mut s = lock.lock().unwrap();
        loop {
            while *s != u64::MAX && *s % 2 == 0 {
                s = cv.wait(s).unwrap();
            }
            if *s == u64::MAX {
                return;
            }
            *s += 1;
            cv.notify_one();
        }
    });
    let (lock, cv) = &*shared;
    let samples = measure(b, || {
        let mut s = lock.lock().unwrap();
        *s += 1; // -> odd: worker's turn
        cv.notify_one();
        while *s % 2 == 1 {
            s = cv.wait(s).unwrap();
        }
    });
    *lock.lock().unwrap() = u64::MAX;
    cv.notify_one();
    worker.join().unwrap();
    samples
}

/// (b) Both sides spin on one AtomicU64: the hardware floor (costs two cores).
fn case_spin(b: &Budget) -> Vec<u64> {
    // even = main's turn, odd = worker's turn, u64::MAX = stop.
    let seq = Arc::new(AtomicU64::new(0));
    let w = Arc::clone(&seq);
    let worker = thread::spawn(move || loop {
        let s = w.load(Ordering::Acquire);
        if s == u64::MAX {
            return;
        }
        if s % 2 == 1 {
            w.store(s + 1, Ordering::Release);
        } else {
            spin_loop();
        }
    });
    let mut next = 0u64;
    let samples = measure(b, || {
        next += 1;
        seq.store(next, Ordering::Release);
        next += 1;
        while seq.load(Ordering::Acquire) != next {
            spin_loop();
        }
    });
    seq.store(u64::MAX, Ordering::Release);
    worker.join().unwrap();
    samples
}

fn percentile_us(sorted: &[u64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx] as f64 / 1000.0
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let n = env_or("PINGPONG_N", 200_000usize);
    let deadline = Instant::now() + Duration::from_secs_f64(env_or("PINGPONG_TOTAL_SECS", 10.0f64));
    // Fastest first, so the slow parking cases inherit the unused time.
    let cases: [(&str, fn(&Budget) -> Vec<u64>); 3] = [
        ("spin", case_spin),
        ("blocking", case_mpsc),
        ("condvar", case_condvar),
    ];
    for (i, (name, run)) in cases.iter().enumerate() {
        // Each case may use an equal share of what is left (minus its warm-up).
        let left = deadline.saturating_duration_since(Instant::now());
        let share = left / (cases.len() - i) as u32;
        let b = Budget { n, max: share.saturating_sub(WARMUP_MAX).max(Duration::from_millis(100)) };
        let mut s = run(&b);
        s.sort_unstable();
        if s.len() < b.n {
            eprintln!("pingpong {name}: time cap hit after {} of {} round trips", s.len(), b.n);
        }
        println!(
            "pingpong {name} p50_us={:.2} p99_us={:.2} n={}",
            percentile_us(&s, 0.50),
            percentile_us(&s, 0.99),
            s.len()
        );
    }
}
