//! The site's HTML: which pages exist ([`site_pages`]), where each is written
//! ([`SitePage::output_path`]) and how it is rendered from the theme's Tera templates
//! ([`Renderer`]), minified, with the theme's static assets beside it.

mod accountability_view;
mod charts;
mod collate;
mod dataset_view;
pub mod i18n;
pub mod markdown;
mod views;
pub use views::keyword_index;

#[cfg(test)]
mod tests;

use crate::model::{Lang, Portal};
use crate::urls::{self, Site};
use anyhow::{Context as _, Result, anyhow, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub use collate::{sort_by_vi, sort_key};
pub use i18n::I18n;

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    Home,
    Datasets,
    Dataset(String),
    Publishers,
    Publisher(String),
    Themes,
    Theme(String),
    Keywords,
    /// The keyword's slug (`text::slugify` of the keyword).
    Keyword(String),
    /// A content page's slug: `about`, `guide/agencies`, `terms`.
    Content(String),
    Search,
    NotFound,
    /// `datasets/<id>/history/` (issue 6).
    DatasetHistory(String),
    /// `freshness/<status>/`: listed datasets with one freshness status (issue 6).
    DatasetsByStatus(String),
    /// `stats/`: figures per agency (issue 6).
    Stats,
}

/// One HTML page of the site: a kind of page in a language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SitePage {
    pub lang: Lang,
    pub kind: PageKind,
}

impl SitePage {
    pub fn new(lang: Lang, kind: PageKind) -> SitePage {
        SitePage { lang, kind }
    }

    /// The page's path relative to the site root, as linked: `en/datasets/x/`, `404.html`.
    pub fn rel_path(&self) -> String {
        let rel = match &self.kind {
            PageKind::Home => urls::home(),
            PageKind::Datasets => urls::datasets(),
            PageKind::Dataset(id) => urls::dataset(id),
            PageKind::Publishers => urls::publishers(),
            PageKind::Publisher(id) => urls::publisher(id),
            PageKind::Themes => urls::themes(),
            PageKind::Theme(id) => urls::theme(id),
            PageKind::Keywords => urls::keywords(),
            PageKind::Keyword(slug) => format!("keywords/{slug}/"),
            PageKind::Content(slug) => urls::page(slug),
            PageKind::Search => urls::search(),
            PageKind::NotFound => "404.html".to_string(),
            PageKind::DatasetHistory(id) => accountability_view::history_rel(id),
            PageKind::DatasetsByStatus(s) => format!("freshness/{s}/"),
            PageKind::Stats => accountability_view::stats_rel(),
        };
        urls::in_lang(self.lang, &rel)
    }

    /// The output file relative to the site root: `en/datasets/x/index.html`, `404.html`,
    /// `en/404.html`.
    pub fn output_path(&self) -> String {
        urls::page_file(&self.rel_path())
    }

    /// The template that renders this kind of page.
    pub fn template(&self) -> &'static str {
        match self.kind {
            PageKind::Home => "home.html",
            PageKind::Datasets => "datasets.html",
            PageKind::Dataset(_) => "dataset.html",
            PageKind::Publishers => "publishers.html",
            PageKind::Publisher(_) => "publisher.html",
            PageKind::Themes => "themes.html",
            PageKind::Theme(_) => "theme.html",
            PageKind::Keywords => "keywords.html",
            PageKind::Keyword(_) => "keyword.html",
            PageKind::Content(_) => "content.html",
            PageKind::Search => "search.html",
            PageKind::NotFound => "404.html",
            PageKind::DatasetHistory(_) => "history.html",
            PageKind::DatasetsByStatus(_) => "datasets.html",
            PageKind::Stats => "stats.html",
        }
    }
}

/// Every page of the portal in every configured language, sorted. Withdrawn datasets keep
/// their page (it says why); keyword pages exist for every keyword any dataset uses.
pub fn site_pages(portal: &Portal) -> Vec<SitePage> {
    let keywords = views::keyword_groups(portal);
    let mut pages = Vec::new();
    for &lang in &portal.config.languages {
        let mut add = |kind| pages.push(SitePage::new(lang, kind));
        for kind in [
            PageKind::Home,
            PageKind::Datasets,
            PageKind::Publishers,
            PageKind::Themes,
            PageKind::Keywords,
            PageKind::Search,
            PageKind::NotFound,
        ] {
            add(kind);
        }
        portal.datasets.iter().for_each(|d| add(PageKind::Dataset(d.id.clone())));
        // Issue 6: history pages (for histories longer than the dataset page shows), per-status
        // listings, statistics.
        let history = &portal.timeline.history;
        portal
            .datasets
            .iter()
            .filter(|d| history.has_own_page(&d.id))
            .for_each(|d| add(PageKind::DatasetHistory(d.id.clone())));
        crate::freshness::Status::ALL.iter().for_each(|s| add(PageKind::DatasetsByStatus(s.id().to_string())));
        add(PageKind::Stats);
        portal.publishers.keys().for_each(|id| add(PageKind::Publisher(id.clone())));
        portal.config.themes.iter().for_each(|t| add(PageKind::Theme(t.id.clone())));
        keywords.keys().for_each(|slug| add(PageKind::Keyword(slug.clone())));
        portal.pages.iter().filter(|p| p.lang == lang).for_each(|p| add(PageKind::Content(p.slug.clone())));
    }
    pages.sort();
    pages.dedup();
    pages
}

