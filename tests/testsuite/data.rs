//! Data files as they really arrive (issue 3 §2–3): every encoding of one table publishes the
//! same UTF-8 NFC bytes or is refused with a message naming the problem; personal data blocks
//! the build unless the column is declared public with a reason.

use crate::harness::{Repo, manifest_dir};

const PROVINCES_DICT: &str = r#"
[resources.schema]
primary_key = ["province_code"]
[[resources.schema.fields]]
name = "province_code"
title = "Mã tỉnh"
type = "string"
[[resources.schema.fields]]
name = "name"
title = "Tên"
type = "string"
[[resources.schema.fields]]
name = "short_name"
title = "Tên ngắn"
type = "string"
[[resources.schema.fields]]
name = "lat"
title = "Vĩ độ"
type = "number"
[[resources.schema.fields]]
name = "lon"
title = "Kinh độ"
type = "number"
"#;

/// Adds dataset `id` with one CSV resource `data` holding `bytes`, described by `dict`.
fn add_dataset(repo: &Repo, id: &str, bytes: &[u8], dict: &str) {
    let dir = repo.path().join("datasets").join(id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("data.csv"), bytes).unwrap();
    repo.write(
        &format!("datasets/{id}/dataset.toml"),
        &format!(
            "title = \"Bộ dữ liệu {id}\"\n\
             description = \"Bộ dữ liệu dùng để kiểm thử cách odp đọc các tệp dữ liệu như chúng thực sự được gửi tới.\"\n\
             publisher = \"so-noi-vu\"\ntheme = [\"dan-cu\"]\nfrequency = \"annual\"\nkeywords = [\"kiểm thử\"]\n\n\
             [[resources]]\nid = \"data\"\ntitle = \"Dữ liệu\"\npath = \"data.csv\"\n{dict}"
        ),
    );
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(manifest_dir().join("tests/fixtures").join(name)).unwrap()
}

