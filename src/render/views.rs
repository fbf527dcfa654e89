//! The data each template receives, built per page and language in Rust so templates stay
//! simple: every string is already localised and every link already under the path prefix.
//! Common keys: `lang`, `t` (the translation table), `site`, `nav`, `alt_langs`, `page`;
//! the page's own data is `view`. Keys ending in `_html` hold sanitised HTML (use `| safe`).

use super::collate::sort_by_vi;
use super::i18n::Loc;
use super::markdown::{self, HashSetCell, MdOptions};
use super::{PageKind, Renderer, SitePage, dataset_view, page_exists};
use crate::model::{ContactPoint, Dataset, Lang, PageFrame, Portal, Publisher, ResourceKind, Status};
use crate::text::slugify;
use crate::urls::{self, Site};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// A date for `<time datetime=iso>text</time>`.
#[derive(Debug, Clone, Serialize)]
pub struct DateV {
    pub iso: String,
    pub text: String,
}

/// A listing of fewer than 1/`SHORT_LISTING` of the datasets is built alone (see `Cx::listed`).
const SHORT_LISTING: usize = 8;

/// A dataset in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetItem {
    pub id: String,
    pub title: String,
    /// `vi` when an English page falls back to the Vietnamese title (for `lang=`).
    pub title_lang: Option<&'static str>,
    pub excerpt_lang: Option<&'static str>,
    pub href: String,
    pub excerpt: String,
    pub publisher: Option<Link>,
    pub themes: Vec<Link>,
    pub formats: Vec<String>,
    pub modified: Option<DateV>,
    pub issued: Option<DateV>,
    pub deprecated: bool,
    /// Issue 6: the freshness status badge.
    pub freshness: Option<super::accountability_view::BadgeV>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountedLink {
    pub title: String,
    pub href: String,
    pub count: usize,
    pub count_text: String,
    pub description: String,
    /// `vi` when the description is Vietnamese text on a page in another language.
    pub description_lang: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactV {
    pub name: String,
    pub email: String,
    pub mailto: String,
    pub phone: Option<String>,
    pub tel: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct NavItem {
    title: String,
    href: String,
    /// The link is the current page (`aria-current="page"`).
    current: bool,
    /// The current page is inside this section.
    active: bool,
}

#[derive(Debug, Clone, Serialize)]
struct AltLang {
    code: &'static str,
    name: String,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct SiteV {
    title: String,
    description: String,
    home: String,
    css: String,
    favicon: String,
    search_action: String,
    datasets_href: String,
    publishers_href: String,
    themes_href: String,
    keywords_href: String,
    terms_href: Option<String>,
    footer_html: Option<String>,
    machine_links: Vec<Link>,
    /// Catalogues and feeds announced with `<link rel="alternate" type=…>` (autodiscovery, issue 5).
    feeds: Vec<FeedLink>,
}

#[derive(Debug, Clone, Serialize)]
struct FeedLink {
    title: String,
    href: String,
    media_type: String,
}

#[derive(Debug, Clone, Serialize)]
struct PageV {
    /// The `<h1>` and the first part of `<title>`.
    title: String,
    /// `<title>`.
    head_title: String,
    description: String,
    /// A CSS class naming the kind of page: `page-dataset`.
    kind: &'static str,
    canonical: Option<String>,
    alternates: Vec<Alternate>,
    breadcrumbs: Vec<Link>,
    /// The header's search box (hidden where the page has its own).
    header_search: bool,
    /// `noindex` for the 404 page.
    noindex: bool,
}

/// Everything a per-page view builder needs.
pub(crate) struct Cx<'a> {
    pub portal: &'a Portal,
    pub site: &'a Site,
    pub lang: Lang,
    pub loc: Loc<'a>,
}

impl<'a> Cx<'a> {
    /// A link to a page path in this language.
    pub fn page_link(&self, rel: &str) -> String {
        self.site.link(&urls::in_lang(self.lang, rel))
    }

    pub fn md(&self, src: &str) -> String {
        markdown::to_html(src, &MdOptions { prefix: &self.site.prefix, top_heading: 2, heading_ids: None })
    }

    pub fn md_with_ids(&self, src: &str, ids: &HashSetCell) -> String {
        markdown::to_html(src, &MdOptions { prefix: &self.site.prefix, top_heading: 2, heading_ids: Some(ids) })
    }

    /// `Some("vi")` when this page is not Vietnamese and `t` has no text in its language.
    pub fn fallback_lang(&self, t: &crate::model::Text) -> Option<&'static str> {
        (self.lang == Lang::En && t.en.is_none()).then_some("vi")
    }

    /// `Some("vi")` on pages in another language, for text that only exists in Vietnamese.
    pub fn vi_only(&self) -> Option<&'static str> {
        (self.lang != Lang::Vi).then_some("vi")
    }

    pub fn date(&self, iso: &Option<String>) -> Option<DateV> {
        iso.as_ref().map(|d| DateV { iso: d.clone(), text: self.loc.date(d) })
    }

    pub fn publisher_link(&self, id: &str) -> Option<Link> {
        self.portal
            .publishers
            .get(id)
            .map(|p| Link { title: p.name.get(self.lang).to_string(), href: self.page_link(&urls::publisher(id)) })
    }

    pub fn theme_link(&self, id: &str) -> Option<Link> {
        self.portal
            .config
            .theme(id)
            .map(|t| Link { title: t.title.get(self.lang).to_string(), href: self.page_link(&urls::theme(id)) })
    }

    pub fn contact(&self, c: &ContactPoint) -> ContactV {
        ContactV {
            name: c.name.clone(),
            email: c.email.clone(),
            mailto: format!("mailto:{}", c.email),
            phone: c.phone.clone(),
            tel: c
                .phone
                .as_ref()
                .map(|p| format!("tel:{}", p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())),
        }
    }

    /// A site path (`/terms/`) or an absolute URL, as a link in this language: site paths go
    /// to this language's version of a content page when it exists.
    pub fn site_path_link(&self, path: &str) -> String {
        let Some(rel) = path.strip_prefix('/') else { return path.to_string() };
        let slug = rel.trim_end_matches('/');
        let localised = self.portal.pages.iter().any(|p| p.lang == self.lang && p.slug == slug);
        if localised { self.page_link(rel) } else { self.site.link(rel) }
    }

    /// The usage-terms page in this language, else in Vietnamese, else none.
    pub fn terms_href(&self) -> Option<String> {
        if self.portal.pages.iter().any(|p| p.lang == self.lang && p.slug == "terms") {
            Some(self.page_link(&urls::terms()))
        } else if self.portal.pages.iter().any(|p| p.slug == "terms") {
            Some(self.site.link(&urls::terms()))
        } else {
            None
        }
    }

    pub fn dataset_item(&self, d: &Dataset) -> DatasetItem {
        let mut formats: BTreeSet<String> = BTreeSet::new();
        for r in &d.resources {
            match &r.kind {
                ResourceKind::File(f) => formats.insert(f.format.clone()),
                ResourceKind::Service(_) => formats.insert("API".to_string()),
            };
        }
        DatasetItem {
            id: d.id.clone(),
            title: d.title.get(self.lang).to_string(),
            title_lang: self.fallback_lang(&d.title),
            excerpt_lang: self.fallback_lang(&d.description),
            href: self.page_link(&urls::dataset(&d.id)),
            excerpt: markdown::excerpt(d.description.get(self.lang), 220),
            publisher: self.publisher_link(&d.publisher.value),
            themes: d.themes.iter().filter_map(|t| self.theme_link(&t.value)).collect(),
            formats: formats.into_iter().collect(),
            modified: self.date(&d.modified),
            issued: self.date(&d.issued),
            deprecated: d.status == Status::Deprecated,
            freshness: self.badge(d),
        }
    }

    /// Listed (not withdrawn) datasets matching `keep`, in Vietnamese order of their title, as
    /// the templates see them (see `Derived::listing_items`).
    pub fn listed(&self, keep: impl Fn(&Dataset) -> bool) -> Vec<tera::Value> {
        let listed = || self.portal.datasets.iter().enumerate().filter(|(_, d)| crate::accountability::is_listed(d));
        let memo = &self.portal.derived.listing_items[self.lang as usize];
        if memo.get().is_none() {
            // A short list (a publisher's datasets) is built alone until some long listing has
            // built them all: `odp serve` rebuilds the edited dataset's publisher page before
            // the portal-wide pages and must not wait for 10,000 items (issue 7).
            let chosen: Vec<(usize, &Dataset)> = listed().filter(|(_, d)| keep(d)).collect();
            if chosen.len() * SHORT_LISTING < self.portal.datasets.len() {
                return self.sorted_items(chosen).into_iter().map(|(_, v)| v).collect();
            }
        }
        let all = memo.get_or_init(|| self.sorted_items(listed().collect()));
        all.iter().filter(|(i, _)| keep(&self.portal.datasets[*i])).map(|(_, v)| v.clone()).collect()
    }

    /// The listing items of `datasets` (with their index in `Portal::datasets`) as Tera values,
    /// in Vietnamese order of their title. The sort is stable: datasets with the same title keep
    /// their order, so a filtered list is in the order sorting it alone would give.
    fn sorted_items(&self, datasets: Vec<(usize, &Dataset)>) -> Vec<(usize, tera::Value)> {
        let mut items: Vec<(usize, DatasetItem)> =
            datasets.into_iter().map(|(i, d)| (i, self.dataset_item(d))).collect();
        sort_by_vi(&mut items, |(_, item)| &item.title);
        items.into_iter().map(|(i, item)| (i, tera::Value::from_serializable(&item))).collect()
    }
}

