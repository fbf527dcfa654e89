//! `datasets/<id>/dataset.toml`: a dataset's metadata, its resources (files in the folder or
//! data services) and their data dictionaries (002 Art. 17), inline or as Table Schema JSON.
//! Resource paths are confined to the dataset folder: `..`, absolute paths and symlinks that
//! lead out are errors, so a pull request can never publish a file from elsewhere.

use super::content::{check_url, read_contact};
use super::toml_read::{Doc, Table};
use crate::diag::{
    Diagnostics, Msg, Pos,
    messages::{FREQUENCIES, IdKind},
};
use crate::model::*;
use crate::text::{is_slug, nfc};
use std::path::{Component, Path};
use toml::de::DeValue;

pub(crate) const DATASET_FILE: &str = "dataset.toml";

/// The ids a dataset may name, known before datasets are read, so a dataset that is broken in
/// other ways still gets its references checked (every problem in one run).
#[derive(Debug, Default, Hash)]
pub struct Known {
    pub publishers: Vec<String>,
    /// Empty when portal.toml could not be read (then themes and licences are not checked).
    pub themes: Vec<String>,
    pub licenses: Vec<String>,
    pub default_license: String,
}

/// Reads one dataset folder. `root` is the repository, `id` the folder name.
pub fn load(root: &Path, id: &str, text: &str, known: &Known, diags: &mut Diagnostics) -> Option<Dataset> {
    let default_license = known.default_license.as_str();
    let dir = format!("datasets/{id}");
    let path = format!("{dir}/{DATASET_FILE}");
    if !is_slug(id) {
        diags.push(&path, Pos::FILE, Msg::InvalidId { kind: IdKind::Dataset, id: id.to_string() });
        return None;
    }
    let mut doc = Doc::new(&path, text, 0, diags);
    let root_table = doc.parse(text)?;
    let mut t = Table::new(root_table.get_ref(), 0..0, DATASET_FILE);

    let title = doc.text(&mut t, "title", "title_en", true);
    let description = doc.text(&mut t, "description", "description_en", false);
    let publisher = doc.required_string(&mut t, "publisher");
    let had_theme = t.has("theme");
    let themes = doc.string_list(&mut t, "theme").unwrap_or_default();
    if !had_theme {
        doc.missing(&t, "theme");
    } else if themes.is_empty() {
        let span = doc.value_span(&t, "theme").unwrap_or(0..1);
        doc.error(span, Msg::EmptyList { key: "theme".into() });
    }
    let frequency = doc.required_string(&mut t, "frequency");
    if let Some(f) = &frequency
        && !FREQUENCIES.contains(&f.value.as_str())
    {
        doc.diags.push(&path, f.pos, Msg::UnknownFrequency { id: f.value.clone() });
    }
    let had_keywords = t.has("keywords");
    let keywords = doc.string_list(&mut t, "keywords");
    let license = doc.string(&mut t, "license");
    check_refs(&mut doc, known, publisher.as_ref(), &themes, license.as_ref());
    let issued = doc.date(&mut t, "issued");
    let modified = doc.date(&mut t, "modified");
    let spatial = doc.string(&mut t, "spatial");
    let temporal = doc.table(&mut t, "temporal", "temporal").and_then(|mut tt| {
        let start = doc.date(&mut tt, "start");
        if !tt.has("start") {
            doc.missing(&tt, "start");
        }
        let end = doc.date(&mut tt, "end");
        doc.finish(tt);
        Some(Temporal { start: start?.value, end: end.map(|e| e.value) })
    });
    let version = doc.string(&mut t, "version");
    let rights = doc.string(&mut t, "rights");
    let status = doc.string(&mut t, "status");
    let status_reason = doc.string(&mut t, "status_reason");
    let status_date = doc.date(&mut t, "status_date");
    let aliases = doc.string_list(&mut t, "aliases").unwrap_or_default();
    for a in &aliases {
        if !is_slug(&a.value) {
            doc.diags.push(&path, a.pos, Msg::InvalidId { kind: IdKind::Dataset, id: a.value.clone() });
        }
    }
    let contact = doc.table(&mut t, "contact", "[contact]").and_then(|c| read_contact(&mut doc, c, true));

    let status = match status {
        None => Status::Active,
        Some(s) => match s.value.as_str() {
            "active" => Status::Active,
            "deprecated" => Status::Deprecated,
            "withdrawn" => Status::Withdrawn,
            _ => {
                doc.diags.push(&path, s.pos, Msg::UnknownStatus { id: s.value.clone() });
                Status::Active
            }
        },
    };
    if status != Status::Active && (status_reason.is_none() || status_date.is_none()) {
        let span = doc.value_span(&t, "status").unwrap_or(0..1);
        let name = if status == Status::Deprecated { "deprecated" } else { "withdrawn" };
        doc.error(span, Msg::StatusNeedsReason { status: name.into() });
    }

    let dataset_dir = root.join(&dir);
    let resource_tables = doc.tables(&mut t, "resources", "[[resources]]");
    if resource_tables.is_empty() && !t.has("resources") {
        doc.error(0..1, Msg::NoResources);
    }
    let mut resources: Vec<Resource> = Vec::new();
    for rt in resource_tables {
        if let Some(r) = load_resource(&mut doc, rt, &dataset_dir, &dir) {
            if resources.iter().any(|x| x.id == r.id) {
                let first = path.clone();
                doc.diags.push(&path, Pos::FILE, Msg::DuplicateId { kind: IdKind::Resource, id: r.id.clone(), first });
            } else {
                resources.push(r);
            }
        }
    }
    let title_pos_known = title.is_some();
    doc.finish(t);

    // The README.md beside dataset.toml is the long description when `description` is absent.
    let readme = std::fs::read_to_string(dataset_dir.join("README.md")).ok().map(|s| nfc(s.trim()));
    let description = match (description, &readme) {
        (Some(d), _) => Some(d),
        (None, Some(r)) => Some(Text::new(r.clone(), None)),
        (None, None) => {
            diags.push(&path, Pos::new(1, 1, 1), Msg::DescriptionMissing);
            None
        }
    };
    if let Some(d) = &description {
        let chars = d.vi.chars().count();
        if chars < 50 {
            diags.push(&path, Pos::new(1, 1, 1), Msg::DescriptionTooShort { chars });
        } else if chars > 5000 {
            diags.push(&path, Pos::new(1, 1, 1), Msg::DescriptionTooLong { chars });
        }
    }
    if !had_keywords {
        diags.push(&path, Pos::new(1, 1, 1), Msg::NoKeywords);
    }
    if !title_pos_known {
        return None;
    }
    let title = title?;
    Some(Dataset {
        id: id.to_string(),
        source: path.clone(),
        dir,
        title,
        description: description?,
        readme,
        publisher: publisher?,
        themes,
        frequency: frequency?,
        keywords: keywords.unwrap_or_default().into_iter().map(|k| k.value).collect(),
        license: license.unwrap_or_else(|| At::new(default_license.to_string(), Pos::FILE)),
        issued: issued.map(|d| d.value),
        modified: modified.map(|d| d.value),
        spatial: spatial.map(|s| s.value),
        temporal,
        version: version.map(|v| v.value),
        rights: rights.map(|r| r.value),
        status,
        status_reason: status_reason.map(|s| s.value),
        status_date: status_date.map(|s| s.value),
        aliases,
        contact,
        resources: if resources.is_empty() { return None } else { resources },
    })
}

