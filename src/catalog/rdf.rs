//! A small RDF graph with deterministic Turtle and JSON-LD writers, enough for the DCAT-AP
//! catalogue. Triples keep insertion order, so the same portal always gives the same bytes.
//! JSON-LD is written as a flattened `@graph` whose values are explicit (`{"@id": …}` for IRIs,
//! `{"@value", "@language"|"@type"}` for literals): no term definitions that could turn an IRI
//! into a string by mistake, the error PortalJS hit with DCAT-AP validators (ANCHORS.md §3.1).

use serde_json::{Map, Value, json};

pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// The end of a JSON-LD document begun by `Graph::jsonld_head`.
pub const JSONLD_TAIL: &str = "\n]\n}\n";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    Iri(String),
    Blank(String),
    Literal { value: String, lang: Option<&'static str>, datatype: Option<String> },
}

impl Term {
    pub fn iri(s: impl Into<String>) -> Term {
        Term::Iri(s.into())
    }
    pub fn text(s: impl Into<String>) -> Term {
        Term::Literal { value: s.into(), lang: None, datatype: None }
    }
    pub fn lang(s: impl Into<String>, lang: &'static str) -> Term {
        Term::Literal { value: s.into(), lang: Some(lang), datatype: None }
    }
    pub fn typed(s: impl Into<String>, datatype: &str) -> Term {
        Term::Literal { value: s.into(), lang: None, datatype: Some(datatype.into()) }
    }
}

/// A subject with its predicates, each with its objects.
type Subject<'g> = (&'g Term, Vec<(&'g str, Vec<&'g Term>)>);

#[derive(Debug, Default)]
pub struct Graph {
    prefixes: Vec<(&'static str, &'static str)>,
    triples: Vec<(Term, String, Term)>,
    blanks: usize,
}

impl Graph {
    pub fn new(prefixes: &[(&'static str, &'static str)]) -> Graph {
        Graph { prefixes: prefixes.to_vec(), ..Graph::default() }
    }

    /// A graph whose blank nodes are numbered from `first + 1`, so several graphs written into one
    /// document (one per dataset, streamed) never share a blank-node label.
    pub fn with_blank_offset(prefixes: &[(&'static str, &'static str)], first: usize) -> Graph {
        Graph { prefixes: prefixes.to_vec(), blanks: first, ..Graph::default() }
    }

    /// The last blank-node number used.
    pub fn blanks(&self) -> usize {
        self.blanks
    }

    /// Expands `dct:title` to a full IRI with the graph's prefixes (full IRIs pass through).
    pub fn expand(&self, name: &str) -> String {
        if let Some((p, local)) = name.split_once(':')
            && let Some((_, ns)) = self.prefixes.iter().find(|(q, _)| *q == p)
        {
            return format!("{ns}{local}");
        }
        name.to_string()
    }

    /// A fresh blank node.
    pub fn blank(&mut self) -> Term {
        self.blanks += 1;
        Term::Blank(format!("b{}", self.blanks))
    }

    /// Adds a triple; `predicate` may be prefixed (`dct:title`) or `a`.
    pub fn add(&mut self, s: &Term, predicate: &str, o: Term) {
        let p = if predicate == "a" { RDF_TYPE.to_string() } else { self.expand(predicate) };
        self.triples.push((s.clone(), p, o));
    }

    /// `s a <class>`.
    pub fn typed(&mut self, s: &Term, class: &str) {
        let c = Term::Iri(self.expand(class));
        self.add(s, "a", c);
    }

