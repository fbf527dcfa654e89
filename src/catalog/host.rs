//! The host rules this issue needs (issue 5 §3, §5), appended by `deploy` to `_headers` and
//! `_redirects` (Netlify syntax; `odp serve` applies the same rules):
//!
//! - CORS (`Access-Control-Allow-Origin: *`) and content types on the API and catalogue files;
//!   the CKAN files have no extension and are declared `application/json`.
//! - CKAN's query-string forms rewritten (status 200) onto the static files:
//!   `/api/3/action/package_show?id=x` → `/api/3/action/package_show/x`, the same for
//!   `organization_show` and `group_show` (`id=`), `package_search?start=n` →
//!   `/api/3/action/package_search_pages/n`; and CKAN's version-less prefix `/api/action/`
//!   (which `ckanapi` calls) onto `/api/3/action/`. `package_search` is also a file (the first
//!   page), so its rule is forced (`200!`): Netlify does not apply a rule whose path exists
//!   unless forced ("shadowing").
//!
//! Which hosts honour this: Netlify supports query-parameter matching, placeholders, splats and
//! forced rewrites. Cloudflare Pages and GitLab Pages read `_redirects` but ignore query-parameter
//! conditions (GitLab also ignores `!`), so there only the path forms work
//! (`/api/3/action/package_show/<id>`); GitHub Pages applies no rules at all. See README.md.

use crate::model::Portal;

pub fn headers(portal: &Portal) -> String {
    let p = &portal.config.path_prefix;
    let cors = "  Access-Control-Allow-Origin: *\n";
    let mut out = String::from("# API and catalogues (issue 5): any origin may read them.\n");
    out += &format!("{p}api/*\n{cors}\n");
    out += &format!("{p}api/3/action/*\n  Content-Type: application/json; charset=utf-8\n\n");
    for (file, ct) in [
        ("catalog.jsonld", "application/ld+json; charset=utf-8"),
        ("catalog.ttl", "text/turtle; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("feed.xml", "application/atom+xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
    ] {
        out += &format!("{p}{file}\n{cors}  Content-Type: {ct}\n\n");
    }
    out
}

pub fn redirects(portal: &Portal) -> String {
    let p = &portal.config.path_prefix;
    let mut out = String::from("# CKAN-compatible API (issue 5): CKAN's query-string forms onto the static files.\n");
    for prefix in ["api/3/action", "api/action"] {
        for (action, param, target) in [
            ("package_show", "id", "package_show/:v  200"),
            ("organization_show", "id", "organization_show/:v  200"),
            ("group_show", "id", "group_show/:v  200"),
            ("package_search", "start", "package_search_pages/:v  200!"),
        ] {
            out += &format!("{p}{prefix}/{action}  {param}=:v  {p}api/3/action/{target}\n");
        }
    }
    out += &format!("{p}api/action/*  {p}api/3/action/:splat  200\n");
    out
}
