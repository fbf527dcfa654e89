//! `content/`: Markdown pages (`about.md`, `about.en.md`, `guide/agencies.md`) and the
//! agencies in `content/publishers/<id>.md`, each with TOML front matter.

use super::frontmatter;
use super::toml_read::{Doc, Table};
use crate::diag::{Diagnostics, Msg, Pos, messages::IdKind};
use crate::model::{ContactPoint, Lang, Page, Publisher};
use crate::text::{is_slug, nfc};

/// Reads a publisher file; `id` is its file stem.
pub fn load_publisher(id: &str, path: &str, text: &str, diags: &mut Diagnostics) -> Option<Publisher> {
    if !is_slug(id) {
        diags.push(path, Pos::FILE, Msg::InvalidId { kind: IdKind::Publisher, id: id.to_string() });
        return None;
    }
    let (mut doc, root, body) = frontmatter::open(path, text, diags)?;
    let mut t = Table::new(root.get_ref(), 0..0, "front matter");
    let name = doc.text(&mut t, "name", "name_en", true);
    let website = doc.string(&mut t, "website");
    let contact = match doc.table(&mut t, "contact", "[contact]") {
        Some(c) => read_contact(&mut doc, c, true),
        None => {
            doc.missing(&t, "contact");
            None
        }
    };
    doc.finish(t);
    if let Some(w) = &website {
        check_url(&mut doc, "website", w);
    }
    Some(Publisher {
        id: id.to_string(),
        name: name?,
        website: website.map(|w| w.value),
        contact: contact?,
        description: nfc(body.trim()),
        source: path.to_string(),
    })
}

/// `[contact]`: name and e-mail required, phone optional.
pub fn read_contact(doc: &mut Doc<'_>, mut c: Table<'_, '_>, required: bool) -> Option<ContactPoint> {
    let (name, email) = if required {
        (doc.required_string(&mut c, "name"), doc.required_string(&mut c, "email"))
    } else {
        (doc.string(&mut c, "name"), doc.string(&mut c, "email"))
    };
    let phone = doc.string(&mut c, "phone").map(|p| p.value);
    doc.finish(c);
    Some(ContactPoint { name: name?.value, email: email?.value, phone })
}

pub fn check_url(doc: &mut Doc<'_>, key: &str, url: &crate::model::At<String>) -> bool {
    let ok = crate::load::config::split_base_url(url.value.split(['?', '#']).next().unwrap_or("")).is_some();
    if !ok {
        doc.diags.push(doc.path, url.pos, Msg::InvalidUrl { key: key.into(), value: url.value.clone() });
    }
    ok
}

/// Reads a content page. `rel` is the path under `content/` (`guide/agencies.en.md`).
pub fn load_page(rel: &str, path: &str, text: &str, diags: &mut Diagnostics) -> Option<Page> {
    let stem = rel.strip_suffix(".md")?;
    let (slug, lang) = match stem.strip_suffix(".en") {
        Some(s) => (s, Lang::En),
        None => (stem, Lang::Vi),
    };
    if !slug.split('/').all(is_slug) {
        diags.push(path, Pos::FILE, Msg::InvalidId { kind: IdKind::Page, id: slug.to_string() });
        return None;
    }
    let (mut doc, root, body) = frontmatter::open(path, text, diags)?;
    let mut t = Table::new(root.get_ref(), 0..0, "front matter");
    let title = doc.required_string(&mut t, "title");
    let description = doc.string(&mut t, "description");
    let menu = doc.integer(&mut t, "menu");
    doc.finish(t);
    Some(Page {
        slug: slug.to_string(),
        lang,
        title: title?.value,
        description: description.map(|d| d.value),
        menu,
        body: nfc(body.trim()),
        source: path.to_string(),
    })
}
