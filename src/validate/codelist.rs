//! Owns the code lists (danh mục dùng chung) that data files are checked against: which
//! (dataset, resource, field) columns the portal's dictionaries reference, and their values once read.
//! Values are compared as text, exactly as written in the code-list file (codes are identifiers: "01" ≠ "1").

use crate::model::{FieldRef, Portal, ResourceKind, Status};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Values of every code-list field referenced anywhere in the portal, keyed by (dataset, resource, field).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CodeLists {
    lists: HashMap<(String, String, String), HashSet<String>>,
}

fn key(r: &FieldRef) -> (String, String, String) {
    (r.dataset.clone(), r.resource.clone(), r.field.clone())
}

impl CodeLists {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the values of one code-list column: its non-empty cells as read (UTF-8 NFC, not trimmed).
    pub fn insert(&mut self, key_ref: &FieldRef, values: HashSet<String>) {
        self.lists.insert(key(key_ref), values);
    }

    /// The values of a code list; `None` when it was not read (a broken reference, already reported as
    /// E0207–E0209, or an unreadable file): the cells referencing it are then not checked.
    pub fn get(&self, key_ref: &FieldRef) -> Option<&HashSet<String>> {
        self.lists.get(&key(key_ref))
    }

    /// The code lists the portal references, deduplicated and sorted: only those that resolve to a field of a
    /// file resource's dictionary in a dataset that is not withdrawn (the others are reported elsewhere).
    pub fn wanted(portal: &Portal) -> Vec<FieldRef> {
        let mut out: BTreeSet<(String, String, String)> = BTreeSet::new();
        for d in &portal.datasets {
            for r in &d.resources {
                let ResourceKind::File(f) = &r.kind else { continue };
                let Some(schema) = &f.schema else { continue };
                for field in &schema.fields {
                    if let Some(reference) = &field.references
                        && resolves(portal, &reference.value)
                    {
                        out.insert(key(&reference.value));
                    }
                }
            }
        }
        out.into_iter().map(|(dataset, resource, field)| FieldRef { dataset, resource, field }).collect()
    }

    /// How messages name a code list: `dataset/resource.field`.
    pub fn label(r: &FieldRef) -> String {
        format!("{}/{}.{}", r.dataset, r.resource, r.field)
    }
}

fn resolves(portal: &Portal, r: &FieldRef) -> bool {
    let Some(d) = portal.dataset(&r.dataset).filter(|d| d.status != Status::Withdrawn) else { return false };
    d.resources.iter().any(|res| {
        res.id == r.resource
            && matches!(&res.kind, ResourceKind::File(f)
                if f.schema.as_ref().is_some_and(|s| s.fields.iter().any(|x| x.name.value == r.field)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(d: &str, r: &str, f: &str) -> FieldRef {
        FieldRef { dataset: d.into(), resource: r.into(), field: f.into() }
    }

    #[test]
    fn insert_and_get_by_triple() {
        let mut c = CodeLists::new();
        c.insert(&fr("tinh", "provinces", "code"), ["01".to_string(), "04".to_string()].into_iter().collect());
        assert!(c.get(&fr("tinh", "provinces", "code")).unwrap().contains("01"));
        assert!(c.get(&fr("tinh", "provinces", "name")).is_none());
        assert_eq!(CodeLists::label(&fr("tinh", "provinces", "code")), "tinh/provinces.code");
    }

    #[test]
    fn wanted_lists_the_demo_portal_references_once() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (portal, _) = crate::load::load(root).expect("demo portal loads");
        let portal = portal.expect("demo portal loads");
        let wanted = CodeLists::wanted(&portal);
        assert!(wanted.contains(&fr("don-vi-hanh-chinh-cap-tinh-2025", "provinces", "province_code")), "{wanted:?}");
        let mut sorted = wanted.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), wanted.len());
    }
}
