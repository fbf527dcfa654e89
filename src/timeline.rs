//! The portal in time (issue 6): the build date every date-dependent output uses, the git
//! history, and each dataset's freshness at that date.
//!
//! The build date is explicit so the same inputs give the same site (byte-identical rebuilds):
//! `--as-of YYYY-MM-DD`, else `SOURCE_DATE_EPOCH` (reproducible-builds.org; read as a day in
//! Viet Nam, UTC+7), else the committer date of the repository's HEAD commit, else the latest
//! date written in the metadata (`modified`, `issued`, notice dates), else 1970-01-01. Never the
//! wall clock: a site built from a checkout shows freshness as of its last commit, which is what
//! a CI deploy of that commit publishes.

use crate::freshness::{self, Freshness, Source, parse_date};
use crate::history::History;
use crate::model::{Portal, Status};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the build date came from (said in `odp report` and on /stats/).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfSource {
    Flag,
    SourceDateEpoch,
    LastCommit,
    Metadata,
    #[default]
    Epoch,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// `YYYY-MM-DD`.
    pub as_of: String,
    pub as_of_source: AsOfSource,
    pub history: History,
    /// Per dataset id.
    pub freshness: BTreeMap<String, Freshness>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            as_of: "1970-01-01".into(),
            as_of_source: AsOfSource::Epoch,
            history: History::default(),
            freshness: BTreeMap::new(),
        }
    }
}

impl Timeline {
    pub fn of(&self, dataset: &str) -> Option<&Freshness> {
        self.freshness.get(dataset)
    }
}

/// Checks a `--as-of` value (for clap).
pub fn parse_as_of(s: &str) -> Result<String, String> {
    parse_date(s).map(freshness::iso).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// Chooses the build date (see the module docs).
pub fn resolve_as_of(explicit: Option<&str>, portal: &Portal) -> Result<(String, AsOfSource)> {
    if let Some(d) = explicit {
        let d = parse_as_of(d).map_err(anyhow::Error::msg)?;
        return Ok((d, AsOfSource::Flag));
    }
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 =
            v.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))?;
        let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else {
            bail!("SOURCE_DATE_EPOCH=`{v}` is out of range")
        };
        let vn = t.to_offset(time::macros::offset!(+7));
        return Ok((freshness::iso(vn.date()), AsOfSource::SourceDateEpoch));
    }
    if let Some(d) = portal.timeline.history.head_date.as_deref().and_then(parse_date) {
        return Ok((freshness::iso(d), AsOfSource::LastCommit));
    }
    let mut dates: Vec<&str> = Vec::new();
    for d in &portal.datasets {
        dates.extend(d.modified.as_deref());
        dates.extend(d.issued.as_deref());
    }
    for n in &portal.notices {
        dates.push(&n.start.value);
        dates.extend(n.announced.as_ref().map(|a| a.value.as_str()));
    }
    match dates.into_iter().filter(|d| parse_date(d).is_some()).max() {
        Some(d) => Ok((d.to_string(), AsOfSource::Metadata)),
        None => Ok(("1970-01-01".into(), AsOfSource::Epoch)),
    }
}

/// The last update of a dataset and where it came from: `modified`, else the last commit on or
/// before the build date `as_of` that changed its data files, else `issued`.
pub fn last_update(portal: &Portal, id: &str, as_of: &str) -> Option<(time::Date, Source)> {
    let d = portal.dataset(id)?;
    if let Some(m) = d.modified.as_deref().and_then(parse_date) {
        return Some((m, Source::Modified));
    }
    if let Some(g) = portal.timeline.history.last_data_update(id, as_of).and_then(parse_date) {
        return Some((g, Source::Git));
    }
    d.issued.as_deref().and_then(parse_date).map(|i| (i, Source::Issued))
}

/// Sets the build date and every dataset's freshness. Deprecated and withdrawn datasets are
/// no longer kept up to date: they have no schedule.
pub fn settle(portal: &mut Portal, explicit_as_of: Option<&str>) -> Result<()> {
    let (as_of, source) = resolve_as_of(explicit_as_of, portal)?;
    let date = parse_date(&as_of).context("build date")?;
    let mut out = BTreeMap::new();
    for d in &portal.datasets {
        let last = last_update(portal, &d.id, &as_of);
        let freq = if d.status == Status::Active { d.frequency.value.as_str() } else { "never" };
        out.insert(d.id.clone(), freshness::assess(&portal.config.freshness, freq, last, date));
    }
    portal.timeline.as_of = as_of;
    portal.timeline.as_of_source = source;
    portal.timeline.freshness = out;
    Ok(())
}
