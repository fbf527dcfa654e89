//! What says an output folder is exactly as the last build left it, without reading its job
//! records or listing its folders (issue 7: this check is most of a no-change rebuild; 72,000
//! entries at 5,000 datasets).
//!
//! Right after a build publishes the site, [`Recorded::of`] lists every output file by folder
//! (with every folder above one) and stats the folders; the digest sums each file's stat as
//! its job recorded it and each folder's stat. The cache keeps the digest, and the listing in
//! `summary.json`. [`Recorded::intact`] stats the same paths again and compares digests. A file
//! edited, replaced or deleted by hand changes its own stat; a file or folder added or renamed
//! changes its folder's modification time: either way the digest differs and the build runs
//! (dropping what was added, as a full build does). A folder modified in the last 50 ms before
//! it is recorded also has its entries' names recorded ([`RACY`]: without fine-grained
//! timestamps a later addition could keep its time). A file is trusted by its stat, as make
//! trusts it. Stat'ing listed paths costs two thirds of listing every folder and stat'ing what
//! it holds (46 against 70 ms at 5,000 datasets, this VM).

use super::Stat;
use rayon::prelude::*;
use std::path::Path;

/// A running digest: how many paths, and the wrapping sum of their 128-bit hashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sum {
    paths: u64,
    sum: u128,
}

impl Sum {
    fn add(self, other: Sum) -> Sum {
        Sum { paths: self.paths + other.paths, sum: self.sum.wrapping_add(other.sum) }
    }

    /// A file (`rel` as recorded) or a folder (`rel` empty for the root, else ending in `/`).
    ///
    /// Two SipHash-1-3 hashes (std's `DefaultHasher`, fixed keys) rather than SHA-256, four times
    /// cheaper (72,000 paths at 5,000 datasets, hashed when recording and when checking): this
    /// digest only tells apart what the same odp binary recorded and finds; if a Rust release
    /// changes the hasher, the digests differ and the build runs, which is always correct.
    fn one(rel: &str, stat: &Stat) -> Sum {
        Sum { paths: 1, sum: hash128([1, 2], (rel, stat.size, stat.mtime_ns, stat.ino)) }
    }

    /// The names in a folder whose modification time cannot be trusted (see [`RACY`]).
    fn entries(folder: &str, names: &[std::ffi::OsString]) -> Sum {
        Sum { paths: 0, sum: hash128([3, 4], (folder, names)) }
    }

    fn text(self) -> String {
        format!("{}:{:032x}", self.paths, self.sum)
    }
}

/// The outputs of a build as [`Recorded::intact`] checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// See the module docs.
    pub digest: String,
    /// One line per folder: its path relative to the site (empty for the root, else ending in
    /// `/`), then a tab before each of its files' names, and a last tab when the folder was
    /// modified too recently for its modification time to be trusted ([`RACY`]).
    pub listing: String,
}

impl Recorded {
    /// The record of the files under `out` that the jobs wrote (`rel` relative to `out`,
    /// `/`-separated, with the stat each had when written), their folders stat'ed now; `None`
    /// when a folder cannot be stat'ed or a name holds a tab or a line break (the check then
    /// fails and the build runs: it never trusts what it cannot describe).
    pub fn of<'a>(out: &Path, files: impl Iterator<Item = &'a (String, Stat)>) -> Option<Recorded> {
        let files: Vec<&(String, Stat)> = files.collect();
        if files.par_iter().any(|(rel, _)| rel.contains(['\t', '\n'])) {
            return None;
        }
        let sum = files.par_iter().map(|(rel, stat)| Sum::one(rel, stat)).reduce(Sum::default, Sum::add);
        // (folder, name) pairs sorted by folder, then every folder with files or above one (a
        // file added there changes its modification time), sorted, each once.
        let mut names: Vec<(&str, &str)> = files
            .iter()
            .map(|(rel, _)| rel.rsplit_once('/').map_or(("", rel.as_str()), |(f, n)| (&rel[..=f.len()], n)))
            .collect();
        names.par_sort_unstable();
        let mut folders: Vec<&str> = Vec::new();
        let mut previous = None;
        for (folder, _) in &names {
            if previous.replace(folder) == Some(folder) {
                continue;
            }
            folders.push(folder);
            let mut at = folder.trim_end_matches('/');
            while let Some((up, _)) = at.rsplit_once('/') {
                folders.push(&folder[..=up.len()]);
                at = up;
            }
            folders.push("");
        }
        folders.par_sort_unstable();
        folders.dedup();
        let root = Root::open(out)?;
        let now = std::time::SystemTime::now();
        let stats: Option<Vec<(Sum, bool)>> = folders
            .par_iter()
            .map(|folder| {
                let stat = root.stat(folder)?;
                let racy = racy(&stat, now);
                let sum = Sum::one(folder, &stat);
                Some((if racy { sum.add(Sum::entries(folder, &root.entries(folder)?)) } else { sum }, racy))
            })
            .collect();
        let stats = stats?;
        let sum = stats.iter().fold(sum, |sum, (folder, _)| sum.add(*folder));
        let mut listing =
            String::with_capacity(names.iter().map(|(_, n)| n.len() + 1).sum::<usize>() + folders.len() * 32);
        let mut names = names.iter().peekable();
        for (folder, (_, racy)) in folders.into_iter().zip(stats) {
            listing.push_str(folder);
            while let Some((_, name)) = names.next_if(|(f, _)| *f == folder) {
                listing.push('\t');
                listing.push_str(name);
            }
            if racy {
                listing.push('\t');
            }
            listing.push('\n');
        }
        Some(Recorded { digest: sum.text(), listing })
    }

    /// True when every listed file and folder under `out` has the stat it was recorded with.
    pub fn intact(&self, out: &Path) -> bool {
        intact(out, &self.digest, &self.listing)
    }
}

