//! Notices (issue 6 §4): `content/notices/<id>.md`, TOML front matter plus a Markdown message,
//! shown as a site-wide banner and on the affected dataset pages while active.
//!
//! A planned suspension of a data service must be announced publicly at least 7 working days
//! ahead, with the expected recovery time (002 Art. 20.3): `odp check` warns (W0601) when the
//! announcement (`announced`, else the date of the commit that added the file) is fewer than 7
//! working days before `start` — weekends and Vietnamese public holidays ([`holidays`]) excluded.

pub mod holidays;

use crate::diag::{Diagnostics, Msg, Pos};
use crate::freshness::parse_date;
use crate::history::History;
use crate::load::frontmatter;
use crate::load::toml_read::Table;
use crate::model::{At, Portal, ResourceKind, Text};
use crate::text::{is_slug, nfc};
use serde::Serialize;

/// Working days a planned suspension must be announced ahead (002 Art. 20.3).
pub const LEAD_WORKING_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `planned-suspension`: a data service stops for maintenance or an upgrade (002 Art. 20.1.a).
    PlannedSuspension,
    /// `info`: anything else worth a banner.
    Info,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &["planned-suspension", "info"];
}

/// One notice file.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// The file stem.
    pub id: String,
    /// Repository-relative path.
    pub source: String,
    pub kind: Kind,
    pub title: Text,
    /// Markdown (Vietnamese; English pages show it marked `lang="vi"`).
    pub body: String,
    /// First day of the suspension or event, `YYYY-MM-DD`.
    pub start: At<String>,
    /// Last day, `YYYY-MM-DD`; the notice is shown through this day (default: `start`).
    pub end: Option<String>,
    /// The day it was announced, `YYYY-MM-DD`; else the commit that added the file.
    pub announced: Option<At<String>>,
    /// When service is expected back, as written ("17:00 ngày 05/12/2026").
    pub expected_recovery: Option<String>,
    /// Dataset ids or `dataset/resource` ids of data services.
    pub affected: Vec<At<String>>,
}

impl Notice {
    /// The last day the notice is shown.
    pub fn last_day(&self) -> &str {
        self.end.as_deref().unwrap_or(&self.start.value)
    }

    /// The announcement date: `announced`, else the commit that added the file.
    pub fn announced_on<'a>(&'a self, history: &'a History) -> Option<&'a str> {
        self.announced
            .as_ref()
            .map(|a| a.value.as_str())
            .or_else(|| history.notices_added.get(&self.source).map(String::as_str))
    }

    /// Shown at `as_of` (`YYYY-MM-DD`): an info notice from `start` to its last day; a planned
    /// suspension from its announcement (so people can prepare) to its last day.
    pub fn is_active(&self, as_of: &str, history: &History) -> bool {
        let from = match self.kind {
            Kind::PlannedSuspension => self.announced_on(history).unwrap_or(&self.start.value),
            Kind::Info => &self.start.value,
        };
        from <= as_of && as_of <= self.last_day()
    }

    /// True when the notice names this dataset or one of its data services.
    pub fn affects(&self, dataset: &str) -> bool {
        self.affected.iter().any(|a| a.value == dataset || a.value.split_once('/').is_some_and(|(d, _)| d == dataset))
    }
}

/// Reads one notice file; `id` is its file stem.
pub fn load(id: &str, path: &str, text: &str, diags: &mut Diagnostics) -> Option<Notice> {
    if !is_slug(id) {
        diags.push(path, Pos::FILE, Msg::InvalidId { kind: crate::diag::messages::IdKind::Page, id: id.to_string() });
        return None;
    }
    let (mut doc, root, body) = frontmatter::open(path, text, diags)?;
    let mut t = Table::new(root.get_ref(), 0..0, "front matter");
    let title = doc.text(&mut t, "title", "title_en", true);
    let kind = doc.required_string(&mut t, "kind");
    let start = doc.date(&mut t, "start");
    let had_start = t.has("start");
    let end = doc.date(&mut t, "end");
    let announced = doc.date(&mut t, "announced");
    let expected_recovery = doc.string(&mut t, "expected_recovery");
    let affected = doc.string_list(&mut t, "affected").unwrap_or_default();
    if !had_start {
        doc.missing(&t, "start");
    }
    let kind = kind.and_then(|k| match k.value.as_str() {
        "planned-suspension" => Some(Kind::PlannedSuspension),
        "info" => Some(Kind::Info),
        _ => {
            doc.diags.push(path, k.pos, Msg::NoticeUnknownKind { kind: k.value.clone() });
            None
        }
    });
    if let (Some(s), Some(e)) = (&start, &end)
        && e.value < s.value
    {
        doc.diags.push(path, e.pos, Msg::NoticeEndBeforeStart { start: s.value.clone(), end: e.value.clone() });
    }
    if kind == Some(Kind::PlannedSuspension) && expected_recovery.is_none() {
        let span = doc.value_span(&t, "kind").unwrap_or(0..1);
        let pos = doc.pos(span);
        doc.diags.push(path, pos, Msg::NoticeNeedsRecovery);
    }
    doc.finish(t);
    Some(Notice {
        id: id.to_string(),
        source: path.to_string(),
        kind: kind?,
        title: title?,
        body: nfc(body.trim()),
        start: start?,
        end: end.map(|e| e.value),
        announced,
        expected_recovery: expected_recovery.map(|e| e.value),
        affected,
    })
}

/// Cross-checks notices once datasets and history are known: affected ids exist; planned
/// suspensions are announced at least 7 working days ahead (002 Art. 20.3).
pub fn check(portal: &Portal, history: &History, diags: &mut Diagnostics) {
    for n in &portal.notices {
        for a in &n.affected {
            let (ds, res) = match a.value.split_once('/') {
                Some((d, r)) => (d, Some(r)),
                None => (a.value.as_str(), None),
            };
            let ok = portal.dataset(ds).is_some_and(|d| match res {
                None => true,
                Some(r) => d.resources.iter().any(|x| x.id == r && matches!(x.kind, ResourceKind::Service(_))),
            });
            if !ok {
                diags.push(&n.source, a.pos, Msg::NoticeUnknownAffected { id: a.value.clone() });
            }
        }
        if n.kind != Kind::PlannedSuspension {
            continue;
        }
        let Some(start) = parse_date(&n.start.value) else { continue };
        let Some(announced) = n.announced_on(history).and_then(parse_date) else {
            diags.push(&n.source, n.start.pos, Msg::NoticeAnnouncedUnknown);
            continue;
        };
        if !holidays::covers(announced, start) {
            let year = if announced.year() < holidays::YEARS.0 { announced.year() } else { start.year() };
            diags.push(&n.source, n.start.pos, Msg::NoticeHolidaysUnknown { year });
        }
        let days = holidays::working_days_between(announced, start);
        if days < LEAD_WORKING_DAYS {
            diags.push(
                &n.source,
                n.start.pos,
                Msg::NoticeShortLeadTime {
                    announced: crate::freshness::iso(announced),
                    start: n.start.value.clone(),
                    working_days: days,
                    from_git: n.announced.is_none(),
                },
            );
        }
    }
}
