//! Byte tables for the pre-Unicode Vietnamese encodings (TCVN3, VISCII, VNI-Windows, the Windows-1252
//! glyphs VNI is typed with), and the text rules built on them: the syllable check that tells a right
//! decoding from a wrong one, the TCVN3 capitals repair and the UTF-8-read-as-Windows-1252 check.
//!
//! encoding_rs has none of these encodings and no permissively licensed crate does (VIETNAM-NOTES §3),
//! so the tables are here. TCVN3 and VISCII were generated from the glibc charmaps on the build
//! machine (`/usr/share/i18n/charmaps/TCVN5712-1.gz`, `VISCII.gz`; the code points are the standards'
//! facts: TCVN 5712:1993, RFC 1456). The VNI letter/mark layout follows the VNI-Windows keyboard
//! tables (base letter, then a mark byte), checked against xvnkb `vni.h`; nothing is copied from it.

use unicode_normalization::UnicodeNormalization;

/// TCVN 5712:1993 bytes 0x80–0xFF. The table is VN1, the superset that also has the upper-case
/// toned letters; the common "ABC"/.VnTime files (VN3) use only its lower-case half (0xA1–0xFF),
/// whose bytes mean the same. 0xB0–0xB4 are combining tone marks, composed later by NFC.
const TCVN3_HIGH: [char; 128] = [
    'À', 'Ả', 'Ã', 'Á', 'Ạ', 'Ặ', 'Ậ', 'È', 'Ẻ', 'Ẽ', 'É', 'Ẹ', 'Ệ', 'Ì', 'Ỉ', 'Ĩ', // 0x80
    'Í', 'Ị', 'Ò', 'Ỏ', 'Õ', 'Ó', 'Ọ', 'Ộ', 'Ờ', 'Ở', 'Ỡ', 'Ớ', 'Ợ', 'Ù', 'Ủ', 'Ũ', // 0x90
    '\u{A0}', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ', // 0xA0
    '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}', 'à', 'ả', 'ã', // 0xB0
    'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ', // 0xB8
    'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ', // 0xC0
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò', // 0xD0
    'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù', // 0xE0
    'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố', // 0xF0
];

/// TCVN3 (VN1) letters placed in the C0 control range; the other control bytes keep their meaning.
const TCVN3_C0: [(u8, char); 12] = [
    (0x01, 'Ú'),
    (0x02, 'Ụ'),
    (0x04, 'Ừ'),
    (0x05, 'Ử'),
    (0x06, 'Ữ'),
    (0x11, 'Ứ'),
    (0x12, 'Ự'),
    (0x13, 'Ỳ'),
    (0x14, 'Ỷ'),
    (0x15, 'Ỹ'),
    (0x16, 'Ý'),
    (0x17, 'Ỵ'),
];

/// VISCII (RFC 1456) bytes 0x80–0xFF: all 134 precomposed letters, no combining marks.
const VISCII_HIGH: [char; 128] = [
    'Ạ', 'Ắ', 'Ằ', 'Ặ', 'Ấ', 'Ầ', 'Ẩ', 'Ậ', 'Ẽ', 'Ẹ', 'Ế', 'Ề', 'Ể', 'Ễ', 'Ệ', 'Ố', // 0x80
    'Ồ', 'Ổ', 'Ỗ', 'Ộ', 'Ợ', 'Ớ', 'Ờ', 'Ở', 'Ị', 'Ỏ', 'Ọ', 'Ỉ', 'Ủ', 'Ũ', 'Ụ', 'Ỳ', // 0x90
    'Õ', 'ắ', 'ằ', 'ặ', 'ấ', 'ầ', 'ẩ', 'ậ', 'ẽ', 'ẹ', 'ế', 'ề', 'ể', 'ễ', 'ệ', 'ố', // 0xA0
    'ồ', 'ổ', 'ỗ', 'Ỡ', 'Ơ', 'ộ', 'ờ', 'ở', 'ị', 'Ự', 'Ứ', 'Ừ', 'Ử', 'ơ', 'ớ', 'Ư', // 0xB0
    'À', 'Á', 'Â', 'Ã', 'Ả', 'Ă', 'ẳ', 'ẵ', 'È', 'É', 'Ê', 'Ẻ', 'Ì', 'Í', 'Ĩ', 'ỳ', // 0xC0
    'Đ', 'ứ', 'Ò', 'Ó', 'Ô', 'ạ', 'ỷ', 'ừ', 'ử', 'Ù', 'Ú', 'ỹ', 'ỵ', 'Ý', 'ỡ', 'ư', // 0xD0
    'à', 'á', 'â', 'ã', 'ả', 'ă', 'ữ', 'ẫ', 'è', 'é', 'ê', 'ẻ', 'ì', 'í', 'ĩ', 'ỉ', // 0xE0
    'đ', 'ự', 'ò', 'ó', 'ô', 'õ', 'ỏ', 'ọ', 'ụ', 'ù', 'ú', 'ũ', 'ủ', 'ý', 'ợ', 'Ữ', // 0xF0
];

