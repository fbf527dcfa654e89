//! Stage 1: read the repository (portal.toml, content/, datasets/) into a [`Portal`], turning
//! every problem in the files into a diagnostic. Only an unreadable repository is fatal.

pub mod config;
pub mod content;
pub mod dataset;
pub mod frontmatter;
pub mod prefetch;
pub mod table_schema;
pub mod toml_read;

use crate::cache::sources::SourceStamp;
use crate::diag::{Diagnostics, Msg, Pos};
use crate::model::{Dataset, Portal};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use walkdir::WalkDir;

/// Dataset folders parsed by earlier loads in this process (`odp serve`), each with the stamp
/// of everything in its folder when it was read: a folder whose files all have the same size,
/// modification and change times and inode is not read or parsed again (issue 7: parsing
/// 5,000 dataset.toml files took 0.1–0.25 s of every rebuild). The stamps cover every file the
/// parse looked at (see `dependencies`: the folder, dataset.toml, README.md, data files,
/// schema files, present or not), like make's dependency files; `Known` (publishers, themes,
/// licences) is part of the key because the parse checks references against it.
///
/// A folder changed in the last [`LoadMemo::racy`] is not memoised: a second write within the
/// file system's timestamp granularity could leave the same stamp ("racily clean" in git).
///
/// With a file watcher ([`LoadMemo::trust_events`]), files under the watched folders are not
/// stat'ed at all: the watcher's events invalidate the folders they touch (30,000 stats per
/// rebuild at 10,000 datasets were a fifth of serve's save→reload time). Files outside the
/// watched folders (a shared schema) are still stat'ed.
pub struct LoadMemo {
    datasets: Mutex<HashMap<String, std::sync::Arc<Memo>>>,
    racy: std::time::Duration,
    reused: std::sync::atomic::AtomicUsize,
    /// Folders whose every change reaches [`LoadMemo::invalidate`]; empty: stat everything.
    watched: std::sync::RwLock<Vec<PathBuf>>,
}

impl Default for LoadMemo {
    fn default() -> Self {
        LoadMemo::with_racy_window(std::time::Duration::from_millis(100))
    }
}

impl LoadMemo {
    /// A memo that trusts stamps older than `racy` (tests use zero).
    pub fn with_racy_window(racy: std::time::Duration) -> LoadMemo {
        LoadMemo { datasets: Mutex::default(), racy, reused: Default::default(), watched: Default::default() }
    }

    /// From now on, trusts that every change under `watched` is passed to
    /// [`LoadMemo::invalidate`] before the next load: their files are no longer stat'ed. Call
    /// it only once the watcher is running (a change before it would go unseen); earlier
    /// entries are dropped for the same reason.
    pub fn trust_events(&self, watched: Vec<PathBuf>) {
        self.datasets.lock().expect("load memo lock").clear();
        *self.watched.write().expect("load memo lock") = watched;
    }

    /// Forgets every folder whose parse looked at one of `paths` or at something inside or
    /// above one of them (a created file in a dataset folder, a removed folder).
    pub fn invalidate(&self, paths: &[PathBuf]) {
        if paths.is_empty() {
            return;
        }
        self.datasets
            .lock()
            .expect("load memo lock")
            .retain(|_, m| !m.stamp.iter().any(|(p, _)| paths.iter().any(|c| p.starts_with(c) || c.starts_with(p))));
    }

    /// Forgets every folder (the watcher lost events and asks for a rescan).
    pub fn invalidate_all(&self) {
        self.datasets.lock().expect("load memo lock").clear();
    }

    /// How many folders the loads so far took from the memo.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl LoadMemo {
    /// The folder's last parse, when every file it looked at kept its stamp.
    fn lookup(&self, id: &str, known: u64, reuse: Option<Reuse<'_>>) -> Option<(Option<Dataset>, Diagnostics)> {
        // The lock is held only to take the entry: stats and the dataset's clone happen outside
        // it, so the loader threads do not queue behind each other (they did, at 10,000 folders).
        let m = self.datasets.lock().expect("load memo lock").get(id).filter(|m| m.known == known)?.clone();
        let watched = self.watched.read().expect("load memo lock");
        let unchanged = m
            .stamp
            .iter()
            .filter(|(path, _)| !watched.iter().any(|w| path.starts_with(w)))
            .all(|(path, stamp)| SourceStamp::of(path) == *stamp);
        if !unchanged {
            return None;
        }
        self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dataset = match (&m.dataset, reuse) {
            (Some(d), Some(reuse)) => Some(reuse(id).unwrap_or_else(|| d.clone())),
            (d, _) => d.clone(),
        };
        Some((dataset, m.diags.clone()))
    }

