//! From what one pass over a table learned to a proposed data dictionary, and its TOML text.
//!
//! Decisions, per column:
//! - one number format for the whole table (`decimal_char`/`group_char` are table-wide): the
//!   layout in which most numeric columns read, the default on a tie; a column that reads only in
//!   another layout stays `string`, with a note;
//! - the type: always empty → `string`; `true`/`false` → `boolean`; digits with a leading zero or
//!   a code-like name (`ma_*`, `*_code`, `id`…) → `string` (codes keep their zeros); a four-digit
//!   column named like a year (`nam`, `year`) → `year`; `integer`; `number`; `date` and `datetime`
//!   in the first layout every value reads in (with `format` unless ISO 8601); `geopoint`
//!   ("lon, lat"); else `string`;
//! - `required` when no cell is empty; `unique` for text columns without repeats, and for the key;
//! - the primary key: the first unique, never-empty text or integer column, code-like names first;
//! - `references`: the best code list holding ≥ 99% of the column's distinct values;
//! - `title`: the header when it is already Vietnamese, the code list's label for a reference,
//!   else the header with a TODO.

use super::codelist::{self, CodeList, Match};
use super::values::{DATE_FORMATS, DATETIME_FORMATS, NUMBER_FORMATS, NumberFormat};
use super::{SAMPLE_ROWS, TableFacts};
use crate::model::{FieldType, Text};
use crate::text::fold;
use crate::validate::encoding::Encoding;
use std::fmt::Write as _;

/// Where the proposed resource's file is, and what to call it.
#[derive(Debug, Clone)]
pub struct ResourceInfo {
    pub id: String,
    /// The file as the header comment names it (repository-relative when inside the portal).
    pub display: String,
    /// `path`: relative to the dataset folder, or the file name when the file is not in one.
    pub path: String,
    pub in_dataset: bool,
    /// `format`, when the file's extension does not say it (`.txt`).
    pub format: Option<&'static str>,
    /// The file name without extension, the title's placeholder.
    pub stem: String,
}

/// Why a column got the type or value it got, written as a comment above its `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    Empty,
    NoHeader,
    DuplicateHeader,
    LeadingZeros,
    CodeName,
    CodeListValues,
    /// Numbers written in this layout, which is not the table's.
    OtherNumbers(NumberFormat),
    /// Values like `1.234`, read as decimals; they may be grouped integers.
    Grouped(String),
}

#[derive(Debug, Clone)]
pub struct FieldProposal {
    pub name: String,
    pub title: Text,
    pub title_todo: bool,
    pub ty: FieldType,
    pub format: Option<&'static str>,
    pub required: bool,
    pub unique: bool,
    pub reference: Option<Match>,
    pub also: Vec<Match>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone)]
pub struct Proposal {
    pub number_format: NumberFormat,
    pub primary_key: Option<String>,
    pub fields: Vec<FieldProposal>,
    pub rows: u64,
    pub encoding: Encoding,
    pub delimiter: u8,
}

/// How many other matching code lists are named in a comment.
const MAX_ALSO: usize = 3;

fn tokens(name: &str) -> Vec<String> {
    fold(name).split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// `ma_tinh`, `Mã tỉnh`, `province_code`, `id`, `facility_id`: a column of codes.
pub fn is_code_name(name: &str) -> bool {
    let t = tokens(name);
    matches!(t.first().map(String::as_str), Some("ma" | "id"))
        || matches!(t.last().map(String::as_str), Some("ma" | "code" | "id"))
}

fn is_year_name(name: &str) -> bool {
    tokens(name).iter().any(|t| t == "nam" || t == "year")
}

/// An example of a number layout, for messages.
pub fn number_example(f: NumberFormat) -> &'static str {
    match (f.decimal, f.group) {
        (b',', Some(_)) => "1.234,5",
        (b',', None) => "1234,5",
        (_, Some(_)) => "1,234.5",
        _ => "1234.5",
    }
}

