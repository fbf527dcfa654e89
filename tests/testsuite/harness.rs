//! `Repo`: a fixture repository copied into a temporary folder, plus helpers to change files,
//! run `odp` and inspect the built site.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const ODP: &str = env!("CARGO_BIN_EXE_odp");

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Repo {
    dir: tempfile::TempDir,
}

/// What one `odp` run printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Repo {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Repo {
        let dir = tempfile::Builder::new().prefix("odp-test-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        copy_dir(&manifest_dir().join("tests/fixtures").join(name), dir.path());
        Repo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Replaces the first occurrence of `from` in a file (which must contain it).
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `odp --root <repo> <args>` with the repository's default theme.
    pub fn odp(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(ODP);
        cmd.arg("--root").arg(self.path()).args(args);
        if args.first() == Some(&"build") && !args.contains(&"--theme") {
            cmd.arg("--theme").arg(manifest_dir().join("themes/default"));
        }
        let Output { status, stdout, stderr } = cmd.output().expect("odp runs");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// Every file under `rel` with its SHA-256, by relative path.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, String> {
        tree_hashes(&self.path().join(rel))
    }
}

pub fn tree_hashes(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path()).unwrap();
            let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            out.insert(rel, hex);
        }
    }
    out
}

/// Copies a folder tree (fixtures, themes).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