    /// Remembers a parse stamped `before` it read. Only a clean parse is kept (after an error
    /// the files it could not find or read are not all known), and only when no file it looked
    /// at is younger than the racy window.
    fn keep(
        &self,
        root: &Path,
        id: &str,
        known: u64,
        before: Vec<(PathBuf, Option<SourceStamp>)>,
        loaded: &Option<Dataset>,
        diags: &Diagnostics,
    ) {
        let Some(d) = loaded.as_ref().filter(|_| !diags.has_errors()) else { return };
        let extra: Vec<PathBuf> =
            dependencies(root, id, Some(d)).into_iter().filter(|p| !before.iter().any(|(b, _)| b == p)).collect();
        let mut stamp = before;
        stamp.extend(stamps(extra));
        stamp.sort_by(|a, b| a.0.cmp(&b.0));
        let now = std::time::SystemTime::now();
        if stamp.iter().flat_map(|(_, s)| s).all(|s| s.settled(now, self.racy)) {
            let m = std::sync::Arc::new(Memo { stamp, known, dataset: loaded.clone(), diags: diags.clone() });
            self.datasets.lock().expect("load memo lock").insert(id.to_string(), m);
        }
    }
}

impl std::fmt::Debug for LoadMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadMemo({} folders)", self.datasets.lock().map_or(0, |m| m.len()))
    }
}

struct Memo {
    stamp: Vec<(PathBuf, Option<SourceStamp>)>,
    known: u64,
    dataset: Option<Dataset>,
    diags: Diagnostics,
}

/// The files a dataset's parse read or looked at: the folder, dataset.toml, README.md, each
/// file resource and each external Table Schema (whether present or not).
fn dependencies(root: &Path, id: &str, d: Option<&Dataset>) -> Vec<PathBuf> {
    let dir = root.join("datasets").join(id);
    let mut deps = vec![dir.clone(), dir.join(dataset::DATASET_FILE), dir.join("README.md")];
    for r in d.iter().flat_map(|d| &d.resources) {
        if let crate::model::ResourceKind::File(f) = &r.kind {
            deps.push(dir.join(&f.path.value));
            deps.extend(f.schema.iter().map(|s| root.join(&s.source)));
        }
    }
    deps.sort();
    deps.dedup();
    deps
}

/// Each path with its stamp, `None` for a missing one.
fn stamps(paths: Vec<PathBuf>) -> Vec<(PathBuf, Option<SourceStamp>)> {
    paths
        .into_iter()
        .map(|p| {
            let stamp = SourceStamp::of(&p);
            (p, stamp)
        })
        .collect()
}

fn known_key(known: &dataset::Known) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    known.hash(&mut h);
    h.finish()
}

/// Reads a text file that must be UTF-8; a non-UTF-8 file is the author's problem, not fatal.
fn read_text(root: &Path, rel: &str, diags: &mut Diagnostics) -> Result<Option<String>> {
    let bytes = std::fs::read(root.join(rel)).with_context(|| format!("failed to read `{rel}`"))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(_) => {
            diags.push(rel, Pos::FILE, Msg::NotUtf8);
            Ok(None)
        }
    }
}

/// Repository-relative path with `/` separators.
fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Loads the whole portal. `None` portal means portal.toml itself is unusable (reported).
pub fn load(root: &Path) -> Result<(Option<Portal>, Diagnostics)> {
    load_with(root, None)
}

/// Hands over a dataset, as the last build validated it, for a folder the memo finds unchanged
/// (`odp serve`'s carry, see `cache::carry`); `None`: the memo's parse is cloned.
pub type Reuse<'a> = &'a (dyn Fn(&str) -> Option<Dataset> + Sync);

/// `load`, reusing the dataset folders of `memo` that did not change since they were parsed.
pub fn load_with(root: &Path, memo: Option<&LoadMemo>) -> Result<(Option<Portal>, Diagnostics)> {
    load_reusing(root, memo, None)
}

