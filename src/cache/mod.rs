//! The content-hash build cache shared by `odp build` and `odp serve` (issue 7 §1).
//!
//! Three memories, each keyed by content, never by time:
//! - [`FileHashes`]: the SHA-256 of every source file read, trusted while its size, mtime and
//!   inode are unchanged (git's index trick), so an unchanged 1 GiB CSV is not re-read;
//! - [`Analyses`]: the facts and diagnostics of each data file's validation (hash, rows,
//!   preview, personal-data scan), keyed by the file's bytes + its resource description (format,
//!   dictionary, sheet) + the code lists it is checked against + the generator version;
//! - the last build's [`JobRecord`]s: per job its input fingerprint and the output files it
//!   wrote, with their (size, mtime, inode) as written. A job whose fingerprint is unchanged and
//!   whose outputs are still exactly as written is skipped: its files are hard-linked (or
//!   copied) from the previous output into the new staging folder. An output edited, deleted or
//!   replaced by hand changes its stat, so the job runs again; files added by hand are not
//!   carried over (the staging folder holds only what the jobs produced).
//!
//! `odp build` persists the cache in `<root>/.odp/cache/` (JSON; `--no-cache` ignores it):
//! `summary.json`, the little a no-change rebuild needs (the sources' stamp, the outputs'
//! digest, the last messages), read first; `cache.json`, everything, read only when something
//! changed (17 MB at 5,000 datasets: 140 ms to parse, most of a no-change rebuild's time).
//! `odp serve` keeps it in memory. The output is byte-identical with or without it (tested).

pub mod carry;
pub mod fingerprint;
pub mod outputs;
pub mod sources;

use crate::diag::Diagnostics;
use crate::model::{DeclaredPublic, FileFacts, FileResource};
use crate::validate::codelist::CodeLists;
use crate::validate::encoding::Encoding;
use crate::validate::table;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Part of every fingerprint: a new odp version may render or package differently.
pub const GENERATOR: &str = concat!("odp ", env!("CARGO_PKG_VERSION"));

/// Where `odp build` keeps its cache, relative to the portal root (gitignored).
pub const DIR: &str = ".odp/cache";

/// What identifies a file's bytes without reading them: size, modification time, inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: i128,
    pub ino: u64,
}

impl Stat {
    pub fn of(path: &Path) -> std::io::Result<Stat> {
        Ok(Stat::from_metadata(&std::fs::metadata(path)?))
    }

    /// The stat of metadata already read (a platform without modification times gives 0).
    pub fn from_metadata(m: &std::fs::Metadata) -> Stat {
        let mtime_ns = match m.modified().unwrap_or(std::time::UNIX_EPOCH).duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let ino = 0;
        Stat { size: m.len(), mtime_ns, ino }
    }

    /// The stat of a `stat` system call's result (the same numbers as [`Stat::from_metadata`]).
    #[cfg(target_os = "linux")]
    // The fields' types differ between targets: the casts are no-ops on x86_64 only.
    #[allow(clippy::unnecessary_cast)]
    pub fn of_stat(st: &rustix::fs::Stat) -> Stat {
        Stat {
            size: st.st_size as u64,
            mtime_ns: st.st_mtime as i128 * 1_000_000_000 + st.st_mtime_nsec as i128,
            ino: st.st_ino as u64,
        }
    }
}

/// SHA-256 of source files, re-read only when their stat changed.
#[derive(Debug, Default)]
pub struct FileHashes {
    map: Mutex<HashMap<PathBuf, (Stat, String)>>,
}

impl FileHashes {
    /// The hex SHA-256 of the file's bytes as they are now.
    pub fn hash(&self, path: &Path) -> std::io::Result<String> {
        let stat = Stat::of(path)?;
        if let Some((s, h)) = self.map.lock().expect("hash cache lock").get(path)
            && *s == stat
        {
            return Ok(h.clone());
        }
        let (hash, _) = table::sha256_file(path)?;
        // A file modified while it was read gets a new stat: keep the hash only if it held still.
        if Stat::of(path)? == stat {
            self.map.lock().expect("hash cache lock").insert(path.to_path_buf(), (stat, hash.clone()));
        }
        Ok(hash)
    }
}

