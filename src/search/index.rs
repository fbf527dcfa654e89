//! The tantivy index behind `odp search`, in `.odp/search/` beside the portal (not in `site/`:
//! tantivy's files are not byte-reproducible, and the site must be). Each field class has an
//! exact field (accents kept, tone placement made canonical), a folded field and, for short
//! classes, a joined-syllables field, each tokenized by [`super::analyze`] registered as a
//! tantivy tokenizer. A fingerprint of the documents decides whether the index is current.

use super::analyze::{self, VERSION};
use super::docs::{Class, SearchDoc};
use super::query::Plan;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value as _};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

/// Where the index lives, relative to the portal root.
pub const DIR: &str = ".odp/search";
const FINGERPRINT: &str = "odp-fingerprint";

/// Which form of the analyzer a tokenizer emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Exact,
    Folded,
    Joined,
}

impl Form {
    fn tokenizer(self) -> &'static str {
        match self {
            Form::Exact => "vi_exact",
            Form::Folded => "vi_fold",
            Form::Joined => "vi_join",
        }
    }
    fn suffix(self) -> &'static str {
        match self {
            Form::Exact => "exact",
            Form::Folded => "fold",
            Form::Joined => "join",
        }
    }
}

/// The analyzer as a tantivy tokenizer.
#[derive(Debug, Clone)]
pub struct ViTokenizer(pub Form);

/// The tokens of one text, handed out one by one.
pub struct VecStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let toks = analyze::tokens(text);
        let texts: Vec<String> = match self.0 {
            Form::Exact => toks.into_iter().map(|t| t.exact).collect(),
            Form::Folded => toks.into_iter().map(|t| t.folded).collect(),
            Form::Joined => analyze::joins(&toks.into_iter().map(|t| t.folded).collect::<Vec<_>>()),
        };
        let tokens = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Token { offset_from: 0, offset_to: text.len(), position: i, text, position_length: 1 })
            .collect();
        VecStream { tokens, next: 0 }
    }
}

/// The fields of the schema.
struct Fields {
    id: Field,
    doc: Field,
    /// (class, form, field)
    text: Vec<(Class, Form, Field)>,
    publisher: Field,
    theme: Field,
    format: Field,
    keyword: Field,
    licence: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let doc = b.add_text_field("doc", STORED);
    let mut text = Vec::new();
    for class in Class::ALL {
        for form in [Form::Exact, Form::Folded, Form::Joined] {
            if form == Form::Joined && !class.joined() {
                continue;
            }
            let opts = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(form.tokenizer())
                    .set_index_option(IndexRecordOption::WithFreqs),
            );
            text.push((class, form, b.add_text_field(&format!("{}_{}", class.name(), form.suffix()), opts)));
        }
    }
    let fields = Fields {
        id,
        doc,
        text,
        publisher: b.add_text_field("publisher", STRING),
        theme: b.add_text_field("theme", STRING),
        format: b.add_text_field("format", STRING),
        keyword: b.add_text_field("keyword", STRING),
        licence: b.add_text_field("licence", STRING),
    };
    (b.build(), fields)
}

fn register(index: &Index) {
    for form in [Form::Exact, Form::Folded, Form::Joined] {
        index.tokenizers().register(form.tokenizer(), ViTokenizer(form));
    }
}

/// A hash of what the index holds: the documents and the analyzer version.
pub fn fingerprint(docs: &[SearchDoc]) -> String {
    let mut h = Sha256::new();
    h.update(VERSION.to_le_bytes());
    h.update(serde_json::to_vec(docs).expect("json"));
    h.update(super::aliases::all().iter().map(|a| format!("{}\t{}\n", a.from, a.to)).collect::<String>());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// True when `dir` holds an index of exactly these documents.
pub fn is_current(dir: &Path, docs: &[SearchDoc]) -> bool {
    std::fs::read_to_string(dir.join(FINGERPRINT)).is_ok_and(|f| f.trim() == fingerprint(docs))
}

/// Writes the index of `docs` into `dir` (replacing what was there) unless it is current.
/// Returns whether it was (re)built.
pub fn ensure(dir: &Path, docs: &[SearchDoc]) -> Result<bool> {
    if is_current(dir, docs) {
        return Ok(false);
    }
    write(dir, docs)?;
    Ok(true)
}

/// Builds the index in a sibling folder, then swaps it in.
pub fn write(dir: &Path, docs: &[SearchDoc]) -> Result<()> {
    let parent = dir.parent().context("index folder has no parent")?;
    std::fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
    let tmp = tempfile::Builder::new().prefix(".search-").tempdir_in(parent)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(tmp.path(), schema).context("failed to create the search index")?;
    register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
    for d in docs {
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.doc, serde_json::to_string(d)?);
        for &(class, _, field) in &f.text {
            for t in d.texts(class) {
                doc.add_text(field, t);
            }
        }
        doc.add_text(f.publisher, &d.publisher);
        d.themes.iter().for_each(|t| doc.add_text(f.theme, t));
        d.formats.iter().for_each(|t| doc.add_text(f.format, t));
        d.keywords.iter().for_each(|t| doc.add_text(f.keyword, t));
        doc.add_text(f.licence, &d.licence);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    std::fs::write(tmp.path().join(FINGERPRINT), fingerprint(docs))?;
    let tmp = tmp.keep();
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("failed to remove `{}`", dir.display()))?;
    }
    std::fs::rename(&tmp, dir).with_context(|| format!("failed to move the index to `{}`", dir.display()))?;
    Ok(())
}

