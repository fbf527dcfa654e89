//! Owns the unit tests of cell rules: one fixture per type and constraint with its exact texts (vi and en) and
//! position, Vietnamese numbers and dates, code lists; and the helpers that `tests_rows.rs` (dictionary problems,
//! columns, grouping, unique / primary key, throughput) shares.

use super::*;
use crate::diag::Diagnostic;
use crate::model::{At, FieldRef, Text};
use time::macros::{date, datetime, offset};

pub(super) const DATA: &str = "datasets/d/data.csv";
pub(super) const DICT: &str = "datasets/d/dataset.toml";
pub(super) const NAME_POS: Pos = Pos { line: 10, col: 8, len: 5 };

pub(super) fn field(name: &str, ty: FieldType) -> Field {
    Field {
        name: At::new(name.to_string(), NAME_POS),
        title: Text::new(name, None),
        description: None,
        ty,
        format: None,
        unit: None,
        required: false,
        unique: false,
        enum_values: Vec::new(),
        minimum: None,
        maximum: None,
        pattern: None,
        references: None,
        public_reason: None,
    }
}

pub(super) fn schema(fields: Vec<Field>) -> Schema {
    Schema { fields, primary_key: Vec::new(), decimal_char: None, group_char: None, source: DICT.to_string() }
}

pub(super) fn vn(mut s: Schema) -> Schema {
    s.decimal_char = Some(",".into());
    s.group_char = Some(".".into());
    s
}

pub(super) fn record(cells: &[&str]) -> csv::StringRecord {
    csv::StringRecord::from(cells.to_vec())
}

/// Checks `rows` (lines 2, 3, …) with the dictionary's field names as header.
pub(super) fn check(schema: &Schema, rows: &[&[&str]]) -> Vec<Diagnostic> {
    check_with(schema, rows, &CodeLists::new(), false, DEFAULT_UNIQUE_MEMORY)
}

pub(super) fn check_with(
    schema: &Schema,
    rows: &[&[&str]],
    codes: &CodeLists,
    canonical: bool,
    memory: usize,
) -> Vec<Diagnostic> {
    let header: Vec<String> = schema.fields.iter().map(|f| f.name.value.clone()).collect();
    let mut checker = RowChecker::new(schema, &header, codes, DATA, canonical).with_unique_memory(memory);
    for (i, row) in rows.iter().enumerate() {
        checker.check_row(i as u64 + 2, &record(row));
    }
    let mut diags = Diagnostics::new();
    checker.finish(&mut diags);
    diags.sorted()
}

/// (path, pos, code, vi, en) of one diagnostic.
pub(super) fn parts(d: &Diagnostic) -> (&str, Pos, &str, String, String) {
    (d.path.as_str(), d.pos, d.code(), d.msg.vi(), d.msg.en())
}

pub(super) fn only(diags: &[Diagnostic]) -> (&str, Pos, &str, String, String) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    parts(&diags[0])
}

pub(super) fn at(line: u32, col: u32) -> Pos {
    Pos::new(line, col, 0)
}

// --- types ---

#[test]
fn integer_type() {
    let s = schema(vec![field("ma", FieldType::String), field("dan_so", FieldType::Integer)]);
    let d = check(&s, &[&["01", "8435700"], &["02", "abc"], &["03", "-12"], &["04", " 7 "], &["05", "1.5"]]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 2),
            "E0501",
            "giá trị \"abc\" ở cột `dan_so` không phải số nguyên".into(),
            "value \"abc\" in column `dan_so` is not an integer".into()
        )
    );
    assert_eq!(d[1].pos, at(6, 2));
}

