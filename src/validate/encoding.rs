//! Owns how a data file's bytes become the UTF-8 NFC text the portal publishes (issue 3 §2):
//! detecting the encoding files really arrive in, rejecting the ones that already lost or garbled
//! their letters, a streaming decoder to UTF-8 NFC, and the delimiter sniff.
//!
//! Converted: UTF-8 (with or without BOM, NFD or NFC), UTF-16 LE/BE (Excel "Unicode text"),
//! Windows-1258, Windows-1252 (when it holds no '?' for lost letters), TCVN3 (ABC/.VnTime, VN3 and
//! its VN1 superset), VNI-Windows and VISCII.
//! Rejected, with a reason: Excel's lossy ANSI export ('?' for letters), UTF-8 that was read as
//! Windows-1252 and saved again, Unicode text typed with a legacy font ("Hµ Néi"), 8-bit text that
//! reads as Vietnamese in none (or in two) of the known encodings, and binary files.

use std::cmp::Reverse;
use std::fmt;
use std::io::{self, Read};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

#[path = "legacy_tables.rs"]
mod legacy;

use legacy::{Score, VniDecoder, double_encoded, is_syllable, upper_case_tcvn3_field};

/// How much of a file `detect` needs: enough lines to judge, small enough to hold.
pub const SAMPLE_LEN: usize = 64 * 1024;

/// The encodings odp reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
    /// Western Windows: holds only the Vietnamese letters Latin-1 has; seen in Excel's lossy export.
    Windows1252,
    Tcvn3,
    Vni,
    Viscii,
}

impl Encoding {
    /// The name people know it by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16 LE (Excel “Unicode Text”)",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1258 => "Windows-1258 (CP1258)",
            Encoding::Windows1252 => "Windows-1252 (Western)",
            Encoding::Tcvn3 => "TCVN3 (ABC, .VnTime)",
            Encoding::Vni => "VNI-Windows",
            Encoding::Viscii => "VISCII",
        }
    }

    /// A stable lower-case identifier, for reports and configuration.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viscii => "viscii",
        }
    }

    /// True for the 8-bit encodings, which publishing converts (and should warn about).
    pub fn is_legacy(self) -> bool {
        !matches!(self, Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf16Le | Encoding::Utf16Be)
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `detect` decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// Publishable: read it through `decoding_reader(…, encoding)`.
    Accept(Encoding),
    /// Not publishable as it is. `encoding` is what the bytes were read as, when that is known.
    Reject { encoding: Option<Encoding>, problem: Problem },
}

/// Why a file cannot be published as it is. `line` is 1-based; `example` is the text around the
/// first case, as decoded, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// '?' (or U+FFFD) where letters were: Excel's plain "CSV" export writes the ANSI code page and
    /// silently replaces every letter it lacks (VIETNAM-NOTES §3). The letters are gone.
    Lossy { count: usize, line: u64, example: String },
    /// UTF-8 that was opened as Windows-1252/Latin-1 and saved again: "HÃ  Ná»™i".
    DoubleEncoded { line: u64, example: String },
    /// Unicode text typed with a legacy font: the letters are the Western stand-ins of `font`'s
    /// bytes ("Hµ Néi" is TCVN3, "Haø Noäi" VNI, "Ðà NÇng" VISCII).
    LegacyFont { font: Encoding, line: u64, example: String },
    /// Not UTF-8 and not Vietnamese in any 8-bit encoding odp knows.
    Unrecognised,
    /// Reads as Vietnamese equally well, but differently, in two encodings.
    Ambiguous { first: Encoding, second: Encoding },
    /// The bytes break the rules of the encoding the file itself declares (a BOM) or was detected in.
    Malformed { line: u64 },
    /// NUL bytes: not a text file.
    Binary,
}

/// Detects the encoding of a file from its first bytes (up to `SAMPLE_LEN`; a shorter sample is the
/// whole file). Order: BOM, NUL bytes (UTF-16 without BOM, or binary), valid UTF-8, then the 8-bit
/// encoding whose decoding reads most like Vietnamese syllables. The decoded sample is then checked
/// for lost letters and mojibake, which no decoding can repair.
pub fn detect(sample: &[u8]) -> Detection {
    let sample = &sample[..sample.len().min(SAMPLE_LEN)];
    let encoding = match sniff_bytes(sample) {
        Ok(e) => e,
        Err(problem) => return Detection::Reject { encoding: None, problem },
    };
    let text = match decode_sample(sample, encoding) {
        Ok(t) => t,
        Err(problem) => return Detection::Reject { encoding: Some(encoding), problem },
    };
    match check_text(&text, encoding) {
        Some(problem) => Detection::Reject { encoding: Some(encoding), problem },
        None => Detection::Accept(encoding),
    }
}