/// A keyword as shown, and the datasets (all of them, withdrawn included) that use it.
pub struct KeywordGroup<'a> {
    pub label: String,
    pub datasets: Vec<&'a Dataset>,
}

/// Keywords grouped by slug ("Dân số" and "dân số" share `dan-so`); the label is the spelling
/// most datasets use. Keywords whose slug is empty are left out.
pub fn keyword_groups(portal: &Portal) -> BTreeMap<String, KeywordGroup<'_>> {
    keyword_index(portal)
        .iter()
        .map(|(slug, (label, idx))| {
            let datasets = idx.iter().map(|&i| &portal.datasets[i]).collect();
            (slug.clone(), KeywordGroup { label: label.clone(), datasets })
        })
        .collect()
}

/// Keyword slug → (label, indexes of the datasets that use it), computed once per portal.
pub fn keyword_index(portal: &Portal) -> &BTreeMap<String, (String, Vec<usize>)> {
    portal.derived.keyword_groups.get_or_init(|| group_keywords(&portal.datasets))
}

fn group_keywords(datasets: &[Dataset]) -> BTreeMap<String, (String, Vec<usize>)> {
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut sets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Each spelling slugified once: portals reuse a few hundred keywords across thousands of
    // datasets, and folding is most of the cost (issue 7: every serve rebuild groups them).
    let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (i, d) in datasets.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for kw in &d.keywords {
            let slug = slugs.entry(kw.as_str()).or_insert_with(|| slugify(kw)).clone();
            if slug.is_empty() {
                continue;
            }
            *spellings.entry(slug.clone()).or_default().entry(kw.as_str()).or_default() += 1;
            if seen.insert(slug.clone()) {
                sets.entry(slug).or_default().push(i);
            }
        }
    }
    sets.into_iter()
        .map(|(slug, datasets)| {
            let label = spellings[&slug]
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(k, _)| k.to_string())
                .unwrap_or_default();
            (slug, (label, datasets))
        })
        .collect()
}