/// VISCII letters in the C0 range (the six RFC 1456 had to put there to fit all 134 letters).
const VISCII_C0: [(u8, char); 6] = [(0x02, 'Ẳ'), (0x05, 'Ẵ'), (0x06, 'Ẫ'), (0x14, 'Ỷ'), (0x19, 'Ỹ'), (0x1E, 'Ỵ')];

/// Windows-1252 bytes 0x80–0x9F (0xA0–0xFF are Latin-1). Undefined bytes map to the C1 control of
/// the same number, as the WHATWG decoder does, so every byte has exactly one character and back.
const CP1252_C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', // 0x80
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ', // 0x90
];

fn c0(table: &[(u8, char)], b: u8) -> char {
    table.iter().find(|(k, _)| *k == b).map_or(b as char, |(_, c)| *c)
}

pub(super) fn tcvn3(b: u8) -> char {
    if b >= 0x80 { TCVN3_HIGH[(b - 0x80) as usize] } else { c0(&TCVN3_C0, b) }
}

pub(super) fn viscii(b: u8) -> char {
    if b >= 0x80 { VISCII_HIGH[(b - 0x80) as usize] } else { c0(&VISCII_C0, b) }
}

pub(super) fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_C1[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The Windows-1252 byte that shows as `c`, if any: how Unicode text typed with a legacy font
/// (or UTF-8 read as Windows-1252) is turned back into the bytes it came from.
pub(super) fn cp1252_byte(c: char) -> Option<u8> {
    match c as u32 {
        0..=0x7F | 0xA0..=0xFF => Some(c as u8),
        0x80..=0x9F => Some(c as u8),
        _ => CP1252_C1.iter().position(|&x| x == c).map(|i| 0x80 + i as u8),
    }
}

/// What a VNI mark byte may follow: tones go on any vowel, the circumflex series on a/e/o,
/// the breve series on a only (vni.h: "aê" = ă, but no "eê").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Takes {
    Nothing,
    Tone,
    ToneCircumflex,
    All,
}

/// A VNI mark byte (read as its Windows-1252 glyph) and the combining marks it stands for.
/// Tone order everywhere: sắc, huyền, hỏi, ngã, nặng.
fn vni_mark(c: char) -> Option<(Takes, &'static str)> {
    let m = match c.to_lowercase().next()? {
        'ù' => (Takes::Tone, "\u{301}"),
        'ø' => (Takes::Tone, "\u{300}"),
        'û' => (Takes::Tone, "\u{309}"),
        'õ' => (Takes::Tone, "\u{303}"),
        'ï' => (Takes::Tone, "\u{323}"),
        'â' => (Takes::ToneCircumflex, "\u{302}"),
        'á' => (Takes::ToneCircumflex, "\u{302}\u{301}"),
        'à' => (Takes::ToneCircumflex, "\u{302}\u{300}"),
        'å' => (Takes::ToneCircumflex, "\u{302}\u{309}"),
        'ã' => (Takes::ToneCircumflex, "\u{302}\u{303}"),
        'ä' => (Takes::ToneCircumflex, "\u{302}\u{323}"),
        'ê' => (Takes::All, "\u{306}"),
        'é' => (Takes::All, "\u{306}\u{301}"),
        'è' => (Takes::All, "\u{306}\u{300}"),
        'ú' => (Takes::All, "\u{306}\u{309}"),
        'ü' => (Takes::All, "\u{306}\u{303}"),
        'ë' => (Takes::All, "\u{306}\u{323}"),
        _ => return None,
    };
    Some(m)
}

