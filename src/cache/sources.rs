//! The stamp of everything a build reads, so that `odp build` with unchanged sources skips
//! loading, validating and fingerprinting altogether (issue 7: a no-change rebuild under 5% of
//! a cold build). Like make, it trusts file stamps (size, modification and change times,
//! inode), not contents; a source changed too recently to be told apart from a second write
//! in the same clock tick ("racily clean" in git) makes the stamp unusable for one build.

use crate::pipeline::BuildOptions;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Sources younger than this when stamped are not trusted: a second write in the same clock
/// tick (1–10 ms on Linux) could leave the same stamp.
pub const RACY: Duration = Duration::from_millis(50);

/// A stamp being taken; [`Stamping::finish`] gives it, or `None` when a source is younger than
/// `racy` ([`RACY`]; tests use zero) or unreadable.
///
/// It covers: the generator version; the build options; `SOURCE_DATE_EPOCH`; every file and
/// folder under `portal.toml`, `content/`, `datasets/` and the theme (code lists are dataset
/// resources, so they are among them); and the repository's history as the build reads it
/// (the same `git log` the build then uses), which also decides the build date.
///
/// Its clock is read when it starts, before the build reads any source; a source written after
/// that is younger than the clock and spoils the stamp, whenever the walk comes to it. So the
/// walk may run beside the build's own reads and still describe exactly what the build read, or
/// be `None`.
pub enum Stamping {
    Done(Option<Vec<u8>>),
    Beside(std::thread::JoinHandle<Option<Vec<u8>>>),
}

impl Stamping {
    /// Walks the sources now.
    pub fn now(opts: &BuildOptions, racy: Duration) -> Stamping {
        Stamping::Done(sources(opts, SystemTime::now(), racy))
    }

    /// Walks the sources on threads of its own, beside the build: for a build that has no last
    /// stamp to compare with and keeps this one for the next (a cold build spent 0.05 s on the
    /// walk with the files in the page cache, 0.15–0.2 s without, before reading anything).
    /// The walk waits on the disk more than it computes, hence more threads than cores.
    pub fn beside(opts: &BuildOptions, racy: Duration) -> Stamping {
        let (owned, now) = (opts.clone(), SystemTime::now());
        let walk = move || {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(8).thread_name(|_| "odp-stamp".into()).build();
            match pool {
                Ok(pool) => pool.install(|| sources(&owned, now, racy)),
                Err(_) => sources(&owned, now, racy),
            }
        };
        match std::thread::Builder::new().name("odp-stamp".into()).spawn(walk) {
            Ok(handle) => Stamping::Beside(handle),
            Err(_) => Stamping::now(opts, racy),
        }
    }

    /// The stamp, given the history the build read (its `Debug` text).
    pub fn finish(self, history: &str) -> Option<String> {
        let walked = match self {
            Stamping::Done(walked) => walked,
            Stamping::Beside(handle) => handle.join().ok().flatten(),
        }?;
        let mut h = Sha256::new();
        h.update(walked);
        h.update(history);
        Some(crate::validate::table::hex(&h.finalize()))
    }
}

/// Everything of the stamp but the history.
fn sources(opts: &BuildOptions, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    let mut h = Sha256::new();
    h.update(super::GENERATOR);
    h.update(format!("{:?}", (&opts.out, &opts.theme, &opts.base_url, &opts.as_of, opts.in_place)));
    h.update(format!("{:?}", std::env::var_os("SOURCE_DATE_EPOCH")));
    let roots = [
        opts.root.join(crate::load::config::FILE),
        opts.root.join("content"),
        opts.root.join("datasets"),
        opts.theme.clone(),
    ];
    for root in roots {
        h.update(root.to_string_lossy().as_bytes());
        h.update(tree(&root, now, racy)?);
    }
    Some(h.finalize().to_vec())
}

/// The hash of a file, or of a folder's entries with their stamps, in name order; folders
/// are walked in parallel (5,000 dataset folders).
fn tree(path: &Path, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    match std::fs::metadata(path) {
        Ok(m) => stamped(path, &m, now, racy),
        Err(_) => Some(b"missing".to_vec()),
    }
}

/// `tree` of a path whose metadata is in hand. A folder's entries are stat'ed through the
/// open folder (`DirEntry::metadata`), not by their whole path again: 15,000 path walks fewer
/// at 5,000 datasets. A link is followed, as `tree` does: a linked file changes with its target.
fn stamped(path: &Path, m: &std::fs::Metadata, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    let mut h = Sha256::new();
    h.update(file_stamp(m, now, racy)?);
    if m.is_dir() {
        let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(path).ok()?.collect::<Result<_, _>>().ok()?;
        entries.sort_by_key(|e| e.file_name());
        let parts: Vec<Option<Vec<u8>>> = entries
            .par_iter()
            .map(|e| match e.metadata() {
                Ok(m) if !m.is_symlink() => stamped(&e.path(), &m, now, racy),
                _ => tree(&e.path(), now, racy),
            })
            .collect();
        for (e, part) in entries.iter().zip(parts) {
            h.update(e.file_name().as_encoded_bytes());
            h.update(part?);
        }
    }
    Some(h.finalize().to_vec())
}

fn file_stamp(m: &std::fs::Metadata, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    let s = SourceStamp::from_metadata(m);
    s.settled(now, racy).then(|| s.to_bytes())
}

/// What says a source file is unchanged without reading it (what make, git and cargo compare):
/// size, modification and change times, inode. Also used by `load::LoadMemo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStamp {
    len: u64,
    modified: SystemTime,
    changed: SystemTime,
    ino: u64,
}

impl SourceStamp {
    /// The stamp of `path` (following links: a linked file changes when its target does);
    /// `None` when it does not exist.
    pub fn of(path: &Path) -> Option<SourceStamp> {
        std::fs::metadata(path).ok().map(|m| SourceStamp::from_metadata(&m))
    }

    pub fn from_metadata(m: &std::fs::Metadata) -> SourceStamp {
        let modified = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        #[cfg(unix)]
        let (changed, ino) = {
            use std::os::unix::fs::MetadataExt;
            let changed = SystemTime::UNIX_EPOCH
                + Duration::new(m.ctime().max(0) as u64, m.ctime_nsec().clamp(0, 999_999_999) as u32);
            (changed, m.ino())
        };
        #[cfg(not(unix))]
        let (changed, ino) = (modified, 0u64);
        SourceStamp { len: m.len(), modified, changed, ino }
    }

    /// The stamp as bytes to hash: its numbers, not their `Debug` text (formatting 15,000
    /// stamps was 2% of a 5,000-dataset build, issue 7).
    fn to_bytes(&self) -> Vec<u8> {
        let nanos = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mut out = Vec::with_capacity(48);
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&nanos(self.modified).to_le_bytes());
        out.extend_from_slice(&nanos(self.changed).to_le_bytes());
        out.extend_from_slice(&self.ino.to_le_bytes());
        out
    }

    /// True when the file was last written or changed at least `racy` before `now`: a later
    /// write in the same clock tick could otherwise leave the same stamp.
    pub fn settled(&self, now: SystemTime, racy: Duration) -> bool {
        now.duration_since(self.modified.max(self.changed)).is_ok_and(|age| age >= racy)
    }
}