fn check_refs(
    doc: &mut Doc<'_>,
    known: &Known,
    publisher: Option<&At<String>>,
    themes: &[At<String>],
    license: Option<&At<String>>,
) {
    if let Some(p) = publisher
        && !known.publishers.contains(&p.value)
    {
        let msg = Msg::UnknownPublisher { id: p.value.clone(), known: known.publishers.clone() };
        doc.diags.push(doc.path, p.pos, msg);
    }
    if known.themes.is_empty() {
        return;
    }
    for t in themes {
        if !known.themes.contains(&t.value) {
            doc.diags.push(doc.path, t.pos, Msg::UnknownTheme { id: t.value.clone(), known: known.themes.clone() });
        }
    }
    if let Some(l) = license
        && !known.licenses.contains(&l.value)
    {
        doc.diags.push(doc.path, l.pos, Msg::UnknownLicense { id: l.value.clone(), known: known.licenses.clone() });
    }
}

const SERVICE_KEYS: [&str; 7] =
    ["provider", "sharing", "data_structure", "connection_model", "method", "requirements", "documentation"];

fn is_resource_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn load_resource(doc: &mut Doc<'_>, mut t: Table<'_, '_>, dataset_dir: &Path, dir: &str) -> Option<Resource> {
    let id = doc.required_string(&mut t, "id");
    let title = doc.text(&mut t, "title", "title_en", true);
    let description = doc.text(&mut t, "description", "description_en", false);
    let path = doc.string(&mut t, "path");
    let url = doc.string(&mut t, "url");
    let format = doc.string(&mut t, "format");
    let sheet = doc.string(&mut t, "sheet").map(|s| s.value);
    let service: Vec<Option<At<String>>> = SERVICE_KEYS.iter().map(|k| doc.string(&mut t, k)).collect();
    let schema = load_schema(doc, &mut t, dataset_dir, dir);
    if let Some(id) = &id
        && !is_resource_id(&id.value)
    {
        doc.diags.push(doc.path, id.pos, Msg::InvalidId { kind: IdKind::Resource, id: id.value.clone() });
    }
    let kind = match (path, url) {
        (Some(_), Some(u)) => {
            doc.diags.push(doc.path, u.pos, Msg::ResourcePathAndUrl);
            None
        }
        (None, None) => {
            doc.error(t.span.start..t.span.start + 1, Msg::ResourceNeedsPathOrUrl);
            None
        }
        (None, Some(url)) => {
            check_url(doc, "url", &url);
            if let Some(doc_url) = &service[6] {
                check_url(doc, "documentation", doc_url);
            }
            let [provider, sharing, data_structure, connection_model, method, requirements, documentation] =
                <[Option<At<String>>; 7]>::try_from(service).ok()?.map(|v| v.map(|a| a.value));
            Some(ResourceKind::Service(ServiceResource {
                url: url.value,
                provider,
                sharing,
                data_structure,
                connection_model,
                method,
                requirements,
                documentation,
            }))
        }
        (Some(p), None) => {
            for (key, v) in SERVICE_KEYS.iter().zip(&service) {
                if let Some(v) = v {
                    doc.diags.push(doc.path, v.pos, Msg::ServiceFieldOnFile { key: key.to_string() });
                }
            }
            let ok = check_resource_path(doc, &p, dataset_dir);
            let extension = Path::new(&p.value)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_else(|| "bin".into());
            let format = format.map(|f| f.value.to_uppercase()).unwrap_or_else(|| format_of(&extension));
            let file = FileResource { path: p, format, extension, schema, sheet, facts: None };
            if ok && file.is_tabular() && file.schema.is_none() {
                doc.diags.push(doc.path, file.path.pos, Msg::TableWithoutDictionary { path: file.path.value.clone() });
            }
            ok.then_some(ResourceKind::File(file))
        }
    };
    doc.finish(t);
    Some(Resource { id: id?.value, title: title?, description, kind: kind? })
}