pub fn propose(facts: &TableFacts, lists: &[CodeList]) -> Proposal {
    let columns = &facts.columns;
    // Columns that are codes whatever they look like do not vote on the number format.
    let codes: Vec<bool> = columns.iter().map(|c| c.leading_zero || is_code_name(&c.name)).collect();
    let mut votes = [0usize; 4];
    for (c, &code) in columns.iter().zip(&codes) {
        if c.values > 0 && !code && !c.boolean {
            for (v, fit) in votes.iter_mut().zip(&c.numbers) {
                *v += usize::from(fit.is_some());
            }
        }
    }
    // The first of the most voted layouts: the default wins a tie.
    let best = (0..4).rev().max_by_key(|&k| votes[k]).unwrap_or(0);
    let best = if votes[0] == votes[best] { 0 } else { best };
    let number_format = NUMBER_FORMATS[best];

    let mut fields = Vec::new();
    for (i, (c, &code)) in columns.iter().zip(&codes).enumerate() {
        let mut notes = Vec::new();
        if c.name.is_empty() {
            notes.push(Note::NoHeader);
        } else if columns[..i].iter().any(|x| x.name == c.name) {
            notes.push(Note::DuplicateHeader);
        }
        let integer_like = c.numbers.contains(&Some(true));
        let (ty, format) = if c.values == 0 {
            notes.push(Note::Empty);
            (FieldType::String, None)
        } else if c.boolean {
            (FieldType::Boolean, None)
        } else if code && integer_like {
            notes.push(if c.leading_zero { Note::LeadingZeros } else { Note::CodeName });
            (FieldType::String, None)
        } else if c.year && is_year_name(&c.name) {
            (FieldType::Year, None)
        } else if let Some(all_integer) = c.numbers[best] {
            if let Some(example) = c.grouped.as_ref().filter(|_| best == 0 && c.numbers[1].is_some()) {
                notes.push(Note::Grouped(example.clone()));
            }
            (if all_integer { FieldType::Integer } else { FieldType::Number }, None)
        } else if let Some(k) = c.numbers.iter().position(Option::is_some).filter(|_| !code) {
            notes.push(Note::OtherNumbers(NUMBER_FORMATS[k]));
            (FieldType::String, None)
        } else if let Some(k) = c.dates.iter().position(|&ok| ok) {
            (FieldType::Date, (k > 0).then_some(DATE_FORMATS[k]))
        } else if let Some(k) = c.datetimes.iter().position(|&ok| ok) {
            (FieldType::Datetime, (k > 0).then_some(DATETIME_FORMATS[k]))
        } else if c.geopoint {
            (FieldType::Geopoint, None)
        } else {
            (FieldType::String, None)
        };
        let required = c.values > 0 && c.empty == 0;
        let unique = required && c.unique();
        fields.push(FieldProposal {
            name: c.name.clone(),
            title: Text::new(c.name.clone(), None),
            title_todo: true,
            ty,
            format,
            required,
            unique: unique && ty == FieldType::String,
            reference: None,
            also: Vec::new(),
            notes,
        });
    }

    let key_candidate = |f: &FieldProposal, c: &super::ColumnStats| {
        f.required && c.unique() && matches!(f.ty, FieldType::String | FieldType::Integer) && !f.name.is_empty()
    };
    let candidates: Vec<usize> = (0..fields.len()).filter(|&i| key_candidate(&fields[i], &columns[i])).collect();
    let key = candidates.iter().copied().find(|&i| is_code_name(&fields[i].name)).or(candidates.first().copied());
    if let Some(k) = key {
        fields[k].unique = true;
    }
    let primary_key = key.map(|k| fields[k].name.clone());

    for (f, c) in fields.iter_mut().zip(columns) {
        if !matches!(f.ty, FieldType::String | FieldType::Integer) {
            continue;
        }
        let Some(distinct) = &c.distinct else { continue };
        let mut found = codelist::find(distinct, lists).into_iter();
        let Some(best) = found.next() else { continue };
        if f.ty == FieldType::Integer {
            f.ty = FieldType::String;
            f.notes.push(Note::CodeListValues);
        }
        f.also = found.take(MAX_ALSO).collect();
        f.reference = Some(best);
    }

    for f in &mut fields {
        if !f.name.is_ascii() {
            f.title = Text::new(crate::text::nfc(&f.name), None);
            f.title_todo = false;
        } else if let Some(r) = &f.reference {
            f.title = r.title.clone();
            f.title_todo = false;
        }
    }

    Proposal {
        number_format,
        primary_key,
        fields,
        rows: facts.rows,
        encoding: facts.encoding,
        delimiter: facts.delimiter,
    }
}

/// A TOML basic string (`"…"`, escaped), as people write them.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => quote(&(d as char).to_string()),
    }
}

