//! Owns the scan of a table for Vietnamese personal data before it is published (issue 3 §3;
//! VIETNAM-NOTES §2; Law 91/2025/QH15 and Decree 13/2023 list names, birth dates, ID, phone, tax,
//! insurance and bank numbers as personal data). A column is flagged when its header says what it
//! holds, or when enough of its values pass a validator (CCCD province prefix and century digit, tax
//! code check digit, mobile prefixes, Luhn…), so one stray number does not flag a column. Streaming:
//! memory is a few counters per column, whatever the number of rows.

use crate::text::fold;
use std::fmt;

#[path = "privacy_tables.rs"]
mod tables;

use tables::{CCCD_PROVINCES, Hint, KEYWORDS, MOBILE_PREFIXES, ORG_PREFIXES, SURNAMES};

/// Kinds of personal data the scan finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    Cccd,
    Cmnd,
    MobilePhone,
    Landline,
    Email,
    PersonalTaxCode,
    /// A company's tax code is public business-register data; still reported, so that publishing it
    /// is a declared choice (`public_reason`), but as low risk.
    EnterpriseTaxCode,
    DateOfBirth,
    SocialInsurance,
    HealthInsurance,
    BankCard,
    BankAccount,
    PersonName,
    HomeAddress,
    LicensePlate,
    Gender,
    Ethnicity,
    Religion,
}

/// How much harm publishing a kind can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    /// Public-register data about organisations.
    Low,
    /// "Basic" personal data (Decree 13/2023 Art. 2(3)).
    Personal,
    /// "Sensitive" personal data: ethnic origin, religion, bank-customer data (Decree 13/2023 Art. 2(4)).
    Sensitive,
}

impl PiiKind {
    pub fn risk(self) -> Risk {
        match self {
            PiiKind::EnterpriseTaxCode => Risk::Low,
            PiiKind::Ethnicity | PiiKind::Religion | PiiKind::BankCard | PiiKind::BankAccount => Risk::Sensitive,
            _ => Risk::Personal,
        }
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}

/// What a finding rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The header names the kind (names, addresses, ethnicity: there is no value format to check).
    Header,
    /// The header names the kind and values have its format.
    HeaderAndValues,
    /// Enough values pass the kind's validator, whatever the header says.
    Values,
}

/// One column that holds one kind of personal data. Publishing it needs the column declared public
/// with a reason (`public_reason` in the data dictionary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub column: usize,
    pub header: String,
    pub kind: PiiKind,
    pub basis: Basis,
    /// Non-empty values of the kind (for `Basis::Header`: non-empty values).
    pub rows_matched: u64,
    /// Non-empty values in the column.
    pub rows_seen: u64,
    /// The first (up to 3) row numbers that matched, as given to `start_row`.
    pub example_rows: Vec<u64>,
}

/// A column is flagged from its values when at least this share of its non-empty values match…
pub const RATE_PERCENT: u64 = 30;
/// …over at least this many values (or all of them, in a shorter column).
pub const MIN_VALUES: u64 = 5;

/// What one value looked like. Several can hold at once (a 10-digit number can be a mobile number
/// and pass the tax-code check); the column decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sig {
    Present,
    Cccd,
    /// 12 digits that would be a CCCD with any prefix (born abroad: a country code; VIETNAM-NOTES
    /// §2), or 11 digits that are one once Excel's dropped leading zero is put back.
    Id12,
    Digits9,
    /// 9 digits that are a mobile number without its leading 0.
    MobileBare,
    Mobile,
    Landline,
    Email,
    Tax10,
    Tax13,
    Digits10,
    Bhyt,
    Card,
    Account,
    Date,
    Year,
    Plate,
    NameLike,
    OrgLike,
}

const SIGS: usize = Sig::OrgLike as usize + 1;

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    n: u64,
    rows: [u64; 3],
}

impl Tally {
    fn add(&mut self, row: u64) {
        if (self.n as usize) < self.rows.len() {
            self.rows[self.n as usize] = row;
        }
        self.n += 1;
    }

    fn examples(&self) -> Vec<u64> {
        self.rows[..(self.n as usize).min(3)].to_vec()
    }

    /// Two tallies of values that cannot both hold: counts add, the first three rows merge.
    fn or(self, other: Tally) -> Tally {
        let mut rows: Vec<u64> = self.examples().into_iter().chain(other.examples()).collect();
        rows.sort_unstable();
        let mut t = Tally { n: self.n + other.n, rows: [0; 3] };
        t.rows[..rows.len().min(3)].copy_from_slice(&rows[..rows.len().min(3)]);
        t
    }
}

