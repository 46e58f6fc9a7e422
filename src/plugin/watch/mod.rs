//! Development watch mode (`watch.*`, `folk serve --watch`): a change of a
//! watched source file reloads the workers through the server's one reload
//! path (the `Reloader` SIGHUP and `POST /reload` use), so new code is served
//! without a restart. inotify by default; `watch.poll` polls instead, for
//! mounts that deliver no events (Docker bind mounts on macOS, NFS, WSL).
//! Which paths count is `pattern`; which directories are watched, `tree`;
//! how bursts become reloads, `coalesce`.

mod coalesce;
mod pattern;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, Watcher};

use self::coalesce::Msg;
use self::pattern::Filter;
use self::tree::DirMsg;
use super::{Plugin, PluginContext};
use crate::config::WatchConfig;
use crate::pool::PoolHandle;
use crate::pool::state::SlotState;

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("watch.paths: cannot watch {path}: {source}")]
    Root { path: String, source: std::io::Error },
    #[error("watch.paths: {0} is not a directory")]
    NotADirectory(String),
    #[error(
        "cannot watch {0}: the inotify watch limit is reached (raise fs.inotify.max_user_watches, \
         add the large directories to watch.ignore, or set watch.poll)"
    )]
    TooManyWatches(String),
    #[error("cannot watch {path}: {source}")]
    Watcher { path: String, source: notify::Error },
    #[error("cannot start the watch thread: {0}")]
    Thread(std::io::Error),
}

pub struct WatchPlugin {
    config: WatchConfig,
    /// Where `watch.paths` is not set: the worker script's directory, or `http.root` in classic mode.
    default_root: PathBuf,
    /// A reload still booting its workers after this long counts as done (a broken worker never boots).
    settle_limit: Duration,
    running: Option<Running>,
}

struct Running {
    /// Stops the thread that owns the watcher (dropping it stops inotify or the poll thread).
    dirs: Sender<DirMsg>,
    dirs_thread: JoinHandle<()>,
    stop: Sender<Msg>,
    thread: JoinHandle<()>,
}

impl WatchPlugin {
    pub fn new(config: WatchConfig, default_root: PathBuf, settle_limit: Duration) -> Self {
        WatchPlugin { config, default_root, settle_limit, running: None }
    }

    /// The watched directories, absolute (events name paths under them).
    fn roots(&self) -> Result<Vec<PathBuf>, WatchError> {
        let given: Vec<PathBuf> =
            if self.config.paths.is_empty() { vec![self.default_root.clone()] } else { self.config.paths.iter().map(PathBuf::from).collect() };
        given
            .into_iter()
            .map(|p| {
                let shown = p.display().to_string();
                let abs = p.canonicalize().map_err(|source| WatchError::Root { path: shown.clone(), source })?;
                if abs.is_dir() { Ok(abs) } else { Err(WatchError::NotADirectory(shown)) }
            })
            .collect()
    }

    fn start(&mut self, ctx: &PluginContext) -> Result<(), WatchError> {
        let roots = self.roots()?;
        let filter = Filter::new(&self.config.patterns, &self.config.ignore);
        let (tx, rx) = mpsc::channel();
        let (dirs_tx, dirs_rx) = mpsc::channel();
        let handler = {
            let (roots, filter, tx, dirs_tx) = (roots.clone(), filter.clone(), tx.clone(), dirs_tx.clone());
            move |res: notify::Result<Event>| match res {
                Ok(event) => {
                    new_directories(&event, &filter, &dirs_tx);
                    forward(&event, &roots, &filter, &tx);
                }
                Err(e) => tracing::warn!(error = %e, "watch: the file watcher reported an error"),
            }
        };
        let config = notify::Config::default();
        let mut watcher: Box<dyn Watcher + Send> = match self.config.poll {
            Some(every) => Box::new(PollWatcher::new(handler, config.with_poll_interval(every)).map_err(|source| watcher_error("", source))?),
            None => Box::new(RecommendedWatcher::new(handler, config).map_err(|source| watcher_error("", source))?),
        };
        let mut directories = 0;
        for root in &roots {
            directories += tree::watch_tree(watcher.as_mut(), root, &filter, |_| {}).map_err(|source| watcher_error(&root.display().to_string(), source))?;
        }
        let dirs_thread = {
            let (roots, filter, tx) = (roots.clone(), filter.clone(), tx.clone());
            std::thread::Builder::new()
                .name("folk-watch-dirs".into())
                .spawn(move || tree::run(watcher, &dirs_rx, &roots, &filter, &tx))
                .map_err(WatchError::Thread)?
        };
        let reloader = ctx.reloader.clone();
        let pool = ctx.pool.clone();
        let (debounce, limit) = (self.config.debounce, self.settle_limit);
        let thread = std::thread::Builder::new()
            .name("folk-watch".into())
            .spawn(move || {
                coalesce::run(
                    &rx,
                    debounce,
                    |changes| reloader.reload(&format!("watch: {} changed ({})", plural(changes.len()), changes.summary())),
                    |generation, started| started.elapsed() < limit && reload_in_flight(&pool, generation),
                )
            })
            .map_err(WatchError::Thread)?;
        tracing::info!(
            roots = %roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join(", "),
            mode = %match self.config.poll { Some(d) => format!("polling every {}", crate::error::fmt_duration(d)), None => "inotify".into() },
            patterns = %self.config.patterns.join(", "),
            ignore = %self.config.ignore.join(", "),
            directories,
            "watch: a change of a watched file reloads the workers (development only)"
        );
        self.running = Some(Running { dirs: dirs_tx, dirs_thread, stop: tx, thread });
        Ok(())
    }
}