fn note_text(note: &Note, table: NumberFormat) -> String {
    match note {
        Note::Empty => "# cột luôn trống — the column is always empty".into(),
        Note::NoHeader => "# cột không có tên ở dòng tiêu đề — the column has no header".into(),
        Note::DuplicateHeader => "# tên cột trùng với một cột trước — the same header as an earlier column".into(),
        Note::LeadingZeros => "# mã có số 0 ở đầu: giữ kiểu string — codes with leading zeros stay strings".into(),
        Note::CodeName => "# cột mã: giữ kiểu string — a code column stays a string".into(),
        Note::CodeListValues => "# mã trong danh mục: giữ kiểu string — codes of a code list stay strings".into(),
        Note::OtherNumbers(f) => format!(
            "# số viết kiểu {0}, nhưng bảng dùng kiểu {1} (mỗi bảng một kiểu số) — numbers written {0}, but the \
             table uses {1} (one number format per table)",
            number_example(*f),
            number_example(table)
        ),
        Note::Grouped(example) => format!(
            "# `{example}` được đọc là số thập phân; nếu là số nguyên có dấu chấm phân cách hàng nghìn, khai báo \
             decimal_char = \",\" và group_char = \".\" — `{example}` is read as a decimal; if the dot groups \
             thousands, declare decimal_char = \",\" and group_char = \".\""
        ),
    }
}

fn reference_text(r: &Match) -> String {
    let t = &r.target;
    format!("{{ dataset = {}, resource = {}, field = {} }}", quote(&t.dataset), quote(&t.resource), quote(&t.field))
}

