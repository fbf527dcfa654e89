//! Owns the unit tests of row validation: one fixture per rule with its exact texts (vi and en) and position,
//! Vietnamese numbers and dates, grouping, unique / primary key (with the disk spill), code lists, and an
//! ignored throughput test (`cargo test --release --lib rows::tests::throughput -- --ignored --nocapture`).

use super::*;
use crate::diag::Diagnostic;
use crate::model::{At, FieldRef, Text};
use time::macros::{date, datetime, offset};

const DATA: &str = "datasets/d/data.csv";
const DICT: &str = "datasets/d/dataset.toml";
const NAME_POS: Pos = Pos { line: 10, col: 8, len: 5 };

fn field(name: &str, ty: FieldType) -> Field {
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

fn schema(fields: Vec<Field>) -> Schema {
    Schema { fields, primary_key: Vec::new(), decimal_char: None, group_char: None, source: DICT.to_string() }
}

fn vn(mut s: Schema) -> Schema {
    s.decimal_char = Some(",".into());
    s.group_char = Some(".".into());
    s
}

fn record(cells: &[&str]) -> csv::StringRecord {
    csv::StringRecord::from(cells.to_vec())
}

/// Checks `rows` (lines 2, 3, …) with the dictionary's field names as header.
fn check(schema: &Schema, rows: &[&[&str]]) -> Vec<Diagnostic> {
    check_with(schema, rows, &CodeLists::new(), false, DEFAULT_UNIQUE_MEMORY)
}

fn check_with(schema: &Schema, rows: &[&[&str]], codes: &CodeLists, canonical: bool, memory: usize) -> Vec<Diagnostic> {
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
fn parts(d: &Diagnostic) -> (&str, Pos, &str, String, String) {
    (d.path.as_str(), d.pos, d.code(), d.msg.vi(), d.msg.en())
}

fn only(diags: &[Diagnostic]) -> (&str, Pos, &str, String, String) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    parts(&diags[0])
}

fn at(line: u32, col: u32) -> Pos {
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
    let mut s = s;
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
fn values_are_truncated_to_40_characters() {
    let s = schema(vec![field("n", FieldType::Integer)]);
    let long = "Số liệu đang được cập nhật, vui lòng xem lại sau ngày 30/6";
    let d = check(&s, &[&[long]]);
    assert_eq!(only(&d).4, "value \"Số liệu đang được cập nhật, vui lòng xem…\" in column `n` is not an integer");
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
    let m = Msg::MoreRows { columns: vec!["x".into()], count: 12_345, code: "E0501" };
    assert_eq!(m.vi(), "… và 12.345 dòng khác có cùng lỗi (E0501) ở cột `x`");
    assert_eq!(m.en(), "… and 12,345 more rows with the same problem (E0501) in column `x`");
    let m = Msg::MoreRows { columns: vec!["a".into(), "b".into()], count: 1, code: "E0509" };
    assert_eq!(m.vi(), "… và 1 dòng khác có cùng lỗi (E0509) ở các cột `a`, `b`");
    assert_eq!(m.en(), "… and 1 more row with the same problem (E0509) in columns `a`, `b`");
    let m = Msg::MoreRows { columns: vec!["x".into()], count: 1_234_567, code: "E0501" };
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

/// A tiny memory budget (an 8-slot table, a run every 6 values, compaction past 64 runs) must find exactly
/// the duplicates a brute-force search finds, with the earliest line of each value.
#[test]
fn unique_and_key_spill_to_disk_and_merge() {
    let mut f = field("ma", FieldType::Integer);
    f.unique = true;
    let mut s = schema(vec![f, field("k1", FieldType::String), field("k2", FieldType::Integer)]);
    s.primary_key = vec![At::new("k1".into(), NAME_POS), At::new("k2".into(), NAME_POS)];
    // 2,000 rows; values repeat at scattered distances, so duplicates fall in the same run, in different
    // runs, and across compactions.
    let rows: Vec<[String; 3]> = (0..2000u64)
        .map(|i| {
            let v = (i * 7919) % 1499;
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
    assert!(expected.len() > 400);
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
fn tracker_budget_sizes() {
    assert_eq!(unique::slots_for(0), 8);
    // The old and the new table side by side while growing: 1.5 × 24 bytes a slot.
    assert_eq!(unique::slots_for(64 << 20), 1 << 20);
    assert_eq!(unique::slots_for(96 << 20), 1 << 21);
}

// --- throughput ---

/// Figures for the report: 10M rows of a 10-field dictionary with a code-list reference, Vietnamese numbers and
/// dates, a unique column and a composite primary key. Release mode:
/// `cargo test --release --lib rows::tests::throughput -- --ignored --nocapture` (ROWS=… to change the count).
#[test]
#[ignore]
fn throughput() {
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

    // Rows are generated into a buffer first, so the timing below is the checker's alone.
    let mut text = String::new();
    let mut bounds = Vec::new();
    let mut record = csv::StringRecord::new();
    let build = |i: u64, text: &mut String, bounds: &mut Vec<usize>| {
        use std::fmt::Write;
        text.clear();
        bounds.clear();
        let loai = ["Phường", "Xã", "Đặc khu"][(i % 3) as usize];
        let _ = write!(text, "{i}");
        bounds.push(text.len());
        let _ = write!(text, "{:02}", 1 + i % 34);
        bounds.push(text.len());
        let _ = write!(text, "Phường Nguyễn Trãi {}", i % 1000);
        bounds.push(text.len());
        let _ = write!(text, "{}.{:03}", 1 + i % 900, i % 1000);
        bounds.push(text.len());
        let _ = write!(text, "{},{:02}", i % 1000, i % 100);
        bounds.push(text.len());
        let _ = write!(text, "{}/{}/20{:02}", 1 + i % 28, 1 + i % 12, i % 26);
        bounds.push(text.len());
        let _ = write!(text, "20{:02}", i % 26);
        bounds.push(text.len());
        text.push_str(if i % 2 == 0 { "có" } else { "không" });
        bounds.push(text.len());
        let _ = write!(text, "105.{:04}, 21.{:04}", i % 10_000, (i * 7) % 10_000);
        bounds.push(text.len());
        text.push_str(loai);
        bounds.push(text.len());
    };
    let fill = |record: &mut csv::StringRecord, text: &str, bounds: &[usize]| {
        record.clear();
        let mut start = 0;
        for &b in bounds {
            record.push_field(&text[start..b]);
            start = b;
        }
    };

    let t0 = std::time::Instant::now();
    let mut bytes = 0u64;
    for i in 0..rows {
        build(i, &mut text, &mut bounds);
        fill(&mut record, &text, &bounds);
        bytes += text.len() as u64 + 10;
    }
    let generate = t0.elapsed().as_secs_f64();

    let mut checker = RowChecker::new(&s, &header, &codes, DATA, false);
    let t0 = std::time::Instant::now();
    for i in 0..rows {
        build(i, &mut text, &mut bounds);
        fill(&mut record, &text, &bounds);
        checker.check_row(i + 2, &record);
    }
    let mut diags = Diagnostics::new();
    let stats = checker.finish(&mut diags);
    let total = t0.elapsed().as_secs_f64();
    let check = total - generate;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM")).unwrap_or("VmHWM: ?").to_string();
    eprintln!(
        "{rows} rows, {:.0} MB of CSV text: checks {check:.2} s = {:.2} M rows/s, {:.0} MB/s (generation {generate:.2} s \
         excluded); {} problems; {hwm}",
        bytes as f64 / 1e6,
        rows as f64 / check / 1e6,
        bytes as f64 / check / 1e6,
        stats.problems
    );
    assert_eq!(stats.problems, 0, "{:#?}", diags.sorted().into_iter().take(5).collect::<Vec<_>>());
}
