//! `odp serve` (issue 7): build, serve on localhost, watch, rebuild, reload the browser.
//!
//! Every build is `pipeline::build_with_progress` — the same load → validate → plan → execute
//! as `odp build` — with an in-memory [`BuildCache`], so a rebuild runs only the jobs whose
//! inputs changed. The preview lives in `.odp/serve/<pid>/`, never the user's `site/`: the
//! first build stages and swaps it in, later ones update it in place, the changed datasets'
//! pages first (announced at once), then the portal-wide jobs. Validation comes before any
//! write, so a failed build leaves the last good site up and puts its messages in an overlay
//! on every page (and on the terminal); the next good build clears it.

pub mod host;
pub mod http;
pub mod watch;

use crate::cache::BuildCache;
use crate::diag::render::{self, Format};
use crate::pipeline::{self, BuildOptions};
use anyhow::{Context, Result};
use host::Rules;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Where serve builds go, relative to the portal root (gitignored with the cache).
pub const DIR: &str = ".odp/serve";

/// A built site being served.
#[derive(Debug)]
pub struct Served {
    pub dir: PathBuf,
    pub rules: Rules,
}

#[derive(Default)]
struct Inner {
    site: Option<Arc<Served>>,
    generation: u64,
    errors: Option<String>,
    /// The URL paths each recent generation changed (`None`: every page), newest last.
    changed: std::collections::VecDeque<(u64, Option<Vec<String>>)>,
}

/// Beyond this many changed pages a reload event says `null` (every page).
const MAX_LISTED_PAGES: usize = 1000;

/// How many generations' page lists are kept for browsers that fell behind.
const KEPT_GENERATIONS: usize = 64;

/// What the HTTP side reads and the build side writes (no globals: one per server).
#[derive(Default)]
pub struct ServeState {
    inner: Mutex<Inner>,
    built: Condvar,
}

impl ServeState {
    /// The site to serve, the build generation and the overlay text, if the last build failed.
    pub fn snapshot(&self) -> (Option<Arc<Served>>, u64, Option<String>) {
        let i = self.inner.lock().expect("serve state lock");
        (i.site.clone(), i.generation, i.errors.clone())
    }

    /// Waits until a build newer than `seen` finished; `None` after `timeout`.
    pub fn wait_for_build(&self, seen: u64, timeout: Duration) -> Option<u64> {
        let guard = self.inner.lock().expect("serve state lock");
        let (guard, _) = self.built.wait_timeout_while(guard, timeout, |i| i.generation <= seen).expect("lock");
        (guard.generation > seen).then_some(guard.generation)
    }

    /// The URL paths changed by the generations after `seen` up to `now`; `None` when one of
    /// them changed every page or is no longer remembered (then every browser reloads).
    pub fn changed_since(&self, seen: u64, now: u64) -> Option<Vec<String>> {
        let i = self.inner.lock().expect("serve state lock");
        let mut pages = std::collections::BTreeSet::new();
        for g in seen + 1..=now {
            let (_, list) = i.changed.iter().find(|(n, _)| *n == g)?;
            pages.extend(list.as_ref()?.iter().cloned());
        }
        Some(pages.into_iter().collect())
    }

    /// Records a finished build: a new site on success (errors cleared), or the errors (the
    /// old site stays), then wakes every browser's event stream. `pages`: the site-relative
    /// HTML files the build changed, `None` for all.
    fn finish(&self, site: Option<Arc<Served>>, errors: Option<String>, pages: Option<Vec<String>>) -> u64 {
        let mut i = self.inner.lock().expect("serve state lock");
        if let Some(site) = site {
            i.site = Some(site);
        }
        i.errors = errors;
        self.next_generation(&mut i, pages)
    }

    /// Records pages an in-place build has already rewritten while it goes on (same site,
    /// errors unchanged), and wakes the event streams.
    fn pages_ready(&self, pages: Vec<String>) -> u64 {
        let mut i = self.inner.lock().expect("serve state lock");
        self.next_generation(&mut i, Some(pages))
    }

