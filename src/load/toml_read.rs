//! Reads TOML with a position for every key and value, and reports *every* shape problem
//! (unknown key, wrong type, missing key) instead of stopping at the first like serde would.
//! Loaders describe each table by asking for its keys; the reader records what was asked and
//! flags the rest as unknown, naming the valid keys (issue: "unknown keys are errors that name
//! the valid ones").

use crate::diag::messages::ValueKind;
use crate::diag::{Diagnostics, LineIndex, Msg, Pos};
use crate::model::{At, Bound, Text};
use crate::text::nfc;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One TOML document (a whole file, or the front matter of a Markdown file).
pub struct Doc<'a> {
    pub path: &'a str,
    /// The whole file, so positions are right even for front matter.
    file_text: &'a str,
    index: LineIndex,
    /// Byte offset of the TOML inside `file_text`.
    offset: usize,
    pub diags: &'a mut Diagnostics,
}

/// A table being read, with the keys the loader asked about.
pub struct Table<'t, 'i> {
    pub inner: &'t DeTable<'i>,
    pub span: Range<usize>,
    /// Human name for messages: "dataset.toml", "[[resources]] #2".
    pub name: String,
    asked: Vec<&'static str>,
}

fn found(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "[…]".into(),
        DeValue::Table(_) => "{…}".into(),
    }
}

impl<'a> Doc<'a> {
    pub fn new(path: &'a str, file_text: &'a str, offset: usize, diags: &'a mut Diagnostics) -> Self {
        Doc { path, file_text, index: LineIndex::new(file_text), offset, diags }
    }

    pub fn pos(&self, span: Range<usize>) -> Pos {
        self.index.pos(self.file_text, span.start + self.offset..span.end + self.offset)
    }

    pub fn error(&mut self, span: Range<usize>, msg: Msg) {
        let pos = self.pos(span);
        self.diags.push(self.path, pos, msg);
    }

