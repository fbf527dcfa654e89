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

/// A subject with its predicates (full IRIs), each with its objects.
type Subject = (Term, Vec<(String, Objects)>);

/// A predicate's distinct objects in first-use order. A long list (the catalogue's
/// `dcat:dataset`, one per dataset) also keeps a set, so adding stays O(1): a linear search made
/// the catalogue's head quadratic in the number of datasets.
#[derive(Debug, Default)]
struct Objects {
    list: Vec<Term>,
    set: Option<std::collections::HashSet<Term>>,
}

impl Objects {
    const LINEAR: usize = 16;

    fn add(&mut self, o: Term) {
        if self.list.len() < Self::LINEAR {
            if !self.list.contains(&o) {
                self.list.push(o);
            }
            return;
        }
        let set = self.set.get_or_insert_with(|| self.list.iter().cloned().collect());
        if set.insert(o.clone()) {
            self.list.push(o);
        }
    }

    fn iter(&self) -> std::slice::Iter<'_, Term> {
        self.list.iter()
    }
}

/// Triples grouped as they are added: subjects in first-use order, each with its predicates in
/// first-use order, each with its distinct objects. The writers stream straight into the output
/// (issue 7: building a string per term and a JSON tree per node made the two catalogue files
/// 8% of a cold build's CPU).
#[derive(Debug, Default)]
pub struct Graph {
    prefixes: Vec<(&'static str, &'static str)>,
    subjects: Vec<Subject>,
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

    /// Adds a triple; `predicate` may be prefixed (`dct:title`) or `a`. A triple already in the
    /// graph is not added twice.
    pub fn add(&mut self, s: &Term, predicate: &str, o: Term) {
        let p = if predicate == "a" { RDF_TYPE.to_string() } else { self.expand(predicate) };
        // The subject is nearly always one of the last few added: search from the end.
        let i = match self.subjects.iter().rposition(|(t, _)| t == s) {
            Some(i) => i,
            None => {
                self.subjects.push((s.clone(), Vec::new()));
                self.subjects.len() - 1
            }
        };
        let preds = &mut self.subjects[i].1;
        match preds.iter_mut().find(|(q, _)| *q == p) {
            Some((_, objs)) => objs.add(o),
            None => preds.push((p, Objects { list: vec![o], set: None })),
        }
    }

    /// `s a <class>`.
    pub fn typed(&mut self, s: &Term, class: &str) {
        let c = Term::Iri(self.expand(class));
        self.add(s, "a", c);
    }

