//! Bad input: every problem reported in one run with `path:line:col`, a stable code and text
//! in both languages; exit code 1; and the previous `site/` left exactly as it was.

use crate::harness::Repo;

/// A dataset.toml with one of each mistake of issue 2's acceptance list.
const BROKEN: &str = r#"titel = "Dân số"
title = "Dân số theo tỉnh năm 2024"
description = "Dân số trung bình của từng tỉnh, thành phố năm 2024, số liệu tổng hợp phục vụ kiểm thử."
publisher = "so-y-te"
theme = ["dan-cu"]
keywords = 5

[[resources]]
id = "dan-so"
title = "Dân số"
path = "../tinh/tinh.csv"

[[resources]]
id = "passwd"
title = "Mật khẩu"
path = "/etc/passwd"

[[resources]]
id = "lien-ket"
title = "Liên kết"
path = "link.csv"
"#;

#[test]
fn every_problem_in_one_run_and_the_site_untouched() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let before = repo.tree("site");

    repo.write("datasets/dan-so/dataset.toml", BROKEN);
    // A symlink inside the folder that leads out of it.
    std::os::unix::fs::symlink("../tinh/tinh.csv", repo.path().join("datasets/dan-so/link.csv")).unwrap();
    let run = repo.odp(&["build", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, EXPECTED_SHORT);
    assert_eq!(repo.tree("site"), before, "a failed build must not touch site/");
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".odp-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

const EXPECTED_SHORT: &str = concat!(
    "datasets/dan-so/dataset.toml:1:1: error[E0104]: thiếu khóa bắt buộc `frequency` trong dataset.toml — missing required key `frequency` in dataset.toml\n",
    "datasets/dan-so/dataset.toml:1:1: error[E0102]: khóa `titel` không hợp lệ trong dataset.toml (có phải `title`?); các khóa hợp lệ: `aliases`, `contact`, `description`, `description_en`, `frequency`, `issued`, `keywords`, `license`, `modified`, `publisher`, `resources`, `rights`, `spatial`, `status`, `status_date`, `status_reason`, `temporal`, `theme`, `title`, `title_en`, `version` — unknown key `titel` in dataset.toml (did you mean `title`?); valid keys: `aliases`, `contact`, `description`, `description_en`, `frequency`, `issued`, `keywords`, `license`, `modified`, `publisher`, `resources`, `rights`, `spatial`, `status`, `status_date`, `status_reason`, `temporal`, `theme`, `title`, `title_en`, `version`\n",
    "datasets/dan-so/dataset.toml:4:13: error[E0201]: không có cơ quan `so-y-te` (cần tệp content/publishers/so-y-te.md); các cơ quan hiện có: `so-noi-vu` — unknown publisher `so-y-te` (expected content/publishers/so-y-te.md); known publishers: `so-noi-vu`\n",
    "datasets/dan-so/dataset.toml:6:12: error[E0103]: `keywords` phải là danh sách chuỗi, nhưng đang là 5 — `keywords` must be a list of strings, found 5\n",
    "datasets/dan-so/dataset.toml:11:8: error[E0301]: đường dẫn `../tinh/tinh.csv` nằm ngoài thư mục của bộ dữ liệu — path `../tinh/tinh.csv` leaves the dataset folder\n",
    "datasets/dan-so/dataset.toml:16:8: error[E0301]: đường dẫn `/etc/passwd` nằm ngoài thư mục của bộ dữ liệu — path `/etc/passwd` leaves the dataset folder\n",
    "datasets/dan-so/dataset.toml:21:8: error[E0301]: đường dẫn `link.csv` nằm ngoài thư mục của bộ dữ liệu — path `link.csv` leaves the dataset folder\n",
    "Không ghi gì vào site vì có lỗi — nothing was written to site because of errors\n",
);

#[test]
fn human_format_shows_the_line_and_a_caret_in_both_languages() {
    let repo = Repo::fixture("minimal");
    repo.edit("datasets/tinh/dataset.toml", "frequency = \"irregular\"", "frequency = \"hằng tháng\"");
    let run = repo.odp(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error[E0204]: tần suất cập nhật `hằng tháng` không hợp lệ; dùng một trong: `daily`, `weekly`, `monthly`, \
         `quarterly`, `semiannual`, `annual`, `irregular`, `never`\n\
         \x20 --> datasets/tinh/dataset.toml:7:13\n\
         \x20 |\n\
         7 | frequency = \"hằng tháng\"\n\
         \x20 |             ^^^^^^^^^^^^\n\
         \x20  = en: unknown update frequency `hằng tháng`; use one of: `daily`, `weekly`, `monthly`, `quarterly`, \
         `semiannual`, `annual`, `irregular`, `never`\n\
         \n\
         1 lỗi, 0 cảnh báo — 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn json_format_is_the_documented_schema() {
    let repo = Repo::fixture("minimal");
    repo.edit("datasets/tinh/dataset.toml", "publisher = \"so-noi-vu\"", "publisher = \"so-y-te\"");
    let run = repo.odp(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["path"].as_str(), d["line"].as_u64(), d["column"].as_u64(), d["code"].as_str(), d["severity"].as_str()),
        (Some("datasets/tinh/dataset.toml"), Some(5), Some(13), Some("E0201"), Some("error"))
    );
    assert_eq!(
        d["message_en"],
        "unknown publisher `so-y-te` (expected content/publishers/so-y-te.md); known publishers: `so-noi-vu`"
    );
}

#[test]
fn github_format_annotates_the_file() {
    let repo = Repo::fixture("minimal");
    repo.edit("datasets/tinh/dataset.toml", "publisher = \"so-noi-vu\"", "publisher = \"so-y-te\"");
    let run = repo.odp(&["check", "--format", "github"]);
    assert_eq!(
        run.stderr,
        "::error file=datasets/tinh/dataset.toml,line=5,col=13,title=odp E0201::không có cơ quan `so-y-te` \
         (cần tệp content/publishers/so-y-te.md); các cơ quan hiện có: `so-noi-vu`%0Aunknown publisher `so-y-te` \
         (expected content/publishers/so-y-te.md); known publishers: `so-noi-vu`\n"
    );
}

#[test]
fn a_missing_portal_toml_is_an_environment_failure() {
    let repo = Repo::fixture("minimal");
    std::fs::remove_file(repo.path().join("portal.toml")).unwrap();
    let run = repo.odp(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: no `portal.toml` in "), "{}", run.stderr);
}

#[test]
fn code_list_references_must_point_somewhere() {
    let repo = Repo::fixture("minimal");
    repo.edit("datasets/dan-so/dataset.toml", "field = \"ma_tinh\"", "field = \"ma\"");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(
        run.stderr,
        "datasets/dan-so/dataset.toml:27:14: error[E0209]: tài nguyên `tinh/provinces` không có trường `ma` trong từ điển \
         dữ liệu — resource `tinh/provinces` has no field `ma` in its data dictionary\n"
    );
}

#[test]
fn metadata_quality_warnings_do_not_block_the_build() {
    let repo = Repo::fixture("minimal");
    repo.write("datasets/bao-cao/bao-cao.pdf", "%PDF-1.4 báo cáo");
    repo.write(
        "datasets/bao-cao/dataset.toml",
        "title = \"Danh mục  TỈNH\"\ndescription = \"Ngắn quá.\"\npublisher = \"so-noi-vu\"\ntheme = [\"dan-cu\"]\n\
         frequency = \"annual\"\n\n[[resources]]\nid = \"bao-cao\"\ntitle = \"Báo cáo\"\npath = \"bao-cao.pdf\"\n",
    );
    let run = repo.odp(&["build", "--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().filter(|l| l.contains("warning[")).collect::<Vec<_>>(),
        [
            "datasets/bao-cao/dataset.toml:1:1: warning[W0101]: mô tả chỉ có 9 ký tự; cần ít nhất 50 để Google Dataset \
             Search hiển thị — the description has 9 characters; Google Dataset Search needs at least 50",
            "datasets/bao-cao/dataset.toml:1:1: warning[W0103]: nên có `keywords` để người dùng tìm thấy bộ dữ liệu — \
             add `keywords` so people can find the dataset",
            "datasets/bao-cao/dataset.toml:1:1: warning[W0105]: bộ dữ liệu chỉ có tệp `PDF`; dữ liệu mở cần ít nhất \
             một định dạng máy đọc được (CSV, JSON, XML, XLSX — 000 Điều 4.4.a) — the dataset offers only `PDF`; open \
             data needs at least one machine-readable format (CSV, JSON, XML, XLSX — 000 Art. 4.4.a)",
            "datasets/tinh/dataset.toml:1:1: warning[W0106]: bộ dữ liệu `bao-cao` có cùng tiêu đề; người dùng sẽ \
             không phân biệt được — dataset `bao-cao` has the same title; people will not tell them apart",
        ]
    );
}