fn watcher_error(path: &str, source: notify::Error) -> WatchError {
    match source.kind {
        notify::ErrorKind::MaxFilesWatch => WatchError::TooManyWatches(path.to_string()),
        _ => WatchError::Watcher { path: path.to_string(), source },
    }
}

fn plural(n: usize) -> String {
    if n == 1 { "1 file".into() } else { format!("{n} files") }
}

/// Hands a directory that appeared (created, or moved in) to the watcher's
/// thread, unless it is an ignored one.
fn new_directories(event: &Event, filter: &Filter, dirs: &Sender<DirMsg>) {
    if !matches!(event.kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))) {
        return;
    }
    for path in &event.paths {
        let ignored = path.file_name().is_some_and(|n| filter.ignores_dir(&n.to_string_lossy()));
        if !ignored && path.is_dir() {
            let _ = dirs.send(DirMsg::Created(path.clone()));
        }
    }
}

/// Sends the event's paths that count. Opening and reading a file (every
/// PHP include does) is no change: only writes, creations, removals and renames are.
fn forward(event: &Event, roots: &[PathBuf], filter: &Filter, tx: &Sender<Msg>) {
    if event.need_rescan() {
        let _ = tx.send(Msg::Lost);
        return;
    }
    let counts = match event.kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    };
    if !counts {
        return;
    }
    for path in &event.paths {
        if let Some(rel) = relative(roots, path)
            && filter.wants(rel)
        {
            let _ = tx.send(Msg::Changed(rel.display().to_string()));
        }
    }
}

/// `path` relative to the first root it lies under.
fn relative<'a>(roots: &[PathBuf], path: &'a Path) -> Option<&'a Path> {
    roots.iter().find_map(|r| path.strip_prefix(r).ok())
}

/// Whether the reload to `generation` is still under way: a worker of an
/// older generation still serves, or a new one boots and none failed yet
/// (a worker script that does not compile never boots; the next change must
/// not wait for it).
fn reload_in_flight(pool: &PoolHandle, generation: u64) -> bool {
    let stats = pool.snapshot();
    let old = stats.slots.iter().any(|s| s.generation < generation && matches!(s.state, SlotState::Idle | SlotState::Busy | SlotState::Recycling));
    let booting = stats.slots.iter().any(|s| s.state == SlotState::Booting);
    let failed = stats.slots.iter().any(|s| s.last_error.is_some() && matches!(s.state, SlotState::Dead | SlotState::Booting));
    old || (booting && !failed)
}

impl Plugin for WatchPlugin {
    fn name(&self) -> &'static str {
        "watch"
    }

    fn boot(&mut self, ctx: &PluginContext) -> Result<(), String> {
        self.start(ctx).map_err(|e| e.to_string())
    }

    fn shutdown(&mut self) {
        if let Some(Running { dirs, dirs_thread, stop, thread }) = self.running.take() {
            let _ = dirs.send(DirMsg::Stop);
            let _ = dirs_thread.join();
            let _ = stop.send(Msg::Stop);
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};

    fn filter() -> Filter {
        Filter::new(&["**/*.php".into()], &["vendor".into()])
    }

    fn sent(kind: EventKind, path: &str) -> Vec<String> {
        let (tx, rx) = mpsc::channel();
        let event = Event::new(kind).add_path(PathBuf::from(path));
        forward(&event, &[PathBuf::from("/app")], &filter(), &tx);
        drop(tx);
        rx.iter().filter_map(|m| if let Msg::Changed(p) = m { Some(p) } else { None }).collect()
    }

    #[test]
    fn writes_count_but_opening_a_file_to_include_it_does_not() {
        assert_eq!(sent(EventKind::Modify(ModifyKind::Any), "/app/src/a.php"), ["src/a.php"]);
        assert_eq!(sent(EventKind::Create(CreateKind::File), "/app/b.php"), ["b.php"]);
        assert_eq!(sent(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/app/c.php"), ["c.php"]);
        assert!(sent(EventKind::Access(AccessKind::Open(AccessMode::Any)), "/app/a.php").is_empty());
        assert!(sent(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/app/a.php").is_empty());
    }

    #[test]
    fn paths_outside_the_roots_ignored_dirs_or_patterns_are_dropped() {
        assert!(sent(EventKind::Modify(ModifyKind::Any), "/elsewhere/a.php").is_empty());
        assert!(sent(EventKind::Modify(ModifyKind::Any), "/app/vendor/x/a.php").is_empty());
        assert!(sent(EventKind::Modify(ModifyKind::Any), "/app/notes.txt").is_empty());
    }
}