#[derive(Debug)]
struct Column {
    header: String,
    hints: u32,
    tallies: [Tally; SIGS],
}

impl Column {
    fn has(&self, hint: Hint) -> bool {
        self.hints & (1 << hint as u32) != 0
    }

    fn t(&self, sig: Sig) -> Tally {
        self.tallies[sig as usize]
    }

    fn seen(&self) -> u64 {
        self.t(Sig::Present).n
    }

    /// The column-rate rule: `RATE_PERCENT` of at least `MIN_VALUES` values (or all of fewer).
    fn rate(&self, t: Tally) -> bool {
        let seen = self.seen();
        t.n > 0 && t.n * 100 >= seen * RATE_PERCENT && (seen >= MIN_VALUES || t.n == seen)
    }

    fn mostly(&self, sig: Sig) -> bool {
        let (n, seen) = (self.t(sig).n, self.seen());
        n > 0 && n * 2 >= seen && (seen >= 3 || n == seen)
    }
}

/// Scans a table one cell at a time: `new(headers)`, then for every row `start_row(n)` and
/// `observe(col, value)` per cell, then `finish()`.
#[derive(Debug)]
pub struct ColumnScanner {
    columns: Vec<Column>,
    row: u64,
    year: i32,
}

impl ColumnScanner {
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        let columns = headers
            .iter()
            .map(|h| Column {
                header: h.as_ref().to_string(),
                hints: header_hints(h.as_ref()),
                tallies: Default::default(),
            })
            .collect();
        ColumnScanner { columns, row: 0, year: time::OffsetDateTime::now_utc().year() }
    }

    /// The number reported for the following cells (e.g. the CSV line).
    pub fn start_row(&mut self, row: u64) {
        self.row = row;
    }

    /// One cell. Cells beyond the header's width are ignored.
    pub fn observe(&mut self, col: usize, value: &str) {
        let Some(column) = self.columns.get_mut(col) else { return };
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let sigs = signals(value, self.year);
        for (i, tally) in column.tallies.iter_mut().enumerate() {
            if sigs & (1 << i) != 0 {
                tally.add(self.row);
            }
        }
    }

    /// A whole row.
    pub fn observe_row<'a>(&mut self, row: u64, values: impl IntoIterator<Item = &'a str>) {
        self.start_row(row);
        for (col, value) in values.into_iter().enumerate() {
            self.observe(col, value);
        }
    }

    /// The findings, by column then kind.
    pub fn finish(self) -> Vec<Finding> {
        let cols = &self.columns;
        // Whom the rows are about: the first column naming a person or an organisation decides.
        let person = cols.iter().position(|c| {
            c.has(Hint::PersonName) || (c.mostly(Sig::NameLike) && !c.has(Hint::NotPerson) && !c.has(Hint::OrgName))
        });
        let org =
            cols.iter().position(|c| !c.has(Hint::Workplace) && (c.has(Hint::OrgName) || c.rate(c.t(Sig::OrgLike))));
        let about_people = person.is_some_and(|p| org.is_none_or(|o| p < o));
        let about_orgs = org.is_some_and(|o| person.is_none_or(|p| o < p));
        let mut findings = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            for (kind, basis, t) in column_findings(c, about_people, about_orgs) {
                let (rows_matched, rows_seen, example_rows) = (t.n, c.seen(), t.examples());
                findings.push(Finding {
                    column: i,
                    header: c.header.clone(),
                    kind,
                    basis,
                    rows_matched,
                    rows_seen,
                    example_rows,
                });
            }
        }
        // Names found only by their look are reported when they sit next to other personal data.
        if let Some(p) = person.filter(|&p| !cols[p].has(Hint::PersonName))
            && about_people
            && !findings.is_empty()
        {
            let c = &cols[p];
            let t = c.t(Sig::NameLike);
            let finding = Finding {
                column: p,
                header: c.header.clone(),
                kind: PiiKind::PersonName,
                basis: Basis::Values,
                rows_matched: t.n,
                rows_seen: c.seen(),
                example_rows: t.examples(),
            };
            findings.push(finding);
        }
        findings.sort_by_key(|f| (f.column, f.kind));
        findings
    }
}