    /// The prefixed form of `iri` (`dct:title`), when one of the prefixes gives a valid local name.
    fn compact<'i>(&self, iri: &'i str) -> Option<(&'static str, &'i str)> {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns) {
                let mut chars = local.chars();
                let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if ok {
                    return Some((p, local));
                }
            }
        }
        None
    }

    fn push_turtle_iri(&self, out: &mut String, iri: &str) {
        match self.compact(iri) {
            Some((p, local)) => {
                out.push_str(p);
                out.push(':');
                out.push_str(local);
            }
            None => {
                out.push('<');
                escape_iri(out, iri);
                out.push('>');
            }
        }
    }

    fn push_turtle_term(&self, out: &mut String, t: &Term) {
        match t {
            Term::Iri(i) => self.push_turtle_iri(out, i),
            Term::Blank(b) => {
                out.push_str("_:");
                out.push_str(b);
            }
            Term::Literal { value, lang, datatype } => {
                out.push('"');
                escape_turtle(out, value);
                out.push('"');
                if let Some(l) = lang {
                    out.push('@');
                    out.push_str(l);
                } else if let Some(dt) = datatype {
                    out.push_str("^^");
                    self.push_turtle_iri(out, dt);
                }
            }
        }
    }

    pub fn to_turtle(&self) -> String {
        let mut out = self.turtle_prefixes();
        self.write_turtle_body(&mut out);
        out
    }

    /// The `@prefix` lines.
    pub fn turtle_prefixes(&self) -> String {
        self.prefixes.iter().map(|(p, ns)| format!("@prefix {p}: <{ns}> .\n")).collect()
    }

    /// Appends the triples, grouped by subject, without the prefixes.
    pub fn write_turtle_body(&self, out: &mut String) {
        for (s, preds) in &self.subjects {
            out.push('\n');
            self.push_turtle_term(out, s);
            for (i, (p, objs)) in preds.iter().enumerate() {
                out.push_str("\n    ");
                if p == RDF_TYPE {
                    out.push('a');
                } else {
                    self.push_turtle_iri(out, p);
                }
                out.push(' ');
                for (k, o) in objs.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.push_turtle_term(out, o);
                }
                out.push_str(if i + 1 == preds.len() { " .\n" } else { " ;" });
            }
        }
    }

    /// `"iri"` or `"prefix:local"` as a JSON string.
    fn push_json_compact(&self, out: &mut String, iri: &str) {
        match self.compact(iri) {
            Some((p, local)) => {
                out.push('"');
                push_json_chars(out, p);
                out.push(':');
                push_json_chars(out, local);
                out.push('"');
            }
            None => push_json_str(out, iri),
        }
    }

    fn push_json_term(&self, out: &mut String, t: &Term) {
        match t {
            Term::Iri(i) => {
                out.push_str("{\"@id\":");
                push_json_str(out, i);
            }
            Term::Blank(b) => {
                out.push_str("{\"@id\":\"_:");
                push_json_chars(out, b);
                out.push('"');
            }
            Term::Literal { value, lang, datatype } => {
                out.push_str("{\"@value\":");
                push_json_str(out, value);
                if let Some(l) = lang {
                    out.push_str(",\"@language\":");
                    push_json_str(out, l);
                } else if let Some(dt) = datatype {
                    out.push_str(",\"@type\":");
                    self.push_json_compact(out, dt);
                }
            }
        }
        out.push('}');
    }

    pub fn to_jsonld(&self) -> String {
        let mut out = self.jsonld_head();
        self.write_jsonld_nodes(&mut out, &mut true);
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

    /// Appends the graph's nodes, one compact JSON object each, `,\n` between nodes (and before
    /// the first unless `*first`): the body between `jsonld_head` and `JSONLD_TAIL`.
    pub fn write_jsonld_nodes(&self, out: &mut String, first: &mut bool) {
        for (s, preds) in &self.subjects {
            if !std::mem::take(first) {
                out.push_str(",\n");
            }
            out.push_str("{\"@id\":");
            match s {
                Term::Iri(i) => push_json_str(out, i),
                Term::Blank(b) => {
                    out.push_str("\"_:");
                    push_json_chars(out, b);
                    out.push('"');
                }
                Term::Literal { value, .. } => push_json_str(out, value),
            }
            for (p, objs) in preds {
                out.push(',');
                if p == RDF_TYPE {
                    out.push_str("\"@type\":[");
                    let mut comma = false;
                    for o in objs.iter() {
                        if let Term::Iri(i) = o {
                            if std::mem::replace(&mut comma, true) {
                                out.push(',');
                            }
                            self.push_json_compact(out, i);
                        }
                    }
                } else {
                    self.push_json_compact(out, p);
                    out.push_str(":[");
                    for (k, o) in objs.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        self.push_json_term(out, o);
                    }
                }
                out.push(']');
            }
            out.push('}');
        }
    }
}

/// `s` as a JSON string, escaped exactly as `serde_json` does (the catalogue's bytes did not
/// change when the writer stopped going through `serde_json::Value`).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    push_json_chars(out, s);
    out.push('"');
}

/// The inside of a JSON string: `"` and `\\` escaped, controls as `\n`-style or `\u00xx`.
fn push_json_chars(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

fn escape_turtle(out: &mut String, s: &str) {
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
}

/// IRIs in `<…>` may not contain spaces, `<>"{}|^\`` or controls: percent-encode them.
fn escape_iri(out: &mut String, s: &str) {
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
