//! `odp build`: validate, then write the whole site into a staging folder and swap it in.
//! With any error nothing is written and the previous site stays as it was.

use super::{Outcome, print_diagnostics};
use crate::cache::BuildCache;
use crate::cli::BuildArgs;
use crate::pipeline::{self, BuildOptions};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

pub fn run(root: &Path, args: &BuildArgs) -> Result<Outcome> {
    let start = Instant::now();
    crate::keep_freed_memory();
    let opts = BuildOptions {
        root: root.to_path_buf(),
        out: root.join(&args.out),
        theme: root.join(&args.theme),
        base_url: args.base_url.clone(),
        as_of: args.as_of.clone(),
        in_place: false,
    };
    // --no-cache starts from an empty cache (every file analysed, every job run) and leaves a
    // fresh one behind, so the next build can skip again.
    let mut cache = {
        let _t = crate::timings::stage("load cache");
        if args.no_cache { BuildCache::in_memory() } else { BuildCache::load(root) }
    };
    let outcome = pipeline::build_with(&opts, &mut cache)?;
    {
        let _t = crate::timings::stage("save cache");
        cache.save(root)?;
    }
    let list = outcome.diagnostics.sorted();
    print_diagnostics(&list, args.format, root);
    match outcome.report {
        Some(report) => {
            eprintln!(
                "Đã tạo / built {}: {} trang / pages, {} bộ dữ liệu / datasets, {} việc chạy / jobs run, {} dùng lại / reused, {} ms",
                args.out.display(),
                report.pages,
                report.datasets,
                report.jobs.len(),
                report.skipped,
                start.elapsed().as_millis()
            );
            Ok(Outcome::Clean)
        }
        None => {
            eprintln!(
                "Không ghi gì vào {} vì có lỗi — nothing was written to {} because of errors",
                args.out.display(),
                args.out.display()
            );
            Ok(Outcome::Problems)
        }
    }
}
