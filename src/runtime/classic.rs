//! The classic-mode runtime: a ZTS thread that boots without a worker script
//! and runs each "http" job as a fresh PHP request (full request startup and
//! shutdown, as php-fpm), until the pool recycles it. A fatal error or an
//! interrupt retires the thread, as for every folk worker.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::interrupt::ThreadInterrupt;
use super::sapi::{self, CycleError, HTTP_JOB, Options, Outcome, Ran, WebRequest};
use super::{php, signals};
use crate::bridge::Value;
use crate::error::{BridgeError, WorkError};
use crate::pool::stream::Offer;
use crate::pool::{KillLevel, KillReason, RecycleReason, Reply, Runtime, WorkerLink};

/// Runs PHP scripts per request on pooled ZTS threads.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClassicRuntime {
    pub options: Options,
}

impl Runtime for ClassicRuntime {
    fn spawn(&self, link: WorkerLink) -> std::io::Result<JoinHandle<()>> {
        let options = self.options;
        std::thread::Builder::new()
            .name(format!("folk-classic-{}", link.slot_id()))
            .stack_size(16 << 20)
            .spawn(move || run_thread(link, options))
    }

    /// The supervisor has no PHP context: PHP-handled signals must not reach it.
    fn prepare_service_thread(&self) {
        signals::block_async_signals();
    }
}

fn run_thread(link: WorkerLink, options: Options) {
    signals::worker_thread_mask();
    let can_signal = signals::install_kill_handler();
    // SAFETY: a fresh thread with no PHP context yet; this allocates its TSRM globals (freed below).
    unsafe { php::ts_resource_ex(0, std::ptr::null_mut()) };
    if let Err(e) = sapi::become_web_thread() {
        tracing::warn!(error = %e, "classic worker keeps the CLI SAPI name");
    }
    link.publish_interrupt(Box::new(ThreadInterrupt::current(can_signal)));
    let failure = if link.booted() { serve(&link, options) } else { None };
    // Must precede ts_free_thread, which frees the globals the interrupt points into.
    link.unpublish_interrupt();
    // SAFETY: no request is open on this thread and nothing points into its globals any more (above).
    unsafe { php::ts_free_thread() };
    link.exited(failure);
}

/// Takes jobs until the slot says leave (None) or a request left the thread
/// untrustworthy (Some: why).
fn serve(link: &WorkerLink, options: Options) -> Option<String> {
    while let Some(job) = link.next_job() {
        if let Next::Leave(why) = one(link, job.method, job.payload, job.reply, options) {
            return Some(why);
        }
    }
    None
}

enum Next {
    Continue,
    Leave(String),
}

fn one(link: &WorkerLink, method: String, payload: Value, reply: Arc<Reply>, options: Options) -> Next {
    if method != HTTP_JOB {
        let reason = format!("classic mode runs only \"{HTTP_JOB}\" jobs, got \"{method}\"");
        link.finish(Err(WorkError::Bridge(BridgeError { path: "method".into(), reason })), 0);
        return Next::Continue;
    }
    let request = match WebRequest::from_payload(payload) {
        Ok(r) => r,
        Err(e) => {
            link.finish(Err(WorkError::Bridge(e)), 0);
            return Next::Continue;
        }
    };
    let early = Arc::clone(&reply);
    let deliver = Box::new(move |response: Value| {
        // The slot stays busy (exec_timeout still applies) until the script ends.
        early.complete(Ok(response));
    });
    // The client may leave meanwhile: the HTTP side then abandons the reply.
    let offer = request.stream.map(|patience| Offer::new(reply.clone(), link.kill_flag(), patience));
    let running = match sapi::start(request, options, deliver, offer) {
        Ok(r) => r,
        Err(e) => return leave(link, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal),
    };
    let ran = running.execute();
    let memory = php::memory_usage();
    if let Some(error) = interrupted(link) {
        // Answered first: the shutdown functions then get the grace period.
        let reason = error.to_string();
        link.fail_and_leave(error, RecycleReason::Timeout);
        log_unclean(running.shutdown());
        return Next::Leave(reason);
    }
    let response = running.shutdown();
    if let Some(error) = interrupted(link) {
        let reason = error.to_string();
        link.fail_and_leave(error, RecycleReason::Timeout);
        return Next::Leave(reason);
    }
    if ran == Ran::Aborted {
        // php-fpm's abort: the output after the client left went nowhere; the thread serves on.
        tracing::debug!("classic script stopped at its output: the client closed the connection");
    }
    match (ran, response) {
        (Ran::Completed | Ran::Aborted, Ok(outcome)) => {
            link.finish(Ok(outcome.into_value()), memory);
            Next::Continue
        }
        // The client gets a bare 500; PHP's message travels in the error to
        // the HTTP plugin's log (and the slot's last_error), never the body.
        // After a flush() the client has its head already: the stream (the
        // outcome, dropped here without its end) is cut short, and logged here.
        (Ran::Fatal(why), outcome) => {
            if let Ok(Outcome::Streamed(_)) = outcome {
                tracing::error!("PHP Fatal error after the response was streamed (the client gets a truncated body): {why}");
            }
            leave(link, WorkError::WorkerDied(format!("PHP Fatal error: {why}")), RecycleReason::Fatal)
        }
        (Ran::Completed | Ran::Aborted, Err(e)) => leave(link, WorkError::WorkerDied(e.to_string()), RecycleReason::Fatal),
    }
}

fn leave(link: &WorkerLink, error: WorkError, reason: RecycleReason) -> Next {
    let why = error.to_string();
    link.fail_and_leave(error, reason);
    Next::Leave(why)
}

fn log_unclean(shutdown: Result<Outcome, CycleError>) {
    if let Err(e) = shutdown {
        tracing::warn!(error = %e, "after an interrupted classic request");
    }
}

/// The error of a request that folk interrupted (exec_timeout, shutdown), if it was.
fn interrupted(link: &WorkerLink) -> Option<WorkError> {
    if link.kill_flag().load() == KillLevel::None {
        return None;
    }
    Some(match link.kill_reason() {
        Some(KillReason::Shutdown) => WorkError::ShutDown,
        _ => WorkError::Timeout(link.exec_timeout().unwrap_or(Duration::ZERO)),
    })
}
