//! Owns the unit tests of what spans cells: dictionary problems reported once, columns matched by name,
//! grouping (5 shown, then a count), `unique` and the primary key (in memory, spilled to disk, merged by
//! levels), and the ignored throughput test
//! (`cargo test --release --lib rows::tests_rows::throughput -- --ignored --nocapture`).

use super::tests::{DATA, DICT, NAME_POS, at, check, check_with, field, only, parts, record, schema, vn};
use super::unique::DupTracker;
use super::*;
use crate::diag::Diagnostic;
use crate::model::{At, FieldRef};

// --- the dictionary and the columns ---

#[test]
fn invalid_pattern_is_reported_once_at_the_dictionary() {
    let mut f = field("ma", FieldType::String);
    f.pattern = Some("[0-9".into());
    let mut g = field("x", FieldType::String);
    g.pattern = Some("a)|(b".into());
    let s = schema(vec![f, g]);
    let d = check(&s, &[&["1", "a"], &["2", "b"], &["3", "c"]]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DICT,
            NAME_POS,
            "E0520",
            "mẫu `[0-9` của trường `ma` không phải biểu thức chính quy hợp lệ: unclosed character class".into(),
            "pattern `[0-9` of field `ma` is not a valid regular expression: unclosed character class".into()
        )
    );
    assert_eq!(d[1].code(), "E0520");
}

#[test]
fn dictionary_values_of_the_wrong_type() {
    let mut n = field("n", FieldType::Integer);
    n.enum_values = vec!["1".into(), "một".into()];
    n.maximum = Some(Bound::Date("2025-01-01".into()));
    let mut t = field("t", FieldType::String);
    t.minimum = Some(Bound::Number(1.0));
    let mut d = field("d", FieldType::Date);
    d.format = Some("%d/%q/%Y".into());
    let mut s = schema(vec![n, t, d]);
    s.decimal_char = Some(",".into());
    s.group_char = Some(",".into());
    let diags = check(&s, &[&["x", "y", "z"], &["2", "", "1/1/2025"]]);
    let got: Vec<_> = diags.iter().map(parts).collect();
    assert_eq!(
        got,
        vec![
            (
                DICT,
                Pos::FILE,
                "E0523",
                "`decimal_char` = \",\" và `group_char` = \",\" phải là hai ký tự đơn khác nhau, không phải chữ số"
                    .into(),
                "`decimal_char` = \",\" and `group_char` = \",\" must be two different single characters, not digits"
                    .into()
            ),
            (
                DICT,
                NAME_POS,
                "E0313",
                "`minimum` không áp dụng cho trường kiểu `string`".into(),
                "`minimum` does not apply to a field of type `string`".into()
            ),
            (
                DICT,
                NAME_POS,
                "E0522",
                "định dạng `%d/%q/%Y` của trường `d` không hợp lệ; dùng các mã %d %m %Y %y %H %M %S %f %z và phải có \
                 năm, ví dụ `%d/%m/%Y`"
                    .into(),
                "format `%d/%q/%Y` of field `d` is not valid; use the codes %d %m %Y %y %H %M %S %f %z with a year, \
                 e.g. `%d/%m/%Y`"
                    .into()
            ),
        ]
    );
    // With a usable number format, the integer's bad `enum` item and `maximum` are reported instead.
    s.group_char = None;
    let diags = check(&s, &[&["x", "y", "z"]]);
    let got: Vec<_> = diags.iter().filter(|d| d.code() == "E0521").map(parts).collect();
    assert_eq!(
        got,
        vec![
            (
                DICT,
                NAME_POS,
                "E0521",
                "`enum` = \"một\" của trường `n` không phải giá trị kiểu `integer` hợp lệ".into(),
                "`enum` = \"một\" of field `n` is not a valid `integer` value".into()
            ),
            (
                DICT,
                NAME_POS,
                "E0521",
                "`maximum` = \"2025-01-01\" của trường `n` không phải giá trị kiểu `integer` hợp lệ".into(),
                "`maximum` = \"2025-01-01\" of field `n` is not a valid `integer` value".into()
            ),
        ]
    );
    // …and the row's "x" is still a type error.
    assert!(diags.iter().any(|d| d.code() == "E0501" && d.pos == at(2, 1)));
}

