//! `odp check`: load and validate, print every problem, write nothing.
//! With paths or `--changed-since`, the whole portal is still loaded and validated (references
//! resolve), and only the problems in scope are printed and decide the exit code (`scope.rs`).

use super::{Outcome, print_diagnostics};
use crate::cli::CheckArgs;
use crate::diag::render::Format;
use crate::diag::{Diagnostic, Severity};
use crate::pipeline;
use crate::scope::{self, Scope};
use anyhow::Result;
use std::path::Path;

pub fn run(root: &Path, args: &CheckArgs) -> Result<Outcome> {
    // Paths and git first: a typo or an unknown revision stops before the (long) validation.
    let named: Vec<String> = args.paths.iter().map(|p| scope::resolve_path(root, p)).collect::<Result<_>>()?;
    let changed = args.changed_since.as_deref().map(|r| scope::changed_since(root, r)).transpose()?;

    let (portal, diags) = pipeline::check(root)?;
    let scope = if named.is_empty() && changed.is_none() {
        Scope::everything()
    } else {
        let mut scope = Scope::of_paths(&named);
        if let Some(changed) = &changed {
            let links = portal.as_ref().map(scope::links).unwrap_or_default();
            scope.extend(Scope::of_changes(changed, &links));
        }
        if portal.is_none() {
            // portal.toml itself is unusable: nothing in scope can be checked properly without it.
            scope.add_file("portal.toml");
        }
        scope
    };

    let (shown, hidden): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diags.sorted().into_iter().partition(|d| scope.selects(&d.path));
    let failed = shown.iter().any(|d| d.severity == Severity::Error);
    print_diagnostics(&shown, args.format, root);
    if args.format == Format::Human {
        print_scope(&scope, &shown, &hidden, args.changed_since.as_deref());
    }
    Ok(if failed { Outcome::Problems } else { Outcome::Clean })
}

/// The closing lines of the human report: what was in scope, and what was left out.
fn print_scope(scope: &Scope, shown: &[Diagnostic], hidden: &[Diagnostic], changed_since: Option<&str>) {
    if scope.is_everything() {
        if shown.is_empty() {
            eprintln!("Không có lỗi — no problems found");
        }
        return;
    }
    if scope.is_empty() {
        let since = changed_since.unwrap_or_default();
        eprintln!(
            "Không có tệp nào của Cổng thay đổi kể từ `{since}`: không có gì để kiểm tra — \
             no portal file changed since `{since}`: nothing to check"
        );
    } else {
        eprintln!("Phạm vi / scope: {}", scope.paths().join(", "));
        if shown.is_empty() {
            eprintln!("Không có lỗi trong phạm vi này — no problems found in this scope");
        }
    }
    let errors = hidden.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = hidden.len() - errors;
    if !hidden.is_empty() {
        eprintln!(
            "Ngoài phạm vi còn {errors} lỗi, {warnings} cảnh báo (chạy `odp check` để xem) — \
             {errors} error(s), {warnings} warning(s) outside this scope (run `odp check` to see them)"
        );
    }
}
