//! `odp check [paths…]` and `odp check --changed-since <ref>`: the whole portal is validated, only
//! the problems of the named datasets/files — or of what a pull request touched and the datasets
//! that depend on it — are reported and decide the exit code.

use crate::harness::{ODP, Repo};
use std::process::Command;

fn git(repo: &Repo, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["-c", "user.name=odp", "-c", "user.email=odp@example.gov.vn", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A dataset with nothing but a data service, so it needs no data file.
fn service_dataset(title: &str, publisher: &str, frequency: &str) -> String {
    format!(
        r#"title = "{title}"
description = "Một dịch vụ dữ liệu dùng để kiểm thử phạm vi của lệnh odp check trên một yêu cầu hợp nhất."
publisher = "{publisher}"
theme = ["dan-cu"]
frequency = "{frequency}"
keywords = ["dịch vụ"]

[[resources]]
id = "api"
title = "API"
url = "https://api.example.gov.vn/v1/"
"#
    )
}

const TINH_PUBLISHER: &str = "datasets/tinh/dataset.toml:5:13: error[E0201]: không có cơ quan `so-y-te` (cần tệp \
    content/publishers/so-y-te.md); các cơ quan hiện có: `so-noi-vu` — unknown publisher `so-y-te` (expected \
    content/publishers/so-y-te.md); known publishers: `so-noi-vu`\n";
const DAN_SO_FREQUENCY: &str = "datasets/dan-so/dataset.toml:7:13: error[E0204]: tần suất cập nhật `hằng năm` \
    không hợp lệ; dùng một trong: `daily`, `weekly`, `monthly`, `quarterly`, `semiannual`, `annual`, `irregular`, \
    `never` — unknown update frequency `hằng năm`; use one of: `daily`, `weekly`, `monthly`, `quarterly`, \
    `semiannual`, `annual`, `irregular`, `never`\n";

fn two_broken_datasets() -> Repo {
    let repo = Repo::fixture("minimal");
    repo.edit("datasets/tinh/dataset.toml", "publisher = \"so-noi-vu\"", "publisher = \"so-y-te\"");
    repo.edit("datasets/dan-so/dataset.toml", "frequency = \"annual\"", "frequency = \"hằng năm\"");
    let all = repo.odp(&["check", "--format", "short"]);
    assert_eq!(all.stderr, format!("{DAN_SO_FREQUENCY}{TINH_PUBLISHER}"));
    repo
}

#[test]
fn named_datasets_and_files_report_only_their_problems() {
    let repo = two_broken_datasets();
    let run = repo.odp(&["check", "datasets/tinh", "--format", "short"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, TINH_PUBLISHER));
    // A file inside a dataset folder selects the whole dataset.
    let run = repo.odp(&["check", "datasets/dan-so/dan_so.csv", "--format", "short"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, DAN_SO_FREQUENCY));
    let run = repo.odp(&["check", "datasets/dan-so/", "datasets/tinh/dataset.toml", "--format", "short"]);
    assert_eq!(run.stderr, format!("{DAN_SO_FREQUENCY}{TINH_PUBLISHER}"));
    // A file with no problem: exit 0 although other files have errors.
    let run = repo.odp(&["check", "content/publishers/so-noi-vu.md", "--format", "short"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn the_human_report_names_the_scope_and_counts_what_it_left_out() {
    let repo = two_broken_datasets();
    let run = repo.odp(&["check", "content/publishers/so-noi-vu.md"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "Phạm vi / scope: content/publishers/so-noi-vu.md\n\
         Không có lỗi trong phạm vi này — no problems found in this scope\n\
         Ngoài phạm vi còn 2 lỗi, 0 cảnh báo (chạy `odp check` để xem) — 2 error(s), 0 warning(s) outside this \
         scope (run `odp check` to see them)\n"
    );
}

#[test]
fn unknown_paths_are_refused() {
    let repo = Repo::fixture("minimal");
    let run = repo.odp(&["check", "datasets/khong-co"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: không tìm thấy `datasets/khong-co` — `datasets/khong-co` not found\n");
}

/// A portal in git: `main` holds a dataset `khac` that is already broken (unknown publisher);
/// the pull request branch `pr` is checked out.
fn repo_with_history() -> Repo {
    let repo = Repo::fixture("minimal");
    repo.write("datasets/khac/dataset.toml", &service_dataset("Dịch vụ khác", "so-y-te", "monthly"));
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "portal"]);
    git(&repo, &["switch", "-q", "-c", "pr"]);
    repo
}

const DAN_SO_REFERENCE: &str = "datasets/dan-so/dataset.toml:27:14: error[E0208]: bộ dữ liệu `tinh` không có tài \
    nguyên `provinces` — dataset `tinh` has no resource `provinces`\n";
const MOI_FREQUENCY: &str = "datasets/moi/dataset.toml:5:13: error[E0204]: tần suất cập nhật `hằng tháng` không \
    hợp lệ; dùng một trong: `daily`, `weekly`, `monthly`, `quarterly`, `semiannual`, `annual`, `irregular`, \
    `never` — unknown update frequency `hằng tháng`; use one of: `daily`, `weekly`, `monthly`, `quarterly`, \
    `semiannual`, `annual`, `irregular`, `never`\n";

#[test]
fn changed_since_reports_the_changed_datasets_and_their_dependants() {
    let repo = repo_with_history();
    // Committed on the branch: the code list's resource is renamed, which breaks `dan-so`'s reference.
    repo.edit("datasets/tinh/dataset.toml", "id = \"provinces\"", "id = \"tinh\"");
    git(&repo, &["commit", "-q", "-am", "rename"]);
    // Untracked: a new dataset with a mistake.
    repo.write("datasets/moi/dataset.toml", &service_dataset("Dịch vụ mới", "so-noi-vu", "hằng tháng"));

    let full = repo.odp(&["check", "--format", "short"]);
    assert_eq!(full.code, 1);
    assert!(full.stderr.contains("datasets/khac/dataset.toml:3:13: error[E0201]"), "{}", full.stderr);

    let run = repo.odp(&["check", "--changed-since", "main", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, format!("{DAN_SO_REFERENCE}{MOI_FREQUENCY}"));

    let run = repo.odp(&["check", "--changed-since", "main"]);
    assert!(
        run.stderr.ends_with(
            "2 lỗi, 0 cảnh báo — 2 error(s), 0 warning(s)\n\
             Phạm vi / scope: datasets/dan-so/, datasets/moi/, datasets/tinh/\n\
             Ngoài phạm vi còn 1 lỗi, 0 cảnh báo (chạy `odp check` để xem) — 1 error(s), 0 warning(s) outside \
             this scope (run `odp check` to see them)\n"
        ),
        "{}",
        run.stderr
    );

    // What the GitHub workflow runs: annotations on the pull request's files.
    let run = repo.odp(&["check", "--changed-since", "main", "--format", "github"]);
    let files: Vec<&str> = run.stderr.lines().map(|l| l.split(',').next().unwrap_or(l)).collect();
    assert_eq!(files, ["::error file=datasets/dan-so/dataset.toml", "::error file=datasets/moi/dataset.toml"]);
}

#[test]
fn unstaged_changes_count_and_a_clean_branch_checks_nothing() {
    let repo = repo_with_history();
    let run = repo.odp(&["check", "--changed-since", "main"]);
    assert_eq!(run.code, 0, "the broken `khac` is not part of the change");
    assert_eq!(
        run.stderr,
        "Không có tệp nào của Cổng thay đổi kể từ `main`: không có gì để kiểm tra — no portal file changed since \
         `main`: nothing to check\n\
         Ngoài phạm vi còn 1 lỗi, 0 cảnh báo (chạy `odp check` để xem) — 1 error(s), 0 warning(s) outside this \
         scope (run `odp check` to see them)\n"
    );
    repo.edit("datasets/dan-so/dataset.toml", "frequency = \"annual\"", "frequency = \"hằng năm\"");
    let run = repo.odp(&["check", "--changed-since", "main", "--format", "short"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, DAN_SO_FREQUENCY));
}

#[test]
fn a_deleted_publisher_selects_its_datasets_and_portal_toml_selects_everything() {
    let repo = repo_with_history();
    git(&repo, &["rm", "-q", "content/publishers/so-noi-vu.md"]);
    let run = repo.odp(&["check", "--changed-since", "main", "--format", "short"]);
    let located: Vec<&str> = run.stderr.lines().map(|l| l.split(": ").next().unwrap_or(l)).collect();
    assert_eq!(located, ["datasets/dan-so/dataset.toml:5:13", "datasets/tinh/dataset.toml:5:13"], "{}", run.stderr);

    let repo = repo_with_history();
    repo.edit("portal.toml", "title_en = \"Test portal\"", "title_en = \"A test portal\"");
    let run = repo.odp(&["check", "--changed-since", "main", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("datasets/khac/dataset.toml:3:13: error[E0201]"), "{}", run.stderr);
}

#[test]
fn git_problems_are_environment_failures() {
    let repo = repo_with_history();
    let run = repo.odp(&["check", "--changed-since", "origin/main"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: git không biết phiên bản `origin/main` (trong bản sao nông, hãy lấy đủ lịch sử: `git fetch \
         --unshallow` hoặc `fetch-depth: 0`) — unknown git revision `origin/main` (in a shallow clone, fetch the \
         history: `git fetch --unshallow` or `fetch-depth: 0`)\n"
    );

    // Outside any git repository (the ceiling keeps git from finding the one the tests run in).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("portal.toml"), "").unwrap();
    let out = Command::new(ODP)
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .arg("--root")
        .arg(dir.path())
        .args(["check", "--changed-since", "main"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("không nằm trong một kho git — "), "{stderr}");

    // No git at all.
    let out = Command::new(ODP)
        .env("PATH", dir.path())
        .arg("--root")
        .arg(repo.path())
        .args(["check", "--changed-since", "main"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.starts_with("error: không chạy được `git` ("), "{stderr}");
    assert!(stderr.contains("`--changed-since` cần git — could not run `git` ("), "{stderr}");
}
