//! Pool logic against the mock runtime: dispatch, limits, failures, reload,
//! shutdown. PHP behaviour itself is pinned by the phpt suite.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::state::SlotState;
use super::*;
use crate::pool::mock::{self, MockRuntime};

fn config(count: usize) -> PoolConfig {
    let mut c = PoolConfig::default();
    c.worker = "mock".into();
    c.workers.count = count;
    c.workers.exec_timeout = Some(Duration::from_secs(5));
    c.workers.boot_timeout = Duration::from_secs(2);
    c
}

fn pool(c: PoolConfig) -> (Pool, Arc<MockRuntime>) {
    let rt = mock::runtime();
    (Pool::start(c, rt.clone()).unwrap(), rt)
}

#[test]
fn echo_round_trip() {
    let (p, _) = pool(config(2));
    assert_eq!(p.execute("echo", Value::Int(42)), Ok(Value::Int(42)));
    let st = p.stats();
    assert_eq!(st.ok, 1);
    assert_eq!(st.slots.len(), 2);
}

#[test]
fn slow_job_does_not_block_the_queue() {
    let (p, _) = pool(config(2));
    let slow = p.submit("sleep", Value::Int(500)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let t = Instant::now();
    assert_eq!(p.execute("echo", Value::Int(1)), Ok(Value::Int(1)));
    assert!(t.elapsed() < Duration::from_millis(200), "fast job waited {:?}", t.elapsed());
    assert_eq!(slow.wait(None), Some(Ok(Value::Int(500))));
}

#[test]
fn full_queue_is_busy_at_once() {
    let mut c = config(1);
    c.queue.size = 2;
    let (p, _) = pool(c);
    let _running = p.submit("sleep", Value::Int(300)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let _a = p.submit("echo", Value::Int(1)).unwrap();
    let _b = p.submit("echo", Value::Int(2)).unwrap();
    let t = Instant::now();
    assert!(matches!(p.submit("echo", Value::Int(3)), Err(WorkError::Busy(_))));
    assert!(t.elapsed() < Duration::from_millis(50));
}

#[test]
fn queue_timeout_is_busy_at_the_deadline() {
    let mut c = config(1);
    c.queue.timeout = Some(Duration::from_millis(100));
    let (p, _) = pool(c);
    let _running = p.submit("sleep", Value::Int(400)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let t = Instant::now();
    let r = p.execute("echo", Value::Int(1));
    assert!(matches!(r, Err(WorkError::Busy(_))), "{r:?}");
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(90) && waited < Duration::from_millis(250), "{waited:?}");
}

#[test]
fn exec_timeout_answers_on_time_and_recycles() {
    let mut c = config(1);
    c.workers.exec_timeout = Some(Duration::from_millis(100));
    let (p, _) = pool(c);
    let t = Instant::now();
    let r = p.execute("sleep", Value::Int(5_000));
    assert_eq!(r, Err(WorkError::Timeout(Duration::from_millis(100))));
    assert!(t.elapsed() < Duration::from_millis(200), "{:?}", t.elapsed());
    // The next job is served by a fresh worker.
    assert_eq!(p.execute("echo", Value::Int(7)), Ok(Value::Int(7)));
    assert_eq!(p.stats().slots[0].restarts, 1);
}

#[test]
fn a_worker_ignoring_the_soft_interrupt_is_stopped_hard() {
    let mut c = config(1);
    c.workers.exec_timeout = Some(Duration::from_millis(50));
    let (p, _) = pool(c);
    assert!(matches!(p.execute("hang", Value::Int(10_000)), Err(WorkError::Timeout(_))));
    let t = Instant::now();
    assert_eq!(p.execute("echo", Value::Int(1)), Ok(Value::Int(1)));
    assert!(t.elapsed() < Duration::from_secs(1));
}

#[test]
fn worker_death_fails_one_job_and_the_pool_recovers() {
    let (p, _) = pool(config(2));
    let others: Vec<_> = (0..20).map(|i| p.submit("echo", Value::Int(i)).unwrap()).collect();
    assert!(matches!(p.execute("die", Value::Null), Err(WorkError::WorkerDied(_))));
    for (i, r) in others.into_iter().enumerate() {
        assert_eq!(r.wait(None), Some(Ok(Value::Int(i as i64))));
    }
    assert_eq!(p.execute("echo", Value::Int(9)), Ok(Value::Int(9)));
}

#[test]
fn application_errors_keep_the_worker() {
    let (p, _) = pool(config(1));
    assert!(matches!(p.execute("fail", Value::Null), Err(WorkError::Application { .. })));
    assert_eq!(p.execute("echo", Value::Int(1)), Ok(Value::Int(1)));
    assert_eq!(p.stats().slots[0].restarts, 0);
}

#[test]
fn repeated_boot_failures_make_the_pool_unhealthy_and_fail_fast() {
    let rt = mock::runtime();
    rt.boot_failures.store(1_000, Ordering::Release);
    let p = Pool::start(config(1), rt).unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while p.stats().healthy && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let t = Instant::now();
    match p.execute("echo", Value::Null) {
        Err(WorkError::Unhealthy(why)) => assert!(why.contains("mock boot failure"), "{why}"),
        other => panic!("expected Unhealthy, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_millis(20));
}

#[test]
fn transient_boot_failures_are_retried() {
    let rt = mock::runtime();
    rt.boot_failures.store(2, Ordering::Release);
    let p = Pool::start(config(1), rt.clone()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut r = p.execute("echo", Value::Int(1));
    while r.is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        r = p.execute("echo", Value::Int(1));
    }
    assert_eq!(r, Ok(Value::Int(1)));
    assert_eq!(rt.boots.load(Ordering::Acquire), 3);
    assert!(p.stats().healthy);
}

#[test]
fn max_jobs_recycles_without_losing_jobs() {
    let mut c = config(2);
    c.workers.max_jobs = 10;
    let (p, _) = pool(c);
    let replies: Vec<_> = (0..200).map(|_| p.submit("sleep", Value::Int(1)).unwrap()).collect();
    for r in replies {
        assert_eq!(r.wait(Some(Duration::from_secs(10))), Some(Ok(Value::Int(1))));
    }
    let st = p.stats();
    let restarts: u64 = st.slots.iter().map(|s| s.restarts).sum();
    // ~20 when every limit is honoured at once; a slot serves past its limit
    // while the other one is being replaced (at most half at once), longer
    // when boots are slow on a loaded machine. Without max_jobs: none.
    assert!(restarts >= 4, "restarts {restarts}");
}

#[test]
fn reload_under_load_loses_nothing() {
    let (p, _) = pool(config(3));
    let replies: Vec<_> = (0..300).map(|i| p.submit("sleep", Value::Int(i % 3)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(30));
    p.reload();
    p.reload();
    for r in replies {
        assert!(matches!(r.wait(Some(Duration::from_secs(10))), Some(Ok(_))));
    }
    let st = p.stats();
    assert!(st.slots.iter().all(|s| s.generation == st.generation || s.state != SlotState::Idle));
}

#[test]
fn shutdown_drains_queued_jobs() {
    let (p, _) = pool(config(2));
    let replies: Vec<_> = (0..40).map(|_| p.submit("sleep", Value::Int(5)).unwrap()).collect();
    p.shutdown(Duration::from_secs(5));
    for r in replies {
        assert_eq!(r.wait(Some(Duration::ZERO)), Some(Ok(Value::Int(5))));
    }
    assert_eq!(p.submit("echo", Value::Null).err(), Some(WorkError::ShutDown));
    assert!(p.stats().slots.iter().all(|s| s.state == SlotState::Dead));
}

#[test]
fn shutdown_interrupts_what_outlives_the_timeout() {
    let (p, _) = pool(config(1));
    let long = p.submit("sleep", Value::Int(10_000)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let t = Instant::now();
    p.shutdown(Duration::from_millis(100));
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(long.wait(Some(Duration::ZERO)), Some(Err(WorkError::ShutDown)));
}

#[test]
fn stress_every_job_gets_exactly_its_answer() {
    let (p, _) = pool(config(4));
    let p = Arc::new(p);
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let p = p.clone();
            std::thread::spawn(move || {
                let mut ok = 0;
                for i in 0..2_000i64 {
                    let n = t * 1_000_000 + i;
                    let method = if i % 97 == 0 { "fail" } else if i % 331 == 0 { "die" } else { "echo" };
                    match (method, p.execute(method, Value::Int(n))) {
                        ("echo", Ok(Value::Int(v))) => {
                            assert_eq!(v, n);
                            ok += 1
                        }
                        ("fail", Err(WorkError::Application { .. })) => {}
                        ("die", Err(WorkError::WorkerDied(_))) => {}
                        (m, r) => panic!("{m}: unexpected {r:?}"),
                    }
                }
                ok
            })
        })
        .collect();
    let ok: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(ok > 7_000);
}

/// Dispatch cost without PHP: `cargo test --release -- --ignored --nocapture bench_`.
#[test]
#[ignore]
fn bench_roundtrip_from_rust() {
    let (p, _) = pool(config(1));
    for _ in 0..2_000 {
        p.execute("echo", Value::Null).unwrap();
    }
    let n = 100_000;
    let mut lat: Vec<f64> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        p.execute("echo", Value::Null).unwrap();
        lat.push(t.elapsed().as_secs_f64() * 1e6);
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("pool roundtrip_rust p50_us={:.1} p99_us={:.1} n={n}", lat[n / 2], lat[n * 99 / 100]);
}

#[test]
fn the_main_slot_serves_is_never_respawned_and_retires_on_reload() {
    let rt = mock::runtime();
    let p = Pool::start_with_main(config(1), rt.clone(), true).unwrap();
    let link = p.attach_main().expect("main slot");
    assert!(p.attach_main().is_none(), "attached twice");
    let main = std::thread::spawn(move || {
        assert!(link.booted());
        let mut served = 0;
        while let Some(job) = link.next_job() {
            served += 1;
            link.finish(Ok(job.payload), 0);
        }
        link.exited(None);
        served
    });
    // Keep the thread slot busy, so the echo jobs below must go to the main
    // slot (a spinning thread slot could otherwise take them all). If the main
    // slot takes the sleep job, it answers at once and we try again.
    let busy = (0..100).find_map(|_| {
        let r = p.submit("sleep", Value::Int(300)).unwrap();
        let deadline = Instant::now() + Duration::from_millis(100);
        while Instant::now() < deadline {
            if p.stats().slots[0].state == SlotState::Busy {
                return Some(r);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        None
    });
    let busy = busy.expect("the thread slot never took a sleep job");
    let replies: Vec<_> = (0..200).map(|i| p.submit("echo", Value::Int(i)).unwrap()).collect();
    for (i, r) in replies.into_iter().enumerate() {
        assert_eq!(r.wait(Some(Duration::from_secs(5))), Some(Ok(Value::Int(i as i64))));
    }
    assert_eq!(busy.wait(Some(Duration::from_secs(5))), Some(Ok(Value::Int(300))));
    p.reload();
    let served = main.join().unwrap();
    assert!(served > 0, "the main slot took jobs");
    // Retired after the reload: the pool keeps serving on its thread slots, the main slot stays dead.
    assert_eq!(p.execute("echo", Value::Int(1)), Ok(Value::Int(1)));
    std::thread::sleep(Duration::from_millis(50));
    let st = p.stats();
    assert_eq!(st.slots[1].state, SlotState::Dead);
    assert_eq!(st.slots[1].restarts, 0);
}

#[test]
fn an_abandoned_queued_job_is_dropped_unrun_and_counted() {
    let (p, _) = pool(config(1));
    let _running = p.submit("sleep", Value::Int(200)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let gone = p.submit("sleep", Value::Int(5_000)).unwrap();
    gone.abandon();
    let t = Instant::now();
    assert_eq!(p.execute("echo", Value::Int(1)), Ok(Value::Int(1)));
    assert!(t.elapsed() < Duration::from_secs(2), "the abandoned 5 s job ran: {:?}", t.elapsed());
    assert_eq!(p.stats().abandoned, 1);
    assert!(!gone.is_done(), "nobody answers a job nobody waits for");
}

#[test]
fn a_reply_dropped_unwaited_still_runs_its_job() {
    // Folk\Pool's rule: a future dropped without wait() is fire-and-forget.
    let (p, _) = pool(config(1));
    drop(p.submit("sleep", Value::Int(50)).unwrap());
    assert_eq!(p.execute("echo", Value::Int(2)), Ok(Value::Int(2)));
    let st = p.stats();
    assert_eq!((st.ok, st.abandoned), (2, 0));
}

#[test]
fn a_full_queue_makes_room_by_dropping_abandoned_jobs() {
    let mut c = config(1);
    c.queue.size = 2;
    let (p, _) = pool(c);
    let _running = p.submit("sleep", Value::Int(300)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    p.submit("echo", Value::Int(1)).unwrap().abandon();
    p.submit("echo", Value::Int(2)).unwrap().abandon();
    let live = p.submit("echo", Value::Int(3)).expect("room made from the abandoned jobs");
    assert_eq!(p.stats().abandoned, 2);
    assert_eq!(live.wait(Some(Duration::from_secs(5))), Some(Ok(Value::Int(3))));
}

#[test]
fn a_reload_whose_workers_cannot_boot_leaves_the_previous_ones_serving_until_the_next_reload() {
    let (p, rt) = pool(config(3));
    let serving_in = |p: &Pool, g: u64| p.stats().slots.iter().filter(|s| s.generation == g && matches!(s.state, SlotState::Idle | SlotState::Busy)).count();
    rt.boot_failures.store(u32::MAX, Ordering::Release);
    p.reload();
    std::thread::sleep(Duration::from_millis(300));
    // One slot (the replace cap of 3) was replaced and cannot boot; the other two stay.
    assert_eq!(serving_in(&p, 1), 2, "{:?}", p.stats().slots);
    for i in 0..20 {
        assert_eq!(p.execute("echo", Value::Int(i)), Ok(Value::Int(i)));
    }
    assert!(p.stats().healthy);
    // Fixed code: the next reload replaces every worker.
    rt.boot_failures.store(0, Ordering::Release);
    p.reload();
    let deadline = Instant::now() + Duration::from_secs(8);
    while serving_in(&p, 3) < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(serving_in(&p, 3), 3, "{:?}", p.stats().slots);
}
