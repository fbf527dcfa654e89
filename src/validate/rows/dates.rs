//! Owns the reading of dates and times for `CellParser`: strict ISO 8601 dates and datetimes, day-first
//! dates for `format = "any"`, and strftime-style formats (`%d/%m/%Y`) compiled once per column; the
//! accepted spellings are listed in `rows/parse.rs`.

use super::parse::{DictError, leading_digits, strip_char};
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// One piece of a compiled date format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Lit(char),
    Space,
    Day,
    Month,
    Year4,
    Year2,
    Hour,
    Minute,
    Second,
    Frac,
    Offset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateFormat {
    Iso,
    Any,
    Items(Vec<Item>),
}

impl DateFormat {
    pub(super) fn compile(format: Option<&str>) -> Result<DateFormat, DictError> {
        let f = match format {
            None | Some("default") => return Ok(DateFormat::Iso),
            Some("any") => return Ok(DateFormat::Any),
            Some(f) => f,
        };
        let mut items = Vec::new();
        let mut chars = f.chars();
        while let Some(c) = chars.next() {
            items.push(match c {
                '%' => match chars.next() {
                    Some('d') => Item::Day,
                    Some('m') => Item::Month,
                    Some('Y') => Item::Year4,
                    Some('y') => Item::Year2,
                    Some('H') => Item::Hour,
                    Some('M') => Item::Minute,
                    Some('S') => Item::Second,
                    Some('f') => Item::Frac,
                    Some('z') => Item::Offset,
                    Some('%') => Item::Lit('%'),
                    _ => return Err(DictError::Format(f.to_string())),
                },
                c if c.is_whitespace() => {
                    if items.last() == Some(&Item::Space) {
                        continue;
                    }
                    Item::Space
                }
                c => Item::Lit(c),
            });
        }
        if !items.iter().any(|i| matches!(i, Item::Year4 | Item::Year2)) {
            return Err(DictError::Format(f.to_string()));
        }
        Ok(DateFormat::Items(items))
    }

    /// 31/12/2025 13:45:00 +07:00 written in this format.
    pub(super) fn example(&self, with_time: bool) -> String {
        match self {
            DateFormat::Iso | DateFormat::Any if with_time => "2025-12-31T13:45:00+07:00".into(),
            DateFormat::Iso => "2025-12-31".into(),
            DateFormat::Any => "31/12/2025".into(),
            DateFormat::Items(items) => items
                .iter()
                .map(|i| match i {
                    Item::Lit(c) => c.to_string(),
                    Item::Space => " ".into(),
                    Item::Day => "31".into(),
                    Item::Month => "12".into(),
                    Item::Year4 => "2025".into(),
                    Item::Year2 => "25".into(),
                    Item::Hour => "13".into(),
                    Item::Minute => "45".into(),
                    Item::Second => "00".into(),
                    Item::Frac => "000".into(),
                    Item::Offset => "+07:00".into(),
                })
                .collect(),
        }
    }

    pub(super) fn date(&self, s: &str) -> Option<Date> {
        match self {
            Self::Iso => parse_iso_date(s),
            Self::Any => parse_iso_date(s).or_else(|| parse_day_first(s)),
            Self::Items(items) => parse_items(s, items).map(|(dt, _)| dt.date()),
        }
    }

    pub(super) fn datetime(&self, s: &str) -> Option<(PrimitiveDateTime, Option<UtcOffset>)> {
        match self {
            Self::Iso => parse_iso_datetime(s),
            Self::Any => parse_iso_datetime(s).or_else(|| {
                let (d, t) = s.split_once(|c: char| c.is_whitespace())?;
                Some((PrimitiveDateTime::new(parse_day_first(d)?, parse_hms(t.trim_start())?), None))
            }),
            Self::Items(items) => parse_items(s, items),
        }
    }
}

/// `h:mm` or `h:mm:ss` (hours and minutes one or two digits).
fn parse_hms(s: &str) -> Option<Time> {
    let colons = s.matches(':').count();
    if !(1..=2).contains(&colons) {
        return None;
    }
    let mut parts = s.split(':');
    let mut next = |max: u32| {
        let p = parts.next()?;
        (!p.is_empty() && p.len() <= 2 && leading_digits(p) == p.len()).then(|| digits_value(p)).filter(|v| *v <= max)
    };
    let (h, m) = (next(23)?, next(59)?);
    let sec = if colons == 2 { next(59)? } else { 0 };
    Time::from_hms(h as u8, m as u8, sec as u8).ok()
}

/// Value of an all-digit ASCII string of at most 9 digits.
pub(super) fn digits_value(s: &str) -> u32 {
    s.bytes().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}

fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

/// Strict ISO `YYYY-MM-DD`.
pub(crate) fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let all = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(all(0..4) && all(5..7) && all(8..10)) {
        return None;
    }
    ymd(digits_value(&s[0..4]) as i32, digits_value(&s[5..7]), digits_value(&s[8..10]))
}

