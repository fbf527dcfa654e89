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
//! (dropping what was added, as a full build does). Like make, this trusts stats: a change in
//! the same clock tick as the build's own last write there would go unseen. Stat'ing listed
//! paths costs two thirds of listing every folder and stat'ing what it holds (46 against 70 ms
//! at 5,000 datasets, this VM).

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
        use std::hash::{DefaultHasher, Hash, Hasher};
        let half = |seed: u8| {
            let mut h = DefaultHasher::new();
            (seed, rel, stat.size, stat.mtime_ns, stat.ino).hash(&mut h);
            h.finish()
        };
        Sum { paths: 1, sum: (u128::from(half(1)) << 64) | u128::from(half(2)) }
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
    /// `/`), then a tab before each of its files' names.
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
        let stats: Option<Vec<Sum>> =
            folders.par_iter().map(|folder| Some(Sum::one(folder, &root.stat(folder)?))).collect();
        let sum = stats?.into_iter().fold(sum, Sum::add);
        let mut listing =
            String::with_capacity(names.iter().map(|(_, n)| n.len() + 1).sum::<usize>() + folders.len() * 32);
        let mut names = names.iter().peekable();
        for folder in folders {
            listing.push_str(folder);
            while let Some((_, name)) = names.next_if(|(f, _)| *f == folder) {
                listing.push('\t');
                listing.push_str(name);
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
            let mut parts = line.split('\t');
            let folder = parts.next()?;
            let mut sum = Sum::one(folder, &root.stat(folder)?);
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

/// The site folder, opened once (following it if it is a link): the paths below it are
/// stat'ed relative to it, without following links, and without a walk from `/` for each.
struct Root {
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(target_os = "linux"))]
    path: std::path::PathBuf,
}

impl Root {
    #[cfg(target_os = "linux")]
    fn open(out: &Path) -> Option<Root> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Some(Root { fd: rustix::fs::openat(rustix::fs::CWD, out, flags, Mode::empty()).ok()? })
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
}
