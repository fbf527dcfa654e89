//! Unit tests of `privacy`: the validators on real formats, and the column decisions on generated
//! tables (fake citizens, enterprises with computed tax codes, ordinary statistics). Every number is
//! made up; none belongs to a real person.

use super::*;

/// A small deterministic generator, so the fake tables are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

/// A valid 10-digit tax code from 9 random digits.
fn tax_code(rng: &mut Rng) -> String {
    loop {
        let first = format!("0{}", rng.digits(8));
        if let Some(check) = tax_code_check_digit(first.as_bytes()) {
            return format!("{first}{check}");
        }
    }
}

/// Scans a CSV text (header + rows) the way table.rs will: row numbers are the CSV line numbers.
fn scan(csv_text: &str) -> Vec<Finding> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv_text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = records.next().unwrap().unwrap().iter().map(str::to_string).collect();
    let mut scanner = ColumnScanner::new(&header);
    for record in records {
        let record = record.unwrap();
        scanner.observe_row(record.position().unwrap().line(), record.iter());
    }
    scanner.finish()
}

fn kinds(findings: &[Finding]) -> Vec<(&str, PiiKind)> {
    findings.iter().map(|f| (f.header.as_str(), f.kind)).collect()
}

fn write_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

const GIVEN: [&str; 8] = ["An", "Bình", "Hường", "Đức", "Lan", "Minh", "Thảo", "Tuấn"];
const MIDDLE: [&str; 5] = ["Văn", "Thị", "Minh", "Đức", "Ngọc"];
const SURNAME: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Võ"];

/// 50 made-up citizens: CCCD with real province prefixes and a century digit that matches the
/// birth year, phones in every usual format, e-mails, and the usual personal columns.
fn citizens(headers: &[&str]) -> String {
    let mut rng = Rng(7);
    let mut rows = Vec::new();
    for _ in 0..50 {
        let name = format!("{} {} {}", rng.pick(&SURNAME), rng.pick(&MIDDLE), rng.pick(&GIVEN));
        let (year, female) = (1950 + rng.below(56), rng.below(2) == 1);
        let (day, month) = (1 + rng.below(28), 1 + rng.below(12));
        let province = rng.pick(&["001", "031", "038", "046", "048", "079", "092", "096"]);
        let century = if year >= 2000 { 2 } else { 0 } + u64::from(female);
        let cccd = format!("{province}{century}{:02}{}", year % 100, rng.digits(6));
        let prefix = rng.pick(&["912", "983", "703", "868", "345", "559"]);
        let rest = rng.digits(6);
        let phone = match rng.below(4) {
            0 => format!("0{prefix}{rest}"),
            1 => format!("+84 {prefix} {} {}", &rest[..3], &rest[3..]),
            2 => format!("0{prefix}.{}.{}", &rest[..3], &rest[3..]),
            _ => format!("84{prefix}{rest}"),
        };
        let email = format!(
            "{}{}@{}",
            crate::text::slugify(&name).replace('-', "."),
            rng.below(100),
            rng.pick(&["gmail.com", "yahoo.com.vn"])
        );
        rows.push(vec![
            name,
            format!("{day:02}/{month:02}/{year}"),
            if female { "Nữ" } else { "Nam" }.to_string(),
            cccd,
            phone,
            email,
            format!("Số {}, Phường Hải Châu, Thành phố Đà Nẵng", rng.below(200)),
            tax_code(&mut rng),
            rng.digits(10),
            rng.pick(&["Kinh", "Tày", "Ê Đê"]).to_string(),
        ]);
    }
    write_csv(headers, &rows)
}