/// The whole template context of one page.
pub(crate) fn context(r: &Renderer, portal: &Portal, site: &Site, page: &SitePage) -> Result<tera::Context> {
    let lang = page.lang;
    let cx = Cx { portal, site, lang, loc: r.i18n().loc(lang) };
    let loc = cx.loc;
    // `view` is converted to Tera's value tree once: the dataset page's view (10,000 pages at
    // 5,000 datasets) went struct → serde_json → Tera before.
    let (title, description, view, crumbs): (String, String, tera::Value, Vec<Link>) = match &page.kind {
        PageKind::Dataset(id) => {
            let d = portal.dataset(id).ok_or_else(|| anyhow!("no dataset `{id}`"))?;
            let v = dataset_view::dataset(&cx, d);
            let crumbs = vec![Link { title: loc.s("datasets_title").into(), href: cx.page_link(&urls::datasets()) }];
            (
                d.title.get(lang).to_string(),
                markdown::excerpt(d.description.get(lang), 300),
                tera::Value::from_serializable(&v),
                crumbs,
            )
        }
        kind => {
            let (title, description, view, crumbs, items) = json_view(&cx, kind)?;
            let mut view = tera::Value::from_serializable(&view);
            if let Some(items) = items {
                let mut map = view.into_map().ok_or_else(|| anyhow!("a listing's view is not a map"))?;
                map.insert("items".into(), tera::Value::from(items));
                view = tera::Value::from(map);
            }
            (title, description, view, crumbs)
        }
    };

    let portal_title = portal.config.title.get(lang).to_string();
    let head_title =
        if page.kind == PageKind::Home { portal_title.clone() } else { format!("{title} – {portal_title}") };
    let mut breadcrumbs = vec![];
    if page.kind != PageKind::Home {
        breadcrumbs.push(Link { title: loc.s("home_title").into(), href: cx.page_link("") });
        breadcrumbs.extend(crumbs);
    }
    let not_found = page.kind == PageKind::NotFound;
    let alternates = if not_found {
        vec![]
    } else {
        portal
            .config
            .languages
            .iter()
            .map(|&l| SitePage::new(l, page.kind.clone()))
            .filter(|p| page_exists(portal, p))
            .map(|p| Alternate { hreflang: p.lang.code(), href: site.absolute(&p.rel_path()) })
            .collect()
    };
    let page_v = PageV {
        title,
        head_title,
        description: if description.is_empty() {
            markdown::excerpt(portal.config.description.get(lang), 300)
        } else {
            description
        },
        kind: kind_class(&page.kind),
        canonical: (!not_found).then(|| site.absolute(&page.rel_path())),
        alternates,
        breadcrumbs,
        header_search: !matches!(page.kind, PageKind::Home | PageKind::Search),
        noindex: not_found,
    };

    let frame = portal.derived.page_frame[lang as usize].get_or_init(|| PageFrame {
        site: tera::Value::from_serializable(&site_value(r, &cx)),
        dataset_nav: tera::Value::from_serializable(&nav(&cx, &PageKind::Dataset(String::new()))),
    });
    let nav = match &page.kind {
        PageKind::Dataset(_) | PageKind::DatasetHistory(_) => frame.dataset_nav.clone(),
        kind => tera::Value::from_serializable(&nav(&cx, kind)),
    };

    let alt_langs: Vec<AltLang> = portal
        .config
        .languages
        .iter()
        .filter(|&&l| l != lang)
        .map(|&l| {
            let same = SitePage::new(l, page.kind.clone());
            let target = if page_exists(portal, &same) { same } else { SitePage::new(l, PageKind::Home) };
            AltLang {
                code: l.code(),
                name: r.i18n().loc(l).s("lang_name").to_string(),
                href: site.link(&target.rel_path()),
            }
        })
        .collect();

    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert_value("t", r.i18n_value(lang));
    ctx.insert_value("site", frame.site.clone());
    ctx.insert_value("nav", nav);
    ctx.insert("alt_langs", &alt_langs);
    ctx.insert("page", &page_v);
    ctx.insert_value("view", view);
    // Issue 6: notices shown site-wide while active.
    let dataset_page = match &page.kind {
        PageKind::Dataset(id) => Some(id.as_str()),
        _ => None,
    };
    ctx.insert("notices", &super::accountability_view::active_notices(&cx, dataset_page));
    Ok(ctx)
}