#[test]
fn columns_are_matched_by_name_and_placed_by_file_order() {
    // The file has the dictionary's columns in another order, one undeclared column, and lacks `thieu`.
    let s = schema(vec![
        field("a", FieldType::Integer),
        field("thieu", FieldType::Integer),
        field("b", FieldType::Integer),
    ]);
    let header = vec!["b".to_string(), "ghi_chu".to_string(), "a".to_string()];
    let codes = CodeLists::new();
    let mut c = RowChecker::new(&s, &header, &codes, DATA, false);
    c.check_row(2, &record(&["x", "note", "1"]));
    c.check_row(3, &record(&["2", "note", "y"]));
    let mut diags = Diagnostics::new();
    let stats = c.finish(&mut diags);
    let d = diags.sorted();
    assert_eq!(stats, RowStats { rows: 2, problems: 2 });
    assert_eq!((d[0].pos, d[0].msg.en()), (at(2, 1), "value \"x\" in column `b` is not an integer".to_string()));
    assert_eq!((d[1].pos, d[1].msg.en()), (at(3, 3), "value \"y\" in column `a` is not an integer".to_string()));
}

// --- grouping ---

#[test]
fn a_hundred_bad_rows_give_five_and_a_count() {
    let s = schema(vec![field("ma", FieldType::String), field("dan_so", FieldType::Integer)]);
    let rows: Vec<Vec<String>> = (0..100).map(|i| vec![format!("{i}"), format!("n/a {i}")]).collect();
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let d = check(&s, &rows);
    assert_eq!(d.len(), 6, "{d:#?}");
    for (i, diag) in d.iter().take(5).enumerate() {
        assert_eq!((diag.code(), diag.pos), ("E0501", at(i as u32 + 2, 2)));
        assert_eq!(diag.msg.en(), format!("value \"n/a {i}\" in column `dan_so` is not an integer"));
    }
    assert_eq!(
        parts(&d[5]),
        (
            DATA,
            at(7, 2),
            "E0599",
            "… và 95 dòng khác có cùng lỗi (E0501) ở cột `dan_so`".into(),
            "… and 95 more rows with the same problem (E0501) in column `dan_so`".into()
        )
    );
}

#[test]
fn groups_are_per_column_and_kind() {
    let mut a = field("a", FieldType::Integer);
    a.required = true;
    let s = schema(vec![a, field("b", FieldType::Integer)]);
    let rows: Vec<[&str; 2]> = (0..20).map(|i| if i % 2 == 0 { ["", "x"] } else { ["x", "x"] }).collect();
    let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
    let d = check(&s, &rows);
    let codes: Vec<(&str, u32)> = d.iter().map(|d| (d.code(), d.pos.col)).collect();
    let count = |code: &str, col: u32| codes.iter().filter(|c| **c == (code, col)).count();
    assert_eq!(
        (count("E0502", 1), count("E0501", 1), count("E0501", 2), count("E0599", 1), count("E0599", 2)),
        (5, 5, 5, 2, 1)
    );
    let summaries: Vec<String> = d.iter().filter(|d| d.code() == "E0599").map(|d| d.msg.en()).collect();
    assert!(summaries.contains(&"… and 5 more rows with the same problem (E0502) in column `a`".to_string()));
    assert!(summaries.contains(&"… and 15 more rows with the same problem (E0501) in column `b`".to_string()));
}

#[test]
fn summary_counts_are_grouped_by_language() {
    let m = Msg::MoreRows { columns: vec!["x".into()], count: 12_345, code: "E0501".into() };
    assert_eq!(m.vi(), "… và 12.345 dòng khác có cùng lỗi (E0501) ở cột `x`");
    assert_eq!(m.en(), "… and 12,345 more rows with the same problem (E0501) in column `x`");
    let m = Msg::MoreRows { columns: vec!["a".into(), "b".into()], count: 1, code: "E0509".into() };
    assert_eq!(m.vi(), "… và 1 dòng khác có cùng lỗi (E0509) ở các cột `a`, `b`");
    assert_eq!(m.en(), "… and 1 more row with the same problem (E0509) in columns `a`, `b`");
    let m = Msg::MoreRows { columns: vec!["x".into()], count: 1_234_567, code: "E0501".into() };
    assert!(m.vi().contains(" 1.234.567 ") && m.en().contains(" 1,234,567 "));
}

// --- unique and primary key ---