/// True when `page` is one of the portal's pages (an existing dataset, keyword, content page…).
pub fn page_exists(portal: &Portal, page: &SitePage) -> bool {
    if !portal.config.languages.contains(&page.lang) {
        return false;
    }
    match &page.kind {
        PageKind::Dataset(id) => portal.dataset(id).is_some(),
        PageKind::DatasetHistory(id) => portal.dataset(id).is_some() && portal.timeline.history.has_own_page(id),
        PageKind::DatasetsByStatus(s) => crate::freshness::Status::from_id(s).is_some(),
        PageKind::Publisher(id) => portal.publishers.contains_key(id),
        PageKind::Theme(id) => portal.config.theme(id).is_some(),
        PageKind::Keyword(slug) => views::keyword_groups(portal).contains_key(slug),
        PageKind::Content(slug) => portal.pages.iter().any(|p| p.lang == page.lang && &p.slug == slug),
        _ => true,
    }
}

/// A link in the footer's "machine-readable" list (catalogues, feeds, API), added by the
/// pipeline once those files are generated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MachineLink {
    /// Shown as is (e.g. `DCAT-AP (JSON-LD)`, `data.json`).
    pub label: String,
    /// Site-relative path: `data.json`, `catalog.jsonld`.
    pub path: String,
    /// Optional media type, for the link's `type` attribute.
    pub media_type: Option<String>,
}

/// The theme's templates, translation table and static assets, ready to render pages.
pub struct Renderer {
    tera: tera::Tera,
    /// False when the templates were minified at load (the usual case).
    minify_pages: bool,
    theme_dir: PathBuf,
    i18n: I18n,
    /// The i18n table of each language as a template value, converted once (Tera values share
    /// their maps, so every page's context gets it for the cost of a pointer copy).
    i18n_values: [tera::Value; 2],
    /// Short content hash of the stylesheet, appended as `?v=` to bust caches.
    css_version: String,
    machine_links: Vec<MachineLink>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").field("theme_dir", &self.theme_dir).finish_non_exhaustive()
    }
}

/// A page's starting buffer: most pages of the default theme are 5–20 KB.
const PAGE_CAPACITY: usize = 32 << 10;

/// Tera's HTML escaping, byte for byte (`&<>"'` → `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`), but
/// writing each run of plain text at once: Tera's own writes every byte separately through a
/// `dyn Write`, which was 4% of a 5,000-dataset build (issue 7).
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