/// The template's `site`, the same on every page of a language (see `Derived::page_frame`).
fn site_value(r: &Renderer, cx: &Cx<'_>) -> SiteV {
    let (portal, site, lang) = (cx.portal, cx.site, cx.lang);
    let version = if r.css_version().is_empty() { String::new() } else { format!("?v={}", r.css_version()) };
    SiteV {
        title: portal.config.title.get(lang).to_string(),
        description: portal.config.description.get(lang).to_string(),
        home: cx.page_link(""),
        css: format!("{}{version}", site.link("assets/style.css")),
        favicon: site.link("assets/favicon.svg"),
        search_action: cx.page_link(&urls::search()),
        datasets_href: cx.page_link(&urls::datasets()),
        publishers_href: cx.page_link(&urls::publishers()),
        themes_href: cx.page_link(&urls::themes()),
        keywords_href: cx.page_link(&urls::keywords()),
        terms_href: cx.terms_href(),
        footer_html: portal.config.footer.as_ref().map(|f| markdown::to_inline_html(f.get(lang), &site.prefix)),
        machine_links: r
            .machine_links()
            .iter()
            .map(|m| Link { title: m.label.clone(), href: site.link(&m.path) })
            .collect(),
        feeds: r
            .machine_links()
            .iter()
            .filter_map(|m| {
                let media_type = m.media_type.clone()?;
                Some(FeedLink { title: m.label.clone(), href: site.link(&m.path), media_type })
            })
            .collect(),
    }
}

