//! A runtime without PHP, for unit tests of pool logic. Methods: "echo"
//! answers the payload, "sleep" sleeps payload ms (honouring interrupts),
//! "hang" ignores soft interrupts, "fail" is an application error, "die"
//! kills the worker mid-job. "http" plays a PHP HTTP handler (see `http`)
//! so the HTTP plugin can be tested end to end without PHP.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::bridge::{Key, Value};
use crate::error::WorkError;
use super::{Interrupt, KillLevel, RecycleReason, Runtime, WorkerLink};

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

    /// No PHP signal handlers in unit tests: nothing to keep away.
    fn prepare_service_thread(&self) {}
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
                let level = if m == "hang" { KillLevel::Hard } else { KillLevel::Soft };
                while Instant::now() < until {
                    if link.kill_flag().load() >= level {
                        link.fail_and_leave(WorkError::WorkerDied("interrupted".into()), RecycleReason::Timeout);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                link.finish(Ok(Value::Int(ms as i64)), 0);
            }
            "http" => {
                if !http(link, job.payload) {
                    return;
                }
            }
            other => link.finish(Err(WorkError::WorkerDied(format!("unknown mock method {other}"))), 0),
        }
    }
}

/// A handler driven by the request path: "/string" answers a plain string,
/// "/null" null, "/bad" a float (not a response), "/fail" throws, "/die"
/// kills the worker, "/status/N" answers status N, "/sleep/N" sleeps N ms
/// and then echoes; anything else echoes: status 200, the request body as
/// body, request fields as x-* headers and every "x-echo" request header
/// back as a multi-valued "x-echo" (the "host" header as "x-host"). Returns false when the worker left.
fn http(link: &WorkerLink, mut req: Value) -> bool {
    // As serve() does for a PHP handler: a spooled body is read in when the job runs.
    super::spool::inline(&mut req).expect("the spooled body reads back");
    let field = |name: &str| match &req {
        Value::Map(entries) => entries.iter().find(|(k, _)| *k == Key::Str(name.into())).map(|(_, v)| v.clone()),
        _ => None,
    };
    let text = |name: &str| match field(name) {
        Some(Value::Str(s)) => String::from_utf8_lossy(&s).into_owned(),
        _ => String::new(),
    };
    let path = text("path");
    let answer = match path.as_str() {
        "/string" => Value::str("hello from folk"),
        "/null" => Value::Null,
        "/bad" => Value::Float(1.5),
        "/fail" => {
            link.finish(
                Err(WorkError::Application {
                    class: "RuntimeException".into(),
                    message: "mock handler failure".into(),
                    file: "mock.php".into(),
                    line: 7,
                }),
                0,
            );
            return true;
        }
        "/die" => {
            link.fail_and_leave(WorkError::WorkerDied("mock fatal error".into()), RecycleReason::Fatal);
            return false;
        }
        p if p.starts_with("/status/") => {
            let status = p["/status/".len()..].parse::<i64>().unwrap_or(0);
            map(vec![("status", Value::Int(status)), ("body", Value::str(format!("status {status}")))])
        }
        p => {
            if let Some(ms) = p.strip_prefix("/sleep/").and_then(|n| n.parse::<u64>().ok()) {
                let until = Instant::now() + Duration::from_millis(ms);
                while Instant::now() < until {
                    if link.kill_flag().load() >= KillLevel::Soft {
                        link.fail_and_leave(WorkError::WorkerDied("interrupted".into()), RecycleReason::Timeout);
                        return false;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            let mut headers = vec![(Key::Str(b"content-type".to_vec()), Value::str("application/octet-stream"))];
            for name in ["method", "target", "path", "query", "protocol", "remote", "local"] {
                headers.push((Key::Str(format!("x-{name}").into_bytes()), Value::str(text(name))));
            }
            let sent = match field("headers") {
                Some(Value::Map(h)) => h,
                _ => Vec::new(),
            };
            for (name, back) in [("x-echo", "x-echo"), ("host", "x-host")] {
                if let Some((_, values)) = sent.iter().find(|(k, _)| *k == Key::str(name)) {
                    headers.push((Key::str(back), values.clone()));
                }
            }
            let body = field("body").unwrap_or(Value::str(""));
            map(vec![("status", Value::Int(200)), ("headers", Value::Map(headers)), ("body", body)])
        }
    };
    link.finish(Ok(answer), 0);
    true
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (Key::str(k), v)).collect())
}

pub fn runtime() -> Arc<MockRuntime> {
    Arc::new(MockRuntime::default())
}
