//! What search knows of a dataset: its texts by field class and its facet values. Built once
//! from the loaded portal for both the tantivy index and the browser index. Only active
//! datasets are searchable: withdrawn and deprecated ones keep their pages but leave search
//! (issue 6 §5).

use crate::model::{Portal, ResourceKind, Status, Text};
use crate::render::sort_key;
use crate::text::slugify;
use serde::Serialize;
use std::collections::BTreeSet;

/// The field classes of a dataset that search looks in, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Title,
    Keywords,
    Publisher,
    Themes,
    Fields,
    Description,
}

impl Class {
    pub const ALL: [Class; 6] =
        [Class::Title, Class::Keywords, Class::Publisher, Class::Themes, Class::Fields, Class::Description];

    /// The one-letter code of the browser index.
    pub fn code(self) -> &'static str {
        match self {
            Class::Title => "t",
            Class::Keywords => "k",
            Class::Publisher => "p",
            Class::Themes => "h",
            Class::Fields => "f",
            Class::Description => "d",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Class::Title => "title",
            Class::Keywords => "keywords",
            Class::Publisher => "publisher",
            Class::Themes => "themes",
            Class::Fields => "fields",
            Class::Description => "description",
        }
    }

    /// Vietnamese name, for `odp search`'s explanations.
    pub fn name_vi(self) -> &'static str {
        match self {
            Class::Title => "tên",
            Class::Keywords => "từ khóa",
            Class::Publisher => "cơ quan",
            Class::Themes => "lĩnh vực",
            Class::Fields => "cột dữ liệu",
            Class::Description => "mô tả",
        }
    }

    /// How much a match here counts (the same numbers in search.js).
    pub fn weight(self) -> f32 {
        match self {
            Class::Title => 4.0,
            Class::Keywords => 3.0,
            Class::Publisher => 2.0,
            Class::Themes => 2.0,
            Class::Fields => 1.5,
            Class::Description => 1.0,
        }
    }

    /// Short fields are also indexed with joined syllables ("hanoi"); descriptions are not
    /// (joins there would triple the index for little gain).
    pub fn joined(self) -> bool {
        self != Class::Description
    }
}

/// A searchable dataset.
#[derive(Debug, Clone, Serialize)]
pub struct SearchDoc {
    pub id: String,
    pub title: Text,
    /// The texts of each class (Vietnamese and English), in [`Class::ALL`] order. Fields are
    /// the data dictionary's names, titles and descriptions; the description class also
    /// holds the resources' titles and descriptions.
    pub texts: Vec<(Class, Vec<String>)>,
    pub publisher: String,
    pub publisher_name: Text,
    pub themes: Vec<String>,
    pub theme_names: Vec<Text>,
    /// Upper-case formats, `API` for data services, sorted.
    pub formats: Vec<String>,
    /// Keyword slugs (`text::slugify`), sorted, deduplicated.
    pub keywords: Vec<String>,
    pub licence: String,
    pub modified: Option<String>,
}

impl SearchDoc {
    pub fn texts(&self, class: Class) -> &[String] {
        self.texts.iter().find(|(c, _)| *c == class).map(|(_, t)| t.as_slice()).unwrap_or(&[])
    }
}

fn both(t: &Text) -> Vec<String> {
    let mut v = vec![t.vi.clone()];
    v.extend(t.en.clone());
    v
}

/// The searchable datasets, in Vietnamese order of their title (their number in the
/// browser index, so ties list alphabetically).
pub fn documents(portal: &Portal) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = portal
        .datasets
        .iter()
        .filter(|d| d.status == Status::Active)
        .map(|d| {
            let publisher_name = portal
                .publishers
                .get(&d.publisher.value)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| Text::new(d.publisher.value.clone(), None));
            let theme_names: Vec<Text> = d
                .themes
                .iter()
                .map(|t| {
                    portal.config.theme(&t.value).map(|x| x.title.clone()).unwrap_or_else(|| Text::new(&t.value, None))
                })
                .collect();
            let mut formats = BTreeSet::new();
            let mut fields = Vec::new();
            let mut description = both(&d.description);
            for r in &d.resources {
                description.extend(both(&r.title));
                description.extend(r.description.iter().flat_map(both));
                match &r.kind {
                    ResourceKind::File(f) => {
                        formats.insert(f.format.clone());
                        for field in f.schema.iter().flat_map(|s| &s.fields) {
                            fields.push(field.name.value.clone());
                            fields.extend(both(&field.title));
                            fields.extend(field.description.iter().flat_map(both));
                        }
                    }
                    ResourceKind::Service(_) => {
                        formats.insert("API".to_string());
                    }
                }
            }
            let keywords: BTreeSet<String> = d.keywords.iter().map(|k| slugify(k)).filter(|s| !s.is_empty()).collect();
            SearchDoc {
                id: d.id.clone(),
                title: d.title.clone(),
                texts: vec![
                    (Class::Title, both(&d.title)),
                    (Class::Keywords, d.keywords.clone()),
                    (Class::Publisher, both(&publisher_name)),
                    (Class::Themes, theme_names.iter().flat_map(both).collect()),
                    (Class::Fields, fields),
                    (Class::Description, description),
                ],
                publisher: d.publisher.value.clone(),
                publisher_name,
                themes: d.themes.iter().map(|t| t.value.clone()).collect(),
                theme_names,
                formats: formats.into_iter().collect(),
                keywords: keywords.into_iter().collect(),
                licence: d.license.value.clone(),
                modified: d.modified.clone().or_else(|| d.issued.clone()),
            }
        })
        .collect();
    docs.sort_by_cached_key(|d| (sort_key(&d.title.vi), d.id.clone()));
    docs
}
