//! Watching the portal's sources for `odp serve`: notify (inotify on Linux) on `datasets/`,
//! `content/`, the theme and `portal.toml`; events are debounced (the first change, then until
//! 40 ms of quiet, at most 150 ms: issue 7 asks for well under Zola's and mdBook's 1 s) and
//! classified, so editor temp files and the output folders never trigger a build.

use notify::{RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The longest a batch of events is held before the rebuild starts.
pub const DEBOUNCE_MAX: Duration = Duration::from_millis(150);
/// A batch ends after this long without a new event.
const QUIET: Duration = Duration::from_millis(40);

/// What a changed path is, for the rebuild (and for what `odp serve` prints).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// portal.toml: every page reads it.
    Config,
    /// A file of the theme (templates, translations, static assets).
    Theme(String),
    /// A file in `datasets/<id>/`.
    Dataset(String),
    /// A Markdown file under `content/` (a page or a publisher).
    Content(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Config => f.write_str("portal.toml"),
            Change::Theme(p) => write!(f, "theme {p}"),
            Change::Dataset(id) => write!(f, "dataset {id}"),
            Change::Content(p) => write!(f, "content {p}"),
        }
    }
}

/// Files editors write beside the real one while saving.
fn is_editor_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// What a changed path means; `None` for paths no build reads (editor files, outputs, `.git`).
pub fn classify(root: &Path, theme: &Path, path: &Path) -> Option<Change> {
    let name = path.file_name()?.to_string_lossy();
    if is_editor_noise(&name) {
        return None;
    }
    if let Ok(rel) = path.strip_prefix(theme) {
        return Some(Change::Theme(rel.to_string_lossy().replace('\\', "/")));
    }
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    match parts.first().map(String::as_str) {
        Some("portal.toml") if parts.len() == 1 => Some(Change::Config),
        Some("datasets") if parts.len() >= 2 => Some(Change::Dataset(parts[1].clone())),
        Some("content") if parts.len() >= 2 => Some(Change::Content(parts[1..].join("/"))),
        Some("themes") if parts.len() >= 2 => Some(Change::Theme(parts[1..].join("/"))),
        _ => None,
    }
}

/// One debounced burst of changes.
#[derive(Debug)]
pub struct Batch {
    /// When the first change arrived.
    pub first: Instant,
    /// What changed, sorted and deduplicated.
    pub changes: Vec<Change>,
    /// Every path the events named, noise included (the load memo forgets the folders they
    /// touch: an editor's temp file renamed over dataset.toml names both).
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (queue overflow): nothing remembered can be trusted.
    pub rescan: bool,
}

/// The file watcher and its event channel.
pub struct Watcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    theme: PathBuf,
}

impl Watcher {
    /// The folders watched recursively (every change in them is reported).
    pub fn watched(root: &Path, theme: &Path) -> Vec<PathBuf> {
        [root.join("datasets"), root.join("content"), root.join("themes"), theme.to_path_buf()]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect()
    }

    /// Watches `portal.toml` (through the root folder, not recursively), `datasets/`,
    /// `content/`, `themes/` and the theme folder.
    pub fn new(root: &Path, theme: &Path) -> anyhow::Result<Watcher> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in Watcher::watched(root, theme) {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
        Ok(Watcher { _watcher: watcher, rx, root: root.to_path_buf(), theme: theme.to_path_buf() })
    }

    /// Blocks until something a build reads changed, then collects the burst (≤ 150 ms).
    /// `None` when the watcher stopped.
    pub fn next_batch(&self) -> Option<Batch> {
        let mut batch = Batch { first: Instant::now(), changes: Vec::new(), paths: Vec::new(), rescan: false };
        loop {
            let event = self.rx.recv().ok()?;
            self.collect(event, &mut batch);
            if !batch.changes.is_empty() || batch.rescan {
                batch.first = Instant::now();
                break;
            }
        }
        let first = batch.first;
        let deadline = first + DEBOUNCE_MAX;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.rx.recv_timeout(left.min(QUIET)) {
                Ok(event) => self.collect(event, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.changes.sort();
        batch.changes.dedup();
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch)
    }

    fn collect(&self, event: notify::Result<notify::Event>, batch: &mut Batch) {
        // An error from the watcher may mean lost events: rebuild from the files themselves.
        let Ok(event) = event else {
            batch.rescan = true;
            return;
        };
        if event.need_rescan() {
            batch.rescan = true;
        }
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in &event.paths {
            if let Some(c) = classify(&self.root, &self.theme, path) {
                batch.changes.push(c);
            }
            batch.paths.push(path.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources_and_ignores_noise() {
        let root = Path::new("/p");
        let theme = Path::new("/p/themes/default");
        let c = |p: &str| classify(root, theme, Path::new(p));
        assert_eq!(c("/p/portal.toml"), Some(Change::Config));
        assert_eq!(c("/p/datasets/dan-so/dan_so.csv"), Some(Change::Dataset("dan-so".into())));
        assert_eq!(c("/p/datasets/dan-so"), Some(Change::Dataset("dan-so".into())));
        assert_eq!(c("/p/content/publishers/so-y-te.md"), Some(Change::Content("publishers/so-y-te.md".into())));
        assert_eq!(c("/p/themes/default/templates/base.html"), Some(Change::Theme("templates/base.html".into())));
        assert_eq!(c("/p/datasets/dan-so/.dataset.toml.swp"), None);
        assert_eq!(c("/p/datasets/dan-so/dataset.toml~"), None);
        assert_eq!(c("/p/datasets/dan-so/4913"), None);
        assert_eq!(c("/p/site/index.html"), None);
        assert_eq!(c("/p/.odp/serve/1/index.html"), None);
        assert_eq!(c("/p/README.md"), None);
    }
}
