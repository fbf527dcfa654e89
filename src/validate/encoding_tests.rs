//! Unit tests of `encoding` on real byte samples: the provinces table saved by iconv in every
//! encoding (tests/fixtures/encodings, rebuilt by make-fixtures.sh), VNI, mojibake and lossy files.

use super::legacy::is_syllable;
use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../tests/fixtures/encodings/", $name)).as_slice()
    };
}

const ORIGINAL: &[u8] = fixture!("provinces-2025.utf8.csv");

/// A reader that hands out `step` bytes at a time, so every chunk boundary case is exercised.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn decode_all(bytes: &[u8], encoding: Encoding, step: usize) -> Vec<u8> {
    let mut out = Vec::new();
    decoding_reader(Trickle { data: bytes, step }, encoding).read_to_end(&mut out).unwrap();
    out
}

fn reject(d: Detection) -> (Option<Encoding>, Problem) {
    match d {
        Detection::Reject { encoding, problem } => (encoding, problem),
        Detection::Accept(e) => panic!("accepted as {e}"),
    }
}

#[test]
fn provinces_in_every_encoding_decode_to_the_same_utf8_nfc() {
    let cases = [
        (fixture!("provinces-2025.utf8.csv"), Encoding::Utf8),
        (fixture!("provinces-2025.utf8-bom.csv"), Encoding::Utf8Bom),
        (fixture!("provinces-2025.utf16le.csv"), Encoding::Utf16Le),
        (fixture!("provinces-2025.utf16be.csv"), Encoding::Utf16Be),
        (fixture!("provinces-2025.cp1258.csv"), Encoding::Windows1258),
        (fixture!("provinces-2025.tcvn3.csv"), Encoding::Tcvn3),
        (fixture!("provinces-2025.viscii.csv"), Encoding::Viscii),
        (fixture!("provinces-2025.vni.csv"), Encoding::Vni),
    ];
    for (bytes, expected) in cases {
        assert_eq!(detect(bytes), Detection::Accept(expected), "{expected}");
        // Whole chunks, odd-sized chunks and one byte at a time must all give the same bytes.
        for step in [CHUNK, 7, 1] {
            assert_eq!(decode_all(bytes, expected, step), ORIGINAL, "{expected}, {step}-byte reads");
        }
    }
}

#[test]
fn windows_1258_output_is_composed() {
    // encoding_rs leaves tones as combining marks: "Nô\u{323}i" must come out as "Nội".
    let bytes = b"H\xe0 N\xf4\xf2i";
    assert_eq!(detect(bytes), Detection::Accept(Encoding::Windows1258));
    assert_eq!(decode_all(bytes, Encoding::Windows1258, 1), "Hà Nội".as_bytes());
}

#[test]
fn nfd_utf8_is_composed_across_chunks() {
    let nfd = "Thu\u{31B}\u{300}a Thie\u{302}n Hue\u{302}\u{301},\u{110}a\u{300} Na\u{306}\u{303}ng\n";
    assert_eq!(detect(nfd.as_bytes()), Detection::Accept(Encoding::Utf8));
    for step in [1, 2, 3, 5] {
        assert_eq!(decode_all(nfd.as_bytes(), Encoding::Utf8, step), "Thừa Thiên Huế,Đà Nẵng\n".as_bytes());
    }
}

#[test]
fn vni_files_are_converted() {
    let people = fixture!("people.vni.csv");
    assert_eq!(detect(people), Detection::Accept(Encoding::Vni));
    assert_eq!(decode_all(people, Encoding::Vni, 1), fixture!("people.utf8.csv"));
    // Marker words of VIETNAM-NOTES §3, as VNI bytes (Windows-1252 glyphs).
    let words = [
        ("Haø Noäi", "Hà Nội"),
        ("Vieät Nam", "Việt Nam"),
        ("Ñaø Naüng", "Đà Nẵng"),
        ("Thöøa Thieân Hueá", "Thừa Thiên Huế"),
        ("Caàn Thô", "Cần Thơ"),
        ("Ñòa chæ", "Địa chỉ"),
        ("ngöôøi", "người"),
        ("KHAÙNH HOØA", "KHÁNH HÒA"),
        ("Quaûng Ngaõi, Ñaék Laék, tæ lyû, ñoàng", "Quảng Ngãi, Đắk Lắk, tỉ lỷ, đồng"),
    ];
    for (vni, expected) in words {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(vni);
        assert_eq!(decode_all(&bytes, Encoding::Vni, 1), expected.as_bytes(), "{vni}");
    }
}

