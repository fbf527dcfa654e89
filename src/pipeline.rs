//! The stages in order, shared by `odp check`, `odp build` and (later) `odp serve`:
//! `load → validate → plan → execute`. `plan` lists every output file as a [`Job`];
//! `execute` runs the jobs in parallel into a staging folder and publishes it only when all
//! succeeded. Each job declares its inputs ([`Job::inputs`]); with a [`BuildCache`] a job whose
//! fingerprint and outputs are unchanged since the last build is skipped and its files reused
//! (issue 7), so `odp build` and `odp serve` share one path and differ only in the cache.

use crate::cache::fingerprint::{Input, InputHashes, find, listed_by, referenced};
use crate::cache::{BuildCache, JobRecord, LastBuild, Stat};
use crate::diag::Diagnostics;
use crate::model::{Dataset, Portal, ResourceKind};
use crate::output::Staging;
use crate::package::{self, Source};
use crate::render::{PageKind, Renderer, SitePage, site_pages};
use crate::urls::{self, Site};
use crate::validate::table::{open_published, sha256_file};
use crate::{deploy, load, validate};
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
    let (portal, mut diags) = load::load(root)?;
    let analyse = |root: &Path, dir: &str, f: &_, lists: &_, d: &mut Diagnostics| cache.analyse(root, dir, f, lists, d);
    let portal = portal.map(|p| validate::validate_with(p, root, &mut diags, &analyse));
    Ok((portal, diags))
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
        }
    }

    /// What the job's output depends on, for the build cache. Kinds that declare nothing finer
    /// depend on [`Input::Portal`] (everything), which is always correct, only slower.
    pub fn inputs(&self, portal: &Portal) -> Vec<Input> {
        let page = |more: Vec<Input>| [vec![Input::Config, Input::Theme, Input::Content], more].concat();
        match self {
            Job::Page(p) => match &p.kind {
                PageKind::Dataset(id) => {
                    let publisher = find(portal, id).map(|d| Input::Publisher(d.publisher.value.clone()));
                    page(
                        [vec![Input::Dataset(id.clone())], publisher.into_iter().collect(), referenced(portal, id)]
                            .concat(),
                    )
                }
                PageKind::Publisher(id) => {
                    page([vec![Input::Publisher(id.clone())], listed_by(portal, |d| d.publisher.value == *id)].concat())
                }
                PageKind::Theme(id) => page(listed_by(portal, |d| d.themes.iter().any(|t| t.value == *id))),
                PageKind::Keyword(slug) => page(vec![Input::Keyword(slug.clone())]),
                PageKind::Content(_) | PageKind::NotFound => page(vec![]),
                _ => vec![Input::Portal],
            },
            Job::Static { src, .. } => vec![Input::File(src.clone())],
            Job::DataFile { dataset, resource } => {
                vec![Input::Resource { dataset: dataset.clone(), resource: resource.clone() }]
            }
            Job::Bundle { dataset } => {
                let publisher = find(portal, dataset).map(|d| Input::Publisher(d.publisher.value.clone()));
                [
                    vec![Input::Config, Input::Content, Input::Dataset(dataset.clone())],
                    publisher.into_iter().collect(),
                    referenced(portal, dataset),
                ]
                .concat()
            }
            #[allow(unreachable_patterns)] // job kinds added later start here: depend on everything
            _ => vec![Input::Portal],
        }
    }
}

/// Every output file of the portal, in a stable order.
pub fn plan(portal: &Portal, renderer: &Renderer) -> Result<Vec<Job>> {
    let mut jobs: Vec<Job> = site_pages(portal).into_iter().map(Job::Page).collect();
    for (rel, src) in renderer.static_files()? {
        jobs.push(Job::Static { rel, src });
    }
    for d in &portal.datasets {
        for r in &d.resources {
            if matches!(r.kind, ResourceKind::File(_)) {
                jobs.push(Job::DataFile { dataset: d.id.clone(), resource: r.id.clone() });
            }
        }
        jobs.push(Job::Bundle { dataset: d.id.clone() });
    }
    jobs.push(Job::Deploy);
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
}

