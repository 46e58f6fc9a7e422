//! The one state machine of a side-process instance. Every change goes
//! through `ProcState::to`, which refuses a transition the supervisor must
//! never make (a stopped instance starting again, a failed one running).

/// Where an instance is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcState {
    /// Being spawned.
    Starting,
    /// Its process runs.
    Running,
    /// Ended; waiting out the restart delay.
    Backoff,
    /// Ended too often in a row (`max_restarts`): not restarted until the server restarts.
    Failed,
    /// Ended and not restarted by its `restart` policy.
    Exited,
    /// The server stops: the stop signal was sent, waiting for the group to end.
    Stopping,
    /// Stopped with the server.
    Stopped,
}

/// A transition the supervisor must not make.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("a side process cannot go from {from} to {to}")]
pub struct IllegalTransition {
    pub from: &'static str,
    pub to: &'static str,
}

impl ProcState {
    pub const ALL: [ProcState; 7] =
        [ProcState::Starting, ProcState::Running, ProcState::Backoff, ProcState::Failed, ProcState::Exited, ProcState::Stopping, ProcState::Stopped];

    pub fn name(self) -> &'static str {
        match self {
            ProcState::Starting => "starting",
            ProcState::Running => "running",
            ProcState::Backoff => "backoff",
            ProcState::Failed => "failed",
            ProcState::Exited => "exited",
            ProcState::Stopping => "stopping",
            ProcState::Stopped => "stopped",
        }
    }

    /// The state after moving to `to`, or why that move is refused.
    pub fn to(self, to: ProcState) -> Result<ProcState, IllegalTransition> {
        use ProcState::*;
        let ok = matches!(
            (self, to),
            (Starting, Running | Backoff | Failed | Stopped)
                | (Running, Backoff | Failed | Exited | Stopping)
                | (Backoff, Starting | Stopped)
                | (Failed | Exited | Stopping, Stopped)
        );
        if ok { Ok(to) } else { Err(IllegalTransition { from: self.name(), to: to.name() }) }
    }
}

#[cfg(test)]
mod tests {
    use super::ProcState::{self, *};

    #[test]
    fn allowed_transitions_are_exactly_the_supervisors_moves() {
        let allowed = [
            (Starting, Running),
            (Starting, Backoff),
            (Starting, Failed),
            (Starting, Stopped),
            (Running, Backoff),
            (Running, Failed),
            (Running, Exited),
            (Running, Stopping),
            (Backoff, Starting),
            (Backoff, Stopped),
            (Failed, Stopped),
            (Exited, Stopped),
            (Stopping, Stopped),
        ];
        for from in ProcState::ALL {
            for to in ProcState::ALL {
                let r = from.to(to);
                if allowed.contains(&(from, to)) {
                    assert_eq!(r, Ok(to));
                } else {
                    let e = r.unwrap_err();
                    assert_eq!((e.from, e.to), (from.name(), to.name()));
                }
            }
        }
    }

    #[test]
    fn a_stopped_instance_never_starts_again() {
        assert_eq!(Stopped.to(Starting).unwrap_err().to_string(), "a side process cannot go from stopped to starting");
    }
}