    /// Subjects in first-use order, each with its (predicate, objects) in first-use order.
    fn grouped(&self) -> Vec<Subject<'_>> {
        let mut out: Vec<Subject<'_>> = Vec::new();
        let mut index = std::collections::HashMap::<&Term, usize>::new();
        for (s, p, o) in &self.triples {
            let i = *index.entry(s).or_insert_with(|| {
                out.push((s, Vec::new()));
                out.len() - 1
            });
            let preds = &mut out[i].1;
            match preds.iter_mut().find(|(q, _)| q == p) {
                Some((_, objs)) => {
                    if !objs.contains(&o) {
                        objs.push(o)
                    }
                }
                None => preds.push((p, vec![o])),
            }
        }
        out
    }

    fn compact(&self, iri: &str) -> Option<String> {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns) {
                let mut chars = local.chars();
                let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if ok {
                    return Some(format!("{p}:{local}"));
                }
            }
        }
        None
    }

    fn turtle_term(&self, t: &Term) -> String {
        match t {
            Term::Iri(i) => self.compact(i).unwrap_or_else(|| format!("<{}>", escape_iri(i))),
            Term::Blank(b) => format!("_:{b}"),
            Term::Literal { value, lang, datatype } => {
                let mut s = format!("\"{}\"", escape_turtle(value));
                if let Some(l) = lang {
                    s.push('@');
                    s.push_str(l);
                } else if let Some(dt) = datatype {
                    s.push_str("^^");
                    s.push_str(&self.turtle_term(&Term::Iri(dt.clone())));
                }
                s
            }
        }
    }

    pub fn to_turtle(&self) -> String {
        let mut out = self.turtle_prefixes();
        out += &self.turtle_body();
        out
    }

    /// The `@prefix` lines.
    pub fn turtle_prefixes(&self) -> String {
        self.prefixes.iter().map(|(p, ns)| format!("@prefix {p}: <{ns}> .\n")).collect()
    }

    /// The triples, grouped by subject, without the prefixes.
    pub fn turtle_body(&self) -> String {
        let mut out = String::new();
        for (s, preds) in self.grouped() {
            out += &format!("\n{}", self.turtle_term(s));
            let n = preds.len();
            for (i, (p, objs)) in preds.iter().enumerate() {
                let pred = if *p == RDF_TYPE { "a".to_string() } else { self.turtle_term(&Term::Iri(p.to_string())) };
                let objs: Vec<String> = objs.iter().map(|o| self.turtle_term(o)).collect();
                out += &format!("\n    {pred} {}", objs.join(", "));
                out += if i + 1 == n { " .\n" } else { " ;" };
            }
        }
        out
    }

    fn json_term(&self, t: &Term) -> Value {
        match t {
            Term::Iri(i) => json!({ "@id": i }),
            Term::Blank(b) => json!({ "@id": format!("_:{b}") }),
            Term::Literal { value, lang: Some(l), .. } => json!({ "@value": value, "@language": l }),
            Term::Literal { value, datatype: Some(dt), .. } => {
                json!({ "@value": value, "@type": self.compact(dt).unwrap_or_else(|| dt.clone()) })
            }
            Term::Literal { value, .. } => json!({ "@value": value }),
        }
    }

    pub fn to_jsonld(&self) -> String {
        let mut out = self.jsonld_head();
        out += &self.jsonld_nodes().join(",\n");
        out += JSONLD_TAIL;
        out
    }

    /// The opening of a JSON-LD document up to the first `@graph` node.
    pub fn jsonld_head(&self) -> String {
        let mut context = Map::new();
        for (p, ns) in &self.prefixes {
            context.insert(p.to_string(), json!(ns));
        }
        let context = serde_json::to_string_pretty(&Value::Object(context)).unwrap_or_default();
        format!("{{\n\"@context\": {context},\n\"@graph\": [\n")
    }

    /// The graph's nodes, one JSON object each (joined with `,\n` between `jsonld_head` and
    /// `JSONLD_TAIL`).
    pub fn jsonld_nodes(&self) -> Vec<String> {
        let mut graph = Vec::new();
        for (s, preds) in self.grouped() {
            let mut node = Map::new();
            node.insert(
                "@id".into(),
                json!(match s {
                    Term::Iri(i) => i.clone(),
                    Term::Blank(b) => format!("_:{b}"),
                    Term::Literal { value, .. } => value.clone(),
                }),
            );
            for (p, objs) in preds {
                if p == RDF_TYPE {
                    let types: Vec<Value> = objs
                        .iter()
                        .filter_map(|o| match o {
                            Term::Iri(i) => Some(json!(self.compact(i).unwrap_or_else(|| i.clone()))),
                            _ => None,
                        })
                        .collect();
                    node.insert("@type".into(), Value::Array(types));
                } else {
                    let key = self.compact(p).unwrap_or_else(|| p.to_string());
                    node.insert(key, Value::Array(objs.iter().map(|o| self.json_term(o)).collect()));
                }
            }
            graph.push(serde_json::to_string(&Value::Object(node)).unwrap_or_default());
        }
        graph
    }
}

fn escape_turtle(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// IRIs in `<…>` may not contain spaces, `<>"{}|^\`` or controls: percent-encode them.
fn escape_iri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turtle_and_jsonld() {
        let mut g = Graph::new(&[("dct", "http://purl.org/dc/terms/"), ("dcat", "http://www.w3.org/ns/dcat#")]);
        let d = Term::iri("https://x.vn/datasets/a/");
        g.typed(&d, "dcat:Dataset");
        g.add(&d, "dct:title", Term::lang("Dân số \"2025\"", "vi"));
        g.add(&d, "dct:issued", Term::typed("2025-07-01", "http://www.w3.org/2001/XMLSchema#date"));
        g.add(&d, "dcat:landingPage", Term::iri("https://x.vn/a b"));
        assert_eq!(
            g.to_turtle(),
            "@prefix dct: <http://purl.org/dc/terms/> .\n@prefix dcat: <http://www.w3.org/ns/dcat#> .\n\n\
             <https://x.vn/datasets/a/>\n    a dcat:Dataset ;\n    dct:title \"Dân số \\\"2025\\\"\"@vi ;\n    \
             dct:issued \"2025-07-01\"^^<http://www.w3.org/2001/XMLSchema#date> ;\n    \
             dcat:landingPage <https://x.vn/a%20b> .\n"
        );
        let j: Value = serde_json::from_str(&g.to_jsonld()).unwrap();
        assert_eq!(j["@graph"][0]["@type"], json!(["dcat:Dataset"]));
        assert_eq!(j["@graph"][0]["dct:title"], json!([{ "@value": "Dân số \"2025\"", "@language": "vi" }]));
        assert_eq!(j["@graph"][0]["dcat:landingPage"], json!([{ "@id": "https://x.vn/a b" }]));
    }
}
