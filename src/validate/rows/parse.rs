//! Owns the typed reading of one cell per its dictionary field: `Value`, `CellParser` and `parse_cell`
//! (Table Schema types, Vietnamese number and date formats declared per field). Shared by row validation,
//! typed JSON copies and `odp infer`, so every spelling accepted is listed here:
//!
//! - A cell that is empty or only whitespace is missing: `Value::Null`. Other types are read from the
//!   trimmed text; strings are kept exactly as written.
//! - integer: optional sign and ASCII digits. With `group_char` the digits may be grouped by threes
//!   (`1.234.567`); a group character anywhere else makes the cell invalid. (Table Schema deletes group
//!   characters wherever they are, which would silently read "1.5" in a decimal-comma file as 15.)
//! - number: an integer part as above, then optionally `decimal_char` and digits, then optionally an
//!   exponent (`e`/`E`, sign, digits); or `NaN`, `INF`, `-INF` (Table Schema's lexical forms).
//! - boolean: `true`/`false` (any case), `1`/`0`, `có`/`không`, `đúng`/`sai` (any case).
//! - date: ISO `YYYY-MM-DD` by default. `format` in strftime style: `%d %m %Y %y %H %M %S %f %z %%`;
//!   `%d %m %H %M %S` take one or two digits like strptime (so `1/7/2025` matches `%d/%m/%Y`), a space
//!   matches any run of whitespace, a format needs a year. `any` = ISO, or day-first `d/m/yyyy` with
//!   `/`, `-` or `.` (Vietnam never writes month first).
//! - datetime: ISO 8601 `YYYY-MM-DDThh:mm[:ss[.fffffffff]][Z|±hh:mm|±hhmm|±hh]` by default (a space may
//!   replace `T`; no offset = local time), or `format` as for dates (missing time parts are 0).
//! - year: four digits.
//! - geopoint: `lon, lat` — Table Schema's default order, longitude first, decimal point `.` — with
//!   -180 ≤ lon ≤ 180 and -90 ≤ lat ≤ 90; `[lon, lat]` is accepted too (JSON arrays).
//! - canonical cells (from JSON/XLSX): numbers with `.` and no grouping, ISO dates (a midnight ISO
//!   datetime is accepted for a date); when that fails the field's declared format is tried as well,
//!   because a text cell in a spreadsheet keeps the agency's own spelling.

use super::dates::{DateFormat, digits_value, midnight, parse_iso_date, parse_iso_datetime};
use crate::model::{Field, FieldType, Schema};
use std::cmp::Ordering;
use std::hash::Hasher;
use time::{Date, PrimitiveDateTime, Time, UtcOffset};

/// One cell, typed per its field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A missing value: the cell is empty or only whitespace.
    Null,
    /// The cell exactly as written (NFC), not trimmed.
    String(&'a str),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(Date),
    /// A date and time; the offset when the text gave one (`Z`, `+07:00`), else local time.
    Datetime(PrimitiveDateTime, Option<UtcOffset>),
    Year(i32),
    /// Table Schema order: longitude, then latitude.
    Geopoint {
        lon: f64,
        lat: f64,
    },
}

