//! Fingerprints of build jobs: a SHA-256 over the generator version and the hashes of the
//! inputs a job declares ([`Input`]). Input hashes are computed once per build from the loaded,
//! validated portal (whose data-file facts carry the data's content hash) and from the theme's
//! files, so fingerprinting 30,000 jobs costs a few hashes each.
//!
//! A job kind that declares nothing finer depends on [`Input::Portal`]: everything. That is the
//! conservative default for new job kinds (issue 7: "depends on the whole portal").

use super::{FileHashes, GENERATOR};
use crate::model::{Portal, ResourceKind};
use crate::render::Renderer;
use crate::validate::table::hex;
use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Something a job's output depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// Everything: config, theme, content, every publisher and dataset.
    Portal,
    /// portal.toml as loaded, the effective base URL (`--base-url`), the build date and the
    /// notices (issue 6).
    Config,
    /// The theme's templates, translations, static files and the footer's machine links.
    Theme,
    /// Every content page (menus, the terms link and localised links read them from any page).
    Content,
    /// One publisher file.
    Publisher(String),
    /// One dataset as loaded and validated (metadata, dictionary, data-file facts), with its
    /// git history and freshness (issue 6).
    Dataset(String),
    /// One resource of a dataset (its description and its file's facts).
    Resource { dataset: String, resource: String },
    /// The bytes of a file outside the portal model (a theme asset).
    File(PathBuf),
    /// The datasets carrying a keyword (by its slug), with their publishers: a keyword page.
    Keyword(String),
    /// Which datasets a publisher has and their `issued` dates (a CKAN organization's package
    /// count and creation date).
    PublisherDatasets(String),
    /// Which datasets a theme has (a CKAN group's package count).
    ThemeDatasets(String),
    /// The datasets a publisher's page lists, with their publisher: the page's cards.
    PublisherListing(String),
    /// The datasets a theme's page lists, with their publishers.
    ThemeListing(String),
    /// Free-form text that must change the fingerprint when it changes (e.g. an output path).
    Text(String),
}

/// One dataset's input hashes: [`Input::Dataset`]'s, and each resource's (id, hash) in order.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetHashes {
    pub dataset: String,
    pub resources: Vec<(String, String)>,
}

/// The hashes of a dataset known from `odp serve`'s last build (see `cache::carry`), given the
/// freshness and history it has now.
pub type KnownHashes<'a> = dyn Fn(&crate::model::Dataset, Option<&crate::freshness::Freshness>, &[crate::history::Entry]) -> Option<DatasetHashes>
    + Sync
    + 'a;

/// Hashes of the inputs of one build.
pub struct InputHashes {
    config: String,
    theme: String,
    content: String,
    publishers: HashMap<String, String>,
    datasets: HashMap<String, String>,
    resources: HashMap<(String, String), String>,
    keywords: HashMap<String, String>,
    by_publisher: HashMap<String, String>,
    by_theme: HashMap<String, String>,
    publisher_listings: HashMap<String, String>,
    theme_listings: HashMap<String, String>,
    portal: String,
}

fn sha(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

fn debug_hash(v: &impl std::fmt::Debug) -> String {
    sha(&[format!("{v:?}").as_bytes()])
}

/// SHA-256 straight from a serializer: no intermediate string.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hash of a dataset or resource through its JSON serialization (issue 7): several times
/// cheaper than `Debug` (which checks every Vietnamese character for printability) and blind
/// to source positions (`At::pos`), which no output shows, so a line added above a resource
/// no longer reruns its copies. The one other field serde skips, a file's source encoding,
/// is added by `encodings`.
fn content_hash(
    prefix: &[u8],
    v: &impl serde::Serialize,
    encodings: &[Option<crate::validate::encoding::Encoding>],
) -> String {
    let mut w = HashWriter(Sha256::new());
    w.0.update((prefix.len() as u64).to_le_bytes());
    w.0.update(prefix);
    serde_json::to_writer(&mut w, v).expect("the model serializes");
    w.0.update(format!("{encodings:?}"));
    hex(&w.0.finalize())
}

fn encodings<'r>(
    resources: impl IntoIterator<Item = &'r crate::model::Resource>,
) -> Vec<Option<crate::validate::encoding::Encoding>> {
    resources
        .into_iter()
        .map(|r| match &r.kind {
            ResourceKind::File(f) => f.facts.as_ref().and_then(|x| x.encoding),
            ResourceKind::Service(_) => None,
        })
        .collect()
}

