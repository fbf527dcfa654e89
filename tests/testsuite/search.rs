//! Search (issue 4): `odp search` on a fixture with Vietnamese traps (con dê / con dế, "hanoi",
//! "tphcm", an old province name, a withdrawn dataset), exact output; the index is rebuilt when
//! the metadata changes; the browser index answers the same queries through the real search.js
//! run by node.

use crate::harness::{Repo, manifest_dir};
use std::process::Command;

fn search(repo: &Repo, args: &[&str]) -> String {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    let run = repo.odp(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn accent_exact_ranks_first_and_every_match_says_why() {
    let repo = Repo::fixture("search");
    let first = repo.odp(&["search", "con", "dê"]);
    assert_eq!(first.stderr, "Đã lập chỉ mục tìm kiếm / search index built: 7 bộ dữ liệu / datasets, .odp/search\n");
    assert_eq!(
        first.stdout,
        r#"2 kết quả / results: "con dê"

1. Số lượng con dê nuôi theo xã
   con-de · Sở Nội vụ · Dân cư · JSON · 2025-03-01
   · "con": tên/title (không dấu/folded), mô tả/description (không dấu/folded)
   · "dê": tên/title (đúng dấu/exact), từ khóa/keywords (đúng dấu/exact), mô tả/description (đúng dấu/exact)
   · liền nhau/side by side "conde": tên/title

2. Dịch hại do con dế trên cây trồng
   con-de-men · Sở Nội vụ · Dân cư · JSON · 2025-04-01
   · "con": tên/title (không dấu/folded), mô tả/description (không dấu/folded)
   · "dê": tên/title (không dấu/folded), mô tả/description (không dấu/folded)
   · liền nhau/side by side "conde": tên/title
"#
    );
    // the cricket first when that is what was typed; the index is current, so not rebuilt
    let second = repo.odp(&["search", "con dế", "--limit", "1"]);
    assert_eq!(second.stderr, "");
    assert!(second.stdout.starts_with("2 kết quả / results: \"con dế\"\n\n1. Dịch hại do con dế trên cây trồng\n"));
}

#[test]
fn old_province_names_abbreviations_and_one_word_spellings() {
    let repo = Repo::fixture("search");
    assert_eq!(
        search(&repo, &["soc", "trang"]),
        r#"1 kết quả / results: "soc trang"

1. Dân số Thành phố Cần Thơ năm 2024
   dan-so-can-tho · Sở Nội vụ · Dân cư · JSON · 2025-06-01
   · "soc trang" → "can tho" (bí danh/alias: Tỉnh Sóc Trăng → Thành phố Cần Thơ (94 → 92)) — "can": tên/title (không dấu/folded), mô tả/description (không dấu/folded); "tho": tên/title (không dấu/folded), mô tả/description (không dấu/folded)
"#
    );
    assert_eq!(
        search(&repo, &["tphcm"]),
        r#"1 kết quả / results: "tphcm"

1. Dân số TP. Hồ Chí Minh năm 2024
   dan-so-tphcm · Sở Nội vụ · Dân cư · JSON · 2025-06-02
   · "tphcm" → "ho chi minh" (bí danh/alias: TP. Hồ Chí Minh) — "ho": tên/title (không dấu/folded), mô tả/description (không dấu/folded); "chi": tên/title (không dấu/folded), mô tả/description (không dấu/folded); "minh": tên/title (không dấu/folded), mô tả/description (không dấu/folded)
"#
    );
    let json: serde_json::Value = serde_json::from_str(&search(&repo, &["HANOI", "--json"])).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["results"][0]["id"], "truong-thpt-ha-noi");
    assert_eq!(
        json["results"][0]["matched"],
        serde_json::json!([{"typed": "hanoi", "alias": null,
            "terms": [{"term": "hanoi", "fields": [{"field": "title", "kind": "joined"}]}]}])
    );
    // NFD input (decomposed marks) finds the same as NFC
    assert_eq!(
        search(&repo, &["Ha\u{300} No\u{302}\u{323}i"]).lines().nth(2),
        Some("1. Danh sách trường trung học phổ thông tại Hà Nội")
    );
}

#[test]
fn withdrawn_datasets_leave_search_and_facets_filter() {
    let repo = Repo::fixture("search");
    // "dân số hà nội" only matched the withdrawn 2019 dataset
    assert_eq!(search(&repo, &["dân số 2019"]), "0 kết quả / results: \"dân số 2019\"\n");
    let ids = |out: String| -> Vec<String> {
        out.lines()
            .filter(|l| l.starts_with("   ") && !l.starts_with("   ·"))
            .map(|l| l.split(" · ").next().unwrap().trim().to_string())
            .collect()
    };
    // every dataset has "Dân cư" (theme) and "Sở" (publisher), so all match "dân số"; the
    // ones that say "dân số" in their title and keywords come first
    assert_eq!(
        ids(search(&repo, &["dân số"])),
        ["dan-so", "dan-so-can-tho", "dan-so-tphcm", "con-de", "truong-thpt-ha-noi", "tinh", "con-de-men"]
    );
    assert_eq!(ids(search(&repo, &["dân số", "--format", "csv"])), ["dan-so", "truong-thpt-ha-noi", "tinh"]);
    assert_eq!(ids(search(&repo, &["--licence", "cc-by-4.0"])), ["truong-thpt-ha-noi", "dan-so"]);
    assert_eq!(
        ids(search(&repo, &["--keyword", "Dân số", "--format", "JSON", "--format", "CSV"])),
        ["dan-so", "dan-so-can-tho", "dan-so-tphcm"]
    );
}

#[test]
fn the_index_follows_the_metadata() {
    let repo = Repo::fixture("search");
    assert!(search(&repo, &["goats"]).starts_with("1 kết quả"));
    repo.edit("datasets/con-de/dataset.toml", "Goats raised per commune", "Livestock per commune");
    let run = repo.odp(&["search", "goats"]);
    assert_eq!(run.stdout, "0 kết quả / results: \"goats\"\n");
    assert!(run.stderr.starts_with("Đã lập chỉ mục tìm kiếm / search index built"), "{}", run.stderr);
    // odp build refreshes it too, outside site/
    assert_eq!(repo.odp(&["build"]).code, 0);
    assert!(repo.path().join(".odp/search/odp-fingerprint").exists());
    assert!(!repo.path().join("site/.odp").exists());
    assert_eq!(repo.odp(&["search", "goats"]).stderr, "");
}

fn node_query(repo: &Repo, queries: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/search-node.cjs"))
        .arg("query")
        .arg(format!("{}/", repo.path().join("site/search").display()))
        .args(queries)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_browser_index_answers_like_the_terminal() {
    let repo = Repo::fixture("search");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let res = node_query(&repo, &["con dê", "con dế", "soc trang", "tphcm", "hanoi", "ha noi", "dân số 2019", ""]);
    let top: Vec<(i64, Vec<String>)> = res
        .iter()
        .map(|r| {
            (
                r["results"].as_i64().unwrap(),
                r["top"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(top[0], (2, s(&["con-de", "con-de-men"])));
    assert_eq!(top[1], (2, s(&["con-de-men", "con-de"])));
    assert_eq!(top[2], (1, s(&["dan-so-can-tho"])));
    assert_eq!(top[3], (1, s(&["dan-so-tphcm"])));
    assert_eq!(top[4], (1, s(&["truong-thpt-ha-noi"])));
    assert_eq!(top[5], (1, s(&["truong-thpt-ha-noi"])));
    assert_eq!(top[6], (0, vec![]));
    // no query: every searchable dataset (not the withdrawn one), in Vietnamese title order
    assert_eq!(top[7].0, 7);
}
