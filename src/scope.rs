//! Which problems `odp check` reports when it is given paths or `--changed-since`.
//!
//! The portal is always loaded and validated whole (one pipeline, `pipeline::check`), so references
//! between datasets resolve; the scope only filters the resulting diagnostics by their path.
//!
//! Named paths select what they name: a dataset folder or any file inside it selects the whole
//! dataset (`datasets/<id>/`), another folder everything under it, another file itself.
//!
//! A change set (what a pull request touched) selects more, because a change can break files it
//! does not touch:
//! - `datasets/<id>/…` selects that dataset, and every dataset whose data dictionary references
//!   one of its code lists (a changed or deleted code list can break its users) or that lists
//!   `<id>` among its aliases;
//! - `content/publishers/<p>.md` selects that file and every dataset whose `publisher` is `p`;
//! - any other `content/…` page selects itself;
//! - `portal.toml` (themes, licences, languages for every dataset), `themes/…`, and odp's own
//!   source when the portal repository builds odp (`Cargo.toml`, `Cargo.lock`, `src/…`) select
//!   everything;
//! - anything else (README, CI files, docs) selects nothing.

use crate::model::{Portal, ResourceKind};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::process::Command;

/// The repository-relative paths whose diagnostics are reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    all: bool,
    /// Folders (ending in `/`, matched as prefixes) and files (matched exactly).
    paths: BTreeSet<String>,
}

/// What the scope needs to know about one dataset of the portal to find its dependants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetLinks {
    pub id: String,
    pub publisher: String,
    /// Datasets whose code lists this dataset's dictionaries reference.
    pub references: BTreeSet<String>,
    pub aliases: Vec<String>,
}

/// The links of every loaded dataset.
pub fn links(portal: &Portal) -> Vec<DatasetLinks> {
    portal
        .datasets
        .iter()
        .map(|d| DatasetLinks {
            id: d.id.clone(),
            publisher: d.publisher.value.clone(),
            references: d
                .resources
                .iter()
                .filter_map(|r| match &r.kind {
                    ResourceKind::File(f) => f.schema.as_ref(),
                    ResourceKind::Service(_) => None,
                })
                .flat_map(|s| s.fields.iter())
                .filter_map(|f| f.references.as_ref().map(|r| r.value.dataset.clone()))
                .collect(),
            aliases: d.aliases.iter().map(|a| a.value.clone()).collect(),
        })
        .collect()
}

impl Scope {
    /// Every diagnostic.
    pub fn everything() -> Scope {
        Scope { all: true, paths: BTreeSet::new() }
    }

    pub fn is_everything(&self) -> bool {
        self.all
    }

    /// True when nothing at all is selected (e.g. a change set with no portal file).
    pub fn is_empty(&self) -> bool {
        !self.all && self.paths.is_empty()
    }

    /// Whether a diagnostic at this repository-relative path is reported.
    pub fn selects(&self, path: &str) -> bool {
        self.all || self.paths.iter().any(|p| if p.ends_with('/') { path.starts_with(p.as_str()) } else { path == p })
    }

    /// Adds one file (exact path).
    pub fn add_file(&mut self, path: &str) {
        self.paths.insert(path.to_string());
    }

    fn add_dataset(&mut self, id: &str) {
        self.paths.insert(format!("datasets/{id}/"));
    }

    /// Adds everything `other` selects.
    pub fn extend(&mut self, other: Scope) {
        self.all |= other.all;
        self.paths.extend(other.paths);
    }

    /// The selected paths, for the human report; empty when everything is selected.
    pub fn paths(&self) -> Vec<&str> {
        if self.all { Vec::new() } else { self.paths.iter().map(String::as_str).collect() }
    }

    /// The scope of paths named on the command line: repository-relative, `/`-separated,
    /// folders ending in `/` (as [`resolve_path`] returns them); `""` is the whole repository.
    pub fn of_paths(paths: &[String]) -> Scope {
        let mut scope = Scope::default();
        for p in paths {
            if p.is_empty() {
                scope.all = true;
            } else if let Some(id) = dataset_of(p) {
                scope.add_dataset(id);
            } else {
                scope.paths.insert(p.clone());
            }
        }
        scope
    }

    /// The scope of a change set: repository-relative paths of changed, added or deleted files.
    pub fn of_changes(changed: &[String], datasets: &[DatasetLinks]) -> Scope {
        let mut scope = Scope::default();
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for path in changed {
            let path = path.as_str();
            if path == "portal.toml"
                || path.starts_with("themes/")
                || matches!(path, "Cargo.toml" | "Cargo.lock")
                || path.starts_with("src/")
            {
                return Scope::everything();
            }
            if let Some(id) = dataset_of(path) {
                touched.insert(id);
                scope.add_dataset(id);
            } else if let Some(publisher) = path.strip_prefix("content/publishers/").and_then(|p| p.strip_suffix(".md"))
            {
                scope.add_file(path);
                for d in datasets.iter().filter(|d| d.publisher == publisher) {
                    scope.add_dataset(&d.id);
                }
            } else if path.starts_with("content/") {
                scope.add_file(path);
            }
        }
        for d in datasets {
            let depends = d.references.iter().any(|r| touched.contains(r.as_str()));
            let aliased = d.aliases.iter().any(|a| touched.contains(a.as_str()));
            if depends || aliased {
                scope.add_dataset(&d.id);
            }
        }
        scope
    }
}