/// [`Recorded::intact`] of a digest and listing kept apart. Links are not followed below `out`:
/// a file replaced by a link differs.
pub fn intact(out: &Path, digest: &str, listing: &str) -> bool {
    let Some(root) = Root::open(out) else { return false };
    let lines: Vec<&str> = listing.lines().collect();
    let sums: Option<Vec<Sum>> = lines
        .par_iter()
        .with_max_len(64)
        .map(|line| {
            let (line, racy) = line.strip_suffix('\t').map_or((*line, false), |line| (line, true));
            let mut parts = line.split('\t');
            let folder = parts.next()?;
            let mut sum = Sum::one(folder, &root.stat(folder)?);
            if racy {
                sum = sum.add(Sum::entries(folder, &root.entries(folder)?));
            }
            let mut rel = String::from(folder);
            for name in parts {
                rel.truncate(folder.len());
                rel.push_str(name);
                sum = sum.add(Sum::one(&rel, &root.stat(&rel)?));
            }
            Some(sum)
        })
        .collect();
    sums.is_some_and(|sums| sums.into_iter().fold(Sum::default(), Sum::add).text() == digest)
}

/// A folder modified less than this before it is recorded may be modified again in the same
/// clock tick (1–10 ms; kernels before 6.13 have no finer timestamps for a change that follows a
/// `stat`), leaving the same modification time: its entries' names are recorded and compared
/// too. Most folders of a build were written long before it ends.
const RACY: std::time::Duration = super::sources::RACY;

fn racy(stat: &Stat, now: std::time::SystemTime) -> bool {
    let now = now.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
    now - stat.mtime_ns < RACY.as_nanos() as i128
}

/// 128 bits of `value`: two std `DefaultHasher` hashes, each of `value` after one of `seeds`.
fn hash128(seeds: [u8; 2], value: impl std::hash::Hash + Copy) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |seed: u8| {
        let mut h = DefaultHasher::new();
        (seed, value).hash(&mut h);
        h.finish()
    };
    (u128::from(half(seeds[0])) << 64) | u128::from(half(seeds[1]))
}

/// The site folder, opened once (following it if it is a link): the paths below it are
/// stat'ed relative to it, without following links, and without a walk from `/` for each.
struct Root {
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
    path: std::path::PathBuf,
}

