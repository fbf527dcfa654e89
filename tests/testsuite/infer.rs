//! `odp infer`: the proposed `[[resources]]` block for a Vietnamese CSV (decimal commas, grouped
//! thousands, dd/mm/yyyy dates, a province-code column of the fixture's code list), exactly; and
//! the proposal pasted into a dataset passes `odp check`.

use crate::harness::{ODP, Repo, manifest_dir};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(manifest_dir().join("tests/fixtures/infer").join(name)).unwrap()
}

const EXPECTED: &str = r#"# odp infer — datasets/co-so-y-te/co-so-y-te.csv: 5 dòng — rows; UTF-8; dấu phân cách — delimiter ","
# Đề xuất cần xem lại: điền các chỗ TODO, thêm title_en, description, unit rồi dán vào dataset.toml
# — a proposal to review: fill in the TODOs, add title_en, description, unit, then paste it into
# dataset.toml
[[resources]]
id = "co-so"
title = "co-so-y-te"  # TODO: tên tiếng Việt — the Vietnamese title
path = "co-so-y-te.csv"

[resources.schema]
primary_key = ["ma_co_so"]
decimal_char = ","
group_char = "."

[[resources.schema.fields]]
name = "ma_co_so"
title = "ma_co_so"  # TODO: nhãn tiếng Việt — the Vietnamese label
# mã có số 0 ở đầu: giữ kiểu string — codes with leading zeros stay strings
type = "string"
required = true
unique = true

[[resources.schema.fields]]
name = "ten_co_so"
title = "ten_co_so"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "string"
required = true
unique = true

[[resources.schema.fields]]
name = "ma_tinh"
title = "Mã tỉnh"
# mã có số 0 ở đầu: giữ kiểu string — codes with leading zeros stay strings
type = "string"
required = true
references = { dataset = "tinh", resource = "provinces", field = "ma_tinh" }
# 3/3 giá trị khác nhau có trong danh mục (3 mã) — 3 of 3 distinct values are in the code list (3 codes)

[[resources.schema.fields]]
name = "so_giuong"
title = "so_giuong"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "integer"
# unit = ""  # TODO: đơn vị tính — unit of measure

[[resources.schema.fields]]
name = "dien_tich_m2"
title = "dien_tich_m2"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "number"
required = true
# unit = ""  # TODO: đơn vị tính — unit of measure

[[resources.schema.fields]]
name = "ngay_cap_phep"
title = "ngay_cap_phep"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "date"
format = "%d/%m/%Y"
required = true

[[resources.schema.fields]]
name = "nam_thanh_lap"
title = "nam_thanh_lap"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "year"
required = true

[[resources.schema.fields]]
name = "con_hoat_dong"
title = "con_hoat_dong"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "boolean"
required = true

[[resources.schema.fields]]
name = "Ghi chú"
title = "Ghi chú"
type = "string"
"#;

/// Metadata of a dataset whose resource is whatever `odp infer` proposed.
const METADATA: &str = r#"title = "Cơ sở y tế"
description = "Danh sách cơ sở khám bệnh, chữa bệnh dùng để kiểm thử lệnh odp infer trên một tệp CSV kiểu Việt Nam."
publisher = "so-noi-vu"
theme = ["dan-cu"]
frequency = "quarterly"
keywords = ["y tế"]

"#;

#[test]
fn proposes_types_formats_key_and_code_list_for_a_vietnamese_csv() {
    let repo = Repo::fixture("minimal");
    repo.write("datasets/co-so-y-te/co-so-y-te.csv", &fixture("co-so-y-te.csv"));
    let run = repo.odp(&["infer", "datasets/co-so-y-te/co-so-y-te.csv", "--resource-id", "co-so"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, EXPECTED);

    // Pasted as is (TODOs are comments), the proposal is a valid dictionary of the file.
    repo.write("datasets/co-so-y-te/dataset.toml", &format!("{METADATA}{}", run.stdout));
    let check = repo.odp(&["check", "--format", "short"]);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
}

#[test]
fn a_file_outside_the_portal_gets_no_references() {
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("Số liệu; 2024.txt");
    std::fs::write(&file, "ma_tinh;dan_so;ty_le\n01;8.587.100;1,5\n79;9.521.000;2,25\n").unwrap();
    let path = file.to_str().unwrap();
    // `--root` is a folder without portal.toml: no code lists to match.
    let out = std::process::Command::new(ODP).arg("--root").arg(outside.path()).args(["infer", path]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with("note: không đọc được Cổng ở"), "{stderr}");
    let expected = String::from(
        r#"# odp infer — Số liệu; 2024.txt: 2 dòng — rows; UTF-8; dấu phân cách — delimiter ";"
# Đề xuất cần xem lại: điền các chỗ TODO, thêm title_en, description, unit rồi dán vào dataset.toml
# — a proposal to review: fill in the TODOs, add title_en, description, unit, then paste it into
# dataset.toml
[[resources]]
id = "so-lieu-2024"
title = "Số liệu; 2024"  # TODO: tên tiếng Việt — the Vietnamese title
# chép tệp vào thư mục datasets/<mã>/ của tập dữ liệu — copy the file into the dataset folder
path = "Số liệu; 2024.txt"
format = "CSV"

[resources.schema]
primary_key = ["ma_tinh"]
decimal_char = ","
group_char = "."

[[resources.schema.fields]]
name = "ma_tinh"
title = "ma_tinh"  # TODO: nhãn tiếng Việt — the Vietnamese label
# mã có số 0 ở đầu: giữ kiểu string — codes with leading zeros stay strings
type = "string"
required = true
unique = true

[[resources.schema.fields]]
name = "dan_so"
title = "dan_so"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "integer"
required = true
# unit = ""  # TODO: đơn vị tính — unit of measure

[[resources.schema.fields]]
name = "ty_le"
title = "ty_le"  # TODO: nhãn tiếng Việt — the Vietnamese label
type = "number"
required = true
# unit = ""  # TODO: đơn vị tính — unit of measure
"#,
    );
    assert_eq!(stdout, expected);
}

#[test]
fn unreadable_tables_and_bad_arguments() {
    let repo = Repo::fixture("minimal");
    repo.write("datasets/tinh/rong.csv", "");
    let run = repo.odp(&["infer", "datasets/tinh/rong.csv"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: datasets/tinh/rong.csv: tệp rỗng (không có dòng tiêu đề) — the file is empty (no header row)\n"
    );
    assert_eq!(run.stdout, "");

    let run = repo.odp(&["infer", "datasets/tinh/khong-co.csv"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: không tìm thấy tệp `datasets/tinh/khong-co.csv` — file `datasets/tinh/khong-co.csv` not found\n"
    );

    let run = repo.odp(&["infer", "datasets/tinh/tinh.csv", "--resource-id", "Tỉnh"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: mã tài nguyên `Tỉnh` không hợp lệ"), "{}", run.stderr);
}
