//! Host emulation for `odp serve` (issue 7 §4): the site's generated `_redirects` and `_headers`
//! applied with Netlify's documented semantics, so fixed URLs, renamed datasets, CORS and CKAN
//! query-string URLs behave locally as they will on the host.
//!
//! `_redirects`: one rule a line, `from [key=value|key=:name …] to [status[!]] [conditions]`;
//! `#` comments; rules are tried top to bottom and the first match wins; status defaults to
//! 301; `200` rewrites (the URL stays, the target's content is served), `404` (or any other
//! non-3xx status) serves the target's content with that status; a rule does not apply when a
//! file exists at the requested path ("shadowing") unless forced with `!`; `*` at the end of
//! `from` matches the rest of the path and is `:splat` in `to`; `:name` matches one path
//! segment; query parameters in a rule must all be present (`key=:name` binds the value,
//! `key=value` must equal it) and others are ignored; for 200/301/302 the request's query string
//! is passed on unless the rule matched on query parameters or `to` has its own. A trailing
//! slash does not matter for matching (Netlify normalises URLs before the rules). Rules with
//! conditions (`Country=`, `Language=`, `Role=`, `Cookie=`) and proxies (`to` an absolute URL
//! with 200) cannot be emulated offline: they never match here, and [`Rules::warnings`] says so.
//!
//! `_headers`: a path pattern on its own line, then indented `Name: value` lines; every
//! matching block applies; a header set by several blocks gets their values joined with `, `.
//!
//! Files: `/x/` serves `x/index.html`; `/x` serves `x`, else `x.html`, else redirects 301 to
//! `/x/` when `x/index.html` exists (pretty URLs); nothing matched → `/404.html` with 404.

use regex::Regex;
use std::path::{Path, PathBuf};

/// A `from` or header path pattern compiled to a regex over the request path.
#[derive(Debug, Clone)]
struct Pattern {
    re: Regex,
}

impl Pattern {
    fn parse(pattern: &str) -> Option<Pattern> {
        let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
        if !pattern.starts_with('/') {
            return None;
        }
        if parts.is_empty() {
            return Some(Pattern { re: Regex::new("^/$").ok()? });
        }
        let mut re = String::from("^");
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            if *part == "*" && last {
                re.push_str("(?:/(?P<splat>.*))?");
            } else if *part == "*" {
                re.push_str("/[^/]+");
            } else if let Some(name) = part.strip_prefix(':').filter(|n| is_name(n)) {
                re.push_str(&format!("/(?P<{name}>[^/]+)"));
            } else if part.contains('*') {
                re.push('/');
                re.push_str(&part.split('*').map(regex::escape).collect::<Vec<_>>().join(".*"));
            } else {
                re.push('/');
                re.push_str(&regex::escape(part));
            }
        }
        re.push_str("/?$");
        Some(Pattern { re: Regex::new(&re).ok()? })
    }

    /// The bound placeholders (`splat` included) when `path` matches.
    fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let caps = self.re.captures(path)?;
        Some(
            self.re
                .capture_names()
                .flatten()
                .map(|n| (n.to_string(), caps.name(n).map_or("", |m| m.as_str()).to_string()))
                .collect(),
        )
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum QueryMatch {
    /// `key=:name`: the parameter must be present; its value is bound to `:name`.
    Bind(String),
    /// `key=value`: the parameter must have this value.
    Exact(String),
}

/// One `_redirects` rule.
#[derive(Debug, Clone)]
struct Redirect {
    from: Pattern,
    query: Vec<(String, QueryMatch)>,
    to: String,
    status: u16,
    force: bool,
}

/// One `_headers` block.
#[derive(Debug, Clone)]
struct HeaderBlock {
    path: Pattern,
    headers: Vec<(String, String)>,
}

/// The host's rules for one built site.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    redirects: Vec<Redirect>,
    headers: Vec<HeaderBlock>,
    /// Lines that could not be used, as `_redirects:LINE: why` (printed by `odp serve`).
    pub warnings: Vec<String>,
}

