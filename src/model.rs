//! The portal as odp understands it once loaded: configuration, publishers, pages and datasets
//! with their resources and data dictionaries. Values here are already checked for shape;
//! cross-references (publisher, theme, licence, code lists) are checked by `validate`.

use crate::diag::Pos;
use serde::Serialize;
use std::collections::BTreeMap;

/// A value with the place it was written, for diagnostics found after loading.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct At<T> {
    pub value: T,
    #[serde(skip)]
    pub pos: Pos,
}

impl<T> At<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        At { value, pos }
    }
}

/// Text in Vietnamese (always) and English (optional; English pages fall back to Vietnamese).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Text {
    pub vi: String,
    pub en: Option<String>,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: Option<String>) -> Self {
        Text { vi: vi.into(), en }
    }

    /// The text in `lang`, falling back to Vietnamese.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => self.en.as_deref().unwrap_or(&self.vi),
        }
    }
}

/// The two languages of the site. Vietnamese is the default, English lives under `/en/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The URL path prefix of this language's pages, relative to the site root.
    pub fn url_prefix(self) -> &'static str {
        match self {
            Lang::Vi => "",
            Lang::En => "en/",
        }
    }
}

/// `portal.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct PortalConfig {
    pub title: Text,
    pub description: Text,
    /// Absolute base URL, always ending in `/`, e.g. `https://example.gov.vn/du-lieu/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending in `/` (`/` or `/du-lieu/`).
    pub path_prefix: String,
    pub languages: Vec<Lang>,
    pub default_license: String,
    pub footer: Option<Text>,
    pub themes: Vec<Theme>,
    pub licenses: Vec<License>,
    /// Labels of the fixed update-frequency vocabulary, in `FREQUENCIES` order.
    pub frequencies: Vec<Frequency>,
    /// `[freshness]`: how due dates are computed (issue 6).
    pub freshness: crate::freshness::Config,
}