#[test]
fn every_encoding_of_the_provinces_table_publishes_the_same_utf8_nfc_bytes() {
    let original = fixture("encodings/provinces-2025.utf8.csv");
    let repo = Repo::fixture("minimal");
    let encodings = ["utf8", "utf8-bom", "utf16le", "utf16be", "cp1258", "tcvn3", "viscii", "vni"];
    for enc in encodings {
        add_dataset(
            &repo,
            &format!("tinh-{enc}"),
            &fixture(&format!("encodings/provinces-2025.{enc}.csv")),
            PROVINCES_DICT,
        );
    }
    let run = repo.odp(&["build", "--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The legacy encodings are converted, and the agency is told to save UTF-8 next time.
    for (enc, name) in [
        ("utf16le", "UTF-16 LE (Excel “Unicode Text”)"),
        ("cp1258", "Windows-1258 (CP1258)"),
        ("tcvn3", "TCVN3 (ABC, .VnTime)"),
        ("viscii", "VISCII"),
        ("vni", "VNI-Windows"),
    ] {
        let line = format!("datasets/tinh-{enc}/data.csv: warning[W0401]: tệp dùng bảng mã {name};");
        assert!(run.stderr.contains(&line), "missing {line}\n{}", run.stderr);
    }
    let tree = repo.tree("site");
    for enc in encodings {
        let published = std::fs::read(repo.path().join(format!("site/datasets/tinh-{enc}/data.csv"))).unwrap();
        assert!(published == original, "{enc}: published bytes differ from the UTF-8 original");
        let dp: serde_json::Value =
            serde_json::from_str(&repo.read(&format!("site/datasets/tinh-{enc}/datapackage.json"))).unwrap();
        assert_eq!(dp["resources"][0]["hash"], format!("sha256:{}", tree[&format!("datasets/tinh-{enc}/data.csv")]));
        assert_eq!(dp["resources"][0]["bytes"], original.len());
    }
}

#[test]
fn files_that_lost_their_letters_are_refused_with_the_reason() {
    let repo = Repo::fixture("minimal");
    for (id, file) in [
        ("lossy", "provinces-2025.cp1252-lossy.csv"),
        ("mojibake", "provinces-2025.mojibake.csv"),
        ("font", "provinces-2025.tcvn3-font-in-utf8.csv"),
    ] {
        add_dataset(&repo, id, &fixture(&format!("encodings/{file}")), PROVINCES_DICT);
    }
    let run = repo.odp(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("datasets/font/data.csv".to_string(), "E0407".to_string()),
            ("datasets/lossy/data.csv".to_string(), "E0405".to_string()),
            ("datasets/mojibake/data.csv".to_string(), "E0406".to_string()),
        ]
    );
    let font = &v["diagnostics"][0];
    assert_eq!(
        font["message_en"],
        "the text was typed with a TCVN3 (ABC, .VnTime) font (line 2: “Thµnh phè Hµ Néi”). Convert it with Unikey's \
         converter (source TCVN3 (ABC, .VnTime), destination Unicode), then save as \"CSV UTF-8\""
    );
}

#[test]
fn a_table_of_citizens_is_blocked() {
    let repo = Repo::fixture("minimal");
    let dict = r#"
[resources.schema]
[[resources.schema.fields]]
name = "ho_ten"
title = "Họ và tên"
type = "string"
[[resources.schema.fields]]
name = "so_cccd"
title = "Số CCCD"
type = "string"
[[resources.schema.fields]]
name = "so_dien_thoai"
title = "Số điện thoại"
type = "string"
[[resources.schema.fields]]
name = "email"
title = "Thư điện tử"
type = "string"
[[resources.schema.fields]]
name = "ngay_sinh"
title = "Ngày sinh"
type = "date"
format = "%d/%m/%Y"
"#;
    add_dataset(&repo, "cong-dan", &fixture("privacy/citizens.csv"), dict);
    let before = repo.tree("site");
    let run = repo.odp(&["build", "--format", "json"]);
    assert_eq!(run.code, 1, "personal data must block the build");
    assert_eq!(repo.tree("site"), before);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let columns: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E0410")
        .map(|d| d["message_en"].as_str().unwrap().split('`').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(columns, ["ho_ten", "so_cccd", "so_dien_thoai", "email", "ngay_sinh"]);
}

#[test]
fn enterprises_with_tax_codes_declared_public_are_published_and_the_reason_shown() {
    let repo = Repo::fixture("minimal");
    let dict = |reason: &str| {
        format!(
            r#"
[resources.schema]
primary_key = ["ma_so_thue"]
[[resources.schema.fields]]
name = "ma_so_thue"
title = "Mã số thuế"
type = "string"
{reason}
[[resources.schema.fields]]
name = "ten_doanh_nghiep"
title = "Tên doanh nghiệp"
type = "string"
[[resources.schema.fields]]
name = "duong_day_nong"
title = "Đường dây nóng"
type = "string"
[[resources.schema.fields]]
name = "email_lien_he"
title = "Thư điện tử liên hệ"
type = "string"
"#
        )
    };
    add_dataset(&repo, "doanh-nghiep", &fixture("privacy/enterprises.csv"), &dict(""));
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("datasets/doanh-nghiep/data.csv:2:1: error[E0411]: cột `ma_so_thue` chứa "),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "only the tax codes: hotlines and agency e-mails are public\n{}",
        run.stderr
    );

    let reason = "Mã số thuế doanh nghiệp là thông tin đăng ký kinh doanh công khai";
    add_dataset(
        &repo,
        "doanh-nghiep",
        &fixture("privacy/enterprises.csv"),
        &dict(&format!("public_reason = \"{reason}\"")),
    );
    let run = repo.odp(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = repo.read("site/datasets/doanh-nghiep/index.html");
    assert!(
        page.contains(&format!("<code>ma_so_thue</code> (mã số thuế doanh nghiệp): {reason}")),
        "the page shows the declared column"
    );
}

#[test]
fn rows_are_checked_against_the_dictionary_and_the_code_list() {
    let repo = Repo::fixture("minimal");
    repo.write("datasets/dan-so/dan_so.csv", "ma_tinh,dan_so\n01,8587100\n99,1160200\n79,-5\n79,abc\n");
    let before = repo.tree("site");
    let run = repo.odp(&["build", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(repo.tree("site"), before);
    assert_eq!(
        run.stderr,
        "datasets/dan-so/dan_so.csv:3:1: error[E0507]: mã \"99\" ở cột `ma_tinh` không có trong danh mục \
         `tinh/provinces.ma_tinh` — code \"99\" in column `ma_tinh` is not in the code list `tinh/provinces.ma_tinh`\n\
         datasets/dan-so/dan_so.csv:4:2: error[E0504]: giá trị \"-5\" ở cột `dan_so` nhỏ hơn giá trị tối thiểu 0 — \
         value \"-5\" in column `dan_so` is less than the minimum 0\n\
         datasets/dan-so/dan_so.csv:5:1: error[E0509]: khóa chính (`ma_tinh`) = (\"79\") trùng với dòng 4 — primary \
         key (`ma_tinh`) = (\"79\") duplicates line 4\n\
         datasets/dan-so/dan_so.csv:5:2: error[E0501]: giá trị \"abc\" ở cột `dan_so` không phải số nguyên — value \
         \"abc\" in column `dan_so` is not an integer\n\
         Không ghi gì vào site vì có lỗi — nothing was written to site because of errors\n"
    );
}

#[test]
fn a_json_table_with_a_dictionary_is_checked_like_a_csv() {
    let repo = Repo::fixture("minimal");
    repo.write(
        "datasets/dan-so/dan_so.json",
        "[\n  {\"ma_tinh\": \"01\", \"dan_so\": 8587100},\n  {\"ma_tinh\": \"02\", \"dan_so\": 12.5}\n]\n",
    );
    repo.edit("datasets/dan-so/dataset.toml", "path = \"dan_so.csv\"", "path = \"dan_so.json\"");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 1);
    let codes: Vec<&str> = run.stderr.lines().map(|l| l.split(": ").nth(1).unwrap_or("")).collect();
    assert_eq!(codes, ["error[E0507]", "error[E0501]"], "{}", run.stderr);
    assert!(run.stderr.starts_with("datasets/dan-so/dan_so.json:3:"), "{}", run.stderr);
}