impl Rules {
    /// Reads `_redirects` and `_headers` from a built site (missing files: no rules).
    pub fn load(site: &Path) -> Rules {
        let read = |name| std::fs::read_to_string(site.join(name)).unwrap_or_default();
        Rules::parse(&read("_redirects"), &read("_headers"))
    }

    pub fn parse(redirects: &str, headers: &str) -> Rules {
        let mut rules = Rules::default();
        for (n, line) in redirects.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_redirect(line) {
                Ok(r) => rules.redirects.push(r),
                Err(why) => rules.warnings.push(format!("_redirects:{}: {why}", n + 1)),
            }
        }
        let mut current: Option<HeaderBlock> = None;
        for (n, line) in headers.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !line.starts_with(char::is_whitespace) {
                rules.headers.extend(current.take());
                match Pattern::parse(trimmed) {
                    Some(path) => current = Some(HeaderBlock { path, headers: Vec::new() }),
                    None => rules.warnings.push(format!("_headers:{}: not a path pattern: {trimmed}", n + 1)),
                }
            } else if let Some((name, value)) = trimmed.split_once(':') {
                match &mut current {
                    Some(block) => block.headers.push((name.trim().to_string(), value.trim().to_string())),
                    None => rules.warnings.push(format!("_headers:{}: header before any path", n + 1)),
                }
            } else {
                rules.warnings.push(format!("_headers:{}: not `Name: value`: {trimmed}", n + 1));
            }
        }
        rules.headers.extend(current);
        rules
    }

    /// The headers `_headers` gives a request path, in file order, same names joined with `, `.
    pub fn headers_for(&self, path: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for block in self.headers.iter().filter(|b| b.path.matches(path).is_some()) {
            for (name, value) in &block.headers {
                match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    Some((_, v)) => {
                        v.push_str(", ");
                        v.push_str(value);
                    }
                    None => out.push((name.clone(), value.clone())),
                }
            }
        }
        out
    }

    /// What to answer for `path` (still percent-encoded, as requested) and `query` (without `?`).
    pub fn resolve(&self, site: &Path, path: &str, query: &str) -> Answer {
        let file = find_file(site, path);
        let params = parse_query(query);
        for rule in &self.redirects {
            if !rule.force && matches!(file, Found::File(_)) {
                continue;
            }
            let Some(mut bound) = rule.from.matches(path) else { continue };
            let Some(from_query) = match_query(&rule.query, &params) else { continue };
            bound.extend(from_query);
            let to = substitute(&rule.to, &bound);
            if (300..400).contains(&rule.status) {
                let pass_query = rule.query.is_empty() && !to.contains('?') && !query.is_empty();
                let location = if pass_query { format!("{to}?{query}") } else { to };
                return Answer::Redirect { status: rule.status, location };
            }
            if to.starts_with("http://") || to.starts_with("https://") {
                return Answer::Unsupported { why: format!("proxy to {to} is not emulated by odp serve") };
            }
            let (target_path, _) = to.split_once('?').unwrap_or((&to, ""));
            return match find_file(site, target_path) {
                Found::File(f) => Answer::File { status: rule.status, file: f },
                _ => not_found(site),
            };
        }
        match file {
            Found::File(f) => Answer::File { status: 200, file: f },
            Found::Directory => {
                let location = if query.is_empty() { format!("{path}/") } else { format!("{path}/?{query}") };
                Answer::Redirect { status: 301, location }
            }
            Found::Nothing => not_found(site),
        }
    }
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The content of `file` with `status` (200, or a rule's 404…).
    File {
        status: u16,
        file: PathBuf,
    },
    Redirect {
        status: u16,
        location: String,
    },
    /// 404 with the site's `404.html` when it has one.
    NotFound {
        page: Option<PathBuf>,
    },
    /// A rule that cannot work offline.
    Unsupported {
        why: String,
    },
}

fn not_found(site: &Path) -> Answer {
    let page = site.join("404.html");
    Answer::NotFound { page: page.is_file().then_some(page) }
}