/// Format name from a file extension.
pub fn format_of(ext: &str) -> String {
    match ext {
        "jpg" | "jpeg" => "JPEG".into(),
        "htm" => "HTML".into(),
        "yml" => "YAML".into(),
        other => other.to_uppercase(),
    }
}

/// A resource path must name a file inside the dataset folder: no absolute paths, no `..`,
/// and no symlink that resolves outside.
fn check_resource_path(doc: &mut Doc<'_>, p: &At<String>, dataset_dir: &Path) -> bool {
    let rel = Path::new(&p.value);
    let escapes = p.value.starts_with(['/', '\\'])
        || p.value.contains('\\')
        || rel.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        doc.diags.push(doc.path, p.pos, Msg::PathOutsideDataset { path: p.value.clone() });
        return false;
    }
    let full = dataset_dir.join(rel);
    // Reached without passing a symlink: inside by construction (`..` is refused above). One
    // lstat per component instead of resolving both paths (two realpath calls, a dozen system
    // calls per resource at 5,000 datasets).
    match plainly_inside(dataset_dir, rel) {
        Some(true) => return true,
        Some(false) => {
            doc.diags.push(doc.path, p.pos, Msg::ResourceFileMissing { path: p.value.clone() });
            return false;
        }
        None => {}
    }
    match (full.canonicalize(), dataset_dir.canonicalize()) {
        (Ok(real), Ok(base)) if real.starts_with(&base) && real.is_file() => true,
        (Ok(real), Ok(base)) if !real.starts_with(&base) => {
            doc.diags.push(doc.path, p.pos, Msg::PathOutsideDataset { path: p.value.clone() });
            false
        }
        _ => {
            doc.diags.push(doc.path, p.pos, Msg::ResourceFileMissing { path: p.value.clone() });
            false
        }
    }
}

