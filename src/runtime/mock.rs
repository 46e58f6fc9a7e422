//! A runtime without PHP, for unit tests of pool logic. Methods: "echo"
//! answers the payload, "sleep" sleeps payload ms (honouring interrupts),
//! "hang" ignores soft interrupts, "fail" is an application error, "die"
//! kills the worker mid-job.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Runtime;
use crate::bridge::Value;
use crate::error::WorkError;
use crate::pool::WorkerLink;
use crate::pool::slot::{Interrupt, RecycleReason, kill};

#[derive(Default)]
pub struct MockRuntime {
    /// The next this-many boots fail.
    pub boot_failures: AtomicU32,
    pub boot_delay: Duration,
    pub boots: AtomicU32,
}

struct NoInterrupt;
impl Interrupt for NoInterrupt {
    fn soft(&self) {}
    fn hard(&self) {}
}

impl Runtime for MockRuntime {
    fn name(&self) -> &'static str {
        "mock"
    }

    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>> {
        let fail = self.boot_failures.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok();
        self.boots.fetch_add(1, Ordering::AcqRel);
        let delay = self.boot_delay;
        std::thread::Builder::new().name(format!("mock-{}", link.slot_id())).spawn(move || {
            link.publish_interrupt(Box::new(NoInterrupt));
            std::thread::sleep(delay);
            if fail {
                link.unpublish_interrupt();
                link.exited(Some("mock boot failure".into()));
                return;
            }
            if link.booted() {
                serve(&link);
            }
            link.unpublish_interrupt();
            link.exited(None);
        })
    }
}

fn serve(link: &WorkerLink) {
    while let Some(job) = link.next_job() {
        match job.method.as_str() {
            "echo" => link.finish(Ok(job.payload), 0),
            "fail" => link.finish(
                Err(WorkError::Application {
                    class: "RuntimeException".into(),
                    message: "mock failure".into(),
                    file: "mock.php".into(),
                    line: 1,
                }),
                0,
            ),
            "die" => {
                link.fail_and_leave(WorkError::WorkerDied("mock fatal error".into()), RecycleReason::Fatal);
                return;
            }
            m @ ("sleep" | "hang") => {
                let ms = match job.payload {
                    Value::Int(n) => n as u64,
                    _ => 0,
                };
                let until = Instant::now() + Duration::from_millis(ms);
                let level = if m == "hang" { kill::HARD } else { kill::SOFT };
                while Instant::now() < until {
                    if link.kill_level() >= level {
                        link.fail_and_leave(WorkError::WorkerDied("interrupted".into()), RecycleReason::Timeout);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                link.finish(Ok(Value::Int(ms as i64)), 0);
            }
            other => link.finish(Err(WorkError::WorkerDied(format!("unknown mock method {other}"))), 0),
        }
    }
}

pub fn runtime() -> Arc<MockRuntime> {
    Arc::new(MockRuntime::default())
}