enum Found {
    File(PathBuf),
    /// A folder with an index.html, asked for without the trailing slash.
    Directory,
    Nothing,
}

/// The file a path names: `x/` → `x/index.html`; `x` → `x`, else `x.html`.
fn find_file(site: &Path, path: &str) -> Found {
    let Some(decoded) = percent_decode(path) else { return Found::Nothing };
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s == "." || s.contains('\\')) {
        return Found::Nothing;
    }
    // The host reads these files; it does not serve them.
    if rel == "_headers" || rel == "_redirects" {
        return Found::Nothing;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = site.join(rel).join("index.html");
        return if index.is_file() { Found::File(index) } else { Found::Nothing };
    }
    let exact = site.join(rel);
    if exact.is_file() {
        return Found::File(exact);
    }
    let html = site.join(format!("{rel}.html"));
    if html.is_file() {
        return Found::File(html);
    }
    if exact.join("index.html").is_file() { Found::Directory } else { Found::Nothing }
}

fn parse_redirect(line: &str) -> Result<Redirect, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let from_text = tokens[0];
    if from_text.starts_with("http://") || from_text.starts_with("https://") {
        return Err(format!("domain-level rule `{from_text}` is not emulated"));
    }
    let from = Pattern::parse(from_text).ok_or_else(|| format!("`{from_text}` is not a path"))?;
    let mut i = 1;
    let mut query = Vec::new();
    while let Some(t) = tokens.get(i).filter(|t| !t.starts_with('/') && !t.contains("://")) {
        let (k, v) = t.split_once('=').unwrap_or((t, ""));
        let m = match v.strip_prefix(':') {
            Some(name) if is_name(name) => QueryMatch::Bind(name.to_string()),
            _ => QueryMatch::Exact(v.to_string()),
        };
        query.push((k.to_string(), m));
        i += 1;
    }
    let to = tokens.get(i).ok_or("no target")?.to_string();
    i += 1;
    let (status, force) = match tokens.get(i) {
        Some(t) if t.trim_end_matches('!').parse::<u16>().is_ok() => {
            i += 1;
            (t.trim_end_matches('!').parse::<u16>().expect("checked"), t.ends_with('!'))
        }
        _ => (301, false),
    };
    if let Some(cond) = tokens.get(i) {
        return Err(format!("condition `{cond}` is not emulated; the rule is ignored"));
    }
    Ok(Redirect { from, query, to, status, force })
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The bindings of a rule's query conditions, `None` when one is not met.
fn match_query(wanted: &[(String, QueryMatch)], params: &[(String, String)]) -> Option<Vec<(String, String)>> {
    let mut bound = Vec::new();
    for (key, m) in wanted {
        let (_, value) = params.iter().find(|(k, _)| k == key)?;
        match m {
            QueryMatch::Bind(name) => bound.push((name.clone(), value.clone())),
            QueryMatch::Exact(v) if v == value => {}
            QueryMatch::Exact(_) => return None,
        }
    }
    Some(bound)
}

