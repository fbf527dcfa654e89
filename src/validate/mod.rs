//! Stage 2: everything that needs more than one file: references between datasets, publishers,
//! themes and licences, code-list references (002 Art. 11), and the data files themselves,
//! read once, streaming: encoding, size, SHA-256, rows checked against the data dictionary
//! (types, constraints, keys, code lists), completeness, personal data, preview.

pub mod codelist;
pub mod encoding;
pub mod privacy;
pub mod published;
pub mod rows;
pub mod sources;
pub mod table;

use crate::diag::{Diagnostics, Msg};
use crate::model::{Portal, ResourceKind, Status};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Checks the loaded portal and fills in the facts of its data files.
pub fn validate(portal: Portal, root: &Path, diags: &mut Diagnostics) -> Portal {
    validate_with(portal, root, diags, &table::analyse)
}

/// How one data file is analysed: [`table::analyse`], or the build cache's memory of it.
pub type Analyse<'a> = dyn Fn(
        &Path,
        &str,
        &crate::model::FileResource,
        &codelist::CodeLists,
        &mut Diagnostics,
    ) -> Option<crate::model::FileFacts>
    + Sync
    + 'a;

/// `validate` with the data-file analysis supplied (the build cache reuses unchanged files').
pub fn validate_with(portal: Portal, root: &Path, diags: &mut Diagnostics, analyse: &Analyse<'_>) -> Portal {
    validate_carrying(portal, root, diags, analyse, None).0
}

/// For a dataset `odp serve`'s last build validated and whose folder is unchanged: the messages
/// of its files' analysis when its facts (already filled) hold against these code lists.
pub type Carried<'a> = dyn Fn(&str, &codelist::CodeLists) -> Option<Diagnostics> + Sync + 'a;

/// What validation found per dataset, for `odp serve`'s carry (`cache::carry`).
pub struct Analysed {
    /// Per dataset, in portal order, the messages of its data files' analysis (also in the
    /// build's diagnostics).
    pub per_dataset: Vec<Diagnostics>,
    /// The code lists the files were checked against.
    pub codelists: codelist::CodeLists,
}

/// `validate_with`; a dataset `carried` answers for keeps its facts and messages.
pub fn validate_carrying(
    mut portal: Portal,
    root: &Path,
    diags: &mut Diagnostics,
    analyse: &Analyse<'_>,
    carried: Option<&Carried<'_>>,
) -> (Portal, Analysed) {
    check_references(&portal, diags);
    let codelists = read_codelists(&portal, root);
    let kept: Vec<Option<Diagnostics>> =
        portal.datasets.iter().map(|d| carried.and_then(|c| c(&d.id, &codelists))).collect();
    let results: Vec<(usize, usize, Option<crate::model::FileFacts>, Diagnostics)> = portal
        .datasets
        .iter()
        .enumerate()
        .filter(|(di, _)| kept[*di].is_none())
        .flat_map(|(di, d)| d.resources.iter().enumerate().map(move |(ri, r)| (di, ri, d, r)))
        .par_bridge()
        .filter_map(|(di, ri, d, r)| match &r.kind {
            ResourceKind::File(f) => {
                let mut local = Diagnostics::new();
                let facts = analyse(root, &d.dir, f, &codelists, &mut local);
                Some((di, ri, facts, local))
            }
            ResourceKind::Service(_) => None,
        })
        .collect();
    let mut per_dataset: Vec<Diagnostics> = kept.into_iter().map(Option::unwrap_or_default).collect();
    for (di, ri, facts, local) in results {
        per_dataset[di].extend(local);
        if let ResourceKind::File(f) = &mut portal.datasets[di].resources[ri].kind {
            f.facts = facts;
        }
    }
    for d in per_dataset.iter().filter(|d| !d.is_empty()) {
        diags.extend(d.clone());
    }
    (portal, Analysed { per_dataset, codelists })
}