#[test]
fn vietnamese_numbers() {
    let s = vn(schema(vec![field("dien_tich", FieldType::Number), field("dan_so", FieldType::Integer)]));
    let (f, i) = (&s.fields[0], &s.fields[1]);
    assert_eq!(parse_cell(f, &s, "1.234.567,89", false), Ok(Value::Number(1234567.89)));
    assert_eq!(parse_cell(f, &s, "3.359,97", false), Ok(Value::Number(3359.97)));
    assert_eq!(parse_cell(f, &s, "1234567,89", false), Ok(Value::Number(1234567.89)));
    assert_eq!(parse_cell(f, &s, "-0,5", false), Ok(Value::Number(-0.5)));
    assert_eq!(parse_cell(f, &s, "1.234", false), Ok(Value::Number(1234.0)));
    assert_eq!(parse_cell(f, &s, "", false), Ok(Value::Null));
    for bad in ["1.5", "1,234.5", "12.34.567", "1.2345", ".234", "1,", "1.234,5,6", "abc"] {
        assert_eq!(parse_cell(f, &s, bad, false), Err(CellError::Invalid(FieldType::Number)), "{bad}");
    }
    assert_eq!(parse_cell(i, &s, "1.234.567", false), Ok(Value::Integer(1234567)));
    assert_eq!(parse_cell(i, &s, "1234567", false), Ok(Value::Integer(1234567)));
    assert_eq!(parse_cell(i, &s, "1.23", false), Err(CellError::Invalid(FieldType::Integer)));
    assert_eq!(parse_cell(i, &s, "1,0", false), Err(CellError::Invalid(FieldType::Integer)));

    let d = check(&s, &[&["3.359,97", "1.234"], &["1.5", "12.34"]]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 1),
            "E0501",
            "giá trị \"1.5\" ở cột `dien_tich` không phải số (ví dụ: 1.234.567,89)".into(),
            "value \"1.5\" in column `dien_tich` is not a number (e.g. 1.234.567,89)".into()
        )
    );
    assert_eq!(d[1].msg.en(), "value \"12.34\" in column `dan_so` is not an integer (e.g. 1.234.567)");
}

#[test]
fn plain_numbers_follow_table_schema() {
    let s = schema(vec![field("x", FieldType::Number)]);
    let f = &s.fields[0];
    assert_eq!(parse_cell(f, &s, "1234.5", false), Ok(Value::Number(1234.5)));
    assert_eq!(parse_cell(f, &s, "1e3", false), Ok(Value::Number(1000.0)));
    assert_eq!(parse_cell(f, &s, "+2.5E-1", false), Ok(Value::Number(0.25)));
    assert_eq!(parse_cell(f, &s, "INF", false), Ok(Value::Number(f64::INFINITY)));
    assert!(matches!(parse_cell(f, &s, "NaN", false), Ok(Value::Number(n)) if n.is_nan()));
    for bad in ["1,234.5", "1 234", "inf", "0x10", "1e", "--1", "١٢"] {
        assert!(parse_cell(f, &s, bad, false).is_err(), "{bad}");
    }
    let d = check(&s, &[&["1,5"]]);
    assert_eq!(only(&d).4, "value \"1,5\" in column `x` is not a number");
}

#[test]
fn dates_day_month_year() {
    let mut f = field("ngay", FieldType::Date);
    f.format = Some("%d/%m/%Y".into());
    let s = schema(vec![f]);
    let f = &s.fields[0];
    assert_eq!(parse_cell(f, &s, "01/07/2025", false), Ok(Value::Date(date!(2025 - 07 - 01))));
    assert_eq!(parse_cell(f, &s, "1/7/2025", false), Ok(Value::Date(date!(2025 - 07 - 01))));
    assert_eq!(parse_cell(f, &s, "29/02/2024", false), Ok(Value::Date(date!(2024 - 02 - 29))));
    for bad in ["31/02/2025", "2025-07-01", "07/01/25", "1/13/2025", "01/07/2025 08:00", "001/07/2025"] {
        assert_eq!(parse_cell(f, &s, bad, false), Err(CellError::Invalid(FieldType::Date)), "{bad}");
    }
    let d = check(&s, &[&["15/7/2025"], &["2025-07-01"]]);
    assert_eq!(
        only(&d),
        (
            DATA,
            at(3, 1),
            "E0501",
            "giá trị \"2025-07-01\" ở cột `ngay` không phải ngày theo định dạng `%d/%m/%Y` (ví dụ: 31/12/2025)".into(),
            "value \"2025-07-01\" in column `ngay` is not a date in the format `%d/%m/%Y` (e.g. 31/12/2025)".into()
        )
    );
}