/// Facet filters: within one facet any value, across facets all.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub publisher: Vec<String>,
    pub theme: Vec<String>,
    pub format: Vec<String>,
    pub keyword: Vec<String>,
    pub licence: Vec<String>,
}

/// A result: the stored document (JSON of [`SearchDoc`]) and its score.
#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub doc: serde_json::Value,
}

/// The results of a search: the best `limit` and how many matched in all.
#[derive(Debug, Clone)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
}

fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// Boost of an accent-exact match over a folded one, and of what the user typed over an alias.
pub const EXACT_BOOST: f32 = 1.5;
pub const ALIAS_BOOST: f32 = 0.8;

/// Runs `plan` with `filters` on the index in `dir`.
pub fn search(dir: &Path, plan: &Plan, filters: &Filters, limit: usize) -> Result<Results> {
    let index =
        Index::open_in_dir(dir).with_context(|| format!("failed to open the search index `{}`", dir.display()))?;
    register(&index);
    let (_, f) = schema();
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for c in &plan.concepts {
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for a in &c.alts {
            let factor = if a.alias.is_some() { ALIAS_BOOST } else { 1.0 };
            let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for t in &a.tokens {
                let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for &(class, form, field) in &f.text {
                    let w = class.weight() * factor;
                    match form {
                        Form::Exact if t.is_marked() => {
                            any.push((Occur::Should, term_q(field, &t.exact, w * EXACT_BOOST)))
                        }
                        Form::Folded => any.push((Occur::Should, term_q(field, &t.folded, w))),
                        // a single syllable typed may be a join ("hanoi")
                        Form::Joined if a.tokens.len() == 1 => any.push((Occur::Should, term_q(field, &t.folded, w))),
                        _ => {}
                    }
                }
                parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
            if let Some(j) = &a.join {
                for &(class, form, field) in &f.text {
                    if form == Form::Joined {
                        parts.push((Occur::Should, term_q(field, j, class.weight() * factor)));
                    }
                }
            }
            alts.push((Occur::Should, Box::new(BooleanQuery::new(parts))));
        }
        must.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
    }
    for j in &plan.adjacent {
        for &(class, form, field) in &f.text {
            if form == Form::Joined {
                must.push((Occur::Should, term_q(field, j, class.weight())));
            }
        }
    }
    for (field, values) in [
        (f.publisher, &filters.publisher),
        (f.theme, &filters.theme),
        (f.format, &filters.format),
        (f.keyword, &filters.keyword),
        (f.licence, &filters.licence),
    ] {
        if values.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if plan.concepts.is_empty() {
        must.push((Occur::Must, Box::new(AllQuery)));
    }
    let query = BooleanQuery::new(must);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let (top, total) = searcher.search(&query, &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count))?;
    let mut hits = Vec::new();
    for (score, addr) in top.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let json = doc.get_first(f.doc).and_then(|v| v.as_str()).context("stored document missing")?;
        hits.push(Hit { score, doc: serde_json::from_str(json)? });
    }
    Ok(Results { total, hits })
}

/// The index folder of the portal at `root`.
pub fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

/// The folded, exact and joined terms of each class of a stored document, to say why it matched.
pub fn terms_of(doc: &serde_json::Value, class: Class) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (mut exact, mut folded, mut joined) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let texts = doc["texts"].as_array().into_iter().flatten().filter(|e| e[0] == class.name()).flat_map(|e| {
        e[1].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_string)).collect::<Vec<_>>()
    });
    for text in texts {
        let toks = analyze::tokens(&text);
        let f: Vec<String> = toks.iter().map(|t| t.folded.clone()).collect();
        if class.joined() {
            joined.extend(analyze::joins(&f));
        }
        exact.extend(toks.into_iter().map(|t| t.exact));
        folded.extend(f);
    }
    (exact, folded, joined)
}