impl PortalConfig {
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }
    pub fn license(&self, id: &str) -> Option<&License> {
        self.licenses.iter().find(|l| l.id == id)
    }
    pub fn frequency(&self, id: &str) -> Option<&Frequency> {
        self.frequencies.iter().find(|f| f.id == id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: String,
    pub title: Text,
    pub description: Option<Text>,
    /// EU data-theme code for DCAT-AP (e.g. `GOVE`).
    pub dcat: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct License {
    pub id: String,
    pub title: Text,
    /// A site path (`/terms/`) or an absolute URL.
    pub url: String,
    pub spdx: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Frequency {
    pub id: String,
    pub title: Text,
}

/// Built-in labels of the update frequencies (DESIGN.md's vocabulary).
pub fn default_frequency_title(id: &str) -> Text {
    let (vi, en) = match id {
        "daily" => ("Hằng ngày", "Daily"),
        "weekly" => ("Hằng tuần", "Weekly"),
        "monthly" => ("Hằng tháng", "Monthly"),
        "quarterly" => ("Hằng quý", "Quarterly"),
        "semiannual" => ("Sáu tháng một lần", "Every six months"),
        "annual" => ("Hằng năm", "Annual"),
        "irregular" => ("Không định kỳ", "Irregular"),
        _ => ("Không cập nhật", "Not updated"),
    };
    Text::new(vi, Some(en.to_string()))
}

/// The contact point (đầu mối) of an agency or a dataset (001 Art. 20.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactPoint {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// `content/publishers/<id>.md`: an agency that publishes datasets.
#[derive(Debug, Clone, Serialize)]
pub struct Publisher {
    pub id: String,
    pub name: Text,
    pub website: Option<String>,
    pub contact: ContactPoint,
    /// Markdown body of the file.
    pub description: String,
    /// Repository-relative path of the file.
    pub source: String,
}

/// A Markdown page of `content/`.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// URL slug relative to the language root: `about`, `guide/agencies`.
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub description: Option<String>,
    pub menu: Option<i64>,
    pub body: String,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Deprecated,
    Withdrawn,
}

/// `datasets/<id>/dataset.toml` plus what the folder holds.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    pub id: String,
    /// Repository-relative path of dataset.toml.
    pub source: String,
    /// Repository-relative folder of the dataset (`datasets/<id>`).
    pub dir: String,
    pub title: Text,
    /// Markdown; from `description` or the README.md beside dataset.toml.
    pub description: Text,
    /// The README.md beside dataset.toml, if any (shipped in the package).
    pub readme: Option<String>,
    pub publisher: At<String>,
    pub themes: Vec<At<String>>,
    pub frequency: At<String>,
    pub keywords: Vec<String>,
    /// Licence id; the portal's default when the dataset names none.
    pub license: At<String>,
    pub issued: Option<String>,
    pub modified: Option<String>,
    pub spatial: Option<String>,
    pub temporal: Option<Temporal>,
    pub version: Option<String>,
    pub rights: Option<String>,
    pub status: Status,
    pub status_reason: Option<String>,
    pub status_date: Option<String>,
    pub aliases: Vec<At<String>>,
    pub contact: Option<ContactPoint>,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Temporal {
    pub start: String,
    pub end: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub id: String,
    pub title: Text,
    pub description: Option<Text>,
    pub kind: ResourceKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ResourceKind {
    File(FileResource),
    Service(ServiceResource),
}

/// A file in the dataset folder, published at `/datasets/<id>/<resource-id>.<ext>`.
#[derive(Debug, Clone, Serialize)]
pub struct FileResource {
    /// Path relative to the dataset folder, `/`-separated, checked to stay inside it.
    pub path: At<String>,
    /// Upper-case format name: CSV, TSV, JSON, GEOJSON, XLSX, XML, PDF, DOCX, PNG…
    pub format: String,
    /// Lower-case file extension used for the published file name.
    pub extension: String,
    pub schema: Option<Schema>,
    /// The worksheet of an XLSX table (default: the first visible one).
    pub sheet: Option<String>,
    /// Facts computed from the bytes during validation.
    pub facts: Option<FileFacts>,
}

impl FileResource {
    /// A table odp reads row by row: CSV and TSV always; JSON (an array of objects) and XLSX
    /// when they come with a data dictionary.
    pub fn is_tabular(&self) -> bool {
        match self.format.as_str() {
            "CSV" | "TSV" => true,
            "JSON" | "XLSX" => self.schema.is_some(),
            _ => false,
        }
    }
}

/// What odp learned by reading a data file once, streaming.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileFacts {
    pub bytes: u64,
    pub sha256: String,
    /// Data rows (header excluded), for tables.
    pub rows: Option<u64>,
    /// The header and the first rows, for the page's preview.
    pub preview: Vec<Vec<String>>,
    /// Per column (dictionary order), how many rows leave it empty.
    pub empty_counts: Vec<u64>,
    /// The text encoding the file arrived in; `None` for files published byte for byte (PDF, XLSX…).
    /// Text files are published decoded: UTF-8, NFC, no BOM (issue 3 §2).
    #[serde(skip)]
    pub encoding: Option<crate::validate::encoding::Encoding>,
    /// The field separator of a CSV file, when it is not `,` (vi-VN Excel writes `;`).
    pub delimiter: Option<char>,
    /// Columns that look like personal data but are declared public (`public_reason`), shown on
    /// the dataset page so readers see the declared choice (002 Art. 24.1.b).
    pub declared_public: Vec<DeclaredPublic>,
    /// The format copies written beside the file (issue 5), filled by the build's first phase.
    pub copies: Vec<CopyFacts>,
    /// The bytes as published, kept from validation's read when the file is small
    /// (`validate::published`): the build publishes them instead of reading the file again.
    #[serde(skip)]
    pub published: crate::validate::published::Published,
}

/// One format copy of a table (`<resource>.json`, `.csv`, `.excel.csv`, `.xlsx`, `.xml`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CopyFacts {
    /// Published file name, beside the original: `provinces.json`.
    pub file_name: String,
    /// Upper-case format name: JSON, CSV, XLSX, XML.
    pub format: String,
    /// `utf-8-sig` for the CSV with a byte-order mark, else `None`.
    pub encoding: Option<String>,
    pub bytes: u64,
    pub sha256: String,
}

/// A personal-data finding the agency has declared public, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclaredPublic {
    pub column: String,
    pub kind_vi: String,
    pub kind_en: String,
    pub reason: String,
}

/// A data dictionary (002 Art. 17): one entry per column.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    pub fields: Vec<Field>,
    pub primary_key: Vec<At<String>>,
    pub decimal_char: Option<String>,
    pub group_char: Option<String>,
    /// Where the dictionary was written (dataset.toml or a Table Schema JSON file).
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: At<String>,
    pub title: Text,
    pub description: Option<Text>,
    pub ty: FieldType,
    pub format: Option<String>,
    pub unit: Option<String>,
    pub required: bool,
    pub unique: bool,
    #[serde(rename = "enum")]
    pub enum_values: Vec<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub pattern: Option<String>,
    pub references: Option<At<FieldRef>>,
    pub public_reason: Option<String>,
}

/// A minimum or maximum: a number, or a date for date fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Bound {
    Number(f64),
    Date(String),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Number(n) => write!(f, "{n}"),
            Bound::Date(d) => f.write_str(d),
        }
    }
}

/// A reference from a field to a code-list field (danh mục dùng chung) of any dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRef {
    pub dataset: String,
    pub resource: String,
    pub field: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    Year,
    Geopoint,
}