/// VNI letters that are one byte: đ, ơ, ư, the toned i's and ỵ.
fn vni_letter(c: char) -> Option<char> {
    Some(match c {
        'Ñ' => 'Đ',
        'ñ' => 'đ',
        'Ô' => 'Ơ',
        'ô' => 'ơ',
        'Ö' => 'Ư',
        'ö' => 'ư',
        'Í' => 'Í',
        'í' => 'í',
        'Ì' => 'Ì',
        'ì' => 'ì',
        'Æ' => 'Ỉ',
        'æ' => 'ỉ',
        'Ó' => 'Ĩ',
        'ó' => 'ĩ',
        'Ò' => 'Ị',
        'ò' => 'ị',
        'Î' => 'Ỵ',
        'î' => 'ỵ',
        _ => return None,
    })
}

/// Decodes VNI-Windows byte by byte into base letters and combining marks (NFC composes them),
/// remembering across calls what the previous letter can carry.
#[derive(Debug)]
pub(super) struct VniDecoder {
    prev: Takes,
    /// Mark bytes found where no letter could carry them: a sign that the text is not VNI.
    pub(super) orphan_marks: usize,
}

impl VniDecoder {
    pub(super) fn new() -> Self {
        VniDecoder { prev: Takes::Nothing, orphan_marks: 0 }
    }

    pub(super) fn decode(&mut self, bytes: &[u8], out: &mut String) {
        for &b in bytes {
            let c = cp1252(b);
            if b >= 0x80
                && let Some((needs, marks)) = vni_mark(c)
            {
                if self.prev >= needs {
                    out.push_str(marks);
                    self.prev = Takes::Nothing;
                    continue;
                }
                self.orphan_marks += 1;
            }
            let letter = if b >= 0x80 { vni_letter(c).unwrap_or(c) } else { c };
            self.prev = match letter.to_ascii_lowercase() {
                'a' => Takes::All,
                'e' | 'o' => Takes::ToneCircumflex,
                'u' | 'y' | 'ơ' | 'ư' | 'Ơ' | 'Ư' => Takes::Tone,
                _ => Takes::Nothing,
            };
            out.push(letter);
        }
    }
}

/// TCVN3 (VN3) has no upper-case toned vowels: capitals were typed with the lower-case codes in an
/// upper-case font (.VnTimeH), so "HÀ NỘI" decodes as "Hà NộI" (VIETNAM-NOTES §3). A word with two or
/// more ASCII letters, all capitals, one of them after a small Vietnamese letter ("NộI", "THàNH") is
/// never real text; in a field with such a word, every word without a small ASCII letter is
/// upper-cased ("Hà NộI" → "HÀ NỘI", while "Tỉnh" and "Xã Cổ Đô" stay as they are).
pub(super) fn upper_case_tcvn3_field(field: &str) -> std::borrow::Cow<'_, str> {
    let typed_in_caps = |word: &str| {
        let (mut capitals, mut after_small, mut seen) = (0, false, false);
        for c in word.chars() {
            if c.is_ascii_lowercase() {
                return false;
            }
            if c.is_ascii_uppercase() {
                capitals += 1;
                seen |= after_small;
            }
            after_small = !c.is_ascii() && c.is_lowercase();
        }
        seen && capitals >= 2
    };
    if !field.split(|c: char| !c.is_alphabetic()).any(typed_in_caps) {
        return field.into();
    }
    let mut out = String::with_capacity(field.len() + 8);
    for word in field.split_inclusive(|c: char| !c.is_alphabetic()) {
        if word.chars().any(|c| c.is_ascii_lowercase()) {
            out.push_str(word);
        } else {
            out.push_str(&word.to_uppercase());
        }
    }
    out.into()
}

