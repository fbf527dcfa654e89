//! The one Vietnamese analyzer of search (issue 4), used by the tantivy index, the browser
//! index and — mirrored line for line in `themes/default/static/assets/search.js` — the
//! browser's query side. A test runs the JavaScript copy with node on every case of the table.
//!
//! Steps (VIETNAM-NOTES §1): NFC → lower case → split into syllables (letters, digits and
//! combining marks; anything else separates) → two forms per syllable:
//! - `exact`: accents kept, the tone mark moved to one canonical vowel, so the two tone
//!   placements in use ("Hòa"/"Hoà", "Thủy"/"Thuỷ") are the same exact term;
//! - `folded`: tone and vowel marks removed, `đ → d` ([`crate::text::fold`]).
//!
//! Adjacent syllables of short fields are also indexed joined ("hà nội" → `hanoi`), so the
//! one-word spellings citizens type find the place ([`joins`]).

use crate::text;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Bumped whenever the analyzer's output can change: indexes built by another version are
/// rebuilt (tantivy) or refused by search.js (browser).
pub const VERSION: u32 = 1;

/// Longest run of syllables indexed joined: "uy ban nhan dan" (4).
pub const MAX_JOIN: usize = 4;

/// One syllable in its two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub exact: String,
    pub folded: String,
}

impl Token {
    /// True when the syllable carries a mark or `đ`: only such query syllables earn the
    /// accent-exact boost (someone typing "nam" is not choosing "nam" over "năm").
    pub fn is_marked(&self) -> bool {
        self.exact != self.folded
    }
}

/// The five tone marks (NFD). The vowel modifiers (U+0302, U+0306, U+031B) stay in `exact`.
fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Syllables of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let lower = text::into_nfc(text::nfc(text).chars().flat_map(char::to_lowercase).collect());
    let mut out = Vec::new();
    for word in lower.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
        out.extend(syllable(word));
    }
    out
}

/// Distinct syllables remembered per thread: a portal's texts repeat a few thousand syllables
/// hundreds of thousands of times, and moving a tone mark costs two normalisations (the
/// browser index spent 110 ms of its 250 ms here at 5,000 datasets). Bounded, for `odp serve`.
const SYLLABLES_REMEMBERED: usize = 50_000;

thread_local! {
    static SYLLABLES: std::cell::RefCell<std::collections::HashMap<String, Option<Token>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// One lower-case word's two forms; `None` when nothing is left once folded.
fn syllable(word: &str) -> Option<Token> {
    if word.is_ascii() {
        // No mark to move or remove.
        return Some(Token { exact: word.to_string(), folded: word.to_string() });
    }
    SYLLABLES.with_borrow_mut(|memo| {
        if let Some(hit) = memo.get(word) {
            return hit.clone();
        }
        let exact = canonical_tone(word);
        let folded = text::fold(&exact);
        let token = (!folded.is_empty()).then_some(Token { exact, folded });
        if memo.len() >= SYLLABLES_REMEMBERED {
            memo.clear();
        }
        memo.insert(word.to_string(), token.clone());
        token
    })
}

/// The folded forms only (what the browser index and joins key on).
pub fn folded(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.folded).collect()
}

/// Concatenations of 2..=[`MAX_JOIN`] adjacent folded syllables: ["ha", "noi"] → ["hanoi"].
pub fn joins(folded: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for n in 2..=MAX_JOIN {
        for w in folded.windows(n) {
            out.push(w.concat());
        }
    }
    out
}

const VOWELS: &str = "aăâeêioôơuưy";
const MODIFIED: &str = "ăâêôơư";