/// The datasets of a listing page, as `Cx::listed` gives them.
type Items = Vec<tera::Value>;

/// A page's title, description, view, breadcrumbs and, for a listing, its items.
type JsonView = (String, String, serde_json::Value, Vec<Link>, Option<Items>);

/// Title, description, view and breadcrumbs of every page but the dataset page.
/// A listing page's `items` are returned apart, already Tera values (`Cx::listed`).
fn json_view(cx: &Cx<'_>, kind: &PageKind) -> Result<JsonView> {
    let (portal, site, lang, loc) = (cx.portal, cx.site, cx.lang, cx.loc);
    Ok(match kind {
        PageKind::Home => (
            portal.config.title.get(lang).to_string(),
            markdown::excerpt(portal.config.description.get(lang), 300),
            home(cx),
            vec![],
            None,
        ),
        PageKind::Datasets => {
            let items = cx.listed(|_| true);
            let filters = super::accountability_view::status_filters(cx, None);
            let v = serde_json::json!({ "count_text": loc.n_datasets(items.len()), "filters": filters });
            (loc.s("datasets_title").into(), String::new(), v, vec![], Some(items))
        }
        PageKind::DatasetsByStatus(s) => {
            let status = crate::freshness::Status::from_id(s).ok_or_else(|| anyhow!("no status `{s}`"))?;
            let items = cx.listed(|d| portal.timeline.of(&d.id).is_some_and(|f| f.status == status));
            let filters = super::accountability_view::status_filters(cx, Some(status));
            let v = serde_json::json!({ "count_text": loc.n_datasets(items.len()), "filters": filters });
            let title =
                loc.fill("status_page_title", &[("status", loc.s(super::accountability_view::status_key(status)))]);
            let crumbs = vec![Link { title: loc.s("datasets_title").into(), href: cx.page_link(&urls::datasets()) }];
            (title, String::new(), v, crumbs, Some(items))
        }
        PageKind::DatasetHistory(id) => {
            let d = portal.dataset(id).ok_or_else(|| anyhow!("no dataset `{id}`"))?;
            let v = serde_json::json!({
                "dataset": Link { title: d.title.get(lang).to_string(), href: cx.page_link(&urls::dataset(id)) },
                "freshness": super::accountability_view::freshness(cx, d),
                "history": super::accountability_view::history(cx, d, None),
            });
            let crumbs = vec![
                Link { title: loc.s("datasets_title").into(), href: cx.page_link(&urls::datasets()) },
                Link { title: d.title.get(lang).to_string(), href: cx.page_link(&urls::dataset(id)) },
            ];
            (loc.fill("history_page_title", &[("title", d.title.get(lang))]), String::new(), v, crumbs, None)
        }
        PageKind::Stats => (
            loc.s("stats_title").into(),
            loc.s("stats_intro").into(),
            super::accountability_view::stats(cx),
            vec![],
            None,
        ),
        PageKind::Publishers => {
            let mut items: Vec<CountedLink> = portal.publishers.values().map(|p| publisher_item(cx, p)).collect();
            sort_by_vi(&mut items, |i| &i.title);
            (loc.s("publishers_title").into(), String::new(), serde_json::json!({ "items": items }), vec![], None)
        }
        PageKind::Publisher(id) => {
            let p = portal.publishers.get(id).ok_or_else(|| anyhow!("no publisher `{id}`"))?;
            let items = cx.listed(|d| d.publisher.value == *id);
            let ids = reserved_ids();
            let v = serde_json::json!({
                "name": p.name.get(lang),
                "website": p.website,
                "description_html": cx.md_with_ids(&p.description, &ids),
                "description_lang": cx.vi_only(),
                "contact": cx.contact(&p.contact),
                "count_text": loc.n_datasets(items.len()),
                "summary": super::accountability_view::publisher_summary(cx, id),
                "stats_href": cx.page_link(&super::accountability_view::stats_rel()),
            });
            let crumbs =
                vec![Link { title: loc.s("publishers_title").into(), href: cx.page_link(&urls::publishers()) }];
            (p.name.get(lang).to_string(), markdown::excerpt(&p.description, 300), v, crumbs, Some(items))
        }
        PageKind::Themes => {
            (loc.s("themes_title").into(), String::new(), serde_json::json!({ "items": theme_items(cx) }), vec![], None)
        }
        PageKind::Theme(id) => {
            let t = portal.config.theme(id).ok_or_else(|| anyhow!("no theme `{id}`"))?;
            let items = cx.listed(|d| d.themes.iter().any(|x| x.value == *id));
            let desc = t.description.as_ref().map(|d| d.get(lang).to_string()).unwrap_or_default();
            let v = serde_json::json!({ "description": desc, "count_text": loc.n_datasets(items.len()) });
            let crumbs = vec![Link { title: loc.s("themes_title").into(), href: cx.page_link(&urls::themes()) }];
            (t.title.get(lang).to_string(), desc, v, crumbs, Some(items))
        }
        PageKind::Keywords => {
            let mut items: Vec<CountedLink> = keyword_groups(portal)
                .into_iter()
                .map(|(slug, g)| {
                    let n = g.datasets.iter().filter(|d| crate::accountability::is_listed(d)).count();
                    CountedLink {
                        title: g.label,
                        href: cx.page_link(&format!("keywords/{slug}/")),
                        count: n,
                        count_text: loc.n_datasets(n),
                        description: String::new(),
                        description_lang: None,
                    }
                })
                .filter(|k| k.count > 0)
                .collect();
            sort_by_vi(&mut items, |i| &i.title);
            (loc.s("keywords_title").into(), String::new(), serde_json::json!({ "items": items }), vec![], None)
        }
        PageKind::Keyword(slug) => {
            let groups = keyword_groups(portal);
            let g = groups.get(slug).ok_or_else(|| anyhow!("no keyword `{slug}`"))?;
            let ids: BTreeSet<&str> = g.datasets.iter().map(|d| d.id.as_str()).collect();
            let items = cx.listed(|d| ids.contains(d.id.as_str()));
            let v = serde_json::json!({ "count_text": loc.n_datasets(items.len()) });
            let crumbs = vec![Link { title: loc.s("keywords_title").into(), href: cx.page_link(&urls::keywords()) }];
            (g.label.clone(), String::new(), v, crumbs, Some(items))
        }
        PageKind::Content(slug) => {
            let p = portal
                .pages
                .iter()
                .find(|p| p.lang == lang && &p.slug == slug)
                .ok_or_else(|| anyhow!("no page `{slug}` in {}", lang.code()))?;
            let ids = reserved_ids();
            let v = serde_json::json!({ "body_html": cx.md_with_ids(&p.body, &ids) });
            (p.title.clone(), p.description.clone().unwrap_or_default(), v, vec![], None)
        }
        PageKind::Search => {
            let items = cx.listed(|_| true);
            let v = serde_json::json!({
                "count_text": loc.n_datasets(items.len()),
                "search_config": search_config(cx),
                "search_js": site.link("assets/search.js"),
            });
            (loc.s("search_title").into(), String::new(), v, vec![], Some(items))
        }
        PageKind::NotFound => (loc.s("not_found_title").into(), String::new(), serde_json::json!({}), vec![], None),
        PageKind::Dataset(id) => bail!("the view of dataset page `{id}` is built by `context`"),
    })
}

