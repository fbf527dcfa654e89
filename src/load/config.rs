//! `portal.toml`: portal name, base URL and path prefix, languages, themes (lĩnh vực),
//! licences (the statutory open-data terms by default) and frequency labels.

use super::toml_read::{Doc, Table};
use crate::diag::{
    Diagnostics, Msg,
    messages::{FREQUENCIES, IdKind},
};
use crate::model::{Frequency, Lang, License, PortalConfig, Text, Theme, default_frequency_title};
use crate::text::is_slug;

pub const FILE: &str = "portal.toml";

/// Reads portal.toml. Returns `None` only when the file cannot be understood at all; the
/// problems are in `diags`.
pub fn load(text: &str, diags: &mut Diagnostics) -> Option<PortalConfig> {
    let mut doc = Doc::new(FILE, text, 0, diags);
    let root = doc.parse(text)?;
    let mut top = Table::new(root.get_ref(), 0..0, FILE);
    let Some(mut p) = doc.table(&mut top, "portal", "[portal]") else {
        doc.missing(&top, "portal");
        let _ = doc.tables(&mut top, "themes", "[[themes]]");
        let _ = doc.tables(&mut top, "licenses", "[[licenses]]");
        let _ = doc.tables(&mut top, "frequencies", "[[frequencies]]");
        doc.finish(top);
        return None;
    };
    let title = doc.text(&mut p, "title", "title_en", true);
    let description = doc.text(&mut p, "description", "description_en", true);
    let base_url = doc.required_string(&mut p, "base_url");
    let languages = doc.string_list(&mut p, "languages");
    let default_license = doc.required_string(&mut p, "default_license");
    let footer = doc.text(&mut p, "footer", "footer_en", false);
    let p_span = p.span.clone();
    doc.finish(p);

    let mut langs = vec![Lang::Vi];
    for l in languages.into_iter().flatten() {
        match l.value.as_str() {
            "vi" => {}
            "en" => langs.push(Lang::En),
            other => doc.diags.push(
                FILE,
                l.pos,
                Msg::UnknownKey {
                    key: other.to_string(),
                    table: "languages".into(),
                    valid: vec!["en".into(), "vi".into()],
                },
            ),
        }
    }

    let (base_url, path_prefix) = match base_url {
        Some(b) => match split_base_url(&b.value) {
            Some(parts) => parts,
            None => {
                doc.diags.push(FILE, b.pos, Msg::InvalidUrl { key: "base_url".into(), value: b.value });
                ("http://localhost/".into(), "/".into())
            }
        },
        None => ("http://localhost/".into(), "/".into()),
    };

    let mut themes: Vec<Theme> = Vec::new();
    for mut t in doc.tables(&mut top, "themes", "[[themes]]") {
        let id = doc.required_string(&mut t, "id");
        let title = doc.text(&mut t, "title", "title_en", true);
        let description = doc.text(&mut t, "description", "description_en", false);
        let dcat = doc.string(&mut t, "dcat");
        // Issue 5: the code becomes an EU vocabulary IRI in the DCAT-AP catalogue.
        match (&dcat, &id) {
            (Some(code), _) if !crate::catalog::dcat::EU_THEME_CODES.contains(&code.value.as_str()) => {
                doc.diags.push(FILE, code.pos, Msg::ThemeDcatUnknown { code: code.value.clone() })
            }
            (None, Some(id)) => doc.diags.push(FILE, id.pos, Msg::ThemeDcatMissing { theme: id.value.clone() }),
            _ => {}
        }
        let dcat = dcat.map(|s| s.value);
        doc.finish(t);
        if let (Some(id), Some(title)) = (id, title)
            && check_id(&mut doc, &id.value, id.pos, IdKind::Theme, themes.iter().map(|t| &t.id))
        {
            themes.push(Theme { id: id.value, title, description, dcat });
        }
    }
    if themes.is_empty() && !top.has("themes") {
        doc.missing(&top, "themes");
    }

    let mut licenses: Vec<License> = Vec::new();
    for mut t in doc.tables(&mut top, "licenses", "[[licenses]]") {
        let id = doc.required_string(&mut t, "id");
        let title = doc.text(&mut t, "title", "title_en", true);
        let url = doc.required_string(&mut t, "url");
        let spdx = doc.string(&mut t, "spdx").map(|s| s.value);
        doc.finish(t);
        if let (Some(id), Some(title), Some(url)) = (id, title, url)
            && check_id(&mut doc, &id.value, id.pos, IdKind::License, licenses.iter().map(|l| &l.id))
        {
            licenses.push(License { id: id.value, title, url: url.value, spdx });
        }
    }
    if licenses.is_empty() && !top.has("licenses") {
        doc.missing(&top, "licenses");
    }

    let mut labels: Vec<(String, Text)> = Vec::new();
    for mut t in doc.tables(&mut top, "frequencies", "[[frequencies]]") {
        let id = doc.required_string(&mut t, "id");
        let title = doc.text(&mut t, "title", "title_en", true);
        doc.finish(t);
        if let (Some(id), Some(title)) = (id, title) {
            if FREQUENCIES.contains(&id.value.as_str()) {
                labels.push((id.value, title));
            } else {
                doc.diags.push(FILE, id.pos, Msg::UnknownFrequency { id: id.value });
            }
        }
    }
    let freshness = read_freshness(&mut doc, &mut top);
    let frequencies = FREQUENCIES
        .iter()
        .map(|id| Frequency {
            id: id.to_string(),
            title: labels.iter().find(|(l, _)| l == id).map_or_else(|| default_frequency_title(id), |(_, t)| t.clone()),
        })
        .collect();
    doc.finish(top);

    let default_license = default_license?;
    if !licenses.is_empty() && !licenses.iter().any(|l| l.id == default_license.value) {
        doc.diags.push(FILE, default_license.pos, Msg::DefaultLicenseUnknown { id: default_license.value.clone() });
    }
    let _ = p_span;
    Some(PortalConfig {
        title: title?,
        description: description?,
        base_url,
        path_prefix,
        languages: langs,
        default_license: default_license.value,
        footer,
        themes,
        licenses,
        frequencies,
        freshness,
    })
}

