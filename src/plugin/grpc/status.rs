//! The one mapping from how a job failed to the gRPC status a client gets
//! (grpc/grpc doc/statuscodes.md): the handler's own `Folk\Grpc\Exception`
//! keeps its code; anything else the handler throws is UNKNOWN, with a
//! generic message (the details go to the log, never to the client).

use tonic::{Code, Status};

use crate::error::WorkError;

/// The status of a call whose job failed with `e`.
pub(super) fn of_work_error(e: &WorkError) -> Status {
    match e {
        WorkError::Application { class, message, file, line } => {
            tracing::error!(class = %class, file = %file, line, "gRPC handler threw: {message}");
            Status::unknown("the handler failed")
        }
        WorkError::WorkerDied(why) => {
            tracing::error!("gRPC call lost its worker: {why}");
            Status::internal("the worker died during the call")
        }
        WorkError::Timeout(_) => Status::deadline_exceeded(e.to_string()),
        WorkError::Busy(why) => Status::resource_exhausted(format!("server busy: {why}")),
        WorkError::Unhealthy(why) => Status::unavailable(format!("server unhealthy: {why}")),
        WorkError::ShutDown => Status::unavailable("the server is shutting down"),
        WorkError::Bridge(b) => {
            tracing::error!("gRPC call's payload or answer cannot cross threads: {b}");
            Status::internal("the answer could not be read")
        }
    }
}

/// A status code the handler named (`Folk\Grpc\Exception`'s code); out of
/// range is UNKNOWN.
pub(super) fn code(n: i64) -> Code {
    match i32::try_from(n) {
        Ok(n @ 0..=16) => Code::from_i32(n),
        _ => Code::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_way_a_job_fails_has_its_status() {
        let app = WorkError::Application { class: "RuntimeException".into(), message: "secret".into(), file: "f".into(), line: 1 };
        let s = of_work_error(&app);
        assert_eq!(s.code(), Code::Unknown);
        assert!(!s.message().contains("secret"), "the exception's message stays in the log");
        for (e, code) in [
            (WorkError::WorkerDied("exit".into()), Code::Internal),
            (WorkError::Timeout(Duration::from_secs(1)), Code::DeadlineExceeded),
            (WorkError::Busy("queue full".into()), Code::ResourceExhausted),
            (WorkError::Unhealthy("boot fails".into()), Code::Unavailable),
            (WorkError::ShutDown, Code::Unavailable),
        ] {
            assert_eq!(of_work_error(&e).code(), code, "{e}");
        }
    }

    #[test]
    fn a_named_code_out_of_range_is_unknown() {
        assert_eq!(code(5), Code::NotFound);
        assert_eq!(code(16), Code::Unauthenticated);
        assert_eq!(code(17), Code::Unknown);
        assert_eq!(code(-1), Code::Unknown);
    }
}