/// Ids the templates use themselves; Markdown headings never take them.
fn reserved_ids() -> HashSetCell {
    let ids = ["main", "top", "site-search-q", "search-q", "home-search-q", "content", "results"];
    HashSetCell::new(ids.iter().map(|s| s.to_string()).collect())
}

fn kind_class(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::Home => "page-home",
        PageKind::Datasets => "page-datasets",
        PageKind::Dataset(_) => "page-dataset",
        PageKind::Publishers => "page-publishers",
        PageKind::Publisher(_) => "page-publisher",
        PageKind::Themes => "page-themes",
        PageKind::Theme(_) => "page-theme",
        PageKind::Keywords => "page-keywords",
        PageKind::Keyword(_) => "page-keyword",
        PageKind::Content(_) => "page-content",
        PageKind::Search => "page-search",
        PageKind::NotFound => "page-not-found",
        PageKind::DatasetHistory(_) => "page-history",
        PageKind::DatasetsByStatus(_) => "page-datasets",
        PageKind::Stats => "page-stats",
    }
}

/// The top menu: the catalogue's sections, then content pages that set `menu`, by that number.
fn nav(cx: &Cx<'_>, kind: &PageKind) -> Vec<NavItem> {
    let section = |list: PageKind, title: &str| {
        let active = matches!(
            (&list, kind),
            (
                PageKind::Datasets,
                PageKind::Dataset(_) | PageKind::Datasets | PageKind::DatasetHistory(_) | PageKind::DatasetsByStatus(_)
            ) | (PageKind::Publishers, PageKind::Publisher(_) | PageKind::Publishers)
                | (PageKind::Themes, PageKind::Theme(_) | PageKind::Themes)
        );
        let rel = SitePage::new(Lang::Vi, list.clone()).rel_path();
        NavItem { title: cx.loc.s(title).to_string(), href: cx.page_link(&rel), current: &list == kind, active }
    };
    let mut items = vec![
        section(PageKind::Datasets, "datasets_title"),
        section(PageKind::Publishers, "publishers_title"),
        section(PageKind::Themes, "themes_title"),
        section(PageKind::Stats, "stats_nav"),
    ];
    let mut pages: Vec<_> = cx.portal.pages.iter().filter(|p| p.lang == cx.lang && p.menu.is_some()).collect();
    pages.sort_by(|a, b| a.menu.cmp(&b.menu).then_with(|| a.title.cmp(&b.title)));
    for p in pages {
        let current = matches!(kind, PageKind::Content(s) if *s == p.slug);
        items.push(NavItem {
            title: p.title.clone(),
            href: cx.page_link(&urls::page(&p.slug)),
            current,
            active: current,
        });
    }
    items
}

