//! Freshness (issue 6 §1): from a dataset's update frequency and its last update, the date the
//! next update is due and a status — on time, due soon, overdue, no schedule.
//!
//! Why: open data must be the latest version per its published update frequency (002 Art.
//! 24.1.c); in Hue agencies update every quarter within 15 days of the quarter's first day
//! (003 Art. 4.6.b). Two rules, chosen in portal.toml `[freshness] rule`:
//! - `"frequency"` (default): due one period after the last update, plus `grace_days`.
//! - `"quarterly+15d"` (Hue): for quarterly, six-monthly and yearly data, due on the 15th day of
//!   the first month of the quarter one period after the quarter of the last update (a quarterly
//!   dataset updated in Q3 is due by 15 October; a yearly one updated in Q3 2026 by 15 July 2027).
//!   Data updated more often than quarterly (daily, weekly, monthly) keeps its own period.
//!
//! Dates are calendar dates; months are added with the day clamped to the month's end
//! (31 January + 1 month = 28/29 February). All functions are pure: the build date comes in.

use serde::Serialize;
use time::{Date, Duration, Month};

/// Which rule computes the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rule {
    /// `"frequency"`: last update + one period + grace.
    Frequency,
    /// `"quarterly+15d"`: the Hue rule (003 Art. 4.6.b).
    QuarterlyPlus15,
}

impl Rule {
    pub const NAMES: &'static [&'static str] = &["frequency", "quarterly+15d"];

    pub fn parse(s: &str) -> Option<Rule> {
        match s {
            "frequency" => Some(Rule::Frequency),
            "quarterly+15d" => Some(Rule::QuarterlyPlus15),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rule::Frequency => "frequency",
            Rule::QuarterlyPlus15 => "quarterly+15d",
        }
    }
}

/// portal.toml `[freshness]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Config {
    pub rule: Rule,
    /// Days added after the period under the `frequency` rule (default 0).
    pub grace_days: i64,
    /// A dataset is "due soon" this many days before its due date at most (default 14), and at
    /// most a quarter of its period (a daily dataset is never "due soon" for two weeks).
    pub due_soon_days: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config { rule: Rule::Frequency, grace_days: 0, due_soon_days: 14 }
    }
}

/// The status shown on badges and used by listings and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    OnTime,
    DueSoon,
    Overdue,
    NoSchedule,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::OnTime, Status::DueSoon, Status::Overdue, Status::NoSchedule];

    /// The stable id used in URLs (`/freshness/overdue/`), CSS classes and reports.
    pub fn id(self) -> &'static str {
        match self {
            Status::OnTime => "on-time",
            Status::DueSoon => "due-soon",
            Status::Overdue => "overdue",
            Status::NoSchedule => "no-schedule",
        }
    }

    pub fn from_id(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// Where the last-update date came from, said on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `modified` in dataset.toml.
    Modified,
    /// The last git commit that changed one of the dataset's data files.
    Git,
    /// Never updated since publication: `issued`.
    Issued,
    /// No date at all.
    None,
}

/// The freshness of one dataset at the build date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Freshness {
    /// `YYYY-MM-DD`, when known.
    pub last_update: Option<String>,
    pub source: Source,
    /// `YYYY-MM-DD`; `None` for datasets without a schedule, or with no date to count from.
    pub next_due: Option<String>,
    pub status: Status,
}

/// A frequency's period, in months or days; `None` for `irregular` and `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Days(i64),
    Months(u32),
}

fn period(frequency: &str) -> Option<Period> {
    Some(match frequency {
        "daily" => Period::Days(1),
        "weekly" => Period::Days(7),
        "monthly" => Period::Months(1),
        "quarterly" => Period::Months(3),
        "semiannual" => Period::Months(6),
        "annual" => Period::Months(12),
        _ => return None,
    })
}

/// `date` plus `months`, the day clamped to the target month's length; past the last date the
/// calendar knows (a `modified = 9999-12-15` typo) it stays at that last date rather than fail.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).expect("1..=12");
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// The first day of the quarter `date` is in.
pub fn quarter_start(date: Date) -> Date {
    let m = (date.month() as u8 - 1) / 3 * 3 + 1;
    Date::from_calendar_date(date.year(), Month::try_from(m).expect("1..=12"), 1).expect("valid")
}