/// One data file's validation result.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub facts: Option<FileFacts>,
    pub diagnostics: Diagnostics,
}

/// Validation results by content key; see the module docs.
#[derive(Debug, Default)]
pub struct Analyses {
    map: Mutex<HashMap<String, Analysis>>,
    /// Keys looked up or added since this cache was loaded: only these are saved, so results
    /// for bytes no file has any more do not pile up.
    used: Mutex<std::collections::HashSet<String>>,
}

/// One job's fingerprint and the files it wrote, as of the last successful build.
///
/// Shared (`Arc`) so that carrying 90,000 reused records into the next build's cache costs
/// reference counts, not copies (issue 7: serve's rebuild at 10,000 datasets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub fingerprint: Arc<str>,
    /// Output files relative to the site root, with their stat right after writing.
    pub outputs: Arc<[(String, Stat)]>,
    /// What a `Job::Copies` made (sizes and hashes the pages list), so a reused copies job
    /// needs no re-reading of its files (issue 5).
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub copies: Arc<[crate::model::CopyFacts]>,
}

/// The last successful build: where its files are and what produced each.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LastBuild {
    pub out: PathBuf,
    pub jobs: BTreeMap<String, JobRecord>,
    /// The stamp of everything the build read (see `sources::Stamping`); empty when some source
    /// was too fresh to trust its stamp.
    #[serde(default)]
    pub sources: String,
    /// The digest of its output files and folders, recorded after publishing (see
    /// [`outputs`]); empty when not recorded (`odp serve`'s builds).
    #[serde(default)]
    pub outputs: String,
    /// The listing that goes with `outputs` (kept in `summary.json` only).
    #[serde(skip)]
    pub listing: Option<Arc<str>>,
    /// Its messages, repeated by a build that finds the sources unchanged.
    #[serde(default)]
    pub diagnostics: crate::diag::Diagnostics,
    /// How many jobs it had (`jobs` is empty until `cache.json` is read).
    #[serde(default)]
    pub job_count: usize,
    #[serde(default)]
    pub pages: usize,
    #[serde(default)]
    pub datasets: usize,
}

impl LastBuild {
    /// True when its output folder is exactly as it was recorded after publishing
    /// ([`outputs::intact`]); false when nothing was recorded.
    pub fn outputs_intact(&self) -> bool {
        match &self.listing {
            Some(listing) if !self.outputs.is_empty() => outputs::intact(&self.out, &self.outputs, listing),
            _ => false,
        }
    }

    /// Everything but the job records (cloning 70,000 of them to drop them is 10 ms).
    fn clone_without_jobs(&self) -> LastBuild {
        LastBuild {
            out: self.out.clone(),
            jobs: BTreeMap::new(),
            sources: self.sources.clone(),
            outputs: self.outputs.clone(),
            listing: self.listing.clone(),
            diagnostics: self.diagnostics.clone(),
            job_count: self.job_count,
            pages: self.pages,
            datasets: self.datasets,
        }
    }
}

/// The whole cache. `BuildCache::disabled()` remembers nothing (`--no-cache`).
#[derive(Debug, Default)]
pub struct BuildCache {
    enabled: bool,
    pub files: FileHashes,
    pub analyses: Analyses,
    pub last: Option<LastBuild>,
    /// Parsed dataset folders, in memory only: `odp serve` sets it to keep them across its
    /// rebuilds (a one-shot `odp build` would only pay for the folder stamps).
    pub loads: Option<crate::load::LoadMemo>,
    /// Each build's validated datasets and their hashes, for the next (`odp serve` only, with
    /// `loads`: see [`carry`]).
    pub carry: Option<carry::Carry>,
    /// Set when a build found nothing to do: there is nothing new to save either.
    pub unchanged: bool,
    /// Sources younger than this do not get a no-change stamp ([`sources::RACY`]; tests that
    /// must not wait set zero).
    pub racy_window: std::time::Duration,
    /// `cache.json`, when only `summary.json` was read so far (see [`BuildCache::read_all`]).
    unread: Option<PathBuf>,
}

/// `summary.json`: the last build without its job records, with its outputs' listing.
#[derive(Serialize, Deserialize)]
struct Summary {
    generator: String,
    last: LastBuild,
    #[serde(default)]
    listing: String,
}

