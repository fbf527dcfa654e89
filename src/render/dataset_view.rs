//! The dataset page's data: metadata, status, contact point, usage terms and citation, the
//! downloads, and per resource its file facts, data dictionary, completeness and preview, or
//! the data-service description of Circular 002 Art. 16.4.

use super::views::{ContactV, Cx, DateV, Link};
use crate::model::{Dataset, Field, FileResource, Resource, ResourceKind, ServiceResource, Status};
use crate::urls;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct DatasetV {
    pub id: String,
    pub title: String,
    /// `vi` where an English page shows Vietnamese text (no English version): for `lang=`.
    pub title_lang: Option<&'static str>,
    pub description_html: String,
    pub description_lang: Option<&'static str>,
    pub keywords_lang: Option<&'static str>,
    pub status: Option<StatusV>,
    pub publisher: Option<Link>,
    pub themes: Vec<Link>,
    pub keywords: Vec<Link>,
    pub frequency: String,
    pub issued: Option<DateV>,
    pub modified: Option<DateV>,
    pub spatial: Option<String>,
    pub temporal: Option<String>,
    pub version: Option<String>,
    pub license: Link,
    pub rights: Option<String>,
    pub contact: Option<ContactV>,
    /// Whether the contact point is the publisher's (the dataset names none).
    pub contact_is_publisher: bool,
    pub terms_href: Option<String>,
    pub cite: String,
    /// None for a withdrawn dataset: its files are no longer offered.
    pub downloads: Option<DownloadsV>,
    pub files: Vec<FileV>,
    pub services: Vec<ServiceV>,
    /// Issue 6: last update, next due date and status badge.
    pub freshness: Option<super::accountability_view::FreshnessV>,
    /// Issue 6: the newest changes (all on the history page).
    pub history: super::accountability_view::HistoryV,
    /// Issue 6: active notices that affect this dataset or its services.
    pub notices: Vec<super::accountability_view::NoticeV>,
    /// schema.org `Dataset` JSON-LD, escaped for a `<script>` element (issue 5).
    pub json_ld: String,
}

#[derive(Debug, Serialize)]
pub struct StatusV {
    /// `deprecated` or `withdrawn`.
    pub kind: &'static str,
    pub label: String,
    pub reason: Option<String>,
    pub date: Option<DateV>,
}

#[derive(Debug, Serialize)]
pub struct DownloadsV {
    pub package: String,
    pub package_name: String,
    pub datapackage: String,
    pub checksums: String,
}

#[derive(Debug, Serialize)]
pub struct FileV {
    pub id: String,
    /// The resource's element id on the page (`res-<id>`), also used by code-list references.
    pub anchor: String,
    pub title: String,
    pub description_html: String,
    pub format: String,
    pub file_name: String,
    pub href: String,
    /// The file's permanent absolute URL, shown for developers.
    pub url: String,
    pub size: Option<String>,
    pub rows: Option<String>,
    pub sha256: Option<String>,
    pub dictionary: Option<DictionaryV>,
    pub preview: Option<PreviewV>,
    /// Checked against its data dictionary (a published table always passed: errors block the build).
    pub validated: bool,
    /// Columns that look like personal data, published because the agency declared why (issue 3 §3).
    pub declared_public: Vec<DeclaredPublicV>,
    /// The table's format copies (issue 5).
    pub copies: Vec<CopyV>,
}