/// Options of `odp build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub theme: PathBuf,
    /// Overrides portal.toml's `base_url` (e.g. a preview deploy).
    pub base_url: Option<String>,
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
    let (portal, diagnostics) = check_with(&opts.root, cache)?;
    let Some(mut portal) = portal.filter(|_| !diagnostics.has_errors()) else {
        return Ok(BuildOutcome { diagnostics, report: None });
    };
    if let Some(base) = &opts.base_url {
        let (base_url, prefix) =
            load::config::split_base_url(base).with_context(|| format!("`--base-url {base}` is not an http(s) URL"))?;
        portal.config.base_url = base_url;
        portal.config.path_prefix = prefix;
    }
    let renderer = Renderer::load(&opts.theme)?;
    let jobs = plan(&portal, &renderer)?;
    let fingerprints = fingerprints(&portal, &renderer, &jobs, cache)?;
    if up_to_date(&jobs, &fingerprints, cache, &opts.out) {
        // Nothing to do: the output folder is exactly what this build would write.
        let report = BuildReport {
            jobs: Vec::new(),
            skipped: jobs.len(),
            pages: jobs.iter().filter(|j| matches!(j, Job::Page(_))).count(),
            datasets: portal.datasets.len(),
        };
        return Ok(BuildOutcome { diagnostics, report: Some(report) });
    }
    let staging = Staging::new(&opts.out)?;
    let (report, records) = execute_cached(&portal, &renderer, &jobs, &fingerprints, &opts.root, &staging, cache)?;
    staging.publish()?;
    if cache.enabled() {
        cache.last = Some(LastBuild { out: opts.out.clone(), jobs: records });
    }
    Ok(BuildOutcome { diagnostics, report: Some(report) })
}

/// Runs every job into the staging folder, in parallel.
pub fn execute(portal: &Portal, renderer: &Renderer, jobs: &[Job], root: &Path, out: &Staging) -> Result<BuildReport> {
    Ok(execute_cached(portal, renderer, jobs, &[], root, out, &BuildCache::disabled())?.0)
}

/// Each job's fingerprint, in `jobs` order; empty without a cache (nothing to compare with).
pub fn fingerprints(portal: &Portal, renderer: &Renderer, jobs: &[Job], cache: &BuildCache) -> Result<Vec<String>> {
    if !cache.enabled() {
        return Ok(Vec::new());
    }
    let hashes = InputHashes::compute(portal, renderer, &cache.files)?;
    Ok(jobs.par_iter().map(|job| hashes.fingerprint(&job.inputs(portal), &cache.files)).collect())
}

/// True when the last build wrote into `out`, every job's fingerprint and outputs are unchanged
/// and `out` holds no other file: then a build would write the same bytes again.
fn up_to_date(jobs: &[Job], fingerprints: &[String], cache: &BuildCache, out: &Path) -> bool {
    let Some(last) = cache.last.as_ref().filter(|l| l.out == out && l.jobs.len() == jobs.len()) else { return false };
    if fingerprints.len() != jobs.len() {
        return false;
    }
    let all_reusable = jobs.par_iter().zip(fingerprints).all(|(job, fp)| reusable(cache, &job.name(), fp).is_some());
    if !all_reusable {
        return false;
    }
    let expected: usize = last.jobs.values().map(|r| r.outputs.len()).sum();
    let mut found = 0;
    for entry in walkdir::WalkDir::new(out) {
        let Ok(entry) = entry else { return false };
        if !entry.file_type().is_dir() {
            found += 1;
            if found > expected {
                return false;
            }
        }
    }
    // Every recorded output exists (checked above) and nothing else does.
    found == expected
}

/// Runs the jobs whose fingerprint (see [`fingerprints`]) or outputs changed since the cache's
/// last build and reuses the outputs of the others; returns the report and every job's record
/// for the next build.
pub fn execute_cached(
    portal: &Portal,
    renderer: &Renderer,
    jobs: &[Job],
    fingerprints: &[String],
    root: &Path,
    out: &Staging,
    cache: &BuildCache,
) -> Result<(BuildReport, BTreeMap<String, JobRecord>)> {
    let site = Site { base_url: portal.config.base_url.clone(), prefix: portal.config.path_prefix.clone() };
    let results: Vec<(String, bool, JobRecord)> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, job)| {
            let name = job.name();
            let fingerprint = fingerprints.get(i).cloned().unwrap_or_default();
            if let Some(outputs) = reusable(cache, &name, &fingerprint) {
                let last = cache.last.as_ref().expect("reusable implies a last build");
                let mut now = Vec::with_capacity(outputs.len());
                for (rel, _) in &outputs {
                    out.reuse(&last.out, rel)?;
                    now.push((rel.clone(), output_stat(out, rel)?));
                }
                return Ok((name, false, JobRecord { fingerprint, outputs: now }));
            }
            let view = out.job_view();
            run_job(job, portal, renderer, &site, root, &view)?;
            let mut outputs = Vec::new();
            for rel in view.written() {
                // A job may ask for a path and then decide not to write it.
                if out.path().join(&rel).is_file() {
                    outputs.push((rel.clone(), output_stat(out, &rel)?));
                }
            }
            Ok((name, true, JobRecord { fingerprint, outputs }))
        })
        .collect::<Result<_>>()?;
    let mut ran: Vec<String> = results.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
    ran.sort();
    let report = BuildReport {
        skipped: results.len() - ran.len(),
        jobs: ran,
        pages: jobs.iter().filter(|j| matches!(j, Job::Page(_))).count(),
        datasets: portal.datasets.len(),
    };
    Ok((report, results.into_iter().map(|(name, _, rec)| (name, rec)).collect()))
}

