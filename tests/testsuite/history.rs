//! Issue 6: freshness at fixed build dates under both rules, change history from a real git
//! repository made by the test (and without one, and shallow), `odp report`, notices and their
//! 7-working-day lead time (002 Art. 20.3).

use crate::harness::{ODP, Repo, manifest_dir};
use std::path::Path;
use std::process::Command;

/// The visible text of `html` between the first `start` marker and the next `end`, tags
/// removed and whitespace collapsed.
fn text_between(html: &str, start: &str, end: &str) -> String {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start:?} in page"));
    // Skip the rest of the marker's tag (the minifier reorders attributes).
    let rest = &html[i..];
    let rest = &rest[rest.find('>').map_or(0, |j| j + 1)..];
    let j = rest.find(end).unwrap_or(rest.len());
    let mut out = String::new();
    let mut in_tag = false;
    for c in rest[..j].chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
    // Tags became spaces; punctuation right after an inline element goes back to its word.
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace(" .", ".").replace(" ,", ",")
}

/// The freshness facts of a dataset's Vietnamese page.
fn freshness(repo: &Repo, id: &str) -> String {
    let html = repo.read(&format!("site/datasets/{id}/index.html"));
    text_between(&html, "class=\"summary freshness\">", "</dl>")
}

fn build(repo: &Repo, as_of: &str) {
    let run = repo.odp(&["build", "--as-of", as_of]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_status_under_the_frequency_rule() {
    let repo = Repo::fixture("history");
    build(&repo, "2026-12-10");
    let got: Vec<String> = ["hang-quy", "hang-thang", "hang-nam", "hang-tuan", "khong-dinh-ky"]
        .iter()
        .map(|id| freshness(&repo, id))
        .collect();
    assert_eq!(
        got,
        [
            // Quarterly, modified 30/09: due 30/12, 20 days away.
            "Tình trạng Đúng hạn Cập nhật lần cuối 30/09/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 30/12/2026",
            // Monthly, never updated since 10/01 (no git here): overdue since 10/02.
            "Tình trạng Quá hạn Cập nhật lần cuối 10/01/2026 (ngày công bố, chưa cập nhật lần nào) Hạn cập nhật tiếp \
             theo 10/02/2026",
            "Tình trạng Quá hạn Cập nhật lần cuối 01/03/2025 (ngày công bố, chưa cập nhật lần nào) Hạn cập nhật tiếp \
             theo 01/03/2026",
            // No date at all.
            "Tình trạng Quá hạn Cập nhật lần cuối Chưa cập nhật Hạn cập nhật tiếp theo —",
            "Tình trạng Không có lịch cập nhật Cập nhật lần cuối 05/05/2025 (ngày công bố, chưa cập nhật lần nào) Hạn \
             cập nhật tiếp theo —",
        ]
    );
    // 13 days before the due date: due soon.
    build(&repo, "2026-12-17");
    assert_eq!(
        freshness(&repo, "hang-quy"),
        "Tình trạng Sắp đến hạn Cập nhật lần cuối 30/09/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 30/12/2026"
    );
    // The per-status listing has exactly the due-soon dataset; the withdrawn one is nowhere.
    let list = repo.read("site/freshness/due-soon/index.html");
    assert!(list.contains("Số liệu hằng quý") && !list.contains("Số liệu hằng tháng"));
    let filter = text_between(&repo.read("site/datasets/index.html"), "class=status-filter>", "</nav>");
    assert_eq!(filter, "Tất cả (5) Đúng hạn (0) Sắp đến hạn (1) Quá hạn (3) Không có lịch cập nhật (1)");
    assert!(!repo.read("site/datasets/index.html").contains("Số liệu đã ngừng"));
    // The withdrawn dataset keeps its page, with reason and date.
    let gone = repo.read("site/datasets/ngung/index.html");
    assert!(gone.contains("Thay bằng bộ dữ liệu hằng tháng mới") && gone.contains("31/12/2025"));
}

#[test]
fn hue_rule_at_quarter_boundaries() {
    let repo = Repo::fixture("history");
    repo.edit("portal.toml", "rule = \"frequency\"", "rule = \"quarterly+15d\"");
    let status = |as_of: &str| {
        build(&repo, as_of);
        freshness(&repo, "hang-quy")
    };
    // Updated 30/09 (last day of Q3): due within 15 days of 1 October.
    assert_eq!(
        status("2026-09-30"),
        "Tình trạng Đúng hạn Cập nhật lần cuối 30/09/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 15/10/2026"
    );
    assert_eq!(
        status("2026-10-15"),
        "Tình trạng Sắp đến hạn Cập nhật lần cuối 30/09/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 15/10/2026"
    );
    assert_eq!(
        status("2026-10-16"),
        "Tình trạng Quá hạn Cập nhật lần cuối 30/09/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 15/10/2026"
    );
    // Updated on the first day of Q4: next due 15 January, across the year.
    repo.edit("datasets/hang-quy/dataset.toml", "modified = 2026-09-30", "modified = 2026-10-01");
    assert_eq!(
        status("2026-10-16"),
        "Tình trạng Đúng hạn Cập nhật lần cuối 01/10/2026 (theo siêu dữ liệu) Hạn cập nhật tiếp theo 15/01/2027"
    );
    let page = repo.read("site/datasets/hang-quy/index.html");
    assert!(page.contains("trong 15 ngày kể từ ngày đầu tiên của quý sau kỳ cập nhật (003 Điều 4.6.b)"));
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Phòng Dữ liệu",
            "-c",
            "user.email=du-lieu@example.gov.vn",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", format!("{date}T09:00:00+07:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T09:00:00+07:00"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A fixture repository with three commits: everything, new rows, a metadata-only change.
fn history_repo() -> Repo {
    let repo = Repo::fixture("history");
    let dir = repo.path();
    git(dir, &["init", "-q", "-b", "main"], "2026-01-10");
    git(dir, &["add", "-A"], "2026-01-10");
    git(dir, &["commit", "-q", "-m", "Công bố dữ liệu ban đầu"], "2026-01-10");
    repo.write("datasets/hang-thang/bang.csv", "ky,so_luong\n2025-12,11\n2026-01,12\n2026-02,13\n");
    git(dir, &["commit", "-q", "-am", "Cập nhật số liệu tháng 1 và 2"], "2026-02-05");
    repo.edit(
        "datasets/hang-thang/dataset.toml",
        "title = \"Số liệu hằng tháng\"",
        "title = \"Số liệu y tế hằng tháng\"",
    );
    git(dir, &["commit", "-q", "-am", "Sửa tiêu đề"], "2026-03-01");
    repo
}

#[test]
fn history_from_a_git_repository() {
    let repo = history_repo();
    build(&repo, "2026-03-10");
    // Three entries: the dataset page lists them all, and there is no history page to repeat them.
    let page = repo.read("site/datasets/hang-thang/index.html");
    assert!(!repo.path().join("site/datasets/hang-thang/history").exists());
    assert!(!page.contains("/history/"), "no link to a history page that does not exist");
    let (h0, h1, h2) = (short_hash(&repo, 0), short_hash(&repo, 1), short_hash(&repo, 2));
    assert_eq!(
        text_between(&page, "class=history>", "</ol>"),
        format!(
            "01/03/2026 — Sửa tiêu đề {h0} Siêu dữ liệu (dataset.toml, README.md) \
             05/02/2026 — Cập nhật số liệu tháng 1 và 2 {h1} bang.csv: sửa đổi, +3 / −1 dòng \
             10/01/2026 — Công bố dữ liệu ban đầu {h2} Siêu dữ liệu (dataset.toml, README.md) bang.csv: thêm mới, +1 / −0 dòng"
        )
    );
    // No `modified`: the last commit that changed a data file is the last update (monthly: due
    // 05/03, overdue on 10/03); the metadata-only commit of 01/03 does not count.
    assert_eq!(
        freshness(&repo, "hang-thang"),
        "Tình trạng Quá hạn Cập nhật lần cuối 05/02/2026 (theo lịch sử thay đổi) Hạn cập nhật tiếp theo 05/03/2026"
    );
    // As of an earlier date, later commits do not count: the data was last changed on 10/01.
    build(&repo, "2026-01-20");
    assert_eq!(
        freshness(&repo, "hang-thang"),
        "Tình trạng Đúng hạn Cập nhật lần cuối 10/01/2026 (theo lịch sử thay đổi) Hạn cập nhật tiếp theo 10/02/2026"
    );
    // Updates per quarter come from the commits: so-y-te changed hang-thang 3 times and
    // hang-nam and ngung once each in Q1; ngung is withdrawn and not counted. hang-nam's last
    // update is the commit that added its data (10/01/2026): on time.
    let run = repo.odp(&["report", "--format", "csv", "--as-of", "2026-03-10", "--quarter", "2026-Q1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "quarter,publisher,name,datasets,resources,formats,on_time,due_soon,overdue,no_schedule,on_time_share,updates_in_quarter,overdue_datasets\n\
         2026-Q1,so-noi-vu,Sở Nội vụ,3,3,CSV,1,0,1,1,50.0,3,hang-tuan\n\
         2026-Q1,so-y-te,Sở Y tế,2,2,CSV,1,0,1,0,50.0,4,hang-thang\n"
    );
    // Building the same commit twice gives the same bytes (history and dates included).
    build(&repo, "2026-03-10");
    let first = repo.tree("site");
    build(&repo, "2026-03-10");
    assert_eq!(first, repo.tree("site"));

    // Three more commits: six entries, more than the dataset page shows. The page lists the
    // newest five and links to the history page, which lists all six (both languages).
    for (i, date) in ["2026-03-02", "2026-03-03", "2026-03-04"].into_iter().enumerate() {
        repo.write(
            "datasets/hang-thang/bang.csv",
            &format!("ky,so_luong\n2025-12,11\n2026-01,12\n2026-02,{}\n", 14 + i),
        );
        git(repo.path(), &["commit", "-q", "-am", &format!("Sửa số liệu lần {}", i + 1)], date);
    }
    build(&repo, "2026-03-10");
    let entries = |html: &str| text_between(html, "class=history>", "</ol>").matches(" — ").count();
    let page = repo.read("site/datasets/hang-thang/index.html");
    assert_eq!(entries(&page), 5);
    let section = text_between(&page, "class=history-section>", "</section>");
    assert!(section.ends_with("Xem toàn bộ lịch sử thay đổi (6)"), "{section}");
    assert!(!section.contains("Công bố dữ liệu ban đầu"), "the oldest entry is only on the history page");
    assert!(page.contains("<a href=\"/datasets/hang-thang/history/\">Xem toàn bộ lịch sử thay đổi</a> (6)"));
    let history = repo.read("site/datasets/hang-thang/history/index.html");
    assert_eq!(entries(&history), 6);
    assert!(text_between(&history, "class=history>", "</ol>").contains(&format!("Công bố dữ liệu ban đầu {h2}")));
    let en = repo.read("site/en/datasets/hang-thang/history/index.html");
    assert_eq!(entries(&en), 6);
    // Only hang-thang's history is long enough for a page of its own.
    let history_pages: Vec<String> =
        repo.tree("site").into_keys().filter(|p| p.ends_with("/history/index.html")).collect();
    assert_eq!(history_pages, ["datasets/hang-thang/history/index.html", "en/datasets/hang-thang/history/index.html"]);
}

fn short_hash(repo: &Repo, back: usize) -> String {
    let out = Command::new("git")
        .current_dir(repo.path())
        .args(["rev-parse", "--short=10", &format!("HEAD~{back}")])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn without_git_or_shallow_history_is_unavailable() {
    // The fixture copy lives in an ignored folder of odp's own repository: not tracked, so no history.
    let repo = Repo::fixture("history");
    build(&repo, "2026-03-10");
    let page = repo.read("site/datasets/hang-thang/index.html");
    assert_eq!(
        text_between(&page, "class=history-section>", "</section>"),
        "Lịch sử thay đổi Không có lịch sử thay đổi: kho lưu trữ của cổng không có lịch sử git. Ngày cập nhật lấy từ \
         siêu dữ liệu (modified)."
    );
    let en = repo.read("site/en/datasets/hang-thang/index.html");
    assert!(en.contains("Change history unavailable: the portal&#39;s repository has no git history."));
    // The feed keeps the metadata-date entries only (and the withdrawal).
    let ids = feed_ids(&repo.read("site/feed.xml"));
    assert_eq!(
        ids,
        [
            "https://example.gov.vn/datasets/hang-quy/ 2026-09-30T00:00:00Z",
            "https://example.gov.vn/datasets/hang-thang/ 2026-01-10T00:00:00Z",
            "https://example.gov.vn/datasets/ngung/#status-2025-12-31 2025-12-31T00:00:00Z",
            "https://example.gov.vn/datasets/khong-dinh-ky/ 2025-05-05T00:00:00Z",
            "https://example.gov.vn/datasets/hang-nam/ 2025-03-01T00:00:00Z",
            "https://example.gov.vn/datasets/ngung/ 2024-01-01T00:00:00Z",
        ]
    );

    // A shallow clone says so too, and does not claim its one commit added every file.
    let full = history_repo();
    let shallow = Repo::fixture("minimal");
    std::fs::remove_dir_all(shallow.path()).unwrap();
    let url = format!("file://{}", full.path().display());
    let out = Command::new("git").args(["clone", "-q", "--depth", "1", &url]).arg(shallow.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    build(&shallow, "2026-03-10");
    let page = shallow.read("site/datasets/hang-thang/index.html");
    assert!(page.contains("Không hiển thị lịch sử thay đổi vì bản sao git không đầy đủ (shallow clone)."));
    // Nor does the feed carry the one commit as updates of every dataset.
    assert!(!shallow.read("site/feed.xml").contains("/history/#"));
    assert_eq!(
        freshness(&shallow, "hang-thang"),
        "Tình trạng Quá hạn Cập nhật lần cuối 10/01/2026 (ngày công bố, chưa cập nhật lần nào) Hạn cập nhật tiếp \
         theo 10/02/2026"
    );
}

#[test]
fn report_csv_of_the_demo_portal() {
    // The demo portal without its git history (a copy), so the figures do not move with every
    // commit to odp's repository: each dataset counts one update, on its `modified` date.
    let repo = Repo::fixture("minimal");
    std::fs::remove_dir_all(repo.path().join("datasets")).unwrap();
    std::fs::remove_dir_all(repo.path().join("content")).unwrap();
    for dir in ["datasets", "content"] {
        crate::harness::copy_dir(&manifest_dir().join(dir), &repo.path().join(dir));
    }
    std::fs::copy(manifest_dir().join("portal.toml"), repo.path().join("portal.toml")).unwrap();
    let run = repo.odp(&["report", "--format", "csv", "--as-of", "2027-01-05"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "quarter,publisher,name,datasets,resources,formats,on_time,due_soon,overdue,no_schedule,on_time_share,updates_in_quarter,overdue_datasets\n\
         2026-Q4,so-khoa-hoc-va-cong-nghe,Sở Khoa học và Công nghệ,1,4,API CSV,0,0,0,1,,1,\n\
         2026-Q4,so-noi-vu,Sở Nội vụ,6,7,CSV GEOJSON,0,0,0,6,,6,\n\
         2026-Q4,so-nong-nghiep-va-moi-truong,Sở Nông nghiệp và Môi trường,1,1,CSV,0,0,0,1,,1,\n"
    );
    let json = repo.odp(&["report", "--format", "json", "--as-of", "2027-01-05"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        (v["as_of"].as_str(), v["history"].as_str(), v["quarter"].as_str()),
        (Some("2027-01-05"), Some("no-repository"), Some("2026-Q4"))
    );
}

const NOTICE: &str = "+++
title = \"Tạm ngừng dịch vụ tra cứu để nâng cấp\"
title_en = \"Lookup service suspended for an upgrade\"
kind = \"planned-suspension\"
announced = ANNOUNCED
start = 2026-11-20
end = 2026-11-21
expected_recovery = \"17:00 ngày 21/11/2026\"
affected = [\"hang-quy\"]
+++
Hệ thống được nâng cấp; các tệp tải về vẫn dùng được.
";

#[test]
fn notice_lead_time_counts_working_days() {
    let repo = Repo::fixture("history");
    // Announced Monday 16/11 for Friday 20/11: 3 working days between.
    repo.write("content/notices/bao-tri.md", &NOTICE.replace("ANNOUNCED", "2026-11-16"));
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 0, "a warning does not fail the check");
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "content/notices/bao-tri.md:6:9: warning[W0601]: tạm ngừng từ 2026-11-20 nhưng thông báo ngày 2026-11-16: chỉ \
         trước 3 ngày làm việc; phải thông báo ít nhất 7 ngày làm việc trước (002 Điều 20.3) — suspension starts \
         2026-11-20 but was announced 2026-11-16: only 3 working days ahead; it must be announced at least 7 working \
         days ahead (002 Art. 20.3)"
    );
    // Announced Thursday 05/11: 10 working days between: no warning.
    repo.write("content/notices/bao-tri.md", &NOTICE.replace("ANNOUNCED", "2026-11-05"));
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!((run.code, run.stderr.contains("W0601")), (0, false), "{}", run.stderr);

    // Shown site-wide and on the affected dataset while active (from announcement to end).
    build(&repo, "2026-11-18");
    let home = repo.read("site/index.html");
    assert_eq!(
        text_between(&home, "class=\"wrap site-notices\">", "</section>"),
        "Tạm ngừng dịch vụ theo kế hoạch Tạm ngừng dịch vụ tra cứu để nâng cấp Thời gian: 20/11/2026 – 21/11/2026. Dự \
         kiến phục hồi: 17:00 ngày 21/11/2026 Hệ thống được nâng cấp; các tệp tải về vẫn dùng được. Ảnh hưởng đến: Số \
         liệu hằng quý"
    );
    // On the affected dataset's page it is shown once, under the title, not also as the banner.
    let affected = repo.read("site/datasets/hang-quy/index.html");
    assert_eq!(affected.matches("Tạm ngừng dịch vụ tra cứu để nâng cấp").count(), 1);
    assert!(!affected.contains("site-notices"));
    assert_eq!(
        repo.read("site/datasets/hang-nam/index.html").matches("Tạm ngừng dịch vụ tra cứu để nâng cấp").count(),
        1
    );
    build(&repo, "2026-11-22");
    assert!(!repo.read("site/index.html").contains("site-notices"), "over after its end date");
}

#[test]
fn source_date_epoch_sets_the_build_date() {
    let repo = Repo::fixture("history");
    // 2026-12-16T18:00:00Z is already 17 December in Viet Nam (UTC+7).
    let out = Command::new(ODP)
        .arg("--root")
        .arg(repo.path())
        .args(["report", "--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1797444000")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["as_of"].as_str(), v["as_of_source"].as_str()), (Some("2026-12-17"), Some("source-date-epoch")));
}

#[test]
fn notice_announced_by_its_commit_or_unknown() {
    // Not committed and no `announced`: the lead time cannot be checked.
    let repo = Repo::fixture("history");
    let notice = NOTICE.replace("announced = ANNOUNCED\n", "");
    repo.write("content/notices/bao-tri.md", &notice);
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "content/notices/bao-tri.md:5:9: warning[W0602]: không biết ngày thông báo (tệp chưa được commit); ghi \
         `announced` để kiểm tra thời hạn 7 ngày làm việc (002 Điều 20.3) — the announcement date is unknown (the \
         file is not committed); set `announced` so the 7-working-day lead time can be checked (002 Art. 20.3)"
    );
    // Committed on Monday 16/11 (a new file): the commit date is the announcement date.
    let repo = history_repo();
    repo.write("content/notices/nang-cap.md", &notice);
    git(repo.path(), &["add", "-A"], "2026-11-16");
    git(repo.path(), &["commit", "-q", "-m", "Thông báo bảo trì"], "2026-11-16");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "content/notices/nang-cap.md:5:9: warning[W0601]: tạm ngừng từ 2026-11-20 nhưng thông báo ngày 2026-11-16 \
         (ngày commit thêm tệp; ghi `announced` nếu đã thông báo sớm hơn): chỉ trước 3 ngày làm việc; phải thông báo \
         ít nhất 7 ngày làm việc trước (002 Điều 20.3) — suspension starts 2026-11-20 but was announced 2026-11-16 \
         (the commit that added the file; set `announced` if it was announced earlier): only 3 working days ahead; it \
         must be announced at least 7 working days ahead (002 Art. 20.3)"
    );
}

#[test]
fn unknown_freshness_rule_is_an_error() {
    let repo = Repo::fixture("history");
    repo.edit("portal.toml", "rule = \"frequency\"", "rule = \"quarterly\"");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim_end(),
        "portal.toml:11:8: error[E0605]: quy tắc `quarterly` không hợp lệ; dùng một trong: `frequency`, \
         `quarterly+15d` — unknown freshness rule `quarterly`; use one of: `frequency`, `quarterly+15d`"
    );
}

#[test]
fn feed_carries_git_updates_and_withdrawals() {
    let repo = history_repo();
    build(&repo, "2026-03-10");
    let feed = repo.read("site/feed.xml");
    let (h0, h1, h2) = (full_hash(&repo, 0), full_hash(&repo, 1), full_hash(&repo, 2));
    let site = "https://example.gov.vn/datasets";
    let first = |id: &str| format!("{site}/{id}/history/#{h2} 2026-01-10T00:00:00Z");
    // Newest first; same date: by id (history entries carry `#<commit>`, metadata entries do not).
    assert_eq!(
        feed_ids(&feed),
        [
            format!("{site}/hang-quy/ 2026-09-30T00:00:00Z"),
            format!("{site}/hang-thang/history/#{h0} 2026-03-01T00:00:00Z"),
            format!("{site}/hang-thang/history/#{h1} 2026-02-05T00:00:00Z"),
            first("hang-nam"),
            first("hang-quy"),
            format!("{site}/hang-thang/ 2026-01-10T00:00:00Z"),
            first("hang-thang"),
            first("hang-tuan"),
            first("khong-dinh-ky"),
            first("ngung"),
            format!("{site}/ngung/#status-2025-12-31 2025-12-31T00:00:00Z"),
            format!("{site}/khong-dinh-ky/ 2025-05-05T00:00:00Z"),
            format!("{site}/hang-nam/ 2025-03-01T00:00:00Z"),
            format!("{site}/ngung/ 2024-01-01T00:00:00Z"),
        ]
    );
    // hang-thang's three entries are all on its page: the entry links there; its id stays the
    // history page's, which it will be once the history outgrows the dataset page.
    let short = &h1[..10];
    assert!(
        feed.contains(&format!(
            "  <entry>\n    <id>{site}/hang-thang/history/#{h1}</id>\n    \
             <title>Số liệu y tế hằng tháng: Cập nhật số liệu tháng 1 và 2</title>\n    \
             <updated>2026-02-05T00:00:00Z</updated>\n    \
             <link rel=\"alternate\" type=\"text/html\" href=\"{site}/hang-thang/\"/>\n    \
             <author><name>Sở Y tế</name></author>\n    <category term=\"Dân cư\"/>\n    \
             <summary>Thay đổi {short}: bang.csv: sửa đổi, +3 / −1 dòng.</summary>\n  </entry>\n"
        )),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "  <entry>\n    <id>{site}/ngung/#status-2025-12-31</id>\n    \
             <title>Đã thu hồi: Số liệu đã ngừng</title>\n    <updated>2025-12-31T00:00:00Z</updated>\n    \
             <link rel=\"alternate\" type=\"text/html\" href=\"{site}/ngung/\"/>\n    \
             <author><name>Sở Y tế</name></author>\n    <category term=\"Dân cư\"/>\n    \
             <summary>Đã thu hồi: Thay bằng bộ dữ liệu hằng tháng mới</summary>\n  </entry>\n"
        )),
        "{feed}"
    );
    assert!(feed.contains("<updated>2026-09-30T00:00:00Z</updated>\n  <link rel=\"self\""));
}

/// `<id> <updated>` of each feed entry, in order.
fn feed_ids(feed: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .map(|e| format!("{} {}", text_between(e, "<id>", "</id>"), text_between(e, "<updated>", "</updated>")))
        .collect()
}

fn full_hash(repo: &Repo, back: usize) -> String {
    let out =
        Command::new("git").current_dir(repo.path()).args(["rev-parse", &format!("HEAD~{back}")]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn withdrawn_and_deprecated_stay_in_the_catalogues_with_their_status() {
    // Issue 6 item 5: they leave listings and search, not the catalogues.
    let repo = Repo::fixture("history");
    repo.edit(
        "datasets/hang-nam/dataset.toml",
        "issued = 2025-03-01\n",
        "issued = 2025-03-01\nstatus = \"deprecated\"\nstatus_reason = \"Dùng bộ hằng quý\"\nstatus_date = 2026-02-01\n",
    );
    build(&repo, "2026-03-10");
    let eu = "http://publications.europa.eu/resource/authority/dataset-status";
    let ttl = repo.read("site/catalog.ttl");
    for (id, code) in [("hang-nam", "DEPRECATED"), ("ngung", "WITHDRAWN")] {
        let start = ttl.find(&format!("<https://example.gov.vn/datasets/{id}/>\n    a dcat:Dataset")).expect(id);
        let block = &ttl[start..start + ttl[start..].find(" .\n").unwrap()];
        assert!(block.contains(&format!("    adms:status <{eu}/{code}> ;\n")), "{block}");
    }
    assert_eq!(ttl.matches("adms:status").count(), 2, "active datasets carry no status");
    let jsonld = repo.read("site/catalog.jsonld");
    assert!(jsonld.contains(&format!("\"adms:status\":[{{\"@id\":\"{eu}/WITHDRAWN\"}}]")), "{jsonld}");

    let json = |path: &str| serde_json::from_str::<serde_json::Value>(&repo.read(path)).unwrap();
    let data = json("site/data.json");
    let descriptions: Vec<(&str, &str)> = data["dataset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["title"].as_str().unwrap(), d["description"].as_str().unwrap()))
        .collect();
    let plain = "Bộ dữ liệu dùng để kiểm thử tình trạng cập nhật và lịch sử thay đổi của cổng.";
    assert_eq!(descriptions.len(), 6);
    assert_eq!(
        descriptions[0],
        (
            "Số liệu hằng năm",
            format!("[Không còn khuyến nghị dùng ngày 2026-02-01: Dùng bộ hằng quý] {plain}").as_str()
        )
    );
    assert_eq!(
        descriptions[5],
        (
            "Số liệu đã ngừng",
            format!("[Đã thu hồi ngày 2025-12-31: Thay bằng bộ dữ liệu hằng tháng mới] {plain}").as_str()
        )
    );
    assert_eq!(descriptions[1], ("Số liệu hằng quý", plain));

    let api = json("site/api/v1/catalog.json");
    let statuses: Vec<(&str, &str)> = api["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("hang-nam", "deprecated"),
            ("hang-quy", "active"),
            ("hang-thang", "active"),
            ("hang-tuan", "active"),
            ("khong-dinh-ky", "active"),
            ("ngung", "withdrawn")
        ]
    );

    assert_eq!(
        json("site/api/3/action/package_list")["result"],
        serde_json::json!(["hang-nam", "hang-quy", "hang-thang", "hang-tuan", "khong-dinh-ky", "ngung"])
    );
    let search = json("site/api/3/action/package_search");
    assert_eq!(search["result"]["count"], 6);
    for (id, state, extras) in [
        (
            "hang-nam",
            "active",
            serde_json::json!([
                {"key": "status_reason", "value": "Dùng bộ hằng quý"},
                {"key": "status_date", "value": "2026-02-01"},
                {"key": "status", "value": "deprecated"}
            ]),
        ),
        (
            "ngung",
            "deleted",
            serde_json::json!([
                {"key": "status_reason", "value": "Thay bằng bộ dữ liệu hằng tháng mới"},
                {"key": "status_date", "value": "2025-12-31"},
                {"key": "status", "value": "withdrawn"}
            ]),
        ),
    ] {
        let pkg = json(&format!("site/api/3/action/package_show/{id}"))["result"].clone();
        assert_eq!(pkg["state"], state, "{id}");
        let status_extras: Vec<serde_json::Value> = pkg["extras"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["key"].as_str().unwrap().starts_with("status"))
            .cloned()
            .collect();
        assert_eq!(serde_json::Value::from(status_extras), extras, "{id}");
    }

    // The Atom feed: an entry for each status change, dated by `status_date`.
    let ids = feed_ids(&repo.read("site/feed.xml"));
    assert!(ids.contains(&"https://example.gov.vn/datasets/hang-nam/#status-2026-02-01 2026-02-01T00:00:00Z".into()));
    assert!(ids.contains(&"https://example.gov.vn/datasets/ngung/#status-2025-12-31 2025-12-31T00:00:00Z".into()));
    // Listings and search leave them out.
    let listing = repo.read("site/datasets/index.html");
    assert!(!listing.contains("/datasets/ngung/") && !listing.contains("/datasets/hang-nam/"), "{listing}");
}