/// The dataset id of a path under `datasets/<id>/` (or the folder `datasets/<id>` itself).
fn dataset_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("datasets/")?;
    let id = rest.split('/').next().unwrap_or_default();
    (!id.is_empty()).then_some(id)
}

/// Turns a path typed on the command line into a repository-relative one (`/`-separated, folders
/// ending in `/`, `""` for the repository itself). A relative path is looked up from the current
/// folder first, then from the repository, so `odp --root portal check datasets/x` works from
/// anywhere.
pub fn resolve_path(root: &Path, arg: &Path) -> Result<String> {
    let root_abs = root.canonicalize().with_context(|| format!("failed to read `{}`", root.display()))?;
    let mut candidates = Vec::new();
    if arg.is_absolute() {
        candidates.push(arg.to_path_buf());
    } else {
        if let Ok(cwd) = std::env::current_dir() {
            candidates.push(cwd.join(arg));
        }
        candidates.push(root.join(arg));
    }
    let mut outside = false;
    for candidate in candidates {
        let Ok(real) = candidate.canonicalize() else { continue };
        let Ok(rel) = real.strip_prefix(&root_abs) else {
            outside = true;
            continue;
        };
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => bail!("unexpected path `{}`", arg.display()),
            }
        }
        let mut rel = parts.join("/");
        if real.is_dir() && !rel.is_empty() {
            rel.push('/');
        }
        return Ok(rel);
    }
    if outside {
        bail!(
            "`{}` nằm ngoài kho của Cổng `{}` — `{}` is outside the portal repository `{}`",
            arg.display(),
            root.display(),
            arg.display(),
            root.display()
        );
    }
    bail!("không tìm thấy `{}` — `{}` not found", arg.display(), arg.display())
}

/// Paths (relative to `root`, `/`-separated) of the files a pull request touched: committed since
/// the branch left `git_ref` (`git diff <ref>...HEAD`), plus staged, unstaged and untracked changes
/// (`git status`). Deleted and renamed files count under their old and new names.
pub fn changed_since(root: &Path, git_ref: &str) -> Result<Vec<String>> {
    if git_ref.starts_with('-') || git_ref.is_empty() {
        bail!("`{git_ref}` không phải tên một phiên bản git — `{git_ref}` is not a git revision");
    }
    // Where `root` sits inside the work tree ("" or "portal/"): `git status` prints paths from the top.
    let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(|e| match e {
        GitError::Missing(e) => anyhow::anyhow!(
            "không chạy được `git` ({e}); `--changed-since` cần git — could not run `git` ({e}); \
             `--changed-since` needs git"
        ),
        GitError::Failed(msg) => anyhow::anyhow!(
            "`{}` không nằm trong một kho git — `{}` is not inside a git repository: {msg}",
            root.display(),
            root.display()
        ),
    })?;
    let prefix = prefix.trim_end_matches(['\n', '\r']).to_string();
    let spec = format!("{git_ref}^{{commit}}");
    if git(root, &["rev-parse", "--verify", "--quiet", &spec]).is_err() {
        bail!(
            "git không biết phiên bản `{git_ref}` (trong bản sao nông, hãy lấy đủ lịch sử: `git fetch --unshallow` \
             hoặc `fetch-depth: 0`) — unknown git revision `{git_ref}` (in a shallow clone, fetch the history: \
             `git fetch --unshallow` or `fetch-depth: 0`)"
        );
    }
    let range = format!("{git_ref}...HEAD");
    let committed = git(root, &["diff", "--name-only", "-z", "--no-renames", "--relative", &range, "--"])
        .map_err(|e| anyhow::anyhow!("git diff {range}: {e}"))?;
    let status = git(root, &["status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", "."])
        .map_err(|e| anyhow::anyhow!("git status: {e}"))?;
    let mut paths: BTreeSet<String> = committed.split('\0').filter(|p| !p.is_empty()).map(str::to_string).collect();
    paths.extend(status_paths(&status, &prefix));
    Ok(paths.into_iter().collect())
}

