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
        as_of: None,
        in_place: false,
    }
}

/// Builds and returns the names of the jobs that ran.
fn build(repo: &Repo, cache: &mut BuildCache) -> Vec<String> {
    let outcome = build_with(&options(repo, "site"), cache).unwrap();
    let report = outcome.report.unwrap_or_else(|| panic!("{:?}", outcome.diagnostics.sorted()));
    report.jobs
}

/// What a change to one dataset re-runs: its pages (and history pages), data file, format
/// copies, bundle and own API files; the pages that list it (its publisher's, theme's and
/// keyword's); whole-portal listings, catalogues and the search index; nothing else.
fn jobs_for_truong_hoc(with_file: bool) -> Vec<String> {
    let mut v: Vec<String> = [
        "bundle truong-hoc",
        // whole-portal catalogues and API files list every dataset (issue 5)…
        "catalog api/3/action/group_list",
        "catalog api/3/action/group_show/dan-cu",
        "catalog api/3/action/group_show/giao-duc",
        "catalog api/3/action/license_list",
        "catalog api/3/action/organization_list",
        "catalog api/3/action/organization_show/so-giao-duc",
        "catalog api/3/action/organization_show/so-noi-vu",
        "catalog api/3/action/package_list",
        "catalog api/3/action/package_search",
        "catalog api/3/action/package_search_pages/0",
        "catalog api/3/action/status_show",
        "catalog api/3/action/tag_list",
        "catalog api/v1/catalog.json",
        "catalog api/v1/catalog.schema.json",
        "catalog api/v1/dataset.schema.json",
        "catalog dcat",
        "catalog data.json",
        "catalog feed.xml",
        "catalog robots.txt",
        "catalog sitemap.xml",
        // …but of the per-dataset API files only this dataset's
        "catalog api/3/action/package_show/truong-hoc",
        "catalog api/v1/datasets/truong-hoc.json",
        "deploy",
        "page datasets/index.html",
        "page datasets/truong-hoc/index.html",
        "page en/datasets/index.html",
        "page en/datasets/truong-hoc/index.html",
        "page en/freshness/due-soon/index.html",
        "page en/freshness/no-schedule/index.html",
        "page en/freshness/on-time/index.html",
        "page en/freshness/overdue/index.html",
        "page en/index.html",
        "page en/keywords/index.html",
        "page en/keywords/truong-hoc/index.html",
        "page en/publishers/index.html",
        "page en/publishers/so-giao-duc/index.html",
        "page en/search/index.html",
        "page en/stats/index.html",
        "page en/themes/giao-duc/index.html",
        "page en/themes/index.html",
        "page freshness/due-soon/index.html",
        "page freshness/no-schedule/index.html",
        "page freshness/on-time/index.html",
        "page freshness/overdue/index.html",
        "page index.html",
        "page keywords/index.html",
        "page keywords/truong-hoc/index.html",
        "page publishers/index.html",
        "page publishers/so-giao-duc/index.html",
        "page search/index.html",
        "page stats/index.html",
        "page themes/giao-duc/index.html",
        "page themes/index.html",
        "search index",
    ]
    .map(String::from)
    .into();
    if with_file {
        // the data file and its format copies; a title edit leaves both alone
        v.push("file truong-hoc/truong".into());
        v.push("copies truong-hoc/truong".into());
    }
    v.sort();
    v
}