/// Replaces `:name` in a target with its bound value (longest bound name first, so `:id`
/// does not eat the start of `:idx`); unbound `:words` stay as written.
fn substitute(to: &str, bound: &[(String, String)]) -> String {
    let mut out = String::with_capacity(to.len());
    let mut rest = to;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let name = &after[..name_len];
        match bound.iter().filter(|(n, _)| name.starts_with(n.as_str())).max_by_key(|(n, _)| n.len()) {
            Some((n, v)) if !n.is_empty() => {
                out.push_str(v);
                rest = &after[n.len()..];
            }
            _ => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `%xx` decoding of a URL path; `None` when the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "index.html",
            "404.html",
            "en/404.html",
            "en/datasets/x/index.html",
            "datasets/new/index.html",
            "datasets/new/new.zip",
            "about.html",
            "api/3/action/package_show/dan-so",
            "api/3/action/package_list",
            "store-closed.html",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        dir
    }

    fn file(dir: &tempfile::TempDir, status: u16, rel: &str) -> Answer {
        Answer::File { status, file: dir.path().join(rel) }
    }

    fn redirect(status: u16, location: &str) -> Answer {
        Answer::Redirect { status, location: location.into() }
    }

    #[test]
    fn files_index_pages_pretty_urls_and_the_custom_404() {
        let dir = site();
        let r = Rules::default();
        assert_eq!(r.resolve(dir.path(), "/", ""), file(&dir, 200, "index.html"));
        assert_eq!(r.resolve(dir.path(), "/datasets/new/", ""), file(&dir, 200, "datasets/new/index.html"));
        assert_eq!(r.resolve(dir.path(), "/datasets/new", "a=1"), redirect(301, "/datasets/new/?a=1"));
        assert_eq!(r.resolve(dir.path(), "/about", ""), file(&dir, 200, "about.html"));
        assert_eq!(r.resolve(dir.path(), "/nope", ""), Answer::NotFound { page: Some(dir.path().join("404.html")) });
        assert_eq!(
            r.resolve(dir.path(), "/../etc/passwd", ""),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
        assert_eq!(
            r.resolve(dir.path(), "/_redirects", ""),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
    }

    #[test]
    fn redirects_default_to_301_and_pass_the_query_on() {
        let dir = site();
        let r = Rules::parse("# renamed\n/home / \n/old  /datasets/new/  302\n", "");
        assert_eq!(r.resolve(dir.path(), "/home", ""), redirect(301, "/"));
        assert_eq!(r.resolve(dir.path(), "/old", "lang=en"), redirect(302, "/datasets/new/?lang=en"));
        // Trailing slashes do not matter for matching.
        assert_eq!(r.resolve(dir.path(), "/old/", ""), redirect(302, "/datasets/new/"));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn splats_and_placeholders() {
        let dir = site();
        let r = Rules::parse(
            "/datasets/old/*  /datasets/new/:splat  301\n/news/:year/:month/:day  /blog/:year-:month-:day.html  301\n",
            "",
        );
        assert_eq!(r.resolve(dir.path(), "/datasets/old/old.zip", ""), redirect(301, "/datasets/new/old.zip"));
        assert_eq!(r.resolve(dir.path(), "/datasets/old/a/b", ""), redirect(301, "/datasets/new/a/b"));
        assert_eq!(r.resolve(dir.path(), "/datasets/old", ""), redirect(301, "/datasets/new/"));
        assert_eq!(r.resolve(dir.path(), "/news/2026/11/23", ""), redirect(301, "/blog/2026-11-23.html"));
        // A placeholder is one whole segment.
        assert_eq!(
            r.resolve(dir.path(), "/news/2026/11", ""),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
    }

    #[test]
    fn rewrites_serve_the_target_and_404_rules_keep_the_url() {
        let dir = site();
        let r = Rules::parse(
            "/pass-through  /index.html  200\n/ecommerce  /store-closed  404\n/en/*  /en/404.html  404\n",
            "",
        );
        assert_eq!(r.resolve(dir.path(), "/pass-through", ""), file(&dir, 200, "index.html"));
        assert_eq!(r.resolve(dir.path(), "/ecommerce", ""), file(&dir, 404, "store-closed.html"));
        assert_eq!(r.resolve(dir.path(), "/en/missing/page/", ""), file(&dir, 404, "en/404.html"));
        // Shadowing: an existing file wins over a rule that is not forced.
        assert_eq!(r.resolve(dir.path(), "/en/datasets/x/", ""), file(&dir, 200, "en/datasets/x/index.html"));
    }

    #[test]
    fn force_applies_a_rule_over_an_existing_file() {
        let dir = site();
        let r = Rules::parse("/about  /index.html  200!\n/index.html  /about  301\n", "");
        assert_eq!(r.resolve(dir.path(), "/about", ""), file(&dir, 200, "index.html"));
        assert_eq!(r.resolve(dir.path(), "/index.html", ""), file(&dir, 200, "index.html"));
    }

    #[test]
    fn query_parameters_bind_and_must_all_be_present() {
        let dir = site();
        let r = Rules::parse(
            "/api/3/action/package_show  id=:id  /api/3/action/package_show/:id  200\n\
             /store  id=:id  kind=book  /blog/:id  301\n",
            "",
        );
        assert_eq!(
            r.resolve(dir.path(), "/api/3/action/package_show", "id=dan-so&callback=x"),
            file(&dir, 200, "api/3/action/package_show/dan-so")
        );
        assert_eq!(
            r.resolve(dir.path(), "/api/3/action/package_show", "id=khong-co"),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
        assert_eq!(
            r.resolve(dir.path(), "/api/3/action/package_show", ""),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
        // The query was consumed by the rule: it is not appended again.
        assert_eq!(r.resolve(dir.path(), "/store", "kind=book&id=7"), redirect(301, "/blog/7"));
        assert_eq!(
            r.resolve(dir.path(), "/store", "kind=film&id=7"),
            Answer::NotFound { page: Some(dir.path().join("404.html")) }
        );
        // No query rule matches: the file answers, extension-less.
        assert_eq!(
            r.resolve(dir.path(), "/api/3/action/package_list", "limit=5"),
            file(&dir, 200, "api/3/action/package_list")
        );
    }

    #[test]
    fn rules_that_cannot_work_offline_are_reported_not_applied() {
        let dir = site();
        let r = Rules::parse(
            "/  /anz  302  Country=au,nz\nhttp://blog.example.com/*  /blog/:splat  301\n/blog/*  https://blog.example.com/:splat  200\n",
            "",
        );
        assert_eq!(
            r.warnings,
            [
                "_redirects:1: condition `Country=au,nz` is not emulated; the rule is ignored",
                "_redirects:2: domain-level rule `http://blog.example.com/*` is not emulated",
            ]
        );
        assert_eq!(r.resolve(dir.path(), "/", ""), file(&dir, 200, "index.html"));
        assert_eq!(
            r.resolve(dir.path(), "/blog/x", ""),
            Answer::Unsupported { why: "proxy to https://blog.example.com/x is not emulated by odp serve".into() }
        );
    }

    #[test]
    fn headers_of_every_matching_block_combine() {
        let headers = "/*\n  X-Content-Type-Options: nosniff\n\n# data for everyone\n/datasets/*\n  Access-Control-Allow-Origin: *\n\
                       /datasets/*/SHA256SUMS\n  Content-Type: text/plain; charset=utf-8\n\
                       /datasets/*/*.csv\n  Content-Type: text/csv; charset=utf-8\n  Cache-Control: max-age=60\n\
                       /datasets/:id/data.csv\n  Cache-Control: no-transform\n";
        let r = Rules::parse("", headers);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let h = |p: &str| r.headers_for(p);
        assert_eq!(h("/"), [("X-Content-Type-Options".to_string(), "nosniff".to_string())]);
        assert_eq!(
            h("/datasets/x/SHA256SUMS"),
            [
                ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
                ("Access-Control-Allow-Origin".to_string(), "*".to_string()),
                ("Content-Type".to_string(), "text/plain; charset=utf-8".to_string()),
            ]
        );
        assert_eq!(
            h("/datasets/x/data.csv"),
            [
                ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
                ("Access-Control-Allow-Origin".to_string(), "*".to_string()),
                ("Content-Type".to_string(), "text/csv; charset=utf-8".to_string()),
                ("Cache-Control".to_string(), "max-age=60, no-transform".to_string()),
            ]
        );
        assert_eq!(h("/about/").len(), 1);
    }

    #[test]
    fn percent_encoded_paths_find_vietnamese_file_names() {
        let dir = site();
        std::fs::write(dir.path().join("dữ-liệu.csv"), "x").unwrap();
        let r = Rules::default();
        assert_eq!(r.resolve(dir.path(), "/d%E1%BB%AF-li%E1%BB%87u.csv", ""), file(&dir, 200, "dữ-liệu.csv"));
    }
}
