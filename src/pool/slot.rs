//! A slot: one position in the pool, filled by a sequence of worker threads
//! (incarnations). It owns the slot's state, counters, the answer of the job
//! it is running and the handle that can interrupt its thread.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use super::reply::Reply;
use super::state::{IllegalTransition, SlotState, Transition};

/// Interrupts a worker thread from another thread. Published by the runtime
/// while the thread's interpreter exists, unpublished before it is freed.
pub trait Interrupt: Send {
    /// Ask the running PHP code to stop at its next VM check (an exception
    /// the handler may see: `finally` blocks run).
    fn soft(&self);
    /// Stop it for good: a fatal "Maximum execution time" error.
    fn hard(&self);
}

/// Kill progress, readable lock-free from the worker thread (the PHP
/// interrupt hook runs there and must not take locks).
pub mod kill {
    pub const NONE: u8 = 0;
    pub const SOFT: u8 = 1;
    pub const HARD: u8 = 2;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillReason {
    ExecTimeout,
    BootTimeout,
    Shutdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecycleReason {
    MaxJobs,
    Ttl,
    IdleTtl,
    MaxMemory,
    Reload,
    Timeout,
    Fatal,
    Exit,
    BootFailure,
    /// Not a recycle: the pool is stopping (not counted, so not in `ALL`).
    Shutdown,
}

impl RecycleReason {
    pub fn name(self) -> &'static str {
        match self {
            RecycleReason::MaxJobs => "max_jobs",
            RecycleReason::Ttl => "ttl",
            RecycleReason::IdleTtl => "idle_ttl",
            RecycleReason::MaxMemory => "max_memory",
            RecycleReason::Reload => "reload",
            RecycleReason::Timeout => "exec_timeout",
            RecycleReason::Fatal => "fatal_error",
            RecycleReason::Exit => "exit",
            RecycleReason::BootFailure => "boot_failure",
            RecycleReason::Shutdown => "shutdown",
        }
    }
    pub const ALL: [RecycleReason; 9] = [
        RecycleReason::MaxJobs,
        RecycleReason::Ttl,
        RecycleReason::IdleTtl,
        RecycleReason::MaxMemory,
        RecycleReason::Reload,
        RecycleReason::Timeout,
        RecycleReason::Fatal,
        RecycleReason::Exit,
        RecycleReason::BootFailure,
    ];
}

pub struct SlotInner {
    pub state: SlotState,
    /// Incremented for each new thread; a link from an older thread is stale.
    pub incarnation: u64,
    /// The pool generation this incarnation booted with.
    pub generation: u64,
    pub born: Instant,
    pub booted_at: Option<Instant>,
    pub last_active: Instant,
    /// Jobs answered by this incarnation / by the slot since the pool started.
    pub jobs_life: u64,
    pub jobs_total: u64,
    pub restarts: u64,
    pub memory: u64,
    /// Limits jittered per incarnation so slots do not recycle in lockstep.
    pub max_jobs_life: u64,
    pub ttl_life: Option<std::time::Duration>,
    pub job_started: Option<Instant>,
    pub current: Option<Arc<Reply>>,
    pub kill_reason: Option<KillReason>,
    pub kill_at: Option<Instant>,
    pub leaving: Option<RecycleReason>,
    pub interrupt: Option<Box<dyn Interrupt>>,
    pub thread: Option<JoinHandle<()>>,
    pub boot_failures: u32,
    pub next_boot_at: Option<Instant>,
    pub last_error: Option<String>,
    /// See `WorkerLink::release_permit`.
    pub holds_permit: bool,
}

/// What fills a slot. The main PHP thread's slot is never recycled (the
/// thread belongs to the script that started folk), so it differs in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// A ZTS thread folk starts and replaces at will.
    Thread,
    /// The main PHP thread: attached once, never respawned.
    Main,
}

pub struct Slot {
    pub id: usize,
    pub kind: SlotKind,
    inner: Mutex<SlotInner>,
    /// See `kill`; shared with the worker thread's interrupt hook.
    pub kill: Arc<AtomicU8>,
}

impl Slot {
    pub fn new(id: usize, kind: SlotKind) -> Self {
        let now = Instant::now();
        Slot {
            id,
            kind,
            inner: Mutex::new(SlotInner {
                state: SlotState::Dead,
                incarnation: 0,
                generation: 0,
                born: now,
                booted_at: None,
                last_active: now,
                jobs_life: 0,
                jobs_total: 0,
                restarts: 0,
                memory: 0,
                max_jobs_life: 0,
                ttl_life: None,
                job_started: None,
                current: None,
                kill_reason: None,
                kill_at: None,
                leaving: None,
                interrupt: None,
                thread: None,
                boot_failures: 0,
                next_boot_at: None,
                last_error: None,
                holds_permit: false,
            }),
            kill: Arc::new(AtomicU8::new(kill::NONE)),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, SlotInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn kill_level(&self) -> u8 {
        self.kill.load(Ordering::Acquire)
    }
}

impl SlotInner {
    /// The one way a slot changes state.
    pub fn transition(&mut self, t: Transition) -> Result<SlotState, IllegalTransition> {
        self.state = self.state.apply(t)?;
        Ok(self.state)
    }
}
