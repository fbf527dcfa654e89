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
/// open folder, not by their whole path again: 15,000 path walks fewer at 5,000 datasets. A
/// link is followed, as `tree` does: a linked file changes with its target.
fn stamped(path: &Path, m: &std::fs::Metadata, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    stamped_as(path, &SourceStamp::from_metadata(m), m.is_dir(), now, racy)
}

fn stamped_as(path: &Path, stamp: &SourceStamp, is_dir: bool, now: SystemTime, racy: Duration) -> Option<Vec<u8>> {
    let mut h = Sha256::new();
    h.update(stamp.settled(now, racy).then(|| stamp.to_bytes())?);
    if is_dir {
        let mut entries = entries(path)?;
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let parts: Vec<Option<Vec<u8>>> = entries
            .par_iter()
            .map(|e| match &e.stat {
                Some((stamp, is_dir)) => stamped_as(&path.join(&e.name), stamp, *is_dir, now, racy),
                None => tree(&path.join(&e.name), now, racy),
            })
            .collect();
        for (e, part) in entries.iter().zip(parts) {
            h.update(e.name.as_encoded_bytes());
            h.update(part?);
        }
    }
    Some(h.finalize().to_vec())
}

/// A folder's entry: its name, and its stamp and whether it is a folder, unless it is a link
/// (`None`: `tree` follows it).
struct Entry {
    name: std::ffi::OsString,
    stat: Option<(SourceStamp, bool)>,
}

#[cfg(not(target_os = "linux"))]
fn entries(path: &Path) -> Option<Vec<Entry>> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(path).ok()? {
        let e = e.ok()?;
        let stat = match e.metadata() {
            Ok(m) if !m.is_symlink() => Some((SourceStamp::from_metadata(&m), m.is_dir())),
            _ => None,
        };
        entries.push(Entry { name: e.file_name(), stat });
    }
    Some(entries)
}

/// The folder listed and its entries stat'ed in system calls of its own, without the `fstat`
/// glibc's `opendir` adds (5,000 of them at 5,000 datasets, issue 7).
#[cfg(target_os = "linux")]
fn entries(path: &Path) -> Option<Vec<Entry>> {
    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};
    use std::os::unix::ffi::OsStringExt;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir = Dir::new(rustix::fs::openat(rustix::fs::CWD, path, flags, Mode::empty()).ok()?).ok()?;
    let mut names = Vec::new();
    while let Some(entry) = dir.read() {
        let name = entry.ok()?.file_name().to_owned();
        if name.as_bytes() != b"." && name.as_bytes() != b".." {
            names.push(name);
        }
    }
    let fd = dir.fd().ok()?;
    // The `stat` fields' types differ between targets: the casts are no-ops on x86_64 only.
    #[allow(clippy::unnecessary_cast)]
    let entry = |name: std::ffi::CString| {
        let stat = match rustix::fs::statat(fd, &name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) != FileType::Symlink => {
                let stamp = SourceStamp::from_times(
                    st.st_size as u64,
                    (st.st_mtime as i64, st.st_mtime_nsec as i64),
                    (st.st_ctime as i64, st.st_ctime_nsec as i64),
                    st.st_ino,
                );
                Some((stamp, FileType::from_raw_mode(st.st_mode) == FileType::Directory))
            }
            _ => None,
        };
        Some(Entry { name: std::ffi::OsString::from_vec(name.into_bytes()), stat })
    };
    names.into_par_iter().map(entry).collect()
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            SourceStamp::from_times(m.len(), (m.mtime(), m.mtime_nsec()), (m.ctime(), m.ctime_nsec()), m.ino())
        }
        #[cfg(not(unix))]
        {
            let modified = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            SourceStamp { len: m.len(), modified, changed: modified, ino: 0 }
        }
    }

    /// The stamp of a `stat`'s fields: size, modification and change times (seconds and
    /// nanoseconds since 1970), inode.
    #[cfg(unix)]
    fn from_times(len: u64, modified: (i64, i64), changed: (i64, i64), ino: u64) -> SourceStamp {
        let at = |(secs, nanos): (i64, i64)| {
            let nanos = Duration::from_nanos(nanos.clamp(0, 999_999_999) as u64);
            let whole = match u64::try_from(secs) {
                Ok(secs) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)),
                Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs())),
            };
            whole.and_then(|t| t.checked_add(nanos)).unwrap_or(SystemTime::UNIX_EPOCH)
        };
        SourceStamp { len, modified: at(modified), changed: at(changed), ino }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            out: root.join("site"),
            theme: root.join("themes/default"),
            base_url: None,
            as_of: None,
            in_place: false,
        }
    }

    /// The stamp of a portal folder as `odp build` takes it, with no racy window.
    fn stamp(root: &Path) -> Option<String> {
        Stamping::now(&options(root), Duration::ZERO).finish("history")
    }

    #[test]
    fn the_stamp_changes_with_any_source_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Each write gets a modification time of its own, a second after the last: a rewrite
        // within one clock tick would otherwise keep the stamp (what the racy window is for).
        let clock = std::cell::Cell::new(1_700_000_000);
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            clock.set(clock.get() + 1);
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(clock.get());
            std::fs::File::options().write(true).open(&p).unwrap().set_modified(at).unwrap();
        };
        write("portal.toml", "[portal]\n");
        write("datasets/a/dataset.toml", "title = \"A\"\n");
        write("datasets/a/data/a.csv", "x\n1\n");
        write("shared/b.csv", "y\n2\n");
        write("themes/default/base.html", "<html>");
        let mut last = stamp(root).expect("a stamp");
        assert_eq!(stamp(root).as_ref(), Some(&last), "nothing changed");
        let mut changed = |what: &str| {
            let now = stamp(root).expect("a stamp");
            assert_ne!(now, last, "{what}");
            last = now;
        };

        // In a sub-folder of a dataset: the same size, another time.
        write("datasets/a/data/a.csv", "x\n3\n");
        changed("a file rewritten");
        write("datasets/a/notes.md", "");
        changed("a file added");
        std::fs::remove_file(root.join("datasets/a/notes.md")).unwrap();
        changed("a file removed");
        // A link is followed: its target's changes are the dataset's.
        std::os::unix::fs::symlink(root.join("shared/b.csv"), root.join("datasets/a/b.csv")).unwrap();
        changed("a link added");
        write("shared/b.csv", "y\n22\n");
        changed("a linked file's target rewritten");
        write("themes/default/base.html", "<html lang=vi>");
        changed("a template");
        std::fs::remove_file(root.join("portal.toml")).unwrap();
        changed("portal.toml removed");
    }

    #[test]
    fn a_source_younger_than_the_racy_window_gives_no_stamp() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("datasets/a")).unwrap();
        std::fs::write(dir.path().join("datasets/a/dataset.toml"), "").unwrap();
        let opts = options(dir.path());
        assert!(Stamping::now(&opts, Duration::from_secs(3600)).finish("").is_none());
        assert!(Stamping::now(&opts, Duration::ZERO).finish("").is_some());
    }
}
