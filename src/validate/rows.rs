//! Owns the row-by-row validation of a data file against its data dictionary (issue 3 §1): types,
//! `required`, `enum`, `minimum`/`maximum`, `pattern`, code-list `references`, `unique` and `primary_key`,
//! streaming in bounded memory, and the grouped report: per (column, kind of problem) the first 5 at their own
//! line, then one E0599 with the count of the rest. Reading a cell is `rows/parse.rs` (dates: `rows/dates.rs`);
//! duplicate detection with its disk spill is `rows/unique.rs`.
//!
//! Semantics (Table Schema where it speaks):
//! - A cell that is empty or only whitespace is missing: `required` (and primary-key) columns report it, no other
//!   check runs on it. A cell that is not of its type is reported once (E0501) and gets no further check.
//! - `enum` compares the exact (NFC) text for strings and typed values otherwise ("1,0" = "1" in a number
//!   field); `minimum`/`maximum` apply to integers, numbers, years, dates and datetimes; `pattern` must match the
//!   whole text (anchored; the `regex` crate, linear time); `references` compare the text with the code list's.
//! - `unique` and the primary key compare typed values; empty cells are not compared. A primary key of one
//!   column that is also `unique` is reported once, as E0508.
//! - Positions: `line` is what the caller passes (the CSV line, or the row of an XLSX sheet / JSON array);
//!   `col` is the column number in the file (1 = first column), not a character offset — a `csv::StringRecord`
//!   does not say where its cells start, and quoting makes guessing wrong — and `len` is 0, so no caret is
//!   drawn under a guessed character. Dictionary problems (E0520–E0523, E0313) are reported once, at the
//!   dictionary.

mod dates;
mod parse;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_rows;
mod unique;

pub use parse::{CellError, CellParser, DictError, NumberChars, Value, parse_cell};

use super::codelist::CodeLists;
use crate::diag::{Diagnostics, Msg, Pos};
use crate::model::{Bound, Field, FieldType, Schema};
use regex::Regex;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::Hasher;
use unique::{DupTracker, Hash128};

/// Problems shown per (column, kind) at their own line; the rest are counted in one E0599.
pub const SHOWN: usize = 5;
/// Characters of a cell quoted in a message.
pub const VALUE_CHARS: usize = 40;
/// Memory for `unique` and primary-key tracking, shared by the tracked columns of a file.
pub const DEFAULT_UNIQUE_MEMORY: usize = 16 << 20;

const TYPE: usize = 0;
const REQUIRED: usize = 1;
const ENUM: usize = 2;
const MINIMUM: usize = 3;
const MAXIMUM: usize = 4;
const PATTERN: usize = 5;
const CODE: usize = 6;
const DUPLICATE: usize = 7;
const KINDS: usize = 8;

/// One kind of problem in one column: how many, and the earliest `SHOWN + 1` (the last one places the summary).
#[derive(Default)]
struct Group {
    count: u64,
    examples: Vec<(u64, Msg)>,
}

impl Group {
    /// Counts a problem at `line`; builds its message only if it is among the earliest.
    fn offer(&mut self, line: u64, msg: impl FnOnce() -> Msg) {
        self.count += 1;
        if self.examples.len() > SHOWN {
            if line >= self.examples[SHOWN].0 {
                return;
            }
            self.examples.pop();
        }
        let at = self.examples.partition_point(|(l, _)| *l <= line);
        self.examples.insert(at, (line, msg()));
    }

    fn emit(self, diags: &mut Diagnostics, path: &str, col: u32, columns: &[String]) {
        let mut it = self.examples.into_iter();
        for (line, msg) in it.by_ref().take(SHOWN) {
            diags.push(path, pos(line, col), msg);
        }
        if let Some((line, msg)) = it.next() {
            let more =
                Msg::MoreRows { columns: columns.to_vec(), count: self.count - SHOWN as u64, code: msg.code().into() };
            diags.push(path, pos(line, col), more);
        }
    }
}