/// Moves the tone mark of a lower-case NFC syllable to one canonical vowel and returns it NFC.
/// Any deterministic placement makes the two conventions meet; this one is the "new style"
/// of the 1980s orthography rules, which reads naturally: the modified vowel (ơ in ươ) if
/// any; else the only vowel; else the last vowel before a final consonant; else the middle of
/// three; else the second of oa/oe/uy ("hoà", "thuỷ") and the first of other pairs ("mùa").
/// `qu` and `gi` before another vowel are consonants. Without a vowel the tone goes last.
pub fn canonical_tone(syllable: &str) -> String {
    let mut tones = Vec::new();
    let base: String = syllable
        .nfd()
        .filter(|&c| {
            if is_tone(c) {
                tones.push(c);
                false
            } else {
                true
            }
        })
        .collect::<String>()
        .nfc()
        .collect();
    if tones.is_empty() {
        return base;
    }
    let chars: Vec<char> = base.chars().collect();
    let mut vowels: Vec<usize> = (0..chars.len()).filter(|&i| VOWELS.contains(chars[i])).collect();
    let at = if vowels.is_empty() {
        chars.len().saturating_sub(1)
    } else {
        if vowels.len() > 1
            && vowels[0] == 1
            && (chars[0] == 'q' && chars[1] == 'u' || chars[0] == 'g' && chars[1] == 'i')
        {
            vowels.remove(0);
        }
        let last = *vowels.last().expect("not empty");
        if let Some(&m) = vowels.iter().rev().find(|&&i| MODIFIED.contains(chars[i])) {
            m
        } else if vowels.len() == 1 || last + 1 < chars.len() {
            last
        } else if vowels.len() >= 3 {
            vowels[vowels.len() - 2]
        } else {
            let pair: String = [chars[vowels[0]], chars[last]].iter().collect();
            if matches!(pair.as_str(), "oa" | "oe" | "uy") { last } else { vowels[0] }
        }
    };
    let mut out = String::with_capacity(base.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if i == at {
            out.extend(tones.iter());
        }
    }
    if chars.is_empty() {
        out.extend(tones.iter());
    }
    out.nfc().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// (input, exact forms, folded forms). Shared with the JavaScript parity test.
    pub(crate) const CASES: &[(&str, &str, &str)] = &[
        ("Hà Nội", "hà nội", "ha noi"),
        ("HÀ NỘI", "hà nội", "ha noi"),
        ("ha noi", "ha noi", "ha noi"),
        ("hanoi", "hanoi", "hanoi"),
        // NFD input (macOS file names, "Unicode tổ hợp" input methods)
        ("Ha\u{300} No\u{302}\u{323}i", "hà nội", "ha noi"),
        ("Thu\u{31B}\u{300}a Thie\u{302}n Hue\u{302}\u{301}", "thừa thiên huế", "thua thien hue"),
        // both tone placements are one exact term
        ("Hòa Bình", "hoà bình", "hoa binh"),
        ("Hoà Bình", "hoà bình", "hoa binh"),
        ("Khánh Hòa", "khánh hoà", "khanh hoa"),
        ("Thủy lợi", "thuỷ lợi", "thuy loi"),
        ("Thuỷ lợi", "thuỷ lợi", "thuy loi"),
        ("Quý", "quý", "quy"),
        ("Già", "già", "gia"),
        ("ngoài", "ngoài", "ngoai"),
        ("mùa", "mùa", "mua"),
        ("Người", "người", "nguoi"),
        ("khuyến", "khuyến", "khuyen"),
        // đ/Đ fold to d; the accent-exact forms differ
        ("Đà Nẵng", "đà nẵng", "da nang"),
        ("đất đai", "đất đai", "dat dai"),
        ("ĐĂK LĂK", "đăk lăk", "dak lak"),
        ("con dê", "con dê", "con de"),
        ("con dế", "con dế", "con de"),
        // punctuation separates; digits are syllables
        ("TP. Hồ Chí Minh", "tp hồ chí minh", "tp ho chi minh"),
        ("Bà Rịa - Vũng Tàu", "bà rịa vũng tàu", "ba ria vung tau"),
        ("Dân số (2024)", "dân số 2024", "dan so 2024"),
        ("KH&CN", "kh cn", "kh cn"),
        ("Sóc Trăng", "sóc trăng", "soc trang"),
        ("  phường  ", "phường", "phuong"),
        // a foreign word gets the same rule: only a key, always the same for the same word
        ("café", "cáfe", "cafe"),
        ("", "", ""),
    ];

    #[test]
    fn analyzer_table() {
        for (input, exact, folded) in CASES {
            let t = tokens(input);
            let e: Vec<&str> = t.iter().map(|t| t.exact.as_str()).collect();
            let f: Vec<&str> = t.iter().map(|t| t.folded.as_str()).collect();
            assert_eq!(e.join(" "), *exact, "exact of {input:?}");
            assert_eq!(f.join(" "), *folded, "folded of {input:?}");
        }
    }

    /// The remembered syllables give what computing them gives, on first sight and after.
    #[test]
    fn remembered_syllables_are_the_computed_ones() {
        for _ in 0..2 {
            for (input, _, _) in CASES {
                let lower = text::into_nfc(text::nfc(input).chars().flat_map(char::to_lowercase).collect());
                let computed: Vec<Token> = lower
                    .split(|c: char| !is_word_char(c))
                    .filter(|w| !w.is_empty())
                    .map(canonical_tone)
                    .map(|exact| Token { folded: text::fold(&exact), exact })
                    .filter(|t| !t.folded.is_empty())
                    .collect();
                assert_eq!(tokens(input), computed, "{input:?}");
            }
        }
    }

    /// Every case of the table plus every vowel with every tone (both cases, NFC and NFD) and
    /// some Unicode corners, through the JavaScript copy in search.js run by node.
    #[test]
    fn javascript_analyzer_agrees() {
        let mut inputs: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
        for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".chars() {
            for tone in ["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"] {
                let nfd = format!("ngh{v}{tone}ng qu{v}{tone} gi{v}{tone} o{v}{tone} {v}{tone}y");
                inputs.push(nfd.nfc().collect());
                inputs.push(nfd);
            }
        }
        inputs.extend(
            ["Ðà NÇng", "ph\u{AD}êng", "İstanbul", "STRASSE ß", "ΣΑΣ ΟΔΟΣ", "①②", "٣٤", "a\u{200D}b", "x\u{341}", "ﬁ"]
                .map(String::from),
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/search-node.cjs");
        let mut child = std::process::Command::new("node")
            .args([script, "tokens"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node is installed");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(serde_json::to_string(&inputs).unwrap().as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let js: Vec<Vec<serde_json::Value>> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(js.len(), inputs.len());
        for (input, js) in inputs.iter().zip(js) {
            let rust: Vec<serde_json::Value> =
                tokens(input).into_iter().map(|t| serde_json::json!({"exact": t.exact, "folded": t.folded})).collect();
            assert_eq!(rust, js, "input {input:?}");
        }
    }

    #[test]
    fn accent_marks() {
        assert!(tokens("dê")[0].is_marked());
        assert!(tokens("đi")[0].is_marked());
        assert!(!tokens("de")[0].is_marked());
        assert_ne!(tokens("dê")[0].exact, tokens("dế")[0].exact);
    }

    #[test]
    fn joins_of_adjacent_syllables() {
        assert_eq!(joins(&folded("Hà Nội")), ["hanoi"]);
        assert_eq!(
            joins(&folded("TP. Hồ Chí Minh")),
            ["tpho", "hochi", "chiminh", "tphochi", "hochiminh", "tphochiminh"]
        );
    }
}