#[test]
fn unique_reports_the_first_occurrence() {
    let mut f = field("ma", FieldType::String);
    f.unique = true;
    let s = schema(vec![f]);
    let d = check(&s, &[&["01"], &["02"], &["01"], &[""], &[""], &["01"]]);
    let got: Vec<_> = d.iter().map(parts).collect();
    assert_eq!(
        got,
        vec![
            (
                DATA,
                at(4, 1),
                "E0508",
                "giá trị \"01\" ở cột `ma` trùng với dòng 2; cột này không được có giá trị trùng nhau".into(),
                "value \"01\" in column `ma` duplicates line 2; the column's values must be unique".into()
            ),
            (
                DATA,
                at(7, 1),
                "E0508",
                "giá trị \"01\" ở cột `ma` trùng với dòng 2; cột này không được có giá trị trùng nhau".into(),
                "value \"01\" in column `ma` duplicates line 2; the column's values must be unique".into()
            ),
        ]
    );
}

#[test]
fn unique_compares_typed_values() {
    let mut f = field("x", FieldType::Number);
    f.unique = true;
    let s = vn(schema(vec![f]));
    let d = check(&s, &[&["1"], &["1,0"], &["1.000"], &["1.000,00"]]);
    let lines: Vec<u32> = d.iter().map(|d| d.pos.line).collect();
    assert_eq!(lines, vec![3, 5], "{d:#?}");
}

#[test]
fn composite_primary_key() {
    let mut s = schema(vec![
        field("ma_tinh", FieldType::String),
        field("nam", FieldType::Year),
        field("v", FieldType::Integer),
    ]);
    s.primary_key = vec![At::new("ma_tinh".into(), NAME_POS), At::new("nam".into(), NAME_POS)];
    let rows: &[&[&str]] =
        &[&["01", "2024", "1"], &["01", "2025", "2"], &["04", "2025", "3"], &["01", "2025", "4"], &["", "2025", "5"]];
    let d = check(&s, rows);
    let got: Vec<_> = d.iter().map(parts).collect();
    assert_eq!(
        got,
        vec![
            (
                DATA,
                at(5, 1),
                "E0509",
                "khóa chính (`ma_tinh`, `nam`) = (\"01\", \"2025\") trùng với dòng 3".into(),
                "primary key (`ma_tinh`, `nam`) = (\"01\", \"2025\") duplicates line 3".into()
            ),
            (
                DATA,
                at(6, 1),
                "E0502",
                "thiếu giá trị ở cột bắt buộc `ma_tinh`".into(),
                "missing value in required column `ma_tinh`".into()
            ),
        ]
    );
}

#[test]
fn a_unique_single_column_key_is_reported_once() {
    let mut f = field("ma", FieldType::String);
    f.unique = true;
    let mut s = schema(vec![f]);
    s.primary_key = vec![At::new("ma".into(), NAME_POS)];
    let d = check(&s, &[&["01"], &["01"]]);
    assert_eq!(only(&d).2, "E0508");
    // Without `unique`, the key reports it.
    s.fields[0].unique = false;
    let d = check(&s, &[&["01"], &["01"]]);
    assert_eq!(only(&d).4, "primary key (`ma`) = (\"01\") duplicates line 2");
}

