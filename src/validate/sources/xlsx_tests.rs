//! Tests of the XLSX row source on workbooks written by openpyxl (tests/fixtures/sources,
//! rebuilt by make-fixtures.py): sheet choice, header, every cell type, error cells, the 1904
//! date system, exact positions and texts.

#![allow(clippy::result_large_err)] // rows and errors side by side, as the engine gets them

use super::*;
use crate::diag::Msg;
use std::path::PathBuf;

type Row = Result<(u64, Vec<String>), SourceError>;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources").join(name)
}

fn drain(source: &mut impl RowSource) -> Vec<Row> {
    let mut record = csv::StringRecord::new();
    let mut out = Vec::new();
    loop {
        match source.next_row(&mut record) {
            Ok(Some(line)) => out.push(Ok((line, record.iter().map(String::from).collect()))),
            Ok(None) => return out,
            Err(e) => out.push(Err(e)),
        }
    }
}

fn row(line: u64, cells: &[&str]) -> Row {
    Ok((line, cells.iter().map(|c| c.to_string()).collect()))
}

fn open_error(name: &str, sheet: Option<&str>) -> SourceError {
    xlsx_rows(&fixture(name), sheet).err().expect("an error")
}

#[test]
fn first_visible_sheet_with_every_cell_type() {
    let mut source = xlsx_rows(&fixture("provinces.xlsx"), None).unwrap();
    // "Tra cứu" comes first but is hidden.
    assert_eq!(source.sheet(), "Dân số");
    assert!(source.canonical());
    assert_eq!(
        source.header(),
        [
            "ma_tinh",
            "ten_tinh",
            "dan_so",
            "dien_tich_km2",
            "ngay_cap_nhat",
            "cap_nhat_luc",
            "la_thanh_pho",
            "ghi_chu" // written as " ghi_chu "
        ]
    );
    let error = Msg::XlsxCellError { sheet: "Dân số".into(), cell: "C6".into(), error: "#N/A".into() };
    assert_eq!(
        drain(&mut source),
        [
            row(2, &["01", "Hà Nội", "8587100", "3359.84", "2024-01-15", "2024-01-15T08:30:00", "true", ""]),
            // A datetime at midnight is a date.
            row(
                3,
                &[
                    "79",
                    "Thành phố Hồ Chí Minh",
                    "9456700",
                    "2095.39",
                    "2024-03-01",
                    "2024-03-01",
                    "true",
                    "Số liệu sơ bộ"
                ]
            ),
            // Row 4 is empty. The name was stored decomposed (NFD); a time of day alone; spaces kept.
            row(
                5,
                &["48", &crate::text::nfc("Đà Nẵng"), "1220190", "0.3", "", "12:45:30", "false", "  có khoảng trắng  "]
            ),
            Err(SourceError { line: 6, col: 3, msg: error }),
            // Serial 61 is 1900-03-01 (after Excel's phantom 1900-02-29); a [h]:mm:ss duration;
            // a cell in J, past the header, makes the row longer than the header.
            row(7, &["31", "Hải Phòng", "2088000", "-0.5", "1900-03-01", "PT36H30M0S", "false", "", "", "thừa"]),
            // Row 8 is empty. Milliseconds; a float above 2^53 in shortest round-trip form.
            row(
                9,
                &["92", "Cần Thơ", "1258000", "0.0000001", "2024-12-31T23:59:59.500", "", "", "12345678901234570000"]
            ),
        ]
    );
}

#[test]
fn named_sheet_with_a_table_away_from_a1() {
    // Asked for in NFD, as a dataset.toml typed on macOS might.
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Phụ lục").collect();
    let mut source = xlsx_rows(&fixture("provinces.xlsx"), Some(&nfd)).unwrap();
    assert_eq!(source.sheet(), "Phụ lục");
    // The header is the first non-empty row (row 3, from column B); a number there becomes text.
    assert_eq!(source.header(), ["Mã", "Tên đơn vị", "2024"]);
    assert_eq!(drain(&mut source), [row(4, &["01", "Ba Đình", "0.5"]), row(6, &["", "Hoàn Kiếm", ""])]);
}

#[test]
fn unknown_sheet_lists_the_worksheets() {
    let e = open_error("provinces.xlsx", Some("Dữ liệu"));
    // The chart sheet is not a worksheet, so it is not offered.
    let sheets = vec!["Tra cứu".to_string(), "Dân số".to_string(), "Phụ lục".to_string()];
    assert_eq!(e, SourceError { line: 0, col: 0, msg: Msg::SheetNotFound { sheet: "Dữ liệu".into(), sheets } });
    assert_eq!(e.msg.code(), "E0426");
    assert_eq!(e.msg.vi(), "tệp Excel không có trang tính `Dữ liệu`; các trang tính: `Tra cứu`, `Dân số`, `Phụ lục`");
    assert_eq!(e.msg.en(), "the workbook has no sheet `Dữ liệu`; sheets: `Tra cứu`, `Dân số`, `Phụ lục`");
    assert_eq!(open_error("provinces.xlsx", Some("Biểu đồ")).msg.code(), "E0426");
}

#[test]
fn dates_in_the_1904_system() {
    let mut source = xlsx_rows(&fixture("mac-1904.xlsx"), None).unwrap();
    assert_eq!(source.header(), ["ngay", "luc"]);
    assert_eq!(drain(&mut source), [row(2, &["2024-01-15", "2024-01-15T08:30:00"]), row(3, &["1904-01-02", ""])]);
}

#[test]
fn empty_sheet_error_in_header_and_unreadable_files() {
    assert_eq!(open_error("mac-1904.xlsx", Some("Trống")), SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile });

    let e = open_error("mac-1904.xlsx", Some("Lỗi"));
    let msg = Msg::XlsxCellError { sheet: "Lỗi".into(), cell: "B1".into(), error: "#REF!".into() };
    assert_eq!(e, SourceError { line: 1, col: 2, msg: msg.clone() });
    assert_eq!(msg.code(), "E0427");
    assert_eq!(msg.vi(), "ô B1 của trang tính `Lỗi` chứa lỗi Excel `#REF!`; hãy sửa công thức hoặc để trống ô");
    assert_eq!(
        msg.en(),
        "cell B1 of sheet `Lỗi` holds the Excel error `#REF!`; fix the formula or leave the cell empty"
    );

    for name in ["provinces.json", "no-such-file.xlsx"] {
        let e = open_error(name, None);
        assert!(matches!(e.msg, Msg::SourceUnreadable { .. }), "{name}: {e:?}");
        assert_eq!((e.line, e.col), (0, 0));
        assert!(e.msg.vi().starts_with("không đọc được tệp dữ liệu: "), "{}", e.msg.vi());
    }
}

#[test]
fn positions_convert_to_diagnostic_positions() {
    let e = open_error("mac-1904.xlsx", Some("Lỗi"));
    assert_eq!(e.pos(), crate::diag::Pos::new(1, 2, 1));
    assert_eq!(open_error("mac-1904.xlsx", Some("Trống")).pos(), crate::diag::Pos::FILE);
    assert_eq!(
        e.to_string(),
        "1:2: E0427 cell B1 of sheet `Lỗi` holds the Excel error `#REF!`; fix the formula or leave the cell empty"
    );
}