#[test]
fn fake_citizens_are_blocked_column_by_column() {
    let headers = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "SĐT",
        "Email",
        "Địa chỉ thường trú",
        "MST cá nhân",
        "Mã số BHXH",
        "Dân tộc",
    ];
    let findings = scan(&citizens(&headers));
    let expected = [
        ("Họ và tên", PiiKind::PersonName),
        ("Ngày sinh", PiiKind::DateOfBirth),
        ("Giới tính", PiiKind::Gender),
        ("Số CCCD", PiiKind::Cccd),
        ("SĐT", PiiKind::MobilePhone),
        ("Email", PiiKind::Email),
        ("Địa chỉ thường trú", PiiKind::HomeAddress),
        ("MST cá nhân", PiiKind::PersonalTaxCode),
        ("Mã số BHXH", PiiKind::SocialInsurance),
        ("Dân tộc", PiiKind::Ethnicity),
    ];
    assert_eq!(kinds(&findings), expected);
    for f in &findings {
        assert_eq!((f.rows_matched, f.rows_seen), (50, 50), "{f:?}");
        assert_eq!(f.example_rows, [2, 3, 4], "{f:?}");
    }
    assert_eq!(findings[3].basis, Basis::HeaderAndValues);
    assert_eq!(findings[0].basis, Basis::Header);
}

#[test]
fn fake_citizens_are_found_by_their_values_alone() {
    // Headers that say nothing: the validators and the column rates must find the data.
    let headers = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"];
    let findings = scan(&citizens(&headers));
    let expected = [
        ("c1", PiiKind::PersonName),
        ("c2", PiiKind::DateOfBirth),
        ("c4", PiiKind::Cccd),
        ("c5", PiiKind::MobilePhone),
        ("c6", PiiKind::Email),
        ("c8", PiiKind::PersonalTaxCode),
    ];
    assert_eq!(kinds(&findings), expected);
    assert!(findings.iter().all(|f| f.basis == Basis::Values));
}

#[test]
fn enterprises_with_public_contacts_have_only_their_tax_codes_reported() {
    let mut rng = Rng(11);
    let mut rows = Vec::new();
    for i in 0..30 {
        let name = format!(
            "{} {} {}",
            rng.pick(&["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã"]),
            rng.pick(&["Sông Hàn", "Minh Phát", "Ánh Dương"]),
            i
        );
        let mut mst = tax_code(&mut rng);
        if i % 5 == 0 {
            mst = format!("{mst}-00{}", 1 + i % 9); // a branch
        }
        let phone = match i % 3 {
            0 => format!("1900 {}", rng.digits(4)),
            1 => format!("1800 {}", rng.digits(4)),
            _ => format!("0236 3{}", rng.digits(6)),
        };
        let email = format!("{}@{}.gov.vn", rng.pick(&["vanthu", "sokhdt", "hotro"]), rng.pick(&["danang", "hue"]));
        let address = format!("Số {} Đường Trần Phú, Phường Hải Châu", rng.below(300));
        let capital = format!("{}.000.000.000", 1 + rng.below(900));
        rows.push(vec![
            (i + 1).to_string(),
            name,
            mst,
            address,
            phone,
            email,
            (1990 + rng.below(35)).to_string(),
            capital,
        ]);
    }
    let header =
        ["STT", "Tên doanh nghiệp", "Mã số thuế", "Địa chỉ", "Điện thoại", "Email", "Năm thành lập", "Vốn điều lệ"];
    let findings = scan(&write_csv(&header, &rows));
    assert_eq!(kinds(&findings), [("Mã số thuế", PiiKind::EnterpriseTaxCode)]);
    assert_eq!(findings[0].rows_matched, 30);
    assert_eq!(PiiKind::EnterpriseTaxCode.risk(), Risk::Low);
    // The same codes without a header still read as enterprise tax codes, from the names beside them.
    let header = ["STT", "Tên doanh nghiệp", "x", "Địa chỉ", "Điện thoại", "Email", "Năm thành lập", "Vốn điều lệ"];
    assert_eq!(kinds(&scan(&write_csv(&header, &rows))), [("x", PiiKind::EnterpriseTaxCode)]);
}