fn sniff_bytes(sample: &[u8]) -> Result<Encoding, Problem> {
    if sample.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8Bom);
    }
    if sample.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16Le);
    }
    if sample.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16Be);
    }
    if sample.contains(&0) {
        return utf16_without_bom(sample).ok_or(Problem::Binary);
    }
    let utf8 = match std::str::from_utf8(sample) {
        Ok(s) => Some(s),
        // A sample cut in the middle of a character is still UTF-8.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&sample[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    if let Some(text) = utf8 {
        // Short 8-bit text can be valid UTF-8 by accident: VISCII "ườ" is DF B6, a UTF-8 sequence
        // (U+07F6), and VISCII and TCVN3 put letters on C0 control bytes. When the UTF-8 reading has
        // words that are not Vietnamese, an 8-bit reading that is more Vietnamese wins.
        let as_utf8 = Score::of(text);
        if as_utf8.invalid + as_utf8.bad > 0
            && let Ok((e, score)) = guess_legacy(sample)
            && score.value() >= as_utf8.value() + MARGIN
        {
            return Ok(e);
        }
        return Ok(Encoding::Utf8);
    }
    guess_legacy(sample).map(|(e, _)| e)
}

/// Excel and Notepad always write a BOM; a BOM-less UTF-16 file still shows as a NUL in every other
/// byte of its ASCII text (digits, commas, line ends).
fn utf16_without_bom(sample: &[u8]) -> Option<Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Candidate 8-bit encodings, in the order a tie is resolved: Excel's ANSI export on a Vietnamese
/// Windows, then on a Western one (which keeps only à, é, ô…: the lossy case), then the font
/// encodings by how common they still are.
const LEGACY: [Encoding; 5] =
    [Encoding::Windows1258, Encoding::Windows1252, Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii];

/// Decodes a sample for scoring. VNI mark bytes that no letter can carry count against it.
fn score_decoding(sample: &[u8], encoding: Encoding) -> (Score, String) {
    let mut stage1 = Stage1::new(encoding);
    let mut raw = String::with_capacity(sample.len() * 2);
    // Cannot fail: none of the 8-bit decoders reports malformed input.
    let _ = stage1.decode(sample, false, &mut raw);
    let text = crate::text::into_nfc(raw);
    let mut score = Score::of(&text);
    if let Stage1::Vni(v) = &stage1 {
        score.bad += v.orphan_marks;
    }
    (score, text)
}

/// chardetng cannot separate TCVN3, VNI and VISCII (VIETNAM-NOTES §0.5), so each candidate decoding
/// is scored by how many of its non-ASCII words are well-formed Vietnamese syllables.
fn guess_legacy(sample: &[u8]) -> Result<(Encoding, Score), Problem> {
    let mut scored: Vec<(Encoding, Score, String)> = LEGACY
        .iter()
        .map(|&e| {
            let (score, text) = score_decoding(sample, e);
            (e, score, text)
        })
        .collect();
    // A stable sort keeps the LEGACY order among equal scores.
    scored.sort_by_key(|(_, s, _)| Reverse(s.value()));
    let (best, score, text) = &scored[0];
    if score.valid == 0 || score.value() <= 0 {
        return Err(Problem::Unrecognised);
    }
    // Candidates that decode to the same text (Windows-1258 and -1252 agree on "Hà") do not compete.
    if let Some((second, score2, _)) = scored[1..].iter().find(|(_, _, t)| t != text)
        && score2.value() + MARGIN > score.value()
    {
        return Err(Problem::Ambiguous { first: *best, second: *second });
    }
    Ok((*best, *score))
}

/// How much better (in `Score::value` points, 2 per word) a reading must be than the runner-up. A
/// short sample of minority place names can read well in two tables; rejecting it is better than
/// publishing the wrong one.
const MARGIN: i64 = 3;

/// The text of a sample as `detect` reads it: decoded, NFC, a character cut off at the end left out
/// (reading the sample through `decoding_reader` would call that cut malformed). For
/// `sniff_delimiter`. `None` when the bytes are malformed in `encoding`.
pub fn sample_text(sample: &[u8], encoding: Encoding) -> Option<String> {
    decode_sample(sample, encoding).ok()
}

