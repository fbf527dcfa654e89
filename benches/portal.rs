//! Benchmark: generates a synthetic portal of N datasets (each with a small CSV and a data
//! dictionary, Vietnamese titles) and times `check` and a cold `build` through the library,
//! printing wall time, throughput and peak memory. Not a test: run it and quote the figures.
//! Issue 7: the cold build again with the sources dropped from the page cache; then the build
//! cache (cold build with the cache, save/load of `.odp/cache/`,
//! no-change rebuild, one data file changed, one title changed) and `odp serve`'s time from a
//! saved metadata edit to the reload event on its event stream.
//!
//!     cargo bench --bench portal -- 5000        (default N = 1000)
//!     cargo bench --bench portal -- 5000 serve  (only `odp serve`'s figures)

use odp::cache::BuildCache;
use odp::pipeline::{self, BuildOptions};
use odp::serve::{ServeOptions, Server};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::time::Instant;

const PLACES: [&str; 8] = ["Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Hồ Chí Minh", "Quảng Ninh", "Nghệ An"];
const TOPICS: [&str; 6] = ["Dân số", "Trường học", "Cơ sở y tế", "Giá đất", "Chất lượng không khí", "Đường giao thông"];

fn generate(root: &Path, n: usize) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "portal.toml",
        "[portal]\ntitle = \"Cổng dữ liệu mở (bench)\"\ndescription = \"Cổng dữ liệu tổng hợp để đo hiệu năng.\"\n\
         base_url = \"https://bench.example.gov.vn/\"\nlanguages = [\"vi\", \"en\"]\ndefault_license = \"dieu-khoan\"\n\n\
         [[themes]]\nid = \"dan-cu\"\ntitle = \"Dân cư\"\ndcat = \"SOCI\"\n\n[[themes]]\nid = \"y-te\"\ntitle = \"Y tế\"\ndcat = \"HEAL\"\n\n\
         [[licenses]]\nid = \"dieu-khoan\"\ntitle = \"Điều khoản sử dụng dữ liệu mở\"\nurl = \"/terms/\"\n",
    );
    w("content/terms.md", "+++\ntitle = \"Điều khoản\"\n+++\nĐược tự do sử dụng, phải trích dẫn nguồn.\n");
    let publishers = (n / 50).max(5);
    for p in 0..publishers {
        w(
            &format!("content/publishers/so-{p}.md"),
            &format!(
                "+++\nname = \"Sở số {p}\"\n[contact]\nname = \"Phòng {p}\"\nemail = \"p{p}@example.gov.vn\"\n+++\nMô tả.\n"
            ),
        );
    }
    for i in 0..n {
        let place = PLACES[i % PLACES.len()];
        let topic = TOPICS[i % TOPICS.len()];
        let dir = format!("datasets/ds-{i:05}");
        w(
            &format!("{dir}/dataset.toml"),
            &format!(
                "title = \"{topic} tại {place} số {i}\"\n\
                 description = \"Số liệu {topic} tại {place}, tổng hợp định kỳ phục vụ người dân và doanh nghiệp tra cứu, bộ số {i}.\"\n\
                 publisher = \"so-{}\"\ntheme = [\"{}\"]\nfrequency = \"annual\"\nkeywords = [\"{topic}\", \"{place}\"]\n\
                 issued = 2025-01-01\nmodified = 2025-06-30\n\n\
                 [[resources]]\nid = \"data\"\ntitle = \"Dữ liệu\"\npath = \"data.csv\"\n\
                 [resources.schema]\nprimary_key = [\"ma\"]\n\
                 [[resources.schema.fields]]\nname = \"ma\"\ntitle = \"Mã\"\ntype = \"integer\"\n\
                 [[resources.schema.fields]]\nname = \"ten\"\ntitle = \"Tên\"\ntype = \"string\"\n\
                 [[resources.schema.fields]]\nname = \"gia_tri\"\ntitle = \"Giá trị\"\ntype = \"number\"\n",
                i % publishers,
                if i % 2 == 0 { "dan-cu" } else { "y-te" }
            ),
        );
        let mut csv = String::from("ma,ten,gia_tri\n");
        for r in 0..20 {
            let _ = writeln!(csv, "{r},{place} {r},{}.5", r * 37 + i);
        }
        w(&format!("{dir}/data.csv"), &csv);
    }
}