fn column_findings(c: &Column, about_people: bool, about_orgs: bool) -> Vec<(PiiKind, Basis, Tally)> {
    use Basis::{Header, HeaderAndValues, Values};
    let mut out = Vec::new();
    let mut push_if = |cond: bool, kind, basis, t: Tally| {
        if cond && t.n > 0 {
            out.push((kind, basis, t));
        }
    };
    let present = c.t(Sig::Present);
    let tax = c.t(Sig::Tax10).or(c.t(Sig::Tax13));
    // Company tax codes are 10 digits, branches 13; which holder a 10-digit code has comes from the
    // header or from whom the table is about; unknown means personal, to be safe.
    let tax_kind =
        if c.has(Hint::TaxEnterprise) || c.t(Sig::Tax13).n * 2 > tax.n || (about_orgs && !c.has(Hint::TaxPersonal)) {
            PiiKind::EnterpriseTaxCode
        } else {
            PiiKind::PersonalTaxCode
        };
    // Ten digits can be a mobile number, a tax code or a BHXH number: one reading per column.
    if c.has(Hint::TaxCode) {
        push_if(true, tax_kind, HeaderAndValues, tax);
        // Since 2025 a person's tax code is their 12-digit CCCD number.
        push_if(tax.n == 0, PiiKind::PersonalTaxCode, HeaderAndValues, c.t(Sig::Id12));
    } else if c.has(Hint::Phone) {
        push_if(true, PiiKind::MobilePhone, HeaderAndValues, c.t(Sig::Mobile).or(c.t(Sig::MobileBare)));
        push_if(about_people, PiiKind::Landline, HeaderAndValues, c.t(Sig::Landline));
    } else if c.has(Hint::Bhxh) {
        push_if(true, PiiKind::SocialInsurance, HeaderAndValues, c.t(Sig::Digits10));
    } else {
        let mobile = c.t(Sig::Mobile);
        let (m, t) = (c.rate(mobile), c.rate(tax));
        // Both pass: the reading with more matches wins; the tax check digit wins a tie.
        push_if(m && (!t || mobile.n > tax.n), PiiKind::MobilePhone, Values, mobile);
        push_if(t && (!m || tax.n >= mobile.n), tax_kind, Values, tax);
    }
    if c.has(Hint::Cccd) || c.has(Hint::Cmnd) {
        push_if(!c.has(Hint::TaxCode), PiiKind::Cccd, HeaderAndValues, c.t(Sig::Id12));
        push_if(true, PiiKind::Cmnd, HeaderAndValues, c.t(Sig::Digits9));
    } else if !c.has(Hint::TaxCode) {
        push_if(c.rate(c.t(Sig::Cccd)), PiiKind::Cccd, Values, c.t(Sig::Cccd));
    }
    let hinted_or_rate = |hint, sig| {
        let t = c.t(sig);
        if c.has(hint) { (true, HeaderAndValues, t) } else { (c.rate(t), Values, t) }
    };
    for (kind, hint, sig) in [
        (PiiKind::Email, Hint::Email, Sig::Email),
        (PiiKind::HealthInsurance, Hint::Bhyt, Sig::Bhyt),
        (PiiKind::BankCard, Hint::Card, Sig::Card),
        (PiiKind::LicensePlate, Hint::Plate, Sig::Plate),
    ] {
        let (cond, basis, t) = hinted_or_rate(hint, sig);
        push_if(cond, kind, basis, t);
    }
    push_if(c.has(Hint::Account), PiiKind::BankAccount, HeaderAndValues, c.t(Sig::Account));
    if c.has(Hint::Dob) {
        push_if(true, PiiKind::DateOfBirth, HeaderAndValues, c.t(Sig::Date).or(c.t(Sig::Year)));
    } else if about_people && !c.has(Hint::OtherDate) {
        // A date next to the names of people is taken for a birth date unless the header says otherwise.
        push_if(c.rate(c.t(Sig::Date)), PiiKind::DateOfBirth, Values, c.t(Sig::Date));
    }
    push_if(c.has(Hint::PersonName), PiiKind::PersonName, Header, present);
    push_if(c.has(Hint::HomeAddress) || (c.has(Hint::Address) && about_people), PiiKind::HomeAddress, Header, present);
    for (kind, hint) in
        [(PiiKind::Gender, Hint::Gender), (PiiKind::Ethnicity, Hint::Ethnicity), (PiiKind::Religion, Hint::Religion)]
    {
        // Sex, ethnicity and religion per person; as statistics categories they are not personal.
        push_if(c.has(hint) && about_people, kind, Header, present);
    }
    out
}

/// The hints a header gives, as a bit set of `Hint`. Headers are folded (VIETNAM-NOTES §1), so "Số
/// CCCD", "so_cccd" and "SoCCCD" read alike; keywords match whole words, or inside run-together words.
fn header_hints(header: &str) -> u32 {
    let folded = fold(header);
    let words: Vec<&str> = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let spaced = format!(" {} ", words.join(" "));
    let compact = words.concat();
    let mut hints = 0;
    for (spaced_keyword, compact_keyword, hint, inside) in keyword_forms() {
        if spaced.contains(spaced_keyword.as_str()) || (*inside && compact.contains(compact_keyword.as_str())) {
            hints |= 1 << *hint as u32;
        }
    }
    hints
}

