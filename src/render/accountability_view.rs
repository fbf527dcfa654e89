//! Issue 6's page data: freshness badges, change history, notices, the status filter of
//! listings, the publisher's freshness summary and `/stats/` with its SVG charts.

use super::charts;
use super::views::{Cx, DateV, Link};
use crate::accountability::{self, AgencyStats};
use crate::freshness::{self, Source, Status, parse_date};
use crate::history::{Availability, Change, Entry};
use crate::model::{Dataset, Lang};
use crate::notices::{Kind, Notice};
use crate::urls;
use serde::Serialize;

/// How many quarters `/stats/` charts.
pub const QUARTERS: usize = 8;

/// A status badge: `status` is the stable id (CSS class `badge-<id>`).
#[derive(Debug, Clone, Serialize)]
pub struct BadgeV {
    pub status: &'static str,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreshnessV {
    pub badge: BadgeV,
    pub last_update: Option<DateV>,
    pub source: Option<String>,
    pub next_due: Option<DateV>,
    pub as_of: DateV,
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryV {
    pub date: DateV,
    pub message: String,
    pub commit: String,
    pub commit_short: String,
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryV {
    /// Why there is no history, when there is none to show.
    pub unavailable: Option<String>,
    pub entries: Vec<EntryV>,
    pub total: usize,
    /// The history page, when the dataset page shows only the newest entries.
    pub all_href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeV {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub title_lang: Option<&'static str>,
    pub body_html: String,
    pub body_lang: Option<&'static str>,
    pub start: DateV,
    pub end: DateV,
    pub expected_recovery: Option<String>,
    pub affected: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterV {
    pub label: String,
    pub href: String,
    pub count: usize,
    pub current: bool,
}

impl Cx<'_> {
    fn status_label(&self, s: Status) -> String {
        self.loc.s(status_key(s)).to_string()
    }

    pub fn badge(&self, d: &Dataset) -> Option<BadgeV> {
        let f = self.portal.timeline.of(&d.id)?;
        Some(BadgeV { status: f.status.id(), label: self.status_label(f.status) })
    }
}

pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::OnTime => "status_on_time",
        Status::DueSoon => "status_due_soon",
        Status::Overdue => "status_overdue",
        Status::NoSchedule => "status_no_schedule",
    }
}

fn date_v(cx: &Cx<'_>, iso: &str) -> DateV {
    DateV { iso: iso.to_string(), text: cx.loc.date(iso) }
}

pub fn freshness(cx: &Cx<'_>, d: &Dataset) -> Option<FreshnessV> {
    let f = cx.portal.timeline.of(&d.id)?;
    let source = match f.source {
        Source::Modified => Some("fresh_source_modified"),
        Source::Git => Some("fresh_source_git"),
        Source::Issued => Some("fresh_source_issued"),
        Source::None => None,
    };
    let rule = match cx.portal.config.freshness.rule {
        freshness::Rule::Frequency => "fresh_rule_frequency",
        freshness::Rule::QuarterlyPlus15 => "fresh_rule_quarterly",
    };
    Some(FreshnessV {
        badge: BadgeV { status: f.status.id(), label: cx.status_label(f.status) },
        last_update: f.last_update.as_deref().map(|x| date_v(cx, x)),
        source: source.map(|k| cx.loc.s(k).to_string()),
        next_due: f.next_due.as_deref().map(|x| date_v(cx, x)),
        as_of: date_v(cx, &cx.portal.timeline.as_of),
        rule: cx.loc.s(rule).to_string(),
    })
}

fn entry_v(cx: &Cx<'_>, e: &Entry) -> EntryV {
    let mut changes = Vec::new();
    if e.metadata {
        changes.push(cx.loc.s("history_metadata").to_string());
    }
    for f in &e.files {
        let verb = cx.loc.s(match f.change {
            Change::Added => "change_added",
            Change::Modified => "change_modified",
            Change::Deleted => "change_deleted",
        });
        let mut line = format!("{}: {verb}", f.path);
        if let (Some(a), Some(r)) = (f.rows_added, f.rows_removed) {
            line.push_str(", ");
            line.push_str(&cx.loc.fill("history_rows", &[("added", &cx.loc.int(a)), ("removed", &cx.loc.int(r))]));
        }
        changes.push(line);
    }
    EntryV {
        date: date_v(cx, &e.date),
        message: e.message.clone(),
        commit: e.commit.clone(),
        commit_short: e.commit.chars().take(10).collect(),
        changes,
    }
}

/// The dataset's history; `limit` entries at most (`None`: all).
pub fn history(cx: &Cx<'_>, d: &Dataset, limit: Option<usize>) -> HistoryV {
    let h = &cx.portal.timeline.history;
    let unavailable = match h.availability {
        Availability::Available => None,
        Availability::NoRepository => Some(cx.loc.s("history_unavailable").to_string()),
        Availability::Shallow => Some(cx.loc.s("history_shallow").to_string()),
    };
    let all = h.of(&d.id);
    let shown = limit.map_or(all.len(), |n| n.min(all.len()));
    HistoryV {
        unavailable,
        entries: all[..shown].iter().map(|e| entry_v(cx, e)).collect(),
        total: all.len(),
        all_href: (shown < all.len() && h.has_own_page(&d.id)).then(|| cx.page_link(&history_rel(&d.id))),
    }
}

/// `datasets/<id>/history/`.
pub fn history_rel(id: &str) -> String {
    format!("{}history/", urls::dataset(id))
}

/// `freshness/<status>/` (not under `datasets/`, where every folder is a dataset id).
pub fn status_rel(s: Status) -> String {
    format!("freshness/{}/", s.id())
}

pub fn stats_rel() -> String {
    "stats/".into()
}

pub fn notice_v(cx: &Cx<'_>, n: &Notice) -> NoticeV {
    let (kind, key) = match n.kind {
        Kind::PlannedSuspension => ("planned-suspension", "notice_kind_planned_suspension"),
        Kind::Info => ("info", "notice_kind_info"),
    };
    let affected = n
        .affected
        .iter()
        .filter_map(|a| {
            let (ds, res) = a.value.split_once('/').map_or((a.value.as_str(), None), |(d, r)| (d, Some(r)));
            let d = cx.portal.dataset(ds)?;
            let title = d.title.get(cx.lang).to_string();
            Some(match res {
                None => Link { title, href: cx.page_link(&urls::dataset(ds)) },
                Some(r) => {
                    let rt = d
                        .resources
                        .iter()
                        .find(|x| x.id == r)
                        .map_or(r.to_string(), |x| x.title.get(cx.lang).to_string());
                    Link {
                        title: format!("{title} — {rt}"),
                        href: format!("{}#res-{r}", cx.page_link(&urls::dataset(ds))),
                    }
                }
            })
        })
        .collect();
    NoticeV {
        id: n.id.clone(),
        kind,
        kind_label: cx.loc.s(key).to_string(),
        title: n.title.get(cx.lang).to_string(),
        title_lang: cx.fallback_lang(&n.title),
        body_html: cx.md(&n.body),
        body_lang: cx.vi_only(),
        start: date_v(cx, &n.start.value),
        end: date_v(cx, n.last_day()),
        expected_recovery: n.expected_recovery.clone(),
        affected,
    }
}

/// Notices shown site-wide at the build date, in file-name order; on a dataset's page, those
/// that affect it are left to the page's own box (shown once, under the title).
pub fn active_notices(cx: &Cx<'_>, dataset_page: Option<&str>) -> Vec<NoticeV> {
    let t = &cx.portal.timeline;
    cx.portal
        .notices
        .iter()
        .filter(|n| n.is_active(&t.as_of, &t.history) && dataset_page.is_none_or(|d| !n.affects(d)))
        .map(|n| notice_v(cx, n))
        .collect()
}

/// Active notices that name this dataset or one of its services.
pub fn dataset_notices(cx: &Cx<'_>, d: &Dataset) -> Vec<NoticeV> {
    let t = &cx.portal.timeline;
    cx.portal
        .notices
        .iter()
        .filter(|n| n.affects(&d.id) && n.is_active(&t.as_of, &t.history))
        .map(|n| notice_v(cx, n))
        .collect()
}

/// The no-JS status filter over listed datasets: "All" then each status with its count.
pub fn status_filters(cx: &Cx<'_>, current: Option<Status>) -> Vec<FilterV> {
    let listed: Vec<&Dataset> = cx.portal.datasets.iter().filter(|d| accountability::is_listed(d)).collect();
    let mut out = vec![FilterV {
        label: cx.loc.s("filter_all").to_string(),
        href: cx.page_link(&urls::datasets()),
        count: listed.len(),
        current: current.is_none(),
    }];
    for s in Status::ALL {
        let count = listed.iter().filter(|d| cx.portal.timeline.of(&d.id).is_some_and(|f| f.status == s)).count();
        out.push(FilterV {
            label: cx.status_label(s),
            href: cx.page_link(&status_rel(s)),
            count,
            current: current == Some(s),
        });
    }
    out
}

/// One agency row of `/stats/` and its publisher page summary.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyV {
    pub id: String,
    pub name: String,
    pub href: String,
    pub datasets: usize,
    pub resources: usize,
    pub formats: Vec<String>,
    pub counts: Vec<FilterV>,
    pub on_time_share: String,
    pub overdue: Vec<Link>,
    pub updates: Vec<usize>,
    pub updates_chart: String,
}

