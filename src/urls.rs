//! The URL scheme of DESIGN.md in one place. Paths here are relative to the site root and never
//! start with `/`; [`Site`] turns them into links under the portal's path prefix or into
//! absolute URLs. Data files have one URL for both languages; pages exist under `/` and `/en/`.

use crate::model::{FileResource, Lang};
use crate::text::slugify;

pub fn home() -> String {
    String::new()
}
pub fn datasets() -> String {
    "datasets/".into()
}
pub fn dataset(id: &str) -> String {
    format!("datasets/{id}/")
}
/// The fixed URL of a resource file: `datasets/<id>/<resource-id>.<ext>`.
pub fn resource_file(dataset: &str, resource: &str, file: &FileResource) -> String {
    format!("datasets/{dataset}/{resource}.{}", file.extension)
}
pub fn package(dataset: &str) -> String {
    format!("datasets/{dataset}/{dataset}.zip")
}
pub fn datapackage(dataset: &str) -> String {
    format!("datasets/{dataset}/datapackage.json")
}
pub fn checksums(dataset: &str) -> String {
    format!("datasets/{dataset}/SHA256SUMS")
}
pub fn publisher(id: &str) -> String {
    format!("publishers/{id}/")
}
pub fn publishers() -> String {
    "publishers/".into()
}
pub fn theme(id: &str) -> String {
    format!("themes/{id}/")
}
pub fn themes() -> String {
    "themes/".into()
}
/// Keywords are free Vietnamese text; their URL is the folded slug ("dân số" → `keywords/dan-so/`).
pub fn keyword(kw: &str) -> String {
    format!("keywords/{}/", slugify(kw))
}
pub fn keywords() -> String {
    "keywords/".into()
}
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}
pub fn terms() -> String {
    "terms/".into()
}
pub fn search() -> String {
    "search/".into()
}

/// A page path in a language: `datasets/` → `en/datasets/` for English.
pub fn in_lang(lang: Lang, rel: &str) -> String {
    format!("{}{rel}", lang.url_prefix())
}

/// The URL path a browser shows for an output file, the inverse of [`page_file`]:
/// `datasets/x/index.html` → `/datasets/x/`, `404.html` → `/404.html`.
pub fn file_page(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// The output file of a page path: `datasets/x/` → `datasets/x/index.html`.
pub fn page_file(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// Turns site-relative paths into links for one deployment (base URL + path prefix).
#[derive(Debug, Clone)]
pub struct Site {
    /// `https://example.gov.vn/du-lieu/`
    pub base_url: String,
    /// `/du-lieu/`
    pub prefix: String,
}

impl Site {
    /// Root-relative link that works under the path prefix: `/du-lieu/datasets/x/`.
    pub fn link(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
    /// Absolute URL, for catalogues, feeds and `<link rel=canonical>`.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_under_a_prefix() {
        let site = Site { base_url: "https://x.gov.vn/du-lieu/".into(), prefix: "/du-lieu/".into() };
        assert_eq!(site.link(&in_lang(Lang::En, &dataset("a"))), "/du-lieu/en/datasets/a/");
        assert_eq!(site.absolute(&keyword("Dân số")), "https://x.gov.vn/du-lieu/keywords/dan-so/");
        assert_eq!(page_file(&home()), "index.html");
        assert_eq!(file_page("index.html"), "/");
        assert_eq!(file_page("en/datasets/x/index.html"), "/en/datasets/x/");
        assert_eq!(file_page("404.html"), "/404.html");
    }
}
