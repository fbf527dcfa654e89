//! Vietnamese text primitives shared by loading, URLs and search: NFC normalisation,
//! diacritic folding (with the explicit `đ → d` rule that NFD alone misses) and slugs.

use unicode_normalization::{IsNormalized, UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

/// NFC form; every text odp reads is normalised at ingest (VIETNAM-NOTES §1).
pub fn nfc(s: &str) -> String {
    if is_surely_nfc(s) { s.to_string() } else { s.nfc().collect() }
}

/// [`nfc`] of an owned string, which is returned as is when it already is NFC.
pub fn into_nfc(s: String) -> String {
    if is_surely_nfc(&s) { s } else { s.nfc().collect() }
}

/// True when `s` is NFC by the quick check (one pass over the characters; `nfc()` decomposes
/// and recomposes each of them, which made normalising already-normal text 5% of a
/// 5,000-dataset build, issue 7). "Maybe" answers go through the full normalisation.
fn is_surely_nfc(s: &str) -> bool {
    s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// Lower-case, tone and vowel marks removed, `đ/Đ → d`: "Hà Nội" → "ha noi".
/// `Ð/ð` (U+00D0/U+00F0, a mojibake signal) is deliberately left alone.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A URL slug: folded, ASCII letters and digits, runs of anything else become one `-`.
/// "Đơn vị hành chính" → "don-vi-hanh-chinh".
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// True for ids odp accepts in URLs: lowercase ASCII letters, digits and inner `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("ĐÀ NẴNG"), "da nang");
        assert_eq!(fold("Khánh Hòa"), fold("Khánh Hoà"));
        // NFD input folds the same as NFC.
        assert_eq!(fold("Thu\u{300}a Thie\u{302}n Hue\u{302}\u{301}"), "thua thien hue");
    }

    #[test]
    fn normalises_to_nfc_and_leaves_nfc_text_as_it_is() {
        // Decomposed (NFD) input composes, whatever the order of its marks.
        assert_eq!(nfc("Ha\u{300} No\u{323}\u{302}i"), "Hà Nội");
        assert_eq!(into_nfc("Ha\u{300} No\u{302}\u{323}i".to_string()), "Hà Nội");
        assert_eq!(nfc("Hà Nội").chars().count(), 6);
        // Composed text stays as it is (6 characters, not 9).
        assert_eq!(nfc("e\u{302}\u{323}"), "ệ");
        assert_eq!(into_nfc("Khánh Hòa".to_string()), "Khánh Hòa");
        assert_eq!(nfc("ascii"), "ascii");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Đơn vị hành chính"), "don-vi-hanh-chinh");
        assert_eq!(slugify("  Dân số (2024) "), "dan-so-2024");
        assert!(is_slug("don-vi-2025"));
        assert!(!is_slug("Don-vi"));
        assert!(!is_slug("a--"));
    }
}
