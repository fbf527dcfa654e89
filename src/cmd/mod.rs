//! One module per command; each returns an [`Outcome`] that `main` maps to the exit code.

pub mod build;
pub mod check;
pub mod infer;
pub mod new;
pub mod report;
pub mod search;
pub mod serve;

use crate::diag::{Diagnostic, render};
use std::path::Path;

/// How a command ended: 0 clean, 1 problems in the input (exit codes of DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Problems,
}

/// Prints diagnostics in the chosen format: JSON on stdout (for tools), the rest on stderr.
pub fn print_diagnostics(diags: &[Diagnostic], format: render::Format, root: &Path) {
    let text = render::report(diags, format, root);
    if format == render::Format::Json {
        print!("{text}");
    } else {
        eprint!("{text}");
        if !diags.is_empty() && format == render::Format::Human {
            eprintln!("{}", render::summary(diags));
        }
    }
}
