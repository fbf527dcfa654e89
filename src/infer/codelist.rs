//! Code lists (danh mục dùng chung) of the portal, for proposing `references`: every tabular
//! resource whose primary key is one field is a code list of that field's values. A column is
//! proposed to reference a list when at least 99% of its distinct values are in it.

use crate::model::{FieldRef, Portal, ResourceKind, Status, Text};
use crate::validate::table::read_column;
use std::collections::HashSet;
use std::path::Path;

/// Files larger than this are not read: a big table with a key is not a code list (the 10,040
/// communes before 2025 take 360 kB).
pub const MAX_BYTES: u64 = 64 << 20;

/// The share of a column's distinct values that must be in a list, in percent.
pub const MIN_COVERAGE: usize = 99;

/// One code list: the values of a one-field primary key.
#[derive(Debug, Clone)]
pub struct CodeList {
    pub dataset: String,
    pub resource: String,
    pub field: String,
    /// The key field's label, reused as the referencing column's title.
    pub title: Text,
    /// Where the key field itself points, when the list is a copy of another one.
    pub parent: Option<FieldRef>,
    pub values: HashSet<String>,
}

impl CodeList {
    fn is(&self, r: &FieldRef) -> bool {
        self.dataset == r.dataset && self.resource == r.resource && self.field == r.field
    }
}

/// A list that holds (nearly) all the values of a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub target: FieldRef,
    pub title: Text,
    /// Distinct values of the column found in the list, out of `distinct`.
    pub found: usize,
    pub distinct: usize,
    /// Entries in the list.
    pub size: usize,
}

/// Reads every code list of the portal, except the file `skip` (the one being inferred).
/// Withdrawn datasets, unreadable files and files over `MAX_BYTES` are left out.
pub fn load(portal: &Portal, root: &Path, skip: Option<&Path>) -> Vec<CodeList> {
    let skip = skip.and_then(|p| p.canonicalize().ok());
    let mut lists = Vec::new();
    for d in portal.datasets.iter().filter(|d| d.status != Status::Withdrawn) {
        for r in &d.resources {
            let ResourceKind::File(f) = &r.kind else { continue };
            let Some(schema) = f.schema.as_ref().filter(|_| f.is_tabular()) else { continue };
            let [key] = schema.primary_key.as_slice() else { continue };
            let Some(field) = schema.fields.iter().find(|x| x.name.value == key.value) else { continue };
            let path = root.join(&d.dir).join(&f.path.value);
            if skip.is_some() && path.canonicalize().ok() == skip {
                continue;
            }
            if std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_BYTES) {
                continue;
            }
            // Read exactly as `odp check` reads the lists it checks references against.
            let Some(values) = read_column(root, &d.dir, f, &key.value) else { continue };
            lists.push(CodeList {
                dataset: d.id.clone(),
                resource: r.id.clone(),
                field: key.value.clone(),
                title: field.title.clone(),
                parent: field.references.as_ref().map(|r| r.value.clone()),
                values,
            });
        }
    }
    lists
}

/// The lists that hold at least `MIN_COVERAGE`% of `values`, best first: most values found, then
/// the shortest list (the tightest fit: a 2025 province code is also in the 63-province list, but
/// the 34-province list is the one it came from). A list whose key references another list that
/// also matches gives way to it: the reference goes to the original code list, not a copy.
pub fn find(values: &HashSet<String>, lists: &[CodeList]) -> Vec<Match> {
    if values.is_empty() {
        return Vec::new();
    }
    let hits: Vec<(&CodeList, usize)> = lists
        .iter()
        .map(|l| (l, values.iter().filter(|v| l.values.contains(*v)).count()))
        .filter(|&(_, found)| found * 100 >= values.len() * MIN_COVERAGE)
        .collect();
    let mut matches: Vec<Match> = hits
        .iter()
        .filter(|(l, _)| !l.parent.as_ref().is_some_and(|p| hits.iter().any(|(other, _)| other.is(p))))
        .map(|&(l, found)| Match {
            target: FieldRef { dataset: l.dataset.clone(), resource: l.resource.clone(), field: l.field.clone() },
            title: l.title.clone(),
            found,
            distinct: values.len(),
            size: l.values.len(),
        })
        .collect();
    matches.sort_by(|a, b| {
        (b.found, a.size, &a.target.dataset, &a.target.resource, &a.target.field).cmp(&(
            a.found,
            b.size,
            &b.target.dataset,
            &b.target.resource,
            &b.target.field,
        ))
    });
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(dataset: &str, values: &[&str], parent: Option<&str>) -> CodeList {
        CodeList {
            dataset: dataset.into(),
            resource: "r".into(),
            field: "code".into(),
            title: Text::new("Mã", None),
            parent: parent.map(|p| FieldRef { dataset: p.into(), resource: "r".into(), field: "code".into() }),
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn set(values: &[&str]) -> HashSet<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_tightest_original_list_comes_first() {
        let lists = [
            list("tinh-cu", &["01", "02", "46", "79", "92"], None),
            list("tinh-2025", &["01", "46", "79"], None),
            list("thong-ke", &["01", "46", "79"], Some("tinh-2025")),
            list("xa", &["00004", "00008"], None),
        ];
        let found = find(&set(&["01", "79"]), &lists);
        let ids: Vec<&str> = found.iter().map(|m| m.target.dataset.as_str()).collect();
        assert_eq!(ids, ["tinh-2025", "tinh-cu"]);
        assert_eq!((found[0].found, found[0].distinct, found[0].size), (2, 2, 3));
    }

    #[test]
    fn ninety_nine_percent_of_the_values_must_be_in_the_list() {
        let list_values: Vec<String> = (0..200).map(|i| format!("{i:03}")).collect();
        let refs: Vec<&str> = list_values.iter().map(String::as_str).collect();
        let lists = [list("l", &refs, None)];
        let mut values: HashSet<String> = list_values[..98].iter().cloned().collect();
        values.extend(["x".to_string(), "y".to_string()]);
        assert!(find(&values, &lists).is_empty(), "98 of 100");
        let mut values: HashSet<String> = list_values[..99].iter().cloned().collect();
        values.insert("x".into());
        assert_eq!(find(&values, &lists).len(), 1, "99 of 100");
    }
}
