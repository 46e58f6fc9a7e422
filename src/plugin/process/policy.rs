//! What happens after an instance ended: restarted after a delay that doubles
//! with each short run (up to `restart_delay_max`), left alone by its `restart`
//! policy, or given up after `max_restarts` short runs in a row. Pure logic:
//! the supervisor (`instance`) asks, this answers.

use std::time::Duration;

use crate::config::{ProcessSettings, Restart};

/// How an instance's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// Killed by a signal folk did not send (folk's own stop never asks for a restart).
    Signal(i32),
    /// It could not be started at all.
    SpawnFailed,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Restart(Duration),
    /// Not restarted: `restart = never`, or `on_failure` after exit code 0.
    Done,
    /// Too many short runs in a row.
    GiveUp { restarts: u32 },
}

/// One instance's restart bookkeeping.
pub struct RestartPolicy {
    restart: Restart,
    initial: Duration,
    max: Duration,
    max_restarts: u32,
    ready_after: Duration,
    next_delay: Duration,
    /// Runs in a row shorter than `ready_after`.
    short_runs: u32,
}

impl RestartPolicy {
    pub fn new(s: &ProcessSettings) -> Self {
        RestartPolicy {
            restart: s.restart,
            initial: s.restart_delay,
            max: s.restart_delay_max.max(s.restart_delay),
            max_restarts: s.max_restarts,
            ready_after: s.ready_after,
            next_delay: s.restart_delay,
            short_runs: 0,
        }
    }

    /// After a run of `ran` that ended with `exit`.
    pub fn after(&mut self, exit: Exit, ran: Duration) -> Decision {
        let short = exit == Exit::SpawnFailed || ran < self.ready_after;
        if !short {
            // It ran long enough to count as started: the next failure starts over.
            self.next_delay = self.initial;
            self.short_runs = 0;
        }
        let wanted = match self.restart {
            Restart::Always => true,
            Restart::OnFailure => exit != Exit::Code(0),
            Restart::Never => false,
        };
        if !wanted {
            return Decision::Done;
        }
        if short {
            self.short_runs += 1;
            if self.max_restarts > 0 && self.short_runs > self.max_restarts {
                return Decision::GiveUp { restarts: self.max_restarts };
            }
        }
        let delay = self.next_delay;
        self.next_delay = (delay * 2).min(self.max);
        Decision::Restart(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(restart: Restart, max_restarts: u32) -> RestartPolicy {
        RestartPolicy::new(&ProcessSettings {
            restart,
            max_restarts,
            restart_delay: Duration::from_millis(100),
            restart_delay_max: Duration::from_millis(500),
            ready_after: Duration::from_secs(1),
            ..ProcessSettings::default()
        })
    }

    const SHORT: Duration = Duration::from_millis(10);
    const LONG: Duration = Duration::from_secs(5);

    #[test]
    fn the_delay_doubles_after_each_short_run_up_to_the_cap_and_a_long_run_resets_it() {
        let mut p = policy(Restart::Always, 0);
        let delays: Vec<Decision> = (0..5).map(|_| p.after(Exit::Code(1), SHORT)).collect();
        let ms = |n| Decision::Restart(Duration::from_millis(n));
        assert_eq!(delays, [ms(100), ms(200), ms(400), ms(500), ms(500)]);
        assert_eq!(p.after(Exit::Code(1), LONG), ms(100));
        assert_eq!(p.after(Exit::Code(1), SHORT), ms(200));
    }

    #[test]
    fn max_restarts_short_runs_in_a_row_give_up_and_a_long_run_in_between_starts_over() {
        let mut p = policy(Restart::Always, 2);
        assert!(matches!(p.after(Exit::Code(1), SHORT), Decision::Restart(_)));
        assert!(matches!(p.after(Exit::SpawnFailed, Duration::ZERO), Decision::Restart(_)));
        assert_eq!(p.after(Exit::Code(1), SHORT), Decision::GiveUp { restarts: 2 });
        let mut p = policy(Restart::Always, 2);
        for _ in 0..10 {
            assert!(matches!(p.after(Exit::Code(1), SHORT), Decision::Restart(_)));
            assert!(matches!(p.after(Exit::Code(1), LONG), Decision::Restart(_)));
        }
    }

    #[test]
    fn on_failure_restarts_after_a_failure_or_a_signal_never_after_code_0() {
        let mut p = policy(Restart::OnFailure, 0);
        assert!(matches!(p.after(Exit::Code(3), LONG), Decision::Restart(_)));
        assert!(matches!(p.after(Exit::Signal(libc::SIGSEGV), LONG), Decision::Restart(_)));
        assert_eq!(p.after(Exit::Code(0), LONG), Decision::Done);
        let mut p = policy(Restart::Never, 0);
        assert_eq!(p.after(Exit::Code(1), SHORT), Decision::Done);
        let mut p = policy(Restart::Always, 0);
        assert!(matches!(p.after(Exit::Code(0), LONG), Decision::Restart(_)));
    }
}