impl FieldType {
    pub const NAMES: &'static [&'static str] =
        &["string", "integer", "number", "boolean", "date", "datetime", "year", "geopoint"];

    pub fn parse(s: &str) -> Option<FieldType> {
        Some(match s {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "datetime" => FieldType::Datetime,
            "year" => FieldType::Year,
            "geopoint" => FieldType::Geopoint,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A data service (API) published elsewhere, described by the fields of 002 Art. 16.4.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceResource {
    pub url: String,
    pub provider: Option<String>,
    pub sharing: Option<String>,
    pub data_structure: Option<String>,
    pub connection_model: Option<String>,
    pub method: Option<String>,
    pub requirements: Option<String>,
    pub documentation: Option<String>,
}

/// Everything loaded from the repository.
#[derive(Debug, Clone)]
pub struct Portal {
    pub config: PortalConfig,
    pub publishers: BTreeMap<String, Publisher>,
    pub pages: Vec<Page>,
    /// Sorted by id.
    pub datasets: Vec<Dataset>,
    /// `content/notices/*.md`, sorted by file name (issue 6).
    pub notices: Vec<crate::notices::Notice>,
    /// Build date, git history and freshness, filled after validation (issue 6).
    pub timeline: crate::timeline::Timeline,
    /// Lookups computed from the datasets on first use.
    pub derived: Derived,
}

/// Lookups computed once from a [`Portal`]'s datasets: a keyword page would otherwise regroup
/// every dataset's keywords, which made portals with many keywords quadratic to build.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// Keyword slug → (label as most datasets spell it, indexes into `Portal::datasets`).
    pub keyword_groups: std::sync::OnceLock<BTreeMap<String, (String, Vec<usize>)>>,
    /// Publisher id → (its datasets, their earliest `issued`), and theme id → its datasets: the
    /// package counts CKAN shows in every package (issue 5), counted once, not per package.
    pub memberships: std::sync::OnceLock<Memberships>,
    /// Per-agency figures (issue 6 §3): every publisher page shows its agency's, and computing
    /// them per page was 5% of a 5,000-dataset build. They read `Portal::timeline`, so they are
    /// first asked for while rendering, after the timeline is set.
    pub agency_stats: std::sync::OnceLock<Vec<crate::accountability::AgencyStats>>,
    /// The newest `modified` (else `issued`) of any dataset: the catalogue's `modified`.
    pub portal_modified: std::sync::OnceLock<Option<String>>,
    /// Per language (`Lang as usize`), every listed dataset's listing item as the templates see
    /// it, with its index in `Portal::datasets`, in Vietnamese order of its title. Each listing
    /// page (all, by status, publisher, theme, keyword, search) filters it: building and
    /// converting the items per page was a tenth of a 5,000-dataset build (issue 7). A portal is
    /// rendered by one theme, whose strings the items hold.
    pub listing_items: [std::sync::OnceLock<Vec<(usize, tera::Value)>>; 2],
    /// Per language, the parts of the page frame that every page of that language shares,
    /// converted to template values once (issue 7: building them per page, the footer's
    /// Markdown included, was a tenth of the time spent rendering pages). Like the listing items,
    /// it holds one theme's and one base URL's links: a portal is rendered with one of each.
    pub page_frame: [std::sync::OnceLock<PageFrame>; 2],
}

/// See [`Derived::page_frame`].
#[derive(Debug, Clone)]
pub struct PageFrame {
    /// The template's `site`: portal title, links of the header and footer, feeds.
    pub site: tera::Value,
    /// The template's `nav` on a dataset's pages (the datasets section active, no item current).
    pub dataset_nav: tera::Value,
}

/// How many datasets each publisher and theme has (see [`Derived::memberships`]).
#[derive(Debug, Clone, Default)]
pub struct Memberships {
    pub publishers: BTreeMap<String, (usize, Option<String>)>,
    pub themes: BTreeMap<String, usize>,
}

impl Portal {
    /// [`Memberships`] of this portal, counted on first use.
    pub fn memberships(&self) -> &Memberships {
        self.derived.memberships.get_or_init(|| {
            let mut m = Memberships::default();
            for d in &self.datasets {
                let (n, first) = m.publishers.entry(d.publisher.value.clone()).or_default();
                *n += 1;
                if let Some(issued) = &d.issued
                    && first.as_ref().is_none_or(|f| issued < f)
                {
                    *first = Some(issued.clone());
                }
                for t in &d.themes {
                    *m.themes.entry(t.value.clone()).or_default() += 1;
                }
            }
            m
        })
    }

    /// [`crate::accountability::agency_stats`] of this portal, computed on first use.
    pub fn agency_stats(&self) -> &[crate::accountability::AgencyStats] {
        self.derived.agency_stats.get_or_init(|| crate::accountability::agency_stats(self))
    }

    pub fn new(
        config: PortalConfig,
        publishers: BTreeMap<String, Publisher>,
        pages: Vec<Page>,
        datasets: Vec<Dataset>,
        notices: Vec<crate::notices::Notice>,
    ) -> Portal {
        Portal {
            config,
            publishers,
            pages,
            datasets,
            notices,
            timeline: Default::default(),
            derived: Derived::default(),
        }
    }

    /// Binary search: every page looks up datasets by id (alternates, links), so a linear scan
    /// made a 5,000-dataset build quadratic.
    pub fn dataset(&self, id: &str) -> Option<&Dataset> {
        self.datasets.binary_search_by(|d| d.id.as_str().cmp(id)).ok().map(|i| &self.datasets[i])
    }
}
