//! The stages in order, shared by `odp check`, `odp build` and (later) `odp serve`:
//! `load → validate → plan → execute`. `plan` lists every output file as a [`Job`];
//! `execute` runs the jobs in parallel into a staging folder and publishes it only when all
//! succeeded.

use crate::diag::Diagnostics;
use crate::model::{Dataset, Portal, ResourceKind};
use crate::output::Staging;
use crate::package::{self, Source};
use crate::render::{Renderer, SitePage, site_pages};
use crate::urls::{self, Site};
use crate::validate::table::{open_published, sha256_file};
use crate::{catalog, copies, deploy, load, validate};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Runs `load` and `validate`: everything `odp check` needs.
pub fn check(root: &Path) -> Result<(Option<Portal>, Diagnostics)> {
    let (portal, mut diags) = load::load(root)?;
    let mut portal = portal.map(|p| validate::validate(p, root, &mut diags));
    // Issue 6: one `git log` for the whole repository; notices checked against it.
    if let Some(p) = portal.as_mut() {
        p.timeline.history = crate::history::History::read(root);
        crate::notices::check(p, &p.timeline.history, &mut diags);
    }
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
    /// The typed format copies of one table (`.json`, `.csv`, `.excel.csv`, `.xlsx`, `.xml`),
    /// run in the first phase because pages and packages list their sizes and hashes (issue 5).
    Copies { dataset: String, resource: String },
    /// A catalogue or API file at `rel` (issue 5): `/api/v1/…`, `/api/3/action/…`, DCAT-AP,
    /// `data.json`, sitemap, robots.txt, Atom feed. See `catalog::files`.
    Catalog { rel: String },
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
            Job::SearchIndex => "search index".into(),
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
    jobs.push(Job::SearchIndex);
    jobs.sort();
    Ok(jobs)
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Names of the jobs that ran, sorted.
    pub jobs: Vec<String>,
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
    /// The build date for freshness and notices (`--as-of`); see `timeline::resolve_as_of`.
    pub as_of: Option<String>,
}

/// The result of `build`: diagnostics always; a report only when the site was written.
pub struct BuildOutcome {
    pub diagnostics: Diagnostics,
    pub report: Option<BuildReport>,
}

/// Validates, and when there is no error writes the whole site and swaps it in.
pub fn build(opts: &BuildOptions) -> Result<BuildOutcome> {
    let (portal, diagnostics) = check(&opts.root)?;
    let Some(mut portal) = portal.filter(|_| !diagnostics.has_errors()) else {
        return Ok(BuildOutcome { diagnostics, report: None });
    };
    if let Some(base) = &opts.base_url {
        let (base_url, prefix) =
            load::config::split_base_url(base).with_context(|| format!("`--base-url {base}` is not an http(s) URL"))?;
        portal.config.base_url = base_url;
        portal.config.path_prefix = prefix;
    }
    crate::timeline::settle(&mut portal, opts.as_of.as_deref())?;
    let mut renderer = Renderer::load(&opts.theme)?;
    renderer.set_machine_links(catalog::machine_links());
    let jobs = plan(&portal, &renderer)?;
    let staging = Staging::new(&opts.out)?;
    // The terminal's tantivy index (outside the site, not byte-reproducible) is refreshed
    // beside the site's jobs, only when the searchable metadata changed.
    let docs = crate::search::docs::documents(&portal);
    let (report, index) = rayon::join(
        || execute(&portal, &renderer, &jobs, &opts.root, &staging),
        || crate::search::index::ensure(&crate::search::index::dir(&opts.root), &docs),
    );
    let report = report?;
    index?;
    staging.publish()?;
    Ok(BuildOutcome { diagnostics, report: Some(report) })
}

/// Runs every job into the staging folder, in parallel.
pub fn execute(portal: &Portal, renderer: &Renderer, jobs: &[Job], root: &Path, out: &Staging) -> Result<BuildReport> {
    let site = Site { base_url: portal.config.base_url.clone(), prefix: portal.config.path_prefix.clone() };
    // First phase: format copies, whose sizes and hashes the other outputs list (issue 5).
    let (first, rest): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|j| matches!(j, Job::Copies { .. }));
    let facts = first
        .par_iter()
        .map(|job| match job {
            Job::Copies { dataset, resource } => {
                let d = find_dataset(portal, dataset)?;
                Ok((dataset.clone(), resource.clone(), copies::write(d, resource, root, out)?))
            }
            _ => unreachable!("partitioned on Job::Copies"),
        })
        .collect::<Result<Vec<_>>>()?;
    let with_copies;
    let portal = if facts.is_empty() {
        portal
    } else {
        let mut p = portal.clone();
        copies::attach(&mut p, facts);
        with_copies = p;
        &with_copies
    };
    rest.par_iter().try_for_each(|job| run_job(job, portal, renderer, &site, root, out))?;
    Ok(BuildReport {
        jobs: jobs.iter().map(Job::name).collect(),
        pages: jobs.iter().filter(|j| matches!(j, Job::Page(_))).count(),
        datasets: portal.datasets.len(),
    })
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
    }
}

fn find_dataset<'p>(portal: &'p Portal, id: &str) -> Result<&'p Dataset> {
    portal.dataset(id).with_context(|| format!("dataset `{id}` vanished during the build"))
}

/// datapackage.json, then the zip (which contains it), then SHA256SUMS over both and the data.
fn write_bundle(portal: &Portal, d: &Dataset, site: &Site, root: &Path, out: &Staging) -> Result<()> {
    // The zip carries the originals and their descriptor; the site's descriptor also lists the
    // format copies that sit beside the files (issue 5), and SHA256SUMS covers both.
    let dp = serde_json::to_vec_pretty(&package::datapackage(portal, d, site))?;
    let site_dp = serde_json::to_vec_pretty(&catalog::datapackage_with_copies(portal, d, site))?;
    out.write(&urls::datapackage(&d.id), &site_dp)?;
    let dp_hash = crate::validate::table::hex(&sha2_digest(&dp));
    let site_dp_hash = crate::validate::table::hex(&sha2_digest(&site_dp));

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

fn sha2_digest(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