/// The proposal as a TOML block to paste into dataset.toml, with comments.
pub fn render(info: &ResourceInfo, p: &Proposal) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# odp infer — {}: {} dòng — rows; {}; dấu phân cách — delimiter {}",
        info.display,
        p.rows,
        p.encoding.name(),
        delimiter_name(p.delimiter)
    );
    o.push_str("# Đề xuất cần xem lại: điền các chỗ TODO, thêm title_en, description, unit rồi dán vào dataset.toml\n");
    o.push_str("# — a proposal to review: fill in the TODOs, add title_en, description, unit, then paste it into\n");
    o.push_str("# dataset.toml\n");
    if p.rows > SAMPLE_ROWS {
        let _ = writeln!(
            o,
            "# unique, primary_key, references: xét trên {SAMPLE_ROWS} dòng đầu — judged on the first {SAMPLE_ROWS} rows"
        );
    }
    if p.encoding.is_legacy() {
        let name = p.encoding.name();
        let _ = writeln!(
            o,
            "# Tệp mã {name}: nên lưu lại dạng \"CSV UTF-8\" — the file is in {name}: better save it as \"CSV UTF-8\""
        );
    }
    o.push_str("[[resources]]\n");
    let _ = writeln!(o, "id = {}", quote(&info.id));
    let _ = writeln!(o, "title = {}  # TODO: tên tiếng Việt — the Vietnamese title", quote(&info.stem));
    if !info.in_dataset {
        o.push_str("# chép tệp vào thư mục datasets/<mã>/ của tập dữ liệu — copy the file into the dataset folder\n");
    }
    let _ = writeln!(o, "path = {}", quote(&info.path));
    if let Some(f) = info.format {
        let _ = writeln!(o, "format = {}", quote(f));
    }
    o.push('\n');
    o.push_str("[resources.schema]\n");
    match &p.primary_key {
        Some(k) => {
            let _ = writeln!(o, "primary_key = [{}]", quote(k));
        }
        None => {
            o.push_str("# không cột nào xác định duy nhất mỗi dòng; khai báo khóa nhiều cột nếu có — no single\n");
            o.push_str("# column identifies each row; declare a key of several columns if there is one\n");
            o.push_str("# primary_key = [\"\", \"\"]\n");
        }
    }
    if p.number_format.decimal != b'.' {
        let _ = writeln!(o, "decimal_char = {}", quote(&(p.number_format.decimal as char).to_string()));
    }
    if let Some(g) = p.number_format.group {
        let _ = writeln!(o, "group_char = {}", quote(&(g as char).to_string()));
    }
    for f in &p.fields {
        o.push('\n');
        o.push_str("[[resources.schema.fields]]\n");
        let _ = writeln!(o, "name = {}", quote(&f.name));
        if f.title_todo {
            let _ = writeln!(o, "title = {}  # TODO: nhãn tiếng Việt — the Vietnamese label", quote(&f.title.vi));
        } else {
            let _ = writeln!(o, "title = {}", quote(&f.title.vi));
        }
        if let Some(en) = &f.title.en {
            let _ = writeln!(o, "title_en = {}", quote(en));
        }
        for n in &f.notes {
            let _ = writeln!(o, "{}", note_text(n, p.number_format));
        }
        let _ = writeln!(o, "type = {}", quote(f.ty.name()));
        if let Some(fmt) = f.format {
            let _ = writeln!(o, "format = {}", quote(fmt));
        }
        if f.required {
            o.push_str("required = true\n");
        }
        if f.unique {
            o.push_str("unique = true\n");
        }
        if let Some(r) = &f.reference {
            let _ = writeln!(o, "references = {}", reference_text(r));
            let _ = writeln!(
                o,
                "# {0}/{1} giá trị khác nhau có trong danh mục ({2} mã) — {0} of {1} distinct values are in the code \
                 list ({2} codes)",
                r.found, r.distinct, r.size
            );
            for a in &f.also {
                let _ = writeln!(
                    o,
                    "# cũng khớp — also matches: {} ({}/{}, {} mã — codes)",
                    reference_text(a),
                    a.found,
                    a.distinct,
                    a.size
                );
            }
        }
        if matches!(f.ty, FieldType::Integer | FieldType::Number) {
            o.push_str("# unit = \"\"  # TODO: đơn vị tính — unit of measure\n");
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::super::ColumnStats;
    use super::*;

    fn facts(header: &[&str], rows: &[&[&str]]) -> TableFacts {
        let mut columns: Vec<ColumnStats> = header.iter().map(|h| ColumnStats::new(h)).collect();
        for row in rows {
            for (c, v) in columns.iter_mut().zip(row.iter()) {
                c.observe(v, true);
            }
        }
        TableFacts { encoding: Encoding::Utf8, delimiter: b',', rows: rows.len() as u64, columns }
    }

    fn types(p: &Proposal) -> Vec<(&str, &str, Option<&str>)> {
        p.fields.iter().map(|f| (f.name.as_str(), f.ty.name(), f.format)).collect()
    }

    #[test]
    fn vietnamese_numbers_and_dates() {
        let p = propose(
            &facts(
                &["ma", "dan_so", "dien_tich", "ngay", "nam", "mo_cua"],
                &[
                    &["01", "8.587.100", "3.359,97", "01/07/2025", "2024", "true"],
                    &["46", "1.160.200", "4.947,11", "15/01/2026", "2025", "false"],
                ],
            ),
            &[],
        );
        assert_eq!(p.number_format, NUMBER_FORMATS[1]);
        assert_eq!(
            types(&p),
            [
                ("ma", "string", None),
                ("dan_so", "integer", None),
                ("dien_tich", "number", None),
                ("ngay", "date", Some("%d/%m/%Y")),
                ("nam", "year", None),
                ("mo_cua", "boolean", None)
            ]
        );
        assert_eq!(p.primary_key.as_deref(), Some("ma"));
        assert_eq!(p.fields[0].notes, [Note::LeadingZeros]);
    }

    #[test]
    fn one_number_format_per_table() {
        let p = propose(
            &facts(
                &["lat", "lon", "dien_tich"],
                &[&["21.0001", "105.698", "3.359,97"], &["22.74", "106.083", "6.700,48"]],
            ),
            &[],
        );
        assert_eq!(p.number_format, NUMBER_FORMATS[0]);
        assert_eq!(types(&p), [("lat", "number", None), ("lon", "number", None), ("dien_tich", "string", None)]);
        assert_eq!(p.fields[2].notes, [Note::OtherNumbers(NUMBER_FORMATS[1])]);
    }

    #[test]
    fn ambiguous_thousands_get_a_note() {
        let p = propose(&facts(&["so_luong"], &[&["1.234"], &["12.345"]]), &[]);
        assert_eq!(types(&p), [("so_luong", "number", None)]);
        assert_eq!(p.fields[0].notes, [Note::Grouped("1.234".into())]);
    }

    #[test]
    fn the_key_prefers_code_names_and_empty_cells_are_not_required() {
        let p = propose(
            &facts(&["stt", "ten", "province_code", "ghi_chu"], &[&["1", "A", "01", ""], &["2", "B", "79", "x"]]),
            &[],
        );
        assert_eq!(p.primary_key.as_deref(), Some("province_code"));
        let flags: Vec<(bool, bool)> = p.fields.iter().map(|f| (f.required, f.unique)).collect();
        assert_eq!(flags, [(true, false), (true, true), (true, true), (false, false)]);
    }

    #[test]
    fn other_types() {
        let p = propose(
            &facts(
                &["luc", "vi_tri", "trong"],
                &[&["2025-07-01T08:00:00Z", "105.85, 21.03", ""], &["2025-07-02T09:30:00+07:00", "106.1, 20.9", " "]],
            ),
            &[],
        );
        assert_eq!(types(&p), [("luc", "datetime", None), ("vi_tri", "geopoint", None), ("trong", "string", None)]);
        assert_eq!(p.fields[2].notes, [Note::Empty]);
    }

    #[test]
    fn code_names() {
        for name in ["ma_tinh", "Mã tỉnh", "province_code", "id", "facility_id", "MA_XA"] {
            assert!(is_code_name(name), "{name}");
        }
        for name in ["dan_so", "ten", "madness", "idea"] {
            assert!(!is_code_name(name), "{name}");
        }
    }
}
