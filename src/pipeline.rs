//! The stages in order, shared by `odp check`, `odp build` and (later) `odp serve`:
//! `load → validate → plan → execute`. `plan` lists every output file as a [`Job`];
//! `execute` runs the jobs in parallel into a staging folder and publishes it only when all
//! succeeded. Each job declares its inputs ([`Job::inputs`]); with a [`BuildCache`] a job whose
//! fingerprint and outputs are unchanged since the last build is skipped and its files reused
//! (issue 7), so `odp build` and `odp serve` share one path and differ only in the cache.

use crate::cache::carry::Before;
use crate::cache::fingerprint::{Input, InputHashes, find, push_referenced};
use crate::cache::sources::Stamping;
use crate::cache::{BuildCache, JobRecord, LastBuild, Stat};
use crate::diag::Diagnostics;
use crate::model::{CopyFacts, Dataset, Portal, ResourceKind};
use crate::output::Staging;
use crate::package::{self, Source};
use crate::render::{PageKind, Renderer, SitePage, site_pages};
use crate::urls::{self, Site};
use crate::validate::published::PublishedFile;
use crate::{catalog, copies, deploy, load, validate};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Runs `load` and `validate`: everything `odp check` needs.
pub fn check(root: &Path) -> Result<(Option<Portal>, Diagnostics)> {
    check_with(root, &BuildCache::disabled())
}

/// `check`, reusing the cache's data-file analyses for files whose bytes have not changed.
pub fn check_with(root: &Path, cache: &BuildCache) -> Result<(Option<Portal>, Diagnostics)> {
    if cache.reads_everything() {
        load::prefetch::start(root);
    }
    check_with_history(root, cache, None).map(|(portal, diags, _)| (portal, diags))
}

/// `check_with`, given the repository's history when the caller already read it (`odp build`
/// reads it first, for its no-change stamp). Also returns what validation found per dataset
/// (for `odp serve`'s carry) when the portal loaded.
fn check_with_history(
    root: &Path,
    cache: &BuildCache,
    history: Option<crate::history::History>,
) -> Result<(Option<Portal>, Diagnostics, Option<validate::Analysed>)> {
    let carry = cache.carry.as_ref().filter(|_| cache.enabled());
    let (portal, mut diags) = {
        let _t = crate::timings::stage("load");
        let take = |id: &str| carry.and_then(|c| c.take(id));
        let reuse: Option<load::Reuse<'_>> = carry.map(|_| &take as load::Reuse<'_>);
        load::load_reusing(root, cache.loads.as_ref().filter(|_| cache.enabled()), reuse)?
    };
    let analyse = |root: &Path, dir: &str, f: &_, lists: &_, d: &mut Diagnostics| cache.analyse(root, dir, f, lists, d);
    let carried = |id: &str, lists: &validate::codelist::CodeLists| carry.and_then(|c| c.analysis(id, lists));
    let carried: Option<&validate::Carried<'_>> = carry.map(|_| &carried as &validate::Carried<'_>);
    let validated = {
        let _t = crate::timings::stage("validate");
        portal.map(|p| validate::validate_carrying(p, root, &mut diags, &analyse, carried))
    };
    let (mut portal, analysed) = validated.unzip();
    let _t = crate::timings::stage("git history, notices");
    // Issue 6: one `git log` for the whole repository; notices checked against it.
    if let Some(p) = portal.as_mut() {
        p.timeline.history = history.unwrap_or_else(|| crate::history::History::read(root));
        crate::notices::check(p, &p.timeline.history, &mut diags);
    }
    Ok((portal, diags, analysed))
}

/// One output of the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    /// An HTML page.
    Page(SitePage),
    /// A theme asset copied as is.
    Static { rel: String, src: PathBuf },
    /// A data file copied to its fixed URL.
    DataFile { dataset: String, resource: String },
    /// `datapackage.json`, the zip package and `SHA256SUMS` of a dataset.
    Bundle { dataset: String },
    /// `_headers` and `_redirects` for the host.
    Deploy,
    /// The typed format copies of one table (`.json`, `.csv`, `.excel.csv`, `.xlsx`, `.xml`),
    /// run in the first phase because pages and packages list their sizes and hashes (issue 5).
    Copies { dataset: String, resource: String },
    /// A catalogue or API file at `rel` (issue 5): `/api/v1/…`, `/api/3/action/…`,
    /// `data.json`, sitemap, robots.txt, Atom feed. See `catalog::files`.
    Catalog { rel: String },
    /// The DCAT-AP catalogue, `catalog.jsonld` and `catalog.ttl` (issue 5): one job, so each
    /// dataset's graph is built once for both files.
    Dcat,
    /// The browser's search index under `search/` (issue 4).
    SearchIndex,
}

impl Job {
    /// A short stable name, for reports and tests.
    pub fn name(&self) -> String {
        match self {
            Job::Page(p) => format!("page {}", p.output_path()),
            Job::Static { rel, .. } => format!("static {rel}"),
            Job::DataFile { dataset, resource } => format!("file {dataset}/{resource}"),
            Job::Bundle { dataset } => format!("bundle {dataset}"),
            Job::Deploy => "deploy".into(),
            Job::Copies { dataset, resource } => format!("copies {dataset}/{resource}"),
            Job::Catalog { rel } => format!("catalog {rel}"),
            Job::Dcat => "catalog dcat".into(),
            Job::SearchIndex => "search index".into(),
        }
    }