/// `[freshness]` (issue 6): `rule` ("frequency" or "quarterly+15d"), `grace_days`, `due_soon_days`.
fn read_freshness(doc: &mut Doc<'_>, top: &mut Table<'_, '_>) -> crate::freshness::Config {
    let mut cfg = crate::freshness::Config::default();
    let Some(mut t) = doc.table(top, "freshness", "[freshness]") else { return cfg };
    if let Some(rule) = doc.string(&mut t, "rule") {
        match crate::freshness::Rule::parse(&rule.value) {
            Some(r) => cfg.rule = r,
            None => doc.diags.push(FILE, rule.pos, Msg::FreshnessRuleUnknown { rule: rule.value }),
        }
    }
    if let Some(n) = doc.integer(&mut t, "grace_days") {
        cfg.grace_days = n.clamp(0, 3660);
    }
    if let Some(n) = doc.integer(&mut t, "due_soon_days") {
        cfg.due_soon_days = n.clamp(0, 3660);
    }
    doc.finish(t);
    cfg
}

/// Checks an id's form and uniqueness; reports and returns false when it cannot be used.
fn check_id<'s>(
    doc: &mut Doc<'_>,
    id: &str,
    pos: crate::diag::Pos,
    kind: IdKind,
    mut seen: impl Iterator<Item = &'s String>,
) -> bool {
    // Licence ids may carry a version dot (`cc-by-4.0`); they never become URL segments.
    let well_formed = if kind == IdKind::License { is_slug(&id.replace('.', "-")) } else { is_slug(id) };
    if !well_formed {
        doc.diags.push(doc.path, pos, Msg::InvalidId { kind, id: id.to_string() });
        return false;
    }
    if seen.any(|s| s == id) {
        doc.diags.push(doc.path, pos, Msg::DuplicateId { kind, id: id.to_string(), first: FILE.into() });
        return false;
    }
    true
}

/// `https://host/prefix` → (`https://host/prefix/`, `/prefix/`).
pub fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let scheme_len = url.len() - rest.len();
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) || url.contains(['?', '#']) {
        return None;
    }
    let path = path.trim_matches('/');
    let prefix = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    Some((format!("{}{host}{prefix}", &url[..scheme_len]), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_prefix() {
        assert_eq!(split_base_url("https://a.gov.vn"), Some(("https://a.gov.vn/".into(), "/".into())));
        assert_eq!(
            split_base_url("https://a.gov.vn/du-lieu"),
            Some(("https://a.gov.vn/du-lieu/".into(), "/du-lieu/".into()))
        );
        assert_eq!(split_base_url("ftp://a"), None);
    }
}
