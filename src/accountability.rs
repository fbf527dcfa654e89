//! Figures per agency (issue 6 §3), shared by `/stats/`, the publisher pages and `odp report`:
//! statistics on the state of sharing by each agency are published (001 Art. 17.1.đ); the portal
//! team reports quarterly per agency, and what each agency actually published counts in its
//! yearly evaluation (003 Art. 10.2, 12, 13.3).
//!
//! Counted: listed datasets (status `active`; deprecated and withdrawn ones are out), their
//! resources and formats, freshness statuses at the build date, and updates per quarter. An
//! update is a commit that changed the dataset folder (git history); without history, the
//! dataset's `modified` date (else `issued`) counts as its one update.

use crate::freshness::{self, Status, parse_date};
use crate::history::Availability;
use crate::model::{Dataset, Portal, ResourceKind, Status as DatasetStatus};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One agency's figures.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyStats {
    pub publisher: String,
    /// Vietnamese name.
    pub name: String,
    pub name_en: Option<String>,
    pub datasets: usize,
    pub resources: usize,
    /// Distinct formats (`API` for data services), sorted.
    pub formats: Vec<String>,
    pub on_time: usize,
    pub due_soon: usize,
    pub overdue: usize,
    pub no_schedule: usize,
    /// Datasets with a schedule that are not overdue, over datasets with a schedule.
    pub on_time_share: Option<f64>,
    /// Ids of overdue datasets, sorted.
    pub overdue_datasets: Vec<String>,
    /// Updates per quarter (`2026-Q3` → count), every quarter that has any.
    pub updates: BTreeMap<String, usize>,
}

impl AgencyStats {
    pub fn count(&self, s: Status) -> usize {
        match s {
            Status::OnTime => self.on_time,
            Status::DueSoon => self.due_soon,
            Status::Overdue => self.overdue,
            Status::NoSchedule => self.no_schedule,
        }
    }

    pub fn updates_in(&self, quarter: &str) -> usize {
        self.updates.get(quarter).copied().unwrap_or(0)
    }
}

/// Whether a dataset appears in listings, search and the figures: only `active` ones. Deprecated
/// and withdrawn datasets keep their page and URLs (issue 6 §5).
pub fn is_listed(d: &Dataset) -> bool {
    d.status == DatasetStatus::Active
}

/// The dates of a dataset's updates (see the module docs).
pub fn update_dates<'a>(portal: &'a Portal, d: &'a Dataset) -> Vec<&'a str> {
    if portal.timeline.history.availability == Availability::Available {
        let es = portal.timeline.history.of(&d.id);
        if !es.is_empty() {
            return es.iter().map(|e| e.date.as_str()).collect();
        }
    }
    d.modified.as_deref().or(d.issued.as_deref()).into_iter().collect()
}

/// Figures for every agency (those without listed datasets included), by publisher id.
pub fn agency_stats(portal: &Portal) -> Vec<AgencyStats> {
    let mut listed: BTreeMap<&str, Vec<&Dataset>> = BTreeMap::new();
    for d in portal.datasets.iter().filter(|d| is_listed(d)) {
        listed.entry(d.publisher.value.as_str()).or_default().push(d);
    }
    portal
        .publishers
        .values()
        .map(|p| {
            let mut s = AgencyStats {
                publisher: p.id.clone(),
                name: p.name.vi.clone(),
                name_en: p.name.en.clone(),
                datasets: 0,
                resources: 0,
                formats: Vec::new(),
                on_time: 0,
                due_soon: 0,
                overdue: 0,
                no_schedule: 0,
                on_time_share: None,
                overdue_datasets: Vec::new(),
                updates: BTreeMap::new(),
            };
            let mut formats = BTreeSet::new();
            for d in listed.get(p.id.as_str()).into_iter().flatten() {
                s.datasets += 1;
                s.resources += d.resources.len();
                for r in &d.resources {
                    formats.insert(match &r.kind {
                        ResourceKind::File(f) => f.format.clone(),
                        ResourceKind::Service(_) => "API".to_string(),
                    });
                }
                let status = portal.timeline.of(&d.id).map_or(Status::NoSchedule, |f| f.status);
                match status {
                    Status::OnTime => s.on_time += 1,
                    Status::DueSoon => s.due_soon += 1,
                    Status::Overdue => {
                        s.overdue += 1;
                        s.overdue_datasets.push(d.id.clone());
                    }
                    Status::NoSchedule => s.no_schedule += 1,
                }
                for date in update_dates(portal, d) {
                    if let Some(day) = parse_date(date) {
                        *s.updates.entry(freshness::quarter_label(day)).or_default() += 1;
                    }
                }
            }
            let scheduled = s.on_time + s.due_soon + s.overdue;
            s.on_time_share = (scheduled > 0).then(|| (s.on_time + s.due_soon) as f64 / scheduled as f64);
            s.formats = formats.into_iter().collect();
            s
        })
        .collect()
}

/// The quarter before the one `as_of` is in (the quarter a report at `as_of` is about).
pub fn previous_quarter(as_of: time::Date) -> String {
    let start = freshness::quarter_start(as_of);
    freshness::quarter_label(start.previous_day().unwrap_or(start))
}

/// The `n` quarters ending with the one `as_of` is in, oldest first.
pub fn last_quarters(as_of: time::Date, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut q = freshness::quarter_start(as_of);
    for _ in 0..n {
        out.push(freshness::quarter_label(q));
        q = freshness::quarter_start(q.previous_day().unwrap_or(q));
    }
    out.reverse();
    out
}

/// A share as a percentage with one decimal and a dot: `85.7`; empty for none (CSV, tables).
pub fn share_text(share: Option<f64>) -> String {
    share.map(|s| format!("{:.1}", s * 100.0)).unwrap_or_default()
}

/// The columns of `odp report --format csv`, documented in README.md.
pub const CSV_COLUMNS: &[&str] = &[
    "quarter",
    "publisher",
    "name",
    "datasets",
    "resources",
    "formats",
    "on_time",
    "due_soon",
    "overdue",
    "no_schedule",
    "on_time_share",
    "updates_in_quarter",
    "overdue_datasets",
];

/// The report as CSV (RFC 4180, UTF-8, `\n` line ends), one row per agency.
pub fn csv(stats: &[AgencyStats], quarter: &str) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).expect("in memory");
    for s in stats {
        w.write_record([
            quarter.to_string(),
            s.publisher.clone(),
            s.name.clone(),
            s.datasets.to_string(),
            s.resources.to_string(),
            s.formats.join(" "),
            s.on_time.to_string(),
            s.due_soon.to_string(),
            s.overdue.to_string(),
            s.no_schedule.to_string(),
            share_text(s.on_time_share),
            s.updates_in(quarter).to_string(),
            s.overdue_datasets.join(" "),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8 in, utf-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(previous_quarter(d("2026-01-10")), "2025-Q4");
        assert_eq!(previous_quarter(d("2026-09-30")), "2026-Q2");
        assert_eq!(last_quarters(d("2026-02-01"), 3), ["2025-Q3", "2025-Q4", "2026-Q1"]);
    }
}