#[test]
fn default_dates_are_strict_iso() {
    let s = schema(vec![field("ngay", FieldType::Date)]);
    let f = &s.fields[0];
    assert_eq!(parse_cell(f, &s, "2025-07-01", false), Ok(Value::Date(date!(2025 - 07 - 01))));
    assert!(parse_cell(f, &s, "2025-7-1", false).is_err());
    let d = check(&s, &[&["01/07/2025"]]);
    assert_eq!(
        only(&d).4,
        "value \"01/07/2025\" in column `ngay` is not a date in the format `%Y-%m-%d` (e.g. 2025-12-31)"
    );
    assert_eq!(
        only(&d).3,
        "giá trị \"01/07/2025\" ở cột `ngay` không phải ngày theo định dạng `%Y-%m-%d` (ví dụ: 2025-12-31)"
    );
}

#[test]
fn any_date_format_is_day_first() {
    let mut f = field("ngay", FieldType::Date);
    f.format = Some("any".into());
    let s = schema(vec![f]);
    let f = &s.fields[0];
    for ok in ["2025-07-01", "1/7/2025", "01-07-2025", "1.7.2025"] {
        assert_eq!(parse_cell(f, &s, ok, false), Ok(Value::Date(date!(2025 - 07 - 01))), "{ok}");
    }
    assert!(parse_cell(f, &s, "7/31/2025", false).is_err());
}

#[test]
fn datetimes() {
    let s = schema(vec![field("luc", FieldType::Datetime)]);
    let f = &s.fields[0];
    let dt = datetime!(2025-07-01 08:30:00);
    assert_eq!(parse_cell(f, &s, "2025-07-01T08:30:00", false), Ok(Value::Datetime(dt, None)));
    assert_eq!(parse_cell(f, &s, "2025-07-01 08:30", false), Ok(Value::Datetime(dt, None)));
    assert_eq!(parse_cell(f, &s, "2025-07-01T08:30:00Z", false), Ok(Value::Datetime(dt, Some(offset!(UTC)))));
    assert_eq!(parse_cell(f, &s, "2025-07-01T08:30:00+07:00", false), Ok(Value::Datetime(dt, Some(offset!(+7)))));
    assert_eq!(
        parse_cell(f, &s, "2025-07-01T08:30:00.250+0700", false),
        Ok(Value::Datetime(datetime!(2025-07-01 08:30:00.25), Some(offset!(+7))))
    );
    for bad in ["2025-07-01", "2025-07-01T25:00:00", "2025-07-01T08:30:00+7", "01/07/2025 08:30"] {
        assert!(parse_cell(f, &s, bad, false).is_err(), "{bad}");
    }
    // The same instant written in two zones is one value.
    let a = parse_cell(f, &s, "2025-07-01T08:30:00+07:00", false).unwrap();
    let b = parse_cell(f, &s, "2025-07-01T01:30:00Z", false).unwrap();
    assert!(a.same(&b));
    let d = check(&s, &[&["01/07/2025 08:30"]]);
    assert_eq!(
        only(&d).3,
        "giá trị \"01/07/2025 08:30\" ở cột `luc` không phải ngày giờ ISO 8601 (ví dụ: 2025-12-31T13:45:00+07:00)"
    );
    assert_eq!(
        only(&d).4,
        "value \"01/07/2025 08:30\" in column `luc` is not an ISO 8601 date and time (e.g. 2025-12-31T13:45:00+07:00)"
    );

    let mut f = field("luc", FieldType::Datetime);
    f.format = Some("%d/%m/%Y %H:%M".into());
    let s = schema(vec![f]);
    assert_eq!(parse_cell(&s.fields[0], &s, "1/7/2025  8:30", false), Ok(Value::Datetime(dt, None)));
    let d = check(&s, &[&["2025-07-01T08:30:00"]]);
    assert_eq!(
        only(&d).4,
        "value \"2025-07-01T08:30:00\" in column `luc` is not a date and time in the format `%d/%m/%Y %H:%M` \
         (e.g. 31/12/2025 13:45)"
    );
}