impl Value<'_> {
    /// Order of two values of one field type (numbers of different kinds compare numerically; datetimes
    /// with offsets compare as instants). `None` when they do not compare (NaN, geopoints that differ,
    /// different types).
    pub fn compare(&self, other: &Value<'_>) -> Option<Ordering> {
        use Value as V;
        match (self, other) {
            (V::Null, V::Null) => Some(Ordering::Equal),
            (V::String(a), V::String(b)) => Some(a.cmp(b)),
            (V::Integer(a), V::Integer(b)) => Some(a.cmp(b)),
            (V::Integer(a), V::Number(b)) => (*a as f64).partial_cmp(b),
            (V::Number(a), V::Integer(b)) => a.partial_cmp(&(*b as f64)),
            (V::Number(a), V::Number(b)) => a.partial_cmp(b),
            (V::Year(a), V::Year(b)) => Some(a.cmp(b)),
            (V::Year(a), V::Number(b)) => f64::from(*a).partial_cmp(b),
            (V::Year(a), V::Integer(b)) => Some(i64::from(*a).cmp(b)),
            (V::Boolean(a), V::Boolean(b)) => Some(a.cmp(b)),
            (V::Date(a), V::Date(b)) => Some(a.cmp(b)),
            (V::Datetime(a, Some(oa)), V::Datetime(b, Some(ob))) => {
                Some(a.assume_offset(*oa).cmp(&b.assume_offset(*ob)))
            }
            (V::Datetime(a, _), V::Datetime(b, _)) => Some(a.cmp(b)),
            (V::Geopoint { lon: a, lat: b }, V::Geopoint { lon: c, lat: d }) => {
                (a == c && b == d).then_some(Ordering::Equal)
            }
            _ => None,
        }
    }

    /// Equality of typed values, as `enum` and `unique` mean it ("1.0" equals "1" in a number field).
    pub fn same(&self, other: &Value<'_>) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// Feeds the value's identity to a hasher so that `same` values hash alike.
    pub(crate) fn hash_into(&self, h: &mut impl Hasher) {
        fn float(h: &mut impl Hasher, f: f64) {
            let f = if f == 0.0 { 0.0 } else { f };
            h.write_u64(if f.is_nan() { f64::NAN.to_bits() } else { f.to_bits() });
        }
        match *self {
            Value::Null => h.write_u8(0),
            Value::String(s) => {
                h.write_u8(1);
                h.write(s.as_bytes());
                h.write_u8(0xff);
            }
            Value::Integer(i) => {
                h.write_u8(2);
                h.write_i64(i);
            }
            Value::Number(f) => {
                h.write_u8(3);
                float(h, f);
            }
            Value::Boolean(b) => {
                h.write_u8(4);
                h.write_u8(b as u8);
            }
            Value::Date(d) => {
                h.write_u8(5);
                h.write_i32(d.to_julian_day());
            }
            Value::Datetime(dt, Some(off)) => {
                h.write_u8(6);
                h.write_i128(dt.assume_offset(off).unix_timestamp_nanos());
            }
            Value::Datetime(dt, None) => {
                h.write_u8(7);
                h.write_i32(dt.date().to_julian_day());
                h.write_u64(dt.time().as_hms_nano().3 as u64 + nanos_of_day(dt.time()));
            }
            Value::Year(y) => {
                h.write_u8(8);
                h.write_i32(y);
            }
            Value::Geopoint { lon, lat } => {
                h.write_u8(9);
                float(h, lon);
                float(h, lat);
            }
        }
    }
}

fn nanos_of_day(t: Time) -> u64 {
    let (h, m, s) = t.as_hms();
    (u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s)) * 1_000_000_000
}

/// A cell that does not read as its field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellError {
    /// Not a value of this type written in the field's format (or out of the type's range:
    /// 31/02/2025, an integer beyond 64 bits, a latitude of 107).
    Invalid(FieldType),
    /// The dictionary itself cannot be used to read the cell (see `DictError`).
    Dictionary(DictError),
}

/// A field declaration that cannot be used to read cells; reported once, at the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DictError {
    /// `format` is not a strftime-style pattern odp reads, or has no year.
    Format(String),
    /// `decimal_char` / `group_char` are not two different single characters.
    NumberChars,
}

/// The decimal mark and thousands separator of numbers in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberChars {
    pub decimal: char,
    pub group: Option<char>,
}

impl NumberChars {
    /// How JSON, XLSX and Table Schema write numbers: `1234567.89`.
    pub const CANONICAL: NumberChars = NumberChars { decimal: '.', group: None };

    /// The schema's `decimal_char` / `group_char` (defaults `.` and none).
    pub fn of(schema: &Schema) -> Result<NumberChars, DictError> {
        fn one(s: &str) -> Option<char> {
            let mut it = s.chars();
            it.next().filter(|_| it.next().is_none())
        }
        let decimal = match schema.decimal_char.as_deref() {
            None => '.',
            Some(s) => one(s).ok_or(DictError::NumberChars)?,
        };
        let group = match schema.group_char.as_deref() {
            None | Some("") => None,
            Some(s) => Some(one(s).ok_or(DictError::NumberChars)?),
        };
        if group == Some(decimal) || decimal.is_ascii_digit() || group.is_some_and(|g| g.is_ascii_digit()) {
            return Err(DictError::NumberChars);
        }
        Ok(NumberChars { decimal, group })
    }

    /// How 1234567.89 (or 1234567 without a fraction) is written with these characters.
    pub fn example(self, fraction: bool) -> String {
        let g = self.group.map(String::from).unwrap_or_default();
        let mut s = format!("1{g}234{g}567");
        if fraction {
            s.push(self.decimal);
            s.push_str("89");
        }
        s
    }
}

/// Reads the cells of one field; build it once per column, then call `parse` per cell.
#[derive(Debug, Clone)]
pub struct CellParser {
    ty: FieldType,
    chars: NumberChars,
    dates: DateFormat,
    format: Option<String>,
}

impl CellParser {
    /// The parser of `field` (its type, `format`) in `schema` (its `decimal_char` / `group_char`).
    pub fn new(field: &Field, schema: &Schema) -> Result<CellParser, DictError> {
        let chars = match field.ty {
            FieldType::Integer | FieldType::Number => NumberChars::of(schema)?,
            _ => NumberChars::CANONICAL,
        };
        let dates = match field.ty {
            FieldType::Date | FieldType::Datetime => DateFormat::compile(field.format.as_deref())?,
            _ => DateFormat::Iso,
        };
        Ok(CellParser { ty: field.ty, chars, dates, format: field.format.clone() })
    }

