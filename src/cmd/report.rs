//! `odp report`: the per-agency figures of `/stats/` for the portal team's quarterly report
//! (003 Art. 10.2, 12; 001 Art. 17.1.đ), as an aligned table, CSV or JSON on stdout.

use super::{Outcome, print_diagnostics};
use crate::accountability::{self, AgencyStats};
use crate::cli::{ReportArgs, ReportFormat};
use crate::diag::render::Format;
use crate::freshness::parse_date;
use crate::{pipeline, timeline};
use anyhow::{Context, Result};
use std::path::Path;

pub fn run(root: &Path, args: &ReportArgs) -> Result<Outcome> {
    let (portal, diags) = pipeline::check(root)?;
    let Some(mut portal) = portal.filter(|_| !diags.has_errors()) else {
        print_diagnostics(&diags.sorted(), Format::Human, root);
        eprintln!("Không lập được báo cáo vì có lỗi — no report because of errors");
        return Ok(Outcome::Problems);
    };
    timeline::settle(&mut portal, args.as_of.as_deref())?;
    let as_of = parse_date(&portal.timeline.as_of).context("build date")?;
    let quarter = match &args.quarter {
        Some(q) => q.clone(),
        None => accountability::previous_quarter(as_of),
    };
    let stats = accountability::agency_stats(&portal);
    let out = match args.format {
        ReportFormat::Csv => accountability::csv(&stats, &quarter),
        ReportFormat::Json => {
            let v = serde_json::json!({
                "as_of": portal.timeline.as_of,
                "as_of_source": portal.timeline.as_of_source,
                "rule": portal.config.freshness.rule.name(),
                "history": portal.timeline.history.availability,
                "quarter": quarter,
                "agencies": stats.iter().map(|s| agency_json(s, &quarter)).collect::<Vec<_>>(),
            });
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        ReportFormat::Table => table(&stats, &quarter, &portal.timeline.as_of),
    };
    print!("{out}");
    Ok(Outcome::Clean)
}

fn agency_json(s: &AgencyStats, quarter: &str) -> serde_json::Value {
    serde_json::json!({
        "publisher": s.publisher,
        "name": s.name,
        "datasets": s.datasets,
        "resources": s.resources,
        "formats": s.formats,
        "on_time": s.on_time,
        "due_soon": s.due_soon,
        "overdue": s.overdue,
        "no_schedule": s.no_schedule,
        "on_time_share": s.on_time_share.map(|x| (x * 1000.0).round() / 10.0),
        "updates_in_quarter": s.updates_in(quarter),
        "updates_per_quarter": s.updates,
        "overdue_datasets": s.overdue_datasets,
    })
}

/// Columns padded by character count (Vietnamese names are multi-byte).
fn table(stats: &[AgencyStats], quarter: &str, as_of: &str) -> String {
    let header =
        ["publisher", "datasets", "resources", "on_time", "due_soon", "overdue", "no_schedule", "on_time_%", "updates"];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for s in stats {
        rows.push(vec![
            s.publisher.clone(),
            s.datasets.to_string(),
            s.resources.to_string(),
            s.on_time.to_string(),
            s.due_soon.to_string(),
            s.overdue.to_string(),
            s.no_schedule.to_string(),
            accountability::share_text(s.on_time_share),
            s.updates_in(quarter).to_string(),
        ]);
    }
    let widths: Vec<usize> =
        (0..header.len()).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = format!("Báo cáo quý / quarter {quarter} — tính đến / as of {as_of}\n");
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { format!("{c:<w$}", w = widths[i]) } else { format!("{c:>w$}", w = widths[i]) })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for s in stats.iter().filter(|s| !s.overdue_datasets.is_empty()) {
        out.push_str(&format!("quá hạn / overdue ({}): {}\n", s.publisher, s.overdue_datasets.join(", ")));
    }
    out
}