impl InputHashes {
    /// Hashes everything a job may declare, in parallel over datasets; a dataset `known`
    /// answers for is not hashed again.
    pub fn compute(
        portal: &Portal,
        renderer: &Renderer,
        files: &FileHashes,
        known: Option<&KnownHashes<'_>>,
    ) -> Result<InputHashes> {
        // The build date and notices (issue 6) show on every page (banners, badges): they count
        // as configuration. A dataset's history and freshness count as part of the dataset, so
        // a new commit re-renders only the datasets it touched.
        let t = &portal.timeline;
        let config = debug_hash(&(
            &portal.config,
            &t.as_of,
            &t.as_of_source,
            &t.history.availability,
            &t.history.notices_added,
            &portal.notices,
        ));
        let mut theme = Sha256::new();
        for entry in walkdir::WalkDir::new(renderer.theme_dir()).sort_by_file_name() {
            let entry = entry.with_context(|| format!("failed to list `{}`", renderer.theme_dir().display()))?;
            if entry.file_type().is_file() {
                let h =
                    files.hash(entry.path()).with_context(|| format!("failed to read `{}`", entry.path().display()))?;
                theme.update(entry.path().to_string_lossy().as_bytes());
                theme.update(h);
            }
        }
        theme.update(format!("{:?}", renderer.machine_links()));
        let theme = hex(&theme.finalize());
        let content = debug_hash(&portal.pages);
        let publishers: HashMap<String, String> =
            portal.publishers.iter().map(|(id, p)| (id.clone(), debug_hash(p))).collect();
        type ResourceHashes = Vec<((String, String), String)>;
        let per_dataset: Vec<(String, String, ResourceHashes)> = portal
            .datasets
            .par_iter()
            .with_max_len(32)
            .map(|d| {
                let (freshness, history) = (portal.timeline.of(&d.id), portal.timeline.history.of(&d.id));
                if let Some(h) = known.and_then(|k| k(d, freshness, history)) {
                    let res = h.resources.into_iter().map(|(r, hash)| ((d.id.clone(), r), hash)).collect();
                    return (d.id.clone(), h.dataset, res);
                }
                let res = d
                    .resources
                    .iter()
                    .map(|r| ((d.id.clone(), r.id.clone()), content_hash(d.dir.as_bytes(), r, &encodings([r]))))
                    .collect();
                let dated = (d, freshness, history);
                (d.id.clone(), content_hash(b"", &dated, &encodings(&d.resources)), res)
            })
            .collect();
        let mut datasets = HashMap::new();
        let mut resources = HashMap::new();
        let mut all = Sha256::new();
        all.update(&config);
        all.update(&theme);
        all.update(&content);
        for (id, h) in portal.publishers.keys().map(|id| (id, &publishers[id])) {
            all.update(id);
            all.update(h);
        }
        for (id, h, res) in per_dataset {
            all.update(&id);
            all.update(&h);
            datasets.insert(id, h);
            resources.extend(res);
        }
        // Keyword groups as the pages use them (computed once per portal).
        let keywords = crate::render::keyword_index(portal)
            .iter()
            .map(|(slug, (_, indexes))| {
                let mut k = Sha256::new();
                for &i in indexes {
                    let d = &portal.datasets[i];
                    k.update(&d.id);
                    k.update(&datasets[&d.id]);
                    k.update(publishers.get(&d.publisher.value).map_or("missing", String::as_str));
                }
                (slug.clone(), hex(&k.finalize()))
            })
            .collect();
        // Per publisher and per theme, what CKAN's organization and group objects show of their
        // datasets (which ones, and the earliest `issued`), once; not the whole datasets, or a
        // title edit would rerun the API file of every dataset sharing a theme.
        // And what their pages list: each dataset whole, with its publisher. Gathered here once
        // rather than by each page's job (400 publisher pages, each going through 10,000
        // datasets, took 34 ms of CPU before `odp serve` could reload an edited page; issue 7).
        let mut by_publisher: BTreeMap<&str, Sha256> = BTreeMap::new();
        let mut by_theme: BTreeMap<&str, Sha256> = BTreeMap::new();
        let mut publisher_listings: BTreeMap<&str, Sha256> = BTreeMap::new();
        let mut theme_listings: BTreeMap<&str, Sha256> = BTreeMap::new();
        for d in &portal.datasets {
            let p = by_publisher.entry(d.publisher.value.as_str()).or_default();
            p.update(sha(&[d.id.as_bytes(), d.issued.as_deref().unwrap_or("").as_bytes()]));
            let publisher = publishers.get(&d.publisher.value).map_or("missing", String::as_str);
            let card = sha(&[d.id.as_bytes(), datasets[&d.id].as_bytes(), publisher.as_bytes()]);
            publisher_listings.entry(d.publisher.value.as_str()).or_default().update(&card);
            for t in &d.themes {
                by_theme.entry(t.value.as_str()).or_default().update(sha(&[d.id.as_bytes()]));
                theme_listings.entry(t.value.as_str()).or_default().update(&card);
            }
        }
        let finish = |m: BTreeMap<&str, Sha256>| -> HashMap<String, String> {
            m.into_iter().map(|(k, h)| (k.to_string(), hex(&h.finalize()))).collect()
        };
        Ok(InputHashes {
            config,
            theme,
            content,
            publishers,
            datasets,
            resources,
            keywords,
            by_publisher: finish(by_publisher),
            by_theme: finish(by_theme),
            publisher_listings: finish(publisher_listings),
            theme_listings: finish(theme_listings),
            portal: hex(&all.finalize()),
        })
    }