#[test]
fn a_changed_data_file_reruns_exactly_its_dependants() {
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    let first = build(&repo, &mut cache);
    assert_eq!(first.len(), 88, "a cold build runs every job");

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
fn a_comment_line_that_moves_every_position_reruns_nothing() {
    // Fingerprints hash what outputs show, not where it sat in dataset.toml (issue 7).
    let repo = Repo::fixture("serve");
    let mut cache = BuildCache::in_memory();
    build(&repo, &mut cache);
    let toml = repo.read("datasets/truong-hoc/dataset.toml");
    repo.write("datasets/truong-hoc/dataset.toml", &format!("# Sở Giáo dục cập nhật hằng năm\n\n{toml}"));
    assert_eq!(build(&repo, &mut cache), Vec::<String>::new());
}

#[test]
fn a_theme_asset_change_reruns_that_copy_and_every_page() {
    let repo = Repo::fixture("serve");
    let theme = repo.path().join("theme");
    crate::harness::copy_dir(&manifest_dir().join("themes/default"), &theme);
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
    assert_eq!(ran.iter().filter(|j| j.starts_with("page ")).count(), 48);
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

    // A stray file alone: no job runs, but the site is rebuilt from the jobs' outputs without it.
    repo.write("site/datasets/stray.txt", "left by hand");
    assert_eq!(build(&repo, &mut cache), Vec::<String>::new());
    assert_eq!(repo.tree("site"), clean);
}

#[test]
fn odp_build_keeps_the_cache_on_disk_and_no_cache_ignores_it() {
    let repo = Repo::fixture("serve");
    let first = repo.odp(&["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("88 việc chạy / jobs run, 0 dùng lại / reused"), "{}", first.stderr);
    assert!(repo.path().join(".odp/cache/cache.json").is_file());
    let clean = repo.tree("site");

    let second = repo.odp(&["build"]);
    assert!(second.stderr.contains("0 việc chạy / jobs run, 88 dùng lại / reused"), "{}", second.stderr);
    assert_eq!(repo.tree("site"), clean);

    let forced = repo.odp(&["build", "--no-cache"]);
    assert!(forced.stderr.contains("88 việc chạy / jobs run, 0 dùng lại / reused"), "{}", forced.stderr);
    assert_eq!(repo.tree("site"), clean);

    repo.edit("datasets/truong-hoc/truong.csv", "1450", "1451");
    let third = repo.odp(&["build"]);
    let ran = jobs_for_truong_hoc(true).len();
    assert!(
        third.stderr.contains(&format!("{ran} việc chạy / jobs run, {} dùng lại / reused", 88 - ran)),
        "{}",
        third.stderr
    );
}

mod http {
    //! `odp serve`'s server through the library: real sockets, builds triggered directly
    //! (`Server::rebuild`) instead of through the file watcher, so nothing waits on time.

    use crate::harness::{Repo, manifest_dir};
    use odp::serve::{ServeOptions, Server};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;

    fn start(repo: &Repo) -> Server {
        let opts = ServeOptions {
            root: repo.path().to_path_buf(),
            theme: manifest_dir().join("themes/default"),
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            builds: repo.path().join(".odp/serve"),
        };
        let (server, first) = Server::start(opts).unwrap();
        assert_eq!(first.errors, None);
        server
    }

    /// (status line, headers, body) of one GET.
    fn get(server: &Server, target: &str) -> (String, Vec<String>, String) {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines().map(String::from);
        let status = lines.next().unwrap();
        (status, lines.collect(), body.to_string())
    }

    #[test]
    fn serves_the_site_with_host_rules_and_reload_script_only_in_serve_mode() {
        let repo = Repo::fixture("serve");
        let server = start(&repo);
        let (status, headers, body) = get(&server, "/datasets/tinh/");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(headers.contains(&"Content-Type: text/html; charset=utf-8".to_string()), "{headers:?}");
        assert!(body.contains("new EventSource(\"/__odp/events\")"));

        // The alias of dan-so (dataset.toml `aliases`) redirects as on Netlify.
        let (status, headers, _) = get(&server, "/datasets/dan-so-cu/dan-so-cu.zip");
        assert_eq!(status, "HTTP/1.1 301 Moved Permanently");
        assert!(headers.contains(&"Location: /datasets/dan-so/dan-so.zip".to_string()), "{headers:?}");
        let (_, headers, _) = get(&server, "/datasets/tinh/SHA256SUMS");
        assert!(headers.contains(&"Content-Type: text/plain; charset=utf-8".to_string()), "{headers:?}");
        assert!(headers.contains(&"Access-Control-Allow-Origin: *".to_string()), "{headers:?}");
        let (status, _, body) = get(&server, "/en/khong-co/");
        assert_eq!(status, "HTTP/1.1 404 Not Found");
        assert!(body.contains("<html lang=\"en\">"), "the English 404 page: {body}");

        // Built output never carries the script.
        assert_eq!(repo.odp(&["build"]).code, 0);
        for (file, _) in repo.tree("site") {
            let bytes = std::fs::read(repo.path().join("site").join(&file)).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains("__odp"), "{file}");
        }
    }

    #[test]
    fn errors_show_in_an_overlay_over_the_last_good_site_until_fixed() {
        let repo = Repo::fixture("serve");
        let mut server = start(&repo);
        let events = TcpStream::connect(server.addr()).unwrap();
        (&events).write_all(b"GET /__odp/events HTTP/1.1\r\n\r\n").unwrap();
        let mut events = BufReader::new(events);
        let mut next_event = move || {
            let mut event = String::new();
            loop {
                let mut line = String::new();
                events.read_line(&mut line).unwrap();
                if line == "\n" && event.starts_with("event:") {
                    return event;
                }
                if line.starts_with("event:") || line.starts_with("data:") {
                    event.push_str(&line);
                }
            }
        };
        assert_eq!(next_event(), "event: hello\ndata: {\"generation\":1}\n");

        let good = repo.read("datasets/truong-hoc/dataset.toml");
        repo.write("datasets/truong-hoc/dataset.toml", &good.replace("frequency = \"annual\"", "frequency = <annual>"));
        let failed = server.rebuild();
        // A failed build reloads every page (each shows the overlay).
        assert_eq!(next_event(), "event: reload\ndata: {\"generation\":2,\"pages\":null}\n");
        let errors = failed.errors.expect("the build fails");
        let message = "datasets/truong-hoc/dataset.toml:7:13: error[E0101]: lỗi cú pháp TOML: string values must be \
                       quoted, expected literal string — TOML syntax error: string values must be quoted, expected literal string";
        assert_eq!(errors, format!("{message}\n"));
        let (status, _, body) = get(&server, "/datasets/truong-hoc/");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(body.contains("Danh sách trường trung học phổ thông"), "the last good page stays");
        assert!(body.contains("<div id=\"odp-overlay\""));
        assert!(body.contains(&format!("<pre style=\"white-space:pre-wrap;margin:0;padding:1rem;background:#111;color:#ffd0d0;border:0\">{message}\n</pre>")), "{body}");

        repo.write("datasets/truong-hoc/dataset.toml", &good.replace("Danh sách trường", "Các trường"));
        let fixed = server.rebuild();
        // …and so does the good build after it (each clears its overlay).
        assert_eq!(next_event(), "event: reload\ndata: {\"generation\":3,\"pages\":null}\n");
        assert_eq!(fixed.errors, None);
        let (_, _, body) = get(&server, "/datasets/truong-hoc/");
        assert!(body.contains("Các trường trung học phổ thông"));
        assert!(!body.contains("odp-overlay"));

        // The next edit: first the edited dataset's own pages (and its publisher's), written
        // before the portal-wide jobs run, then the listings; a page reloads only when listed.
        repo.write("datasets/truong-hoc/dataset.toml", &good.replace("Danh sách trường", "Những trường"));
        let edited = server.rebuild();
        let early = "[\"/datasets/truong-hoc/\",\"/en/datasets/truong-hoc/\",\
                     \"/en/publishers/so-giao-duc/\",\"/publishers/so-giao-duc/\"]";
        assert_eq!(next_event(), format!("event: reload\ndata: {{\"generation\":4,\"pages\":{early}}}\n"));
        assert_eq!(edited.early_pages.len(), 4);
        let rest = next_event();
        assert!(rest.starts_with("event: reload\ndata: {\"generation\":5,\"pages\":[\"/\",\"/datasets/\","), "{rest}");
        assert!(rest.contains("\"/themes/giao-duc/\"") && !rest.contains("/datasets/truong-hoc/"), "{rest}");
    }
}

#[test]
fn an_in_place_rebuild_touches_only_what_changed_and_equals_a_fresh_build() {
    use std::os::unix::fs::MetadataExt;
    let repo = Repo::fixture("serve");
    let mut opts = options(&repo, "preview");
    opts.in_place = true;
    let mut cache = BuildCache::in_memory();
    build_with(&opts, &mut cache).unwrap();
    // ctime changes with any new link to a file, so an unchanged ctime means "left alone".
    let ctime = |rel: &str| {
        let m = std::fs::metadata(repo.path().join("preview").join(rel)).unwrap();
        (m.ino(), m.ctime(), m.ctime_nsec())
    };
    let zip = ctime("datasets/tinh/tinh.zip");

    // A title edit reruns the same jobs as a staged build, in the folder itself: an untouched
    // output is not even linked again.
    repo.edit("datasets/truong-hoc/dataset.toml", "Danh sách trường", "Các trường");
    let ran = build_with(&opts, &mut cache).unwrap().report.unwrap().jobs;
    assert_eq!(ran, jobs_for_truong_hoc(false));
    assert_eq!(ctime("datasets/tinh/tinh.zip"), zip);
    assert!(repo.read("preview/datasets/truong-hoc/index.html").contains("Các trường"));

    // A data file edited: its format copies are rewritten in place and read back for their
    // hashes (that read once found the file just deleted for its new inode).
    repo.edit("datasets/truong-hoc/truong.csv", "1450", "1451");
    let ran = build_with(&opts, &mut cache).unwrap().report.unwrap().jobs;
    assert_eq!(ran, jobs_for_truong_hoc(true));
    assert!(repo.read("preview/datasets/truong-hoc/truong.json").contains("1451"));

    // A dataset removed: its files leave the folder too.
    std::fs::remove_dir_all(repo.path().join("datasets/dan-so")).unwrap();
    build_with(&opts, &mut cache).unwrap().report.unwrap();
    assert!(!repo.path().join("preview/datasets/dan-so").join("dan-so.zip").exists());

    let fresh = options(&repo, "fresh");
    build_with(&fresh, &mut BuildCache::disabled()).unwrap().report.unwrap();
    assert_eq!(repo.tree("preview"), repo.tree("fresh"));
}

#[test]
fn unchanged_dataset_folders_are_not_parsed_again_and_any_change_is_seen() {
    use odp::load::{LoadMemo, load, load_with};
    let repo = Repo::fixture("serve");
    let memo = LoadMemo::with_racy_window(std::time::Duration::ZERO);
    // Each load through the memo must equal a fresh load: datasets and diagnostics.
    let same_as_fresh = || {
        let (memoised, d1) = load_with(repo.path(), Some(&memo)).unwrap();
        let (fresh, d2) = load(repo.path()).unwrap();
        assert_eq!(format!("{:?}", memoised.unwrap().datasets), format!("{:?}", fresh.unwrap().datasets));
        let d1 = d1.sorted();
        assert_eq!(format!("{d1:?}"), format!("{:?}", d2.sorted()));
        d1.iter().map(|d| format!("{} {}", d.path, d.code())).collect::<Vec<_>>()
    };
    assert_eq!(same_as_fresh(), Vec::<String>::new());
    assert_eq!(memo.reused(), 0);
    same_as_fresh();
    assert_eq!(memo.reused(), 3, "nothing changed: all three folders reused");

    repo.edit("datasets/truong-hoc/dataset.toml", "Danh sách trường", "Các trường");
    same_as_fresh();
    assert_eq!(memo.reused(), 5, "the edited folder is parsed again");

    // A file the parse only looked at (the data file) vanishes: the folder is read again.
    std::fs::remove_file(repo.path().join("datasets/truong-hoc/truong.csv")).unwrap();
    let diags = same_as_fresh();
    assert_eq!(memo.reused(), 7);
    assert!(!diags.is_empty(), "the missing file is reported");

    // A publisher file removed: every dataset's references are checked again.
    std::fs::remove_file(repo.path().join("content/publishers/so-noi-vu.md")).unwrap();
    same_as_fresh();
    assert_eq!(memo.reused(), 7);
}

#[test]
fn unchanged_sources_skip_the_whole_pipeline_and_repeat_its_messages() {
    let repo = Repo::fixture("serve");
    repo.edit("portal.toml", "dcat = \"SOCI\"\n", ""); // one warning (W0701), to be repeated
    let mut cache = BuildCache::in_memory();
    // The fixture was written a moment ago: no waiting for its stamps to settle.
    cache.racy_window = std::time::Duration::ZERO;
    let opts = options(&repo, "site");
    let run = |cache: &mut BuildCache| {
        let outcome = build_with(&opts, cache).unwrap();
        let codes: Vec<String> = outcome.diagnostics.sorted().iter().map(|d| d.code().to_string()).collect();
        (outcome.report.unwrap().jobs.len(), codes, cache.unchanged)
    };
    let (ran, codes, _) = run(&mut cache);
    assert_eq!((ran, codes.clone()), (88, vec!["W0701".to_string()]));
    assert_eq!(run(&mut cache), (0, codes.clone(), true), "unchanged sources: nothing loaded, same messages");

    // Rewritten with the same bytes: the stamps differ, so the pipeline runs and finds no job.
    let toml = repo.read("datasets/tinh/dataset.toml");
    repo.write("datasets/tinh/dataset.toml", &toml);
    assert_eq!(run(&mut cache), (0, codes.clone(), false));

    // A file added to the output by hand: the pipeline runs, reuses every job's files and
    // publishes a tree without it.
    std::fs::write(repo.path().join("site/extra.html"), "x").unwrap();
    assert_eq!(run(&mut cache), (0, codes.clone(), false));
    assert!(!repo.path().join("site/extra.html").exists());

    // A real edit is seen.
    repo.edit("datasets/tinh/dataset.toml", "title = \"", "title = \"Sửa: ");
    let (ran, _, unchanged) = run(&mut cache);
    assert!(!unchanged && ran > 0);
}

/// `odp build` with unchanged sources reads `.odp/cache/summary.json` only: the job records in
/// `cache.json` (17 MB at 5,000 datasets) are read once something changed.
#[test]
fn an_unchanged_build_reads_the_summary_only() {
    let repo = Repo::fixture("serve");
    let opts = options(&repo, "site");
    let load = || {
        let mut cache = BuildCache::load(repo.path());
        cache.racy_window = std::time::Duration::ZERO;
        cache
    };
    let mut cache = load();
    assert_eq!(build_with(&opts, &mut cache).unwrap().report.unwrap().jobs.len(), 88);
    cache.save(repo.path()).unwrap();
    let summary = repo.read(".odp/cache/summary.json");
    assert!(summary.starts_with(r#"{"generator":"odp "#), "{summary}");
    assert!(!summary.contains("\"fingerprint\""), "no job records in the summary");

    // Unreadable job records do not matter while nothing changed.
    repo.write(".odp/cache/cache.json", "not the cache");
    let mut cache = load();
    let report = build_with(&opts, &mut cache).unwrap().report.unwrap();
    assert!(cache.unchanged);
    assert_eq!((report.jobs.len(), report.skipped, report.pages), (0, 88, 48));
    cache.save(repo.path()).unwrap();
    assert_eq!(repo.read(".odp/cache/cache.json"), "not the cache", "nothing read, nothing to save");

    // A page edited by hand: the outputs' digest differs, the records are read (here: none
    // left), every job runs, and the cache is whole again.
    repo.write("site/index.html", "sửa tay");
    let mut cache = load();
    let report = build_with(&opts, &mut cache).unwrap().report.unwrap();
    assert_eq!((report.jobs.len(), report.skipped, cache.unchanged), (88, 0, false));
    cache.save(repo.path()).unwrap();
    let mut cache = load();
    cache.read_all();
    assert_eq!(cache.last.as_ref().unwrap().jobs.len(), 88);
}

/// A cache set up as `odp serve` sets it: in memory, the load memo and the carry between builds.
fn serve_cache() -> BuildCache {
    let mut cache = BuildCache::in_memory();
    cache.loads = Some(odp::load::LoadMemo::with_racy_window(std::time::Duration::ZERO));
    cache.carry = Some(odp::cache::carry::Carry::default());
    cache
}

#[test]
fn serve_carries_validated_datasets_between_builds_and_still_equals_a_fresh_build() {
    let repo = Repo::fixture("serve");
    let mut opts = options(&repo, "preview");
    opts.in_place = true;
    let mut cache = serve_cache();
    // Each build with the carry: the same messages as a fresh check and, when it succeeds, the
    // same files as a fresh build. Returns the messages as `path code`.
    let step = |cache: &mut BuildCache| -> Vec<String> {
        let outcome = build_with(&opts, cache).unwrap();
        let fresh = build_with(&options(&repo, "fresh"), &mut BuildCache::disabled()).unwrap();
        let list = |d: odp::diag::Diagnostics| -> Vec<String> {
            d.sorted().iter().map(|d| format!("{} {}", d.path, d.code())).collect()
        };
        let messages = list(outcome.diagnostics);
        assert_eq!(messages, list(fresh.diagnostics));
        assert_eq!(outcome.report.is_some(), fresh.report.is_some());
        if outcome.report.is_some() {
            assert_eq!(repo.tree("preview"), repo.tree("fresh"));
        }
        messages
    };
    assert_eq!(step(&mut cache), Vec::<String>::new());
    repo.edit("datasets/truong-hoc/dataset.toml", "Danh sách trường", "Các trường");
    assert_eq!(step(&mut cache), Vec::<String>::new());

    // The code list dan-so's file is checked against loses a code: dan-so's folder did not
    // change, yet its data must be checked again (its facts are not carried).
    repo.edit("datasets/tinh/tinh.csv", "46,Thành phố Huế\n", "");
    let broken = step(&mut cache);
    assert!(broken.iter().any(|m| m.starts_with("datasets/dan-so/dan_so.csv E")), "{broken:?}");
    // Another dataset edited while that error stands: dan-so is carried with its messages.
    repo.edit("datasets/truong-hoc/dataset.toml", "Các trường", "Trường học");
    assert_eq!(step(&mut cache), broken);
    repo.edit("datasets/tinh/tinh.csv", "79,", "46,Thành phố Huế\n79,");
    assert_eq!(step(&mut cache), Vec::<String>::new());

    // A referenced dataset's title shows on the pages of dan-so, whose folder is unchanged.
    repo.edit("datasets/tinh/dataset.toml", "title = \"Danh mục tỉnh\"", "title = \"Danh mục tỉnh, thành phố\"");
    assert_eq!(step(&mut cache), Vec::<String>::new());
    assert!(repo.read("preview/datasets/dan-so/index.html").contains("Danh mục tỉnh, thành phố"));
}

#[test]
fn with_a_watcher_the_load_memo_trusts_its_events_instead_of_file_stamps() {
    use odp::load::{LoadMemo, load_with};
    let repo = Repo::fixture("serve");
    let memo = LoadMemo::with_racy_window(std::time::Duration::ZERO);
    memo.trust_events(vec![repo.path().join("datasets")]);
    let title = |memo: &LoadMemo| {
        let (portal, _) = load_with(repo.path(), Some(memo)).unwrap();
        portal.unwrap().dataset("truong-hoc").unwrap().title.vi.clone()
    };
    assert_eq!(title(&memo), "Danh sách trường trung học phổ thông");
    repo.edit("datasets/truong-hoc/dataset.toml", "Danh sách trường", "Các trường");
    // No event yet: the folder's files are not even stat'ed.
    assert_eq!(title(&memo), "Danh sách trường trung học phổ thông");
    // An event for another folder leaves this one memoised; one inside it forgets it.
    memo.invalidate(&[repo.path().join("datasets/tinh/tinh.csv")]);
    assert_eq!(title(&memo), "Danh sách trường trung học phổ thông");
    memo.invalidate(&[repo.path().join("datasets/truong-hoc/dataset.toml")]);
    assert_eq!(title(&memo), "Các trường trung học phổ thông");
    // A new file in the folder (the parse never looked at it) forgets the folder too.
    repo.edit("datasets/truong-hoc/dataset.toml", "Các trường", "Những trường");
    memo.invalidate(&[repo.path().join("datasets/truong-hoc/ghi-chu.txt")]);
    assert_eq!(title(&memo), "Những trường trung học phổ thông");
    // A rescan forgets everything.
    repo.edit("datasets/truong-hoc/dataset.toml", "Những trường", "Các trường");
    memo.invalidate_all();
    assert_eq!(title(&memo), "Các trường trung học phổ thông");
}

/// Validates the fixture, lets `meanwhile` change its files, then runs the build's jobs into a
/// staging folder for `site/` (not yet published): what happens when an editor saves between
/// validation and the jobs.
fn execute_after_validation(repo: &Repo, meanwhile: impl FnOnce()) -> (anyhow::Result<()>, odp::output::Staging) {
    let (portal, diagnostics) = odp::pipeline::check(repo.path()).unwrap();
    assert!(!diagnostics.has_errors());
    let mut portal = portal.unwrap();
    meanwhile();
    odp::timeline::settle(&mut portal, None).unwrap();
    let mut renderer = odp::render::Renderer::load(&manifest_dir().join("themes/default")).unwrap();
    renderer.set_machine_links(odp::catalog::machine_links());
    let jobs = odp::pipeline::plan(&portal, &renderer).unwrap();
    let staging = odp::output::Staging::new(&repo.path().join("site")).unwrap();
    let executed = odp::pipeline::execute(&mut portal, &renderer, &jobs, repo.path(), &staging).map(|_| ());
    (executed, staging)
}

/// A data file saved again after validation read it (an editor saving while `odp serve`
/// builds): the build publishes the bytes it checked and hashed, in every place, not the new
/// ones under the old checksum.
#[test]
fn a_build_publishes_the_bytes_it_validated_even_if_the_file_changes_meanwhile() {
    let repo = Repo::fixture("serve");
    let validated = repo.read("datasets/truong-hoc/truong.csv");
    let (executed, staging) =
        execute_after_validation(&repo, || repo.edit("datasets/truong-hoc/truong.csv", "1450", "9999"));
    executed.unwrap();
    staging.publish().unwrap();

    let published = repo.read("site/datasets/truong-hoc/truong.csv");
    assert_eq!(published, validated);
    let excel = repo.read("site/datasets/truong-hoc/truong.excel.csv");
    assert_eq!(excel, format!("\u{feff}{validated}"));
    assert!(repo.read("site/datasets/truong-hoc/truong.json").contains("1450"));
    let zip = std::fs::File::open(repo.path().join("site/datasets/truong-hoc/truong-hoc.zip")).unwrap();
    let mut zipped = String::new();
    std::io::Read::read_to_string(&mut zip::ZipArchive::new(zip).unwrap().by_name("truong.csv").unwrap(), &mut zipped)
        .unwrap();
    assert_eq!(zipped, validated);
    let sums = repo.read("site/datasets/truong-hoc/SHA256SUMS");
    let digest = odp::package::sha256_hex(validated.as_bytes());
    assert!(sums.contains(&format!("{digest}  truong.csv")), "{sums}");
}

/// The same with a file too large to keep (`validate::published`): the build reads it again,
/// finds other bytes than those validated, and fails rather than publish them under the old
/// checksum; nothing is published.
#[test]
fn a_large_file_changed_after_validation_fails_the_build() {
    let repo = Repo::fixture("serve");
    let mut csv = String::from("ma_truong,ten,hoc_sinh\n");
    for i in 0..40_000 {
        csv.push_str(&format!("T{i:05},Trường số {i},{}\n", i % 2000));
    }
    assert!(csv.len() > odp::validate::published::KEEP_PER_FILE);
    repo.write("datasets/truong-hoc/truong.csv", &csv);
    let (executed, staging) = execute_after_validation(&repo, || {
        repo.edit("datasets/truong-hoc/truong.csv", "T39999,Trường số 39999,1999", "T39999,Trường số 39999,7")
    });
    let err = executed.unwrap_err();
    let path = repo.path().join("datasets/truong-hoc/truong.csv");
    let message = format!(
        "`{}` changed while the site was being built: its bytes are no longer those validated; build again / tệp \
         đã thay đổi trong khi dựng trang: hãy dựng lại",
        path.display()
    );
    assert!(format!("{err:#}").contains(&message), "{err:#}");
    drop(staging);
    assert!(!repo.path().join("site").exists());
}