    pub fn ty(&self) -> FieldType {
        self.ty
    }

    /// How a valid value of this field is written, when that is worth telling (a declared number format, any
    /// date, datetime or geopoint); `None` for plain integers, numbers, strings, booleans and years.
    pub fn example(&self) -> Option<String> {
        match self.ty {
            FieldType::Integer if self.chars.group.is_some() => Some(self.chars.example(false)),
            FieldType::Number if self.chars != NumberChars::CANONICAL => Some(self.chars.example(true)),
            FieldType::Date => Some(self.dates.example(false)),
            FieldType::Datetime => Some(self.dates.example(true)),
            FieldType::Geopoint => Some("105.85, 21.03".into()),
            _ => None,
        }
    }

    /// The date/datetime format to name in messages: the declared one, `%Y-%m-%d` for a default date,
    /// `None` for a default (ISO 8601) datetime and for other types.
    pub fn format_shown(&self) -> Option<String> {
        match (&self.dates, self.ty) {
            (DateFormat::Iso, FieldType::Date) => Some("%Y-%m-%d".into()),
            (DateFormat::Any, FieldType::Date | FieldType::Datetime) => Some("any".into()),
            (DateFormat::Items(_), FieldType::Date | FieldType::Datetime) => self.format.clone(),
            _ => None,
        }
    }

    /// Reads one cell. `canonical`: the cell comes from JSON/XLSX (see the module documentation).
    pub fn parse<'r>(&self, raw: &'r str, canonical: bool) -> Result<Value<'r>, CellError> {
        self.parse_trimmed(raw, raw.trim(), canonical)
    }

    /// `parse` for a caller that has already trimmed the cell: `s` is `raw.trim()`.
    pub(crate) fn parse_trimmed<'r>(&self, raw: &'r str, s: &str, canonical: bool) -> Result<Value<'r>, CellError> {
        if s.is_empty() {
            return Ok(Value::Null);
        }
        let v = match self.ty {
            FieldType::String => Some(Value::String(raw)),
            FieldType::Integer => if canonical {
                parse_int(s, NumberChars::CANONICAL)
                    .or_else(|| strip_zero_fraction(s).and_then(|t| parse_int(t, NumberChars::CANONICAL)))
                    .or_else(|| parse_int(s, self.chars))
            } else {
                parse_int(s, self.chars)
            }
            .map(Value::Integer),
            FieldType::Number => if canonical {
                parse_number(s, NumberChars::CANONICAL).or_else(|| parse_number(s, self.chars))
            } else {
                parse_number(s, self.chars)
            }
            .map(Value::Number),
            FieldType::Boolean => parse_bool(s).map(Value::Boolean),
            FieldType::Year => {
                let t = if canonical { strip_zero_fraction(s).unwrap_or(s) } else { s };
                (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| Value::Year(digits_value(t) as i32))
            }
            FieldType::Date => if canonical {
                parse_iso_date(s).or_else(|| midnight(s)).or_else(|| self.dates.date(s))
            } else {
                self.dates.date(s)
            }
            .map(Value::Date),
            FieldType::Datetime => if canonical {
                parse_iso_datetime(s).or_else(|| self.dates.datetime(s))
            } else {
                self.dates.datetime(s)
            }
            .map(|(dt, off)| Value::Datetime(dt, off)),
            FieldType::Geopoint => parse_geopoint(s),
        };
        v.ok_or(CellError::Invalid(self.ty))
    }
}

/// Reads one cell per its field declaration; `Value::Null` for a missing cell. Builds the field's parser on
/// every call: to read many cells, build a `CellParser` once.
pub fn parse_cell<'r>(field: &Field, schema: &Schema, raw: &'r str, canonical: bool) -> Result<Value<'r>, CellError> {
    CellParser::new(field, schema).map_err(CellError::Dictionary)?.parse(raw, canonical)
}

// --- numbers ---

/// Normalised ASCII text of a number, on the stack unless it is unusually long.
struct Ascii {
    stack: [u8; 64],
    len: usize,
    heap: Vec<u8>,
}

impl Ascii {
    fn new() -> Self {
        Ascii { stack: [0; 64], len: 0, heap: Vec::new() }
    }
    fn push(&mut self, b: u8) {
        if self.len < 64 {
            self.stack[self.len] = b;
        } else {
            if self.len == 64 {
                self.heap.extend_from_slice(&self.stack);
            }
            self.heap.push(b);
        }
        self.len += 1;
    }
    fn extend(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }
    fn as_str(&self) -> &str {
        let b = if self.len <= 64 { &self.stack[..self.len] } else { &self.heap[..] };
        std::str::from_utf8(b).unwrap_or("")
    }
}