/// The values of every code-list field some dataset references (read before the data files,
/// which are then checked in parallel against them). A code list that cannot be read is left
/// out; its own analysis reports why.
fn read_codelists(portal: &Portal, root: &Path) -> codelist::CodeLists {
    let wanted = codelist::CodeLists::wanted(portal);
    let read: Vec<_> = wanted
        .par_iter()
        .filter_map(|r| {
            let d = portal.dataset(&r.dataset)?;
            let res = d.resources.iter().find(|x| x.id == r.resource)?;
            let ResourceKind::File(f) = &res.kind else { return None };
            Some((r, table::read_column(root, &d.dir, f, &r.field)?))
        })
        .collect();
    let mut lists = codelist::CodeLists::new();
    for (r, values) in read {
        lists.insert(r, values);
    }
    lists
}

fn check_references(portal: &Portal, diags: &mut Diagnostics) {
    // Every id and alias a dataset answers to, so old URLs can redirect without ambiguity.
    let mut names: BTreeMap<&str, &str> = portal.datasets.iter().map(|d| (d.id.as_str(), d.id.as_str())).collect();

    check_quality(portal, diags);
    for d in &portal.datasets {
        let path = d.source.as_str();
        for a in &d.aliases {
            match names.get(a.value.as_str()) {
                Some(owner) => {
                    diags.push(path, a.pos, Msg::AliasTaken { alias: a.value.clone(), owner: owner.to_string() })
                }
                None => {
                    names.insert(&a.value, &d.id);
                }
            }
        }
        for r in &d.resources {
            let ResourceKind::File(f) = &r.kind else { continue };
            let Some(schema) = &f.schema else { continue };
            for field in &schema.fields {
                let Some(reference) = &field.references else { continue };
                let fr = &reference.value;
                let msg = match portal.dataset(&fr.dataset).filter(|t| t.status != Status::Withdrawn) {
                    None => Some(Msg::ReferenceDatasetMissing { dataset: fr.dataset.clone() }),
                    Some(target) => match target.resources.iter().find(|x| x.id == fr.resource) {
                        None => Some(Msg::ReferenceResourceMissing {
                            dataset: fr.dataset.clone(),
                            resource: fr.resource.clone(),
                        }),
                        Some(res) => {
                            let has_field = matches!(&res.kind, ResourceKind::File(tf)
                                if tf.schema.as_ref().is_some_and(|s| s.fields.iter().any(|x| x.name.value == fr.field)));
                            (!has_field).then(|| Msg::ReferenceFieldMissing {
                                dataset: fr.dataset.clone(),
                                resource: fr.resource.clone(),
                                field: fr.field.clone(),
                            })
                        }
                    },
                };
                if let Some(msg) = msg {
                    diags.push(&schema.source, reference.pos, msg);
                }
            }
        }
    }
}

/// Formats a person can read but a program cannot use as data.
const DOCUMENT_FORMATS: &[&str] = &["PDF", "DOC", "DOCX", "XLS", "PNG", "JPEG", "TXT", "HTML"];

/// Metadata quality across datasets (issue 3 §4): a machine-readable format, distinct titles.
fn check_quality(portal: &Portal, diags: &mut Diagnostics) {
    let mut titles: BTreeMap<String, &str> = BTreeMap::new();
    for d in portal.datasets.iter().filter(|d| d.status != Status::Withdrawn) {
        let top = crate::diag::Pos::new(1, 1, 1);
        let mut formats: Vec<String> = Vec::new();
        let mut has_data = false;
        for r in &d.resources {
            match &r.kind {
                ResourceKind::File(f) if DOCUMENT_FORMATS.contains(&f.format.as_str()) => {
                    if !formats.contains(&f.format) {
                        formats.push(f.format.clone());
                    }
                }
                _ => has_data = true,
            }
        }
        if !has_data && !formats.is_empty() {
            diags.push(&d.source, top, Msg::OnlyDocumentFormats { formats });
        }
        let key = crate::text::fold(&d.title.vi).split_whitespace().collect::<Vec<_>>().join(" ");
        match titles.get(&key) {
            Some(other) => diags.push(&d.source, top, Msg::DuplicateTitle { other: other.to_string() }),
            None => {
                titles.insert(key, &d.id);
            }
        }
    }
}