/// Paths of `git status --porcelain -z --no-renames` entries (`XY path`), made relative to the
/// folder `prefix` (as `git rev-parse --show-prefix` prints it) and limited to it.
fn status_paths(status: &str, prefix: &str) -> Vec<String> {
    status
        .split('\0')
        .filter_map(|entry| entry.get(3..))
        .filter_map(|path| path.strip_prefix(prefix))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

enum GitError {
    Missing(std::io::Error),
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::Missing(e) => write!(f, "{e}"),
            GitError::Failed(msg) => f.write_str(msg),
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().map_err(GitError::Missing)?;
    if !out.status.success() {
        return Err(GitError::Failed(String::from_utf8_lossy(&out.stderr).trim().to_string()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(id: &str, publisher: &str, references: &[&str], aliases: &[&str]) -> DatasetLinks {
        DatasetLinks {
            id: id.into(),
            publisher: publisher.into(),
            references: references.iter().map(|s| s.to_string()).collect(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn portal() -> Vec<DatasetLinks> {
        vec![
            links("tinh", "so-noi-vu", &[], &[]),
            links("xa", "so-noi-vu", &["tinh"], &[]),
            links("dan-so", "so-y-te", &["tinh", "xa"], &["dan-so-cu"]),
            links("benh-vien", "so-y-te", &["xa"], &[]),
        ]
    }

    fn strings(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_file_in_a_dataset_selects_the_whole_dataset() {
        let scope = Scope::of_paths(&strings(&["datasets/tinh/tinh.csv", "datasets/xa/"]));
        assert_eq!(scope.paths(), ["datasets/tinh/", "datasets/xa/"]);
        assert!(scope.selects("datasets/tinh/dataset.toml"));
        assert!(scope.selects("datasets/xa/wards.csv"));
        assert!(!scope.selects("datasets/tinh-cu/dataset.toml"), "a prefix of another id is not that dataset");
        assert!(!scope.selects("content/publishers/so-noi-vu.md"));
    }

    #[test]
    fn other_files_and_folders_select_themselves() {
        let scope = Scope::of_paths(&strings(&["content/publishers/so-y-te.md", "content/guide/"]));
        assert!(scope.selects("content/publishers/so-y-te.md"));
        assert!(!scope.selects("content/publishers/so-noi-vu.md"));
        assert!(scope.selects("content/guide/agencies.en.md"));
        assert!(!scope.selects("datasets/tinh/dataset.toml"));
        assert!(Scope::of_paths(&strings(&[""])).is_everything());
        assert!(Scope::of_paths(&strings(&["datasets/"])).selects("datasets/xa/dataset.toml"));
    }

    #[test]
    fn a_changed_code_list_selects_the_datasets_that_reference_it() {
        let scope = Scope::of_changes(&strings(&["datasets/tinh/tinh.csv"]), &portal());
        assert_eq!(scope.paths(), ["datasets/dan-so/", "datasets/tinh/", "datasets/xa/"]);
        // Only direct users: `benh-vien` references `xa`, whose data did not change.
        assert!(!scope.selects("datasets/benh-vien/dataset.toml"));
    }

    #[test]
    fn a_deleted_dataset_selects_its_users_and_the_owner_of_its_id_as_alias() {
        let scope = Scope::of_changes(&strings(&["datasets/dan-so-cu/dataset.toml"]), &portal());
        assert_eq!(scope.paths(), ["datasets/dan-so-cu/", "datasets/dan-so/"]);
    }

    #[test]
    fn a_publisher_selects_its_datasets() {
        let scope = Scope::of_changes(&strings(&["content/publishers/so-y-te.md", "content/about.md"]), &portal());
        assert_eq!(
            scope.paths(),
            ["content/about.md", "content/publishers/so-y-te.md", "datasets/benh-vien/", "datasets/dan-so/"]
        );
    }

    #[test]
    fn portal_settings_themes_and_odp_itself_select_everything() {
        for path in ["portal.toml", "themes/default/templates/base.html", "src/main.rs", "Cargo.lock"] {
            let scope = Scope::of_changes(&strings(&["datasets/tinh/tinh.csv", path]), &portal());
            assert!(scope.is_everything(), "{path}");
        }
    }

    #[test]
    fn files_outside_the_portal_select_nothing() {
        let scope =
            Scope::of_changes(&strings(&["README.md", ".github/workflows/odp-check.yml", "docs/x.md"]), &portal());
        assert!(scope.is_empty());
        assert!(!scope.selects("datasets/tinh/dataset.toml"));
    }

    #[test]
    fn status_paths_are_made_relative_to_the_portal_folder() {
        let status = " M portal/datasets/tinh/tinh.csv\0?? portal/datasets/moi/dataset.toml\0 D other/x.md\0";
        assert_eq!(status_paths(status, "portal/"), ["datasets/tinh/tinh.csv", "datasets/moi/dataset.toml"]);
        assert_eq!(status_paths("A  portal.toml\0", ""), ["portal.toml"]);
    }
}