#[test]
fn ordinary_statistics_are_never_flagged() {
    let provinces = include_str!("../../tests/fixtures/encodings/provinces-2025.utf8.csv");
    assert_eq!(scan(provinces), []);
    let mut rng = Rng(3);
    let mut rows = Vec::new();
    for i in 0..200u64 {
        rows.push(vec![
            format!("{:05}", 4 + i * 3),                      // ward code
            format!("{:02}", 1 + rng.below(96)),              // province code
            (2015 + rng.below(11)).to_string(),               // year
            (1_000 + rng.below(900_000)).to_string(),         // population
            format!("{},{}", rng.below(900), rng.below(100)), // area, decimal comma
            rng.digits(9),                                    // an amount in VND
            format!("1{}", rng.digits(11)),                   // a 12-digit record number
            format!("{:02}/{:02}/20{:02}", 1 + rng.below(28), 1 + rng.below(12), rng.below(25)),
            rng.pick(&["Kinh", "Tày", "Thái"]).to_string(),
        ]);
    }
    let header = ["ma_xa", "ma_tinh", "nam", "dan_so", "dien_tich", "gia_tri", "so_ho_so", "ngay_ban_hanh", "dan_toc"];
    assert_eq!(scan(&write_csv(&header, &rows)), []);
}

#[test]
fn one_stray_number_does_not_flag_a_column_but_a_header_does() {
    let mut rows: Vec<Vec<String>> = (0..19).map(|i| vec![format!("Ghi chú số {i}")]).collect();
    rows.push(vec!["0912345678".into()]);
    assert_eq!(scan(&write_csv(&["ghi_chu"], &rows)), []);
    let findings = scan(&write_csv(&["so_dien_thoai"], &rows));
    assert_eq!(kinds(&findings), [("so_dien_thoai", PiiKind::MobilePhone)]);
    assert_eq!(
        (findings[0].rows_matched, findings[0].rows_seen, findings[0].example_rows.as_slice()),
        (1, 20, &[21][..])
    );
}

#[test]
fn dates_and_categories_beside_people_depend_on_the_header() {
    let rows: Vec<Vec<String>> =
        (0..6).map(|i| vec![format!("Trần Văn {}", GIVEN[i]), format!("0{}/05/2020", i + 1), "Kinh".into()]).collect();
    let findings = scan(&write_csv(&["Họ tên", "Ngày cấp", "Dân tộc"], &rows));
    assert_eq!(kinds(&findings), [("Họ tên", PiiKind::PersonName), ("Dân tộc", PiiKind::Ethnicity)]);
    let findings = scan(&write_csv(&["Họ tên", "Ngày", "Dân tộc"], &rows));
    assert!(kinds(&findings).contains(&("Ngày", PiiKind::DateOfBirth)));
    // Without people, "dân tộc" is a statistics category.
    let stats: Vec<Vec<String>> = (0..6).map(|i| vec![GIVEN[i].to_string(), (100 * i).to_string()]).collect();
    assert_eq!(scan(&write_csv(&["Dân tộc", "Số người"], &stats)), []);
}

