//! Asks the kernel to read the files of `datasets/` ahead of the readers, when a build is going
//! to read them all (a build or check without a cache, `odp serve`'s first build): started
//! before anything else of the build touches the disk (the no-change stamp stats every file).
//!
//! Why (issue 7): load and validation read each folder's files in turn, two threads at a time,
//! and on a page cache that has dropped them each read waits for the disk before the next is
//! asked for. A cold build of 5,000 datasets took 2.85–3.0 s instead of 2.0 s when the page
//! cache had dropped its files (this VM's host reclaims page cache within a minute). Hinting
//! every file up front (`posix_fadvise(WILLNEED)`, which starts the reads and returns) lets the
//! disk serve them all at once while the readers parse what has arrived: 2.2–2.3 s.
//!
//! When a sample of folders shows the files already cached, nothing is hinted (the walk's
//! system calls would be pure cost). Only a hint: nothing waits for it, a failure is ignored,
//! and what it reads is bounded per file and in total, so a portal of large files does not push
//! the rest out of memory (their streaming readers get the kernel's own read-ahead anyway).
//! Linux only; elsewhere a no-op.

use std::path::Path;

/// Bytes hinted per file: all of a typical dataset.toml, README or table; the start of a big one.
#[cfg(target_os = "linux")]
const PER_FILE: u64 = 1 << 20;

/// Bytes hinted in all.
#[cfg(target_os = "linux")]
const TOTAL: u64 = 512 << 20;

/// Threads walking the folders: the listing of each folder and the opening of each file wait
/// for the disk too, so several walk at once (blocked, not busy: a walk is mostly waiting).
#[cfg(target_os = "linux")]
const WALKERS: usize = 8;

/// Starts hinting the files of every folder in `<root>/datasets/` and returns at once: the
/// listing too happens on another thread, and the walkers end on their own.
#[cfg(target_os = "linux")]
pub fn start(root: &Path) {
    let datasets = root.join("datasets");
    if in_memory(&datasets) {
        return;
    }
    let lister = std::thread::Builder::new().name("odp-prefetch".into()).spawn(move || {
        let Ok(entries) = std::fs::read_dir(&datasets) else { return };
        let mut dirs: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
        // The loaders' order: folder names sorted.
        dirs.sort();
        if !all_cached(&datasets, &dirs) {
            walk(&datasets, &dirs);
        }
    });
    // No thread, no hint: the loaders read the files themselves as before.
    drop(lister);
}

/// True when `dir` is on a file system kept in memory (tmpfs, ramfs): nothing to read ahead
/// there, and `RWF_NOWAIT` reads are refused on tmpfs (`EOPNOTSUPP`), so the sample below could
/// not tell (a 5,000-dataset build in `/dev/shm` walked 10,000 files for nothing).
#[cfg(target_os = "linux")]
fn in_memory(dir: &Path) -> bool {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const RAMFS_MAGIC: i64 = 0x8584_58f6;
    // `f_type` is `i64` on x86_64 but narrower on other targets: the cast is needed there.
    #[allow(clippy::unnecessary_cast)]
    let in_memory = |s: rustix::fs::StatFs| matches!(s.f_type as i64, TMPFS_MAGIC | RAMFS_MAGIC);
    rustix::fs::statfs(dir).is_ok_and(in_memory)
}

/// Folders sampled to tell whether the page cache already holds the sources.
#[cfg(target_os = "linux")]
const SAMPLES: usize = 16;

/// True when every file of a few folders spread over `dirs` is in the page cache (a read that
/// must not wait, `RWF_NOWAIT`, succeeds): then so, most likely, is the rest, and the walk
/// would only add its 50,000 system calls (at 5,000 datasets) to a build that waits on nothing.
#[cfg(target_os = "linux")]
fn all_cached(datasets: &Path, dirs: &[std::ffi::OsString]) -> bool {
    let step = dirs.len().div_ceil(SAMPLES).max(1);
    dirs.iter().step_by(step).all(|dir| {
        let Ok(entries) = std::fs::read_dir(datasets.join(dir)) else { return false };
        entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file())).all(|e| {
            let Ok(file) = std::fs::File::open(e.path()) else { return false };
            let mut byte = [0u8; 1];
            let read = rustix::io::preadv2(
                &file,
                &mut [std::io::IoSliceMut::new(&mut byte)],
                0,
                rustix::io::ReadWriteFlags::NOWAIT,
            );
            // An empty file reads 0 bytes at once; EAGAIN means the disk would be waited for; a
            // file system without RWF_NOWAIT cannot tell, so the walk goes ahead.
            read.is_ok()
        })
    })
}