/// The outputs of the last build's run of this job, when its fingerprint is the same and every
/// output file is still exactly as written (same size, mtime and inode: not edited by hand).
fn reusable(cache: &BuildCache, name: &str, fingerprint: &str) -> Option<Vec<(String, Stat)>> {
    if !cache.enabled() {
        return None;
    }
    let last = cache.last.as_ref()?;
    let record = last.jobs.get(name).filter(|r| r.fingerprint == fingerprint)?;
    let intact = record.outputs.iter().all(|(rel, stat)| Stat::of(&last.out.join(rel)).is_ok_and(|s| s == *stat));
    intact.then(|| record.outputs.clone())
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
            let src = root.join(&d.dir).join(&f.path.value);
            let dest = out.file(&urls::resource_file(&d.id, &r.id, f))?;
            let encoding = f.facts.as_ref().and_then(|x| x.encoding);
            let mut reader =
                open_published(&src, encoding).with_context(|| format!("failed to read `{}`", src.display()))?;
            let file =
                std::fs::File::create(&dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            std::io::copy(&mut reader, &mut writer).with_context(|| format!("failed to copy `{}`", src.display()))?;
            std::io::Write::flush(&mut writer)?;
            Ok(())
        }
        Job::Bundle { dataset } => write_bundle(portal, find_dataset(portal, dataset)?, site, root, out),
        Job::Deploy => {
            out.write("_headers", deploy::headers(portal).as_bytes())?;
            out.write("_redirects", deploy::redirects(portal).as_bytes())
        }
    }
}

fn find_dataset<'p>(portal: &'p Portal, id: &str) -> Result<&'p Dataset> {
    portal.dataset(id).with_context(|| format!("dataset `{id}` vanished during the build"))
}

/// datapackage.json, then the zip (which contains it), then SHA256SUMS over both and the data.
fn write_bundle(portal: &Portal, d: &Dataset, site: &Site, root: &Path, out: &Staging) -> Result<()> {
    let dp = serde_json::to_vec_pretty(&package::datapackage(portal, d, site))?;
    out.write(&urls::datapackage(&d.id), &dp)?;
    let dp_hash = crate::validate::table::hex(&sha2_digest(&dp));

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
        zip_entries.push((name, Source::File(root.join(&d.dir).join(&f.path.value), facts.encoding)));
    }
    let mut inner_sums = data_sums.clone();
    inner_sums.push(("datapackage.json".into(), dp_hash.clone()));
    for (name, source) in &zip_entries {
        if let Source::Bytes(b) = source
            && name != "datapackage.json"
        {
            inner_sums.push((name.clone(), crate::validate::table::hex(&sha2_digest(b))));
        }
    }
    zip_entries.push(("SHA256SUMS".into(), Source::Bytes(package::sha256sums(inner_sums).into_bytes())));
    let zip_path = out.file(&urls::package(&d.id))?;
    package::write_zip(&zip_path, zip_entries, package::zip_date(d))?;
    let (zip_hash, _) = sha256_file(&zip_path).with_context(|| format!("failed to read `{}`", zip_path.display()))?;

    let mut sums = data_sums;
    sums.push(("datapackage.json".into(), dp_hash));
    sums.push((format!("{}.zip", d.id), zip_hash));
    out.write(&urls::checksums(&d.id), package::sha256sums(sums).as_bytes())
}

fn sha2_digest(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