fn decode_sample(sample: &[u8], encoding: Encoding) -> Result<String, Problem> {
    let mut stage1 = Stage1::new(encoding);
    let mut raw = String::with_capacity(sample.len() + sample.len() / 2);
    // `last = false`: the sample may end inside a character; the decoder keeps that part pending.
    if stage1.decode(sample, false, &mut raw).is_err() {
        return Err(Problem::Malformed { line: line_of(&raw, raw.len()) });
    }
    Ok(crate::text::into_nfc(raw))
}

fn check_text(text: &str, encoding: Encoding) -> Option<Problem> {
    if let Some(at) = text.find('\u{FFFD}') {
        let count = text.matches('\u{FFFD}').count();
        return Some(Problem::Lossy { count, line: line_of(text, at), example: example(text, at) });
    }
    if let Some(at) = double_encoded(text) {
        return Some(Problem::DoubleEncoded { line: line_of(text, at), example: example(text, at) });
    }
    if !encoding.is_legacy()
        && let Some((font, at)) = legacy_font(text)
    {
        return Some(Problem::LegacyFont { font, line: line_of(text, at), example: example(text, at) });
    }
    lossy_question_marks(text).map(|(count, at)| Problem::Lossy {
        count,
        line: line_of(text, at),
        example: example(text, at),
    })
}

/// '?' standing for a lost letter: followed by a letter ("N?i", "?i?n"), or doubled after one.
/// Question marks in URLs ("?id=3") do not count; the share of letters lost must be noticeable,
/// since a lossy Vietnamese export loses a letter in most words.
fn lossy_question_marks(text: &str) -> Option<(usize, usize)> {
    let (mut count, mut first, mut letters) = (0usize, None, 0usize);
    let mut prev = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphabetic() {
            letters += 1;
        }
        if c == '?' {
            let next = chars.peek().map_or(' ', |&(_, n)| n);
            if (next.is_alphabetic() || (prev.is_alphabetic() && next == '?')) && !in_url(text, i) {
                count += 1;
                first.get_or_insert(i);
            }
        }
        prev = c;
    }
    let lossy = count > 0 && (count * 10 >= letters || (count >= 2 && count * 100 >= letters));
    first.filter(|_| lossy).map(|at| (count, at))
}

fn in_url(text: &str, at: usize) -> bool {
    let is_end = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\t');
    let start = text[..at].rfind(is_end).map_or(0, |p| p + 1);
    let end = text[at..].find(is_end).map_or(text.len(), |p| at + p);
    let (before, after) = (&text[start..at], &text[at..end]);
    before.contains("://") || before.starts_with("www.") || after.contains('=')
}

/// Unicode text whose words are not Vietnamese as they stand, but become Vietnamese once turned
/// back into the Windows-1252 bytes a legacy font drew and decoded in that font's encoding
/// (VIETNAM-NOTES §3: "XLS/XLSX cells hold Unicode, not bytes"). Returns the font and the first word.
fn legacy_font(text: &str) -> Option<(Encoding, usize)> {
    let mut readable = 0;
    let mut converted = [0usize; LEGACY.len()];
    let mut first = [None; LEGACY.len()];
    let is_split = |c: char| c.is_whitespace() || (c.is_ascii() && !c.is_ascii_alphabetic());
    let mut start = 0;
    for piece in text.split_inclusive(is_split) {
        let at = start;
        start += piece.len();
        let word = piece.trim_end_matches(is_split);
        if word.is_ascii() {
            continue;
        }
        let Some(bytes) = word.chars().map(legacy::cp1252_byte).collect::<Option<Vec<u8>>>() else { continue };
        if is_syllable(word) {
            readable += 1;
            continue;
        }
        for (i, &e) in LEGACY.iter().enumerate() {
            let (score, _) = score_decoding(&bytes, e);
            if score.valid == 1 && score.invalid == 0 && score.bad == 0 {
                converted[i] += 1;
                first[i].get_or_insert(at);
            }
        }
    }
    let (i, &n) = converted.iter().enumerate().max_by_key(|&(i, n)| (*n, Reverse(i)))?;
    (n >= 2 || (n == 1 && readable == 0)).then(|| (LEGACY[i], first[i].unwrap_or(0)))
}