    /// The job's kind, for `ODP_TIMINGS`.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Page(p) => match p.kind {
                PageKind::Dataset(_) => "page: dataset",
                PageKind::DatasetHistory(_) => "page: dataset history",
                PageKind::Datasets | PageKind::Search | PageKind::Home => "page: listing, search, home",
                PageKind::Stats | PageKind::DatasetsByStatus(_) => "page: stats, freshness",
                _ => "page: other",
            },
            Job::Static { .. } => "static",
            Job::DataFile { .. } => "data file",
            Job::Bundle { .. } => "bundle",
            Job::Deploy => "deploy",
            Job::Copies { .. } => "copies",
            Job::Catalog { rel } if catalog_dataset(rel).is_some() => "catalog: per dataset",
            Job::Catalog { .. } | Job::Dcat => "catalog: whole portal",
            Job::SearchIndex => "search index",
        }
    }

    /// A rank of how long the job takes, longest first (0): jobs over the whole portal, the
    /// search index and the DCAT files longest of all; then everything else.
    fn expected_length(&self) -> u8 {
        match self {
            Job::SearchIndex => 0,
            Job::Dcat => 1,
            job if job.is_portal_wide() => 2,
            _ => 3,
        }
    }

    /// True for jobs whose output sums up many datasets (listings, search, catalogues, stats):
    /// the slow ones after a one-dataset edit, which `odp serve` runs after the rest.
    pub fn is_portal_wide(&self) -> bool {
        match self {
            Job::Page(p) => !matches!(
                p.kind,
                PageKind::Dataset(_)
                    | PageKind::DatasetHistory(_)
                    | PageKind::Publisher(_)
                    | PageKind::Content(_)
                    | PageKind::NotFound
            ),
            Job::Catalog { rel } => catalog_dataset(rel).is_none(),
            Job::SearchIndex | Job::Deploy | Job::Dcat => true,
            Job::Static { .. } | Job::DataFile { .. } | Job::Bundle { .. } | Job::Copies { .. } => false,
        }
    }

    /// The dataset this job is one of the outputs of (its pages, files, package, API files):
    /// its inputs are that dataset, the datasets it references and portal-level inputs
    /// (config, theme, content, publishers, memberships). `None` for every other job.
    pub fn dataset_scope(&self) -> Option<&str> {
        match self {
            Job::Page(p) => match &p.kind {
                PageKind::Dataset(id) | PageKind::DatasetHistory(id) => Some(id),
                _ => None,
            },
            Job::DataFile { dataset, .. } | Job::Bundle { dataset } | Job::Copies { dataset, .. } => Some(dataset),
            Job::Catalog { rel } => catalog_dataset(rel),
            Job::Static { .. } | Job::Deploy | Job::SearchIndex | Job::Dcat => None,
        }
    }

    /// What the job's output depends on, for the build cache. Kinds that declare nothing finer
    /// depend on [`Input::Portal`] (everything), which is always correct, only slower.
    pub fn inputs(&self, portal: &Portal) -> Vec<Input> {
        // One vector per job, filled in place: this runs for every job of every build (90,000
        // at 10,000 datasets, before `odp serve` can reload the edited page).
        let page = |capacity: usize| {
            let mut v = Vec::with_capacity(capacity + 3);
            v.extend([Input::Config, Input::Theme, Input::Content]);
            v
        };
        match self {
            Job::Page(p) => match &p.kind {
                PageKind::Dataset(id) | PageKind::DatasetHistory(id) => {
                    let d = find(portal, id);
                    let mut v = page(3);
                    v.push(Input::Dataset(id.clone()));
                    v.extend(d.map(|d| Input::Publisher(d.publisher.value.clone())));
                    push_referenced(&mut v, d);
                    v
                }
                PageKind::Publisher(id) => {
                    let mut v = page(2);
                    v.extend([Input::Publisher(id.clone()), Input::PublisherListing(id.clone())]);
                    v
                }
                PageKind::Theme(id) => {
                    let mut v = page(1);
                    v.push(Input::ThemeListing(id.clone()));
                    v
                }
                PageKind::Keyword(slug) => {
                    let mut v = page(1);
                    v.push(Input::Keyword(slug.clone()));
                    v
                }
                PageKind::Content(_) | PageKind::NotFound => page(0),
                _ => vec![Input::Portal],
            },
            Job::Static { src, .. } => vec![Input::File(src.clone())],
            // The copies are made from the resource (its file's facts, its dictionary) and the
            // dataset's date (the XLSX's zip entries carry it); a title edit leaves them alone.
            Job::Copies { dataset, resource } => {
                let date = find(portal, dataset).map(|d| format!("{:?}", package::zip_date(d)));
                vec![
                    Input::Resource { dataset: dataset.clone(), resource: resource.clone() },
                    Input::Text(format!("zip date {}", date.unwrap_or_default())),
                ]
            }
            // A dataset's own API files (CKAN package_show, API v1): the dataset, the config
            // (licences, themes, base URL), what it references, and its publisher and themes
            // with all their datasets (CKAN shows organization and group package counts).
            Job::Catalog { rel } if catalog_dataset(rel).is_some() => {
                let id = catalog_dataset(rel).unwrap_or_default();
                let mut inputs = Vec::with_capacity(6);
                inputs.extend([Input::Config, Input::Dataset(id.to_string())]);
                let d = find(portal, id);
                if let Some(d) = d {
                    inputs.push(Input::Publisher(d.publisher.value.clone()));
                    inputs.push(Input::PublisherDatasets(d.publisher.value.clone()));
                    inputs.extend(d.themes.iter().map(|t| Input::ThemeDatasets(t.value.clone())));
                }
                push_referenced(&mut inputs, d);
                inputs
            }
            Job::DataFile { dataset, resource } => {
                vec![Input::Resource { dataset: dataset.clone(), resource: resource.clone() }]
            }
            Job::Bundle { dataset } => {
                let d = find(portal, dataset);
                let mut inputs = Vec::with_capacity(5);
                inputs.extend([Input::Config, Input::Content, Input::Dataset(dataset.clone())]);
                inputs.extend(d.map(|d| Input::Publisher(d.publisher.value.clone())));
                push_referenced(&mut inputs, d);
                inputs
            }
            #[allow(unreachable_patterns)] // job kinds added later start here: depend on everything
            _ => vec![Input::Portal],
        }
    }
}