    fn next_generation(&self, i: &mut Inner, pages: Option<Vec<String>>) -> u64 {
        i.generation += 1;
        let g = i.generation;
        // A theme or portal.toml edit changes every page: say "all" rather than list 20,000.
        let pages = pages.filter(|p| p.len() <= MAX_LISTED_PAGES);
        i.changed.push_back((g, pages.map(|p| p.iter().map(|rel| crate::urls::file_page(rel)).collect())));
        if i.changed.len() > KEPT_GENERATIONS {
            i.changed.pop_front();
        }
        self.built.notify_all();
        g
    }
}

/// Options of `odp serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub theme: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Where the preview builds go (`<root>/.odp/serve` by default; never the user's `site/`).
    pub builds: PathBuf,
}

/// What one build of the serve loop did.
#[derive(Debug, Clone)]
pub struct BuildResult {
    /// The build generation (what the reload event carries).
    pub generation: u64,
    /// Jobs that ran (sorted), when the build succeeded.
    pub jobs: Option<Vec<String>>,
    pub skipped: usize,
    /// The overlay text, when it failed.
    pub errors: Option<String>,
    /// Pages announced to the browsers before the build finished (the edited dataset's).
    pub early_pages: Vec<String>,
}

/// A running preview server: the HTTP thread serves `state`; [`Server::rebuild`] builds.
pub struct Server {
    pub state: Arc<ServeState>,
    addr: SocketAddr,
    opts: ServeOptions,
    cache: BuildCache,
    count: u64,
    /// The last build failed: the next good one reloads every page (to clear the overlay).
    failed: bool,
}

impl Server {
    /// Binds the port, starts the HTTP thread and runs the first build. Without a watcher:
    /// every rebuild is asked for ([`Server::rebuild`]) and the load memo stats every file.
    pub fn start(opts: ServeOptions) -> Result<(Server, BuildResult)> {
        let mut server = Server::bind(opts)?;
        let first = server.rebuild();
        Ok((server, first))
    }

    /// [`Server::start`] with the file watcher running before the first build, so no change
    /// goes unseen and the load memo can trust its events instead of stat'ing every file.
    pub fn start_watching(opts: ServeOptions) -> Result<(Server, watch::Watcher, BuildResult)> {
        let mut server = Server::bind(opts)?;
        let watcher = watch::Watcher::new(&server.opts.root, &server.opts.theme)?;
        if let Some(memo) = &server.cache.loads {
            memo.trust_events(watch::Watcher::watched(&server.opts.root, &server.opts.theme));
        }
        let first = server.rebuild();
        Ok((server, watcher, first))
    }

