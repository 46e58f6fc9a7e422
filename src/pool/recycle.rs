//! What a slot holds and why its worker goes: the kind of thread that fills
//! it (folk's own, or the main PHP thread that is never replaced) and the
//! reasons a worker is recycled, as the metrics and the admin name them.

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
    /// The worker script ended by itself after serving HTTP requests with
    /// `handleRequest()` (a loop bounded by a request count, as Symfony's
    /// and FrankenPHP's runners have): a clean recycle.
    ScriptEnd,
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
            RecycleReason::ScriptEnd => "script_end",
            RecycleReason::Shutdown => "shutdown",
        }
    }
    pub const ALL: [RecycleReason; 10] = [
        RecycleReason::MaxJobs,
        RecycleReason::Ttl,
        RecycleReason::IdleTtl,
        RecycleReason::MaxMemory,
        RecycleReason::Reload,
        RecycleReason::Timeout,
        RecycleReason::Fatal,
        RecycleReason::Exit,
        RecycleReason::BootFailure,
        RecycleReason::ScriptEnd,
    ];
}

/// What fills a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// A ZTS thread folk starts and replaces at will.
    Thread,
    /// The main PHP thread: attached once by the script that started folk.
    Main,
}

impl SlotKind {
    /// The one question the pool asks of a kind: may it start, recycle and
    /// respawn this slot's thread, and take a reload by replacing it? Not the
    /// main PHP thread's: that thread belongs to the user's script, so it has
    /// no limits, is never respawned, and retires on reload (loading new code
    /// in place fails with "Cannot redeclare").
    pub fn replaceable(self) -> bool {
        self == SlotKind::Thread
    }

    pub fn name(self) -> &'static str {
        match self {
            SlotKind::Thread => "thread",
            SlotKind::Main => "main_thread",
        }
    }
}