/// `load_with`; a folder the memo finds unchanged is taken from `reuse` when it has it.
pub fn load_reusing(
    root: &Path,
    memo: Option<&LoadMemo>,
    reuse: Option<Reuse<'_>>,
) -> Result<(Option<Portal>, Diagnostics)> {
    let mut diags = Diagnostics::new();
    if !root.join(config::FILE).is_file() {
        bail!("no `portal.toml` in `{}`: not an odp portal repository", root.display());
    }
    let config_text = read_text(root, config::FILE, &mut diags)?;
    let config = config_text.and_then(|t| config::load(&t, &mut diags));

    let mut publishers = BTreeMap::new();
    let mut pages = Vec::new();
    let mut notices = Vec::new();
    let content = root.join("content");
    if content.is_dir() {
        for entry in WalkDir::new(&content).sort_by_file_name() {
            let entry = entry.with_context(|| format!("failed to list `{}`", content.display()))?;
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let rel = rel_path(root, path);
            let under_content = rel_path(&content, path);
            let Some(text) = read_text(root, &rel, &mut diags)? else { continue };
            if let Some(id) = under_content.strip_prefix("publishers/").and_then(|s| s.strip_suffix(".md")) {
                if let Some(p) = content::load_publisher(id, &rel, &text, &mut diags) {
                    publishers.insert(p.id.clone(), p);
                }
            } else if let Some(id) = under_content.strip_prefix("notices/").and_then(|s| s.strip_suffix(".md")) {
                notices.extend(crate::notices::load(id, &rel, &text, &mut diags));
            } else if let Some(p) = content::load_page(&under_content, &rel, &text, &mut diags) {
                pages.push(p);
            }
        }
    }

    let known = dataset::Known {
        publishers: publishers.keys().cloned().collect(),
        themes: config.iter().flat_map(|c| c.themes.iter().map(|t| t.id.clone())).collect(),
        licenses: config.iter().flat_map(|c| c.licenses.iter().map(|l| l.id.clone())).collect(),
        default_license: config.as_ref().map_or(String::new(), |c| c.default_license.clone()),
    };
    let t = crate::timings::stage("load: dataset folders");
    let mut datasets = Vec::new();
    let datasets_dir = root.join("datasets");
    if datasets_dir.is_dir() {
        let mut dirs: Vec<_> = std::fs::read_dir(&datasets_dir)
            .with_context(|| format!("failed to list `{}`", datasets_dir.display()))?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) || e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let known_key = known_key(&known);
        dirs.sort();
        // Read and parsed in parallel (a 5,000-dataset portal spent 0.2 s here on one core);
        // the results are merged in folder order, so diagnostics keep a stable order.
        // Small tasks keep both cores busy to the end (see `pipeline::JOBS_PER_TASK`).
        let loaded: Vec<Result<(Option<Dataset>, Diagnostics)>> = dirs
            .par_iter()
            .with_max_len(16)
            .map(|id| {
                if let Some(hit) = memo.and_then(|m| m.lookup(id, known_key, reuse)) {
                    return Ok(hit);
                }
                // Stamped before reading: a write during the parse makes the next load read again.
                let before = memo.map(|_| stamps(dependencies(root, id, None)));
                let mut local = Diagnostics::new();
                let rel = format!("datasets/{id}/dataset.toml");
                let loaded = if !root.join(&rel).is_file() {
                    None
                } else {
                    match read_text(root, &rel, &mut local)? {
                        Some(text) => dataset::load(root, id, &text, &known, &mut local),
                        None => None,
                    }
                };
                if let (Some(memo), Some(before)) = (memo, before) {
                    memo.keep(root, id, known_key, before, &loaded, &local);
                }
                Ok((loaded, local))
            })
            .collect();
        for one in loaded {
            let (d, local) = one?;
            diags.extend(local);
            datasets.extend(d);
        }
    }
    drop(t);
    if crate::timings::enabled()
        && let Some(memo) = memo
    {
        eprintln!("odp timings: load memo: {} folders reused so far", memo.reused());
    }
    let _t = crate::timings::stage("load: portal");
    // `Portal::dataset` relies on this order (binary search).
    datasets.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((config.map(|config| Portal::new(config, publishers, pages, datasets, notices)), diags))
}