#[test]
fn validators() {
    const YEAR: i32 = 2026;
    // The worked example of VIETNAM-NOTES §2 (Thông tư 105/2020/TT-BTC check digit).
    assert!(tax_code_valid("0100047516"));
    assert!(!tax_code_valid("0100047517"));
    assert_eq!(digit_signals("0100047516001", YEAR), [Sig::Tax13, Sig::Account]);
    assert!(digit_signals("0100047516000", YEAR).iter().all(|s| *s != Sig::Tax13));
    assert_eq!(cccd("001090012345", YEAR), Cccd::Valid);
    assert_eq!(cccd("003090012345", YEAR), Cccd::UnknownPrefix); // 003 is not a province
    assert_eq!(cccd("001490012345", YEAR), Cccd::No); // born in the 2100s
    assert_eq!(cccd("001230012345", YEAR), Cccd::No); // born in 2030
    assert!(digit_signals("1090012345", YEAR).contains(&Sig::Digits10)); // leading zero lost: 10 digits…
    assert!(digit_signals("79090012345", YEAR).contains(&Sig::Id12)); // …or 11, put back
    for phone in ["0912345678", "+84 912 345 678", "84912345678", "0912.345.678", "(+84) 912-345-678", "0559 123 456"] {
        assert!(digits(phone).is_some_and(|d| digit_signals(&d, YEAR).contains(&Sig::Mobile)), "{phone}");
    }
    for not_mobile in ["0951234567", "02438264242", "19001234", "1800 5888", "0236 3822 123", "912345678"] {
        assert!(digits(not_mobile).is_some_and(|d| !digit_signals(&d, YEAR).contains(&Sig::Mobile)), "{not_mobile}");
    }
    assert!(digit_signals("02438264242", YEAR).contains(&Sig::Landline));
    let card: String = "970436000000000".to_string();
    let full = (0..10).map(|c| format!("{card}{c}")).find(|d| luhn(d)).unwrap();
    assert!(digit_signals(&full, YEAR).contains(&Sig::Card));
    assert!(!luhn(&format!("{}{}", &full[..15], (full.as_bytes()[15] - b'0' + 1) % 10)));
    assert_eq!(email("Nguyen.An_90@gmail.com"), Some(false));
    assert_eq!(email("vanthu@danang.GOV.VN"), Some(true));
    assert_eq!((email("a@b"), email("@x.vn"), email("a b@x.vn")), (None, None, None));
    assert_eq!(date_year("12/03/1985"), Some(1985));
    assert_eq!(date_year("1985-03-12"), Some(1985));
    assert_eq!(date_year("1/7/2025 00:00:00"), Some(2025));
    assert_eq!(date_year("29/02/2024"), Some(2024));
    assert_eq!((date_year("29/02/2023"), date_year("12/13/1985"), date_year("21.0001")), (None, None, None));
    assert!(is_bhyt("DN4797932123456") && is_bhyt("GD 4 79 7932123456") && !is_bhyt("DN6797932123456"));
    for plate in ["30A-123.45", "51G-12345", "29-B1 123.45", "29LD-012.34"] {
        assert!(is_plate(plate), "{plate}");
    }
    for not_plate in ["123/QĐ-UBND", "01A-12", "A1-12345", "3359,82"] {
        assert!(!is_plate(not_plate), "{not_plate}");
    }
    assert!(is_name_like("Nguyễn Thị Hường", "nguyen thi huong") && is_name_like("TRẦN VĂN ĐỨC", "tran van duc"));
    assert!(!is_name_like("Thành phố Hà Nội", "thanh pho ha noi") && !is_name_like("Nguyễn", "nguyen"));
}

#[test]
fn headers_with_and_without_diacritics() {
    let has = |h: &str, hint: Hint| header_hints(h) & (1 << hint as u32) != 0;
    for h in ["Số CCCD", "so_cccd", "SoCCCD", "Căn cước công dân", "Số định danh cá nhân"] {
        assert!(has(h, Hint::Cccd), "{h}");
    }
    for h in ["CMND", "Số chứng minh nhân dân", "CMND/CCCD"] {
        assert!(has(h, Hint::Cmnd), "{h}");
    }
    for h in ["Điện thoại", "SĐT", "so_dien_thoai", "SoDienThoai", "Phone", "ĐT di động"] {
        assert!(has(h, Hint::Phone), "{h}");
    }
    for h in ["Họ và tên", "ho_ten", "HoVaTen", "Full name"] {
        assert!(has(h, Hint::PersonName), "{h}");
    }
    for h in ["Ngày sinh", "ngay_sinh", "NgaySinh", "Năm sinh", "NS", "DOB", "Date of birth"] {
        assert!(has(h, Hint::Dob), "{h}");
    }
    assert!(has("E-mail", Hint::Email) && has("Mã số thuế", Hint::TaxCode) && has("MST", Hint::TaxCode));
    assert!(!has("Amsterdam", Hint::TaxCode) && !has("Dân số", Hint::Dob) && !has("Tên tỉnh", Hint::PersonName));
    assert!(has("Đơn vị công tác", Hint::Workplace) && has("Tên đường", Hint::NotPerson));
}

#[test]
fn kind_names() {
    let all = [PiiKind::Cccd, PiiKind::MobilePhone, PiiKind::EnterpriseTaxCode, PiiKind::Ethnicity];
    assert_eq!(
        all.map(PiiKind::vi),
        ["số định danh cá nhân / CCCD", "số điện thoại di động", "mã số thuế doanh nghiệp", "dân tộc"]
    );
    assert_eq!(PiiKind::Cccd.to_string(), "personal identification number (CCCD)");
    assert_eq!(all.map(PiiKind::risk), [Risk::Personal, Risk::Personal, Risk::Low, Risk::Sensitive]);
}