    /// When every portal-level input (config, theme, content, publishers, publishers' and
    /// themes' memberships) hashes as in `before`: the datasets whose hash differs from
    /// `before`'s, appeared or disappeared. `None` when a portal-level input changed.
    pub fn changed_datasets(&self, before: &InputHashes) -> Option<std::collections::HashSet<String>> {
        let same = self.config == before.config
            && self.theme == before.theme
            && self.content == before.content
            && self.publishers == before.publishers
            && self.by_publisher == before.by_publisher
            && self.by_theme == before.by_theme;
        if !same {
            return None;
        }
        let changed = self.datasets.iter().filter(|(id, h)| before.datasets.get(*id) != Some(*h)).map(|(id, _)| id);
        let gone = before.datasets.keys().filter(|id| !self.datasets.contains_key(*id));
        Some(changed.chain(gone).cloned().collect())
    }

    /// The hashes computed for `d` (for `odp serve`'s carry).
    pub fn of_dataset(&self, d: &crate::model::Dataset) -> Option<DatasetHashes> {
        let dataset = self.datasets.get(&d.id)?.clone();
        let resources = d
            .resources
            .iter()
            .map(|r| Some((r.id.clone(), self.resources.get(&(d.id.clone(), r.id.clone()))?.clone())))
            .collect::<Option<_>>()?;
        Some(DatasetHashes { dataset, resources })
    }

    /// The fingerprint of a job with these inputs: generator version + each input's hash.
    /// An input that no longer exists hashes as "missing", which differs from any content.
    pub fn fingerprint(&self, inputs: &[Input], files: &FileHashes) -> String {
        // Each input as a tag, its length-prefixed names and its length-prefixed hash:
        // unambiguous, with no formatting or copying (90,000 jobs per build at 10,000 datasets).
        fn put(h: &mut Sha256, tag: u8, names: &[&[u8]], hash: &str) {
            h.update([tag]);
            for part in names.iter().chain([&hash.as_bytes()]) {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        fn or_missing(hash: Option<&String>) -> &str {
            hash.map_or("missing", String::as_str)
        }
        let mut h = Sha256::new();
        h.update(GENERATOR);
        for input in inputs {
            match input {
                Input::Portal => put(&mut h, 0, &[], &self.portal),
                Input::Config => put(&mut h, 1, &[], &self.config),
                Input::Theme => put(&mut h, 2, &[], &self.theme),
                Input::Content => put(&mut h, 3, &[], &self.content),
                Input::Publisher(id) => put(&mut h, 4, &[id.as_bytes()], or_missing(self.publishers.get(id))),
                Input::Dataset(id) => put(&mut h, 5, &[id.as_bytes()], or_missing(self.datasets.get(id))),
                Input::Resource { dataset, resource } => {
                    let hash = self.resources.get(&(dataset.clone(), resource.clone()));
                    put(&mut h, 6, &[dataset.as_bytes(), resource.as_bytes()], or_missing(hash))
                }
                Input::Keyword(slug) => put(&mut h, 7, &[slug.as_bytes()], or_missing(self.keywords.get(slug))),
                Input::PublisherDatasets(id) => {
                    put(&mut h, 8, &[id.as_bytes()], self.by_publisher.get(id).map_or("none", String::as_str))
                }
                Input::ThemeDatasets(id) => {
                    put(&mut h, 9, &[id.as_bytes()], self.by_theme.get(id).map_or("none", String::as_str))
                }
                Input::PublisherListing(id) => {
                    put(&mut h, 12, &[id.as_bytes()], self.publisher_listings.get(id).map_or("none", String::as_str))
                }
                Input::ThemeListing(id) => {
                    put(&mut h, 13, &[id.as_bytes()], self.theme_listings.get(id).map_or("none", String::as_str))
                }
                Input::File(path) => {
                    let hash = files.hash(path).unwrap_or_else(|_| "missing".into());
                    put(&mut h, 10, &[path.as_os_str().as_encoded_bytes()], &hash)
                }
                Input::Text(t) => put(&mut h, 11, &[], t),
            }
        }
        hex(&h.finalize())
    }
}

/// A dataset by id (the portal keeps them sorted by id).
pub fn find<'p>(portal: &'p Portal, id: &str) -> Option<&'p crate::model::Dataset> {
    match portal.datasets.binary_search_by(|d| d.id.as_str().cmp(id)) {
        Ok(i) => Some(&portal.datasets[i]),
        Err(_) => portal.dataset(id),
    }
}

/// The ids of the datasets `d`'s dictionary references (their titles and links appear on its
/// pages), sorted, each once.
pub fn referenced(d: &crate::model::Dataset) -> Vec<&str> {
    let mut ids: Vec<&str> = d
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::File(f) => Some(f),
            ResourceKind::Service(_) => None,
        })
        .flat_map(|f| f.schema.iter().flat_map(|s| &s.fields))
        .filter_map(|field| field.references.as_ref().map(|fr| fr.value.dataset.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Appends the datasets `d`'s dictionary references (their titles and links appear on its
/// pages), each once, in id order.
pub fn push_referenced(inputs: &mut Vec<Input>, d: Option<&crate::model::Dataset>) {
    let Some(d) = d else { return };
    inputs.extend(referenced(d).into_iter().map(|id| Input::Dataset(id.to_string())));
}
