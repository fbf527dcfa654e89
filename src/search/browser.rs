//! The static index the browser searches (`site/search/…`), written at build time by the same
//! analyzer as the tantivy index. Built for a query on a 10,000-dataset portal to fetch well
//! under 200 KB (issue 4 §3):
//!
//! - `search/meta.json`: analyzer version, dataset count, the alias table, facet labels and
//!   the first term of every term shard;
//! - `search/t/<n>.json`: term shards, contiguous ranges of the sorted folded terms (so a
//!   prefix typed so far lives in one or two shards), each term with its accent variants and,
//!   per variant and field class, the datasets that have it — a delta-coded list or a base64
//!   bitset, whichever is shorter (a term in every dataset costs N/6 bytes);
//! - `search/facets.bin`: per dataset, fixed-width publisher, licence, theme and format
//!   numbers and up to 255 common keywords, for facet counts over all results;
//! - `search/d/<lang>/<n>.json`: what a result shows, 8 datasets per file, fetched only
//!   for the results on screen.
//!
//! Every list and map is sorted, so the files are byte-identical across builds.

use super::aliases;
use super::analyze::{self, VERSION};
use super::docs::{Class, SearchDoc};
use crate::model::{Lang, Portal};
use crate::render::I18n;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Datasets per result file.
pub const DOC_SHARD: usize = 8;
/// A term shard is closed once it passes this many bytes.
pub const TERM_SHARD_BYTES: usize = 4 * 1024;
/// Keywords offered as a facet: the most used ones.
pub const MAX_KEYWORDS: usize = 255;

/// term → exact variant ("" when it is the folded form) → class → datasets, terms in order.
type Postings = Vec<(String, Variants)>;
type Variants = BTreeMap<String, BTreeMap<Class, BTreeSet<u32>>>;