fn publisher_item(cx: &Cx<'_>, p: &Publisher) -> CountedLink {
    let n =
        cx.portal.datasets.iter().filter(|d| crate::accountability::is_listed(d) && d.publisher.value == p.id).count();
    CountedLink {
        title: p.name.get(cx.lang).to_string(),
        href: cx.page_link(&urls::publisher(&p.id)),
        count: n,
        count_text: cx.loc.n_datasets(n),
        description: markdown::excerpt(&p.description, 160),
        description_lang: cx.vi_only(),
    }
}

/// Themes in portal.toml order, with their counts of listed datasets.
fn theme_items(cx: &Cx<'_>) -> Vec<CountedLink> {
    cx.portal
        .config
        .themes
        .iter()
        .map(|t| {
            let n = cx
                .portal
                .datasets
                .iter()
                .filter(|d| crate::accountability::is_listed(d) && d.themes.iter().any(|x| x.value == t.id))
                .count();
            CountedLink {
                title: t.title.get(cx.lang).to_string(),
                href: cx.page_link(&urls::theme(&t.id)),
                count: n,
                count_text: cx.loc.n_datasets(n),
                description: t.description.as_ref().map(|d| d.get(cx.lang).to_string()).unwrap_or_default(),
                description_lang: t.description.as_ref().and_then(|d| cx.fallback_lang(d)),
            }
        })
        .collect()
}

