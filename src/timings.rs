//! Where a build's time goes, printed to stderr when `ODP_TIMINGS=1` (issue 7: the benchmark
//! figures are only useful if the next engineer can see which stage to work on). Wall time per
//! stage, and the summed CPU time of each job kind (jobs run in parallel, so those overlap).
//! Costs nothing when the variable is unset.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// True when `ODP_TIMINGS` is set to anything but `0` or empty.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ODP_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Times a stage until dropped, then prints `stage <name>: <ms>`.
pub struct Stage {
    name: &'static str,
    start: Option<Instant>,
}

pub fn stage(name: &'static str) -> Stage {
    Stage { name, start: enabled().then(Instant::now) }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            eprintln!("odp timings: stage {:<22} {:>8.1} ms", self.name, start.elapsed().as_secs_f64() * 1000.0);
        }
    }
}

static KINDS: Mutex<BTreeMap<&'static str, (usize, Duration)>> = Mutex::new(BTreeMap::new());
/// The longest single jobs: a long one started late keeps a core idle at the end of the build.
static LONGEST: Mutex<Vec<(Duration, String)>> = Mutex::new(Vec::new());
const LONGEST_SHOWN: usize = 8;

/// Runs `f`, adding its duration to the job kind's total.
pub fn job<T>(kind: &'static str, name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    let mut kinds = KINDS.lock().expect("timings lock");
    let entry = kinds.entry(kind).or_default();
    entry.0 += 1;
    entry.1 += took;
    drop(kinds);
    let mut longest = LONGEST.lock().expect("timings lock");
    if longest.len() < LONGEST_SHOWN || longest.last().is_some_and(|(d, _)| took > *d) {
        longest.push((took, name.to_string()));
        longest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
        longest.truncate(LONGEST_SHOWN);
    }
    out
}

/// Prints and resets the job-kind totals.
pub fn print_jobs() {
    if !enabled() {
        return;
    }
    let kinds = std::mem::take(&mut *KINDS.lock().expect("timings lock"));
    for (kind, (count, total)) in kinds {
        eprintln!("odp timings: jobs  {kind:<22} {:>8.1} ms in {count} jobs", total.as_secs_f64() * 1000.0);
    }
    for (took, name) in std::mem::take(&mut *LONGEST.lock().expect("timings lock")) {
        eprintln!("odp timings: long  {name:<40} {:>8.1} ms", took.as_secs_f64() * 1000.0);
    }
}
