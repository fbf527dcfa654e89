//! A query as both searches understand it: its syllables grouped into concepts, each with
//! alternatives (what was typed, and what the alias table says it also means). A dataset
//! matches when every concept matches through one of its alternatives, and an alternative
//! matches when each of its syllables is found in some field. `search.js` builds the same
//! plan from the same table (see `plan` there).

use super::aliases::{self, Alias};
use super::analyze::{self, MAX_JOIN, Token};
use std::collections::BTreeMap;

/// One way a concept can match.
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub tokens: Vec<Token>,
    /// The syllables joined, when there are 2..=MAX_JOIN: a match of it means they are
    /// adjacent in a short field, which ranks higher.
    pub join: Option<String>,
    /// Set when this alternative comes from the alias table.
    pub alias: Option<Alias>,
}

/// Part of a query that must match.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// The folded syllables typed: `soc trang`.
    pub typed: String,
    pub alts: Vec<Alt>,
}

/// The concepts of `q`, and the joins of each two adjacent query syllables (a bonus when a
/// dataset has them side by side: "ha noi" ranks "Hà Nội" above "nội … hà").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub concepts: Vec<Concept>,
    pub adjacent: Vec<String>,
}

fn alt(tokens: Vec<Token>, alias: Option<Alias>) -> Alt {
    let join = (2..=MAX_JOIN).contains(&tokens.len()).then(|| tokens.iter().map(|t| t.folded.as_str()).collect());
    Alt { tokens, join, alias }
}

/// Plans `q`; the longest run of syllables found in the alias table wins.
pub fn plan(q: &str, table: &BTreeMap<String, Vec<Alias>>) -> Plan {
    let toks = analyze::tokens(q);
    let longest = aliases::longest(table);
    let mut concepts = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut taken = 1;
        let mut alts = vec![alt(vec![toks[i].clone()], None)];
        for n in (1..=longest.min(toks.len() - i)).rev() {
            let key: Vec<&str> = toks[i..i + n].iter().map(|t| t.folded.as_str()).collect();
            if let Some(rows) = table.get(&key.join(" ")) {
                taken = n;
                alts = vec![alt(toks[i..i + n].to_vec(), None)];
                for a in rows {
                    alts.push(alt(analyze::tokens(&a.to), Some(a.clone())));
                }
                break;
            }
        }
        let typed: Vec<&str> = toks[i..i + taken].iter().map(|t| t.folded.as_str()).collect();
        concepts.push(Concept { typed: typed.join(" "), alts });
        i += taken;
    }
    let adjacent = toks.windows(2).map(|w| format!("{}{}", w[0].folded, w[1].folded)).collect();
    Plan { concepts, adjacent }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(p: &Plan) -> String {
        p.concepts
            .iter()
            .map(|c| {
                let alts: Vec<String> = c
                    .alts
                    .iter()
                    .map(|a| {
                        let t: Vec<&str> = a.tokens.iter().map(|t| t.exact.as_str()).collect();
                        format!("{}{}", t.join(" "), a.join.as_ref().map(|j| format!("[{j}]")).unwrap_or_default())
                    })
                    .collect();
                alts.join("|")
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    #[test]
    fn plans() {
        let t = aliases::table();
        assert_eq!(show(&plan("Hà Nội", &t)), "hà & nội");
        assert_eq!(plan("Hà Nội", &t).adjacent, ["hanoi"]);
        assert_eq!(show(&plan("dân số sóc trăng", &t)), "dân & số & sóc trăng[soctrang]|can tho[cantho]");
        assert_eq!(show(&plan("tphcm", &t)), "tphcm|ho chi minh[hochiminh]");
        assert_eq!(show(&plan("TP HCM", &t)), "tp|thanh pho[thanhpho] & hcm|ho chi minh[hochiminh]");
        assert_eq!(show(&plan("", &t)), "");
    }

    /// search.js builds the same plans from the same table.
    #[test]
    fn javascript_plans_agree() {
        let t = aliases::table();
        let js_table: BTreeMap<&String, Vec<&String>> =
            t.iter().map(|(k, rows)| (k, rows.iter().map(|a| &a.to).collect())).collect();
        let queries =
            ["Hà Nội", "dân số sóc trăng", "tphcm", "TP HCM", "ubnd tinh ba ria vung tau", "KH&CN", "", "hanoi"];
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/search-node.cjs");
        let mut child = std::process::Command::new("node")
            .args([script, "plan"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node is installed");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(serde_json::json!([js_table, queries]).to_string().as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let js: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        for (q, js) in queries.iter().zip(js) {
            let p = plan(q, &t);
            let rust = serde_json::json!({
                "concepts": p.concepts.iter().map(|c| serde_json::json!({
                    "typed": c.typed,
                    "alts": c.alts.iter().map(|a| serde_json::json!({
                        "tokens": a.tokens.iter().map(|t| serde_json::json!({"exact": t.exact, "folded": t.folded})).collect::<Vec<_>>(),
                        "join": a.join,
                        "alias": a.alias.as_ref().map(|x| x.to.clone()),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "adjacent": p.adjacent,
            });
            assert_eq!(rust, js, "query {q:?}");
        }
    }
}