/// A format copy of a table, with its size and SHA-256.
#[derive(Debug, Serialize)]
pub struct CopyV {
    pub label: String,
    pub file_name: String,
    pub href: String,
    pub size: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct DeclaredPublicV {
    pub column: String,
    pub kind: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct DictionaryV {
    pub primary_key: Vec<String>,
    pub number_format: Option<String>,
    pub fields: Vec<FieldV>,
    /// Whether the completeness column is shown (the file's facts are known).
    pub has_completeness: bool,
}

#[derive(Debug, Serialize)]
pub struct FieldV {
    pub name: String,
    pub title: String,
    pub type_label: String,
    pub unit: Option<String>,
    pub constraints: Vec<ConstraintV>,
    pub description: Option<String>,
    pub reference: Option<Link>,
    pub public_reason: Option<String>,
    pub completeness: Option<CompletenessV>,
    pub is_key: bool,
}

/// One constraint: localised text, and a literal shown as code (a pattern, a date format).
#[derive(Debug, Serialize)]
pub struct ConstraintV {
    pub text: String,
    pub code: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CompletenessV {
    /// Share of non-empty values, 0–1.
    pub share: f64,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct PreviewV {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub caption: String,
}

#[derive(Debug, Serialize)]
pub struct ServiceV {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub description_html: String,
    /// The ten fields of 002 Art. 16.4, in order; `value` None is shown as "not provided".
    pub rows: Vec<ServiceRow>,
}

#[derive(Debug, Serialize)]
pub struct ServiceRow {
    pub label: String,
    pub value: Option<String>,
    /// Set when the value is a link (endpoint, documentation).
    pub href: Option<String>,
}

pub(crate) fn dataset(cx: &Cx<'_>, d: &Dataset) -> DatasetV {
    let (lang, loc, portal) = (cx.lang, cx.loc, cx.portal);
    let status = match d.status {
        Status::Active => None,
        Status::Deprecated | Status::Withdrawn => {
            let kind = if d.status == Status::Deprecated { "deprecated" } else { "withdrawn" };
            Some(StatusV {
                kind,
                label: loc.s(if kind == "deprecated" { "status_deprecated" } else { "status_withdrawn" }).to_string(),
                reason: d.status_reason.clone(),
                date: cx.date(&d.status_date),
            })
        }
    };
    let frequency = portal
        .config
        .frequency(&d.frequency.value)
        .map(|f| f.title.clone())
        .unwrap_or_else(|| crate::model::default_frequency_title(&d.frequency.value))
        .get(lang)
        .to_string();
    let license = match portal.config.license(&d.license.value) {
        Some(l) => Link { title: l.title.get(lang).to_string(), href: cx.site_path_link(&l.url) },
        None => Link { title: d.license.value.clone(), href: cx.terms_href().unwrap_or_default() },
    };
    let publisher = portal.publishers.get(&d.publisher.value);
    let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact)).map(|c| cx.contact(c));
    let title = d.title.get(lang).to_string();
    let url = cx.site.absolute(&urls::in_lang(lang, &urls::dataset(&d.id)));
    let year = d.modified.as_deref().or(d.issued.as_deref()).map(|s| s.chars().take(4).collect::<String>());
    let cite = loc.fill(
        "cite_template",
        &[
            ("publisher", publisher.map(|p| p.name.get(lang)).unwrap_or(&d.publisher.value)),
            ("year", year.as_deref().unwrap_or(loc.s("no_year"))),
            ("title", &title),
            ("portal", portal.config.title.get(lang)),
            ("url", &url),
        ],
    );
    let withdrawn = d.status == Status::Withdrawn;
    let mut files = Vec::new();
    let mut services = Vec::new();
    if !withdrawn {
        for r in &d.resources {
            match &r.kind {
                ResourceKind::File(f) => files.push(file(cx, d, r, f)),
                ResourceKind::Service(s) => services.push(service(cx, d, r, s)),
            }
        }
    }
    DatasetV {
        freshness: super::accountability_view::freshness(cx, d),
        history: super::accountability_view::history(cx, d, Some(crate::history::ON_DATASET_PAGE)),
        notices: super::accountability_view::dataset_notices(cx, d),
        id: d.id.clone(),
        description_html: cx.md(d.description.get(lang)),
        title_lang: cx.fallback_lang(&d.title),
        description_lang: cx.fallback_lang(&d.description),
        keywords_lang: cx.vi_only(),
        status,
        publisher: cx.publisher_link(&d.publisher.value),
        themes: d.themes.iter().filter_map(|t| cx.theme_link(&t.value)).collect(),
        keywords: {
            let mut seen = std::collections::BTreeSet::new();
            d.keywords
                .iter()
                .filter(|k| {
                    let slug = crate::text::slugify(k);
                    !slug.is_empty() && seen.insert(slug)
                })
                .map(|k| Link { title: k.clone(), href: cx.page_link(&urls::keyword(k)) })
                .collect()
        },
        frequency,
        issued: cx.date(&d.issued),
        modified: cx.date(&d.modified),
        spatial: d.spatial.clone(),
        temporal: d.temporal.as_ref().map(|t| match &t.end {
            Some(end) => format!("{} – {}", loc.date(&t.start), loc.date(end)),
            None => loc.fill("temporal_from", &[("start", &loc.date(&t.start))]),
        }),
        version: d.version.clone(),
        license,
        rights: d.rights.clone(),
        contact,
        contact_is_publisher: d.contact.is_none(),
        terms_href: cx.terms_href(),
        cite,
        downloads: (!withdrawn).then(|| DownloadsV {
            package: cx.site.link(&urls::package(&d.id)),
            package_name: format!("{}.zip", d.id),
            datapackage: cx.site.link(&urls::datapackage(&d.id)),
            checksums: cx.site.link(&urls::checksums(&d.id)),
        }),
        files,
        services,
        json_ld: crate::catalog::schemaorg::script_text(&crate::catalog::schemaorg::dataset(portal, d, cx.site, lang)),
        title,
    }
}

fn file(cx: &Cx<'_>, d: &Dataset, r: &Resource, f: &FileResource) -> FileV {
    let loc = cx.loc;
    let facts = f.facts.as_ref();
    let rel = urls::resource_file(&d.id, &r.id, f);
    let dictionary = f.schema.as_ref().map(|s| {
        let rows = facts.and_then(|x| x.rows);
        let empties = facts.map(|x| &x.empty_counts);
        let has_completeness = rows.is_some() && empties.is_some_and(|e| e.len() == s.fields.len());
        let key: Vec<String> = s.primary_key.iter().map(|k| k.value.clone()).collect();
        let number_format = match (&s.decimal_char, &s.group_char) {
            (None, None) => None,
            (dc, gc) => Some(loc.fill(
                "number_format",
                &[
                    ("decimal", dc.as_deref().unwrap_or(".")),
                    ("group", gc.as_deref().map(|g| if g == " " { "␣" } else { g }).unwrap_or("—")),
                ],
            )),
        };
        DictionaryV {
            fields: s
                .fields
                .iter()
                .enumerate()
                .map(|(i, fl)| {
                    let completeness = if has_completeness {
                        let total = rows.unwrap_or(0);
                        let empty = empties.map(|e| e[i]).unwrap_or(0).min(total);
                        let share = if total == 0 { 1.0 } else { (total - empty) as f64 / total as f64 };
                        Some(CompletenessV { share, text: loc.percent(share) })
                    } else {
                        None
                    };
                    field(cx, fl, key.contains(&fl.name.value), completeness)
                })
                .collect(),
            primary_key: key,
            number_format,
            has_completeness,
        }
    });
    let preview = facts.filter(|x| x.preview.len() > 1).map(|x| {
        let n = x.preview.len() - 1;
        let caption = match x.rows {
            Some(total) if total as usize > n => {
                loc.fill("preview_caption_of", &[("n", &loc.int(n as u64)), ("total", &loc.int(total))])
            }
            _ => loc.fill("preview_caption", &[("n", &loc.int(n as u64))]),
        };
        PreviewV { header: x.preview[0].clone(), rows: x.preview[1..].to_vec(), caption }
    });
    FileV {
        id: r.id.clone(),
        anchor: format!("res-{}", r.id),
        title: r.title.get(cx.lang).to_string(),
        description_html: r.description.as_ref().map(|t| cx.md(t.get(cx.lang))).unwrap_or_default(),
        format: f.format.clone(),
        file_name: rel.rsplit('/').next().unwrap_or(&rel).to_string(),
        href: cx.site.link(&rel),
        url: cx.site.absolute(&rel),
        size: facts.map(|x| loc.bytes(x.bytes)),
        rows: facts.and_then(|x| x.rows).map(|n| loc.int(n)),
        sha256: facts.map(|x| x.sha256.clone()).filter(|s| !s.is_empty()),
        validated: f.schema.is_some() && facts.is_some_and(|x| x.rows.is_some()),
        declared_public: facts
            .map(|x| {
                x.declared_public
                    .iter()
                    .map(|p| DeclaredPublicV {
                        column: p.column.clone(),
                        kind: if cx.lang == crate::model::Lang::En { p.kind_en.clone() } else { p.kind_vi.clone() },
                        reason: p.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        copies: facts
            .map(|x| {
                x.copies
                    .iter()
                    .map(|c| {
                        use crate::copies::CopyKind as K;
                        let key = match crate::copies::kind_of(&c.file_name) {
                            K::Json => "copy_json",
                            K::Csv => "copy_csv",
                            K::ExcelCsv => "copy_excel_csv",
                            K::Xlsx => "copy_xlsx",
                            K::Xml => "copy_xml",
                        };
                        CopyV {
                            label: loc.s(key).to_string(),
                            file_name: c.file_name.clone(),
                            href: cx.site.link(&crate::copies::copy_path(&d.id, c)),
                            size: loc.bytes(c.bytes),
                            sha256: c.sha256.clone(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
        dictionary,
        preview,
    }
}

fn field(cx: &Cx<'_>, f: &Field, is_key: bool, completeness: Option<CompletenessV>) -> FieldV {
    let loc = cx.loc;
    let mut c = Vec::new();
    let mut text = |text: String| c.push(ConstraintV { text, code: None });
    if is_key {
        text(loc.s("c_primary_key").to_string());
    }
    if f.required {
        text(loc.s("c_required").to_string());
    }
    if f.unique {
        text(loc.s("c_unique").to_string());
    }
    if !f.enum_values.is_empty() {
        text(loc.fill("c_enum", &[("values", &f.enum_values.join(", "))]));
    }
    if let Some(m) = &f.minimum {
        text(loc.fill("c_min", &[("v", &loc.bound(m))]));
    }
    if let Some(m) = &f.maximum {
        text(loc.fill("c_max", &[("v", &loc.bound(m))]));
    }
    if let Some(p) = &f.pattern {
        c.push(ConstraintV { text: loc.s("c_pattern").to_string(), code: Some(p.clone()) });
    }
    if let Some(p) = &f.format {
        c.push(ConstraintV { text: loc.s("c_format").to_string(), code: Some(p.clone()) });
    }
    let reference = f.references.as_ref().map(|r| {
        let r = &r.value;
        let target = cx.portal.dataset(&r.dataset);
        let ds_title = target.map(|d| d.title.get(cx.lang).to_string()).unwrap_or_else(|| r.dataset.clone());
        let res_title = target
            .and_then(|d| d.resources.iter().find(|x| x.id == r.resource))
            .map(|x| x.title.get(cx.lang).to_string())
            .unwrap_or_else(|| r.resource.clone());
        Link {
            title: format!("{ds_title} › {res_title} › {}", r.field),
            href: format!("{}#res-{}", cx.page_link(&urls::dataset(&r.dataset)), r.resource),
        }
    });
    FieldV {
        name: f.name.value.clone(),
        title: f.title.get(cx.lang).to_string(),
        type_label: loc.s(type_key(f.ty)).to_string(),
        unit: f.unit.clone(),
        constraints: c,
        description: f.description.as_ref().map(|t| t.get(cx.lang).to_string()),
        reference,
        public_reason: f.public_reason.clone(),
        completeness,
        is_key,
    }
}

fn type_key(t: crate::model::FieldType) -> &'static str {
    use crate::model::FieldType::*;
    match t {
        String => "type_string",
        Integer => "type_integer",
        Number => "type_number",
        Boolean => "type_boolean",
        Date => "type_date",
        Datetime => "type_datetime",
        Year => "type_year",
        Geopoint => "type_geopoint",
    }
}

fn service(cx: &Cx<'_>, d: &Dataset, r: &Resource, s: &ServiceResource) -> ServiceV {
    let loc = cx.loc;
    let provider = s
        .provider
        .clone()
        .or_else(|| cx.portal.publishers.get(&d.publisher.value).map(|p| p.name.get(cx.lang).to_string()));
    let link =
        |u: &Option<String>| u.as_ref().filter(|u| u.starts_with("https://") || u.starts_with("http://")).cloned();
    let row = |key: &'static str, value: Option<String>, href: Option<String>| ServiceRow {
        label: loc.s(key).to_string(),
        value,
        href,
    };
    let content = r.description.as_ref().map(|t| super::markdown::excerpt(t.get(cx.lang), 400));
    ServiceV {
        id: r.id.clone(),
        anchor: format!("res-{}", r.id),
        title: r.title.get(cx.lang).to_string(),
        description_html: r.description.as_ref().map(|t| cx.md(t.get(cx.lang))).unwrap_or_default(),
        rows: vec![
            row("svc_name", Some(r.title.get(cx.lang).to_string()), None),
            row("svc_provider", provider, None),
            row("svc_url", Some(s.url.clone()), link(&Some(s.url.clone()))),
            row("svc_content", content, None),
            row("svc_sharing", s.sharing.clone(), None),
            row("svc_structure", s.data_structure.clone(), None),
            row("svc_connection", s.connection_model.clone(), None),
            row("svc_method", s.method.clone(), None),
            row("svc_requirements", s.requirements.clone(), None),
            row("svc_documentation", s.documentation.clone(), link(&s.documentation)),
        ],
    }
}
