//! The theme's translation table (`i18n.toml`, one `[vi]` and one `[en]` section with the same
//! keys) and the language-dependent formatting of numbers, sizes, percentages and dates.

use crate::model::Lang;
use anyhow::{Context as _, Result, bail};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// Keys the Rust side uses (templates use many more); checked when the table is loaded.
const RUST_KEYS: &[&str] = &[
    "months",
    "bytes",
    "n_datasets_one",
    "n_datasets",
    "status_deprecated",
    "status_withdrawn",
    "type_string",
    "type_integer",
    "type_number",
    "type_boolean",
    "type_date",
    "type_datetime",
    "type_year",
    "type_geopoint",
    "c_required",
    "c_unique",
    "c_enum",
    "c_min",
    "c_max",
    "c_pattern",
    "c_format",
    "c_primary_key",
    "cite_template",
    "lang_name",
    "not_found_title",
    "search_title",
    "datasets_title",
    "publishers_title",
    "themes_title",
    "keywords_title",
    "home_title",
    "no_year",
    "temporal_from",
    "number_format",
    "preview_caption",
    "preview_caption_of",
    "svc_name",
    "svc_provider",
    "svc_url",
    "svc_content",
    "svc_sharing",
    "svc_structure",
    "svc_connection",
    "svc_method",
    "svc_requirements",
    "svc_documentation",
];

/// The translation table of a theme.
#[derive(Debug, Clone)]
pub struct I18n {
    vi: Map<String, Value>,
    en: Map<String, Value>,
}

impl I18n {
    /// Reads and checks `path`: both sections present, same keys, strings or lists of strings.
    pub fn load(path: &Path) -> Result<I18n> {
        let src = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
        Self::parse(&src).with_context(|| format!("{}: invalid translation table", path.display()))
    }

    pub fn parse(src: &str) -> Result<I18n> {
        let table: toml::Table = toml::from_str(src)?;
        let section = |name: &str| -> Result<Map<String, Value>> {
            let Some(toml::Value::Table(t)) = table.get(name) else { bail!("missing section [{name}]") };
            let mut out = Map::new();
            for (k, v) in t {
                let v = match v {
                    toml::Value::String(s) => Value::String(s.clone()),
                    toml::Value::Array(a) if a.iter().all(|x| x.is_str()) => {
                        Value::Array(a.iter().map(|x| Value::String(x.as_str().unwrap().to_string())).collect())
                    }
                    _ => bail!("[{name}] {k}: must be a string or a list of strings"),
                };
                out.insert(k.clone(), v);
            }
            Ok(out)
        };
        let (vi, en) = (section("vi")?, section("en")?);
        let kv: BTreeSet<&String> = vi.keys().collect();
        let ke: BTreeSet<&String> = en.keys().collect();
        if let Some(k) = kv.difference(&ke).next() {
            bail!("key `{k}` is in [vi] but not in [en]");
        }
        if let Some(k) = ke.difference(&kv).next() {
            bail!("key `{k}` is in [en] but not in [vi]");
        }
        for k in RUST_KEYS {
            if !vi.contains_key(*k) {
                bail!("missing key `{k}` (used by odp itself)");
            }
        }
        match (vi.get("months"), en.get("months")) {
            (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == 12 && b.len() == 12 => {}
            _ => bail!("`months` must be a list of 12 month names in both sections"),
        }
        Ok(I18n { vi, en })
    }

    /// The whole table of one language, for templates (`t.key`).
    pub fn table(&self, lang: Lang) -> &Map<String, Value> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    pub fn loc(&self, lang: Lang) -> Loc<'_> {
        Loc { lang, table: self.table(lang) }
    }
}

/// One language's strings and formats.
#[derive(Debug, Clone, Copy)]
pub struct Loc<'a> {
    pub lang: Lang,
    table: &'a Map<String, Value>,
}

