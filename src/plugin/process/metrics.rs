//! What the metrics port shows of the side processes: `folk_process_up`,
//! `folk_process_state`, `folk_process_restarts_total`, and `/readyz`'s 503
//! while a `required` instance is not up. One static registry the instances
//! update and the metrics plugin reads at scrape time.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::state::ProcState;
use crate::plugin::metrics::prometheus::{MetricSource, header};

/// One instance's live status, shared by its supervisor and the metrics page.
pub struct Status {
    pub name: String,
    pub index: usize,
    pub required: bool,
    state: Mutex<ProcState>,
    /// Running for at least `ready_after`.
    ready: AtomicBool,
    restarts: AtomicU64,
}

impl Status {
    pub fn new(name: &str, index: usize, required: bool) -> Self {
        Status { name: name.into(), index, required, state: Mutex::new(ProcState::Starting), ready: AtomicBool::new(false), restarts: AtomicU64::new(0) }
    }

    pub fn state(&self) -> ProcState {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves to `to` (see `ProcState::to`); a refused move changes nothing.
    pub fn set(&self, to: ProcState) -> Result<(), super::state::IllegalTransition> {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *s = s.to(to)?;
        if to != ProcState::Running {
            self.ready.store(false, Ordering::Release);
        }
        Ok(())
    }

    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub fn restarted(&self) {
        self.restarts.fetch_add(1, Ordering::Relaxed);
    }

    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }
}

/// Every instance of the running server, in start order.
pub struct ProcessMetrics {
    instances: Mutex<Vec<Arc<Status>>>,
}

pub static PROCESS_METRICS: ProcessMetrics = ProcessMetrics { instances: Mutex::new(Vec::new()) };

impl ProcessMetrics {
    fn list(&self) -> Vec<Arc<Status>> {
        self.instances.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Forgets the instances of a previous server in this process.
    pub fn reset(&self) {
        self.instances.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    pub fn add(&self, s: Arc<Status>) {
        self.instances.lock().unwrap_or_else(PoisonError::into_inner).push(s);
    }
}

impl MetricSource for ProcessMetrics {
    fn render(&self, out: &mut String) {
        let list = self.list();
        if list.is_empty() {
            return;
        }
        // Writing to a String cannot fail.
        header(out, "folk_process_up", "gauge", "1 while a side process instance runs.");
        for s in &list {
            let up = u8::from(s.state() == ProcState::Running);
            let _ = writeln!(out, "folk_process_up{{name=\"{}\",instance=\"{}\"}} {up}", s.name, s.index);
        }
        header(out, "folk_process_state", "gauge", "A side process instance's state: starting, running, backoff, failed, exited, stopping or stopped.");
        for s in &list {
            let now = s.state();
            for st in ProcState::ALL {
                let _ = writeln!(out, "folk_process_state{{name=\"{}\",instance=\"{}\",state=\"{}\"}} {}", s.name, s.index, st.name(), u8::from(st == now));
            }
        }
        header(out, "folk_process_restarts_total", "counter", "Restarts of a side process (all its instances).");
        let mut names: Vec<&str> = Vec::new();
        for s in &list {
            if !names.contains(&s.name.as_str()) {
                names.push(&s.name);
            }
        }
        for name in names {
            let n: u64 = list.iter().filter(|s| s.name == name).map(|s| s.restarts()).sum();
            let _ = writeln!(out, "folk_process_restarts_total{{name=\"{name}\"}} {n}");
        }
    }

    fn not_ready(&self) -> Option<String> {
        self.list()
            .iter()
            .find(|s| s.required && !s.is_ready())
            .map(|s| format!("required process {}.{} is not up ({})", s.name, s.index, s.state().name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_instance_keeps_readyz_503_until_it_is_ready() {
        let m = ProcessMetrics { instances: Mutex::new(Vec::new()) };
        let s = Arc::new(Status::new("search", 0, true));
        m.add(Arc::new(Status::new("optional", 0, false)));
        m.add(s.clone());
        assert_eq!(m.not_ready().as_deref(), Some("required process search.0 is not up (starting)"));
        s.set(ProcState::Running).unwrap();
        assert!(m.not_ready().is_some(), "running but not yet for ready_after");
        s.set_ready();
        assert_eq!(m.not_ready(), None);
        s.set(ProcState::Backoff).unwrap();
        assert_eq!(m.not_ready().as_deref(), Some("required process search.0 is not up (backoff)"));
        s.restarted();
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("folk_process_up{name=\"search\",instance=\"0\"} 0\n"), "{out}");
        assert!(out.contains("folk_process_state{name=\"search\",instance=\"0\",state=\"backoff\"} 1\n"), "{out}");
        assert!(out.contains("folk_process_restarts_total{name=\"search\"} 1\n"), "{out}");
    }
}