/// `s.strip_prefix(c)` without encoding `c` and calling `memcmp` when it is ASCII (the usual case).
#[inline]
pub(super) fn strip_char(s: &str, c: char) -> Option<&str> {
    if c.is_ascii() { (s.as_bytes().first() == Some(&(c as u8))).then(|| &s[1..]) } else { s.strip_prefix(c) }
}

pub(super) fn leading_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// Checks `[sign] int [decimal frac] [exp]` written with `chars` and copies it to `out` in Rust's syntax.
/// Groups must be of three digits after a first group of one to three.
fn scan_number(s: &str, chars: NumberChars, fraction: bool, out: &mut Ascii) -> bool {
    let mut rest = s;
    if let Some(r) = strip_char(rest, '-') {
        out.push(b'-');
        rest = r;
    } else if let Some(r) = strip_char(rest, '+') {
        rest = r;
    }
    let first = leading_digits(rest);
    out.extend(&rest.as_bytes()[..first]);
    rest = &rest[first..];
    let mut int_digits = first;
    if let Some(g) = chars.group
        && strip_char(rest, g).is_some()
    {
        if first == 0 || first > 3 {
            return false;
        }
        while let Some(r) = strip_char(rest, g) {
            if leading_digits(r) != 3 {
                return false;
            }
            out.extend(&r.as_bytes()[..3]);
            rest = &r[3..];
            int_digits += 3;
        }
    }
    let mut frac_digits = 0;
    if fraction && let Some(r) = strip_char(rest, chars.decimal) {
        frac_digits = leading_digits(r);
        if frac_digits == 0 {
            return false;
        }
        out.push(b'.');
        out.extend(&r.as_bytes()[..frac_digits]);
        rest = &r[frac_digits..];
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if fraction && let Some(r) = strip_char(rest, 'e').or_else(|| strip_char(rest, 'E')) {
        out.push(b'e');
        let r = if let Some(r) = strip_char(r, '-') {
            out.push(b'-');
            r
        } else {
            strip_char(r, '+').unwrap_or(r)
        };
        let d = leading_digits(r);
        if d == 0 {
            return false;
        }
        out.extend(&r.as_bytes()[..d]);
        rest = &r[d..];
    }
    rest.is_empty()
}

fn parse_int(s: &str, chars: NumberChars) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mut acc: u64 = 0;
    let mut add = |digits: &str| -> Option<()> {
        for b in digits.bytes() {
            acc = acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        }
        Some(())
    };
    let first = leading_digits(rest);
    if first == 0 {
        return None;
    }
    add(&rest[..first])?;
    rest = &rest[first..];
    if let Some(g) = chars.group
        && strip_char(rest, g).is_some()
    {
        if first > 3 {
            return None;
        }
        while let Some(r) = strip_char(rest, g) {
            if leading_digits(r) != 3 {
                return None;
            }
            add(&r[..3])?;
            rest = &r[3..];
        }
    }
    if !rest.is_empty() {
        return None;
    }
    if neg { 0i64.checked_sub_unsigned(acc) } else { i64::try_from(acc).ok() }
}

fn parse_number(s: &str, chars: NumberChars) -> Option<f64> {
    match s {
        "NaN" => return Some(f64::NAN),
        "INF" => return Some(f64::INFINITY),
        "-INF" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    let mut out = Ascii::new();
    if !scan_number(s, chars, true, &mut out) {
        return None;
    }
    out.as_str().parse().ok()
}

/// "12.0" → "12": spreadsheets and JSON write whole numbers as floats.
fn strip_zero_fraction(s: &str) -> Option<&str> {
    let (int, frac) = s.split_once('.')?;
    (!frac.is_empty() && frac.bytes().all(|b| b == b'0')).then_some(int)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "1" | "có" | "Có" | "CÓ" | "đúng" | "Đúng" | "ĐÚNG" => return Some(true),
        "false" | "False" | "FALSE" | "0" | "không" | "Không" | "KHÔNG" | "sai" | "Sai" | "SAI" => {
            return Some(false);
        }
        _ => {}
    }
    const TRUE: [&str; 3] = ["true", "có", "đúng"];
    const FALSE: [&str; 3] = ["false", "không", "sai"];
    let is = |word: &str| s.len() == word.len() && s.chars().flat_map(char::to_lowercase).eq(word.chars());
    if TRUE.iter().any(|w| is(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| is(w)) {
        Some(false)
    } else {
        None
    }
}

fn parse_geopoint(s: &str) -> Option<Value<'static>> {
    let inner = s.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(s);
    let (a, b) = inner.split_once(',')?;
    let lon = parse_number(a.trim(), NumberChars::CANONICAL)?;
    let lat = parse_number(b.trim(), NumberChars::CANONICAL)?;
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some(Value::Geopoint { lon, lat })
}
