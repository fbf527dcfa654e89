//! `odp build` on a valid fixture: every URL of DESIGN.md, checksums that `sha256sum -c`
//! accepts, zips that unpack and verify, byte-identical rebuilds, inert agency text.

use crate::harness::{Repo, tree_hashes};
use std::io::Read;
use std::process::Command;

#[test]
fn writes_every_url_of_the_design() {
    let repo = Repo::fixture("minimal");
    let run = repo.odp(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files: Vec<String> = repo.tree("site").into_keys().filter(|f| !f.starts_with("assets/")).collect();
    let expected = [
        "404.html",
        "_headers",
        "_redirects",
        "api/3/action/group_list",
        "api/3/action/group_show/dan-cu",
        "api/3/action/license_list",
        "api/3/action/organization_list",
        "api/3/action/organization_show/so-noi-vu",
        "api/3/action/package_list",
        "api/3/action/package_search",
        "api/3/action/package_search_pages/0",
        "api/3/action/package_show/dan-so",
        "api/3/action/package_show/tinh",
        "api/3/action/status_show",
        "api/3/action/tag_list",
        "api/v1/catalog.json",
        "api/v1/catalog.schema.json",
        "api/v1/dataset.schema.json",
        "api/v1/datasets/dan-so.json",
        "api/v1/datasets/tinh.json",
        "catalog.jsonld",
        "catalog.ttl",
        "data.json",
        "datasets/dan-so/SHA256SUMS",
        "datasets/dan-so/dan-so.csv",
        "datasets/dan-so/dan-so.excel.csv",
        "datasets/dan-so/dan-so.json",
        "datasets/dan-so/dan-so.xlsx",
        "datasets/dan-so/dan-so.xml",
        "datasets/dan-so/dan-so.zip",
        "datasets/dan-so/datapackage.json",
        "datasets/dan-so/index.html",
        "datasets/index.html",
        "datasets/tinh/SHA256SUMS",
        "datasets/tinh/datapackage.json",
        "datasets/tinh/index.html",
        "datasets/tinh/provinces.csv",
        "datasets/tinh/provinces.excel.csv",
        "datasets/tinh/provinces.json",
        "datasets/tinh/provinces.xlsx",
        "datasets/tinh/provinces.xml",
        "datasets/tinh/tinh.zip",
        "en/404.html",
        "en/datasets/dan-so/index.html",
        "en/datasets/index.html",
        "en/datasets/tinh/index.html",
        "en/freshness/due-soon/index.html",
        "en/freshness/no-schedule/index.html",
        "en/freshness/on-time/index.html",
        "en/freshness/overdue/index.html",
        "en/index.html",
        "en/keywords/dan-so/index.html",
        "en/keywords/danh-muc/index.html",
        "en/keywords/index.html",
        "en/keywords/tinh/index.html",
        "en/publishers/index.html",
        "en/publishers/so-noi-vu/index.html",
        "en/search/index.html",
        "en/stats/index.html",
        "en/terms/index.html",
        "en/themes/dan-cu/index.html",
        "en/themes/index.html",
        "feed.xml",
        "freshness/due-soon/index.html",
        "freshness/no-schedule/index.html",
        "freshness/on-time/index.html",
        "freshness/overdue/index.html",
        "index.html",
        "keywords/dan-so/index.html",
        "keywords/danh-muc/index.html",
        "keywords/index.html",
        "keywords/tinh/index.html",
        "publishers/index.html",
        "publishers/so-noi-vu/index.html",
        "robots.txt",
        // the browser's search index (issue 4)
        "search/d/en/0.json",
        "search/d/vi/0.json",
        "search/facets.bin",
        "search/index.html",
        "search/meta.json",
        "search/t/0.json",
        "sitemap.xml",
        "stats/index.html",
        "terms/index.html",
        "themes/dan-cu/index.html",
        "themes/index.html",
    ];
    assert_eq!(files, expected);
    assert!(repo.tree("site").keys().any(|f| f.starts_with("assets/") && f.ends_with(".css")));
}

#[test]
fn checksums_verify_with_sha256sum_and_inside_every_zip() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    for id in ["dan-so", "tinh"] {
        let dir = repo.path().join("site/datasets").join(id);
        let out = Command::new("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(&dir).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

        // Unpack the package and check its own SHA256SUMS the same way.
        let unpacked = repo.path().join(format!("unpacked-{id}"));
        let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.join(format!("{id}.zip"))).unwrap()).unwrap();
        zip.extract(&unpacked).unwrap();
        let out = Command::new("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(&unpacked).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        let mut names: Vec<String> =
            (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
        names.sort();
        let data = if id == "tinh" { "provinces.csv" } else { "dan-so.csv" };
        let mut expected = vec!["README.md", "SHA256SUMS", "TERMS.md", data, "datapackage.json"];
        expected.sort();
        assert_eq!(names, expected);
        // Entries under 512 bytes are stored (deflate would save next to nothing), the rest
        // deflated: the usage terms are that small in every package.
        for i in 0..zip.len() {
            let entry = zip.by_index(i).unwrap();
            let expected =
                if entry.size() < 512 { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
            assert_eq!(entry.compression(), expected, "{:?} ({} bytes)", entry.name(), entry.size());
        }
        assert_eq!(zip.by_name("TERMS.md").unwrap().compression(), zip::CompressionMethod::Stored);
    }
    assert_eq!(
        repo.read("site/datasets/tinh/SHA256SUMS").lines().map(|l| l.split_once("  ").unwrap().1).collect::<Vec<_>>(),
        [
            "datapackage.json",
            "provinces.csv",
            "provinces.excel.csv",
            "provinces.json",
            "provinces.xlsx",
            "provinces.xml",
            "tinh.zip"
        ]
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let first = repo.tree("site");
    // Touch every input: times and build order must not leak into the output.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    repo.edit("datasets/tinh/tinh.csv", "01,", "01,");
    assert_eq!(repo.odp(&["build", "--out", "site2"]).code, 0);
    assert_eq!(first, repo.tree("site2"));
}

#[test]
fn datapackage_has_sha256_hashes_and_the_dictionary() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let dp: serde_json::Value = serde_json::from_str(&repo.read("site/datasets/dan-so/datapackage.json")).unwrap();
    let csv_hash = repo.tree("site")["datasets/dan-so/dan-so.csv"].clone();
    let res = &dp["resources"][0];
    assert_eq!(res["path"], "dan-so.csv");
    assert_eq!(res["hash"], format!("sha256:{csv_hash}"));
    assert_eq!(res["schema"]["primaryKey"], serde_json::json!(["ma_tinh"]));
    assert_eq!(res["schema"]["fields"][1]["constraints"], serde_json::json!({"minimum": 0.0}));
    // Data services are not package files; the format copies are (issue 5).
    let names: Vec<&str> = dp["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["dan-so", "dan-so.json", "dan-so.excel.csv", "dan-so.xlsx", "dan-so.xml"]);
    assert_eq!(dp["licenses"][0]["name"], "CC-BY-4.0");
}

#[test]
fn headers_and_redirects_for_the_host() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let headers = repo.read("site/_headers");
    assert!(headers.contains("/du-lieu/datasets/*\n  Access-Control-Allow-Origin: *\n"), "{headers}");
    assert!(headers.contains("/du-lieu/datasets/*/*.csv\n  Content-Type: text/csv; charset=utf-8\n"), "{headers}");
    // The browser search index (issue 6 item 5): exact rules, and what `odp serve` makes of them.
    assert!(
        headers.contains(
            "# Browser search index: short cache, the files of one build belong together.\n\
             /du-lieu/search/*\n  Cache-Control: public, max-age=300, must-revalidate\n\n\
             /du-lieu/search/meta.json\n  Content-Type: application/json; charset=utf-8\n\n\
             /du-lieu/search/t/*\n  Content-Type: application/json; charset=utf-8\n\n\
             /du-lieu/search/d/*\n  Content-Type: application/json; charset=utf-8\n\n\
             /du-lieu/search/facets.bin\n  Content-Type: application/octet-stream\n\n"
        ),
        "{headers}"
    );
    let rules = odp::serve::host::Rules::parse("", &headers);
    for (path, ct) in [
        ("/du-lieu/search/meta.json", "application/json; charset=utf-8"),
        ("/du-lieu/search/t/0.json", "application/json; charset=utf-8"),
        ("/du-lieu/search/d/vi/0.json", "application/json; charset=utf-8"),
        ("/du-lieu/search/facets.bin", "application/octet-stream"),
    ] {
        assert!(repo.path().join("site").join(&path["/du-lieu/".len()..]).is_file(), "{path} is written");
        let h = rules.headers_for(path);
        let get = |k: &str| h.iter().filter(|(n, _)| n == k).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
        assert_eq!(get("Content-Type"), [ct], "{path}");
        assert_eq!(get("Cache-Control"), ["public, max-age=300, must-revalidate"], "{path}");
    }
    assert_eq!(
        repo.read("site/_redirects"),
        "# Renamed datasets: old URLs stay valid (dataset.toml `aliases`).\n\
         /du-lieu/datasets/dan-so-cu/dan-so-cu.zip  /du-lieu/datasets/dan-so/dan-so.zip  301\n\
         /du-lieu/datasets/dan-so-cu  /du-lieu/datasets/dan-so/  301\n\
         /du-lieu/en/datasets/dan-so-cu  /du-lieu/en/datasets/dan-so/  301\n\
         /du-lieu/datasets/dan-so-cu/*  /du-lieu/datasets/dan-so/:splat  301\n\
         # CKAN-compatible API (issue 5): CKAN's query-string forms onto the static files.\n\
         /du-lieu/api/3/action/package_show  id=:v  /du-lieu/api/3/action/package_show/:v  200\n\
         /du-lieu/api/3/action/organization_show  id=:v  /du-lieu/api/3/action/organization_show/:v  200\n\
         /du-lieu/api/3/action/group_show  id=:v  /du-lieu/api/3/action/group_show/:v  200\n\
         /du-lieu/api/3/action/package_search  start=:v  /du-lieu/api/3/action/package_search_pages/:v  200!\n\
         /du-lieu/api/action/package_show  id=:v  /du-lieu/api/3/action/package_show/:v  200\n\
         /du-lieu/api/action/organization_show  id=:v  /du-lieu/api/3/action/organization_show/:v  200\n\
         /du-lieu/api/action/group_show  id=:v  /du-lieu/api/3/action/group_show/:v  200\n\
         /du-lieu/api/action/package_search  start=:v  /du-lieu/api/3/action/package_search_pages/:v  200!\n\
         /du-lieu/api/action/*  /du-lieu/api/3/action/:splat  200\n\
         /du-lieu/en/*  /du-lieu/en/404.html  404\n"
    );
}

#[test]
fn links_follow_the_base_url_path_prefix() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let page = repo.read("site/datasets/dan-so/index.html");
    assert!(page.contains("/du-lieu/datasets/dan-so/dan-so.csv"), "data link under the prefix");
    assert!(!page.contains("\"/datasets/"), "no link escapes the prefix");
    let run = repo.odp(&["build", "--base-url", "https://preview.example.org/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = repo.read("site/datasets/dan-so/index.html");
    assert!(page.contains("/datasets/dan-so/dan-so.csv") && !page.contains("/du-lieu/"));
}

#[test]
fn agency_text_cannot_inject_script() {
    let repo = Repo::fixture("minimal");
    repo.edit(
        "datasets/tinh/dataset.toml",
        "title = \"Danh mục tỉnh\"",
        "title = \"Danh mục <script>alert(1)</script>\"",
    );
    repo.edit(
        "datasets/tinh/dataset.toml",
        "description = \"Danh mục",
        "description = \"[bấm](javascript:alert(1)) <img src=x onerror=alert(1)> <script>alert(2)</script> Danh mục",
    );
    let run = repo.odp(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["site/datasets/tinh/index.html", "site/datasets/index.html", "site/en/datasets/tinh/index.html"] {
        // <title> is RCDATA: markup inside it is text, so minifiers may leave `<` unescaped there.
        let html = repo.read(page);
        let body = match (html.find("<title>"), html.find("</title>")) {
            (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
            _ => html.clone(),
        };
        assert!(!body.contains("<script>alert"), "{page}: script tag passed through");
        assert!(!body.contains("href=javascript") && !body.contains("href=\"javascript"), "{page}: javascript: link");
        assert!(!body.contains("<img src=x"), "{page}: raw HTML passed through");
        // The English page shows `title_en`; the Vietnamese pages show the title as text.
        if !page.contains("/en/") {
            assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}: the title is shown as text");
        }
    }
}

#[test]
fn the_demo_portal_builds_without_problems() {
    let out = tempfile::Builder::new().prefix("odp-demo-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let root = crate::harness::manifest_dir();
    let run = std::process::Command::new(crate::harness::ODP)
        .args(["--root"])
        .arg(&root)
        .args(["build", "--out"])
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("warning["), "the demo portal is an example: no warnings\n{stderr}");
    let files = tree_hashes(&out.path().join("site"));
    assert!(files.len() > 100);
    let mut zip_bytes = Vec::new();
    let zip_name = files.keys().find(|f| f.ends_with(".zip")).unwrap();
    std::fs::File::open(out.path().join("site").join(zip_name)).unwrap().read_to_end(&mut zip_bytes).unwrap();
    assert!(zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap().len() >= 5);
}