/// The dataset id of a per-dataset catalogue file (`api/3/action/package_show/<id>`,
/// `api/v1/datasets/<id>.json`).
fn catalog_dataset(rel: &str) -> Option<&str> {
    rel.strip_prefix("api/3/action/package_show/")
        .or_else(|| rel.strip_prefix("api/v1/datasets/").and_then(|r| r.strip_suffix(".json")))
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// Every output file of the portal, in a stable order.
pub fn plan(portal: &Portal, renderer: &Renderer) -> Result<Vec<Job>> {
    let mut jobs: Vec<Job> = site_pages(portal).into_iter().map(Job::Page).collect();
    for (rel, src) in renderer.static_files()? {
        jobs.push(Job::Static { rel, src });
    }
    for d in &portal.datasets {
        for r in &d.resources {
            if let ResourceKind::File(f) = &r.kind {
                jobs.push(Job::DataFile { dataset: d.id.clone(), resource: r.id.clone() });
                if copies::has_copies(&r.id, f) {
                    jobs.push(Job::Copies { dataset: d.id.clone(), resource: r.id.clone() });
                }
            }
        }
        jobs.push(Job::Bundle { dataset: d.id.clone() });
    }
    jobs.push(Job::Deploy);
    jobs.extend(catalog::files(portal).into_iter().map(|rel| Job::Catalog { rel }));
    jobs.push(Job::Dcat);
    jobs.push(Job::SearchIndex);
    jobs.sort();
    Ok(jobs)
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Names of the jobs that ran, sorted.
    pub jobs: Vec<String>,
    /// Jobs skipped because their inputs and outputs were unchanged (outputs reused).
    pub skipped: usize,
    pub pages: usize,
    pub datasets: usize,
    /// Site-relative paths of the HTML pages the jobs that ran wrote (`odp serve` reloads
    /// only the browsers showing one of them).
    pub changed_pages: Vec<String>,
}

/// Options of `odp build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub theme: PathBuf,
    /// Overrides portal.toml's `base_url` (e.g. a preview deploy).
    pub base_url: Option<String>,
    /// The build date for freshness and notices (`--as-of`); see `timeline::resolve_as_of`.
    pub as_of: Option<String>,
    /// Update `out` in place when the cache's last build is there (`odp serve` only; see
    /// [`Staging::in_place`]); otherwise stage and swap.
    pub in_place: bool,
}

/// The result of `build`: diagnostics always; a report only when the site was written.
pub struct BuildOutcome {
    pub diagnostics: Diagnostics,
    pub report: Option<BuildReport>,
}

/// Validates, and when there is no error writes the whole site and swaps it in.
pub fn build(opts: &BuildOptions) -> Result<BuildOutcome> {
    build_with(opts, &mut BuildCache::disabled())
}

/// `build` with a cache: unchanged jobs are skipped and their outputs reused; on success the
/// cache remembers this build's jobs and where its output is.
pub fn build_with(opts: &BuildOptions, cache: &mut BuildCache) -> Result<BuildOutcome> {
    build_with_progress(opts, cache, None)
}

/// Called during an in-place build with the pages of the jobs that ran first (see
/// [`Job::is_portal_wide`]), already on disk, while the portal-wide jobs still run.
pub type EarlyPages<'a> = &'a (dyn Fn(Vec<String>) + Sync);