/// Writes back and drops every file under `dir` from the page cache (`posix_fadvise(DONTNEED)`);
/// returns how many a read that must not wait (`RWF_NOWAIT`) then finds missing.
#[cfg(target_os = "linux")]
fn drop_from_page_cache(dir: &Path) -> usize {
    let files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files
        .iter()
        .filter(|path| {
            let Ok(file) = std::fs::File::open(path) else { return false };
            let _ = file.sync_all();
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
            let mut byte = [0u8; 1];
            let flags = rustix::io::ReadWriteFlags::NOWAIT;
            rustix::io::preadv2(&file, &mut [std::io::IoSliceMut::new(&mut byte)], 0, flags).is_err()
        })
        .count()
}

#[cfg(not(target_os = "linux"))]
fn drop_from_page_cache(_dir: &Path) -> usize {
    0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    // ODP_BENCH_DIR keeps the generated portal (e.g. to profile `odp build` on it).
    let kept = std::env::var_os("ODP_BENCH_DIR").map(std::path::PathBuf::from);
    let root = kept.as_deref().unwrap_or(dir.path());
    let t = Instant::now();
    generate(root, n);
    println!("generated {n} datasets in {:.2} s", t.elapsed().as_secs_f64());
    // `-- N serve`: only the serve figures (quicker while working on them).
    if std::env::args().any(|a| a == "serve") {
        serve_bench(root);
        println!("peak RSS at the end: {:.0} MiB", peak_rss_mib());
        return;
    }

    let t = Instant::now();
    let (_, diags) = pipeline::check(root).unwrap();
    assert!(!diags.has_errors(), "synthetic portal must be valid");
    let check = t.elapsed().as_secs_f64();
    println!("check: {check:.2} s ({:.0} datasets/s)", n as f64 / check);

    let opts = BuildOptions {
        as_of: None,
        in_place: false,
        root: root.to_path_buf(),
        out: root.join("site"),
        theme: Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        base_url: None,
    };
    let t = Instant::now();
    let outcome = pipeline::build(&opts).unwrap();
    let build = t.elapsed().as_secs_f64();
    let report = outcome.report.expect("build writes the site");
    let files = walkdir::WalkDir::new(root.join("site"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    println!(
        "cold build: {build:.2} s, {} pages ({:.0} pages/s), {files} files, {} threads",
        report.pages,
        report.pages as f64 / build,
        rayon::current_num_threads()
    );
    println!("peak RSS: {:.0} MiB", peak_rss_mib());

    // The same build with the sources out of the page cache, as after a while idle (this VM's
    // host reclaims page cache within a minute): what `load::prefetch` is for. Without root the
    // page cache is not dropped as a whole; each source is written back and dropped on its own.
    // tmpfs cannot drop its files: there the figure is the cold build's again, and says so.
    let dropped = drop_from_page_cache(&root.join("datasets"));
    let t = Instant::now();
    pipeline::build(&BuildOptions { out: root.join("site-from-disk"), ..opts.clone() }).unwrap();
    println!(
        "cold build, sources read from the disk: {:.2} s ({dropped} source files were out of the page cache)",
        t.elapsed().as_secs_f64()
    );

    // Issue 7: the same build through the cache, as `odp build` runs it, into its own folder
    // (so the figures do not include deleting the first build's 60,000 files).
    let opts = BuildOptions { out: root.join("site-cached"), ..opts };
    let cached_build = |label: &str, cache: &mut BuildCache| {
        let t = Instant::now();
        let outcome = pipeline::build_with(&opts, cache).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let report = outcome.report.expect("build writes the site");
        println!(
            "{label}: {secs:.3} s ({:.1}% of the cold build), {} jobs run, {} reused",
            100.0 * secs / build,
            report.jobs.len(),
            report.skipped
        );
        secs
    };
    let mut cache = BuildCache::in_memory();
    cached_build("cold build with cache", &mut cache);
    let t = Instant::now();
    cache.save(root).unwrap();
    let save = t.elapsed().as_secs_f64();
    let size = |name: &str| std::fs::metadata(root.join(".odp/cache").join(name)).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let mut cache = BuildCache::load(root);
    let summary = t.elapsed().as_secs_f64();
    // What a build that finds a change reads next (the no-change rebuild below does not).
    let t = Instant::now();
    let mut whole = BuildCache::load(root);
    whole.read_all();
    println!(
        "cache on disk: {:.1} MB (summary {} bytes), saved in {save:.3} s; summary loaded in {summary:.3} s, the rest in {:.3} s",
        size("cache.json") as f64 / 1e6,
        size("summary.json"),
        t.elapsed().as_secs_f64()
    );
    drop(whole);
    cached_build("no-change rebuild", &mut cache);
    let csv = root.join("datasets/ds-00007/data.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text + "99,Hàng mới,1.5\n").unwrap();
    cached_build("one data file changed", &mut cache);
    let toml = root.join("datasets/ds-00007/dataset.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("title = \"", "title = \"Sửa: ", 1)).unwrap();
    cached_build("one title changed", &mut cache);
    println!("peak RSS after the cached builds: {:.0} MiB", peak_rss_mib());

    serve_bench(root);
    println!("peak RSS at the end: {:.0} MiB", peak_rss_mib());
}

/// `odp serve` on the same portal: time from saving a metadata edit to the reload event.
fn serve_bench(root: &Path) {
    let t = Instant::now();
    let (server, watcher, first) = Server::start_watching(ServeOptions {
        root: root.to_path_buf(),
        theme: Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        builds: root.join(".odp/serve"),
    })
    .unwrap();
    assert!(first.errors.is_none(), "{:?}", first.errors);
    println!("serve: first build {:.2} s", t.elapsed().as_secs_f64());
    let addr = server.addr();
    std::thread::spawn(move || server.run(watcher).unwrap());
    let stream = std::net::TcpStream::connect(addr).unwrap();
    (&stream).write_all(b"GET /__odp/events HTTP/1.1\r\n\r\n").unwrap();
    let mut events = BufReader::new(stream);
    // Each event is `event: <name>` then `data: <json>`; returns the data line.
    let mut wait_event = |name: &str, containing: &str| loop {
        let mut line = String::new();
        events.read_line(&mut line).unwrap();
        if line.trim_end() == format!("event: {name}") {
            let mut data = String::new();
            events.read_line(&mut data).unwrap();
            if data.contains(containing) {
                break data;
            }
        }
    };
    wait_event("hello", "");
    let (mut page, mut all) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let id = format!("ds-{:05}", 100 + i);
        let toml = root.join(format!("datasets/{id}/dataset.toml"));
        let text = std::fs::read_to_string(&toml).unwrap();
        let t = Instant::now();
        std::fs::write(&toml, text.replacen("title = \"", "title = \"Đã sửa ", 1)).unwrap();
        // The edited dataset's page first, then the listings and catalogues.
        wait_event("reload", &format!("\"/datasets/{id}/\""));
        page.push(t.elapsed().as_secs_f64() * 1000.0);
        wait_event("reload", "\"/datasets/\"");
        all.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    for times in [&mut page, &mut all] {
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    }
    println!(
        "serve: save → reload of the edited dataset's page: median {:.0} ms (min {:.0}, max {:.0}; 5 title edits, debounce included)",
        page[2], page[0], page[4]
    );
    println!(
        "serve: save → reload of the listings (build finished): median {:.0} ms (min {:.0}, max {:.0})",
        all[2], all[0], all[4]
    );
}