/// `str::trim`, without scanning when the cell neither starts nor ends with whitespace (the usual cell).
fn trim(s: &str) -> &str {
    let visible = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if visible(s.chars().next()) && visible(s.chars().next_back()) { s } else { s.trim() }
}

fn pos(line: u64, col: u32) -> Pos {
    Pos::new(u32::try_from(line).unwrap_or(u32::MAX), col, 0)
}

/// A cell as quoted in messages: at most `VALUE_CHARS` characters, then "…".
fn shown(raw: &str) -> String {
    match raw.char_indices().nth(VALUE_CHARS) {
        Some((i, _)) => format!("{}…", &raw[..i]),
        None => raw.to_string(),
    }
}

/// A bound ready to compare, with its text as the dictionary wrote it.
struct Limit<'a> {
    value: Value<'a>,
    text: String,
}

/// What is checked in one column of the file.
struct Column<'a> {
    field: &'a Field,
    /// Index of the cell in the record (file order).
    index: usize,
    /// `index + 1`, the `col` of diagnostics.
    col: u32,
    name: Vec<String>,
    /// `None` when the dictionary cannot read the column (a bad `format`, reported): typed checks are skipped.
    parser: Option<CellParser>,
    string: bool,
    required: bool,
    type_format: Option<String>,
    type_example: Option<String>,
    enum_strings: Option<HashSet<&'a str>>,
    enum_values: Option<Vec<Value<'a>>>,
    minimum: Option<Limit<'a>>,
    maximum: Option<Limit<'a>>,
    pattern: Option<Regex>,
    codes: Option<(&'a HashSet<String>, String)>,
    unique: Option<DupTracker>,
    /// Position of this column in the primary key.
    key_part: Option<usize>,
    groups: [Group; KINDS],
}

/// The primary key of several columns (or of one column that is not also `unique`).
struct PrimaryKey {
    names: Vec<String>,
    /// Record indices of the key's cells, key order.
    indices: Vec<usize>,
    col: u32,
    parts: Vec<u128>,
    tracker: DupTracker,
    group: Group,
}

/// What `finish` returns about the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowStats {
    /// Rows checked.
    pub rows: u64,
    /// Problems found in them (all of them, not only those shown).
    pub problems: u64,
}

/// Checks the rows of one data file against its dictionary; see the module documentation.
pub struct RowChecker<'a> {
    path: String,
    dictionary: &'a str,
    canonical: bool,
    columns: Vec<Column<'a>>,
    key: Option<PrimaryKey>,
    dict_problems: Vec<(Pos, Msg)>,
    rows: u64,
}

impl<'a> RowChecker<'a> {
    /// `header`: column names in file order. `canonical`: true when cells come from JSON/XLSX (numbers with '.',
    /// ISO dates) so per-field Vietnamese formats do not apply; false for text files as agencies typed them.
    /// Dictionary fields missing from the header are not checked (E0401 reports them).
    pub fn new(schema: &'a Schema, header: &[String], codelists: &'a CodeLists, path: &str, canonical: bool) -> Self {
        let mut dict = Vec::new();
        if NumberChars::of(schema).is_err() {
            let decimal_char = schema.decimal_char.clone().unwrap_or_else(|| ".".into());
            let group_char = schema.group_char.clone().unwrap_or_default();
            dict.push((Pos::FILE, Msg::NumberCharsInvalid { decimal_char, group_char }));
        }
        let mut columns: Vec<Column<'a>> = schema
            .fields
            .iter()
            .filter_map(|f| {
                let index = header.iter().position(|h| *h == f.name.value)?;
                Some(Column::new(f, index, schema, codelists, &mut dict))
            })
            .collect();

        let key_names: Vec<&str> = schema.primary_key.iter().map(|k| k.value.as_str()).collect();
        let key_columns: Option<Vec<usize>> =
            key_names.iter().map(|n| columns.iter().position(|c| c.field.name.value == *n)).collect();
        let mut key = None;
        if let Some(kc) = key_columns.filter(|kc| !kc.is_empty()) {
            for &ci in &kc {
                columns[ci].required = true;
            }
            let single_unique = kc.len() == 1 && columns[kc[0]].field.unique;
            if !single_unique {
                for (part, &ci) in kc.iter().enumerate() {
                    columns[ci].key_part = Some(part);
                }
                key = Some(PrimaryKey {
                    names: key_names.iter().map(|n| n.to_string()).collect(),
                    indices: kc.iter().map(|&ci| columns[ci].index).collect(),
                    col: columns[kc[0]].col,
                    parts: vec![0; kc.len()],
                    tracker: DupTracker::new(0),
                    group: Group::default(),
                });
            }
        }
        let mut checker = RowChecker {
            path: path.to_string(),
            dictionary: &schema.source,
            canonical,
            columns,
            key,
            dict_problems: dict,
            rows: 0,
        };
        checker.set_unique_memory(DEFAULT_UNIQUE_MEMORY);
        checker
    }