#[test]
fn booleans_years_geopoints() {
    let s =
        schema(vec![field("co", FieldType::Boolean), field("nam", FieldType::Year), field("vt", FieldType::Geopoint)]);
    let (b, y, g) = (&s.fields[0], &s.fields[1], &s.fields[2]);
    for t in ["true", "TRUE", "True", "1", "có", "Có", "CÓ", "đúng", "Đúng"] {
        assert_eq!(parse_cell(b, &s, t, false), Ok(Value::Boolean(true)), "{t}");
    }
    for f in ["false", "False", "0", "không", "KHÔNG", "sai", "Sai"] {
        assert_eq!(parse_cell(b, &s, f, false), Ok(Value::Boolean(false)), "{f}");
    }
    for bad in ["yes", "x", "co", "2"] {
        assert!(parse_cell(b, &s, bad, false).is_err(), "{bad}");
    }
    assert_eq!(parse_cell(y, &s, "2025", false), Ok(Value::Year(2025)));
    assert!(parse_cell(y, &s, "25", false).is_err());
    assert!(parse_cell(y, &s, "2025.0", false).is_err());
    assert_eq!(parse_cell(y, &s, "2025.0", true), Ok(Value::Year(2025)));
    assert_eq!(parse_cell(g, &s, "105.85, 21.03", false), Ok(Value::Geopoint { lon: 105.85, lat: 21.03 }));
    assert_eq!(parse_cell(g, &s, "[105.85,21.03]", true), Ok(Value::Geopoint { lon: 105.85, lat: 21.03 }));
    // Latitude first (as Google Maps copies it) puts 105.85 in the latitude: out of range.
    assert!(parse_cell(g, &s, "21.03, 105.85", false).is_err());

    let d = check(&s, &[&["có", "2025", "105.85, 21.03"], &["yes", "năm 2025", "21.03, 105.85"]]);
    assert_eq!(d.len(), 3, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 1),
            "E0501",
            "giá trị \"yes\" ở cột `co` không phải giá trị đúng/sai (true/false, 1/0, có/không, đúng/sai)".into(),
            "value \"yes\" in column `co` is not a boolean (true/false, 1/0, có/không, đúng/sai)".into()
        )
    );
    assert_eq!(d[1].msg.vi(), "giá trị \"năm 2025\" ở cột `nam` không phải năm (4 chữ số)");
    assert_eq!(d[1].msg.en(), "value \"năm 2025\" in column `nam` is not a year (4 digits)");
    assert_eq!(
        parts(&d[2]),
        (
            DATA,
            at(3, 3),
            "E0501",
            "giá trị \"21.03, 105.85\" ở cột `vt` không phải tọa độ \"kinh độ, vĩ độ\" (ví dụ: 105.85, 21.03)".into(),
            "value \"21.03, 105.85\" in column `vt` is not a geopoint \"longitude, latitude\" (e.g. 105.85, 21.03)"
                .into()
        )
    );
}

#[test]
fn canonical_cells_from_json_and_xlsx() {
    let mut d = field("ngay", FieldType::Date);
    d.format = Some("%d/%m/%Y".into());
    let s = vn(schema(vec![field("x", FieldType::Number), field("n", FieldType::Integer), d]));
    let (x, n, d) = (&s.fields[0], &s.fields[1], &s.fields[2]);
    assert_eq!(parse_cell(x, &s, "1234.5", true), Ok(Value::Number(1234.5)));
    assert_eq!(parse_cell(x, &s, "1234.5", false), Err(CellError::Invalid(FieldType::Number)));
    // A text cell keeps the agency's spelling: the declared format is the fallback.
    assert_eq!(parse_cell(x, &s, "1.234,5", true), Ok(Value::Number(1234.5)));
    assert_eq!(parse_cell(n, &s, "12.0", true), Ok(Value::Integer(12)));
    assert_eq!(parse_cell(d, &s, "2025-07-01", true), Ok(Value::Date(date!(2025 - 07 - 01))));
    assert_eq!(parse_cell(d, &s, "2025-07-01T00:00:00", true), Ok(Value::Date(date!(2025 - 07 - 01))));
    assert_eq!(parse_cell(d, &s, "01/07/2025", true), Ok(Value::Date(date!(2025 - 07 - 01))));
    let rows: &[&[&str]] = &[&["1234.5", "12", "2025-07-01"], &["1,5", "3", "01/07/2025"]];
    assert!(check_with(&s, rows, &CodeLists::new(), true, DEFAULT_UNIQUE_MEMORY).is_empty());
}

