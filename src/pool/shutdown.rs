//! The pool's phase (running, draining, stopped) and its graceful shutdown:
//! refuse new jobs, let queued and running ones finish within the timeout,
//! interrupt what is left, join every thread.

use std::time::{Duration, Instant};

use super::kill::KillReason;
use super::state::SlotState;
use super::{Pool, Shared};
use crate::error::WorkError;

/// Where the pool is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Running = 0,
    /// No new jobs; queued and running ones finish.
    Draining = 1,
    /// Everything left is interrupted; workers leave.
    Stopped = 2,
}

impl Shared {
    pub(super) fn phase(&self) -> Phase {
        match self.phase.load(std::sync::atomic::Ordering::Acquire) {
            0 => Phase::Running,
            1 => Phase::Draining,
            _ => Phase::Stopped,
        }
    }

    fn set_phase(&self, p: Phase) {
        self.phase.store(p as u8, std::sync::atomic::Ordering::Release);
    }

    pub(super) fn is_stopping(&self) -> bool {
        self.phase() != Phase::Running
    }
}

impl Pool {
    /// Graceful shutdown: refuse new jobs, let queued and running ones finish
    /// within `timeout`, interrupt what is left, join every thread.
    pub fn shutdown(&self, timeout: Duration) {
        let Some(sup) = self.supervisor.lock().unwrap_or_else(|e| e.into_inner()).take() else {
            return;
        };
        let sh = &self.shared;
        sh.set_phase(Phase::Draining);
        sh.queue.close();
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let busy = sh.slots.iter().any(|s| s.lock().state() == SlotState::Busy);
            if sh.queue.is_empty() && !busy {
                break;
            }
            if sh.unhealthy().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        sh.set_phase(Phase::Stopped);
        for job in sh.queue.drain() {
            job.reply.complete(Err(WorkError::ShutDown));
        }
        let now = Instant::now();
        for slot in &sh.slots {
            let mut s = slot.lock();
            // Running PHP code (a job or a boot) is interrupted.
            if matches!(s.state(), SlotState::Busy | SlotState::Booting) && s.life().kill_reason.is_none() {
                if let Some(r) = s.life().current.as_ref() {
                    r.complete(Err(WorkError::ShutDown));
                }
                if let Err(e) = s.kill(KillReason::Shutdown, now) {
                    tracing::error!(slot = slot.id, error = %e, "cannot interrupt the worker at shutdown");
                }
            }
        }
        sh.queue.wake_all();
        sh.wake_supervisor();
        let _ = sup.join();
        tracing::info!("pool shut down");
    }

    /// Shuts down within the configured `server.shutdown_timeout`.
    pub fn close(&self) {
        self.shutdown(self.shared.config.shutdown_timeout);
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.close();
    }
}
