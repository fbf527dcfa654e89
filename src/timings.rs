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

/// Times a stage until dropped, then prints `stage <name>: <ms>` and the CPU time all threads
/// spent meanwhile (twice the wall time: both cores busy; equal: one core idle).
pub struct Stage {
    name: &'static str,
    start: Option<(Instant, u64)>,
}

pub fn stage(name: &'static str) -> Stage {
    Stage { name, start: enabled().then(|| (Instant::now(), cpu_ns())) }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some((start, cpu)) = self.start {
            eprintln!(
                "odp timings: stage {:<22} {:>8.1} ms, CPU {:>8.1} ms, RSS {:>5} MiB",
                self.name,
                start.elapsed().as_secs_f64() * 1000.0,
                cpu_ns().saturating_sub(cpu) as f64 / 1e6,
                rss_mib()
            );
        }
    }
}

/// CPU time of every thread of the process so far, in nanoseconds (Linux: the first field of
/// each `/proc/self/task/*/schedstat`; 0 elsewhere). Threads that ended are not counted, so
/// it is only meaningful within the lifetime of the worker pool.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// The process's resident memory now (Linux: `VmRSS` of `/proc/self/status`; 0 elsewhere): on
/// this VM each fresh page costs ~1 ms per MiB to fault in (issue 7), so growth is a cost too.
fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().strip_suffix("kB"));
    kib.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0) / 1024
}

static KINDS: Mutex<BTreeMap<&'static str, (usize, Duration)>> = Mutex::new(BTreeMap::new());
/// The longest single jobs: a long one started late keeps a core idle at the end of the build.
static LONGEST: Mutex<Vec<(Duration, String)>> = Mutex::new(Vec::new());
const LONGEST_SHOWN: usize = 8;
/// When the first job started, and per thread its jobs' summed time and when its last job
/// ended (after that first start): a thread that stops early while another works on shows a
/// core left idle (issue 7 found one core rendering the last 4,000 pages alone this way).
type Threads = (Option<Instant>, BTreeMap<String, (Duration, Duration)>);
static THREADS: Mutex<Threads> = Mutex::new((None, BTreeMap::new()));

/// Runs `f`, adding its duration to the job kind's total.
pub fn job<T>(kind: &'static str, name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    let mut threads = THREADS.lock().expect("timings lock");
    let first = *threads.0.get_or_insert(start);
    let entry = threads.1.entry(format!("{:?}", std::thread::current().id())).or_default();
    entry.0 += took;
    entry.1 = entry.1.max(start + took - first);
    drop(threads);
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
    let (_, threads) = std::mem::take(&mut *THREADS.lock().expect("timings lock"));
    for (thread, (busy, last_end)) in threads {
        eprintln!(
            "odp timings: thread {thread:<20} {:>8.1} ms in jobs, last job ended {:>8.1} ms after the first began",
            busy.as_secs_f64() * 1000.0,
            last_end.as_secs_f64() * 1000.0
        );
    }
}