#[test]
fn tcvn3_capitals_typed_in_a_vntimeh_font_are_repaired() {
    // "HÀ NỘI" typed with .VnTimeH stores the lower-case codes: H µ N é I.
    let bytes =
        b"ma,ten\r\n01,H\xb5 N\xe9I\r\n02,UBND x\xb7\r\n03,TH\xb5NH PH\xe8 \xaei\xd6n Bi\xaan\r\n04,X\xb7 SR\xe3\r\n";
    let expected = "ma,ten\r\n01,HÀ NỘI\r\n02,UBND xã\r\n03,THÀNH PHỐ điện Biên\r\n04,Xã SRó\r\n";
    assert_eq!(decode_all(bytes, Encoding::Tcvn3, 1), expected.as_bytes());
}

#[test]
fn mojibake_is_rejected() {
    let (enc, problem) = reject(detect(fixture!("provinces-2025.mojibake.csv")));
    assert_eq!(enc, Some(Encoding::Utf8));
    let Problem::DoubleEncoded { line, example } = problem else { panic!("{problem:?}") };
    assert_eq!(line, 2);
    assert!(example.starts_with("ThÃ"), "{example}");
    // One run that decodes to a Vietnamese letter is enough.
    assert!(matches!(reject(detect("Ná»™i".as_bytes())).1, Problem::DoubleEncoded { .. }));
}

#[test]
fn legacy_fonts_in_unicode_text_are_rejected_and_named() {
    let (_, problem) = reject(detect(fixture!("provinces-2025.tcvn3-font-in-utf8.csv")));
    assert!(matches!(problem, Problem::LegacyFont { font: Encoding::Tcvn3, line: 2, .. }), "{problem:?}");
    let samples = [
        ("Họ tên,Tỉnh\nAn,Ðà NÇng\n", Encoding::Viscii),
        ("Hoï vaø teân,Ñòa chæ\n", Encoding::Vni),
        ("Hµ Néi\n", Encoding::Tcvn3),
        // Windows-1258 bytes shown as Windows-1252: the U+00D0 eth VIETNAM-NOTES §1 warns about.
        ("Ðà NãÞng,Hà Nôòi\n", Encoding::Windows1258),
    ];
    for (text, font) in samples {
        let (enc, problem) = reject(detect(text.as_bytes()));
        assert_eq!(enc, Some(Encoding::Utf8));
        assert!(matches!(problem, Problem::LegacyFont { font: f, .. } if f == font), "{text}: {problem:?}");
    }
}

#[test]
fn lossy_exports_are_rejected() {
    let (enc, problem) = reject(detect(fixture!("provinces-2025.cp1252-lossy.csv")));
    assert_eq!(enc, Some(Encoding::Windows1252));
    let Problem::Lossy { count, line, example } = problem else { panic!("{problem:?}") };
    assert!(count > 20, "{count}");
    assert_eq!((line, example.as_str()), (2, "Thành ph? Hà N?i"));
    assert!(matches!(reject(detect(b"H? N?i")).1, Problem::Lossy { count: 1, .. }));
    assert!(matches!(reject(detect("Hà N\u{FFFD}i".as_bytes())).1, Problem::Lossy { .. }));
}

#[test]
fn ordinary_files_raise_no_alarm() {
    let samples: [&[u8]; 8] = [
        b"",
        b"a",
        b"id,name,population\n1,North,1200\n2,South,3400\n",
        b"question,answer\nIs it open?,Yes\nWhy? Because,ok\n",
        b"url\nhttps://example.gov.vn/page?id=3&lang=vi\nhttps://x.vn/?q=abc\n",
        "Tên,Ghi chú\nHà Nội,Có không?\nĐà Nẵng,“Đúng” – 100 km²\n".as_bytes(),
        "name\nCafé Müller\nSÃO PAULO\n".as_bytes(),
        "\u{FEFF}x,y\n1,2\n".as_bytes(),
    ];
    for s in samples {
        let d = detect(s);
        assert!(
            matches!(d, Detection::Accept(Encoding::Utf8 | Encoding::Utf8Bom)),
            "{:?}: {d:?}",
            String::from_utf8_lossy(s)
        );
    }
}

