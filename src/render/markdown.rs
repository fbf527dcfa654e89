//! Markdown written by agencies and editors → safe HTML: raw HTML is shown as text, link and
//! image URLs are limited to http, https, mailto, tel and relative ones, root-relative links are
//! moved under the portal's path prefix, and headings are shifted below the page's `<h1>`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;

/// How to render one piece of Markdown.
#[derive(Debug, Clone, Default)]
pub struct MdOptions<'a> {
    /// The site's path prefix (`/` or `/du-lieu/`): root-relative links (`/terms/`) get it.
    pub prefix: &'a str,
    /// The level the document's top headings get (2: below the page's `<h1>`); deeper headings
    /// keep their distance. 0 leaves headings alone.
    pub top_heading: u8,
    /// When set, headings get `id`s (folded slugs) unique within this set.
    pub heading_ids: Option<&'a HashSetCell>,
}

/// The ids already used on a page, shared by the Markdown pieces of that page.
pub type HashSetCell = std::cell::RefCell<HashSet<String>>;

/// Markdown → HTML with tables and strikethrough; never passes raw HTML or unsafe URLs through.
pub fn to_html(src: &str, opts: &MdOptions<'_>) -> String {
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let raw: Vec<Event<'_>> = parser.collect();
    let top = raw
        .iter()
        .filter_map(|e| if let Event::Start(Tag::Heading { level, .. }) = e { Some(*level as u8) } else { None })
        .min();
    let offset = match top {
        Some(top) if opts.top_heading > top => opts.top_heading - top,
        _ => 0,
    };
    let mut events: Vec<Event<'_>> = Vec::with_capacity(raw.len());
    for ev in raw {
        let ev = match ev {
            // Raw HTML becomes inert text; an HTML block becomes a paragraph of that text.
            Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(safe_url(&dest_url, opts.prefix)),
                title,
                id,
            }),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(safe_url(&dest_url, opts.prefix)),
                title,
                id,
            }),
            Event::Start(Tag::Heading { level, id: _, classes: _, attrs: _ }) => {
                Event::Start(Tag::Heading { level: shift(level, offset), id: None, classes: vec![], attrs: vec![] })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, offset))),
            other => other,
        };
        events.push(ev);
    }
    if let Some(ids) = opts.heading_ids {
        add_heading_ids(&mut events, ids);
    }
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Inline Markdown (a footer line): like [`to_html`] without the wrapping `<p>`.
pub fn to_inline_html(src: &str, prefix: &str) -> String {
    let html = to_html(src, &MdOptions { prefix, ..Default::default() });
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

/// The first paragraph of a Markdown text as plain text, cut near `max` characters on a word
/// boundary (with `…`). For listings.
pub fn excerpt(src: &str, max: usize) -> String {
    let mut text = String::new();
    let mut started = false;
    for ev in Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Start(Tag::Paragraph) => started = true,
            Event::End(TagEnd::Paragraph) if started => break,
            Event::Text(s) | Event::Code(s) if started => text.push_str(&s),
            Event::SoftBreak | Event::HardBreak if started => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn add_heading_ids(events: &mut [Event<'_>], ids: &HashSetCell) {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(s) | Event::Code(s) = &events[j] {
                    text.push_str(s);
                }
                j += 1;
            }
            let id = unique_id(&crate::text::slugify(&text), ids);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not yet in `ids`; records it.
pub fn unique_id(base: &str, ids: &HashSetCell) -> String {
    let base = if base.is_empty() { "muc" } else { base };
    let mut ids = ids.borrow_mut();
    let mut id = base.to_string();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.insert(id.clone());
    id
}

/// Keeps http, https, mailto, tel and relative URLs; anything else (javascript:, data:,
/// vbscript:, unknown schemes, however obfuscated) becomes `#`. Root-relative URLs get the
/// site's path prefix. pulldown-cmark has already decoded entities and backslash escapes.
pub fn safe_url(url: &str, prefix: &str) -> String {
    // Browsers drop ASCII tab/newline anywhere in a URL and trim C0 controls and spaces at both
    // ends; judge the URL the way they will read it.
    let cleaned: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    if cleaned.chars().any(|c| c.is_control()) {
        return "#".into();
    }
    // A scheme is whatever comes before the first ':' that precedes any '/', '?' or '#'.
    let end = cleaned.find(['/', '?', '#']).unwrap_or(cleaned.len());
    if let Some(colon) = cleaned[..end].find(':') {
        let scheme = cleaned[..colon].to_ascii_lowercase();
        return if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") { cleaned } else { "#".into() };
    }
    if cleaned.starts_with("//") || cleaned.starts_with("\\") || cleaned.starts_with("/\\") {
        // Protocol-relative: leaves the site; keep it only as https.
        return format!("https:{}", cleaned.replace('\\', "/"));
    }
    if let Some(rest) = cleaned.strip_prefix('/') {
        return format!("{prefix}{rest}");
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        to_html(s, &MdOptions { prefix: "/", ..Default::default() })
    }

    #[test]
    fn script_is_inert() {
        let out = md("Hello <script>alert(1)</script> world");
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{out}");
        let block = md("<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\ntext");
        assert!(!block.contains("<script") && !block.contains("<div"), "{block}");
        assert!(block.contains("&lt;script&gt;"), "{block}");
        let img = md("<img src=x onerror=alert(1)>");
        assert!(!img.contains("<img"), "{img}");
        let comment = md("a <!-- x --> b");
        assert!(comment.contains("&lt;!-- x --&gt;"), "{comment}");
    }

    /// The values of every href= and src= attribute in `html`.
    fn attr_values(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for key in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(key) {
                let rest = &html[i + key.len()..];
                out.push(rest[..rest.find('"').unwrap()].to_string());
            }
        }
        out
    }

    #[test]
    fn javascript_urls_are_neutralised() {
        for bad in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](&#106;avascript:alert(1))",
            "[x](&#x6A;&#x61;vascript&#58;alert(1))",
            "[x](vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "![i](data:image/svg+xml,<svg onload=alert(1)>)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "[x](\u{1}javascript:alert(1))",
        ] {
            let out = md(bad);
            for url in attr_values(&out) {
                let url = url.to_ascii_lowercase();
                assert!(url == "#" || !(url.contains("script") || url.contains("data")), "{bad} → {out}");
            }
        }
        assert!(md("[x](javascript:alert(1))").contains(r##"<a href="#">x</a>"##));
    }

    #[test]
    fn good_urls_survive() {
        assert!(md("[a](https://example.gov.vn/x?y=1#z)").contains(r#"href="https://example.gov.vn/x?y=1#z""#));
        assert!(md("[a](mailto:a@b.vn)").contains(r#"href="mailto:a@b.vn""#));
        assert!(md("[a](tel:+84234)").contains(r#"href="tel:+84234""#));
        assert!(md("[a](../x/)").contains(r#"href="../x/""#));
        assert!(md("[a](#top)").contains(r##"href="#top""##));
        let prefixed = to_html("[a](/terms/)", &MdOptions { prefix: "/du-lieu/", ..Default::default() });
        assert!(prefixed.contains(r#"href="/du-lieu/terms/""#), "{prefixed}");
        assert_eq!(safe_url("//evil.example/x", "/"), "https://evil.example/x");
    }

    #[test]
    fn tables_strikethrough_and_headings() {
        let out = md("# Tiêu đề\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~cũ~~");
        assert!(out.contains("<h1>Tiêu đề</h1>"), "{out}");
        let shifted = to_html("# A\n\n### B", &MdOptions { prefix: "/", top_heading: 2, heading_ids: None });
        assert!(shifted.contains("<h2>A</h2>") && shifted.contains("<h4>B</h4>"), "{shifted}");
        let kept = to_html("## A\n\n### B", &MdOptions { prefix: "/", top_heading: 2, heading_ids: None });
        assert!(kept.contains("<h2>A</h2>") && kept.contains("<h3>B</h3>"), "{kept}");
        assert!(out.contains("<table>") && out.contains("<del>cũ</del>"), "{out}");
        let ids = HashSetCell::default();
        let opts = MdOptions { prefix: "/", top_heading: 2, heading_ids: Some(&ids) };
        let out = to_html("## Đầu mối\n\n## Đầu mối", &opts);
        assert!(out.contains(r#"<h2 id="dau-moi">"#) && out.contains(r#"<h2 id="dau-moi-2">"#), "{out}");
    }

    #[test]
    fn inline_and_excerpt() {
        assert_eq!(to_inline_html("Xem [điều khoản](/terms/)", "/"), r#"Xem <a href="/terms/">điều khoản</a>"#);
        assert_eq!(excerpt("# T\n\nMột hai\nba.\n\nHai", 100), "Một hai ba.");
        assert_eq!(excerpt("aaaa bbbb cccc dddd", 12), "aaaa bbbb…");
    }
}