    /// Sets the memory shared by the `unique` / primary-key trackers (default `DEFAULT_UNIQUE_MEMORY`); beyond
    /// it they spill to temporary files. Call before the first row.
    pub fn with_unique_memory(mut self, bytes: usize) -> Self {
        self.set_unique_memory(bytes);
        self
    }

    fn set_unique_memory(&mut self, bytes: usize) {
        let trackers = self.columns.iter().filter(|c| c.field.unique).count() + usize::from(self.key.is_some());
        let share = bytes / trackers.max(1);
        for c in &mut self.columns {
            if c.field.unique {
                c.unique = Some(DupTracker::new(share));
            }
        }
        if let Some(k) = &mut self.key {
            k.tracker = DupTracker::new(share);
        }
    }

    /// Rows checked so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// One data row; `line` is the 1-based line (CSV) or row number (XLSX/JSON element) for diagnostics.
    /// A short record's missing cells count as empty.
    pub fn check_row(&mut self, line: u64, record: &csv::StringRecord) {
        self.rows += 1;
        let canonical = self.canonical;
        let mut key_parts = 0;
        for c in &mut self.columns {
            let field: &'a Field = c.field;
            let name = &field.name.value;
            let raw = record.get(c.index).unwrap_or("");
            let text = trim(raw);
            if text.is_empty() {
                if c.required {
                    c.groups[REQUIRED].offer(line, || Msg::CellRequired { column: name.clone() });
                }
                continue;
            }
            let lexical = if c.string { raw } else { text };
            let value = match &c.parser {
                None => None,
                Some(_) if c.string => Some(Value::String(raw)),
                Some(p) => match p.parse_trimmed(raw, text, canonical) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        let (format, example) = (&c.type_format, &c.type_example);
                        c.groups[TYPE].offer(line, || Msg::CellType {
                            column: name.clone(),
                            value: shown(raw),
                            ty: field.ty,
                            format: format.clone(),
                            example: example.clone(),
                        });
                        continue;
                    }
                },
            };
            if let Some(set) = &c.enum_strings {
                if !set.contains(raw) {
                    c.groups[ENUM].offer(line, || enum_msg(field, raw));
                }
            } else if let (Some(allowed), Some(v)) = (&c.enum_values, &value)
                && !allowed.iter().any(|a| a.same(v))
            {
                c.groups[ENUM].offer(line, || enum_msg(field, raw));
            }
            if let Some(v) = &value {
                if let Some(min) = &c.minimum
                    && v.compare(&min.value) == Some(Ordering::Less)
                {
                    c.groups[MINIMUM].offer(line, || Msg::CellMinimum {
                        column: name.clone(),
                        value: shown(raw),
                        minimum: min.text.clone(),
                    });
                }
                if let Some(max) = &c.maximum
                    && v.compare(&max.value) == Some(Ordering::Greater)
                {
                    c.groups[MAXIMUM].offer(line, || Msg::CellMaximum {
                        column: name.clone(),
                        value: shown(raw),
                        maximum: max.text.clone(),
                    });
                }
            }
            if let Some(re) = &c.pattern
                && !re.is_match(lexical)
            {
                c.groups[PATTERN].offer(line, || Msg::CellPattern {
                    column: name.clone(),
                    value: shown(raw),
                    pattern: field.pattern.clone().unwrap_or_default(),
                });
            }
            if let Some((codes, label)) = &c.codes
                && !codes.contains(lexical)
            {
                c.groups[CODE].offer(line, || Msg::CellUnknownCode {
                    column: name.clone(),
                    value: shown(lexical),
                    codelist: label.clone(),
                });
            }
            let Some(v) = value else { continue };
            if c.unique.is_none() && c.key_part.is_none() {
                continue;
            }
            let mut h = Hash128::new();
            v.hash_into(&mut h);
            let hash = h.finish128();
            if let Some(tracker) = &mut c.unique
                && let Some(first_line) = tracker.insert(hash, line)
            {
                c.groups[DUPLICATE].offer(line, || Msg::CellDuplicate {
                    column: name.clone(),
                    value: Some(shown(raw)),
                    first_line,
                });
            }
            if let (Some(part), Some(key)) = (c.key_part, &mut self.key) {
                key.parts[part] = hash;
                key_parts += 1;
            }
        }
        if let Some(key) = &mut self.key
            && key_parts == key.parts.len()
        {
            let mut h = Hash128::new();
            for p in &key.parts {
                h.write_u128(*p);
            }
            if let Some(first_line) = key.tracker.insert(h.finish128(), line) {
                let indices = &key.indices;
                key.group.offer(line, || {
                    let cells: Vec<String> =
                        indices.iter().map(|&i| format!("\"{}\"", shown(record.get(i).unwrap_or("")))).collect();
                    Msg::KeyDuplicate { columns: key.names.clone(), value: Some(cells.join(", ")), first_line }
                });
            }
        }
    }

    /// Finishes duplicate detection (merging spilled runs) and reports everything: dictionary problems once, at
    /// the dictionary; per (column, kind) the first `SHOWN` problems at their line, then one E0599 count.
    pub fn finish(self, diags: &mut Diagnostics) -> RowStats {
        let mut stats = RowStats { rows: self.rows, problems: 0 };
        for (p, msg) in self.dict_problems {
            diags.push(self.dictionary, p, msg);
        }
        for mut c in self.columns {
            if let Some(tracker) = c.unique.take() {
                let name = &c.field.name.value;
                let group = &mut c.groups[DUPLICATE];
                tracker.finish(&mut |l, first| {
                    group.offer(l, || Msg::CellDuplicate { column: name.clone(), value: None, first_line: first })
                });
            }
            for g in c.groups {
                stats.problems += g.count;
                g.emit(diags, &self.path, c.col, &c.name);
            }
        }
        if let Some(mut key) = self.key {
            let names = &key.names;
            let group = &mut key.group;
            key.tracker.finish(&mut |l, first| {
                group.offer(l, || Msg::KeyDuplicate { columns: names.clone(), value: None, first_line: first })
            });
            stats.problems += key.group.count;
            key.group.emit(diags, &self.path, key.col, &key.names);
        }
        stats
    }
}