impl Renderer {
    /// Loads every template of `theme_dir/templates` and the i18n table. Errors name the file.
    pub fn load(theme_dir: &Path) -> Result<Renderer> {
        let tpl_dir = theme_dir.join("templates");
        if !tpl_dir.is_dir() {
            bail!("{}: theme has no templates folder", tpl_dir.display());
        }
        let mut sources = Vec::new();
        for entry in walkdir::WalkDir::new(&tpl_dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("{}: cannot list templates", tpl_dir.display()))?;
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel =
                entry.path().strip_prefix(&tpl_dir).expect("walkdir stays inside").to_string_lossy().replace('\\', "/");
            let src = std::fs::read_to_string(entry.path())
                .with_context(|| format!("{}: cannot read template", entry.path().display()))?;
            sources.push((rel, src));
        }
        let i18n = I18n::load(&theme_dir.join("i18n.toml"))?;
        let new_tera = || {
            let mut tera = tera::Tera::new();
            tera.autoescape_on([".html", ".htm", ".xml"]);
            tera.set_escape_fn(escape_html);
            register_filters(&mut tera, &i18n);
            tera
        };
        // Parsed as written first, so a theme author's syntax errors point at their lines.
        new_tera()
            .add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| anyhow!("{}: {}", tpl_dir.display(), tera_error(&e)))?;
        // Then minified once, here, instead of minifying every rendered page: minify-html on
        // 10,000 pages was a fifth of a 5,000-dataset build (issue 7's benchmark). Values
        // inserted by the templates are escaped text and compact fragments, so the pages come
        // out as small as before.
        // A theme whose templates the minifier cannot keep intact (a `{% if %}` between two
        // attributes, a templated tag name) is rendered as written and each page minified.
        let minify_pages = sources.iter().any(|(n, s)| n.ends_with(".html") && !minifiable_template(s));
        let mut tera = new_tera();
        if minify_pages {
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        } else {
            let minified: Vec<(String, String)> =
                sources.iter().map(|(n, s)| (n.clone(), minify_template(n, s))).collect();
            tera.add_raw_templates(minified.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        }
        .map_err(|e| anyhow!("{}: {}", tpl_dir.display(), tera_error(&e)))?;
        for page in [
            "home.html",
            "datasets.html",
            "dataset.html",
            "publishers.html",
            "publisher.html",
            "themes.html",
            "theme.html",
            "keywords.html",
            "keyword.html",
            "content.html",
            "search.html",
            "404.html",
            "history.html",
            "stats.html",
        ] {
            if !tera.contains_template(page) {
                bail!("{}: missing template", tpl_dir.join(page).display());
            }
        }
        let css = theme_dir.join("static/assets/style.css");
        let css_version = match std::fs::read(&css) {
            Ok(bytes) => Sha256::digest(&bytes).iter().take(5).map(|b| format!("{b:02x}")).collect(),
            Err(_) => String::new(),
        };
        let i18n_values = [Lang::Vi, Lang::En].map(|l| tera::Value::from_serializable(i18n.table(l)));
        Ok(Renderer {
            tera,
            i18n_values,
            minify_pages,
            theme_dir: theme_dir.to_path_buf(),
            i18n,
            css_version,
            machine_links: Vec::new(),
        })
    }

    /// Sets the machine-readable links listed in every page's footer (only files that exist).
    pub fn set_machine_links(&mut self, links: Vec<MachineLink>) {
        self.machine_links = links;
    }

    pub fn i18n(&self) -> &I18n {
        &self.i18n
    }

    pub(crate) fn i18n_value(&self, lang: Lang) -> tera::Value {
        self.i18n_values[match lang {
            Lang::Vi => 0,
            Lang::En => 1,
        }]
        .clone()
    }

    pub fn theme_dir(&self) -> &Path {
        &self.theme_dir
    }

    /// Renders one page to HTML bytes (from the minified templates).
    pub fn render(&self, portal: &Portal, site: &Site, page: &SitePage) -> Result<Vec<u8>> {
        if !page_exists(portal, page) {
            bail!("no such page: {} ({:?})", page.output_path(), page.kind);
        }
        let ctx = views::context(self, portal, site, page)?;
        // Rendered as bytes: Tera's `render` checks the whole page is UTF-8 to return a String,
        // 2% of a 5,000-dataset build for pages that go straight to a file (issue 7).
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera.render_to(page.template(), &ctx, &mut html).map_err(|e| {
            anyhow!(
                "{}: rendering {}: {}",
                self.theme_dir.join("templates").join(page.template()).display(),
                page.output_path(),
                tera_error(&e)
            )
        })?;
        Ok(if self.minify_pages { minify(&html) } else { html })
    }

    /// Static assets: (site-relative output path, source path), sorted.
    pub fn static_files(&self) -> Result<Vec<(String, PathBuf)>> {
        let dir = self.theme_dir.join("static");
        let mut out = Vec::new();
        if !dir.is_dir() {
            return Ok(out);
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("{}: cannot list static files", dir.display()))?;
            if entry.file_type().is_file() {
                let rel =
                    entry.path().strip_prefix(&dir).expect("walkdir stays inside").to_string_lossy().replace('\\', "/");
                out.push((rel, entry.path().to_path_buf()));
            }
        }
        out.sort();
        Ok(out)
    }

    pub(crate) fn css_version(&self) -> &str {
        &self.css_version
    }

    pub(crate) fn machine_links(&self) -> &[MachineLink] {
        &self.machine_links
    }
}

/// Minifies HTML the spec-compliant way (no unquoted-attribute or entity tricks).
pub fn minify(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &minify_cfg(false))
}

fn minify_cfg(template: bool) -> minify_html::Cfg {
    minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        preserve_brace_template_syntax: template,
        ..Default::default()
    }
}

/// True when minify-html's template mode keeps `src` intact: no template tag inside a start
/// tag except a whitespace-free `{{expr|filter}}` standing alone as an attribute (minify-html
/// sorts attributes, which would scatter `{% if %} a="b"{% endif %}`), and no templated tag
/// name. Conservative: anything unusual answers false and the theme is minified page by page.
pub fn minifiable_template(src: &str) -> bool {
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/') {
            i += 1;
            continue;
        }
        // Tag name.
        let mut j = i + 1;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && !(b[j] == b'/' && j > i + 1) {
            if b[j] == b'{' {
                return false;
            }
            j += 1;
        }
        // Attributes, up to the `>` outside quotes.
        let mut quote = None;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None if b[j..].starts_with(b"{%") || b[j..].starts_with(b"{#") => return false,
                None if b[j..].starts_with(b"{{") => {
                    let Some(end) = src[j..].find("}}") else { return false };
                    if src[j..j + end].contains(char::is_whitespace) {
                        return false;
                    }
                    j += end + 1;
                }
                None => {}
            }
            j += 1;
        }
        i = j;
    }
    true
}

