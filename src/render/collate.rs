//! Vietnamese alphabetical order for listings: letters first (a ă â b c d đ e ê g h i k l m n o
//! ô ơ p q r s t u ư v x y), then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then case.

use unicode_normalization::UnicodeNormalization;

/// A sort key: compare keys to compare strings in Vietnamese dictionary order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    original: String,
}

/// The Vietnamese sort key of `s`.
pub fn sort_key(s: &str) -> SortKey {
    let mut letters: Vec<u32> = Vec::with_capacity(s.len());
    let mut tones = Vec::new();
    for c in s.nfd() {
        match c {
            // vowel modifiers make distinct letters: ă, â ê ô, ơ ư
            '\u{306}' => bump(&mut letters, 1),
            '\u{302}' => bump(&mut letters, 2),
            '\u{31B}' => bump(&mut letters, 3),
            // tones, in dictionary order after the unmarked one
            '\u{300}' => set_tone(&mut tones, 1),
            '\u{309}' => set_tone(&mut tones, 2),
            '\u{303}' => set_tone(&mut tones, 3),
            '\u{301}' => set_tone(&mut tones, 4),
            '\u{323}' => set_tone(&mut tones, 5),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            'đ' | 'Đ' => letters.push(('d' as u32) * 4 + 1),
            c => {
                for l in c.to_lowercase() {
                    letters.push((l as u32) * 4);
                    tones.push(0);
                }
            }
        }
    }
    SortKey { letters, tones, original: s.to_string() }
}

fn set_tone(tones: &mut [u8], tone: u8) {
    if let Some(last) = tones.last_mut() {
        *last = tone;
    }
}

fn bump(letters: &mut [u32], by: u32) {
    if let Some(last) = letters.last_mut() {
        *last += by;
    }
}

/// Sorts `items` in Vietnamese order of the string `key` returns.
pub fn sort_by_vi<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|x| sort_key(key(x)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_order() {
        let mut words = vec![
            "Đà Nẵng",
            "dân",
            "ăn",
            "Ẩm",
            "an",
            "bò",
            "ơn",
            "ôm",
            "om",
            "ưa",
            "uống",
            "Hà Nội",
            "Hải Phòng",
            "Hà Giang",
        ];
        sort_by_vi(&mut words, |s| s);
        assert_eq!(
            words,
            [
                "an",
                "ăn",
                "Ẩm",
                "bò",
                "dân",
                "Đà Nẵng",
                "Hà Giang",
                "Hà Nội",
                "Hải Phòng",
                "om",
                "ôm",
                "ơn",
                "uống",
                "ưa"
            ]
        );
        let mut tones = vec!["ạ", "á", "ã", "ả", "à", "a"];
        sort_by_vi(&mut tones, |s| s);
        assert_eq!(tones, ["a", "à", "ả", "ã", "á", "ạ"]);
    }
}
