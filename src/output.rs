//! Where the build writes: a staging folder beside the output folder that replaces it only
//! when the whole build succeeded. A failed or interrupted build leaves the previous `site/`
//! exactly as it was (DESIGN.md: "nothing published that should not be").
//! Per-job views ([`Staging::job_view`]) record which files each job wrote, for the build cache.

use crate::cache::Stat;
use anyhow::{Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A site-relative path a job asked for, with the file's stat when the job wrote it whole.
type Written = (String, Option<Stat>);

/// A folder being filled; dropped without `publish`, it is deleted.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    root: PathBuf,
    target: PathBuf,
    /// In a job's view: the site-relative paths it asked for, in order, with the stat of the
    /// file when this view wrote it whole ([`Staging::write`]).
    written: Option<Mutex<Vec<Written>>>,
    /// Writing straight into the target (see [`Staging::in_place`]).
    in_place: bool,
    /// Folders this build made or found, shared by every job's view: asking the file system
    /// again for each of 90,000 files (a failed `mkdir` and a `stat` each) was 4% of a
    /// 5,000-dataset build (issue 7).
    folders: Arc<Mutex<HashSet<PathBuf>>>,
}

impl Staging {
    /// Creates the staging folder next to `target` (same filesystem, so the swap is a rename).
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".odp-staging-")
            .tempdir_in(parent)
            .with_context(|| format!("failed to create a staging folder in `{}`", parent.display()))?;
        let root = dir.path().to_path_buf();
        Ok(Staging {
            dir: Some(dir),
            root,
            target: target.to_path_buf(),
            written: None,
            in_place: false,
            folders: Arc::default(),
        })
    }

    /// Writes straight into `target`, which holds the previous build: `odp serve`'s preview
    /// folder, where re-staging every unchanged file (tens of thousands of hard links per edit)
    /// cost seconds (issue 7). Reused outputs stay where they are; a rewritten file replaces the
    /// old one under a new inode, so a request already reading it reads it whole. Not
    /// all-or-nothing like [`Staging::new`], so `odp build` never uses it: a build stopped by an
    /// I/O error leaves a mix, and the cache's stat check reruns every job whose files moved.
    pub fn in_place(target: &Path) -> Result<Staging> {
        std::fs::create_dir_all(target).with_context(|| format!("failed to create `{}`", target.display()))?;
        Ok(Staging {
            dir: None,
            root: target.to_path_buf(),
            target: target.to_path_buf(),
            written: None,
            in_place: true,
            folders: Arc::default(),
        })
    }

    /// True when this build writes straight into the folder the last build wrote (serve).
    pub fn updates_in_place(&self, previous: &Path) -> bool {
        self.in_place && previous == self.target
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// A handle on the same folder that records every file written through it (one per job,
    /// so the build cache knows each job's outputs). Dropping it deletes nothing.
    pub fn job_view(&self) -> Staging {
        Staging {
            dir: None,
            root: self.root.clone(),
            target: self.target.clone(),
            written: Some(Mutex::new(Vec::new())),
            in_place: self.in_place,
            folders: Arc::clone(&self.folders),
        }
    }

    /// The files written through this view, sorted and deduplicated, each with its stat when
    /// the view knows it (the last time the file was asked for was a whole [`Staging::write`]).
    pub fn written(&self) -> Vec<Written> {
        let mut w = self.written.as_ref().map(|w| w.lock().expect("staging record lock").clone()).unwrap_or_default();
        // Stable: of the records of one path, the last one is the file as it is now.
        w.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<Written> = Vec::with_capacity(w.len());
        for (rel, stat) in w {
            match out.last_mut() {
                Some(last) if last.0 == rel => last.1 = stat,
                _ => out.push((rel, stat)),
            }
        }
        out
    }

    /// Puts the file `rel` of a previous output folder into this one unchanged: a hard link
    /// (same filesystem, no bytes copied), else a copy.
    /// Returns false when the file had to be copied (a new inode: its stat differs).
    pub fn reuse(&self, previous: &Path, rel: &str) -> Result<bool> {
        if self.in_place && previous == self.target {
            return Ok(true); // already there
        }
        let from = previous.join(rel);
        let to = self.file(rel)?;
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).with_context(|| format!("failed to copy `{}`", from.display()))?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Writes a file under the staging folder, creating parent folders. Its stat is taken from
    /// the open file for the build cache: a second lookup by path for each of 40,000 files was
    /// measurable system time on ext4 (issue 7).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.prepare(rel)?;
        let stat = (|| -> std::io::Result<Stat> {
            let mut file = std::fs::File::create(&path)?;
            std::io::Write::write_all(&mut file, bytes)?;
            Ok(Stat::from_metadata(&file.metadata()?))
        })()
        .with_context(|| format!("failed to write `{}`", path.display()))?;
        self.record(rel, Some(stat));
        Ok(())
    }

    /// The absolute path of `rel` under the staging folder, with its parent folder created.
    pub fn file(&self, rel: &str) -> Result<PathBuf> {
        self.record(rel, None);
        self.prepare(rel)
    }

    fn record(&self, rel: &str, stat: Option<Stat>) {
        if let Some(w) = &self.written {
            w.lock().expect("staging record lock").push((rel.to_string(), stat));
        }
    }

    /// `file` without the record: the folder made, in place the old file out of the way.
    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent()
            && !self.folders.lock().expect("staging folders lock").contains(parent)
        {
            std::fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
            self.folders.lock().expect("staging folders lock").insert(parent.to_path_buf());
        }
        if self.in_place {
            // A new inode for the new bytes: readers of the old file keep a whole file.
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("failed to replace `{}`", path.display()));
                }
                _ => {}
            }
        }
        Ok(path)
    }

    /// The path of a file this job already wrote, to read it back (a hash, a second copy).
    /// Not [`Staging::file`]: in place, that deletes the file to give the next write a new inode.
    pub fn written_path(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Replaces the target folder with the staging folder: rename the old one aside, rename the
    /// new one in, then delete the old one.
    pub fn publish(mut self) -> Result<()> {
        if self.in_place {
            return Ok(());
        }
        let staged =
            self.dir.take().context("only the staging folder itself can be published, not a job's view")?.keep();
        let old = self.target.with_file_name(format!(
            ".odp-old-{}-{}",
            std::process::id(),
            self.target.file_name().map_or("site".into(), |n| n.to_string_lossy())
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("failed to move `{}` aside", self.target.display()))?;
        }
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e).with_context(|| format!("failed to move the new site to `{}`", self.target.display()));
        }
        if had_old {
            remove_tree(&old).with_context(|| format!("failed to remove `{}`", old.display()))?;
        }
        Ok(())
    }
}