/// `build_with`; when updating in place, runs the jobs of the changed datasets before the
/// portal-wide ones and hands their pages to `early` in between (issue 7: `odp serve` reloads
/// the edited dataset's page without waiting for catalogues of 5,000 datasets). The same jobs
/// run either way; only their order differs.
pub fn build_with_progress(
    opts: &BuildOptions,
    cache: &mut BuildCache,
    early: Option<EarlyPages<'_>>,
) -> Result<BuildOutcome> {
    // Nothing the build reads changed and the output is as the last build left it: repeat
    // its messages and stop (issue 7). `odp serve` only builds after a change: no stamp there.
    cache.unchanged = false;
    if cache.reads_everything() {
        load::prefetch::start(&opts.root);
    }
    let history = {
        let _t = crate::timings::stage("git history");
        crate::history::History::read(&opts.root)
    };
    // With no last build to compare with, the stamp is only kept for the next build: it is
    // taken beside this one's reads (see `Stamping`).
    let (mut sources, mut stamping) = (None, None);
    if cache.enabled() && !opts.in_place {
        let _t = crate::timings::stage("no-change stamp");
        let history_text = format!("{history:?}");
        if cache.last.is_some() {
            sources = Stamping::now(opts, cache.racy_window).finish(&history_text);
        } else {
            stamping = Some((Stamping::beside(opts, cache.racy_window), history_text));
        }
    }
    if let Some(stamp) = &sources
        && let Some(last) = cache.last.as_ref().filter(|l| l.sources == *stamp && l.out == opts.out)
        && last.outputs_intact()
    {
        let report = BuildReport {
            jobs: Vec::new(),
            skipped: last.job_count,
            pages: last.pages,
            datasets: last.datasets,
            changed_pages: Vec::new(),
        };
        let diagnostics = last.diagnostics.clone();
        cache.unchanged = true;
        return Ok(BuildOutcome { diagnostics, report: Some(report) });
    }
    // Something changed: the whole cache is needed.
    cache.read_all();
    if let Some(carry) = cache.carry.as_mut() {
        carry.begin();
    }
    let (portal, diagnostics, mut analysed) = check_with_history(&opts.root, cache, Some(history))?;
    // `odp serve`: this build's validated datasets go to the next, whatever happens after.
    let mut carry_on = |portal: &mut Portal, cache: &mut BuildCache, before: Option<Before>| {
        if let (Some(carry), Some(analysed)) = (cache.carry.as_mut(), analysed.take()) {
            carry.end(portal, analysed.per_dataset, analysed.codelists, before);
        }
    };
    let mut portal = match portal {
        Some(portal) if !diagnostics.has_errors() => portal,
        portal => {
            if let Some(mut portal) = portal {
                carry_on(&mut portal, cache, None);
            }
            return Ok(BuildOutcome { diagnostics, report: None });
        }
    };
    if let Some(base) = &opts.base_url {
        let (base_url, prefix) =
            load::config::split_base_url(base).with_context(|| format!("`--base-url {base}` is not an http(s) URL"))?;
        portal.config.base_url = base_url;
        portal.config.path_prefix = prefix;
    }
    let t = crate::timings::stage("settle, theme, plan");
    crate::timeline::settle(&mut portal, opts.as_of.as_deref())?;
    let mut renderer = Renderer::load(&opts.theme)?;
    renderer.set_machine_links(catalog::machine_links());
    let jobs = plan(&portal, &renderer)?;
    drop(t);
    // In place (every serve build after the first) with an early signal: the serve order.
    let in_place = opts.in_place && cache.last.as_ref().is_some_and(|l| l.out == opts.out) && opts.out.is_dir();
    let early = early.filter(|_| in_place);
    let t = crate::timings::stage("fingerprints");
    // `odp build`: the search documents (for the terminal's index) are folded on the other
    // core meanwhile. `odp serve`: later, beside the portal-wide jobs; folding 10,000 datasets
    // here took a core from the fingerprints the edited page waits for.
    let (fingerprints, docs) = if early.is_some() {
        (fingerprints(&portal, &renderer, &jobs, cache), None)
    } else {
        let (f, d) =
            rayon::join(|| fingerprints(&portal, &renderer, &jobs, cache), || crate::search::docs::documents(&portal));
        (f, Some(d))
    };
    let (fingerprints, hashes) = fingerprints?;
    drop(t);
    let t = crate::timings::stage("up to date?");
    let up_to_date = up_to_date(&jobs, &fingerprints, cache, &opts.out, in_place);
    drop(t);
    if up_to_date {
        // Nothing to do: the output folder is exactly what this build would write. The sources
        // were touched without a change that matters: remember their new stamp.
        let report = BuildReport {
            jobs: Vec::new(),
            skipped: jobs.len(),
            pages: jobs.iter().filter(|j| matches!(j, Job::Page(_))).count(),
            datasets: portal.datasets.len(),
            changed_pages: Vec::new(),
        };
        if let Some(last) = cache.last.as_mut() {
            last.sources = sources.unwrap_or_default();
            last.diagnostics = diagnostics.clone();
            last.pages = report.pages;
            last.datasets = report.datasets;
        }
        let before = hashes.map(|hashes| Before { hashes, jobs, fingerprints });
        carry_on(&mut portal, cache, before);
        return Ok(BuildOutcome { diagnostics, report: Some(report) });
    }
    let staging = if in_place { Staging::in_place(&opts.out)? } else { Staging::new(&opts.out)? };
    // The terminal's tantivy index (outside the site, not byte-reproducible) is refreshed
    // beside the site's jobs, only when the searchable metadata changed.
    let index = |docs: &[crate::search::docs::SearchDoc]| {
        crate::timings::job("tantivy index", "tantivy index", || {
            crate::search::index::ensure(&crate::search::index::dir(&opts.root), docs).map(|_| ())
        })
    };
    let (report, records) = if early.is_some() {
        // Serve: the index waits for the edited pages (it would take a core from them), then
        // runs beside the portal-wide jobs.
        let _t = crate::timings::stage("execute");
        let beside = |portal: &Portal| index(&crate::search::docs::documents(portal));
        execute_cached(&mut portal, &renderer, &jobs, &fingerprints, &opts.root, &staging, cache, early, Some(&beside))?
    } else {
        let docs = docs.unwrap_or_else(|| crate::search::docs::documents(&portal));
        let (executed, index) = rayon::join(
            || {
                let _t = crate::timings::stage("execute");
                execute_cached(&mut portal, &renderer, &jobs, &fingerprints, &opts.root, &staging, cache, None, None)
            },
            || index(&docs),
        );
        index?;
        executed?
    };
    crate::timings::print_jobs();
    let _t = crate::timings::stage("publish");
    if in_place {
        remove_stale_outputs(&opts.out, cache, &records)?;
    }
    staging.publish()?;
    if let Some((stamping, history_text)) = stamping {
        sources = stamping.finish(&history_text);
    }
    if cache.enabled() {
        // What the next build's no-change check compares the output folder with; not for
        // `odp serve`'s private preview folder, which it never checks.
        let recorded = if in_place {
            None
        } else {
            let _t = crate::timings::stage("record outputs");
            crate::cache::outputs::Recorded::of(&opts.out, records.values().flat_map(|r| r.outputs.iter()))
        };
        let (outputs, listing) = recorded.map_or((String::new(), None), |r| (r.digest, Some(r.listing.into())));
        cache.last = Some(LastBuild {
            out: opts.out.clone(),
            outputs,
            listing,
            job_count: records.len(),
            jobs: records,
            sources: sources.unwrap_or_default(),
            diagnostics: diagnostics.clone(),
            pages: report.pages,
            datasets: report.datasets,
        });
    }
    let before = hashes.map(|hashes| Before { hashes, jobs, fingerprints });
    carry_on(&mut portal, cache, before);
    Ok(BuildOutcome { diagnostics, report: Some(report) })
}