impl Root {
    #[cfg(target_os = "linux")]
    fn open(out: &Path) -> Option<Root> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Some(Root { fd: rustix::fs::openat(rustix::fs::CWD, out, flags, Mode::empty()).ok()?, path: out.to_path_buf() })
    }

    #[cfg(not(target_os = "linux"))]
    fn open(out: &Path) -> Option<Root> {
        out.is_dir().then(|| Root { path: out.to_path_buf() })
    }

    /// `rel`: empty for the folder itself, else a path below it.
    #[cfg(target_os = "linux")]
    fn stat(&self, rel: &str) -> Option<Stat> {
        use rustix::fs::AtFlags;
        let st = match rel {
            "" => rustix::fs::statat(&self.fd, c"", AtFlags::EMPTY_PATH),
            rel => rustix::fs::statat(&self.fd, rel, AtFlags::SYMLINK_NOFOLLOW),
        };
        st.ok().map(|st| Stat::of_stat(&st))
    }

    #[cfg(not(target_os = "linux"))]
    fn stat(&self, rel: &str) -> Option<Stat> {
        std::fs::symlink_metadata(self.path.join(rel)).ok().map(|m| Stat::from_metadata(&m))
    }

    /// The names in a folder (`rel` as for [`Root::stat`]), sorted; rarely needed (see [`RACY`]).
    fn entries(&self, rel: &str) -> Option<Vec<std::ffi::OsString>> {
        let entries = std::fs::read_dir(self.path.join(rel)).ok()?;
        let mut names: Vec<std::ffi::OsString> =
            entries.map(|e| e.map(|e| e.file_name())).collect::<Result<_, _>>().ok()?;
        names.sort();
        Some(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(root: &Path, rel: &str) -> (String, Stat) {
        (rel.to_string(), Stat::of(&root.join(rel)).unwrap())
    }

    #[test]
    fn the_record_holds_until_a_file_is_edited_added_replaced_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("site");
        std::fs::create_dir_all(root.join("datasets/a/en")).unwrap();
        std::fs::write(root.join("index.html"), "trang chủ").unwrap();
        std::fs::write(root.join("datasets/a/index.html"), "a").unwrap();
        std::fs::write(root.join("datasets/a/en/index.html"), "a (en)").unwrap();
        // The files as written now (a job records each file's stat right after writing it).
        let written = || {
            [
                record(root, "datasets/a/en/index.html"),
                record(root, "index.html"),
                record(root, "datasets/a/index.html"),
            ]
        };
        // Folders last modified long ago (see the next test for recent ones).
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for folder in ["", "datasets", "datasets/a", "datasets/a/en"] {
            set_mtime(&root.join(folder), hour_ago);
        }
        let records = written();
        let recorded = Recorded::of(root, records.iter()).unwrap();
        assert_eq!(recorded.listing, "\tindex.html\ndatasets/\ndatasets/a/\tindex.html\ndatasets/a/en/\tindex.html\n");
        assert!(recorded.digest.starts_with("7:"), "3 files, 4 folders: {}", recorded.digest);
        assert!(recorded.intact(root));
        let again = || Recorded::of(root, written().iter()).unwrap();
        assert_eq!(again(), recorded, "the same record while nothing changes");

        // Edited by hand in place: another size.
        std::fs::write(root.join("datasets/a/index.html"), "a, sửa tay").unwrap();
        assert!(!recorded.intact(root), "edited");
        std::fs::write(root.join("datasets/a/index.html"), "a").unwrap();
        let recorded = again();

        // Added by hand, in a listed folder, in a new folder, in a folder with no file.
        for added in ["extra.html", "extra/x.txt", "datasets/x.txt"] {
            let path = root.join(added);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
            assert!(!recorded.intact(root), "{added} added");
            std::fs::remove_file(&path).unwrap();
            if added.contains('/') && !added.starts_with("datasets") {
                std::fs::remove_dir(path.parent().unwrap()).unwrap();
            }
        }
        let recorded = again();
        assert!(recorded.intact(root));

        // Replaced by a link to a file with the same bytes: links are not followed.
        std::fs::write(dir.path().join("same.html"), "a").unwrap();
        std::fs::remove_file(root.join("datasets/a/index.html")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("same.html"), root.join("datasets/a/index.html")).unwrap();
        assert!(!recorded.intact(root), "replaced by a link");
        std::fs::remove_file(root.join("datasets/a/index.html")).unwrap();
        assert!(!recorded.intact(root), "removed");

        // The site folder itself may be a link (e.g. to another disk).
        std::fs::write(root.join("datasets/a/index.html"), "a").unwrap();
        let records = written();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(root, &link).unwrap();
        let linked = Recorded::of(&link, records.iter()).unwrap();
        assert!(linked.intact(&link));
        assert!(!linked.intact(&dir.path().join("missing")));

        // What a line of the listing cannot hold is not recorded.
        let odd = [(String::from("a\tb.html"), records[0].1)];
        assert_eq!(Recorded::of(root, odd.iter()), None);
    }

    /// A folder's modification time, set by hand (as if a change had come in the clock tick of
    /// the last one, which kernels before 6.13 allow).
    fn set_mtime(path: &Path, at: std::time::SystemTime) {
        std::fs::File::open(path).unwrap().set_modified(at).unwrap();
    }

    #[test]
    fn a_folder_modified_just_before_it_is_recorded_is_checked_by_its_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("site");
        std::fs::create_dir_all(root.join("old")).unwrap();
        std::fs::create_dir_all(root.join("new")).unwrap();
        std::fs::write(root.join("old/a.html"), "a").unwrap();
        std::fs::write(root.join("new/b.html"), "b").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        set_mtime(&root.join("old"), hour_ago);
        set_mtime(root, hour_ago);
        // Written "now", whatever the time the test took so far (a clock set back counts too).
        set_mtime(&root.join("new"), std::time::SystemTime::now() + std::time::Duration::from_secs(60));
        let records = [record(root, "old/a.html"), record(root, "new/b.html")];
        let recorded = Recorded::of(root, records.iter()).unwrap();
        assert_eq!(recorded.listing, "\nnew/\tb.html\t\nold/\ta.html\n", "only new/ is too recent to trust");
        let new_mtime = std::fs::metadata(root.join("new")).unwrap().modified().unwrap();

        // A file added to each, each folder's time then put back as it was.
        std::fs::write(root.join("old/x.html"), "x").unwrap();
        set_mtime(&root.join("old"), hour_ago);
        assert!(recorded.intact(root), "an old folder is trusted by its modification time");
        std::fs::remove_file(root.join("old/x.html")).unwrap();
        set_mtime(&root.join("old"), hour_ago);
        assert!(recorded.intact(root));
        std::fs::write(root.join("new/x.html"), "x").unwrap();
        set_mtime(&root.join("new"), new_mtime);
        assert!(!recorded.intact(root), "a recent folder is checked by the names it holds");
    }
}