/// `remove_dir_all`, with the folders of each level removed in parallel: the previous site's
/// 60,000 files were deleted on one core after every 5,000-dataset build (0.3 s, issue 7).
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            folders.push(entry.path());
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    folders.par_iter().with_max_len(16).try_for_each(|f| remove_tree(f))?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_views_record_has_each_path_once_with_the_stat_of_its_last_whole_write() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("site")).unwrap();
        let view = staging.job_view();
        view.write("b/twice.json", b"first").unwrap();
        view.write("b/twice.json", b"second, longer").unwrap();
        view.write("a/then-streamed.csv", b"x").unwrap();
        let streamed = view.file("a/then-streamed.csv").unwrap();
        std::fs::write(&streamed, b"streamed").unwrap();
        let on_disk = |rel: &str| Stat::of(&staging.path().join(rel)).unwrap();
        // The stat comes from the open file, and is the one a lookup by path gives afterwards.
        assert_eq!(
            view.written(),
            [("a/then-streamed.csv".to_string(), None), ("b/twice.json".to_string(), Some(on_disk("b/twice.json")))]
        );
        assert_eq!(on_disk("b/twice.json").size, 14);
    }

    #[test]
    fn publishing_replaces_the_old_site_whole_and_follows_no_link_out_of_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "kept").unwrap();
        // The previous site: nested folders, files at every level, a link out of it.
        for d in 0..40 {
            std::fs::create_dir_all(target.join(format!("datasets/d{d}/history"))).unwrap();
            std::fs::write(target.join(format!("datasets/d{d}/index.html")), "old").unwrap();
            std::fs::write(target.join(format!("datasets/d{d}/history/index.html")), "old").unwrap();
        }
        std::fs::write(target.join("index.html"), "old").unwrap();
        std::os::unix::fs::symlink(&outside, target.join("datasets/link")).unwrap();

        let staging = Staging::new(&target).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.write("datasets/d0/index.html", b"new").unwrap();
        staging.publish().unwrap();

        let mut left: Vec<String> = walkdir::WalkDir::new(tmp.path())
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(tmp.path()).unwrap().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "",
                "outside",
                "outside/keep.txt",
                "site",
                "site/datasets",
                "site/datasets/d0",
                "site/datasets/d0/index.html",
                "site/index.html"
            ]
        );
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "new");
    }
}
