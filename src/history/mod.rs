//! Change history from git (issue 6 §2): the history of changes is kept and shown (000 Art. 8.2;
//! 002 Art. 7.6, 22.4). The real `git` CLI runs once for the whole repository
//! (`git log --raw --numstat` over `datasets/` and `content/notices/`), and commits are mapped to
//! datasets by path. Per dataset and commit: the date, whether metadata changed, which files
//! changed (added / modified / deleted) with lines added and removed for CSV/TSV files (one line
//! is one row, so this is the cheap row count), and the commit's subject.
//!
//! When the portal is not in git, git is not installed, or the clone is shallow (its oldest
//! commit would claim to add every file), history is [`Availability::Unavailable`]: freshness
//! falls back to `modified`/`issued` and the pages say why.
//!
//! For the Atom feed (issue 5): [`History::recent`] lists the newest entries of all datasets.

mod git;

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use git::parse_log;

/// Whether git history could be read, and if not, why (shown on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    Available,
    /// No git, or the portal's files are not tracked by git.
    #[default]
    NoRepository,
    /// A shallow clone: the history is cut off.
    Shallow,
}

/// How a file changed in a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

/// One file of a dataset changed by a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// Path relative to the dataset folder (`dan_so.csv`).
    pub path: String,
    pub change: Change,
    /// Lines (rows) added and removed, for CSV/TSV files.
    pub rows_added: Option<u64>,
    pub rows_removed: Option<u64>,
}

/// One commit as it concerns one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Full commit hash.
    pub commit: String,
    /// Committer date, `YYYY-MM-DD` (when the change landed).
    pub date: String,
    /// The commit's subject line.
    pub message: String,
    /// dataset.toml or README.md changed.
    pub metadata: bool,
    /// Other files of the dataset folder that changed, sorted by path.
    pub files: Vec<FileChange>,
}

impl Entry {
    /// True when a data file (not only metadata) changed.
    pub fn touches_data(&self) -> bool {
        !self.files.is_empty()
    }
}

/// How many history entries a dataset page shows; the dataset's own history page exists only
/// when it has more (issue 6, issue 7: at 5,000 datasets, 10,000 history pages that repeated
/// the dataset pages' lists were a fifth of the files a build created).
pub const ON_DATASET_PAGE: usize = 5;

/// The repository's history as it concerns the portal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    pub availability: Availability,
    /// Per dataset id, newest first.
    pub datasets: BTreeMap<String, Vec<Entry>>,
    /// Per notice file (`content/notices/x.md`), the date of the commit that added it.
    pub notices_added: BTreeMap<String, String>,
    /// Committer date of HEAD, `YYYY-MM-DD`.
    pub head_date: Option<String>,
}

impl History {
    /// Reads the history of the portal at `root` with the `git` CLI. Never fails: problems
    /// make the history unavailable.
    pub fn read(root: &Path) -> History {
        git::read(root)
    }

    /// A dataset's entries, newest first (empty when none or unavailable).
    pub fn of(&self, dataset: &str) -> &[Entry] {
        self.datasets.get(dataset).map_or(&[], Vec::as_slice)
    }

    /// True when the dataset has more entries than its page shows: it then has a history page
    /// (`/datasets/<id>/history/`) listing them all. History pages only ever appear, since a
    /// dataset's history only grows (a shallow clone hides it all and is refused by `odp build`'s
    /// CI, README "Deploy").
    pub fn has_own_page(&self, dataset: &str) -> bool {
        self.availability == Availability::Available && self.of(dataset).len() > ON_DATASET_PAGE
    }

    /// The date of the last commit on or before `until` (`YYYY-MM-DD`) that changed one of the
    /// dataset's data files: freshness "as of" a past date ignores later commits.
    pub fn last_data_update(&self, dataset: &str, until: &str) -> Option<&str> {
        self.of(dataset).iter().find(|e| e.touches_data() && e.date.as_str() <= until).map(|e| e.date.as_str())
    }

    /// The newest `limit` entries over all datasets, newest first, ties by dataset id then
    /// commit: what the Atom feed lists as updates.
    pub fn recent(&self, limit: usize) -> Vec<(&str, &Entry)> {
        let mut all: Vec<(&str, &Entry)> =
            self.datasets.iter().flat_map(|(id, es)| es.iter().map(move |e| (id.as_str(), e))).collect();
        all.sort_by(|a, b| {
            b.1.date.cmp(&a.1.date).then_with(|| a.0.cmp(b.0)).then_with(|| a.1.commit.cmp(&b.1.commit))
        });
        all.truncate(limit);
        all
    }
}