fn agency_v(cx: &Cx<'_>, s: &AgencyStats, quarters: &[String]) -> AgencyV {
    let name = match cx.lang {
        Lang::En => s.name_en.clone().unwrap_or_else(|| s.name.clone()),
        Lang::Vi => s.name.clone(),
    };
    let updates: Vec<usize> = quarters.iter().map(|q| s.updates_in(q)).collect();
    let title = cx.loc.fill("stats_chart_updates_agency", &[("name", &name)]);
    let desc = quarters.iter().zip(&updates).map(|(q, n)| format!("{q}: {n}")).collect::<Vec<_>>().join("; ");
    let bars: Vec<(String, f64, String)> =
        quarters.iter().zip(&updates).map(|(q, n)| (quarter_two_lines(q), *n as f64, n.to_string())).collect();
    AgencyV {
        id: s.publisher.clone(),
        href: cx.page_link(&urls::publisher(&s.publisher)),
        datasets: s.datasets,
        resources: s.resources,
        formats: s.formats.clone(),
        counts: Status::ALL
            .iter()
            .map(|&st| FilterV {
                label: cx.status_label(st),
                href: cx.page_link(&status_rel(st)),
                count: s.count(st),
                current: false,
            })
            .collect(),
        on_time_share: s.on_time_share.map(|x| cx.loc.percent(x)).unwrap_or_else(|| "—".into()),
        overdue: s
            .overdue_datasets
            .iter()
            .filter_map(|id| cx.portal.dataset(id))
            .map(|d| Link { title: d.title.get(cx.lang).to_string(), href: cx.page_link(&urls::dataset(&d.id)) })
            .collect(),
        updates_chart: charts::columns(&format!("chart-updates-{}", s.publisher), &title, &desc, &bars),
        updates,
        name,
    }
}