/// [`KEYWORDS`] as matched: ` keyword ` (whole words) and without spaces (inside a word),
/// formatted once rather than for every header of every file.
fn keyword_forms() -> &'static [(String, String, Hint, bool)] {
    static FORMS: std::sync::OnceLock<Vec<(String, String, Hint, bool)>> = std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        KEYWORDS.iter().map(|&(k, hint, inside)| (format!(" {k} "), k.replace(' ', ""), hint, inside)).collect()
    })
}

/// The signals of one non-empty, trimmed value, as a bit set of `Sig`.
fn signals(value: &str, year: i32) -> u32 {
    let mut sigs = 1 << Sig::Present as u32;
    let mut set = |s: Sig| sigs |= 1 << s as u32;
    // A cell can hold several numbers or addresses: "0912 345 678 / 0987 654 321".
    for token in value.split(['/', ';', ',', '|', '\n']).map(str::trim) {
        if token.contains('@') {
            if email(token).is_some_and(|gov| !gov) {
                set(Sig::Email);
            }
        } else if let Some(d) = digits(token) {
            for s in digit_signals(&d, year) {
                set(s);
            }
        }
    }
    if is_bhyt(value) {
        set(Sig::Bhyt);
    }
    if let Some(y) = date_year(value) {
        if (1900..=year).contains(&y) {
            set(Sig::Date);
        }
    } else if value.len() == 4 && value.parse::<i32>().is_ok_and(|y| (1900..=year).contains(&y)) {
        set(Sig::Year);
    }
    if is_plate(value) {
        set(Sig::Plate);
    }
    if value.starts_with(char::is_alphabetic) {
        let folded = fold(value);
        if is_name_like(value, &folded) {
            set(Sig::NameLike);
        }
        if ORG_PREFIXES.iter().any(|p| folded.strip_prefix(p).is_some_and(|r| r.is_empty() || r.starts_with(' '))) {
            set(Sig::OrgLike);
        }
    }
    sigs
}

/// The digits of a phone- or ID-like token once the usual separators are gone ("+84 (91) 234-5678").
fn digits(token: &str) -> Option<String> {
    let d: String = token.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '+' | '\u{A0}')).collect();
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