#[test]
fn strings_keep_their_spaces() {
    let s = schema(vec![field("ten", FieldType::String)]);
    assert_eq!(parse_cell(&s.fields[0], &s, " Hà Nội ", false), Ok(Value::String(" Hà Nội ")));
    assert_eq!(parse_cell(&s.fields[0], &s, "   ", false), Ok(Value::Null));
}

// --- constraints ---

#[test]
fn required() {
    let mut f = field("ten", FieldType::String);
    f.required = true;
    let s = schema(vec![field("ma", FieldType::String), f]);
    let d = check(&s, &[&["01", "Hà Nội"], &["02", ""], &["03", "  "], &["04"]]);
    assert_eq!(d.len(), 3, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 2),
            "E0502",
            "thiếu giá trị ở cột bắt buộc `ten`".into(),
            "missing value in required column `ten`".into()
        )
    );
    assert_eq!((d[1].pos, d[2].pos), (at(4, 2), at(5, 2)));
    // An empty cell of an optional column gets no other check.
    let mut f = field("n", FieldType::Integer);
    f.minimum = Some(Bound::Number(1.0));
    f.pattern = Some("[0-9]+".into());
    assert!(check(&schema(vec![f]), &[&[""]]).is_empty());
}

#[test]
fn enum_strings_are_exact() {
    let mut f = field("loai", FieldType::String);
    f.enum_values = vec!["Tỉnh".into(), "Thành phố".into()];
    let s = schema(vec![f]);
    let d = check(&s, &[&["Tỉnh"], &["Thành phố"], &["tỉnh"], &["Tỉnh "]]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(4, 1),
            "E0503",
            "giá trị \"tỉnh\" ở cột `loai` không thuộc danh sách cho phép: `Tỉnh`, `Thành phố`".into(),
            "value \"tỉnh\" in column `loai` is not one of the allowed values: `Tỉnh`, `Thành phố`".into()
        )
    );
    assert_eq!(d[1].pos, at(5, 1));
}

#[test]
fn enum_typed_values_compare_as_values() {
    let mut f = field("he_so", FieldType::Number);
    f.enum_values = vec!["1".into(), "2.5".into()];
    let s = vn(schema(vec![f]));
    let d = check(&s, &[&["1,0"], &["2,5"], &["1"], &["3"]]);
    assert_eq!(
        only(&d),
        (
            DATA,
            at(5, 1),
            "E0503",
            "giá trị \"3\" ở cột `he_so` không thuộc danh sách cho phép: `1`, `2.5`".into(),
            "value \"3\" in column `he_so` is not one of the allowed values: `1`, `2.5`".into()
        )
    );
}

#[test]
fn long_enums_are_shortened_in_messages() {
    let msg = Msg::CellEnum {
        column: "ma".into(),
        value: "x".into(),
        allowed: (1..=12).map(|i| format!("{i:02}")).collect(),
    };
    assert_eq!(
        msg.en(),
        "value \"x\" in column `ma` is not one of the allowed values: `01`, `02`, `03`, `04`, `05`, `06`, `07`, `08`, \
         `09`, `10` and 2 more"
    );
    assert!(msg.vi().ends_with("`10` và 2 giá trị khác"), "{}", msg.vi());
}