/// `2026-Q3` for a date in July–September 2026.
pub fn quarter_label(date: Date) -> String {
    format!("{}-Q{}", date.year(), (date.month() as u8 - 1) / 3 + 1)
}

/// Parses `2026-Q3` into the quarter's first day.
pub fn parse_quarter(s: &str) -> Option<Date> {
    let (y, q) = s.split_once("-Q").or_else(|| s.split_once("-q"))?;
    let year: i32 = y.parse().ok()?;
    let q: u8 = q.parse().ok()?;
    if !(1..=4).contains(&q) || !(1000..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from((q - 1) * 3 + 1).ok()?, 1).ok()
}

pub fn parse_date(s: &str) -> Option<Date> {
    crate::load::toml_read::parse_iso_date(s)
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The due date of the next update after `last` under `cfg`; `None` without a schedule.
pub fn next_due(cfg: &Config, frequency: &str, last: Date) -> Option<Date> {
    let p = period(frequency)?;
    let by_period = match p {
        Period::Days(n) => last.saturating_add(Duration::days(n)),
        Period::Months(n) => add_months(last, n),
    };
    Some(match (cfg.rule, p) {
        (Rule::QuarterlyPlus15, Period::Months(n)) if n >= 3 => {
            // The period that contains `last` ends with the quarter `n` months on; the update
            // is due within 15 days of the next quarter's first day (003 Art. 4.6.b).
            let next_quarter = add_months(quarter_start(last), n);
            next_quarter.saturating_add(Duration::days(14))
        }
        _ => by_period.saturating_add(Duration::days(cfg.grace_days)),
    })
}

fn period_days(frequency: &str) -> i64 {
    match period(frequency) {
        Some(Period::Days(n)) => n,
        Some(Period::Months(n)) => i64::from(n) * 30,
        None => 0,
    }
}

/// Freshness of a dataset at `as_of`. `last` is the last update with its source (`modified`,
/// else git, else `issued`); a scheduled dataset with no date at all is overdue.
pub fn assess(cfg: &Config, frequency: &str, last: Option<(Date, Source)>, as_of: Date) -> Freshness {
    let (last_update, source) = match last {
        Some((d, s)) => (Some(iso(d)), s),
        None => (None, Source::None),
    };
    if period(frequency).is_none() {
        return Freshness { last_update, source, next_due: None, status: Status::NoSchedule };
    }
    let Some((last, _)) = last else {
        return Freshness { last_update, source, next_due: None, status: Status::Overdue };
    };
    let due = next_due(cfg, frequency, last).expect("scheduled");
    let window = cfg.due_soon_days.min(period_days(frequency) / 4);
    let status = if as_of > due {
        Status::Overdue
    } else if due - as_of < Duration::days(window) {
        Status::DueSoon
    } else {
        Status::OnTime
    };
    Freshness { last_update, source, next_due: Some(iso(due)), status }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn run(cfg: &Config, freq: &str, last: &str, as_of: &str) -> (Option<String>, Status) {
        let f = assess(cfg, freq, Some((d(last), Source::Modified)), d(as_of));
        (f.next_due, f.status)
    }

    #[test]
    fn a_last_update_near_the_calendar_end_saturates_instead_of_failing() {
        // `modified = 9999-12-15` is a typo an agency can make; it must not stop the build.
        assert_eq!(add_months(d("9999-12-15"), 12), Date::MAX);
        for rule in [Rule::Frequency, Rule::QuarterlyPlus15] {
            let cfg = Config { rule, ..Config::default() };
            for (freq, due) in [("daily", "9999-12-16"), ("annual", "9999-12-31")] {
                assert_eq!(run(&cfg, freq, "9999-12-15", "2026-11-23"), (Some(due.into()), Status::OnTime));
            }
        }
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
        assert_eq!(add_months(d("2026-11-30"), 3), d("2027-02-28"));
        assert_eq!(add_months(d("2026-08-31"), 12), d("2027-08-31"));
        assert_eq!(quarter_start(d("2026-09-30")), d("2026-07-01"));
        assert_eq!(quarter_start(d("2026-10-01")), d("2026-10-01"));
        assert_eq!(quarter_label(d("2026-12-31")), "2026-Q4");
        assert_eq!(parse_quarter("2026-Q3"), Some(d("2026-07-01")));
        assert_eq!(parse_quarter("2026-Q5"), None);
    }

    #[test]
    fn frequency_rule_each_status() {
        let cfg = Config::default();
        let due = Some("2026-04-15".to_string());
        assert_eq!(run(&cfg, "quarterly", "2026-01-15", "2026-03-01"), (due.clone(), Status::OnTime));
        // 14 days before the due date: still on time; 13 days before: due soon.
        assert_eq!(run(&cfg, "quarterly", "2026-01-15", "2026-04-01"), (due.clone(), Status::OnTime));
        assert_eq!(run(&cfg, "quarterly", "2026-01-15", "2026-04-02"), (due.clone(), Status::DueSoon));
        assert_eq!(run(&cfg, "quarterly", "2026-01-15", "2026-04-15"), (due.clone(), Status::DueSoon));
        assert_eq!(run(&cfg, "quarterly", "2026-01-15", "2026-04-16"), (due, Status::Overdue));
        assert_eq!(run(&cfg, "irregular", "2020-01-01", "2026-04-16"), (None, Status::NoSchedule));
        assert_eq!(run(&cfg, "never", "2020-01-01", "2026-04-16"), (None, Status::NoSchedule));
        // Grace days move the due date.
        let grace = Config { grace_days: 10, ..cfg };
        assert_eq!(run(&grace, "monthly", "2026-01-31", "2026-03-10"), (Some("2026-03-10".into()), Status::DueSoon));
        assert_eq!(run(&grace, "monthly", "2026-01-31", "2026-03-11"), (Some("2026-03-10".into()), Status::Overdue));
        // A daily dataset's due-soon window is a quarter of a day: none.
        assert_eq!(run(&cfg, "daily", "2026-05-01", "2026-05-02"), (Some("2026-05-02".into()), Status::OnTime));
        assert_eq!(run(&cfg, "daily", "2026-05-01", "2026-05-03"), (Some("2026-05-02".into()), Status::Overdue));
        assert_eq!(run(&cfg, "annual", "2025-06-30", "2026-06-20"), (Some("2026-06-30".into()), Status::DueSoon));
    }

    #[test]
    fn hue_rule_across_quarter_boundaries() {
        let cfg = Config { rule: Rule::QuarterlyPlus15, ..Config::default() };
        // Updated on the last day of Q3: due by 15 October.
        assert_eq!(run(&cfg, "quarterly", "2026-09-30", "2026-09-30"), (Some("2026-10-15".into()), Status::OnTime));
        assert_eq!(run(&cfg, "quarterly", "2026-09-30", "2026-10-02"), (Some("2026-10-15".into()), Status::DueSoon));
        assert_eq!(run(&cfg, "quarterly", "2026-09-30", "2026-10-15"), (Some("2026-10-15".into()), Status::DueSoon));
        assert_eq!(run(&cfg, "quarterly", "2026-09-30", "2026-10-16"), (Some("2026-10-15".into()), Status::Overdue));
        // Updated on the first day of Q4: next due 15 January, across the year boundary.
        assert_eq!(run(&cfg, "quarterly", "2026-10-01", "2026-10-16"), (Some("2027-01-15".into()), Status::OnTime));
        assert_eq!(run(&cfg, "quarterly", "2026-12-31", "2027-01-15"), (Some("2027-01-15".into()), Status::DueSoon));
        assert_eq!(run(&cfg, "annual", "2026-07-01", "2027-07-16"), (Some("2027-07-15".into()), Status::Overdue));
        assert_eq!(run(&cfg, "semiannual", "2026-02-10", "2026-06-01"), (Some("2026-07-15".into()), Status::OnTime));
        // Monthly data keeps its own period (no grace by default).
        assert_eq!(run(&cfg, "monthly", "2026-02-10", "2026-03-11"), (Some("2026-03-10".into()), Status::Overdue));
    }

    #[test]
    fn never_updated() {
        let cfg = Config::default();
        let f = assess(&cfg, "annual", None, d("2026-01-01"));
        assert_eq!(f, Freshness { last_update: None, source: Source::None, next_due: None, status: Status::Overdue });
        let f = assess(&cfg, "irregular", None, d("2026-01-01"));
        assert_eq!(f.status, Status::NoSchedule);
        let f = assess(&cfg, "annual", Some((d("2025-03-01"), Source::Issued)), d("2026-03-02"));
        assert_eq!((f.next_due.as_deref(), f.status, f.source), (Some("2026-03-01"), Status::Overdue, Source::Issued));
    }
}
