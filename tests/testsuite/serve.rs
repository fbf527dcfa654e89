//! Issue 7: the build cache (exactly which jobs run after a change, byte-identical output with
//! and without the cache, outputs edited by hand) through the library, and `odp serve` over
//! real HTTP. No sleeps: the tests wait on the server's own signals.

use crate::harness::{Repo, manifest_dir, tree_hashes};
use odp::cache::BuildCache;
use odp::pipeline::{BuildOptions, build_with};

fn options(repo: &Repo, out: &str) -> BuildOptions {
    BuildOptions {
        root: repo.path().to_path_buf(),
        out: repo.path().join(out),
        theme: manifest_dir().join("themes/default"),
        base_url: None,
    }
}

/// Builds and returns the names of the jobs that ran.
fn build(repo: &Repo, cache: &mut BuildCache) -> Vec<String> {
    let outcome = build_with(&options(repo, "site"), cache).unwrap();
    let report = outcome.report.unwrap_or_else(|| panic!("{:?}", outcome.diagnostics.sorted()));
    report.jobs
}

/// What a change to one dataset re-runs: its pages, data file, bundle; the pages that list it
/// (its publisher's, theme's and keyword's) and the whole-portal listings; nothing else.
fn jobs_for_truong_hoc(with_file: bool) -> Vec<String> {
    let mut v: Vec<String> = [
        "bundle truong-hoc",
        "deploy",
        "page datasets/index.html",
        "page datasets/truong-hoc/index.html",
        "page en/datasets/index.html",
        "page en/datasets/truong-hoc/index.html",
        "page en/index.html",
        "page en/keywords/index.html",
        "page en/keywords/truong-hoc/index.html",
        "page en/publishers/index.html",
        "page en/publishers/so-giao-duc/index.html",
        "page en/search/index.html",
        "page en/themes/giao-duc/index.html",
        "page en/themes/index.html",
        "page index.html",
        "page keywords/index.html",
        "page keywords/truong-hoc/index.html",
        "page publishers/index.html",
        "page publishers/so-giao-duc/index.html",
        "page search/index.html",
        "page themes/giao-duc/index.html",
        "page themes/index.html",
    ]
    .map(String::from)
    .into();
    if with_file {
        v.push("file truong-hoc/truong".into());
    }
    v.sort();
    v
}

#[test]
fn a_changed_data_file_reruns_exactly_its_dependants() {
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    let first = build(&repo, &mut cache);
    assert_eq!(first.len(), 47, "a cold build runs every job");

    assert_eq!(build(&repo, &mut cache), Vec::<String>::new(), "nothing changed, nothing runs");

    repo.edit("datasets/truong-hoc/truong.csv", "1450", "1451");
    assert_eq!(build(&repo, &mut cache), jobs_for_truong_hoc(true));
    assert!(repo.read("site/datasets/truong-hoc/truong.csv").contains("1451"));
}

#[test]
fn a_title_edit_reruns_pages_and_bundle_not_the_data_file() {
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    build(&repo, &mut cache);
    repo.edit("datasets/truong-hoc/dataset.toml", "Danh sách trường", "Các trường");
    assert_eq!(build(&repo, &mut cache), jobs_for_truong_hoc(false));
    assert!(repo.read("site/datasets/truong-hoc/index.html").contains("Các trường trung học phổ thông"));
}

#[test]
fn a_theme_asset_change_reruns_that_copy_and_every_page() {
    let repo = Repo::fixture("serve");
    let theme = repo.path().join("theme");
    copy_dir(&manifest_dir().join("themes/default"), &theme);
    let mut opts = options(&repo, "site");
    opts.theme = theme.clone();
    let mut cache = BuildCache::in_memory();
    build_with(&opts, &mut cache).unwrap();
    let path = theme.join("static/assets/favicon.svg");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("<!-- edited -->\n");
    std::fs::write(&path, text).unwrap();
    let ran = build_with(&opts, &mut cache).unwrap().report.unwrap().jobs;
    assert!(ran.contains(&"static assets/favicon.svg".to_string()), "{ran:?}");
    assert!(!ran.contains(&"static assets/style.css".to_string()), "{ran:?}");
    // Pages hash the whole theme folder: every page reruns, no dataset file or bundle does.
    assert_eq!(ran.iter().filter(|j| j.starts_with("page ")).count(), 38);
    assert!(!ran.iter().any(|j| j.starts_with("file ") || j.starts_with("bundle ")), "{ran:?}");
}

#[test]
fn output_is_byte_identical_with_and_without_the_cache() {
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    build(&repo, &mut cache);
    repo.edit("datasets/truong-hoc/truong.csv", "1450", "1451");
    repo.edit("datasets/dan-so/dataset.toml", "Dân số theo tỉnh", "Dân số các tỉnh");
    build(&repo, &mut cache);
    build_with(&options(&repo, "fresh"), &mut BuildCache::disabled()).unwrap();
    let cached = repo.tree("site");
    assert_eq!(cached, repo.tree("fresh"));
    assert_eq!(cached.len(), tree_hashes(&repo.path().join("fresh")).len());
}

#[test]
fn an_output_edited_or_deleted_by_hand_is_rebuilt_and_extra_files_go() {
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    build(&repo, &mut cache);
    let clean = repo.tree("site");
    repo.write("site/datasets/tinh/index.html", "hacked");
    std::fs::remove_file(repo.path().join("site/datasets/tinh/tinh.zip")).unwrap();
    repo.write("site/stray.txt", "left by hand");
    assert_eq!(build(&repo, &mut cache), ["bundle tinh", "page datasets/tinh/index.html"]);
    assert_eq!(repo.tree("site"), clean);
}

#[test]
fn odp_build_keeps_the_cache_on_disk_and_no_cache_ignores_it() {
    let repo = Repo::fixture("serve");
    let first = repo.odp(&["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("47 việc chạy / jobs run, 0 dùng lại / reused"), "{}", first.stderr);
    assert!(repo.path().join(".odp/cache/cache.json").is_file());
    let clean = repo.tree("site");

    let second = repo.odp(&["build"]);
    assert!(second.stderr.contains("0 việc chạy / jobs run, 47 dùng lại / reused"), "{}", second.stderr);
    assert_eq!(repo.tree("site"), clean);

    let forced = repo.odp(&["build", "--no-cache"]);
    assert!(forced.stderr.contains("47 việc chạy / jobs run, 0 dùng lại / reused"), "{}", forced.stderr);
    assert_eq!(repo.tree("site"), clean);

    repo.edit("datasets/truong-hoc/truong.csv", "1450", "1451");
    let third = repo.odp(&["build"]);
    let ran = jobs_for_truong_hoc(true).len();
    assert!(third.stderr.contains(&format!("{ran} việc chạy / jobs run, {} dùng lại / reused", 47 - ran)), "{}", third.stderr);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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
