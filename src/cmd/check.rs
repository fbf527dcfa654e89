//! `odp check`: load and validate, print every problem, write nothing.

use super::{Outcome, print_diagnostics};
use crate::cli::CheckArgs;
use crate::pipeline;
use anyhow::Result;
use std::path::Path;

pub fn run(root: &Path, args: &CheckArgs) -> Result<Outcome> {
    let (_, diags) = pipeline::check(root)?;
    let failed = diags.has_errors();
    let list = diags.sorted();
    print_diagnostics(&list, args.format, root);
    if args.format == crate::diag::render::Format::Human && list.is_empty() {
        eprintln!("Không có lỗi — no problems found");
    }
    Ok(if failed { Outcome::Problems } else { Outcome::Clean })
}