/// A Tera template minified with its `{{ }}`, `{% %}` and `{# #}` kept intact. Only `.html`
/// templates are minified (`.xml`, `.txt` keep their whitespace).
fn minify_template(name: &str, src: &str) -> String {
    if !name.ends_with(".html") {
        return src.to_string();
    }
    let min =
        String::from_utf8(minify_html::minify(src.as_bytes(), &minify_cfg(true))).unwrap_or_else(|_| src.to_string());
    // `<h1 {{x|lang_attr}}>` → `<h1{{x|lang_attr}}>`: the filter writes the space when it writes
    // an attribute, so an absent attribute leaves `<h1>`, not `<h1 >`.
    let mut out = String::with_capacity(min.len());
    let mut rest = min.as_str();
    while let Some(at) = rest.find(" {{") {
        let expr_end = rest[at..].find("}}").map(|e| at + e + 2);
        let is_attr_filter = expr_end.is_some_and(|e| {
            let expr = &rest[at + 1..e];
            !expr.contains(char::is_whitespace) && ATTR_FILTERS.iter().any(|f| expr.ends_with(&format!("|{f}}}}}")))
        });
        out.push_str(&rest[..at]);
        if !is_attr_filter {
            out.push(' ');
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// Filters that write a whole attribute, leading space included.
const ATTR_FILTERS: [&str; 2] = ["lang_attr", "nav_attrs"];

/// A Tera error with its causes, on one line each.
fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str("\n  ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// Filters for theme authors: `num`, `filesize`, `date` (each takes `lang="vi"|"en"`, default vi).
fn register_filters(tera: &mut tera::Tera, i18n: &I18n) {
    fn lang_of(kwargs: &tera::Kwargs) -> Lang {
        match kwargs.get::<&str>("lang") {
            Ok(Some("en")) => Lang::En,
            _ => Lang::Vi,
        }
    }
    let table = i18n.clone();
    let t1 = table.clone();
    tera.register_filter("num", move |v: tera::Value, kw: tera::Kwargs, _: &tera::State| {
        let loc = t1.loc(lang_of(&kw));
        match (v.as_u64(), v.as_f64()) {
            (Some(n), _) => loc.int(n),
            (None, Some(x)) => loc.decimal(x, kw.get::<usize>("decimals").ok().flatten().unwrap_or(2)),
            _ => v.as_str().unwrap_or_default().to_string(),
        }
    });
    let t2 = table.clone();
    tera.register_filter("filesize", move |v: u64, kw: tera::Kwargs, _: &tera::State| t2.loc(lang_of(&kw)).bytes(v));
    tera.register_filter("date", move |v: &str, kw: tera::Kwargs, _: &tera::State| table.loc(lang_of(&kw)).date(v));
    // `<p {{x|lang_attr}}>`: the attribute only when the text is in another language than the
    // page (Vietnamese shown on an English page). Written as one filter so that the template
    // can be minified once (see `minifiable_template`). Attribute filters write their own
    // leading space; `minify_template` removes the one before them.
    tera.register_filter("lang_attr", |v: tera::Value, _: tera::Kwargs, _: &tera::State| match v.as_str() {
        Some(code) if !code.is_empty() => tera::Value::safe_string(&format!(" lang={}", attr_value(code))),
        _ => tera::Value::safe_string(""),
    });
    // `<a {{item|nav_attrs}}>`: `aria-current="page"` on the link to the page itself, and the
    // `active` class on the section the page is in.
    tera.register_filter("nav_attrs", |v: tera::Value, _: tera::Kwargs, _: &tera::State| {
        let flag = |k: &str| {
            v.as_map()
                .and_then(|m| m.iter().find(|(key, _)| key.as_str() == Some(k)))
                .and_then(|(_, x)| x.as_bool())
                .unwrap_or(false)
        };
        let mut out = String::new();
        if flag("current") {
            out.push_str(" aria-current=page");
        }
        if flag("active") {
            out.push_str(" class=active");
        }
        tera::Value::safe_string(&out)
    });
}

/// An attribute value, quoted only when it needs to be (as the minifier writes them).
fn attr_value(v: &str) -> String {
    if !v.is_empty() && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('&', "&amp;").replace('"', "&quot;"))
    }
}