/// A tiny memory budget (an 8-slot table, then runs of 16 entries, merged by 16 into level-1 and level-2 runs)
/// must find exactly the duplicates a brute-force search finds, each with the earliest line of its value.
#[test]
fn unique_and_key_spill_to_disk_and_merge() {
    let mut f = field("ma", FieldType::Integer);
    f.unique = true;
    let mut s = schema(vec![f, field("k1", FieldType::String), field("k2", FieldType::Integer)]);
    s.primary_key = vec![At::new("k1".into(), NAME_POS), At::new("k2".into(), NAME_POS)];
    // 5,000 rows; values repeat at scattered distances, so duplicates fall in the same run, in different
    // runs, and across compactions.
    let rows: Vec<[String; 3]> = (0..5000u64)
        .map(|i| {
            let v = (i * 7919) % 3001;
            [v.to_string(), format!("k{}", v % 37), (v / 37).to_string()]
        })
        .collect();
    let mut expected: Vec<(u32, u64)> = Vec::new();
    let mut first = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i as u64 + 2;
        if let Some(&f) = first.get(&r[0]) {
            expected.push((line as u32, f));
        } else {
            first.insert(r[0].clone(), line);
        }
    }
    assert!(expected.len() > 1500);
    let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let rows: Vec<&[&str]> = cells.iter().map(Vec::as_slice).collect();
    for memory in [0, 10_000, DEFAULT_UNIQUE_MEMORY] {
        let d = check_with(&s, &rows, &CodeLists::new(), false, memory);
        let unique: Vec<&Diagnostic> = d.iter().filter(|d| d.code() == "E0508").collect();
        let key: Vec<&Diagnostic> = d.iter().filter(|d| d.code() == "E0509").collect();
        assert_eq!((unique.len(), key.len()), (5, 5), "{memory}: {d:#?}");
        for (diag, (line, first)) in unique.iter().zip(&expected) {
            assert_eq!(diag.pos, at(*line, 1));
            match &diag.msg {
                Msg::CellDuplicate { first_line, .. } => assert_eq!(first_line, first, "{memory}"),
                m => panic!("{m:?}"),
            }
        }
        for (diag, (line, first)) in key.iter().zip(&expected) {
            assert_eq!(diag.pos, at(*line, 2));
            assert!(diag.msg.en().ends_with(&format!("duplicates line {first}")), "{}", diag.msg.en());
        }
        let more: Vec<&Diagnostic> = d.iter().filter(|d| d.code() == "E0599").collect();
        let count = (expected.len() - 5) as u64;
        assert_eq!(more.len(), 2);
        for m in more {
            assert!(matches!(&m.msg, Msg::MoreRows { count: c, .. } if *c == count), "{m:?}");
            assert_eq!(m.pos.line, expected[5].0);
        }
    }
    // With the small budget, duplicates found after spilling are reported without the value.
    let d = check_with(&s, &rows, &CodeLists::new(), false, 0);
    let texts: Vec<String> = d.iter().filter(|d| d.code() == "E0508").map(|d| d.msg.en()).collect();
    assert!(texts.iter().any(|t| t.starts_with("the value in column `ma` duplicates line ")), "{texts:#?}");
}

#[test]
fn tracker_merges_runs_by_level_and_reports_against_the_first_line() {
    let mut t = DupTracker::new(0);
    let mut found = Vec::new();
    // 5,000 values, each seen twice: at line v and at line 10,000 + v.
    for line in 1..=10_000u64 {
        let v = if line > 5_000 { line - 5_000 } else { line };
        if let Some(first) = t.insert(u128::from(v).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835), line) {
            found.push((line, first));
        }
    }
    // 16-entry runs: 16 level-0 runs make a level-1 run, 16 of those a level-2 run.
    assert_eq!(t.levels().first(), Some(&2), "{:?}", t.levels());
    assert!(t.levels().len() < 3 * 16);
    t.finish(&mut |line, first| found.push((line, first)));
    found.sort_unstable();
    let expected: Vec<(u64, u64)> = (5_001..=10_000).map(|l| (l, l - 5_000)).collect();
    assert_eq!(found, expected);
}

#[test]
fn tracker_budget_sizes() {
    assert_eq!(unique::slots_for(0), 8);
    // The old and the new table side by side while growing: 1.5 × 24 bytes a slot.
    assert_eq!(unique::slots_for(64 << 20), 1 << 20);
    assert_eq!(unique::slots_for(96 << 20), 1 << 21);
}

// --- throughput ---

