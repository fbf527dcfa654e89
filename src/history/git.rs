//! Running `git` and parsing its log. One `git log` for the whole repository; a few cheap
//! `rev-parse`/`ls-files` calls decide whether the history can be trusted.

use super::{Availability, Change, Entry, FileChange, History};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Separates commits in the log (ASCII record separator); fields are split by unit separator.
const RS: char = '\u{1e}';
const US: char = '\u{1f}';

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub(super) fn read(root: &Path) -> History {
    // The portal must itself be tracked: a copy inside another repository's ignored folder
    // (a test's temporary copy, a `target/` build) has no history of its own.
    if git(root, &["ls-files", "--error-unmatch", "--", "portal.toml"]).is_none() {
        return History::default();
    }
    let head_date = git(root, &["log", "-1", "--format=%cs"]).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if git(root, &["rev-parse", "--is-shallow-repository"]).is_some_and(|s| s.trim() == "true") {
        return History { availability: Availability::Shallow, head_date, ..History::default() };
    }
    let format = format!("--format={RS}%H{US}%cs{US}%s");
    let Some(log) = git(
        root,
        &["log", "--no-renames", "--raw", "--numstat", "--relative", &format, "--", "datasets", "content/notices"],
    ) else {
        return History { head_date, ..History::default() };
    };
    let (datasets, notices_added) = parse_log(&log);
    History { availability: Availability::Available, datasets, notices_added, head_date }
}

/// Parses the output of `git log --raw --numstat --format=<RS>%H<US>%cs<US>%s` (newest first)
/// into per-dataset entries and the dates notice files were added.
pub fn parse_log(log: &str) -> (BTreeMap<String, Vec<Entry>>, BTreeMap<String, String>) {
    let mut datasets: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    let mut notices: BTreeMap<String, String> = BTreeMap::new();
    for record in log.split(RS).skip(1) {
        let mut lines = record.lines();
        let header = lines.next().unwrap_or_default();
        let mut fields = header.splitn(3, US);
        let (Some(commit), Some(date), message) = (fields.next(), fields.next(), fields.next().unwrap_or_default())
        else {
            continue;
        };
        // path → (change, added, removed)
        let mut files: BTreeMap<&str, (Change, Option<u64>, Option<u64>)> = BTreeMap::new();
        for line in lines {
            if let Some(raw) = line.strip_prefix(':') {
                let Some((meta, path)) = raw.split_once('\t') else { continue };
                let change = match meta.rsplit(' ').next().and_then(|s| s.chars().next()) {
                    Some('A') => Change::Added,
                    Some('D') => Change::Deleted,
                    _ => Change::Modified,
                };
                files.entry(path).or_insert((change, None, None)).0 = change;
            } else {
                let mut parts = line.splitn(3, '\t');
                if let (Some(a), Some(r), Some(path)) = (parts.next(), parts.next(), parts.next()) {
                    let e = files.entry(path).or_insert((Change::Modified, None, None));
                    e.1 = a.parse().ok();
                    e.2 = r.parse().ok();
                }
            }
        }
        let mut per_dataset: BTreeMap<&str, Entry> = BTreeMap::new();
        for (path, (change, added, removed)) in files {
            if let Some(rest) = path.strip_prefix("content/notices/") {
                if change == Change::Added && rest.ends_with(".md") {
                    // Newest first: the last one seen is the oldest addition.
                    notices.insert(path.to_string(), date.to_string());
                }
                continue;
            }
            let Some((id, rel)) = path.strip_prefix("datasets/").and_then(|r| r.split_once('/')) else { continue };
            let entry = per_dataset.entry(id).or_insert_with(|| Entry {
                commit: commit.to_string(),
                date: date.to_string(),
                message: message.to_string(),
                metadata: false,
                files: Vec::new(),
            });
            if rel == "dataset.toml" || rel == "README.md" {
                entry.metadata = true;
                continue;
            }
            let tabular =
                rel.rsplit('.').next().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"));
            // A whole file added or deleted: its header line is not a row.
            let header = |n: Option<u64>, whole: bool| n.map(|n| if whole { n.saturating_sub(1) } else { n });
            entry.files.push(FileChange {
                path: rel.to_string(),
                change,
                rows_added: header(added, change == Change::Added).filter(|_| tabular),
                rows_removed: header(removed, change == Change::Deleted).filter(|_| tabular),
            });
        }
        for (id, e) in per_dataset {
            datasets.entry(id.to_string()).or_default().push(e);
        }
    }
    (datasets, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_and_numstat() {
        let log = "\u{1e}bbb\u{1f}2026-05-02\u{1f}Cập nhật dân số\n\n\
:100644 100644 1111111 2222222 M\tdatasets/dan-so/dan_so.csv\n\
:100644 100644 1111111 2222222 M\tdatasets/dan-so/dataset.toml\n\
3\t1\tdatasets/dan-so/dan_so.csv\n1\t1\tdatasets/dan-so/dataset.toml\n\
\u{1e}aaa\u{1f}2026-01-10\u{1f}Add\n\n\
:000000 100644 0000000 1111111 A\tdatasets/dan-so/dan_so.csv\n\
:000000 100644 0000000 1111111 A\tcontent/notices/bao-tri.md\n\
5\t0\tdatasets/dan-so/dan_so.csv\n2\t0\tcontent/notices/bao-tri.md\n";
        let (d, n) = parse_log(log);
        let es = &d["dan-so"];
        assert_eq!(es.len(), 2);
        assert_eq!(
            es[0],
            Entry {
                commit: "bbb".into(),
                date: "2026-05-02".into(),
                message: "Cập nhật dân số".into(),
                metadata: true,
                files: vec![FileChange {
                    path: "dan_so.csv".into(),
                    change: Change::Modified,
                    rows_added: Some(3),
                    rows_removed: Some(1)
                }],
            }
        );
        assert_eq!(es[1].files[0].change, Change::Added);
        assert_eq!(es[1].files[0].rows_added, Some(4), "the header line is not a row");
        assert!(!es[1].metadata);
        assert_eq!(n["content/notices/bao-tri.md"], "2026-01-10");
    }
}