/// UTF-8 read as Windows-1252 (or Latin-1) and written back as UTF-8: runs like "Ã ", "á»™" whose
/// Windows-1252 bytes are a valid UTF-8 sequence. One run decoding to a Vietnamese letter is
/// enough; otherwise two (a lone "Â»" can be real French).
pub(super) fn double_encoded(text: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let (mut hits, mut first, mut vietnamese) = (0, None, false);
    for (k, &(at, c)) in chars.iter().enumerate() {
        let Some(lead) = cp1252_byte(c) else { continue };
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => continue,
        };
        let mut buf = [lead, 0, 0];
        let tail = chars[k + 1..].iter().take(len - 1).map(|&(_, t)| cp1252_byte(t));
        let mut n = 1;
        for b in tail {
            match b {
                Some(b @ 0x80..=0xBF) => buf[n] = b,
                _ => break,
            }
            n += 1;
        }
        if n < len {
            continue;
        }
        let Some(decoded) = std::str::from_utf8(&buf[..len]).ok().and_then(|s| s.chars().next()) else { continue };
        if decoded.is_alphabetic() {
            hits += 1;
            first.get_or_insert(at);
            vietnamese |= ('\u{1EA0}'..='\u{1EF9}').contains(&decoded) || "ăâđêôơưĂÂĐÊÔƠƯ".contains(decoded);
        }
    }
    first.filter(|_| hits >= 2 || vietnamese)
}

/// Consonant clusters a Vietnamese syllable may start with, longest first.
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x",
];

/// Final consonants, longest first. `k` is not Vietnamese orthography but ends the Central
/// Highlands names every province list has (Đắk Lắk, Đắk Nông).
const CODAS: [&str; 9] = ["ng", "nh", "ch", "c", "k", "m", "n", "p", "t"];

/// Whether a nucleus is followed by a final consonant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coda {
    /// Ends in a glide already ("ai", "ươi"): no consonant after it.
    Never,
    May,
    /// "ăn", "tiến", "muốn": these vowels never end a syllable.
    Must,
}

/// Vowel nuclei (glides included) without tone marks; the vowels the tone may sit on (bit 0 = the
/// first; both placements of "hòa/hoà" and "thủy/thuỷ" are accepted, VIETNAM-NOTES §1); the coda rule.
const NUCLEI: [(&str, u8, Coda); 55] = [
    ("a", 1, Coda::May),
    ("ă", 1, Coda::Must),
    ("â", 1, Coda::Must),
    ("e", 1, Coda::May),
    ("ê", 1, Coda::May),
    ("i", 1, Coda::May),
    ("o", 1, Coda::May),
    ("ô", 1, Coda::May),
    ("ơ", 1, Coda::May),
    ("u", 1, Coda::May),
    ("ư", 1, Coda::May),
    ("y", 1, Coda::May),
    ("ai", 1, Coda::Never),
    ("ao", 1, Coda::Never),
    ("au", 1, Coda::Never),
    ("ay", 1, Coda::Never),
    ("âu", 1, Coda::Never),
    ("ây", 1, Coda::Never),
    ("eo", 1, Coda::Never),
    ("êu", 1, Coda::Never),
    ("ia", 1, Coda::Never),
    ("iê", 2, Coda::Must),
    ("iu", 1, Coda::Never),
    ("oa", 3, Coda::May),
    ("oă", 2, Coda::Must),
    ("oe", 3, Coda::May),
    ("oi", 1, Coda::Never),
    ("oo", 3, Coda::Must),
    ("ôi", 1, Coda::Never),
    ("ơi", 1, Coda::Never),
    ("ua", 1, Coda::Never),
    ("uâ", 2, Coda::Must),
    ("uê", 3, Coda::May),
    ("ui", 1, Coda::Never),
    ("uô", 2, Coda::Must),
    ("uơ", 2, Coda::Never),
    ("uy", 3, Coda::May),
    ("ưa", 1, Coda::Never),
    ("ưi", 1, Coda::Never),
    ("ươ", 2, Coda::Must),
    ("ưu", 1, Coda::Never),
    ("yê", 2, Coda::Must),
    ("iêu", 2, Coda::Never),
    ("oai", 2, Coda::Never),
    ("oay", 2, Coda::Never),
    ("oao", 2, Coda::Never),
    ("oeo", 2, Coda::Never),
    ("uây", 2, Coda::Never),
    ("uôi", 2, Coda::Never),
    ("uya", 2, Coda::Never),
    ("uyê", 4, Coda::Must),
    ("uyu", 2, Coda::Never),
    ("ươi", 2, Coda::Never),
    ("ươu", 2, Coda::Never),
    ("yêu", 2, Coda::Never),
];