/// A canonical datetime at midnight, for a date field fed by a spreadsheet's date cell.
pub(super) fn midnight(s: &str) -> Option<Date> {
    let (dt, _) = parse_iso_datetime(s)?;
    (dt.time() == Time::MIDNIGHT).then(|| dt.date())
}

/// `d/m/yyyy`, `d-m-yyyy` or `d.m.yyyy`.
fn parse_day_first(s: &str) -> Option<Date> {
    for sep in ['/', '-', '.'] {
        let items = [Item::Day, Item::Lit(sep), Item::Month, Item::Lit(sep), Item::Year4];
        if let Some((dt, _)) = parse_items(s, &items) {
            return Some(dt.date());
        }
    }
    None
}

/// ISO 8601 date and time; see the module documentation.
pub(crate) fn parse_iso_datetime(s: &str) -> Option<(PrimitiveDateTime, Option<UtcOffset>)> {
    if s.len() < 16 || !s.is_char_boundary(10) {
        return None;
    }
    let date = parse_iso_date(&s[..10])?;
    let b = s.as_bytes();
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        d.iter().all(u8::is_ascii_digit).then(|| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
    };
    let hour = two(11)?;
    if b[13] != b':' {
        return None;
    }
    let minute = two(14)?;
    let mut i = 16;
    let (mut second, mut nano) = (0, 0);
    if b.get(i) == Some(&b':') {
        second = two(i + 1)?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            let n = leading_digits(&s[i + 1..]);
            if n == 0 || n > 9 {
                return None;
            }
            nano = digits_value(&s[i + 1..i + 1 + n]) * 10u32.pow(9 - n as u32);
            i += 1 + n;
        }
    }
    let time = Time::from_hms_nano(u8::try_from(hour).ok()?, minute as u8, second as u8, nano).ok()?;
    let offset = match &s[i..] {
        "" => None,
        rest => Some(parse_offset(rest).filter(|(_, used)| *used == rest.len())?.0),
    };
    Some((PrimitiveDateTime::new(date, time), offset))
}

/// `Z`, `±hh:mm`, `±hhmm` or `±hh` at the start of `s`; returns the offset and the bytes used.
fn parse_offset(s: &str) -> Option<(UtcOffset, usize)> {
    if s.starts_with('Z') {
        return Some((UtcOffset::UTC, 1));
    }
    let sign: i8 = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let r = &s[1..];
    if leading_digits(r) < 2 {
        return None;
    }
    let h = digits_value(&r[..2]) as i8;
    let (m, used) = if r[2..].starts_with(':') && leading_digits(&r[3..]) >= 2 {
        (digits_value(&r[3..5]) as i8, 6)
    } else if leading_digits(&r[2..]) >= 2 {
        (digits_value(&r[2..4]) as i8, 5)
    } else {
        (0, 3)
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some((UtcOffset::from_hms(sign * h, sign * m, 0).ok()?, used))
}

/// Reads `s` with a compiled strftime-style format; the whole text must match.
fn parse_items(s: &str, items: &[Item]) -> Option<(PrimitiveDateTime, Option<UtcOffset>)> {
    let mut rest = s;
    let (mut year, mut month, mut day) = (None, 1, 1);
    let (mut hour, mut minute, mut second, mut nano) = (0, 0, 0, 0);
    let mut offset = None;
    fn num(rest: &mut &str, min: usize, max: usize) -> Option<u32> {
        let n = leading_digits(rest).min(max);
        if n < min {
            return None;
        }
        let v = digits_value(&rest[..n]);
        *rest = &rest[n..];
        Some(v)
    }
    for item in items {
        match *item {
            Item::Lit(c) => rest = strip_char(rest, c)?,
            Item::Space => {
                let t = rest.trim_start();
                if t.len() == rest.len() {
                    return None;
                }
                rest = t;
            }
            Item::Day => day = num(&mut rest, 1, 2)?,
            Item::Month => month = num(&mut rest, 1, 2)?,
            Item::Year4 => year = Some(num(&mut rest, 4, 4)? as i32),
            Item::Year2 => {
                let y = num(&mut rest, 2, 2)? as i32;
                year = Some(if y < 69 { 2000 + y } else { 1900 + y });
            }
            Item::Hour => hour = num(&mut rest, 1, 2)?,
            Item::Minute => minute = num(&mut rest, 1, 2)?,
            Item::Second => second = num(&mut rest, 1, 2)?,
            Item::Frac => {
                let n = leading_digits(rest);
                if n == 0 || n > 9 {
                    return None;
                }
                nano = digits_value(&rest[..n]) * 10u32.pow(9 - n as u32);
                rest = &rest[n..];
            }
            Item::Offset => {
                let (off, used) = parse_offset(rest)?;
                offset = Some(off);
                rest = &rest[used..];
            }
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let date = ymd(year?, month, day)?;
    let time =
        Time::from_hms_nano(u8::try_from(hour).ok()?, u8::try_from(minute).ok()?, u8::try_from(second).ok()?, nano)
            .ok()?;
    Some((PrimitiveDateTime::new(date, time), offset))
}