/// Walks `rel` (normal components only) down from `dir` without following links: `Some(true)`
/// when it ends at a regular file, `Some(false)` when a component is missing or the end is not
/// a file, `None` when a symlink is on the way (then only resolving it can tell where it leads).
fn plainly_inside(dir: &Path, rel: &Path) -> Option<bool> {
    let mut at = dir.to_path_buf();
    let mut parts = rel.components().filter(|c| matches!(c, Component::Normal(_))).peekable();
    if parts.peek().is_none() {
        return Some(false); // the folder itself
    }
    while let Some(part) = parts.next() {
        at.push(part);
        let kind = match std::fs::symlink_metadata(&at) {
            Ok(m) => m.file_type(),
            Err(_) => return Some(false),
        };
        if kind.is_symlink() {
            return None;
        }
        let last = parts.peek().is_none();
        if (last && !kind.is_file()) || (!last && !kind.is_dir()) {
            return Some(false);
        }
    }
    Some(true)
}

fn load_schema(doc: &mut Doc<'_>, t: &mut Table<'_, '_>, dataset_dir: &Path, dir: &str) -> Option<Schema> {
    let value = t.inner.iter().find(|(k, _)| k.get_ref().as_ref() == "schema").map(|(_, v)| v);
    if value.is_some_and(|v| matches!(v.get_ref(), DeValue::String(_))) {
        let file = doc.string(t, "schema")?;
        if !check_resource_path(doc, &file, dataset_dir) {
            return None;
        }
        let path = format!("{dir}/{}", file.value);
        return super::table_schema::load(&dataset_dir.join(&file.value), &path, doc.diags);
    }
    let mut s = doc.table(t, "schema", "[resources.schema]")?;
    let source = doc.path.to_string();
    let primary_key = doc.string_list(&mut s, "primary_key").unwrap_or_default();
    let decimal_char = doc.string(&mut s, "decimal_char").map(|v| v.value);
    let group_char = doc.string(&mut s, "group_char").map(|v| v.value);
    let mut fields: Vec<Field> = Vec::new();
    for ft in doc.tables(&mut s, "fields", "[[resources.schema.fields]]") {
        if let Some(f) = load_field(doc, ft) {
            if fields.iter().any(|x| x.name.value == f.name.value) {
                doc.diags.push(doc.path, f.name.pos, Msg::DuplicateField { name: f.name.value.clone() });
            } else {
                fields.push(f);
            }
        }
    }
    if !s.has("fields") {
        doc.missing(&s, "fields");
    }
    doc.finish(s);
    for k in &primary_key {
        if !fields.iter().any(|f| f.name.value == k.value) {
            doc.diags.push(doc.path, k.pos, Msg::PrimaryKeyUnknownField { name: k.value.clone() });
        }
    }
    Some(Schema { fields, primary_key, decimal_char, group_char, source })
}