/// True when `word` (letters only) is a well-formed Vietnamese syllable: one tone mark at most, on a
/// vowel that may carry it; vowel marks only where Vietnamese has them; onset + nucleus + coda from
/// the tables; only sắc or nặng on a syllable closed by c/ch/p/t. A wrong legacy decoding produces
/// words that fail this far more often than the right one does.
pub(super) fn is_syllable(word: &str) -> bool {
    // A non-ASCII capital after a small letter is a wrong table ("ThỔnh"). ASCII capitals after one
    // are allowed: that is how TCVN3 capitals typed in a .VnTimeH font decode ("NộI").
    let mut after_lower = false;
    for c in word.chars() {
        if after_lower && c.is_uppercase() && !c.is_ascii() {
            return false;
        }
        after_lower = c.is_lowercase();
    }
    let mut skeleton = String::with_capacity(word.len());
    let mut letters = 0usize;
    let mut tone = None;
    for c in word.nfd().flat_map(char::to_lowercase) {
        match c {
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => {
                if letters == 0 || tone.replace((c, letters - 1)).is_some() {
                    return false;
                }
            }
            '\u{302}' | '\u{306}' | '\u{31B}' => {
                let marked = match (skeleton.pop(), c) {
                    (Some('a'), '\u{302}') => 'â',
                    (Some('a'), '\u{306}') => 'ă',
                    (Some('e'), '\u{302}') => 'ê',
                    (Some('o'), '\u{302}') => 'ô',
                    (Some('o'), '\u{31B}') => 'ơ',
                    (Some('u'), '\u{31B}') => 'ư',
                    _ => return false,
                };
                skeleton.push(marked);
            }
            'a'..='z' | 'đ' if !matches!(c, 'f' | 'j' | 'w' | 'z') => {
                skeleton.push(c);
                letters += 1;
            }
            _ => return false,
        }
    }
    let is_vowel = |c: char| "aăâeêioôơuưy".contains(c);
    let s = skeleton.as_str();
    let mut onset = "";
    for o in ONSETS {
        if let Some(r) = s.strip_prefix(o) {
            // "gì", "gìn": the i is the vowel, not part of "gi".
            onset = if r.contains(is_vowel) {
                o
            } else if o == "gi" {
                "g"
            } else {
                return false;
            };
            break;
        }
    }
    let rest = &s[onset.len()..];
    let (nucleus, coda) = CODAS
        .iter()
        .find_map(|c| rest.strip_suffix(c).filter(|n| !n.is_empty()).map(|n| (n, *c)))
        .unwrap_or((rest, ""));
    let Some(&(_, tone_on, rule)) = NUCLEI.iter().find(|(n, ..)| *n == nucleus) else { return false };
    if (rule == Coda::Never && !coda.is_empty()) || (rule == Coda::Must && coda.is_empty()) {
        return false;
    }
    // "nh" and "ch" close only the front vowels a, ê, i/y (and oa, uy, uê); "ng" and "c" never close i/y.
    let front = matches!(nucleus, "a" | "ê" | "i" | "y" | "oa" | "uy" | "uê");
    if (matches!(coda, "nh" | "ch") && !front) || (matches!(coda, "ng" | "c") && matches!(nucleus, "i" | "y" | "uy")) {
        return false;
    }
    let checked = matches!(coda, "c" | "ch" | "p" | "t" | "k");
    match tone {
        // Central Highlands names write k-syllables without a tone: "Đak Sơmei", "Kon Plông".
        None => !checked || coda == "k",
        Some((mark, at)) => {
            let on = at.checked_sub(onset.chars().count());
            on.is_some_and(|k| k < 8 && tone_on & (1 << k) != 0) && (!checked || matches!(mark, '\u{301}' | '\u{323}'))
        }
    }
}

