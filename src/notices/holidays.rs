//! Vietnamese public holidays 2024–2030, for counting working days (ngày làm việc) in the
//! notice lead-time check of 002 Art. 20.3.
//!
//! Which days: Bộ luật Lao động 2019 Art. 112 — Tết Dương lịch (1/1), Tết Âm lịch (5 days, the
//! exact days set each year by the Prime Minister), Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5,
//! Quốc khánh 2/9 plus one adjacent day, with a compensatory day when a holiday falls on a
//! weekend (Art. 112.3); and from 2026 Ngày Văn hóa Việt Nam (24/11).
//! Source of the dates (lunar dates need a table): the `holidays` package 0.109 (PyPI, MIT),
//! `holidays.Vietnam(years=Y)` for 2024–2030, listed verbatim below with its names. Swapped
//! working Saturdays are not modelled (every Saturday counts as a rest day), which can only
//! make the count of working days smaller, i.e. the check stricter.

use time::Date;

/// (year, month, day, name) — output of `holidays.Vietnam(years=range(2024, 2031))`.
const HOLIDAYS: &[(i32, u8, u8, &str)] = &[
    // 2024
    (2024, 1, 1, "New Year's Day"),
    (2024, 2, 8, "29 of Lunar New Year"),
    (2024, 2, 9, "Lunar New Year's Eve"),
    (2024, 2, 10, "Lunar New Year"),
    (2024, 2, 11, "Second Day of Lunar New Year"),
    (2024, 2, 12, "Third Day of Lunar New Year"),
    (2024, 2, 13, "Fourth Day of Lunar New Year"),
    (2024, 2, 14, "Fifth Day of Lunar New Year"),
    (2024, 4, 18, "Hung Kings' Commemoration Day"),
    (2024, 4, 29, "Day off (substituted from 05/04/2024)"),
    (2024, 4, 30, "Liberation Day/Reunification Day"),
    (2024, 5, 1, "International Labor Day"),
    (2024, 9, 2, "National Day"),
    (2024, 9, 3, "National Day"),
    // 2025
    (2025, 1, 1, "New Year's Day"),
    (2025, 1, 27, "29 of Lunar New Year"),
    (2025, 1, 28, "Lunar New Year's Eve"),
    (2025, 1, 29, "Lunar New Year"),
    (2025, 1, 30, "Second Day of Lunar New Year"),
    (2025, 1, 31, "Third Day of Lunar New Year"),
    (2025, 2, 1, "Fourth Day of Lunar New Year"),
    (2025, 4, 7, "Hung Kings' Commemoration Day"),
    (2025, 4, 30, "Liberation Day/Reunification Day"),
    (2025, 5, 1, "International Labor Day"),
    (2025, 5, 2, "Day off (substituted from 04/26/2025)"),
    (2025, 9, 1, "National Day"),
    (2025, 9, 2, "National Day"),
    // 2026
    (2026, 1, 1, "New Year's Day"),
    (2026, 2, 16, "Lunar New Year's Eve"),
    (2026, 2, 17, "Lunar New Year"),
    (2026, 2, 18, "Second Day of Lunar New Year"),
    (2026, 2, 19, "Third Day of Lunar New Year"),
    (2026, 2, 20, "Fourth Day of Lunar New Year"),
    (2026, 4, 26, "Hung Kings' Commemoration Day"),
    (2026, 4, 27, "Hung Kings' Commemoration Day (observed)"),
    (2026, 4, 30, "Liberation Day/Reunification Day"),
    (2026, 5, 1, "International Labor Day"),
    (2026, 8, 31, "Day off (substituted from 08/22/2026)"),
    (2026, 9, 1, "National Day"),
    (2026, 9, 2, "National Day"),
    (2026, 11, 24, "Vietnam Cultural Day"),
    // 2027
    (2027, 1, 1, "New Year's Day"),
    (2027, 2, 4, "29 of Lunar New Year"),
    (2027, 2, 5, "Lunar New Year's Eve"),
    (2027, 2, 6, "Lunar New Year"),
    (2027, 2, 7, "Second Day of Lunar New Year"),
    (2027, 2, 8, "Third Day of Lunar New Year"),
    (2027, 2, 9, "Fourth Day of Lunar New Year"),
    (2027, 2, 10, "Fifth Day of Lunar New Year"),
    (2027, 4, 16, "Hung Kings' Commemoration Day"),
    (2027, 4, 30, "Liberation Day/Reunification Day"),
    (2027, 5, 1, "International Labor Day"),
    (2027, 5, 3, "International Labor Day (observed)"),
    (2027, 9, 2, "National Day"),
    (2027, 9, 3, "National Day"),
    (2027, 11, 24, "Vietnam Cultural Day"),
    // 2028
    (2028, 1, 1, "New Year's Day"),
    (2028, 1, 3, "New Year's Day (observed)"),
    (2028, 1, 24, "29 of Lunar New Year"),
    (2028, 1, 25, "Lunar New Year's Eve"),
    (2028, 1, 26, "Lunar New Year"),
    (2028, 1, 27, "Second Day of Lunar New Year"),
    (2028, 1, 28, "Third Day of Lunar New Year"),
    (2028, 1, 29, "Fourth Day of Lunar New Year"),
    (2028, 4, 4, "Hung Kings' Commemoration Day"),
    (2028, 4, 30, "Liberation Day/Reunification Day"),
    (2028, 5, 1, "International Labor Day"),
    (2028, 5, 2, "Liberation Day/Reunification Day (observed)"),
    (2028, 9, 1, "National Day"),
    (2028, 9, 2, "National Day"),
    (2028, 9, 4, "National Day (observed)"),
    (2028, 11, 24, "Vietnam Cultural Day"),
    // 2029
    (2029, 1, 1, "New Year's Day"),
    (2029, 2, 12, "Lunar New Year's Eve"),
    (2029, 2, 13, "Lunar New Year"),
    (2029, 2, 14, "Second Day of Lunar New Year"),
    (2029, 2, 15, "Third Day of Lunar New Year"),
    (2029, 2, 16, "Fourth Day of Lunar New Year"),
    (2029, 4, 23, "Hung Kings' Commemoration Day"),
    (2029, 4, 30, "Liberation Day/Reunification Day"),
    (2029, 5, 1, "International Labor Day"),
    (2029, 9, 2, "National Day"),
    (2029, 9, 3, "National Day"),
    (2029, 9, 4, "National Day (observed)"),
    (2029, 11, 24, "Vietnam Cultural Day"),
    (2029, 11, 26, "Vietnam Cultural Day (observed)"),
    // 2030
    (2030, 1, 1, "New Year's Day"),
    (2030, 1, 31, "29 of Lunar New Year"),
    (2030, 2, 1, "Lunar New Year's Eve"),
    (2030, 2, 2, "Lunar New Year"),
    (2030, 2, 3, "Second Day of Lunar New Year"),
    (2030, 2, 4, "Third Day of Lunar New Year"),
    (2030, 2, 5, "Fourth Day of Lunar New Year"),
    (2030, 2, 6, "Fifth Day of Lunar New Year"),
    (2030, 4, 12, "Hung Kings' Commemoration Day"),
    (2030, 4, 30, "Liberation Day/Reunification Day"),
    (2030, 5, 1, "International Labor Day"),
    (2030, 9, 2, "National Day"),
    (2030, 9, 3, "National Day"),
    (2030, 11, 24, "Vietnam Cultural Day"),
    (2030, 11, 25, "Vietnam Cultural Day (observed)"),
];