    /// Parses the TOML text; syntax errors are reported (all of them, with recovery) and
    /// `None` is returned so the caller skips the file.
    pub fn parse<'i>(&mut self, toml_text: &'i str) -> Option<Spanned<DeTable<'i>>> {
        let (table, errors) = DeTable::parse_recoverable(toml_text);
        if errors.is_empty() {
            return Some(table);
        }
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            self.error(span, Msg::TomlSyntax { detail: e.message().trim().to_string() });
        }
        None
    }

    /// Finds a key; records that it is a valid key of this table.
    fn get<'t, 'i>(
        &mut self,
        t: &mut Table<'t, 'i>,
        key: &'static str,
    ) -> Option<(&'t Spanned<toml::de::DeString<'i>>, &'t Spanned<DeValue<'i>>)> {
        t.asked.push(key);
        t.inner.iter().find(|(k, _)| k.get_ref().as_ref() == key)
    }

    fn wrong_type(&mut self, key: &str, v: &Spanned<DeValue<'_>>, expected: ValueKind) {
        let msg = Msg::WrongType { key: key.to_string(), expected, found: found(v.get_ref()) };
        self.error(v.span(), msg);
    }

    /// A required key is absent: reported at the start of its table, with nothing to
    /// underline (the problem is what is not there).
    pub fn missing(&mut self, t: &Table<'_, '_>, key: &str) {
        let pos = Pos { len: 0, ..self.pos(t.span.start..t.span.start) };
        self.diags.push(self.path, pos, Msg::MissingKey { key: key.to_string(), table: t.name.clone() });
    }

    /// Reports the keys nobody asked about. Call after reading a table.
    pub fn finish(&mut self, t: Table<'_, '_>) {
        let mut valid = t.asked.clone();
        valid.sort_unstable();
        valid.dedup();
        for (k, _) in t.inner.iter() {
            let key = k.get_ref().as_ref();
            if !valid.contains(&key) {
                let (key, table) = (key.to_string(), t.name.clone());
                let msg = match closest(&key, &valid) {
                    Some(suggestion) => {
                        Msg::MisspeltKey { key, table, suggestion: suggestion.into(), valid: cows(&valid) }
                    }
                    None => Msg::UnknownKey { key, table, valid: cows(&valid) },
                };
                self.error(k.span(), msg);
            }
        }
    }

    pub fn string(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<At<String>> {
        let (_, v) = self.get(t, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(At::new(nfc(s.trim()), self.pos(v.span()))),
            _ => {
                self.wrong_type(key, v, ValueKind::String);
                None
            }
        }
    }

    pub fn required_string(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<At<String>> {
        let had = t.inner.iter().any(|(k, _)| k.get_ref().as_ref() == key);
        let v = self.string(t, key);
        if !had {
            self.missing(t, key);
        }
        v
    }

    /// `key` in Vietnamese plus `key_en` in English.
    pub fn text(
        &mut self,
        t: &mut Table<'_, '_>,
        key: &'static str,
        key_en: &'static str,
        required: bool,
    ) -> Option<Text> {
        let vi = if required { self.required_string(t, key) } else { self.string(t, key) };
        let en = self.string(t, key_en).map(|s| s.value);
        vi.map(|vi| Text::new(vi.value, en))
    }

    pub fn boolean(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<bool> {
        let (_, v) = self.get(t, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, ValueKind::Boolean);
                None
            }
        }
    }

    pub fn integer(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<i64> {
        let (_, v) = self.get(t, key)?;
        if let DeValue::Integer(i) = v.get_ref()
            && let Ok(n) = i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
        {
            return Some(n);
        }
        self.wrong_type(key, v, ValueKind::Integer);
        None
    }

    /// A TOML local date (`2025-07-01`) or a string holding one; returned as `YYYY-MM-DD`.
    pub fn date(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<At<String>> {
        let (_, v) = self.get(t, key)?;
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() && d.date.is_some() => {
                Some(At::new(d.date.unwrap().to_string(), pos))
            }
            DeValue::String(s) if parse_iso_date(s).is_some() => Some(At::new(s.to_string(), pos)),
            _ => {
                self.wrong_type(key, v, ValueKind::Date);
                None
            }
        }
    }

    /// A number, or a date (for date fields' minimum/maximum).
    pub fn bound(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<Bound> {
        let (_, v) = self.get(t, key)?;
        match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok().map(|n| Bound::Number(n as f64))
            }
            DeValue::Float(f) => f.as_str().replace('_', "").parse().ok().map(Bound::Number),
            DeValue::Datetime(d) if d.time.is_none() && d.date.is_some() => {
                Some(Bound::Date(d.date.unwrap().to_string()))
            }
            DeValue::String(s) if parse_iso_date(s).is_some() => Some(Bound::Date(s.to_string())),
            _ => {
                self.wrong_type(key, v, ValueKind::NumberOrDate);
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    pub fn string_list(&mut self, t: &mut Table<'_, '_>, key: &'static str) -> Option<Vec<At<String>>> {
        let (_, v) = self.get(t, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(vec![At::new(nfc(s.trim()), self.pos(v.span()))]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(At::new(nfc(s.trim()), self.pos(item.span()))),
                        _ => self.wrong_type(key, item, ValueKind::StringList),
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong_type(key, v, ValueKind::StringList);
                None
            }
        }
    }

    /// An inline or standard sub-table.
    pub fn table<'t, 'i>(&mut self, t: &mut Table<'t, 'i>, key: &'static str, name: &str) -> Option<Table<'t, 'i>> {
        let (k, v) = self.get(t, key)?;
        match v.get_ref() {
            DeValue::Table(inner) => Some(Table::new(inner, k.span().start..v.span().end, name)),
            _ => {
                self.wrong_type(key, v, ValueKind::Table);
                None
            }
        }
    }

    /// An array of tables (`[[resources]]`); each element is named `name #n`.
    pub fn tables<'t, 'i>(&mut self, t: &mut Table<'t, 'i>, key: &'static str, name: &str) -> Vec<Table<'t, 'i>> {
        let Some((_, v)) = self.get(t, key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, ValueKind::TableList);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(inner) => out.push(Table::new(inner, item.span(), &format!("{name} #{}", i + 1))),
                _ => self.wrong_type(key, item, ValueKind::TableList),
            }
        }
        out
    }

    /// The span of a key's value, for messages about its content.
    pub fn value_span(&self, t: &Table<'_, '_>, key: &str) -> Option<Range<usize>> {
        t.inner.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v.span())
    }
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(inner: &'t DeTable<'i>, span: Range<usize>, name: &str) -> Self {
        Table { inner, span, name: name.to_string(), asked: Vec::new() }
    }

    pub fn has(&self, key: &str) -> bool {
        self.inner.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }
}

/// `YYYY-MM-DD` that is a real calendar date.
pub fn parse_iso_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// The valid key within two edits of a typo, if exactly one is that close.
fn closest(key: &str, valid: &[&'static str]) -> Option<&'static str> {
    let close: Vec<&'static str> = valid.iter().copied().filter(|v| edit_distance(key, v) <= 2).collect();
    (close.len() == 1).then(|| close[0])
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Key names for a message (which may outlive the parse, in the build cache).
fn cows(keys: &[&'static str]) -> Vec<std::borrow::Cow<'static, str>> {
    keys.iter().map(|k| std::borrow::Cow::Borrowed(*k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_one_close_key() {
        assert_eq!(closest("titel", &["title", "theme", "description"]), Some("title"));
        assert_eq!(closest("xyz", &["title", "theme"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