fn digit_signals(d: &str, year: i32) -> Vec<Sig> {
    let b = d.as_bytes();
    let num = |r: std::ops::Range<usize>| d[r].parse::<u16>().unwrap_or(u16::MAX);
    let mobile = |at: usize| MOBILE_PREFIXES.contains(&(num(at..at + 2) as u8));
    let mut out = Vec::new();
    match b.len() {
        9 => {
            out.push(Sig::Digits9);
            if mobile(0) {
                out.push(Sig::MobileBare);
            }
        }
        10 => {
            out.push(Sig::Digits10);
            if b[0] == b'0' && mobile(1) {
                out.push(Sig::Mobile);
            }
            if tax_code_valid(d) {
                out.push(Sig::Tax10);
            }
        }
        11 if d.starts_with("84") && mobile(2) => out.push(Sig::Mobile),
        11 if d.starts_with("02") => out.push(Sig::Landline),
        11 if !d.starts_with('0') && cccd(&format!("0{d}"), year) != Cccd::No => out.push(Sig::Id12),
        12 if d.starts_with("842") => out.push(Sig::Landline),
        12 => match cccd(d, year) {
            Cccd::Valid => out.extend([Sig::Cccd, Sig::Id12]),
            Cccd::UnknownPrefix => out.push(Sig::Id12),
            Cccd::No => {}
        },
        13 if tax_code_valid(&d[..10]) && num(10..13) >= 1 => out.push(Sig::Tax13),
        16 | 19 if d.starts_with("9704") && luhn(d) => out.push(Sig::Card),
        _ => {}
    }
    if (6..=19).contains(&b.len()) {
        out.push(Sig::Account);
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Cccd {
    Valid,
    UnknownPrefix,
    No,
}

/// A 12-digit personal identification number (Thông tư 07/2016/TT-BCA Art. 7): 3 digits of the
/// province of birth registration, a century-and-sex digit (0/1 = 1900s, 2/3 = 2000s), 2 digits of
/// the birth year, 6 random digits. There is no check digit, so the birth year must not be in the future.
fn cccd(d: &str, year: i32) -> Cccd {
    let b = d.as_bytes();
    if b.len() != 12 || b[0] != b'0' || b[3] > b'3' {
        return Cccd::No;
    }
    let born = 1900 + 100 * i32::from((b[3] - b'0') / 2) + d[4..6].parse::<i32>().unwrap_or(0);
    if born > year {
        return Cccd::No;
    }
    let prefix = d[..3].parse::<u16>().unwrap_or(0);
    if CCCD_PROVINCES.contains(&prefix) { Cccd::Valid } else { Cccd::UnknownPrefix }
}

/// The tax-code check digit (Thông tư 105/2020/TT-BTC Phụ lục 1): the tenth digit is
/// 10 − (Σ dᵢ·wᵢ mod 11) with w = 31, 29, 23, 19, 17, 13, 7, 5, 3; a remainder of 0 is never issued.
fn tax_code_check_digit(first9: &[u8]) -> Option<u8> {
    const W: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    let sum: u32 = first9.iter().zip(W).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    match sum % 11 {
        0 => None,
        r => Some((10 - r) as u8),
    }
}

fn tax_code_valid(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10 && tax_code_check_digit(&b[..9]) == Some(b[9] - b'0')
}

/// The Luhn check of card numbers.
fn luhn(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 { if v * 2 > 9 { v * 2 - 9 } else { v * 2 } } else { v }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `Some(is_agency)` for an e-mail address. Agency addresses (*.gov.vn) are published contact
/// points, not personal data (VIETNAM-NOTES §2), so the scan does not count them.
fn email(token: &str) -> Option<bool> {
    let t = token.strip_prefix("mailto:").unwrap_or(token);
    let (local, domain) = t.rsplit_once('@')?;
    let local_ok = !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    (local_ok && domain_ok).then(|| domain.to_ascii_lowercase().ends_with(".gov.vn"))
}

/// Health-insurance card numbers: 2 letters of the holder group, a benefit level 1–5, 2 digits of
/// region, then the 10-digit BHXH number (VIETNAM-NOTES §2).
fn is_bhyt(value: &str) -> bool {
    let v: Vec<u8> = value.bytes().filter(|b| !matches!(b, b' ' | b'-')).collect();
    v.len() == 15
        && v[..2].iter().all(u8::is_ascii_uppercase)
        && (b'1'..=b'5').contains(&v[2])
        && v[3..].iter().all(u8::is_ascii_digit)
}

/// The year of a calendar date: d/m/yyyy, d-m-yyyy, d.m.yyyy (Vietnamese order, never m/d) or
/// yyyy-mm-dd, optionally followed by a time.
fn date_year(value: &str) -> Option<i32> {
    let date = value.split([' ', 'T']).next()?;
    let sep = date.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = date.split(sep).collect();
    let [a, b, c] = parts[..] else { return None };
    let num =
        |s: &str| (s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i32>().ok()).flatten();
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some(y)
}

/// Vehicle plates: 30A-123.45, 51G-12345, 29-B1 123.45, 29LD-012.34 (VIETNAM-NOTES §2).
fn is_plate(value: &str) -> bool {
    let v = value.to_ascii_uppercase();
    let b = v.as_bytes();
    let mut i = 0;
    let take = |i: &mut usize, f: fn(&u8) -> bool, max: usize| {
        let start = *i;
        while *i < b.len() && *i - start < max && f(&b[*i]) {
            *i += 1;
        }
        *i - start
    };
    if b.len() < 7 || !(b'1'..=b'9').contains(&b[0]) || take(&mut i, u8::is_ascii_digit, 2) != 2 {
        return false;
    }
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    if !(1..=2).contains(&take(&mut i, u8::is_ascii_uppercase, 2)) {
        return false;
    }
    take(&mut i, u8::is_ascii_digit, 1);
    if matches!(b.get(i), Some(b' ' | b'-')) {
        i += 1;
    }
    let tail = &v[i..];
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match tail.split_once('.') {
        None => (4..=5).contains(&tail.len()) && all_digits(tail),
        Some((x, y)) => x.len() == 3 && y.len() == 2 && all_digits(x) && all_digits(y),
    }
}

/// 2–5 capitalised words of letters, the first a common surname: "Nguyễn Thị Hường", "TRẦN VĂN ĐỨC".
fn is_name_like(value: &str, folded: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase) && w.chars().all(char::is_alphabetic))
        && folded.split_whitespace().next().is_some_and(|s| SURNAMES.contains(&s))
}

#[cfg(test)]
#[path = "privacy_tests.rs"]
mod tests;