    fn bind(opts: ServeOptions) -> Result<Server> {
        let listener = TcpListener::bind((opts.bind, opts.port))
            .with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(ServeState::default());
        let http_state = state.clone();
        std::thread::spawn(move || http::serve(listener, http_state));
        clean_stale(&opts.builds);
        let mut server = Server { state, addr, opts, cache: BuildCache::in_memory(), count: 0, failed: false };
        // Dataset folders parsed once and kept while unchanged (see `load::LoadMemo`), and each
        // build's validated datasets carried into the next (see `cache::carry`).
        server.cache.loads = Some(crate::load::LoadMemo::default());
        server.cache.carry = Some(crate::cache::carry::Carry::default());
        Ok(server)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to print and to use as the site's base URL.
    pub fn url(&self) -> String {
        let host = if self.addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { self.addr.ip().to_string() };
        match self.addr.ip() {
            IpAddr::V6(_) if !self.addr.ip().is_unspecified() => format!("http://[{host}]:{}/", self.addr.port()),
            _ => format!("http://{host}:{}/", self.addr.port()),
        }
    }

    /// One build through the pipeline; prints what happened on stderr.
    pub fn rebuild(&mut self) -> BuildResult {
        let start = Instant::now();
        self.count += 1;
        // One preview folder per server, updated in place after the first build: re-staging
        // every unchanged file for each edit cost seconds on large portals (issue 7).
        let out = self.opts.builds.join(std::process::id().to_string());
        let opts = BuildOptions {
            root: self.opts.root.clone(),
            out: out.clone(),
            theme: self.opts.theme.clone(),
            base_url: Some(self.url()),
            as_of: None,
            in_place: true,
        };
        // The edited dataset's pages are announced as soon as they are written (a reload well
        // under 300 ms on a 5,000-dataset portal), the listings and catalogues when done.
        let early_pages = Mutex::new(Vec::new());
        let state = self.state.clone();
        let announce = |pages: Vec<String>| {
            let generation = state.pages_ready(pages.clone());
            eprintln!(
                "Đã cập nhật / updated {} trang / pages ({} ms, generation {generation}), đang dựng tiếp / still building",
                pages.len(),
                start.elapsed().as_millis()
            );
            *early_pages.lock().expect("early pages lock") = pages;
        };
        let early: Option<pipeline::EarlyPages<'_>> = (!self.failed).then_some(&announce);
        let built = pipeline::build_with_progress(&opts, &mut self.cache, early);
        let early_pages = early_pages.into_inner().expect("early pages lock");
        let mut pages = None;
        let (site, errors, jobs, skipped) = match built {
            Ok(outcome) => {
                let list = outcome.diagnostics.sorted();
                let text = render::report(&list, Format::Short, &self.opts.root);
                match outcome.report {
                    Some(report) => {
                        eprint!("{text}");
                        let rules = Rules::load(&out);
                        for w in &rules.warnings {
                            eprintln!("warning: {w}");
                        }
                        eprintln!(
                            "Đã dựng lại / rebuilt: {} việc chạy / jobs run, {} dùng lại / reused, {} ms",
                            report.jobs.len(),
                            report.skipped,
                            start.elapsed().as_millis()
                        );
                        if !self.failed && self.count > 1 {
                            let announced: std::collections::HashSet<&String> = early_pages.iter().collect();
                            pages =
                                Some(report.changed_pages.iter().filter(|p| !announced.contains(p)).cloned().collect());
                        }
                        (Some(Arc::new(Served { dir: out, rules })), None, Some(report.jobs), report.skipped)
                    }
                    None => {
                        eprint!("{text}");
                        eprintln!(
                            "Bản dựng lỗi, vẫn phục vụ bản tốt gần nhất — build failed, still serving the last good site"
                        );
                        (None, Some(text), None, 0)
                    }
                }
            }
            Err(e) => {
                let text = e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join("\n  caused by: ");
                let text = format!("error: {text}\n");
                eprint!("{text}");
                (None, Some(text), None, 0)
            }
        };
        self.failed = errors.is_some();
        let generation = self.state.finish(site, errors.clone(), pages);
        BuildResult { generation, jobs, skipped, errors, early_pages }
    }

    /// Rebuilds on every change the watcher reports, forever (until the watcher stops).
    pub fn run(mut self, watcher: watch::Watcher) -> Result<()> {
        while let Some(batch) = watcher.next_batch() {
            let changes = &batch.changes;
            let mut names: Vec<String> = changes.iter().take(8).map(ToString::to_string).collect();
            if changes.len() > 8 {
                names.push(format!("+{}", changes.len() - 8));
            }
            eprintln!("Thay đổi / changed: {}", names.join(", "));
            if let Some(memo) = &self.cache.loads {
                if batch.rescan {
                    memo.invalidate_all();
                } else {
                    memo.invalidate(&batch.paths);
                }
            }
            self.rebuild();
        }
        Ok(())
    }
}

/// Removes serve folders left by servers that are no longer running (Linux: no /proc/<pid>).
fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // `<pid>` (one folder per server), or `<pid>-<n>` from older versions.
        let pid = name.split_once('-').map_or(name.as_str(), |(pid, _)| pid);
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let alive = Path::new("/proc").join(pid.to_string()).exists() || !Path::new("/proc").is_dir();
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