impl BuildCache {
    /// A cache that is never consulted: every job runs, every file is analysed.
    pub fn disabled() -> BuildCache {
        BuildCache::default()
    }

    /// An empty in-memory cache (what `odp serve` starts with).
    pub fn in_memory() -> BuildCache {
        BuildCache { enabled: true, racy_window: sources::RACY, ..BuildCache::default() }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// True when the next build or check reads every source file: there is no analysis to reuse
    /// (no cache, `--no-cache`, `odp check`, `odp serve`'s first build).
    pub fn reads_everything(&self) -> bool {
        !self.enabled || (self.unread.is_none() && self.analyses.map.lock().expect("analyses lock").is_empty())
    }

    /// Loads `<root>/.odp/cache/`: its summary only, when there is one (the rest waits for
    /// [`BuildCache::read_all`]). A missing, unreadable or older-version cache is an empty one
    /// (the cache only ever saves time, so it never fails a build).
    pub fn load(root: &Path) -> BuildCache {
        let mut cache = BuildCache::in_memory();
        let summary = std::fs::read(root.join(DIR).join("summary.json")).ok();
        match summary.and_then(|bytes| serde_json::from_slice::<Summary>(&bytes).ok()) {
            Some(mut summary) if summary.generator == GENERATOR => {
                summary.last.listing = Some(summary.listing.into());
                cache.last = Some(summary.last);
                cache.unread = Some(root.join(DIR).join("cache.json"));
            }
            _ => cache.read(&root.join(DIR).join("cache.json")),
        }
        cache
    }

    /// Reads the job records, file hashes and analyses that [`BuildCache::load`] left on disk
    /// (a build that found its sources unchanged never needs them).
    pub fn read_all(&mut self) {
        if let Some(path) = self.unread.take() {
            // The listing is in the summary only; it goes with the same outputs' digest.
            let kept = self.last.take().map(|l| (l.outputs, l.listing));
            self.read(&path);
            if let (Some(last), Some((outputs, listing))) = (self.last.as_mut(), kept)
                && last.outputs == outputs
            {
                last.listing = listing;
            }
        }
    }

    fn read(&mut self, path: &Path) {
        let Ok(bytes) = std::fs::read(path) else { return };
        let Ok(disk) = serde_json::from_slice::<OnDisk>(&bytes) else { return };
        if disk.generator != GENERATOR {
            return;
        }
        *self.files.map.get_mut().expect("lock") =
            disk.files.into_iter().map(|(p, s, h)| (PathBuf::from(p), (s, h))).collect();
        let analyses = self.analyses.map.get_mut().expect("lock");
        for (key, rec) in disk.analyses {
            if let Some(facts) = rec.into_facts() {
                analyses.insert(key, Analysis { facts: Some(facts), diagnostics: Diagnostics::new() });
            }
        }
        self.last = disk.last;
    }

    /// Writes the cache to `<root>/.odp/cache/cache.json`, then its summary to `summary.json`
    /// (each atomically: temp file + rename; the old summary is removed first, so a summary is
    /// never newer than the file it summarises).
    /// Analyses that produced diagnostics stay in memory only: diagnostics are cheap to
    /// recompute for the few files that have them and are not serialisable.
    pub fn save(&self, root: &Path) -> Result<()> {
        // Unchanged, or never read in full (a build reads it all as soon as anything changed):
        // what is on disk is already right, and saving the summary alone would lose the rest.
        if !self.enabled || self.unchanged || self.unread.is_some() {
            return Ok(());
        }
        let dir = root.join(DIR);
        std::fs::create_dir_all(&dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        match std::fs::remove_file(dir.join("summary.json")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("failed to remove `{}`", dir.join("summary.json").display()));
            }
            _ => {}
        }
        // The last build's job records (most of the file) are serialised on one core while the
        // file hashes and analyses are gathered on the other: `odp build` waits for this after
        // its last job (issue 7: 120 ms of a 5,000-dataset build, on one core). The pieces are
        // joined as [`OnDisk`] reads them (`odp_build_keeps_the_cache_on_disk…` in tests/testsuite/serve.rs
        // reuses every job from the saved file).
        let (last, rest) = rayon::join(
            || {
                let _t = crate::timings::stage("save cache: jobs");
                // Sized up front: growing a 14 MB buffer by doubling copies it and faults in
                // fresh pages at every step (a job record takes about 400 bytes).
                let jobs = self.last.as_ref().map_or(0, |l| l.jobs.len());
                let mut out = Vec::with_capacity(4096 + jobs * 512);
                serde_json::to_writer(&mut out, &self.last).map(|()| out)
            },
            || -> serde_json::Result<Vec<u8>> {
                let _t = crate::timings::stage("save cache: files");
                // Files that no longer exist are forgotten.
                let mut files: Vec<(String, Stat, String)> = {
                    let map = self.files.map.lock().expect("lock");
                    let known: Vec<_> = map.iter().collect();
                    known
                        .into_par_iter()
                        .filter(|(p, _)| p.exists())
                        .map(|(p, (s, h))| (p.to_string_lossy().into_owned(), *s, h.clone()))
                        .collect()
                };
                files.sort_by(|a, b| a.0.cmp(&b.0));
                let used = self.analyses.used.lock().expect("lock");
                let analyses: BTreeMap<String, FactsRecord> = self
                    .analyses
                    .map
                    .lock()
                    .expect("lock")
                    .iter()
                    .filter(|(k, a)| a.diagnostics.is_empty() && used.contains(*k))
                    .filter_map(|(k, a)| Some((k.clone(), FactsRecord::from_facts(a.facts.as_ref()?))))
                    .collect();
                let mut out = Vec::with_capacity(4096 + files.len() * 256 + analyses.len() * 1024);
                out.extend_from_slice(br#"{"generator":"#);
                serde_json::to_writer(&mut out, GENERATOR)?;
                out.extend_from_slice(br#","files":"#);
                serde_json::to_writer(&mut out, &files)?;
                out.extend_from_slice(br#","analyses":"#);
                serde_json::to_writer(&mut out, &analyses)?;
                out.extend_from_slice(br#","last":"#);
                Ok(out)
            },
        );
        let (rest, last) = (rest?, last?);
        let _t = crate::timings::stage("save cache: write");
        let tmp = dir.join("cache.json.tmp");
        // Written piece by piece rather than joined first: the join copied 17 MB at 5,000 datasets.
        std::fs::File::create(&tmp)
            .and_then(|mut f| {
                use std::io::Write;
                f.write_all(&rest)?;
                f.write_all(&last)?;
                f.write_all(b"}")
            })
            .with_context(|| format!("failed to write `{}`", tmp.display()))?;
        std::fs::rename(&tmp, dir.join("cache.json"))
            .with_context(|| format!("failed to write `{}`", dir.join("cache.json").display()))?;
        let Some(last) = &self.last else { return Ok(()) };
        let summary = Summary {
            generator: GENERATOR.to_string(),
            last: last.clone_without_jobs(),
            listing: last.listing.as_deref().unwrap_or_default().to_string(),
        };
        let tmp = dir.join("summary.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(&summary)?)
            .with_context(|| format!("failed to write `{}`", tmp.display()))?;
        std::fs::rename(&tmp, dir.join("summary.json"))
            .with_context(|| format!("failed to write `{}`", dir.join("summary.json").display()))
    }

    /// `table::analyse`, or its remembered result for the same bytes, resource description and
    /// code lists. The key covers everything `analyse` reads, so a hit is what a run would give.
    pub fn analyse(
        &self,
        root: &Path,
        dir: &str,
        file: &FileResource,
        codelists: &CodeLists,
        diags: &mut Diagnostics,
    ) -> Option<FileFacts> {
        if !self.enabled {
            return table::analyse(root, dir, file, codelists, diags);
        }
        let Some(key) = self.analysis_key(root, dir, file, codelists) else {
            return table::analyse(root, dir, file, codelists, diags);
        };
        self.analyses.used.lock().expect("lock").insert(key.clone());
        if let Some(hit) = self.analyses.map.lock().expect("lock").get(&key).cloned() {
            diags.extend(hit.diagnostics);
            return hit.facts;
        }
        let mut local = Diagnostics::new();
        let facts = table::analyse(root, dir, file, codelists, &mut local);
        // The memory of analyses outlives this build (`odp serve`): without the kept bytes.
        let remembered = facts.clone().map(|f| FileFacts { published: Default::default(), ..f });
        self.analyses.map.lock().expect("lock").insert(key, Analysis { facts: remembered, diagnostics: local.clone() });
        diags.extend(local);
        facts
    }

    fn analysis_key(&self, root: &Path, dir: &str, file: &FileResource, codelists: &CodeLists) -> Option<String> {
        let path = root.join(dir).join(&file.path.value);
        let bytes = self.files.hash(&path).ok()?;
        let mut h = Sha256::new();
        h.update(GENERATOR);
        h.update(dir);
        h.update(bytes);
        // Debug covers every field of the description, positions included (they are in the
        // diagnostics); facts are not filled yet at this point.
        h.update(format!("{file:?}"));
        if let Some(schema) = &file.schema {
            for field in &schema.fields {
                let Some(r) = &field.references else { continue };
                h.update(format!("{:?}", r.value));
                match codelists.get(&r.value) {
                    Some(values) => {
                        let mut v: Vec<&String> = values.iter().collect();
                        v.sort();
                        for x in v {
                            h.update(x);
                            h.update([0]);
                        }
                    }
                    None => h.update("<unread>"),
                }
            }
        }
        Some(table::hex(&h.finalize()))
    }
}

/// The cache file as read; `save` writes its fields in this order.
#[derive(Deserialize)]
struct OnDisk {
    generator: String,
    files: Vec<(String, Stat, String)>,
    analyses: BTreeMap<String, FactsRecord>,
    last: Option<LastBuild>,
}

/// [`FileFacts`] as stored on disk (the model keeps the encoding out of its serialisation).
#[derive(Serialize, Deserialize)]
struct FactsRecord {
    bytes: u64,
    sha256: String,
    rows: Option<u64>,
    preview: Vec<Vec<String>>,
    empty_counts: Vec<u64>,
    encoding: Option<String>,
    delimiter: Option<char>,
    declared_public: Vec<(String, String, String, String)>,
}

const ENCODINGS: [Encoding; 9] = [
    Encoding::Utf8,
    Encoding::Utf8Bom,
    Encoding::Utf16Le,
    Encoding::Utf16Be,
    Encoding::Windows1258,
    Encoding::Windows1252,
    Encoding::Tcvn3,
    Encoding::Vni,
    Encoding::Viscii,
];

impl FactsRecord {
    fn from_facts(f: &FileFacts) -> FactsRecord {
        // Copies are attached after validation (the pipeline's first phase), never part of an
        // analysis; the kept bytes belong to the build that read them.
        let FileFacts {
            bytes,
            sha256,
            rows,
            preview,
            empty_counts,
            encoding,
            delimiter,
            declared_public,
            copies: _,
            published: _,
        } = f;
        FactsRecord {
            bytes: *bytes,
            sha256: sha256.clone(),
            rows: *rows,
            preview: preview.clone(),
            empty_counts: empty_counts.clone(),
            encoding: encoding.map(|e| e.name().to_string()),
            delimiter: *delimiter,
            declared_public: declared_public
                .iter()
                .map(|d| (d.column.clone(), d.kind_vi.clone(), d.kind_en.clone(), d.reason.clone()))
                .collect(),
        }
    }

    /// `None` when the stored encoding is unknown to this build (then the file is analysed again).
    fn into_facts(self) -> Option<FileFacts> {
        let encoding = match self.encoding {
            None => None,
            Some(name) => Some(*ENCODINGS.iter().find(|e| e.name() == name)?),
        };
        Some(FileFacts {
            bytes: self.bytes,
            sha256: self.sha256,
            rows: self.rows,
            preview: self.preview,
            empty_counts: self.empty_counts,
            encoding,
            delimiter: self.delimiter,
            copies: Vec::new(),
            published: Default::default(),
            declared_public: self
                .declared_public
                .into_iter()
                .map(|(column, kind_vi, kind_en, reason)| DeclaredPublic { column, kind_vi, kind_en, reason })
                .collect(),
        })
    }
}
