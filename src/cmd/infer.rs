//! `odp infer <file>`: prints a proposed `[[resources]]` block with its data dictionary for a
//! CSV/TSV file (`infer/`), with `references` to the portal's code lists when `--root` is a portal.
//! The block goes to stdout (redirect it or copy it); notes go to stderr.

use super::Outcome;
use crate::cli::InferArgs;
use crate::infer::{self, ReadError, codelist, propose};
use crate::load;
use crate::text::fold;
use anyhow::{Context, Result, bail};
use std::path::{Component, Path, PathBuf};

pub fn run(root: &Path, args: &InferArgs) -> Result<Outcome> {
    let file = locate(root, &args.file)?;
    if let Some(id) = &args.resource_id
        && !is_resource_id(id)
    {
        bail!(
            "mã tài nguyên `{id}` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, `-` và `_` — invalid resource \
             id `{id}`: use lowercase ASCII letters, digits, `-` and `_` only"
        );
    }
    let mut info = resource_info(root, &args.file, &file, args.resource_id.as_deref());
    let facts = match infer::read_table(&file) {
        Ok(facts) => facts,
        Err(ReadError::Io(e)) => return Err(e).with_context(|| format!("failed to read `{}`", file.display())),
        Err(ReadError::Content { vi, en }) => {
            eprintln!("error: {}: {vi} — {en}", info.display);
            return Ok(Outcome::Problems);
        }
    };
    let ext = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if !matches!(ext.as_str(), "csv" | "tsv") {
        info.format = Some(if facts.delimiter == b'\t' { "TSV" } else { "CSV" });
    }
    let lists = match load::load(root) {
        Ok((Some(portal), _)) => codelist::load(&portal, root, Some(&file)),
        _ => {
            eprintln!(
                "note: không đọc được Cổng ở `{}` (--root): không đề xuất `references` tới danh mục — could not read \
                 a portal at `{}` (--root): no code-list `references` proposed",
                root.display(),
                root.display()
            );
            Vec::new()
        }
    };
    let proposal = propose::propose(&facts, &lists);
    print!("{}", propose::render(&info, &proposal));
    Ok(Outcome::Clean)
}

/// The file as typed, from the current folder or else from the portal's root.
fn locate(root: &Path, arg: &Path) -> Result<PathBuf> {
    if arg.is_file() {
        return Ok(arg.to_path_buf());
    }
    let under_root = root.join(arg);
    if !arg.is_absolute() && under_root.is_file() {
        return Ok(under_root);
    }
    bail!("không tìm thấy tệp `{}` — file `{}` not found", arg.display(), arg.display())
}

fn is_resource_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A resource id from a file name: folded to ASCII, lower case, anything else turned into `-`.
pub fn resource_id_of(stem: &str) -> String {
    let mut id = String::new();
    for c in fold(stem).chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "du-lieu".into() } else { id }
}

/// Where the file sits: its path inside `datasets/<id>/` when it is in a dataset folder of the
/// portal, else only its name (the agency copies it there).
fn resource_info(root: &Path, typed: &Path, file: &Path, id: Option<&str>) -> propose::ResourceInfo {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rel = match (file.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.strip_prefix(&r).ok().map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        }),
        _ => None,
    };
    let in_dataset = rel.as_ref().filter(|p| p.len() >= 3 && p[0] == "datasets");
    propose::ResourceInfo {
        id: id.map_or_else(|| resource_id_of(&stem), str::to_string),
        display: rel.as_ref().map_or_else(|| typed.display().to_string(), |p| p.join("/")),
        path: in_dataset.map_or(name, |p| p[2..].join("/")),
        in_dataset: in_dataset.is_some(),
        format: None,
        stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_from_file_names() {
        assert_eq!(resource_id_of("Dân số 2024"), "dan-so-2024");
        assert_eq!(resource_id_of("co_so"), "co_so");
        assert_eq!(resource_id_of("ĐƠN VỊ (mới)"), "don-vi-moi");
        assert_eq!(resource_id_of("—"), "du-lieu");
    }
}