/// `2026-Q3` → `Q3 2026` (the chart writes it on two lines).
fn quarter_two_lines(q: &str) -> String {
    q.split_once("-Q").map_or(q.to_string(), |(y, n)| format!("Q{n} {y}"))
}

/// The publisher page's freshness summary.
pub fn publisher_summary(cx: &Cx<'_>, id: &str) -> Option<AgencyV> {
    let s = cx.portal.agency_stats().iter().find(|s| s.publisher == id)?;
    Some(agency_v(cx, s, &quarters(cx)))
}

fn quarters(cx: &Cx<'_>) -> Vec<String> {
    let as_of = parse_date(&cx.portal.timeline.as_of).unwrap_or(time::Date::MIN);
    accountability::last_quarters(as_of, QUARTERS)
}

/// `/stats/`: per agency figures, a chart of on-time shares and per-agency update charts.
pub fn stats(cx: &Cx<'_>) -> serde_json::Value {
    let qs = quarters(cx);
    let stats = cx.portal.agency_stats();
    let mut agencies: Vec<AgencyV> = stats.iter().map(|s| agency_v(cx, s, &qs)).collect();
    super::sort_by_vi(&mut agencies, |a| &a.name);
    let share_bars: Vec<(String, f64, String)> = stats
        .iter()
        .filter_map(|s| {
            let a = agencies.iter().find(|a| a.id == s.publisher)?;
            s.on_time_share.map(|x| (a.name.clone(), x, cx.loc.percent(x)))
        })
        .collect();
    let mut share_bars = share_bars;
    super::sort_by_vi(&mut share_bars, |b| &b.0);
    let share_desc = share_bars.iter().map(|(n, _, t)| format!("{n}: {t}")).collect::<Vec<_>>().join("; ");
    let share_chart = (!share_bars.is_empty()).then(|| {
        charts::bars(
            "chart-on-time",
            cx.loc.s("stats_chart_on_time"),
            if share_desc.is_empty() { cx.loc.s("stats_no_schedule") } else { &share_desc },
            &share_bars,
        )
    });
    let totals: Vec<usize> = (0..qs.len()).map(|i| agencies.iter().map(|a| a.updates[i]).sum()).collect();
    serde_json::json!({
        "as_of": date_v(cx, &cx.portal.timeline.as_of),
        "rule": cx.loc.s(match cx.portal.config.freshness.rule {
            freshness::Rule::Frequency => "fresh_rule_frequency",
            freshness::Rule::QuarterlyPlus15 => "fresh_rule_quarterly",
        }),
        "history_note": match cx.portal.timeline.history.availability {
            Availability::Available => None,
            Availability::NoRepository => Some(cx.loc.s("stats_updates_no_history")),
            Availability::Shallow => Some(cx.loc.s("stats_updates_no_history")),
        },
        "agencies": agencies,
        "share_chart": share_chart,
        "quarters": qs,
        "quarter_totals": totals,
        "overdue_total": stats.iter().map(|s| s.overdue).sum::<usize>(),
        "filters": status_filters(cx, None),
    })
}