/// After an in-place build: deletes the files the last build wrote that no job wrote now.
fn remove_stale_outputs(out: &Path, cache: &BuildCache, records: &BTreeMap<String, JobRecord>) -> Result<()> {
    let Some(last) = cache.last.as_ref() else { return Ok(()) };
    let now: std::collections::HashSet<&str> =
        records.values().flat_map(|r| r.outputs.iter().map(|(rel, _)| rel.as_str())).collect();
    for rel in last.jobs.values().flat_map(|r| r.outputs.iter().map(|(rel, _)| rel.as_str())) {
        if !now.contains(rel) {
            let path = out.join(rel);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("failed to remove `{}`", path.display()));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Work `odp serve` runs beside the portal-wide jobs (the terminal's search index), given the
/// portal with its copies attached.
pub type BesidePortalWide<'a> = dyn Fn(&Portal) -> Result<()> + Sync + 'a;

/// Runs every job into the staging folder, in parallel.
pub fn execute(
    portal: &mut Portal,
    renderer: &Renderer,
    jobs: &[Job],
    root: &Path,
    out: &Staging,
) -> Result<BuildReport> {
    Ok(execute_cached(portal, renderer, jobs, &[], root, out, &BuildCache::disabled(), None, None)?.0)
}

/// Each job's fingerprint, in `jobs` order, and the input hashes they were made of; empty
/// without a cache (nothing to compare with).
pub fn fingerprints(
    portal: &Portal,
    renderer: &Renderer,
    jobs: &[Job],
    cache: &BuildCache,
) -> Result<(Vec<String>, Option<InputHashes>)> {
    if !cache.enabled() {
        return Ok((Vec::new(), None));
    }
    let hashes = {
        let _t = crate::timings::stage("fingerprints: inputs");
        let known = |d: &Dataset, f: Option<&crate::freshness::Freshness>, h: &[crate::history::Entry]| {
            cache.carry.as_ref().and_then(|c| c.hashes(d, f, h))
        };
        let known: Option<&crate::cache::fingerprint::KnownHashes<'_>> =
            cache.carry.as_ref().map(|_| &known as &crate::cache::fingerprint::KnownHashes<'_>);
        InputHashes::compute(portal, renderer, &cache.files, known)?
    };
    let _t = crate::timings::stage("fingerprints: jobs");
    // `odp serve`: with the same jobs as the last build and no portal-level input changed, a
    // job of a dataset that neither changed nor references one that did has the inputs it had:
    // its fingerprint is the last one (90,000 jobs at 10,000 datasets, one of which changed).
    let unchanged = cache
        .carry
        .as_ref()
        .and_then(|c| c.before())
        .filter(|b| b.jobs.len() == jobs.len() && b.fingerprints.len() == jobs.len() && b.jobs == jobs)
        .and_then(|b| Some((b, hashes.changed_datasets(&b.hashes)?)))
        .map(|(b, changed)| {
            let clean: std::collections::HashSet<&str> = portal
                .datasets
                .iter()
                .filter(|d| {
                    !changed.contains(&d.id)
                        && !crate::cache::fingerprint::referenced(d).iter().any(|r| changed.contains(*r))
                })
                .map(|d| d.id.as_str())
                .collect();
            (b, clean)
        });
    let fingerprints = jobs
        .par_iter()
        .with_max_len(256)
        .enumerate()
        .map(|(i, job)| match (&unchanged, job.dataset_scope()) {
            (Some((before, clean)), Some(id)) if clean.contains(id) => before.fingerprints[i].clone(),
            _ => hashes.fingerprint(&job.inputs(portal), &cache.files),
        })
        .collect();
    Ok((fingerprints, Some(hashes)))
}

/// True when the last build wrote into `out`, every job's fingerprint and outputs are unchanged
/// and `out` holds no other file (a hand-added one must go, as a full build would drop it):
/// then a build would write the same bytes again. `in_place`: `odp serve`'s private preview
/// folder, which nobody edits (see `execute_cached`), is not checked.
fn up_to_date(jobs: &[Job], fingerprints: &[String], cache: &BuildCache, out: &Path, in_place: bool) -> bool {
    let Some(last) = cache.last.as_ref().filter(|l| l.out == out && l.jobs.len() == jobs.len()) else { return false };
    if fingerprints.len() != jobs.len() {
        return false;
    }
    let same_jobs =
        jobs.par_iter().zip(fingerprints).all(|(job, fp)| reusable(cache, &job.name(), fp, false).is_some());
    same_jobs && (in_place || last.outputs_intact())
}

/// At most this many jobs run as one rayon task. Rayon otherwise cuts a list into as many
/// pieces as there are threads, and a piece being worked through cannot be split again: at
/// 5,000 datasets one core rendered the last 4,000 pages alone for a tenth of the build while
/// the other had nothing left (issue 7).
const JOBS_PER_TASK: usize = 8;

/// Runs the jobs whose fingerprint (see [`fingerprints`]) or outputs changed since the cache's
/// last build and reuses the outputs of the others; returns the report and every job's record
/// for the next build. With `early`, see [`build_with_progress`]; `beside_portal_wide` then runs
/// in parallel with the portal-wide jobs.
#[allow(clippy::too_many_arguments)]
pub fn execute_cached(
    portal: &mut Portal,
    renderer: &Renderer,
    jobs: &[Job],
    fingerprints: &[String],
    root: &Path,
    out: &Staging,
    cache: &BuildCache,
    early: Option<EarlyPages<'_>>,
    beside_portal_wide: Option<&BesidePortalWide<'_>>,
) -> Result<(BuildReport, BTreeMap<String, JobRecord>)> {
    let site = Site { base_url: portal.config.base_url.clone(), prefix: portal.config.path_prefix.clone() };
    // One job, run or reused: its outputs and record (`copies` only for `Job::Copies`).
    // In place (serve's private preview folder, which nobody edits), a reused job's files are
    // where they were and as recorded: no stat or link of 70,000 files per edit (issue 7).
    let in_place = cache.last.as_ref().is_some_and(|l| out.updates_in_place(&l.out));
    let run_one = |i: usize, job: &Job, portal: &Portal| -> Result<(String, bool, JobRecord)> {
        let name = job.name();
        let fingerprint = fingerprints.get(i).map_or("", String::as_str);
        if let Some(record) = reusable(cache, &name, fingerprint, !in_place) {
            if in_place {
                return Ok((name, false, record));
            }
            let last = cache.last.as_ref().expect("reusable implies a last build");
            // A hard link keeps the inode, size and modification time: the recorded stat holds;
            // only a file that had to be copied gets a new one.
            let mut restated: Option<Vec<(String, Stat)>> = None;
            for (k, (rel, _)) in record.outputs.iter().enumerate() {
                if !out.reuse(&last.out, rel)? {
                    restated.get_or_insert_with(|| record.outputs.to_vec())[k].1 = output_stat(out, rel)?;
                }
            }
            let mut record = record;
            if let Some(outputs) = restated {
                record.outputs = outputs.into();
            }
            return Ok((name, false, record));
        }
        let view = out.job_view();
        let copies = crate::timings::job(job.kind(), &name, || -> Result<_> {
            Ok(match job {
                Job::Copies { dataset, resource } => {
                    copies::write(find_dataset(portal, dataset)?, resource, root, &view)?
                }
                _ => {
                    run_job(job, portal, renderer, &site, root, &view)?;
                    Vec::new()
                }
            })
        })?;
        let mut outputs = Vec::new();
        for (rel, stat) in view.written() {
            if let Some(stat) = stat {
                outputs.push((rel, stat));
                continue;
            }
            // A job may ask for a path and then decide not to write it.
            let path = out.path().join(&rel);
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => outputs.push((rel, Stat::from_metadata(&m))),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("failed to read `{}`", path.display())),
            }
        }
        Ok((name, true, JobRecord { fingerprint: fingerprint.into(), outputs: outputs.into(), copies: copies.into() }))
    };
    // First phase: format copies, whose sizes and hashes the other outputs list (issue 5); their
    // facts come from the cache record when the job is reused.
    type Indexed<'j> = Vec<(usize, &'j Job)>;
    let (first, rest): (Indexed, Indexed) = jobs.iter().enumerate().partition(|(_, j)| matches!(j, Job::Copies { .. }));
    let t = crate::timings::stage("execute: copies");
    let mut results: Vec<(String, bool, JobRecord)> =
        first.par_iter().with_max_len(JOBS_PER_TASK).map(|&(i, job)| run_one(i, job, portal)).collect::<Result<_>>()?;
    drop(t);
    let t = crate::timings::stage("execute: attach copies");
    let facts: Vec<(String, String, Vec<CopyFacts>)> = first
        .iter()
        .zip(&results)
        .filter_map(|((_, job), (_, _, rec))| match job {
            Job::Copies { dataset, resource } => Some((dataset.clone(), resource.clone(), rec.copies.to_vec())),
            _ => None,
        })
        .collect();
    // Attached in place: cloning a 5,000-dataset portal cost 40 ms of every rebuild.
    copies::attach(portal, facts);
    let portal = &*portal;
    drop(t);
    let run_all = |part: &[(usize, &Job)]| -> Result<Vec<(String, bool, JobRecord)>> {
        part.par_iter().with_max_len(JOBS_PER_TASK).map(|&(i, job)| run_one(i, job, portal)).collect()
    };
    match early {
        // One parallel pass otherwise: a barrier between the two groups would leave a core idle
        // behind the longest portal-wide job in a cold build. The longest jobs go first: in
        // plan order the search index and the DCAT files came last, and one core ran them
        // alone at the end (issue 7).
        None => {
            let mut ordered = rest;
            ordered.sort_by_key(|(_, j)| j.expected_length());
            results.extend(run_all(&ordered)?)
        }
        Some(early) => {
            let (near, far): (Indexed, Indexed) = rest.into_iter().partition(|(_, j)| !j.is_portal_wide());
            let t = crate::timings::stage("execute: near jobs");
            let near = run_all(&near)?;
            drop(t);
            let pages = changed_pages(&near);
            results.extend(near);
            if !pages.is_empty() {
                early(pages);
            }
            let (far, beside) = rayon::join(|| run_all(&far), || beside_portal_wide.map_or(Ok(()), |f| f(portal)));
            results.extend(far?);
            beside?;
        }
    }
    let mut ran: Vec<String> = results.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
    ran.sort();
    let report = BuildReport {
        skipped: results.len() - ran.len(),
        jobs: ran,
        pages: jobs.iter().filter(|j| matches!(j, Job::Page(_))).count(),
        datasets: portal.datasets.len(),
        changed_pages: changed_pages(&results),
    };
    Ok((report, results.into_iter().map(|(name, _, rec)| (name, rec)).collect()))
}

/// The HTML outputs of the jobs that ran, sorted.
fn changed_pages(results: &[(String, bool, JobRecord)]) -> Vec<String> {
    let mut pages: Vec<String> = results
        .iter()
        .filter(|(_, ran, _)| *ran)
        .flat_map(|(_, _, rec)| rec.outputs.iter().map(|(rel, _)| rel))
        .filter(|rel| rel.ends_with(".html"))
        .cloned()
        .collect();
    pages.sort();
    pages
}

/// The outputs of the last build's run of this job, when its fingerprint is the same and every
/// output file is still exactly as written (same size, mtime and inode: not edited by hand).
/// `check_files`: also stat every output (off only for serve's in-place preview).
fn reusable(cache: &BuildCache, name: &str, fingerprint: &str, check_files: bool) -> Option<JobRecord> {
    if !cache.enabled() {
        return None;
    }
    let last = cache.last.as_ref()?;
    let record = last.jobs.get(name).filter(|r| &*r.fingerprint == fingerprint)?;
    let intact = !check_files
        || record.outputs.iter().all(|(rel, stat)| Stat::of(&last.out.join(rel)).is_ok_and(|s| s == *stat));
    intact.then(|| record.clone())
}

fn output_stat(out: &Staging, rel: &str) -> Result<Stat> {
    let path = out.path().join(rel);
    Stat::of(&path).with_context(|| format!("failed to read `{}`", path.display()))
}

fn run_job(job: &Job, portal: &Portal, renderer: &Renderer, site: &Site, root: &Path, out: &Staging) -> Result<()> {
    match job {
        Job::Page(page) => {
            let html = renderer.render(portal, site, page)?;
            out.write(&page.output_path(), &html)
        }
        Job::Static { rel, src } => {
            let dest = out.file(rel)?;
            std::fs::copy(src, &dest).with_context(|| format!("failed to copy `{}`", src.display()))?;
            Ok(())
        }
        Job::DataFile { dataset, resource } => {
            let d = find_dataset(portal, dataset)?;
            let r = d.resources.iter().find(|r| &r.id == resource).context("resource vanished")?;
            let ResourceKind::File(f) = &r.kind else { return Ok(()) };
            let rel = urls::resource_file(&d.id, &r.id, f);
            let facts = f.facts.as_ref().context("data file facts missing after validation")?;
            let published = PublishedFile::of(root.join(&d.dir).join(&f.path.value), facts);
            if let Some(bytes) = published.kept() {
                return out.write(&rel, bytes);
            }
            let src = &published.path;
            let dest = out.file(&rel)?;
            let mut reader = published.reader().with_context(|| format!("failed to read `{}`", src.display()))?;
            let file =
                std::fs::File::create(&dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            std::io::copy(&mut reader, &mut writer).with_context(|| format!("failed to copy `{}`", src.display()))?;
            std::io::Write::flush(&mut writer)?;
            Ok(())
        }
        Job::Bundle { dataset } => write_bundle(portal, find_dataset(portal, dataset)?, site, root, out),
        Job::SearchIndex => {
            let docs = crate::search::docs::documents(portal);
            for (rel, bytes) in crate::search::browser::files(portal, &docs, renderer.i18n()) {
                out.write(&rel, &bytes)?;
            }
            Ok(())
        }
        Job::Deploy => {
            out.write("_headers", deploy::headers(portal).as_bytes())?;
            out.write("_redirects", deploy::redirects(portal).as_bytes())
        }
        Job::Copies { .. } => Ok(()),
        Job::Catalog { rel } => catalog::write(rel, portal, site, &out.file(rel)?),
        Job::Dcat => {
            let [jsonld, turtle] = catalog::DCAT_FILES;
            catalog::write_dcat(portal, site, [&out.file(jsonld)?, &out.file(turtle)?])
        }
    }
}

fn find_dataset<'p>(portal: &'p Portal, id: &str) -> Result<&'p Dataset> {
    portal.dataset(id).with_context(|| format!("dataset `{id}` vanished during the build"))
}