fn enum_msg(field: &Field, raw: &str) -> Msg {
    Msg::CellEnum { column: field.name.value.clone(), value: shown(raw), allowed: field.enum_values.clone() }
}

impl<'a> Column<'a> {
    fn new(
        field: &'a Field,
        index: usize,
        schema: &'a Schema,
        codelists: &'a CodeLists,
        dict: &mut Vec<(Pos, Msg)>,
    ) -> Self {
        let at = field.name.pos;
        let fname = || field.name.value.clone();
        let parser = match CellParser::new(field, schema) {
            Ok(p) => Some(p),
            Err(DictError::Format(format)) => {
                dict.push((at, Msg::FieldFormatInvalid { field: fname(), format }));
                None
            }
            // Reported once for the whole dictionary.
            Err(DictError::NumberChars) => None,
        };
        let string = field.ty == FieldType::String;
        let mut column = Column {
            field,
            index,
            col: u32::try_from(index + 1).unwrap_or(u32::MAX),
            name: vec![fname()],
            type_format: parser.as_ref().and_then(CellParser::format_shown),
            type_example: parser.as_ref().and_then(CellParser::example),
            parser,
            string,
            required: field.required,
            enum_strings: None,
            enum_values: None,
            minimum: None,
            maximum: None,
            pattern: None,
            codes: None,
            unique: None,
            key_part: None,
            groups: Default::default(),
        };
        if !field.enum_values.is_empty() {
            if string {
                column.enum_strings = Some(field.enum_values.iter().map(String::as_str).collect());
            } else if let Some(p) = &column.parser {
                let mut values = Vec::new();
                for e in &field.enum_values {
                    match p.parse(e, true) {
                        Ok(v) if v != Value::Null => values.push(v),
                        _ => dict.push((
                            at,
                            Msg::FieldConstraintInvalid {
                                field: fname(),
                                key: "enum".into(),
                                value: e.clone(),
                                ty: field.ty,
                            },
                        )),
                    }
                }
                // An unreadable item is a dictionary error; checking cells against the rest would mislead.
                if values.len() == field.enum_values.len() {
                    column.enum_values = Some(values);
                }
            }
        }
        for (key, bound, slot) in
            [("minimum", &field.minimum, &mut column.minimum), ("maximum", &field.maximum, &mut column.maximum)]
        {
            let Some(b) = bound else { continue };
            if matches!(field.ty, FieldType::String | FieldType::Boolean | FieldType::Geopoint) {
                dict.push((at, Msg::FieldOptionNotForType { key: key.into(), ty: field.ty.name().into() }));
                continue;
            }
            let Some(p) = &column.parser else { continue };
            match limit(field.ty, p, b) {
                Some(value) => *slot = Some(Limit { value, text: b.to_string() }),
                None => dict.push((
                    at,
                    Msg::FieldConstraintInvalid { field: fname(), key: key.into(), value: b.to_string(), ty: field.ty },
                )),
            }
        }
        if let Some(p) = &field.pattern {
            // The bare pattern is compiled first: wrapping alone could make an unbalanced one valid ("a)|(b").
            match Regex::new(p).and_then(|_| Regex::new(&format!("^(?:{p})$"))) {
                Ok(re) => column.pattern = Some(re),
                Err(e) => dict.push((
                    at,
                    Msg::FieldPatternInvalid { field: fname(), pattern: p.clone(), detail: regex_detail(&e) },
                )),
            }
        }
        if let Some(r) = &field.references {
            column.codes = codelists.get(&r.value).map(|set| (set, CodeLists::label(&r.value)));
        }
        column
    }
}

/// A `minimum` / `maximum` as a value of the field's type.
fn limit<'a>(ty: FieldType, parser: &CellParser, b: &'a Bound) -> Option<Value<'a>> {
    match (ty, b) {
        (FieldType::Integer | FieldType::Number | FieldType::Year, Bound::Number(n)) => Some(Value::Number(*n)),
        (_, Bound::Number(_)) => None,
        (FieldType::Datetime, Bound::Date(s)) => match parser.parse(s, true) {
            Ok(v @ Value::Datetime(..)) => Some(v),
            _ => dates::parse_iso_date(s).map(|d| Value::Datetime(d.midnight(), None)),
        },
        (_, Bound::Date(s)) => parser.parse(s, true).ok().filter(|v| *v != Value::Null),
    }
}

/// The last line of a regex error ("unclosed character class"), without its "error: " prefix.
fn regex_detail(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}