#[test]
fn minimum_and_maximum() {
    let mut n = field("so_xa", FieldType::Integer);
    n.minimum = Some(Bound::Number(0.0));
    n.maximum = Some(Bound::Number(1000.0));
    let mut x = field("dien_tich", FieldType::Number);
    x.minimum = Some(Bound::Number(0.5));
    let mut d = field("ngay", FieldType::Date);
    d.format = Some("%d/%m/%Y".into());
    d.minimum = Some(Bound::Date("2025-07-01".into()));
    d.maximum = Some(Bound::Date("2025-12-31".into()));
    let mut y = field("nam", FieldType::Year);
    y.minimum = Some(Bound::Number(2000.0));
    let s = vn(schema(vec![n, x, d, y]));
    let rows: &[&[&str]] = &[
        &["0", "0,5", "01/07/2025", "2000"],
        &["-1", "0,49", "30/06/2025", "1999"],
        &["1.001", "1.000", "01/01/2026", "2025"],
    ];
    let d = check(&s, rows);
    let got: Vec<_> = d.iter().map(parts).collect();
    assert_eq!(
        got,
        vec![
            (
                DATA,
                at(3, 1),
                "E0504",
                "giá trị \"-1\" ở cột `so_xa` nhỏ hơn giá trị tối thiểu 0".into(),
                "value \"-1\" in column `so_xa` is less than the minimum 0".into()
            ),
            (
                DATA,
                at(3, 2),
                "E0504",
                "giá trị \"0,49\" ở cột `dien_tich` nhỏ hơn giá trị tối thiểu 0.5".into(),
                "value \"0,49\" in column `dien_tich` is less than the minimum 0.5".into()
            ),
            (
                DATA,
                at(3, 3),
                "E0504",
                "giá trị \"30/06/2025\" ở cột `ngay` nhỏ hơn giá trị tối thiểu 2025-07-01".into(),
                "value \"30/06/2025\" in column `ngay` is less than the minimum 2025-07-01".into()
            ),
            (
                DATA,
                at(3, 4),
                "E0504",
                "giá trị \"1999\" ở cột `nam` nhỏ hơn giá trị tối thiểu 2000".into(),
                "value \"1999\" in column `nam` is less than the minimum 2000".into()
            ),
            (
                DATA,
                at(4, 1),
                "E0505",
                "giá trị \"1.001\" ở cột `so_xa` lớn hơn giá trị tối đa 1000".into(),
                "value \"1.001\" in column `so_xa` is greater than the maximum 1000".into()
            ),
            (
                DATA,
                at(4, 3),
                "E0505",
                "giá trị \"01/01/2026\" ở cột `ngay` lớn hơn giá trị tối đa 2025-12-31".into(),
                "value \"01/01/2026\" in column `ngay` is greater than the maximum 2025-12-31".into()
            ),
        ]
    );
}

#[test]
fn pattern_is_anchored() {
    let mut f = field("ma_tinh", FieldType::String);
    f.pattern = Some("[0-9]{2}".into());
    let s = schema(vec![f]);
    let d = check(&s, &[&["01"], &["123"], &["1"]]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 1),
            "E0506",
            "giá trị \"123\" ở cột `ma_tinh` không khớp mẫu `[0-9]{2}`".into(),
            "value \"123\" in column `ma_tinh` does not match the pattern `[0-9]{2}`".into()
        )
    );
    // An alternation is anchored as a whole.
    let mut f = field("x", FieldType::String);
    f.pattern = Some("a|b".into());
    assert_eq!(check(&schema(vec![f]), &[&["a"], &["ab"]]).len(), 1);
}

#[test]
fn references_to_a_code_list() {
    let target = FieldRef {
        dataset: "don-vi-hanh-chinh-cap-tinh-2025".into(),
        resource: "provinces".into(),
        field: "province_code".into(),
    };
    let mut f = field("ma_tinh", FieldType::String);
    f.references = Some(At::new(target.clone(), NAME_POS));
    let s = schema(vec![field("ten", FieldType::String), f]);
    let mut codes = CodeLists::new();
    codes.insert(&target, ["01", "04", "08"].into_iter().map(String::from).collect());
    let rows: &[&[&str]] = &[&["Hà Nội", "01"], &["?", "99"], &["Cao Bằng", "4"], &["-", ""]];
    let d = check_with(&s, rows, &codes, false, DEFAULT_UNIQUE_MEMORY);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        parts(&d[0]),
        (
            DATA,
            at(3, 2),
            "E0507",
            "mã \"99\" ở cột `ma_tinh` không có trong danh mục `don-vi-hanh-chinh-cap-tinh-2025/provinces.province_code`"
                .into(),
            "code \"99\" in column `ma_tinh` is not in the code list `don-vi-hanh-chinh-cap-tinh-2025/provinces.province_code`"
                .into()
        )
    );
    assert_eq!(d[1].pos, at(4, 2));
    // A code list that was not read (broken reference, reported elsewhere) checks nothing.
    assert!(check(&s, rows).is_empty());
}

#[test]
fn values_are_truncated_to_40_characters() {
    let s = schema(vec![field("n", FieldType::Integer)]);
    let long = "Số liệu đang được cập nhật, vui lòng xem lại sau ngày 30/6";
    let d = check(&s, &[&[long]]);
    assert_eq!(only(&d).4, "value \"Số liệu đang được cập nhật, vui lòng xem…\" in column `n` is not an integer");
}