/// datapackage.json, then the zip (which contains it), then SHA256SUMS over both and the data.
fn write_bundle(portal: &Portal, d: &Dataset, site: &Site, root: &Path, out: &Staging) -> Result<()> {
    // The zip carries the originals and their descriptor; the site's descriptor also lists the
    // format copies that sit beside the files (issue 5), and SHA256SUMS covers both.
    let mut descriptor = package::datapackage(portal, d, site);
    let dp = serde_json::to_vec_pretty(&descriptor)?;
    catalog::add_copies(&mut descriptor, d);
    let site_dp = serde_json::to_vec_pretty(&descriptor)?;
    out.write(&urls::datapackage(&d.id), &site_dp)?;
    let dp_hash = package::sha256_hex(&dp);
    let site_dp_hash = package::sha256_hex(&site_dp);

    let mut zip_entries = vec![
        ("datapackage.json".to_string(), Source::Bytes(dp)),
        ("README.md".to_string(), Source::Bytes(package::readme(portal, d, site).into_bytes())),
        ("TERMS.md".to_string(), Source::Bytes(package::terms_text(portal).into_bytes())),
    ];
    let mut data_sums = Vec::new();
    for r in &d.resources {
        let ResourceKind::File(f) = &r.kind else { continue };
        let name = format!("{}.{}", r.id, f.extension);
        let facts = f.facts.as_ref().context("data file facts missing after validation")?;
        data_sums.push((name.clone(), facts.sha256.clone()));
        zip_entries.push((name, Source::File(PublishedFile::of(root.join(&d.dir).join(&f.path.value), facts))));
    }
    let mut inner_sums = data_sums.clone();
    inner_sums.push(("datapackage.json".into(), dp_hash.clone()));
    for (name, source) in &zip_entries {
        if let Source::Bytes(b) = source
            && name != "datapackage.json"
        {
            inner_sums.push((name.clone(), package::sha256_hex(b)));
        }
    }
    zip_entries.push(("SHA256SUMS".into(), Source::Bytes(package::sha256sums(inner_sums).into_bytes())));
    let zip_path = out.file(&urls::package(&d.id))?;
    let zip_hash = package::write_zip(zip_path, zip_entries, package::zip_date(d))?;

    let mut sums = data_sums;
    sums.push(("datapackage.json".into(), site_dp_hash));
    for r in &d.resources {
        if let ResourceKind::File(f) = &r.kind {
            for c in f.facts.iter().flat_map(|x| &x.copies) {
                sums.push((c.file_name.clone(), c.sha256.clone()));
            }
        }
    }
    sums.push((format!("{}.zip", d.id), zip_hash));
    out.write(&urls::checksums(&d.id), package::sha256sums(sums).as_bytes())
}