impl<'a> Loc<'a> {
    /// A UI string (the key itself if a theme lacks it; the keys odp uses are checked at load).
    pub fn s(&self, key: &'a str) -> &'a str {
        self.table.get(key).and_then(Value::as_str).unwrap_or(key)
    }

    /// A UI string with `{name}` placeholders filled in.
    pub fn fill(&self, key: &'a str, args: &[(&str, &str)]) -> String {
        let mut s = self.s(key).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// "1 bộ dữ liệu" / "3.321 bộ dữ liệu", "1 dataset" / "3,321 datasets".
    pub fn n_datasets(&self, n: usize) -> String {
        let key = if n == 1 { "n_datasets_one" } else { "n_datasets" };
        self.fill(key, &[("n", &self.int(n as u64))])
    }

    fn group_sep(&self) -> char {
        match self.lang {
            Lang::Vi => '.',
            Lang::En => ',',
        }
    }
    fn decimal_sep(&self) -> char {
        match self.lang {
            Lang::Vi => ',',
            Lang::En => '.',
        }
    }

    /// An integer with thousands grouping: "3.321" (vi), "3,321" (en).
    pub fn int(&self, n: u64) -> String {
        group(&n.to_string(), self.group_sep())
    }

    /// A number with at most `decimals` decimals (trailing zeros dropped): "12,5" / "12.5".
    pub fn decimal(&self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return x.to_string();
        }
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let frac = frac.trim_end_matches('0');
        let mut out = String::new();
        if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        out.push_str(&group(int, self.group_sep()));
        if !frac.is_empty() {
            out.push(self.decimal_sep());
            out.push_str(frac);
        }
        out
    }

    /// A model bound (number or date) for display.
    pub fn bound(&self, b: &crate::model::Bound) -> String {
        match b {
            crate::model::Bound::Number(n) => self.decimal(*n, 6),
            crate::model::Bound::Date(d) => self.date(d),
        }
    }

    /// A file size: "512 byte", "1,2 MB" (vi) / "512 bytes", "1.2 MB" (en). Decimal (SI) units.
    pub fn bytes(&self, n: u64) -> String {
        const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
        if n < 1000 {
            return format!("{} {}", self.int(n), self.s("bytes"));
        }
        let mut x = n as f64 / 1000.0;
        let mut unit = 0;
        while x >= 999.95 && unit + 1 < UNITS.len() {
            x /= 1000.0;
            unit += 1;
        }
        let decimals = if x < 10.0 {
            2
        } else if x < 100.0 {
            1
        } else {
            0
        };
        format!("{} {}", self.decimal(x, decimals), UNITS[unit])
    }

    /// A share (0–1) as a percentage: "98,5%" / "98.5%"; never shows 100% unless it is exactly 1.
    pub fn percent(&self, share: f64) -> String {
        let mut p = share * 100.0;
        if share < 1.0 && p > 99.9 {
            p = 99.9;
        }
        if share > 0.0 && p < 0.1 {
            p = 0.1;
        }
        format!("{}%", self.decimal(p, 1))
    }

    /// An ISO date (`2025-07-01`) for display: "01/07/2025" (vi), "1 July 2025" (en). Other
    /// strings are returned as they are.
    pub fn date(&self, iso: &str) -> String {
        let Some((y, m, d)) = parse_iso_date(iso) else { return iso.to_string() };
        match self.lang {
            Lang::Vi => format!("{d:02}/{m:02}/{y}"),
            Lang::En => format!("{d} {} {y}", self.month(m)),
        }
    }

    fn month(&self, m: u32) -> &'a str {
        self.table
            .get("months")
            .and_then(Value::as_array)
            .and_then(|a| a.get(m as usize - 1))
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// `YYYY-MM-DD` → (year, month, day) when it is a plausible date.
pub fn parse_iso_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn group(digits: &str, sep: char) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        I18n::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n.toml")).unwrap()
    }

    #[test]
    fn numbers_and_sizes() {
        let i = i18n();
        let (vi, en) = (i.loc(Lang::Vi), i.loc(Lang::En));
        assert_eq!(vi.int(3321), "3.321");
        assert_eq!(en.int(3321), "3,321");
        assert_eq!(vi.int(1234567), "1.234.567");
        assert_eq!(en.int(999), "999");
        assert_eq!(vi.decimal(12.5, 2), "12,5");
        assert_eq!(en.decimal(-1234.25, 2), "-1,234.25");
        assert_eq!(vi.bytes(512), "512 byte");
        assert_eq!(en.bytes(512), "512 bytes");
        assert_eq!(vi.bytes(1_234_567), "1,23 MB");
        assert_eq!(en.bytes(45_600), "45.6 kB");
        assert_eq!(en.bytes(999_999), "1 MB");
        assert_eq!(vi.percent(0.985), "98,5%");
        assert_eq!(vi.percent(0.99999), "99,9%");
        assert_eq!(en.percent(1.0), "100%");
        assert_eq!(vi.n_datasets(3321), "3.321 bộ dữ liệu");
        assert_eq!(en.n_datasets(1), "1 dataset");
    }

    #[test]
    fn dates() {
        let i = i18n();
        assert_eq!(i.loc(Lang::Vi).date("2025-07-01"), "01/07/2025");
        assert_eq!(i.loc(Lang::En).date("2025-07-01"), "1 July 2025");
        assert_eq!(i.loc(Lang::En).date("2025"), "2025");
    }

    #[test]
    fn tables_must_match() {
        let err = I18n::parse("[vi]\na = \"x\"\n[en]\n").unwrap_err();
        assert!(err.to_string().contains("`a` is in [vi] but not in [en]"), "{err}");
        assert!(I18n::parse("[vi]\n").unwrap_err().to_string().contains("[en]"));
    }
}
