//! `odp search <query>`: the portal's search in the terminal, through the tantivy index in
//! `.odp/search/`. The index is (re)built first when it is missing or does not match the
//! datasets any more (a fingerprint of the searchable metadata), so results are never stale.
//! Each result says why it matched: which field, accent-exact or folded, joined syllables,
//! or through which alias.

use super::{Outcome, print_diagnostics};
use crate::cli::SearchArgs;
use crate::diag::render::Format;
use crate::search::docs::Class;
use crate::search::index::{self, Filters, Hit};
use crate::search::query::{self, Plan};
use crate::search::{aliases, docs};
use crate::text::slugify;
use anyhow::Result;
use serde_json::{Value, json};
use std::path::Path;

pub fn run(root: &Path, args: &SearchArgs) -> Result<Outcome> {
    let (portal, diags) = crate::load::load(root)?;
    let Some(portal) = portal else {
        print_diagnostics(&diags.sorted(), Format::Human, root);
        return Ok(Outcome::Problems);
    };
    let docs = docs::documents(&portal);
    let dir = index::dir(root);
    if index::ensure(&dir, &docs)? {
        eprintln!("Đã lập chỉ mục tìm kiếm / search index built: {} bộ dữ liệu / datasets, {}", docs.len(), index::DIR);
    }
    let q = args.query.join(" ");
    let plan = query::plan(&q, &aliases::table());
    let filters = Filters {
        publisher: args.publisher.clone(),
        theme: args.theme.clone(),
        format: args.format.iter().map(|f| f.to_uppercase()).collect(),
        keyword: args.keyword.iter().map(|k| slugify(k)).collect(),
        licence: args.licence.clone(),
    };
    let results = index::search(&dir, &plan, &filters, args.limit)?;
    if args.json {
        let hits: Vec<Value> = results
            .hits
            .iter()
            .map(|h| {
                json!({
                    "id": h.doc["id"],
                    "title": h.doc["title"]["vi"],
                    "publisher": h.doc["publisher"],
                    "themes": h.doc["themes"],
                    "formats": h.doc["formats"],
                    "modified": h.doc["modified"],
                    "score": (f64::from(h.score) * 1000.0).round() / 1000.0,
                    "matched": why(&plan, h).into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
                })
            })
            .collect();
        let out = json!({ "query": q, "total": results.total, "results": hits });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", human(&q, &plan, results.total, &results.hits));
    }
    Ok(Outcome::Clean)
}

/// The text output: a count line, then each result with its facts and why it matched.
pub fn human(q: &str, plan: &Plan, total: usize, hits: &[Hit]) -> String {
    let mut out = format!("{total} kết quả / results: \"{q}\"\n");
    for (i, h) in hits.iter().enumerate() {
        let d = &h.doc;
        let mut facts = vec![d["id"].as_str().unwrap_or_default().to_string()];
        facts.push(d["publisher_name"]["vi"].as_str().unwrap_or_default().to_string());
        let themes: Vec<&str> =
            d["theme_names"].as_array().into_iter().flatten().filter_map(|t| t["vi"].as_str()).collect();
        if !themes.is_empty() {
            facts.push(themes.join(", "));
        }
        let formats: Vec<&str> = d["formats"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        facts.push(formats.join(", "));
        if let Some(m) = d["modified"].as_str() {
            facts.push(m.to_string());
        }
        out.push_str(&format!(
            "\n{}. {}\n   {}\n",
            i + 1,
            d["title"]["vi"].as_str().unwrap_or_default(),
            facts.join(" · ")
        ));
        for (line, _) in why(plan, h) {
            out.push_str(&format!("   · {line}\n"));
        }
    }
    out
}

fn kind_text(kind: &str) -> &'static str {
    match kind {
        "exact" => "đúng dấu/exact",
        "folded" => "không dấu/folded",
        _ => "ghép/joined",
    }
}

/// Why `hit` matched, concept by concept: (a line of text, the same as JSON).
pub fn why(plan: &Plan, hit: &Hit) -> Vec<(String, Value)> {
    let sets: Vec<_> = Class::ALL.iter().map(|&c| (c, index::terms_of(&hit.doc, c))).collect();
    let mut out = Vec::new();
    for c in &plan.concepts {
        for a in &c.alts {
            let mut found = Vec::new();
            for t in &a.tokens {
                let mut places = Vec::new();
                for (class, (exact, folded, joined)) in &sets {
                    let kind = if t.is_marked() && exact.contains(&t.exact) {
                        "exact"
                    } else if folded.contains(&t.folded) {
                        "folded"
                    } else if a.tokens.len() == 1 && joined.contains(&t.folded) {
                        "joined"
                    } else {
                        continue;
                    };
                    places.push((*class, kind));
                }
                found.push((t, places));
            }
            if found.iter().any(|(_, p)| p.is_empty()) {
                continue;
            }
            let parts: Vec<String> = found
                .iter()
                .map(|(t, p)| {
                    let where_: Vec<String> =
                        p.iter().map(|(c, k)| format!("{}/{} ({})", c.name_vi(), c.name(), kind_text(k))).collect();
                    format!("\"{}\": {}", t.exact, where_.join(", "))
                })
                .collect();
            let head = match &a.alias {
                Some(al) => format!("\"{}\" → \"{}\" (bí danh/alias: {}) — ", c.typed, al.to, al.why),
                None => String::new(),
            };
            let json = json!({
                "typed": c.typed,
                "alias": a.alias.as_ref().map(|al| json!({"to": al.to, "why": al.why})),
                "terms": found.iter().map(|(t, p)| json!({
                    "term": t.exact,
                    "fields": p.iter().map(|(c, k)| json!({"field": c.name(), "kind": k})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            out.push((format!("{head}{}", parts.join("; ")), json));
            break;
        }
    }
    for j in &plan.adjacent {
        let classes: Vec<Class> = sets.iter().filter(|(_, s)| s.2.contains(j)).map(|(c, _)| *c).collect();
        if !classes.is_empty() {
            let names: Vec<String> = classes.iter().map(|c| format!("{}/{}", c.name_vi(), c.name())).collect();
            out.push((
                format!("liền nhau/side by side \"{j}\": {}", names.join(", ")),
                json!({"adjacent": j, "fields": classes.iter().map(|c| c.name()).collect::<Vec<_>>()}),
            ));
        }
    }
    out
}