/// The first and last year the table covers.
pub const YEARS: (i32, i32) = (2024, 2030);

/// True for a public holiday of the table.
pub fn is_holiday(d: Date) -> bool {
    HOLIDAYS.iter().any(|&(y, m, day, _)| y == d.year() && m == d.month() as u8 && day == d.day())
}

/// Saturday and Sunday are rest days; so are public holidays.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) && !is_holiday(d)
}

/// Working days strictly between `from` and `to` (the day of the announcement and the day the
/// suspension starts are not counted: Civil Code 2015 Art. 147 starts a period the day after).
pub fn working_days_between(from: Date, to: Date) -> i64 {
    let mut n = 0;
    let mut d = from;
    while let Some(next) = d.next_day() {
        d = next;
        if d >= to {
            break;
        }
        n += i64::from(is_working_day(d));
    }
    n
}

/// True when every year from `from` to `to` is in the table.
pub fn covers(from: Date, to: Date) -> bool {
    from.year() >= YEARS.0 && to.year() <= YEARS.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freshness::parse_date;

    #[test]
    fn counts_working_days_around_tet_and_weekends() {
        let d = |s| parse_date(s).unwrap();
        // Mon 2026-11-16 → Fri 2026-11-20: Tue, Wed, Thu.
        assert_eq!(working_days_between(d("2026-11-16"), d("2026-11-20")), 3);
        // Across a weekend and Ngày Văn hóa Việt Nam (Tue 24/11/2026).
        assert_eq!(working_days_between(d("2026-11-20"), d("2026-11-26")), 2);
        // Tết 2026: 16–20 February are holidays, then a weekend.
        assert_eq!(working_days_between(d("2026-02-13"), d("2026-02-24")), 1);
        assert!(is_holiday(d("2030-02-02")), "Tết 2030 is on 2 February in Viet Nam (UTC+7)");
        assert!(is_holiday(d("2028-04-04")), "Giỗ Tổ 2028");
        assert!(!is_working_day(d("2025-09-01")));
        assert!(covers(d("2024-01-01"), d("2030-12-31")) && !covers(d("2023-12-31"), d("2024-01-02")));
    }
}
