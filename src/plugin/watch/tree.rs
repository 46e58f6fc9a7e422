//! Which directories are watched: each directory under the roots on its own
//! (not recursively), skipping `watch.ignore`'s at any depth, so `vendor/`
//! and `node_modules/` cost no inotify watch (the per-user limit) and no
//! poll. A directory created later joins when its creation is seen, and a
//! file already in it by then counts as changed (it may have been written
//! before the watch was in place). The watcher lives on its own thread: it
//! cannot add a watch from its own event handler (the backend would wait
//! for itself).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};

use notify::{RecursiveMode, Watcher};

use super::coalesce::Msg;
use super::pattern::Filter;

pub enum DirMsg {
    /// A directory appeared under a root (not an ignored one).
    Created(PathBuf),
    Stop,
}

/// Watches `dir` and every directory under it that is not ignored, each on
/// its own; calls `file` with every other entry met on the way. Symbolic
/// links to directories are not followed (a loop would never end). Returns
/// how many directories are watched.
pub fn watch_tree(watcher: &mut dyn Watcher, dir: &Path, filter: &Filter, mut file: impl FnMut(&Path)) -> Result<usize, notify::Error> {
    let mut stack = vec![dir.to_path_buf()];
    let mut watched = 0;
    while let Some(d) = stack.pop() {
        watcher.watch(&d, RecursiveMode::NonRecursive)?;
        watched += 1;
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if !filter.ignores_dir(&entry.file_name().to_string_lossy()) {
                    stack.push(entry.path());
                }
            } else {
                file(&entry.path());
            }
        }
    }
    Ok(watched)
}

/// The watcher's thread: adds each new directory (and reports the files
/// already in it that count) until `Stop`, then drops the watcher, which
/// ends inotify or the poll thread.
pub fn run(mut watcher: Box<dyn Watcher + Send>, dirs: &Receiver<DirMsg>, roots: &[PathBuf], filter: &Filter, changes: &Sender<Msg>) {
    while let Ok(DirMsg::Created(dir)) = dirs.recv() {
        let found = |path: &Path| {
            if let Some(rel) = super::relative(roots, path)
                && filter.wants(rel)
            {
                let _ = changes.send(Msg::Changed(rel.display().to_string()));
            }
        };
        match watch_tree(watcher.as_mut(), &dir, filter, found) {
            Ok(n) => tracing::debug!(dir = %dir.display(), directories = n, "watch: a new directory is watched"),
            // Gone again already, or past the inotify limit: its files are not watched.
            Err(e) => tracing::warn!(dir = %dir.display(), error = %e, "watch: cannot watch a new directory"),
        }
    }
    drop(watcher);
}