#[test]
fn short_and_odd_files() {
    assert_eq!(detect(b"\xEF\xBB\xBF"), Detection::Accept(Encoding::Utf8Bom));
    assert_eq!(detect(b"\xFF\xFE"), Detection::Accept(Encoding::Utf16Le));
    assert_eq!(detect(b"a\0,\0b\0\n\0"), Detection::Accept(Encoding::Utf16Le));
    assert_eq!(detect(b"\0a\0,\0b\0\n"), Detection::Accept(Encoding::Utf16Be));
    assert_eq!(reject(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")).1, Problem::Binary);
    // Western Windows-1252 text is not Vietnamese in any encoding: rejected, not guessed.
    assert_eq!(reject(detect(b"name\nCaf\xe9 M\xfcller\nStra\xdfe\n")).1, Problem::Unrecognised);
    assert_eq!(reject(detect(b"\xEF\xBB\xBFok\n\xff\xfe bad")).1, Problem::Malformed { line: 2 });
    // A sample cut inside a character is still UTF-8.
    let cut = &"Hà Nội".as_bytes()[..6];
    assert_eq!(detect(cut), Detection::Accept(Encoding::Utf8));
}

#[test]
fn malformed_bytes_past_the_sample_are_an_error_not_mojibake() {
    let mut bytes = b"a,b\n".repeat(20_000);
    bytes.extend_from_slice(b"\xc3(\n");
    let mut out = Vec::new();
    let err = decoding_reader(bytes.as_slice(), Encoding::Utf8).read_to_end(&mut out).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    let inner = err.get_ref().and_then(|e| e.downcast_ref::<DecodeError>()).unwrap();
    assert_eq!(inner.encoding, Encoding::Utf8);
    assert!(inner.byte_offset >= 80_000, "{}", inner.byte_offset);
}

#[test]
fn large_files_stream() {
    let row = fixture!("provinces-2025.cp1258.csv");
    let big: Vec<u8> = row.repeat(700); // about 1.1 MB
    let mut out = Vec::new();
    decoding_reader(big.as_slice(), Encoding::Windows1258).read_to_end(&mut out).unwrap();
    assert_eq!(out, ORIGINAL.repeat(700));
}

#[test]
fn syllables() {
    let valid = ["Nguyễn", "người", "Đắk", "quyết", "gìn", "giữ", "khuya", "THỪA", "Huế", "xoong", "thuở", "ăn"];
    for w in valid.into_iter().chain(["Hòa", "Hoà", "Thủy", "Thuỷ", "NộI", "rượu", "hoặc", "khuyên", "Quảng"])
    {
        assert!(is_syllable(w), "{w}");
    }
    for w in ["Hµ", "Néi", "café", "Nụũi", "àg", "tấc\u{300}", "bàc", "ñ", "ThỔnh", "Thaụnh", "Haụ", "tiế", "qúa"]
    {
        assert!(!is_syllable(w), "{w}");
    }
}

#[test]
fn delimiters() {
    assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
    // vi-VN Excel: `;` between fields, `,` as the decimal mark.
    assert_eq!(sniff_delimiter("ma;ten;lat\n01;Hà Nội;21,0001\n04;Cao Bằng;22,7456\n"), b';');
    assert_eq!(sniff_delimiter("a\tb, c\n1\t2, 3\n"), b'\t');
    // Delimiters inside quotes, a quoted line break, a blank line, a last line cut short.
    let quoted = "ten,ghi_chu\n\"Hà Nội; Huế\",\"a;b;c\nd;e\"\n\n\"x\",y\n\"z;z;z";
    assert_eq!(sniff_delimiter(quoted), b',');
    assert_eq!(sniff_delimiter("one column\nvalue\n"), b',');
    assert_eq!(sniff_delimiter("a;b"), b';');
    assert_eq!(sniff_delimiter(""), b',');
    let original = std::str::from_utf8(ORIGINAL).unwrap();
    assert_eq!(sniff_delimiter(original), b',');
    // On a file's first bytes, whatever their encoding, cut anywhere.
    let utf16 = fixture!("provinces-2025.utf16le.csv");
    assert_eq!(sample_text(&utf16[..1001], Encoding::Utf16Le).map(|t| sniff_delimiter(&t)), Some(b','));
    // vi-VN Excel's CSV: Windows-1258, `;` between fields, decimal commas.
    let vi_vn: Vec<u8> = fixture!("provinces-2025.cp1258.csv")
        .iter()
        .map(|&b| match b {
            b',' => b';',
            b'.' => b',',
            b => b,
        })
        .collect();
    assert_eq!(sample_text(&vi_vn[..700], Encoding::Windows1258).map(|t| sniff_delimiter(&t)), Some(b';'));
    assert_eq!(sample_text(b"\xff\xfe\x00\xd8A\x00", Encoding::Utf16Le), None); // a lone surrogate
}

#[test]
fn names_and_labels() {
    assert_eq!(Encoding::Tcvn3.to_string(), "TCVN3 (ABC, .VnTime)");
    assert_eq!(Encoding::Windows1258.label(), "windows-1258");
    assert!(Encoding::Vni.is_legacy() && !Encoding::Utf16Le.is_legacy());
}