/// Every term of every searchable dataset (folded syllables, their joins in short fields).
/// Gathered in a hash map and sorted once: a tree keyed by term compared strings at every one
/// of the half million tokens of a 5,000-dataset portal (issue 7).
fn postings(docs: &[SearchDoc]) -> Postings {
    let mut p: HashMap<String, Variants> = HashMap::new();
    let mut add = |term: &str, variant: &str, class: Class, n: u32| {
        let variants = match p.get_mut(term) {
            Some(v) => v,
            None => p.entry(term.to_string()).or_default(),
        };
        let classes = match variants.get_mut(variant) {
            Some(c) => c,
            None => variants.entry(variant.to_string()).or_default(),
        };
        classes.entry(class).or_default().insert(n);
    };
    for (n, d) in docs.iter().enumerate() {
        let n = n as u32;
        for class in Class::ALL {
            for text in d.texts(class) {
                let toks = analyze::tokens(text);
                for t in &toks {
                    add(&t.folded, if t.is_marked() { &t.exact } else { "" }, class, n);
                }
                if class.joined() {
                    let folded: Vec<String> = toks.into_iter().map(|t| t.folded).collect();
                    for j in analyze::joins(&folded) {
                        add(&j, "", class, n);
                    }
                }
            }
        }
    }
    let mut sorted: Postings = p.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

/// A sorted set of dataset numbers, as the shorter of a JSON array of gaps and a base64
/// bitset string (bit `n % 8` of byte `n / 8`).
fn encode_set(set: &BTreeSet<u32>, total: usize) -> Value {
    let mut prev = 0u32;
    let mut gaps = Vec::with_capacity(set.len());
    let mut len = 2;
    for (i, &n) in set.iter().enumerate() {
        let gap = if i == 0 { n } else { n - prev };
        prev = n;
        len += gap.to_string().len() + 1;
        gaps.push(gap);
    }
    let bitset_len = total.div_ceil(8).div_ceil(3) * 4 + 2;
    if len <= bitset_len {
        return json!(gaps);
    }
    let mut bits = vec![0u8; total.div_ceil(8)];
    for &n in set {
        bits[n as usize / 8] |= 1 << (n % 8);
    }
    Value::String(base64(&bits))
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Labels of the facet values, in both languages.
struct Facets {
    publishers: Vec<(String, crate::model::Text)>,
    themes: Vec<(String, crate::model::Text)>,
    formats: Vec<String>,
    licences: Vec<(String, crate::model::Text)>,
    /// (slug, label) of the most used keywords, most used first.
    keywords: Vec<(String, String)>,
}

fn facets(portal: &Portal, docs: &[SearchDoc]) -> Facets {
    let used_pub: BTreeSet<&str> = docs.iter().map(|d| d.publisher.as_str()).collect();
    let publishers = used_pub
        .iter()
        .map(|id| (id.to_string(), docs.iter().find(|d| d.publisher == *id).unwrap().publisher_name.clone()))
        .collect();
    let themes = portal.config.themes.iter().map(|t| (t.id.clone(), t.title.clone())).collect();
    let formats: BTreeSet<String> = docs.iter().flat_map(|d| d.formats.clone()).collect();
    let used_lic: BTreeSet<&str> = docs.iter().map(|d| d.licence.as_str()).collect();
    let licences = used_lic
        .iter()
        .map(|id| {
            let title = portal.config.license(id).map(|l| l.title.clone()).unwrap_or_default();
            (id.to_string(), title)
        })
        .collect();
    // the most common spelling of each keyword slug is its label
    let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let searchable: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    for d in portal.datasets.iter().filter(|d| searchable.contains(d.id.as_str())) {
        for k in &d.keywords {
            let slug = crate::text::slugify(k);
            if !slug.is_empty() {
                *spellings.entry(slug).or_default().entry(k.clone()).or_default() += 1;
            }
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        for k in &d.keywords {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut kw: Vec<(&str, usize)> = counts.into_iter().collect();
    kw.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let keywords = kw
        .into_iter()
        .take(MAX_KEYWORDS)
        .map(|(slug, _)| {
            let label = spellings
                .get(slug)
                .and_then(|s| s.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| k.clone()))
                .unwrap_or_else(|| slug.to_string());
            (slug.to_string(), label)
        })
        .collect();
    Facets { publishers, themes, formats: formats.into_iter().collect(), licences, keywords }
}

fn labels(items: &[(String, crate::model::Text)]) -> Value {
    Value::Array(items.iter().map(|(id, t)| json!([id, t.vi, t.en.as_deref().unwrap_or(&t.vi)])).collect())
}

fn index_of(list: &[(String, crate::model::Text)], id: &str) -> usize {
    list.iter().position(|(x, _)| x == id).unwrap_or(0)
}

/// Bytes needed for a bitmask of `n` values.
fn mask_bytes(n: usize) -> usize {
    n.div_ceil(8).max(1)
}

/// Every file of the browser index: (site-relative path, bytes), sorted by path.
pub fn files(portal: &Portal, docs: &[SearchDoc], i18n: &I18n) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let total = docs.len();

    // term shards
    let mut starts: Vec<String> = Vec::new();
    let mut shard: Vec<Value> = Vec::new();
    let mut shard_len = 0;
    let flush = |shard: &mut Vec<Value>, out: &mut Vec<(String, Vec<u8>)>, n: usize| {
        let bytes = serde_json::to_vec(&Value::Array(std::mem::take(shard))).expect("json");
        out.push((format!("search/t/{n}.json"), bytes));
    };
    for (term, variants) in postings(docs) {
        let df = variants.values().flat_map(|c| c.values()).flatten().collect::<BTreeSet<_>>().len();
        let vs: Vec<Value> = variants
            .iter()
            .map(|(v, classes)| {
                let lists: Vec<Value> =
                    classes.iter().map(|(c, set)| json!([c.code(), encode_set(set, total)])).collect();
                json!([v, lists])
            })
            .collect();
        let entry = json!([term, df, vs]);
        if shard.is_empty() {
            starts.push(term.clone());
        }
        shard_len += entry.to_string().len() + 1;
        shard.push(entry);
        if shard_len >= TERM_SHARD_BYTES {
            flush(&mut shard, &mut out, starts.len() - 1);
            shard_len = 0;
        }
    }
    if !shard.is_empty() {
        flush(&mut shard, &mut out, starts.len() - 1);
    }

    // facets.bin
    let f = facets(portal, docs);
    let pub_width = if f.publishers.len() > 255 { 2 } else { 1 };
    let (tb, fb) = (mask_bytes(f.themes.len()), mask_bytes(f.formats.len()));
    let mut bin = Vec::with_capacity(total * (pub_width + 1 + tb + fb + 4));
    for d in docs {
        let p = index_of(&f.publishers, &d.publisher);
        bin.extend_from_slice(&(p as u16).to_le_bytes()[..pub_width]);
        bin.push(index_of(&f.licences, &d.licence) as u8);
        let mut tm = vec![0u8; tb];
        for t in &d.themes {
            if let Some(i) = f.themes.iter().position(|(x, _)| x == t) {
                tm[i / 8] |= 1 << (i % 8);
            }
        }
        bin.extend_from_slice(&tm);
        let mut fm = vec![0u8; fb];
        for x in &d.formats {
            let i = f.formats.iter().position(|y| y == x).expect("collected");
            fm[i / 8] |= 1 << (i % 8);
        }
        bin.extend_from_slice(&fm);
        let kws: Vec<u8> =
            d.keywords.iter().filter_map(|k| f.keywords.iter().position(|(s, _)| s == k)).map(|i| i as u8).collect();
        bin.push(kws.len() as u8);
        bin.extend_from_slice(&kws);
    }
    out.push(("search/facets.bin".to_string(), bin));

    // result records per language
    for &lang in &portal.config.languages {
        let loc = i18n.loc(lang);
        for (n, chunk) in docs.chunks(DOC_SHARD).enumerate() {
            let recs: Vec<Value> = chunk
                .iter()
                .map(|d| {
                    let fallback = lang == Lang::En && d.title.en.is_none();
                    let themes: Vec<usize> =
                        d.themes.iter().filter_map(|t| f.themes.iter().position(|(x, _)| x == t)).collect();
                    let formats: Vec<usize> =
                        d.formats.iter().filter_map(|x| f.formats.iter().position(|y| y == x)).collect();
                    json!([
                        d.id,
                        d.title.get(lang),
                        if fallback { "vi" } else { "" },
                        index_of(&f.publishers, &d.publisher),
                        themes,
                        formats,
                        d.modified.clone().unwrap_or_default(),
                        d.modified.as_deref().map(|m| loc.date(m)).unwrap_or_default(),
                    ])
                })
                .collect();
            let bytes = serde_json::to_vec(&recs).expect("json");
            out.push((format!("search/d/{}/{n}.json", lang.code()), bytes));
        }
    }

    // meta.json
    let alias_map: BTreeMap<String, Vec<String>> =
        aliases::table().into_iter().map(|(k, rows)| (k, rows.into_iter().map(|a| a.to).collect())).collect();
    let weights: serde_json::Map<String, Value> =
        Class::ALL.iter().map(|c| (c.code().to_string(), json!(c.weight()))).collect();
    let meta = json!({
        "version": VERSION,
        "count": total,
        "docShard": DOC_SHARD,
        "terms": starts,
        "weights": weights,
        "aliases": alias_map,
        "facets": {
            "publisher": labels(&f.publishers),
            "theme": labels(&f.themes),
            "format": f.formats,
            "licence": labels(&f.licences),
            "keyword": f.keywords.iter().map(|(s, l)| json!([s, l])).collect::<Vec<_>>(),
        },
        "layout": { "publisher": pub_width, "theme": tb, "format": fb },
    });
    out.push(("search/meta.json".to_string(), serde_json::to_vec(&meta).expect("json")));
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_pick_the_shorter_encoding() {
        let few: BTreeSet<u32> = [3, 10, 11].into();
        assert_eq!(encode_set(&few, 100).to_string(), "[3,7,1]");
        let all: BTreeSet<u32> = (0..100).collect();
        assert_eq!(encode_set(&all, 100), Value::String("////////////////Dw==".into()));
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"Man"), "TWFu");
    }
}