/// How many datasets the home page lists as newest and as recently updated.
const HOME_LIST: usize = 5;

fn home(cx: &Cx<'_>) -> serde_json::Value {
    let listed: Vec<&Dataset> = cx.portal.datasets.iter().filter(|d| crate::accountability::is_listed(d)).collect();
    let recent = |date: fn(&Dataset) -> &Option<String>| -> Vec<DatasetItem> {
        let mut v: Vec<&&Dataset> = listed.iter().filter(|d| date(d).is_some()).collect();
        v.sort_by(|a, b| date(b).cmp(date(a)).then_with(|| a.id.cmp(&b.id)));
        v.into_iter().take(HOME_LIST).map(|d| cx.dataset_item(d)).collect()
    };
    let mut publishers: Vec<CountedLink> =
        cx.portal.publishers.values().map(|p| publisher_item(cx, p)).filter(|p| p.count > 0).collect();
    sort_by_vi(&mut publishers, |p| &p.title);
    serde_json::json!({
        "description_html": cx.md(cx.portal.config.description.get(cx.lang)),
        "count_text": cx.loc.n_datasets(listed.len()),
        "themes": theme_items(cx).into_iter().filter(|t| t.count > 0).collect::<Vec<_>>(),
        "newest": recent(|d| &d.issued),
        "updated": recent(|d| &d.modified),
        "publishers": publishers,
    })
}

/// What search.js needs on the search page (issue 4): where the index is, this language's
/// links and strings. JSON inside `<script>`, so `<` is escaped.
fn search_config(cx: &Cx<'_>) -> String {
    let keys = [
        "facet_publisher",
        "facet_theme",
        "facet_format",
        "facet_keyword",
        "facet_licence",
        "list_publisher",
        "list_themes",
        "list_formats",
        "list_updated",
        "search_count",
        "search_count_one",
        "search_none",
        "search_failed",
    ];
    let t: serde_json::Map<String, serde_json::Value> =
        keys.iter().map(|k| (k.to_string(), serde_json::Value::from(cx.loc.s(k)))).collect();
    let cfg = serde_json::json!({
        "index": cx.site.link("search/"),
        "lang": cx.lang.code(),
        "datasets": cx.page_link(&urls::datasets()),
        "t": t,
    });
    cfg.to_string().replace('<', "\\u003c")
}
