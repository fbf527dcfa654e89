//! Files for search engines and feed readers (issue 5 §4): `/sitemap.xml` (every page in every
//! language, `lastmod` from the metadata dates — never the build's clock — so rebuilding does
//! not make every page look new), `/robots.txt` pointing to it, and `/feed.xml`, an Atom feed of
//! new and updated datasets built from a list of [`FeedEntry`] values: other sources of entries
//! (git change history, issue 6) add to the list; `atom` sorts and writes it.

use super::{last_change, plain, portal_modified};
use crate::copies::xml_escape;
use crate::history::{Availability, Change};
use crate::model::{Dataset, Lang, Portal, Status};
use crate::render::{PageKind, site_pages};
use crate::urls::{self, Site};

/// Entries in the feed, newest first.
pub const FEED_LIMIT: usize = 50;

/// `lastmod` of a page: its dataset's date; a listing's newest dataset date.
fn lastmod(portal: &Portal, kind: &PageKind) -> Option<String> {
    let newest = |keep: &dyn Fn(&crate::model::Dataset) -> bool| {
        portal.datasets.iter().filter(|d| keep(d)).filter_map(last_change).max().map(String::from)
    };
    match kind {
        PageKind::Dataset(id) => portal.dataset(id).and_then(last_change).map(String::from),
        PageKind::Publisher(id) => newest(&|d| d.publisher.value == *id),
        PageKind::Theme(id) => newest(&|d| d.themes.iter().any(|t| t.value == *id)),
        PageKind::Home | PageKind::Datasets | PageKind::Search | PageKind::Publishers | PageKind::Themes => {
            portal_modified(portal).map(String::from)
        }
        _ => None,
    }
}

pub fn sitemap(portal: &Portal, site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in site_pages(portal) {
        if page.kind == PageKind::NotFound {
            continue;
        }
        out += &format!("  <url><loc>{}</loc>", xml_escape(&site.absolute(&page.rel_path())));
        if let Some(m) = lastmod(portal, &page.kind) {
            out += &format!("<lastmod>{m}</lastmod>");
        }
        out += "</url>\n";
    }
    out += "</urlset>\n";
    out
}

pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.absolute("sitemap.xml"))
}

/// One entry of the Atom feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// A stable IRI: the dataset page for "new or updated" entries.
    pub id: String,
    pub title: String,
    /// ISO 8601 date or date-time; a date is written as midnight UTC.
    pub updated: String,
    pub published: Option<String>,
    pub link: String,
    pub summary: String,
    pub author: String,
    pub categories: Vec<String>,
}

/// One entry per dataset with a date (`modified`, else `issued`): "new" when the two agree.
pub fn feed_entries(portal: &Portal, site: &Site) -> Vec<FeedEntry> {
    portal
        .datasets
        .iter()
        .filter_map(|d| {
            let updated = last_change(d)?;
            let publisher = portal.publishers.get(&d.publisher.value);
            let mut summary = plain(&d.description.vi);
            if d.status != Status::Active {
                let label =
                    if d.status == Status::Withdrawn { "Đã thu hồi" } else { "Không còn khuyến nghị dùng" };
                summary = format!("[{label}] {summary}");
            }
            Some(FeedEntry {
                id: site.absolute(&urls::dataset(&d.id)),
                title: d.title.vi.clone(),
                updated: updated.to_string(),
                published: d.issued.clone(),
                link: site.absolute(&urls::dataset(&d.id)),
                summary,
                author: publisher.map_or(d.publisher.value.clone(), |p| p.name.vi.clone()),
                categories: d
                    .themes
                    .iter()
                    .filter_map(|t| portal.config.theme(&t.value))
                    .map(|t| t.title.get(Lang::Vi).to_string())
                    .collect(),
            })
        })
        .collect()
}

/// Git-history updates (issue 6 item 2): the newest [`FEED_LIMIT`] commits over all datasets,
/// one entry per commit and dataset, linking to the dataset's history page, or to the dataset
/// page while its history is short enough to be listed there whole; `id` is the history page's
/// URL + `#<commit>` either way, so it stays the same when the history page appears. None when the history is unavailable (no git, a
/// shallow clone): the feed then keeps only the metadata-date entries.
pub fn history_entries(portal: &Portal, site: &Site) -> Vec<FeedEntry> {
    let history = &portal.timeline.history;
    if history.availability != Availability::Available {
        return Vec::new();
    }
    history
        .recent(FEED_LIMIT)
        .into_iter()
        .filter_map(|(id, entry)| {
            let d = portal.dataset(id)?;
            let history_page = site.absolute(&format!("{}history/", urls::dataset(id)));
            let mut changed: Vec<String> = Vec::new();
            if entry.metadata {
                changed.push("siêu dữ liệu".to_string());
            }
            for f in &entry.files {
                let how = match f.change {
                    Change::Added => "thêm mới",
                    Change::Modified => "sửa đổi",
                    Change::Deleted => "xoá",
                };
                changed.push(match (f.rows_added, f.rows_removed) {
                    (Some(a), Some(r)) => format!("{}: {how}, +{a} / −{r} dòng", f.path),
                    _ => format!("{}: {how}", f.path),
                });
            }
            let short = &entry.commit[..entry.commit.len().min(10)];
            Some(FeedEntry {
                id: format!("{history_page}#{}", entry.commit),
                title: format!("{}: {}", d.title.vi, entry.message),
                updated: entry.date.clone(),
                published: None,
                link: if history.has_own_page(id) { history_page } else { site.absolute(&urls::dataset(id)) },
                summary: format!("Thay đổi {short}: {}.", changed.join("; ")),
                author: author(portal, d),
                categories: categories(portal, d),
            })
        })
        .collect()
}

