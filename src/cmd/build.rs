//! `odp build`: validate, then write the whole site into a staging folder and swap it in.
//! With any error nothing is written and the previous site stays as it was.

use super::{Outcome, print_diagnostics};
use crate::cli::BuildArgs;
use crate::pipeline::{self, BuildOptions};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

pub fn run(root: &Path, args: &BuildArgs) -> Result<Outcome> {
    let start = Instant::now();
    let opts = BuildOptions {
        root: root.to_path_buf(),
        out: root.join(&args.out),
        theme: root.join(&args.theme),
        base_url: args.base_url.clone(),
        as_of: args.as_of.clone(),
    };
    let outcome = pipeline::build(&opts)?;
    let list = outcome.diagnostics.sorted();
    print_diagnostics(&list, args.format, root);
    match outcome.report {
        Some(report) => {
            eprintln!(
                "Đã tạo / built {}: {} trang / pages, {} bộ dữ liệu / datasets, {} ms",
                args.out.display(),
                report.pages,
                report.datasets,
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