fn line_of(text: &str, at: usize) -> u64 {
    text[..at].bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

/// The field around byte `at`, at most about 30 characters each side, for a message.
fn example(text: &str, at: usize) -> String {
    let is_end = |c: char| matches!(c, '\n' | '\r' | ',' | ';' | '\t');
    let start = text[..at].rfind(is_end).map_or(0, |p| p + 1);
    let end = text[at..].find(is_end).map_or(text.len(), |p| at + p);
    let before: String = text[start..at].chars().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[at..end].chars().take(30).collect();
    format!("{before}{after}").trim().to_string()
}

/// First stage of decoding: bytes to (not yet normalised) text.
enum Stage1 {
    Rs(encoding_rs::Decoder),
    Tcvn3,
    Viscii,
    Vni(VniDecoder),
}

impl Stage1 {
    fn new(encoding: Encoding) -> Self {
        match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => Stage1::Rs(encoding_rs::UTF_8.new_decoder_with_bom_removal()),
            Encoding::Utf16Le => Stage1::Rs(encoding_rs::UTF_16LE.new_decoder_with_bom_removal()),
            Encoding::Utf16Be => Stage1::Rs(encoding_rs::UTF_16BE.new_decoder_with_bom_removal()),
            Encoding::Windows1258 => Stage1::Rs(encoding_rs::WINDOWS_1258.new_decoder_without_bom_handling()),
            Encoding::Windows1252 => Stage1::Rs(encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling()),
            Encoding::Tcvn3 => Stage1::Tcvn3,
            Encoding::Viscii => Stage1::Viscii,
            Encoding::Vni => Stage1::Vni(VniDecoder::new()),
        }
    }

    /// Appends the text of `src` to `out`. `Err(n)`: malformed input after `n` bytes of `src`.
    fn decode(&mut self, mut src: &[u8], last: bool, out: &mut String) -> Result<(), usize> {
        match self {
            Stage1::Rs(decoder) => {
                let mut done = 0;
                loop {
                    let room = decoder.max_utf8_buffer_length_without_replacement(src.len()).unwrap_or(src.len() * 3);
                    out.reserve(room + 4);
                    let (result, read) = decoder.decode_to_string_without_replacement(src, out, last);
                    done += read;
                    src = &src[read..];
                    match result {
                        encoding_rs::DecoderResult::InputEmpty => return Ok(()),
                        encoding_rs::DecoderResult::OutputFull => {}
                        encoding_rs::DecoderResult::Malformed(..) => return Err(done),
                    }
                }
            }
            Stage1::Tcvn3 => out.extend(src.iter().map(|&b| legacy::tcvn3(b))),
            Stage1::Viscii => out.extend(src.iter().map(|&b| legacy::viscii(b))),
            Stage1::Vni(v) => v.decode(src, out),
        }
        Ok(())
    }
}

/// The error a `DecodingReader` returns (inside an `io::Error` of kind `InvalidData`) when the bytes
/// break their encoding's rules further into the file than `detect` looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub encoding: Encoding,
    /// Offset in the file near which the malformed bytes are.
    pub byte_offset: u64,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bytes that are not valid {} near byte {}", self.encoding, self.byte_offset)
    }
}

impl std::error::Error for DecodeError {}

/// Bytes read from the file per step.
const CHUNK: usize = 16 * 1024;
/// Text held back for NFC (or, for TCVN3, for a field to end) before it is let through regardless.
const MAX_PENDING: usize = 64 * 1024;
/// Characters that end a CSV field; they are ASCII, so never part of a combining sequence.
const FIELD_ENDS: [char; 6] = [',', ';', '\t', '\n', '\r', '"'];

/// A reader of UTF-8 NFC text over a file in `encoding`. Memory is bounded: one chunk of input,
/// its decoding, and the held-back tail.
pub struct DecodingReader<R> {
    inner: R,
    encoding: Encoding,
    stage1: Stage1,
    raw: Box<[u8]>,
    /// Decoded text not yet normalised: what may still combine with what comes next.
    pending: String,
    out: Vec<u8>,
    pos: usize,
    consumed: u64,
    done: bool,
}

/// Wraps `inner` (raw file bytes, BOM included) so that reading yields UTF-8 in NFC.
/// NFC is applied across chunk boundaries correctly: text from the last character that can start a
/// new combining sequence on is held back until more input (or the end) arrives.
/// TCVN3 also gets the upper-case repair (see `upper_case_tcvn3_field`), applied per CSV field.
pub fn decoding_reader<R: Read>(inner: R, encoding: Encoding) -> DecodingReader<R> {
    DecodingReader {
        inner,
        encoding,
        stage1: Stage1::new(encoding),
        raw: vec![0; CHUNK].into_boxed_slice(),
        pending: String::new(),
        out: Vec::new(),
        pos: 0,
        consumed: 0,
        done: false,
    }
}

