//! What one cell can be read as: numbers in the four ways they are written in Viet Nam
//! (`1234.5`, `1.234,5`, `1234,5`, `1,234.5`), dates and date-times in the usual layouts
//! (`2025-07-01`, `01/07/2025`, `01-07-2025`…), booleans, years and geopoints. Strict on
//! purpose: a layout is proposed only when every value of the column reads in it.

/// How numbers are written in a table: Table Schema's `decimalChar` and `groupChar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    pub decimal: u8,
    pub group: Option<u8>,
}

/// The candidates, in the order a tie is resolved: the default first (nothing to declare), then
/// the Vietnamese layout (vi-VN: `1.234.567,89`), a bare decimal comma, the English layout.
pub const NUMBER_FORMATS: [NumberFormat; 4] = [
    NumberFormat { decimal: b'.', group: None },
    NumberFormat { decimal: b',', group: Some(b'.') },
    NumberFormat { decimal: b',', group: None },
    NumberFormat { decimal: b'.', group: Some(b',') },
];

/// A number as read in one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    Integer,
    Decimal,
}

/// Reads `s` as a number written in `f`: an optional sign, digits (grouped by threes when `f` has
/// a group character: `1.234.567`), then optionally the decimal character and digits.
pub fn parse_number(s: &str, f: NumberFormat) -> Option<Num> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let lead = i - start;
    if lead == 0 {
        return None;
    }
    if let Some(g) = f.group
        && b.get(i) == Some(&g)
    {
        if lead > 3 {
            return None;
        }
        while b.get(i) == Some(&g) {
            let group = b.get(i + 1..i + 4)?;
            if !group.iter().all(u8::is_ascii_digit) {
                return None;
            }
            i += 4;
        }
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
    }
    if i == b.len() {
        return Some(Num::Integer);
    }
    if b[i] != f.decimal {
        return None;
    }
    let frac = &b[i + 1..];
    (!frac.is_empty() && frac.iter().all(u8::is_ascii_digit)).then_some(Num::Decimal)
}

/// `1.234`, `12.345`, `-1.234.567`: reads as a decimal in the default format and as a grouped
/// integer in the Vietnamese one. Such a column is worth a note.
pub fn looks_grouped(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or_default();
    let mut rest = parts.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A code-like integer: more than one digit with a leading zero (`01`, `00004`). Reading it as a
/// number would lose the zero, so such a column stays `string`.
pub fn has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 1 && b[0] == b'0' && b.iter().all(u8::is_ascii_digit)
}

/// `true` or `false`, in any case (`1`/`0` are left to `integer`, `có`/`không` to `string`:
/// Table Schema readers other than odp would not take them without `trueValues`).
pub fn is_boolean(s: &str) -> bool {
    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
}

/// A four-digit year a dataset might hold.
pub fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && (1800..=2200).contains(&s.parse::<u32>().unwrap_or(0))
}

/// Table Schema's default geopoint: `"lon, lat"`, both with a decimal point, in range. A pair in
/// the other order (`21.03, 105.85` for Hà Nội) is not accepted: declaring it would be wrong.
pub fn is_geopoint(s: &str) -> bool {
    let Some((lon, lat)) = s.split_once(',') else { return false };
    let coord = |t: &str, max: f64| {
        let t = t.trim();
        t.contains('.')
            && parse_number(t, NUMBER_FORMATS[0]) == Some(Num::Decimal)
            && t.parse::<f64>().is_ok_and(|v| v.abs() <= max)
    };
    coord(lon, 180.0) && coord(lat, 90.0)
}

/// Date layouts, in the order a tie is resolved; the first is Table Schema's default.
pub const DATE_FORMATS: [&str; 3] = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"];

/// Date-time layouts; the first (ISO 8601, `2025-07-01T08:30:00`, optional fraction and zone) is
/// the default and is matched by [`is_iso_datetime`].
pub const DATETIME_FORMATS: [&str; 5] =
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"];

/// Whether `s` is a real date or date-time in the strftime-style layout `fmt` (`%Y` four digits;
/// `%d %m %H` one or two, as strptime reads them; `%M %S` two).
pub fn matches_format(s: &str, fmt: &str) -> bool {
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut hour, mut minute, mut second) = (0u32, 0u32, 0u32);
    let mut rest = s.as_bytes();
    let mut spec = fmt.as_bytes();
    while let Some((&c, tail)) = spec.split_first() {
        spec = tail;
        if c != b'%' {
            match rest.split_first() {
                Some((&r, t)) if r == c => rest = t,
                _ => return false,
            }
            continue;
        }
        let Some((&kind, tail)) = spec.split_first() else { return false };
        spec = tail;
        let (min, max) = match kind {
            b'Y' => (4, 4),
            b'd' | b'm' | b'H' => (1, 2),
            b'M' | b'S' => (2, 2),
            _ => return false,
        };
        let n = rest.iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        if n < min {
            return false;
        }
        let value: u32 = std::str::from_utf8(&rest[..n]).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        rest = &rest[n..];
        match kind {
            b'Y' => year = Some(value as i32),
            b'm' => month = Some(value),
            b'd' => day = Some(value),
            b'H' => hour = value,
            b'M' => minute = value,
            _ => second = value,
        }
    }
    rest.is_empty() && hour < 24 && minute < 60 && second < 60 && valid_date(year, month, day)
}