/// Figures for the report: a CSV of 10M rows (about 1 GB) for a 10-field dictionary with a code-list
/// reference, Vietnamese numbers and dates, a unique column and a composite primary key; the last row repeats
/// an early one, so the duplicate must be found through the spilled runs. Read twice with the csv crate:
/// parsing alone, then parsing and checking. Release mode:
/// `cargo test --release --lib rows::tests_rows::throughput -- --ignored --nocapture` (ROWS=… and MEMORY_MB=… change
/// the row count and the checker's memory for unique values).
#[test]
#[ignore]
fn throughput() {
    use std::io::Write as _;
    let rows: u64 = std::env::var("ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(10_000_000);
    let target = FieldRef { dataset: "tinh".into(), resource: "provinces".into(), field: "code".into() };
    let mut id = field("id", FieldType::Integer);
    id.unique = true;
    id.required = true;
    let mut ma = field("ma_tinh", FieldType::String);
    ma.pattern = Some("[0-9]{2}".into());
    ma.references = Some(At::new(target.clone(), NAME_POS));
    let mut ten = field("ten", FieldType::String);
    ten.required = true;
    let mut dan_so = field("dan_so", FieldType::Integer);
    dan_so.minimum = Some(Bound::Number(0.0));
    let dien_tich = field("dien_tich", FieldType::Number);
    let mut ngay = field("ngay", FieldType::Date);
    ngay.format = Some("%d/%m/%Y".into());
    let mut nam = field("nam", FieldType::Year);
    nam.minimum = Some(Bound::Number(2000.0));
    nam.maximum = Some(Bound::Number(2030.0));
    let co = field("co", FieldType::Boolean);
    let toa_do = field("toa_do", FieldType::Geopoint);
    let mut loai = field("loai", FieldType::String);
    loai.enum_values = vec!["Phường".into(), "Xã".into(), "Đặc khu".into()];
    let mut s = vn(schema(vec![id, ma, ten, dan_so, dien_tich, ngay, nam, co, toa_do, loai]));
    s.primary_key = vec![At::new("ma_tinh".into(), NAME_POS), At::new("id".into(), NAME_POS)];
    let mut codes = CodeLists::new();
    codes.insert(&target, (1..=96).map(|i| format!("{i:02}")).collect());
    let header: Vec<String> = s.fields.iter().map(|f| f.name.value.clone()).collect();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(w, "{}", header.join(",")).unwrap();
    for n in 0..rows {
        let i = if n + 1 == rows { 5 } else { n };
        writeln!(
            w,
            "{i},{:02},Phường Nguyễn Trãi {},{}.{:03},\"{},{:02}\",{}/{}/20{:02},20{:02},{},\"105.{:04}, 21.{:04}\",{}",
            1 + i % 34,
            i % 1000,
            1 + i % 900,
            i % 1000,
            i % 1000,
            i % 100,
            1 + i % 28,
            1 + i % 12,
            i % 26,
            i % 26,
            if i % 2 == 0 { "có" } else { "không" },
            i % 10_000,
            (i * 7) % 10_000,
            ["Phường", "Xã", "Đặc khu"][(i % 3) as usize]
        )
        .unwrap();
    }
    drop(w);
    let bytes = std::fs::metadata(&path).unwrap().len() as f64;
    let reader = || csv::ReaderBuilder::new().from_path(&path).unwrap();

    let t0 = std::time::Instant::now();
    let mut csv = reader();
    let mut record = csv::StringRecord::new();
    let mut n = 0u64;
    while csv.read_record(&mut record).unwrap() {
        n += record.len() as u64;
    }
    let parse = t0.elapsed().as_secs_f64();
    assert_eq!(n, rows * 10);

    let t0 = std::time::Instant::now();
    let mut csv = reader();
    let memory =
        std::env::var("MEMORY_MB").ok().and_then(|m| m.parse().ok()).map_or(DEFAULT_UNIQUE_MEMORY, |m: usize| m << 20);
    let mut checker = RowChecker::new(&s, &header, &codes, DATA, false).with_unique_memory(memory);
    while csv.read_record(&mut record).unwrap() {
        let line = record.position().map_or(0, |p| p.line());
        checker.check_row(line, &record);
    }
    let mut diags = Diagnostics::new();
    let stats = checker.finish(&mut diags);
    let total = t0.elapsed().as_secs_f64();
    let check = total - parse;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM")).unwrap_or("VmHWM: ?").split_whitespace().nth(1);
    let mb = bytes / 1e6;
    eprintln!(
        "{rows} rows, {mb:.0} MB: csv parsing {parse:.2} s; parsing + checks {total:.2} s = {:.2} M rows/s, \
         {:.0} MB/s; checks alone {check:.2} s = {:.2} M rows/s, {:.0} MB/s; peak RSS {} kB",
        rows as f64 / total / 1e6,
        mb / total,
        rows as f64 / check / 1e6,
        mb / check,
        hwm.unwrap_or("?")
    );
    let d = diags.sorted();
    let codes: Vec<(&str, u32)> = d.iter().map(|d| (d.code(), d.pos.line)).collect();
    let last = rows as u32 + 1;
    assert_eq!(codes, vec![("E0508", last), ("E0509", last)], "{d:#?}");
    assert!(d.iter().all(|d| d.msg.en().contains(" duplicates line 7")), "{d:#?}");
    assert_eq!(stats, RowStats { rows, problems: 2 });
}
