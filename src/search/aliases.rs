//! The alias table of search: abbreviations ("tphcm", "ubnd") and the provinces merged in
//! 2025 ("soc trang" also finds Cần Thơ). Kept in `aliases.tsv` beside this file, compiled
//! into odp and written into the browser index, so both searches expand a query the same way.

use std::collections::BTreeMap;

const TABLE: &str = include_str!("aliases.tsv");

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Folded syllables, space-separated: `soc trang`.
    pub from: String,
    /// Folded syllables it also means: `can tho`.
    pub to: String,
    /// Where the row comes from (shown by `odp search` when it matched).
    pub why: String,
}

/// Every row, in file order.
pub fn all() -> Vec<Alias> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut it = l.split('\t');
            Some(Alias { from: it.next()?.to_string(), to: it.next()?.to_string(), why: it.next()?.to_string() })
        })
        .collect()
}

/// `from` → its rows, for lookups.
pub fn table() -> BTreeMap<String, Vec<Alias>> {
    let mut map: BTreeMap<String, Vec<Alias>> = BTreeMap::new();
    for a in all() {
        map.entry(a.from.clone()).or_default().push(a);
    }
    map
}

/// The longest `from` in syllables (how far a query is scanned for a match).
pub fn longest(table: &BTreeMap<String, Vec<Alias>>) -> usize {
    table.keys().map(|k| k.split(' ').count()).max().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::folded;

    /// The `[merger]` section, recomputed from the demo portal's conversion table.
    fn merger_rows(mapping_csv: &str) -> Vec<String> {
        let short = |n: &str| {
            let n = n.strip_prefix("Tỉnh ").or_else(|| n.strip_prefix("Thành phố ")).unwrap_or(n);
            folded(n).join(" ")
        };
        let mut rdr = csv::Reader::from_reader(mapping_csv.as_bytes());
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let r = rec.unwrap();
            let (old, new) = (short(&r[1]), short(&r[3]));
            if old != new {
                rows.push(format!("{old}\t{new}\t{} → {} ({} → {})", &r[1], &r[3], &r[0], &r[2]));
            }
        }
        rows.sort();
        rows
    }

    #[test]
    fn merger_section_is_generated_from_the_mapping() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/chuyen-doi-don-vi-hanh-chinh-cap-tinh-2025/mapping.csv");
        let csv = std::fs::read_to_string(path).unwrap();
        let section: Vec<String> = TABLE
            .split("# [merger]\n")
            .nth(1)
            .unwrap()
            .split("# [common]")
            .next()
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(section, merger_rows(&csv));
        assert_eq!(section.len(), 29);
    }

    #[test]
    fn rows_are_folded_and_unique() {
        let rows = all();
        let mut seen = std::collections::BTreeSet::new();
        for a in &rows {
            assert_eq!(folded(&a.from).join(" "), a.from, "{a:?}");
            assert_eq!(folded(&a.to).join(" "), a.to, "{a:?}");
            assert!(seen.insert((a.from.clone(), a.to.clone())), "duplicate {a:?}");
        }
        let t = table();
        assert_eq!(t["soc trang"][0].to, "can tho");
        assert_eq!(t["binh duong"][0].to, "ho chi minh");
        assert_eq!(t["tphcm"][0].to, "ho chi minh");
        assert_eq!(longest(&t), 4);
    }
}