/// Withdrawal and deprecation entries (issue 6 item 5): a dataset that left the listings still
/// tells feed readers so, dated by its `status_date` (no date: no entry, never the clock).
pub fn status_entries(portal: &Portal, site: &Site) -> Vec<FeedEntry> {
    portal
        .datasets
        .iter()
        .filter(|d| d.status != Status::Active)
        .filter_map(|d| {
            let date = d.status_date.clone()?;
            let label =
                if d.status == Status::Withdrawn { "Đã thu hồi" } else { "Không còn khuyến nghị dùng" };
            let url = site.absolute(&urls::dataset(&d.id));
            let reason = d.status_reason.as_deref().map(plain).unwrap_or_default();
            Some(FeedEntry {
                id: format!("{url}#status-{date}"),
                title: format!("{label}: {}", d.title.vi),
                updated: date,
                published: None,
                link: url,
                summary: if reason.is_empty() { format!("{label}.") } else { format!("{label}: {reason}") },
                author: author(portal, d),
                categories: categories(portal, d),
            })
        })
        .collect()
}

fn author(portal: &Portal, d: &Dataset) -> String {
    portal.publishers.get(&d.publisher.value).map_or(d.publisher.value.clone(), |p| p.name.vi.clone())
}

fn categories(portal: &Portal, d: &Dataset) -> Vec<String> {
    d.themes.iter().filter_map(|t| portal.config.theme(&t.value)).map(|t| t.title.get(Lang::Vi).to_string()).collect()
}

/// Entries newest first (a date counts as midnight UTC; ties by id), at most [`FEED_LIMIT`].
pub fn newest(entries: &[FeedEntry]) -> Vec<&FeedEntry> {
    let mut entries: Vec<&FeedEntry> = entries.iter().collect();
    entries.sort_by(|a, b| atom_time(&b.updated).cmp(&atom_time(&a.updated)).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(FEED_LIMIT);
    entries
}

fn atom_time(s: &str) -> String {
    if s.len() == 10 { format!("{s}T00:00:00Z") } else { s.to_string() }
}

/// The Atom document: entries newest first (ties by id), at most [`FEED_LIMIT`].
pub fn atom(entries: &[FeedEntry], portal: &Portal, site: &Site) -> String {
    let entries = newest(entries);
    // No dated entry: the epoch says "never", rather than the build's clock.
    let updated = entries.first().map_or("1970-01-01T00:00:00Z".to_string(), |e| atom_time(&e.updated));
    let e = xml_escape;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n  \
         <id>{}</id>\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <updated>{updated}</updated>\n  \
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  \
         <author><name>{}</name></author>\n  <generator>odp</generator>\n",
        e(&site.absolute("feed.xml")),
        e(&portal.config.title.vi),
        e(&plain(&portal.config.description.vi)),
        e(&site.absolute("feed.xml")),
        e(&site.absolute("")),
        e(&portal.config.title.vi),
    );
    for x in entries {
        out += &format!(
            "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n",
            e(&x.id),
            e(&x.title),
            atom_time(&x.updated)
        );
        if let Some(p) = &x.published {
            out += &format!("    <published>{}</published>\n", atom_time(p));
        }
        out += &format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <author><name>{}</name></author>\n",
            e(&x.link),
            e(&x.author)
        );
        for c in &x.categories {
            out += &format!("    <category term=\"{}\"/>\n", e(c));
        }
        out += &format!("    <summary>{}</summary>\n  </entry>\n", e(&x.summary));
    }
    out += "</feed>\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, updated: &str) -> FeedEntry {
        FeedEntry {
            id: id.into(),
            title: id.into(),
            updated: updated.into(),
            published: None,
            link: id.into(),
            summary: String::new(),
            author: "a".into(),
            categories: vec![],
        }
    }

    #[test]
    fn entries_from_other_sources_sort_in() {
        // A git-history entry (issue 6) with a time sorts among the metadata dates.
        let entries = vec![
            entry("b", "2025-03-01"),
            entry("a", "2025-03-01"),
            entry("commit", "2025-03-01T08:00:00Z"),
            entry("old", "2024-12-31"),
        ];
        let ids: Vec<&str> = newest(&entries).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["commit", "a", "b", "old"]);
        let many: Vec<FeedEntry> = (0..60).map(|i| entry(&format!("{i:02}"), "2025-01-01")).collect();
        assert_eq!(newest(&many).len(), FEED_LIMIT);
    }
}
