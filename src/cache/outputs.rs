//! What says an output folder is exactly as the last build left it, without reading a list of
//! its files: a digest of every file's path and stat ([`Stat`]: size, mtime, inode) as the jobs
//! recorded them, compared with the same digest of a walk of the folder (issue 7: the no-change
//! rebuild stat'ed 62,000 outputs by path, then listed every folder again to count them, after
//! loading every job record to know their names).
//!
//! The digest is order-free (a sum of per-file hashes, and the count), so the folder walk can
//! run in parallel and the records need no sorting. A file edited, replaced or deleted by hand
//! changes its stat; a file added by hand adds a term: either way the digest differs and the
//! build runs (dropping the added file, as a full build does).

use super::Stat;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A running digest: how many files, and the wrapping sum of their 128-bit hashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sum {
    files: u64,
    sum: u128,
}

impl Sum {
    fn add(self, other: Sum) -> Sum {
        Sum { files: self.files + other.files, sum: self.sum.wrapping_add(other.sum) }
    }

    fn one(rel: &str, stat: &Stat) -> Sum {
        let mut h = Sha256::new();
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(stat.size.to_le_bytes());
        h.update(stat.mtime_ns.to_le_bytes());
        h.update(stat.ino.to_le_bytes());
        let digest = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        Sum { files: 1, sum: u128::from_le_bytes(first) }
    }

    fn text(self) -> String {
        format!("{}:{:032x}", self.files, self.sum)
    }
}

/// The digest of the outputs the jobs recorded (paths relative to the site root, `/`-separated).
pub fn of_records<'a>(outputs: impl IntoParallelIterator<Item = &'a (String, Stat)>) -> String {
    outputs.into_par_iter().map(|(rel, stat)| Sum::one(rel, stat)).reduce(Sum::default, Sum::add).text()
}

/// The digest of the files now under `out`, as [`of_records`] would give it if they are exactly
/// the recorded ones; `None` if the folder cannot be read. Entries are stat'ed through their
/// open folder (no path walk) and not followed: a file replaced by a link differs.
pub fn of_folder(out: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    let sum = linux::folder(rustix::fs::CWD, out, "");
    #[cfg(not(target_os = "linux"))]
    let sum = folder(out, "");
    sum.map(Sum::text)
}

#[cfg(not(target_os = "linux"))]
fn folder(dir: &Path, prefix: &str) -> Option<Sum> {
    let mut files = Sum::default();
    let mut below = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let rel = format!("{prefix}{}", name.to_string_lossy());
        let meta = entry.metadata().ok()?;
        if meta.is_dir() {
            below.push((entry.path(), rel + "/"));
        } else {
            files = files.add(Sum::one(&rel, &Stat::from_metadata(&meta)));
        }
    }
    let below: Option<Vec<Sum>> = below.par_iter().map(|(path, rel)| folder(path, rel)).collect();
    Some(below?.into_iter().fold(files, Sum::add))
}