/// Hints the files of `dirs` (folders of `datasets`), [`WALKERS`] threads at once.
#[cfg(target_os = "linux")]
fn walk(datasets: &Path, dirs: &[std::ffi::OsString]) {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU64;
    let budget = Arc::new(AtomicU64::new(TOTAL));
    // Contiguous runs, one per walker: the loaders split the list in halves and quarters, so
    // every place a loader starts from has a walker starting there too.
    let per = dirs.len().div_ceil(WALKERS).max(1);
    for run in dirs.chunks(per) {
        let folders: Vec<_> = run.iter().map(|d| datasets.join(d)).collect();
        let budget = Arc::clone(&budget);
        let walker = std::thread::Builder::new().name("odp-prefetch".into()).spawn(move || {
            for folder in folders {
                let Ok(entries) = std::fs::read_dir(&folder) else { continue };
                for entry in entries.flatten() {
                    if !entry.file_type().is_ok_and(|t| t.is_file()) {
                        continue;
                    }
                    let Ok(file) = std::fs::File::open(entry.path()) else { continue };
                    let wanted = file.metadata().map_or(PER_FILE, |m| m.len().min(PER_FILE));
                    if wanted == 0 {
                        continue;
                    }
                    let Some(len) = std::num::NonZeroU64::new(grant(&budget, wanted)) else { return };
                    let _ = rustix::fs::fadvise(&file, 0, Some(len), rustix::fs::Advice::WillNeed);
                }
            }
        });
        drop(walker);
    }
}

/// Takes up to `wanted` bytes from what is left of the budget; what it took.
#[cfg(target_os = "linux")]
fn grant(budget: &std::sync::atomic::AtomicU64, wanted: u64) -> u64 {
    use std::sync::atomic::Ordering::Relaxed;
    let before = budget.fetch_update(Relaxed, Relaxed, |left| Some(left.saturating_sub(wanted)));
    before.unwrap_or(0).min(wanted)
}

#[cfg(not(target_os = "linux"))]
pub fn start(_root: &Path) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_budget_runs_out_and_stays_out() {
        let budget = std::sync::atomic::AtomicU64::new(10);
        let taken: Vec<u64> = [4, 8, 1].iter().map(|&w| super::grant(&budget, w)).collect();
        assert_eq!(taken, [4, 6, 0]);
    }

    #[test]
    fn files_just_written_are_found_in_the_page_cache() {
        let root = tempfile::tempdir().unwrap();
        let datasets = root.path().join("datasets");
        let mut dirs = Vec::new();
        for i in 0..40 {
            let dir = format!("d{i:02}");
            std::fs::create_dir_all(datasets.join(&dir)).unwrap();
            std::fs::write(datasets.join(&dir).join("dataset.toml"), "title = \"x\"\n").unwrap();
            std::fs::write(datasets.join(&dir).join("empty.csv"), "").unwrap();
            dirs.push(dir.into());
        }
        assert!(super::all_cached(&datasets, &dirs));
        dirs.insert(0, "gone".into());
        assert!(!super::all_cached(&datasets, &dirs), "a folder that cannot be read is not known to be cached");
    }

    #[test]
    fn memory_file_systems_are_told_apart_from_others() {
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
        // The last mount at a place is the one seen there.
        let top: std::collections::BTreeMap<&str, &str> = mounts
            .lines()
            .filter_map(|line| {
                let mut fields = line.split(' ');
                Some((fields.nth(1)?, fields.next()?))
            })
            .collect();
        let (mut memory, mut other) = (0, 0);
        for (at, kind) in top {
            // Escaped names and places unreadable here say nothing.
            let path = std::path::Path::new(at);
            if at.contains('\\') || std::fs::read_dir(path).is_err() {
                continue;
            }
            let expected = matches!(kind, "tmpfs" | "ramfs" | "devtmpfs");
            assert_eq!(super::in_memory(path), expected, "{at} ({kind})");
            if expected { memory += 1 } else { other += 1 }
        }
        assert!(other > 0, "no disk-backed mount checked:\n{mounts}");
        assert!(memory > 0, "no tmpfs mount checked (Linux has /dev/shm or /run):\n{mounts}");
    }
}