fn load_field(doc: &mut Doc<'_>, mut t: Table<'_, '_>) -> Option<Field> {
    let name = doc.required_string(&mut t, "name");
    let title = doc.text(&mut t, "title", "title_en", true);
    let description = doc.text(&mut t, "description", "description_en", false);
    let ty = doc.required_string(&mut t, "type");
    let format = doc.string(&mut t, "format");
    let unit = doc.string(&mut t, "unit").map(|u| u.value);
    let required = doc.boolean(&mut t, "required").unwrap_or(false);
    let unique = doc.boolean(&mut t, "unique").unwrap_or(false);
    let enum_values = doc.string_list(&mut t, "enum").unwrap_or_default();
    let minimum = doc.bound(&mut t, "minimum");
    let maximum = doc.bound(&mut t, "maximum");
    let pattern = doc.string(&mut t, "pattern").map(|p| p.value);
    let public_reason = doc.string(&mut t, "public_reason").map(|p| p.value);
    let references_span = doc.value_span(&t, "references");
    let references = doc.table(&mut t, "references", "references").and_then(|mut r| {
        let pos = doc.pos(references_span.clone().unwrap_or(r.span.clone()));
        let dataset = doc.required_string(&mut r, "dataset");
        let resource = doc.required_string(&mut r, "resource");
        let field = doc.required_string(&mut r, "field");
        doc.finish(r);
        Some(At::new(FieldRef { dataset: dataset?.value, resource: resource?.value, field: field?.value }, pos))
    });
    doc.finish(t);
    let ty_at = ty?;
    let Some(ty) = FieldType::parse(&ty_at.value) else {
        doc.diags.push(doc.path, ty_at.pos, Msg::UnknownFieldType { ty: ty_at.value });
        return None;
    };
    if let Some(f) = &format
        && !matches!(ty, FieldType::Date | FieldType::Datetime)
    {
        doc.diags.push(doc.path, f.pos, Msg::FieldOptionNotForType { key: "format".into(), ty: ty.name().into() });
    }
    Some(Field {
        name: name?,
        title: title?,
        description,
        ty,
        format: format.map(|f| f.value),
        unit,
        required,
        unique,
        enum_values: enum_values.into_iter().map(|e| e.value).collect(),
        minimum,
        maximum,
        pattern,
        references,
        public_reason,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::plainly_inside;
    use std::path::Path;

    #[test]
    fn a_path_without_links_is_judged_without_resolving_and_a_link_is_left_to_resolution() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
        std::fs::write(d.join("data.csv"), "a\n").unwrap();
        std::fs::write(d.join("sub/deeper/x.csv"), "a\n").unwrap();
        std::os::unix::fs::symlink("data.csv", d.join("link.csv")).unwrap();
        std::os::unix::fs::symlink("sub", d.join("linked-sub")).unwrap();
        let judge = |rel: &str| plainly_inside(d, Path::new(rel));
        assert_eq!(judge("data.csv"), Some(true));
        assert_eq!(judge("./sub/deeper/x.csv"), Some(true));
        assert_eq!(judge("missing.csv"), Some(false));
        assert_eq!(judge("sub/deeper"), Some(false), "a folder is not a file");
        assert_eq!(judge("data.csv/x"), Some(false), "a file is not a folder");
        assert_eq!(judge("."), Some(false), "the folder itself");
        assert_eq!(judge("link.csv"), None);
        assert_eq!(judge("linked-sub/deeper/x.csv"), None);
    }
}
