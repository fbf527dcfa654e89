//! Splits `+++`-delimited TOML front matter from a Markdown body, remembering where the TOML
//! starts so diagnostics point at the right line of the real file.

/// The parts of a Markdown file with front matter.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub offset: usize,
    pub body: &'a str,
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