/// The walk in system calls of its own (issue 7: this walk is most of a no-change rebuild, 72,000
/// entries at 5,000 datasets): a folder is opened and listed without the `fstat` glibc's
/// `opendir` adds, and a sub-folder is known by its directory entry's type, not by a `stat`.
#[cfg(target_os = "linux")]
mod linux {
    use super::{Stat, Sum};
    use rayon::prelude::*;
    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};
    use std::os::fd::AsFd;

    pub(super) fn folder<P: rustix::path::Arg>(parent: impl AsFd, name: P, prefix: &str) -> Option<Sum> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        let mut dir = Dir::new(rustix::fs::openat(parent, name, flags, Mode::empty()).ok()?).ok()?;
        let mut files = Sum::default();
        let mut below = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry.ok()?;
            let name = entry.file_name();
            if name == c".." || name == c"." {
                continue;
            }
            let rel = format!("{prefix}{}", name.to_string_lossy());
            let mut kind = entry.file_type();
            let mut stat = None;
            if kind == FileType::Unknown {
                // A file system that does not fill in the entry's type.
                let st = rustix::fs::statat(dir.fd().ok()?, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
                kind = FileType::from_raw_mode(st.st_mode);
                stat = Some(st);
            }
            if kind == FileType::Directory {
                below.push((name.to_owned(), rel + "/"));
                continue;
            }
            let st = match stat {
                Some(st) => st,
                None => rustix::fs::statat(dir.fd().ok()?, name, AtFlags::SYMLINK_NOFOLLOW).ok()?,
            };
            let stat = Stat {
                size: st.st_size as u64,
                mtime_ns: st.st_mtime as i128 * 1_000_000_000 + st.st_mtime_nsec as i128,
                ino: st.st_ino,
            };
            files = files.add(Sum::one(&rel, &stat));
        }
        let fd = dir.fd().ok()?;
        let below: Option<Vec<Sum>> = below.par_iter().map(|(name, rel)| folder(fd, name.as_c_str(), rel)).collect();
        Some(below?.into_iter().fold(files, Sum::add))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(root: &Path, rel: &str) -> (String, Stat) {
        (rel.to_string(), Stat::of(&root.join(rel)).unwrap())
    }

    #[test]
    fn the_folder_matches_its_records_until_a_file_is_edited_added_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("datasets/a/en")).unwrap();
        std::fs::write(root.join("index.html"), "trang chủ").unwrap();
        std::fs::write(root.join("datasets/a/index.html"), "a").unwrap();
        std::fs::write(root.join("datasets/a/en/index.html"), "a (en)").unwrap();
        let records = vec![
            record(root, "datasets/a/en/index.html"),
            record(root, "index.html"),
            record(root, "datasets/a/index.html"),
        ];
        let recorded = of_records(&records);
        assert!(recorded.starts_with("3:"), "{recorded}");
        assert_eq!(of_folder(root).unwrap(), recorded);

        // Edited by hand: another size.
        std::fs::write(root.join("datasets/a/index.html"), "a, sửa tay").unwrap();
        assert_ne!(of_folder(root).unwrap(), recorded);
        let edited = vec![records[0].clone(), records[1].clone(), record(root, "datasets/a/index.html")];
        assert_eq!(of_folder(root).unwrap(), of_records(&edited));

        // Added by hand, even in an empty folder of its own.
        std::fs::create_dir(root.join("extra")).unwrap();
        assert_eq!(of_folder(root).unwrap(), of_records(&edited), "an empty folder is no file");
        std::fs::write(root.join("extra/x.txt"), "x").unwrap();
        assert_ne!(of_folder(root).unwrap(), of_records(&edited));
        std::fs::remove_dir_all(root.join("extra")).unwrap();

        // Replaced by a link to a file with the same bytes: links are not followed.
        std::fs::write(root.join("same.html"), "a, sửa tay").unwrap();
        let linked = of_records(&[edited.clone(), vec![record(root, "same.html")]].concat());
        assert_eq!(of_folder(root).unwrap(), linked);
        std::fs::rename(root.join("datasets/a/index.html"), root.join("datasets/a/was.html")).unwrap();
        std::os::unix::fs::symlink(root.join("same.html"), root.join("datasets/a/index.html")).unwrap();
        assert_ne!(of_folder(root).unwrap(), linked);
        std::fs::remove_file(root.join("datasets/a/index.html")).unwrap();
        std::fs::rename(root.join("datasets/a/was.html"), root.join("datasets/a/index.html")).unwrap();
        std::fs::remove_file(root.join("same.html")).unwrap();
        assert_eq!(of_folder(root).unwrap(), of_records(&edited));

        // Removed by hand.
        std::fs::remove_file(root.join("index.html")).unwrap();
        assert_ne!(of_folder(root).unwrap(), of_records(&edited));
        assert_eq!(
            of_folder(root).unwrap(),
            of_records(&edited[..1].iter().chain(&edited[2..]).cloned().collect::<Vec<_>>())
        );
        assert_eq!(of_folder(&root.join("missing")), None);
    }
}