/// How Vietnamese a decoded text looks. Only words with a non-ASCII letter count: plain ASCII
/// reads the same in every candidate encoding and says nothing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Score {
    pub(super) valid: usize,
    pub(super) invalid: usize,
    /// Valid words that are also among the commonest syllables of data files: what separates two
    /// decodings that are both well-formed on a short sample ("Xã" against "Xở").
    pub(super) common: usize,
    /// Control characters (and, for VNI, mark bytes no letter can carry).
    pub(super) bad: usize,
}

impl Score {
    pub(super) fn of(text: &str) -> Score {
        fn flush(word: &mut String, score: &mut Score) {
            if !word.is_ascii() {
                if is_syllable(word) {
                    score.valid += 1
                } else {
                    score.invalid += 1
                }
                if common_syllables().contains(word.to_lowercase().as_str()) {
                    score.common += 1;
                }
            }
            word.clear();
        }
        let mut score = Score::default();
        let mut word = String::new();
        for c in text.chars() {
            // A symbol a wrong table put where a letter was ("Kn¯p", "J½") breaks the word it is in.
            if c.is_alphabetic() || (!c.is_ascii() && !c.is_whitespace() && !is_data_symbol(c)) {
                word.push(c);
                continue;
            }
            flush(&mut word, &mut score);
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                score.bad += 1;
            }
        }
        flush(&mut word, &mut score);
        score
    }

    /// One number to rank candidate decodings: a valid word earns, a broken one costs more.
    pub(super) fn value(self) -> i64 {
        2 * (self.valid + self.common) as i64 - 3 * self.invalid as i64 - self.bad as i64
    }
}

/// [`COMMON`] as a set: every data file is scored when it is checked, and scanning the list
/// for each word was 2.5% of a 5,000-dataset build.
fn common_syllables() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON.split_whitespace().collect())
}

/// Non-letter characters that real Vietnamese data files contain.
fn is_data_symbol(c: char) -> bool {
    "\u{A0}°²³±×«»–—‘’“”•…€₫©®™\u{FEFF}".contains(c)
}

/// Common syllables with a non-ASCII letter in Vietnamese administrative and statistical files
/// (place types, agencies, the words of headers), separated by spaces.
const COMMON: &str = "xã phường thị trấn huyện tỉnh thành phố quận số năm người của và các có không được với \
    những này đã là một đến về từ ngày tháng điện thoại địa chỉ họ tên việt hà nội tổng dân tộc giá trị đơn vị tiền \
    đồng chính quyền hành công cổ phần trách nhiệm hữu hạn nghiệp tế hội giáo dục nông thôn ấp bản làng \
    tổ đường trường học bệnh viện trạm ủy nhân sở phòng cục cơ lượng diện tích mã loại chú tình trạng \
    kết quả đất nước mới cũ bắc đông tây sông núi hồ cầu chợ đảo biển lớn nhỏ hộ đình nữ tuổi động";

#[cfg(test)]
#[test]
fn common_syllables_are_well_formed() {
    for w in COMMON.split_whitespace() {
        assert!(is_syllable(w) && !w.is_ascii(), "{w}");
    }
}
