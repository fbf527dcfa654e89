//! Files that tell a static host how to serve the site: Netlify's `_headers` (CORS on data,
//! content types such as `text/csv; charset=utf-8`) and `_redirects` (dataset `aliases`, so a
//! renamed dataset's old URLs keep working). `odp serve` applies the same rules locally.

use crate::model::{Lang, Portal, ResourceKind};
use std::collections::BTreeSet;

/// Content type of a published file extension.
pub fn content_type(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "csv" => "text/csv; charset=utf-8",
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "geojson" => "application/geo+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "zip" => "application/zip",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// Netlify `_headers`.
pub fn headers(portal: &Portal) -> String {
    let p = &portal.config.path_prefix;
    let mut out = format!(
        "{p}*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n\n\
         # Data files are for everyone's scripts: any origin may fetch them.\n\
         {p}datasets/*\n  Access-Control-Allow-Origin: *\n\n\
         {p}datasets/*/SHA256SUMS\n  Content-Type: text/plain; charset=utf-8\n\n"
    );
    let mut exts: BTreeSet<&str> = ["json", "zip"].into();
    for d in &portal.datasets {
        for r in &d.resources {
            if let ResourceKind::File(f) = &r.kind {
                exts.insert(&f.extension);
                // Format copies (issue 5).
                exts.extend(crate::copies::kinds(&r.id, f).iter().filter_map(|k| k.suffix().rsplit('.').next()));
            }
        }
    }
    for ext in exts {
        if let Some(ct) = content_type(ext) {
            out += &format!("{p}datasets/*/*.{ext}\n  Content-Type: {ct}\n\n");
        }
    }
    out += &search_headers(p);
    out += &crate::catalog::host::headers(portal);
    out
}

/// The browser search index under `search/` (issue 4 writes it, issue 6 item 5 adds these rules):
/// `meta.json`, `t/<n>.json`, `d/<lang>/<n>.json` and `facets.bin`. Their names carry no content
/// hash and the shards must match the `meta.json` of the same build, so browsers keep them only
/// five minutes and then revalidate, rather than mixing two builds' shards for long.
fn search_headers(p: &str) -> String {
    let mut out = format!(
        "# Browser search index: short cache, the files of one build belong together.\n\
         {p}search/*\n  Cache-Control: public, max-age=300, must-revalidate\n\n"
    );
    // Whole folders and exact names, no `*` inside a segment: whether such a `*` spans `/`
    // differs between hosts, and two matching Content-Type rules would be joined.
    for (path, ct) in [
        ("meta.json", "application/json; charset=utf-8"),
        ("t/*", "application/json; charset=utf-8"),
        ("d/*", "application/json; charset=utf-8"),
        ("facets.bin", "application/octet-stream"),
    ] {
        out += &format!("{p}search/{path}\n  Content-Type: {ct}\n\n");
    }
    out
}

/// Netlify `_redirects`: every alias of a dataset, in every language, to its current URLs.
pub fn redirects(portal: &Portal) -> String {
    let p = &portal.config.path_prefix;
    let mut out = String::from("# Renamed datasets: old URLs stay valid (dataset.toml `aliases`).\n");
    for d in &portal.datasets {
        for alias in &d.aliases {
            let (old, new) = (&alias.value, &d.id);
            out += &format!("{p}datasets/{old}/{old}.zip  {p}datasets/{new}/{new}.zip  301\n");
            for lang in &portal.config.languages {
                let l = lang.url_prefix();
                out += &format!("{p}{l}datasets/{old}  {p}{l}datasets/{new}/  301\n");
            }
            out += &format!("{p}datasets/{old}/*  {p}datasets/{new}/:splat  301\n");
        }
    }
    out += &crate::catalog::host::redirects(portal);
    if portal.config.languages.contains(&Lang::En) {
        out += &format!("{p}en/*  {p}en/404.html  404\n");
    }
    out
}