impl<R> DecodingReader<R> {
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The wrapped reader, e.g. to drain a hashing reader to the end of the file.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> DecodingReader<R> {
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        let n = loop {
            match self.inner.read(&mut self.raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        let last = n == 0;
        if let Err(at) = self.stage1.decode(&self.raw[..n], last, &mut self.pending) {
            let error = DecodeError { encoding: self.encoding, byte_offset: self.consumed + at as u64 };
            return Err(io::Error::new(io::ErrorKind::InvalidData, error));
        }
        self.consumed += n as u64;
        let split = if last { self.pending.len() } else { self.split_point() };
        if split > 0 {
            let fields = self.encoding == Encoding::Tcvn3;
            // Most text is already NFC: check (cheap) before normalising (allocates).
            let chunk = &self.pending[..split];
            let text: std::borrow::Cow<'_, str> =
                if chunk.is_ascii() || is_nfc_quick(chunk.chars()) == IsNormalized::Yes {
                    std::borrow::Cow::Borrowed(chunk)
                } else {
                    std::borrow::Cow::Owned(chunk.nfc().collect())
                };
            if fields {
                for field in text.split_inclusive(FIELD_ENDS) {
                    self.out.extend_from_slice(upper_case_tcvn3_field(field).as_bytes());
                }
            } else {
                self.out.extend_from_slice(text.as_bytes());
            }
            self.pending.drain(..split);
        }
        self.done = last;
        Ok(())
    }

    /// Where the pending text can be cut so that normalising both parts apart equals normalising
    /// them together: before a character with canonical combining class 0 and NFC_QC=Yes (UAX #15).
    fn split_point(&self) -> usize {
        let text = &self.pending;
        let overfull = text.len() > MAX_PENDING;
        if self.encoding == Encoding::Tcvn3 && !overfull {
            return text.rfind(FIELD_ENDS).unwrap_or(0);
        }
        if self.encoding == Encoding::Tcvn3
            && let Some(at) = text.rfind(FIELD_ENDS).filter(|&at| at > 0)
        {
            return at;
        }
        let stable = text
            .char_indices()
            .rev()
            .find(|&(_, c)| canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
            .map(|(at, _)| at);
        match stable {
            Some(at) if at > 0 => at,
            // Pathological input (a field or a mark sequence longer than MAX_PENDING): let it through.
            _ if overfull => text.len(),
            _ => 0,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The field delimiter among `,` `;` and tab: the one that splits the first lines (quotes
/// respected) into the same number of fields most consistently, then into the most fields, then
/// tab before `;` before `,` (the rarer a character is in text, the likelier it is a delimiter).
/// Excel uses the locale's list separator, `;` where the decimal mark is a comma (VIETNAM-NOTES §3).
pub fn sniff_delimiter(sample: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b'\t', b';', b','];
    const MAX_RECORDS: usize = 50;
    let mut records: Vec<[usize; 3]> = Vec::new();
    let (mut counts, mut quoted, mut blank) = ([0usize; 3], false, true);
    for b in sample.bytes() {
        match b {
            b'"' => {
                quoted = !quoted;
                blank = false;
            }
            b'\n' if !quoted => {
                if !blank {
                    records.push(counts);
                }
                (counts, blank) = ([0; 3], true);
                if records.len() == MAX_RECORDS {
                    break;
                }
            }
            b'\r' | b' ' => {}
            _ => {
                blank = false;
                if !quoted && let Some(k) = CANDIDATES.iter().position(|&d| d == b) {
                    counts[k] += 1;
                }
            }
        }
    }
    // A last line without its newline may be cut short; use it only when it is all there is.
    if records.is_empty() && !blank {
        records.push(counts);
    }
    let mut best: Option<(usize, usize, u8)> = None;
    for (k, &d) in CANDIDATES.iter().enumerate() {
        let mut seen: Vec<usize> = records.iter().map(|r| r[k]).collect();
        seen.sort_unstable();
        // The most frequent count, the larger one on a tie.
        let (mode, agree) = seen
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len()))
            .max_by_key(|&(value, len)| (len, value))
            .unwrap_or((0, 0));
        if mode > 0 && best.is_none_or(|(a, m, _)| (agree, mode) > (a, m)) {
            best = Some((agree, mode, d));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

#[cfg(test)]
#[path = "encoding_tests.rs"]
mod tests;
