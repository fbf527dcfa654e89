//! The DCAT-AP 3.0.1 catalogue (issue 5 §4), written as `/catalog.jsonld` and `/catalog.ttl`
//! from one graph. Vocabulary values are the EU Publications Office IRIs DCAT-AP requires
//! (`mdr-vocabularies.shape.ttl`): file types, frequencies, languages, data themes (each portal
//! theme names its EU code in portal.toml, `dcat = "GOVE"`), access rights, planned
//! availability, the country; checksums are `spdx:Checksum` nodes with `xsd:hexBinary` values.
//! Identifiers are the permanent page URLs, so harvesters that diff by identifier
//! (data.europa.eu) see a dataset as the same one across builds.
//! Checked in CI with pySHACL against the official shapes (tests/interop/dcat-ap-3.0.1/).

use super::rdf::{Graph, Term};
use super::{Dist, absolute_or_site, distributions, last_change, plain, portal_modified};
use crate::model::{ContactPoint, Dataset, Lang, Portal, Status, Text};
use crate::urls::{self, Site};

pub const EU_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";
/// The EU data-theme vocabulary (a portal theme's `dcat` must be one of these; `odp check` E0701).
pub const EU_THEME_CODES: [&str; 13] =
    ["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"];
const EU: &str = "http://publications.europa.eu/resource/authority/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

const PREFIXES: &[(&str, &str)] = &[
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// EU file-type code of our format names.
pub fn eu_file_type(format: &str) -> Option<&'static str> {
    Some(match format {
        "CSV" => "CSV",
        "TSV" => "TSV",
        "JSON" => "JSON",
        "GEOJSON" => "GEOJSON",
        "XLSX" => "XLSX",
        "XLS" => "XLS",
        "XML" => "XML",
        "PDF" => "PDF",
        "DOCX" => "DOCX",
        "DOC" => "DOC",
        "PNG" => "PNG",
        "JPEG" => "JPEG",
        "ZIP" => "ZIP",
        "TXT" => "TXT",
        "HTML" => "HTML",
        "MD" => "MARKDOWN",
        _ => return None,
    })
}

/// EU frequency code of our update frequencies.
pub fn eu_frequency(id: &str) -> Option<&'static str> {
    Some(match id {
        "daily" => "DAILY",
        "weekly" => "WEEKLY",
        "monthly" => "MONTHLY",
        "quarterly" => "QUARTERLY",
        "semiannual" => "ANNUAL_2",
        "annual" => "ANNUAL",
        "irregular" => "IRREG",
        "never" => "NEVER",
        _ => return None,
    })
}

fn lang_iri(l: Lang) -> Term {
    Term::iri(format!("{EU}language/{}", if l == Lang::Vi { "VIE" } else { "ENG" }))
}

fn date(d: &str) -> Term {
    Term::typed(d, &format!("{XSD}date"))
}

/// Adds a Vietnamese literal and, when given, its English version.
fn texts(g: &mut Graph, s: &Term, p: &str, t: &Text) {
    g.add(s, p, Term::lang(plain(&t.vi), "vi"));
    if let Some(en) = &t.en {
        g.add(s, p, Term::lang(plain(en), "en"));
    }
}

fn contact(g: &mut Graph, c: &ContactPoint) -> Term {
    let node = g.blank();
    g.typed(&node, "vcard:Organization");
    g.add(&node, "vcard:fn", Term::text(&c.name));
    g.add(&node, "vcard:hasEmail", Term::iri(format!("mailto:{}", c.email)));
    if let Some(phone) = &c.phone {
        let tel: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        g.add(&node, "vcard:hasTelephone", Term::iri(format!("tel:{tel}")));
    }
    node
}

/// The two serialisations of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Turtle,
    JsonLd,
}

fn vietnam() -> Term {
    Term::iri(format!("{EU}country/VNM"))
}

/// Writes the catalogue in each of `outputs`' syntaxes: the catalogue's own node, agents and
/// licences, then one small graph per dataset, built once, written in every syntax and dropped
/// before the next, so memory stays bounded by one dataset's triples however large the portal
/// (a 5,000-dataset catalogue is ~100 MB of JSON-LD; issue 7: the JSON-LD and Turtle files each
/// built all 5,000 graphs when written apart).
pub fn write(portal: &Portal, site: &Site, outputs: &mut [(Syntax, &mut dyn std::io::Write)]) -> std::io::Result<()> {
    let head = catalog_graph(portal, site);
    let mut blanks = head.blanks();
    let mut outputs: Vec<Output<'_>> =
        outputs.iter_mut().map(|(syntax, w)| Output::start(*syntax, &mut **w, &head)).collect();
    let vietnam = vietnam();
    for d in &portal.datasets {
        let mut g = Graph::with_blank_offset(PREFIXES, blanks);
        dataset(&mut g, portal, d, site, &vietnam);
        blanks = g.blanks();
        for out in &mut outputs {
            out.emit(&g)?;
        }
    }
    outputs.into_iter().try_for_each(Output::finish)
}

