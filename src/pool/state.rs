//! The slot state machine: every state a worker slot can be in and the
//! only transitions allowed between them. A refused transition is an
//! error the caller must handle, never a silent no-op.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotState {
    /// A thread is starting PHP and running the worker script up to `serve()`.
    Booting,
    /// Waiting for a job.
    Idle,
    /// Running a job.
    Busy,
    /// Leaving to be replaced by a fresh thread (limit reached, reload, failure).
    Recycling,
    /// Leaving for good: the pool is shutting down.
    Stopping,
    /// No thread; the supervisor may start a new one.
    Dead,
}

/// Named transitions; `SlotState::apply` is the one place that says which are legal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The worker script reached `Folk\Worker::serve()`.
    Booted,
    /// An idle worker took a job.
    JobStarted,
    /// The worker answered its job.
    JobFinished,
    /// The worker leaves to be replaced.
    Recycle,
    /// The worker leaves because the pool stops.
    Stop,
    /// The thread ended (cleanly or not).
    Exited,
    /// The supervisor starts a new thread in a dead slot.
    Respawn,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("slot state {from} does not allow transition {transition:?}")]
pub struct IllegalTransition {
    pub from: SlotState,
    pub transition: Transition,
}

impl SlotState {
    pub fn apply(self, t: Transition) -> Result<SlotState, IllegalTransition> {
        use SlotState::*;
        use Transition::*;
        let next = match (self, t) {
            (Booting, Booted) => Idle,
            (Idle, JobStarted) => Busy,
            (Busy, JobFinished) => Idle,
            (Booting | Idle | Busy, Recycle) => Recycling,
            (Booting | Idle | Busy | Recycling, Stop) => Stopping,
            (Booting | Idle | Busy | Recycling | Stopping, Exited) => Dead,
            (Dead, Respawn) => Booting,
            (from, transition) => return Err(IllegalTransition { from, transition }),
        };
        Ok(next)
    }

    pub fn name(self) -> &'static str {
        match self {
            SlotState::Booting => "booting",
            SlotState::Idle => "idle",
            SlotState::Busy => "busy",
            SlotState::Recycling => "recycling",
            SlotState::Stopping => "stopping",
            SlotState::Dead => "dead",
        }
    }

    pub const ALL: [SlotState; 6] = [
        SlotState::Booting,
        SlotState::Idle,
        SlotState::Busy,
        SlotState::Recycling,
        SlotState::Stopping,
        SlotState::Dead,
    ];
}

impl fmt::Display for SlotState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::SlotState::*;
    use super::Transition::*;
    use super::*;

    const ALL_T: [Transition; 7] = [Booted, JobStarted, JobFinished, Recycle, Stop, Exited, Respawn];

    #[test]
    fn allowed_transitions() {
        let allowed = [
            (Booting, Booted, Idle),
            (Idle, JobStarted, Busy),
            (Busy, JobFinished, Idle),
            (Booting, Recycle, Recycling),
            (Idle, Recycle, Recycling),
            (Busy, Recycle, Recycling),
            (Booting, Stop, Stopping),
            (Idle, Stop, Stopping),
            (Busy, Stop, Stopping),
            (Recycling, Stop, Stopping),
            (Booting, Exited, Dead),
            (Idle, Exited, Dead),
            (Busy, Exited, Dead),
            (Recycling, Exited, Dead),
            (Stopping, Exited, Dead),
            (Dead, Respawn, Booting),
        ];
        for (from, t, to) in allowed {
            assert_eq!(from.apply(t), Ok(to), "{from} --{t:?}-->");
        }
        // Every pair not listed is refused.
        for from in SlotState::ALL {
            for t in ALL_T {
                if !allowed.iter().any(|(f, tt, _)| *f == from && *tt == t) {
                    assert_eq!(from.apply(t), Err(IllegalTransition { from, transition: t }), "{from} --{t:?}-->");
                }
            }
        }
    }

    #[test]
    fn a_dead_slot_cannot_take_a_job() {
        assert!(Dead.apply(JobStarted).is_err());
        assert!(Stopping.apply(Booted).is_err());
        assert!(Recycling.apply(JobStarted).is_err());
    }
}