fn valid_date(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> bool {
    let (Some(y), Some(m), Some(d)) = (year, month, day) else { return false };
    let Ok(month) = time::Month::try_from(m as u8) else { return false };
    m <= 12 && d <= 31 && time::Date::from_calendar_date(y, month, d as u8).is_ok()
}

/// ISO 8601 date-time: `YYYY-MM-DDTHH:MM:SS`, optional `.fraction`, optional `Z` or `±HH:MM`.
pub fn is_iso_datetime(s: &str) -> bool {
    if s.len() < 19 || !s.is_char_boundary(19) || !matches_format(&s[..19], DATETIME_FORMATS[0]) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &frac[digits..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let (h, m) = ([*h1, *h2], [*m1, *m2]);
            let two = |d: [u8; 2]| d.iter().all(u8::is_ascii_digit).then(|| (d[0] - b'0') * 10 + (d[1] - b'0'));
            two(h).is_some_and(|h| h < 24) && two(m).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOT: NumberFormat = NUMBER_FORMATS[0];
    const VI: NumberFormat = NUMBER_FORMATS[1];
    const COMMA: NumberFormat = NUMBER_FORMATS[2];
    const EN: NumberFormat = NUMBER_FORMATS[3];

    #[test]
    fn numbers_in_each_layout() {
        assert_eq!(parse_number("1.234.567,89", VI), Some(Num::Decimal));
        assert_eq!(parse_number("1.234.567,89", DOT), None);
        assert_eq!(parse_number("1234567,89", VI), Some(Num::Decimal), "grouping is optional");
        assert_eq!(parse_number("8.587.100", VI), Some(Num::Integer));
        assert_eq!(parse_number("-12", VI), Some(Num::Integer));
        assert_eq!(parse_number("2.5", VI), None, "a group has three digits");
        assert_eq!(parse_number("1234.567", VI), None, "at most three digits before the first group");
        assert_eq!(parse_number("1.2345", VI), None);
        assert_eq!(parse_number("21.0001", DOT), Some(Num::Decimal));
        assert_eq!(parse_number("3,5", COMMA), Some(Num::Decimal));
        assert_eq!(parse_number("1,234,567.89", EN), Some(Num::Decimal));
        assert_eq!(parse_number("1,234,567.89", VI), None);
        for bad in ["", "-", "1.", ".5", "1,5.", "12a", "1 234", "1e5"] {
            assert_eq!(parse_number(bad, DOT), None, "{bad}");
        }
    }

    #[test]
    fn grouped_looking_values() {
        assert!(looks_grouped("1.234"));
        assert!(looks_grouped("-12.345.678"));
        assert!(!looks_grouped("21.0001"));
        assert!(!looks_grouped("1234"));
        assert!(!looks_grouped("1234.567"));
    }

    #[test]
    fn dates_and_times() {
        assert!(matches_format("2025-07-01", DATE_FORMATS[0]));
        assert!(matches_format("01/07/2025", DATE_FORMATS[1]));
        assert!(matches_format("1/7/2025", DATE_FORMATS[1]), "strptime reads one-digit days and months");
        assert!(!matches_format("31/02/2025", DATE_FORMATS[1]), "not a real date");
        assert!(!matches_format("07/31/2025", DATE_FORMATS[1]), "month first is never used in Viet Nam");
        assert!(matches_format("15-01-2026", DATE_FORMATS[2]));
        assert!(!matches_format("2025-07-01x", DATE_FORMATS[0]));
        assert!(matches_format("01/07/2025 08:30", DATETIME_FORMATS[4]));
        assert!(!matches_format("01/07/2025 24:30", DATETIME_FORMATS[4]));
        assert!(is_iso_datetime("2025-07-01T08:30:00"));
        assert!(is_iso_datetime("2025-07-01T08:30:00.250Z"));
        assert!(is_iso_datetime("2025-07-01T08:30:00+07:00"));
        assert!(!is_iso_datetime("2025-07-01 08:30:00"));
        assert!(!is_iso_datetime("2025-07-01T08:30:00+7"));
    }

    #[test]
    fn other_kinds() {
        assert!(is_geopoint("105.8342, 21.0278"));
        assert!(!is_geopoint("21.0278, 105.8342"), "latitude first is not Table Schema's order");
        assert!(!is_geopoint("3,5"));
        assert!(is_year("2024") && !is_year("0001") && !is_year("20245"));
        assert!(has_leading_zero("01") && !has_leading_zero("0") && !has_leading_zero("10"));
        assert!(is_boolean("TRUE") && !is_boolean("1") && !is_boolean("có"));
    }
}
