//! Splits `+++`-delimited TOML front matter from a Markdown body, remembering where the TOML
//! starts so diagnostics point at the right line of the real file.

use super::toml_read::Doc;
use crate::diag::{Diagnostics, Msg, Pos};
use toml::Spanned;
use toml::de::DeTable;

/// The parts of a Markdown file with front matter.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub offset: usize,
    pub body: &'a str,
}

/// The front matter of a Markdown file, parsed: a [`Doc`] to read its keys (positions count
/// from the top of the whole file), its root table, and the Markdown body. `None` when there is
/// no front matter or it is not TOML, reported in `diags` either way.
pub fn open<'a>(
    path: &'a str,
    text: &'a str,
    diags: &'a mut Diagnostics,
) -> Option<(Doc<'a>, Spanned<DeTable<'a>>, &'a str)> {
    let Some(split) = split(text) else {
        diags.push(path, Pos::new(1, 1, 1), Msg::FrontMatterMissing);
        return None;
    };
    let mut doc = Doc::new(path, text, split.offset, diags);
    let root = doc.parse(split.toml)?;
    Some((doc, root, split.body))
}

/// `None` when the file does not start with a `+++` line or the block is not closed.
pub fn split(text: &str) -> Option<Split<'_>> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "+++" {
        return None;
    }
    let offset = text_start + first_end + 1;
    let mut line_start = offset;
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = line_start + line.len();
            return Some(Split { toml: &text[offset..line_start], offset, body: &text[body_start..] });
        }
        line_start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offset() {
        let text = "+++\ntitle = \"A\"\n+++\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(s.toml, "title = \"A\"\n");
        assert_eq!(s.offset, 4);
        assert_eq!(s.body, "# Body\n");
        assert!(split("# no front matter").is_none());
        assert!(split("+++\nunclosed = 1\n").is_none());
    }
}