/// One serialisation being written: a buffer the writers stream into (instead of allocating per
/// node), flushed when large, and JSON-LD's "first node" flag.
struct Output<'w> {
    syntax: Syntax,
    w: &'w mut dyn std::io::Write,
    buf: String,
    first: bool,
}

impl<'w> Output<'w> {
    /// Starts with the prefixes or the JSON-LD head, and the catalogue's own graph.
    fn start(syntax: Syntax, w: &'w mut dyn std::io::Write, head: &Graph) -> Output<'w> {
        let mut out = Output { syntax, w, buf: String::with_capacity(1 << 17), first: true };
        match syntax {
            Syntax::Turtle => out.buf.push_str(&head.turtle_prefixes()),
            Syntax::JsonLd => out.buf.push_str(&head.jsonld_head()),
        }
        out.append(head);
        out
    }

    fn append(&mut self, g: &Graph) {
        match self.syntax {
            Syntax::Turtle => g.write_turtle_body(&mut self.buf),
            Syntax::JsonLd => g.write_jsonld_nodes(&mut self.buf, &mut self.first),
        }
    }

    /// Appends a dataset's graph, writing the buffer out once it passes 64 KiB.
    fn emit(&mut self, g: &Graph) -> std::io::Result<()> {
        self.append(g);
        if self.buf.len() >= 1 << 16 {
            self.w.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.syntax == Syntax::JsonLd {
            self.buf.push_str(super::rdf::JSONLD_TAIL);
        }
        self.w.write_all(self.buf.as_bytes())
    }
}

/// The catalogue's own node, the portal as its publisher, the publishers and the licences.
fn catalog_graph(portal: &Portal, site: &Site) -> Graph {
    let cfg = &portal.config;
    let mut g = Graph::new(PREFIXES);
    let catalog = Term::iri(site.absolute("catalog"));
    let vietnam = vietnam();
    g.typed(&catalog, "dcat:Catalog");
    texts(&mut g, &catalog, "dct:title", &cfg.title);
    texts(&mut g, &catalog, "dct:description", &cfg.description);
    // The portal itself publishes the catalogue; each dataset names its own agency.
    let operator = Term::iri(format!("{}#publisher", site.absolute("")));
    g.add(&catalog, "dct:publisher", operator.clone());
    g.add(&catalog, "foaf:homepage", Term::iri(site.absolute("")));
    for &l in &cfg.languages {
        g.add(&catalog, "dct:language", lang_iri(l));
    }
    if let Some(l) = cfg.license(&cfg.default_license) {
        g.add(&catalog, "dct:license", Term::iri(absolute_or_site(&l.url, site)));
    }
    if let Some(first) = portal.datasets.iter().filter_map(|d| d.issued.as_deref()).min() {
        g.add(&catalog, "dct:issued", date(first));
    }
    if let Some(m) = portal_modified(portal) {
        g.add(&catalog, "dct:modified", date(m));
    }
    g.add(&catalog, "dct:spatial", vietnam.clone());
    g.add(&catalog, "dcat:themeTaxonomy", Term::iri(format!("{EU}data-theme")));
    for d in &portal.datasets {
        g.add(&catalog, "dcat:dataset", Term::iri(site.absolute(&urls::dataset(&d.id))));
    }
    let services: Vec<Term> = portal
        .datasets
        .iter()
        .flat_map(|d| {
            distributions(d, site)
                .into_iter()
                .filter(|x| x.service.is_some())
                .map(|x| service_iri(site, &d.id, &x.key))
                .collect::<Vec<_>>()
        })
        .collect();
    for s in services {
        g.add(&catalog, "dcat:service", s);
    }

    g.typed(&operator, "foaf:Agent");
    texts(&mut g, &operator, "foaf:name", &cfg.title);
    g.add(&operator, "dct:type", Term::iri("http://purl.org/adms/publishertype/RegionalAuthority"));

    for p in portal.publishers.values() {
        let agent = Term::iri(site.absolute(&urls::publisher(&p.id)));
        g.typed(&agent, "foaf:Agent");
        g.typed(&agent, "foaf:Organization");
        texts(&mut g, &agent, "foaf:name", &p.name);
        g.add(&agent, "dct:type", Term::iri("http://purl.org/adms/publishertype/RegionalAuthority"));
        if let Some(w) = &p.website {
            g.add(&agent, "foaf:homepage", Term::iri(w));
        }
    }
    for l in &cfg.licenses {
        let lic = Term::iri(absolute_or_site(&l.url, site));
        g.typed(&lic, "dct:LicenseDocument");
        for t in licence_types(l.spdx.as_deref()) {
            g.add(&lic, "dct:type", Term::iri(format!("http://purl.org/adms/licencetype/{t}")));
        }
    }
    g
}

/// ADMS licence types: public-domain dedications, else attribution (the statutory open-data
/// terms require citing the source, 002 Art. 25), plus share-alike where the licence says so.
fn licence_types(spdx: Option<&str>) -> Vec<&'static str> {
    let s = spdx.unwrap_or("").to_ascii_uppercase();
    if s.starts_with("CC0") || s.starts_with("PDDL") {
        vec!["PublicDomain"]
    } else if s.contains("-SA") || s.starts_with("ODBL") {
        vec!["Attribution", "ShareAlike"]
    } else {
        vec!["Attribution"]
    }
}

/// The format of a service endpoint that is a file URL (`…/wards.csv`), and its specification.
fn endpoint_format(url: &str) -> Option<(&'static str, &'static str)> {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    Some(match path.rsplit('.').next()? {
        "csv" => ("CSV", "https://www.rfc-editor.org/rfc/rfc4180"),
        "json" => ("JSON", "https://www.rfc-editor.org/rfc/rfc8259"),
        "geojson" => ("GEOJSON", "https://www.rfc-editor.org/rfc/rfc7946"),
        "xml" => ("XML", "https://www.w3.org/TR/xml/"),
        _ => return None,
    })
}

fn service_iri(site: &Site, dataset: &str, key: &str) -> Term {
    Term::iri(format!("{}#service-{key}", site.absolute(&urls::dataset(dataset))))
}

fn dataset(g: &mut Graph, portal: &Portal, d: &Dataset, site: &Site, vietnam: &Term) {
    let cfg = &portal.config;
    let page = site.absolute(&urls::dataset(&d.id));
    let ds = Term::iri(&page);
    g.typed(&ds, "dcat:Dataset");
    texts(g, &ds, "dct:title", &d.title);
    texts(g, &ds, "dct:description", &d.description);
    g.add(&ds, "dct:identifier", Term::text(&page));
    g.add(&ds, "dcat:landingPage", Term::iri(&page));
    // Issue 6 item 5: a withdrawn or deprecated dataset leaves the listings but stays in the
    // catalogue, marked with the EU dataset-status authority table (DCAT-AP 3's Dataset shape
    // does not close its properties; `adms:status` takes an IRI, ANCHORS.md §3.1).
    let status = match d.status {
        Status::Active => None,
        Status::Deprecated => Some("DEPRECATED"),
        Status::Withdrawn => Some("WITHDRAWN"),
    };
    if let Some(code) = status {
        g.add(&ds, "adms:status", Term::iri(format!("{EU}dataset-status/{code}")));
    }
    let publisher = portal.publishers.get(&d.publisher.value);
    if publisher.is_some() {
        g.add(&ds, "dct:publisher", Term::iri(site.absolute(&urls::publisher(&d.publisher.value))));
    }
    let contact_point = d.contact.as_ref().or(publisher.map(|p| &p.contact)).map(|c| contact(g, c));
    if let Some(c) = &contact_point {
        g.add(&ds, "dcat:contactPoint", c.clone());
    }
    for t in &d.themes {
        if let Some(code) = cfg.theme(&t.value).and_then(|t| t.dcat.as_deref()) {
            g.add(&ds, "dcat:theme", Term::iri(format!("{EU_THEME}{code}")));
        }
    }
    for k in &d.keywords {
        g.add(&ds, "dcat:keyword", Term::lang(k, "vi"));
    }
    if let Some(f) = eu_frequency(&d.frequency.value) {
        g.add(&ds, "dct:accrualPeriodicity", Term::iri(format!("{EU}frequency/{f}")));
    }
    g.add(&ds, "dct:language", lang_iri(Lang::Vi));
    g.add(&ds, "dct:spatial", vietnam.clone());
    g.add(&ds, "dct:accessRights", Term::iri(format!("{EU}access-right/PUBLIC")));
    if let Some(i) = &d.issued {
        g.add(&ds, "dct:issued", date(i));
    }
    if let Some(m) = &d.modified {
        g.add(&ds, "dct:modified", date(m));
    }
    if let Some(v) = &d.version {
        g.add(&ds, "dcat:version", Term::text(v));
    }
    if let Some(t) = &d.temporal {
        let period = g.blank();
        g.typed(&period, "dct:PeriodOfTime");
        g.add(&period, "dcat:startDate", date(&t.start));
        if let Some(e) = &t.end {
            g.add(&period, "dcat:endDate", date(e));
        }
        g.add(&ds, "dct:temporal", period);
    }
    let license = super::license_url(portal, d, site);
    let themes: Vec<Term> = d
        .themes
        .iter()
        .filter_map(|t| cfg.theme(&t.value).and_then(|t| t.dcat.as_deref()))
        .map(|code| Term::iri(format!("{EU_THEME}{code}")))
        .collect();
    for x in distributions(d, site) {
        distribution(g, d, &ds, &x, license.as_deref(), contact_point.as_ref(), &themes, site);
    }
}

#[allow(clippy::too_many_arguments)]
fn distribution(
    g: &mut Graph,
    d: &Dataset,
    ds: &Term,
    x: &Dist,
    license: Option<&str>,
    contact_point: Option<&Term>,
    themes: &[Term],
    site: &Site,
) {
    let page = site.absolute(&urls::dataset(&d.id));
    let dist = Term::iri(format!("{page}#dist-{}", x.key));
    g.add(ds, "dcat:distribution", dist.clone());
    g.typed(&dist, "dcat:Distribution");
    g.add(&dist, "dct:title", Term::lang(&x.title_vi, "vi"));
    if let Some(en) = &x.title_en {
        g.add(&dist, "dct:title", Term::lang(en, "en"));
    }
    g.add(&dist, "dct:description", Term::lang(plain(x.description_vi.as_deref().unwrap_or(&x.title_vi)), "vi"));
    if let Some(l) = license {
        g.add(&dist, "dct:license", Term::iri(l));
    }
    g.add(&dist, "dcatap:availability", Term::iri(format!("{EU}planned-availability/STABLE")));
    if let Some(s) = &x.service {
        g.add(&dist, "dcat:accessURL", Term::iri(&s.url));
        let svc = service_iri(site, &d.id, &x.key);
        g.add(&dist, "dcat:accessService", svc.clone());
        g.typed(&svc, "dcat:DataService");
        g.add(&svc, "dct:title", Term::lang(&x.title_vi, "vi"));
        if let Some(en) = &x.title_en {
            g.add(&svc, "dct:title", Term::lang(en, "en"));
        }
        if let Some(desc) = &x.description_vi {
            g.add(&svc, "dct:description", Term::lang(plain(desc), "vi"));
        }
        g.add(&svc, "dcat:endpointURL", Term::iri(&s.url));
        if let Some(doc) = s.documentation.as_deref().filter(|u| u.starts_with("http")) {
            g.add(&svc, "dcat:endpointDescription", Term::iri(doc));
        }
        g.add(&svc, "dcat:servesDataset", ds.clone());
        g.add(&svc, "dct:publisher", Term::iri(site.absolute(&urls::publisher(&d.publisher.value))));
        if let Some(c) = contact_point {
            g.add(&svc, "dcat:contactPoint", c.clone());
        }
        if let Some(l) = license {
            g.add(&svc, "dct:license", Term::iri(l));
        }
        g.add(&svc, "dct:accessRights", Term::iri(format!("{EU}access-right/PUBLIC")));
        for k in &d.keywords {
            g.add(&svc, "dcat:keyword", Term::lang(k, "vi"));
        }
        g.add(&svc, "dcat:landingPage", Term::iri(page));
        for t in themes {
            g.add(&svc, "dcat:theme", t.clone());
        }
        if let Some((ft, spec)) = endpoint_format(&s.url) {
            g.add(&dist, "dct:format", Term::iri(format!("{EU}file-type/{ft}")));
            g.add(&svc, "dct:conformsTo", Term::iri(spec));
        }
        return;
    }
    g.add(&dist, "dcat:accessURL", Term::iri(&x.url));
    g.add(&dist, "dcat:downloadURL", Term::iri(&x.url));
    if let Some(ft) = eu_file_type(&x.format) {
        g.add(&dist, "dct:format", Term::iri(format!("{EU}file-type/{ft}")));
    }
    if let Some(mt) = x.media_type.filter(|m| *m != "application/octet-stream") {
        g.add(&dist, "dcat:mediaType", Term::iri(format!("https://www.iana.org/assignments/media-types/{mt}")));
    }
    if let Some(b) = x.bytes {
        g.add(&dist, "dcat:byteSize", Term::typed(b.to_string(), &format!("{XSD}nonNegativeInteger")));
    }
    if let Some(h) = &x.sha256 {
        let sum = g.blank();
        g.typed(&sum, "spdx:Checksum");
        g.add(&sum, "spdx:algorithm", Term::iri("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"));
        g.add(&sum, "spdx:checksumValue", Term::typed(h, &format!("{XSD}hexBinary")));
        g.add(&dist, "spdx:checksum", sum);
    }
    if let Some(m) = last_change(d) {
        g.add(&dist, "dct:modified", date(m));
    }
}
