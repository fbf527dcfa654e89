//! Benchmark of search (issue 4): generates a portal of N datasets with varied Vietnamese
//! titles (30 topics × the 63 old and 34 new provinces × years, 60 publishers, 12 themes),
//! loads it, then prints: the time to build the tantivy index and the browser index, their
//! sizes, a terminal query's time, and the bytes a first-time visitor's browser downloads for
//! typical queries — measured by running the real search.js under node over the written files
//! (every file it asks for is counted once). Not a test: run it and quote the figures.
//!
//!     cargo bench --bench search -- 10000        (default N = 10000)

use odp::render::I18n;
use odp::search::{aliases, browser, docs, index, query};
use std::path::Path;
use std::time::Instant;

const TOPICS: [&str; 30] = [
    "Dân số",
    "Trường học",
    "Cơ sở y tế",
    "Giá đất",
    "Chất lượng không khí",
    "Đường giao thông",
    "Doanh nghiệp đăng ký mới",
    "Hộ nghèo",
    "Diện tích lúa",
    "Sản lượng thủy sản",
    "Ngân sách",
    "Chợ",
    "Bến xe",
    "Điểm du lịch",
    "Di tích lịch sử",
    "Bệnh viện",
    "Trạm quan trắc nước",
    "Lao động việc làm",
    "Tai nạn giao thông",
    "Cấp phép xây dựng",
    "Dịch vụ công trực tuyến",
    "Thủ tục hành chính",
    "Đơn vị hành chính",
    "Khu công nghiệp",
    "Hợp tác xã",
    "Rừng trồng",
    "Thư viện",
    "Nhà văn hóa",
    "Giá cả thị trường",
    "Lượng mưa",
];
const DEPARTMENTS: [&str; 12] = [
    "Nội vụ",
    "Tài chính",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Xây dựng",
    "Công Thương",
    "Nông nghiệp và Môi trường",
    "Khoa học và Công nghệ",
    "Văn hóa, Thể thao và Du lịch",
    "Tư pháp",
    "Dân tộc và Tôn giáo",
    "Ngoại vụ",
];
const THEMES: [&str; 12] = [
    "Dân cư",
    "Y tế",
    "Giáo dục",
    "Kinh tế",
    "Giao thông",
    "Môi trường",
    "Nông nghiệp",
    "Văn hóa",
    "Hành chính",
    "Xây dựng",
    "Khoa học",
    "Du lịch",
];

fn places() -> Vec<String> {
    let csv = include_str!("../datasets/chuyen-doi-don-vi-hanh-chinh-cap-tinh-2025/mapping.csv");
    let mut out: Vec<String> = Vec::new();
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        for name in [cols[1], cols[3]] {
            let short = name.trim_start_matches("Tỉnh ").trim_start_matches("Thành phố ").to_string();
            if !out.contains(&short) {
                out.push(short);
            }
        }
    }
    out
}

fn generate(root: &Path, n: usize) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let mut portal = String::from(
        "[portal]\ntitle = \"Cổng dữ liệu mở (bench)\"\ndescription = \"Cổng dữ liệu tổng hợp để đo hiệu năng.\"\n\
         base_url = \"https://bench.example.gov.vn/\"\nlanguages = [\"vi\", \"en\"]\ndefault_license = \"dieu-khoan\"\n",
    );
    for (i, t) in THEMES.iter().enumerate() {
        portal.push_str(&format!("\n[[themes]]\nid = \"th-{i}\"\ntitle = \"{t}\"\n"));
    }
    portal.push_str(
        "\n[[licenses]]\nid = \"dieu-khoan\"\ntitle = \"Điều khoản sử dụng dữ liệu mở\"\nurl = \"/terms/\"\n",
    );
    portal.push_str("\n[[licenses]]\nid = \"cc-by\"\ntitle = \"CC BY 4.0\"\nurl = \"https://creativecommons.org/licenses/by/4.0/\"\n");
    w("portal.toml", &portal);
    w("content/terms.md", "+++\ntitle = \"Điều khoản\"\n+++\nĐược tự do sử dụng, phải trích dẫn nguồn.\n");
    let places = places();
    for p in 0..60 {
        let dep = DEPARTMENTS[p % DEPARTMENTS.len()];
        let place = &places[p % places.len()];
        w(
            &format!("content/publishers/so-{p}.md"),
            &format!(
                "+++\nname = \"Sở {dep} {place}\"\n[contact]\nname = \"Văn phòng\"\nemail = \"p{p}@example.gov.vn\"\n+++\nMô tả.\n"
            ),
        );
    }
    for i in 0..n {
        let topic = TOPICS[i % TOPICS.len()];
        let place = &places[(i / TOPICS.len()) % places.len()];
        let year = 2015 + (i * 7) % 11;
        let theme = i % THEMES.len();
        let format = ["CSV", "XLSX", "JSON"][i % 3];
        let ext = format.to_lowercase();
        let dir = format!("datasets/ds-{i:05}");
        w(
            &format!("{dir}/dataset.toml"),
            &format!(
                "title = \"{topic} {place} năm {year}\"\n\
                 description = \"Số liệu {} trên địa bàn {place} năm {year}, do sở tổng hợp từ báo cáo của các phường, xã; \
                 dùng cho người dân, doanh nghiệp và cơ quan nhà nước tra cứu. Bộ số {i}.\"\n\
                 publisher = \"so-{}\"\ntheme = [\"th-{theme}\"]\nfrequency = \"annual\"\n\
                 keywords = [\"{topic}\", \"{place}\", \"năm {year}\"]\nlicense = \"{}\"\n\
                 issued = 2025-01-01\nmodified = 2025-06-30\n\n\
                 [[resources]]\nid = \"data\"\ntitle = \"Dữ liệu\"\npath = \"data.{ext}\"\nformat = \"{format}\"\n",
                topic.to_lowercase(),
                i % 60,
                if i % 7 == 0 { "cc-by" } else { "dieu-khoan" },
            ),
        );
        w(&format!("{dir}/data.{ext}"), "x");
    }
}

fn dir_size(p: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in walkdir::WalkDir::new(p).into_iter().flatten() {
        if e.file_type().is_file() {
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            files += 1;
        }
    }
    (bytes, files)
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    generate(root, n);
    let (portal, diags) = odp::load::load(root).unwrap();
    let portal = portal.unwrap_or_else(|| panic!("{:?}", diags.sorted()));
    let i18n = I18n::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n.toml")).unwrap();

    let t = Instant::now();
    let docs = docs::documents(&portal);
    let t_docs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let files = browser::files(&portal, &docs, &i18n);
    let t_browser = t.elapsed().as_secs_f64();
    let site = root.join("site");
    for (rel, bytes) in &files {
        let p = site.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let t = Instant::now();
    let dir = index::dir(root);
    index::write(&dir, &docs).unwrap();
    let t_tantivy = t.elapsed().as_secs_f64();
    let (b_bytes, b_files) = dir_size(&site.join("search"));
    let (x_bytes, x_files) = dir_size(&dir);
    println!("{} searchable datasets", docs.len());
    println!("documents from the portal: {t_docs:.2} s");
    println!("browser index: {t_browser:.2} s, {b_files} files, {:.1} MB", b_bytes as f64 / 1e6);
    println!("tantivy index: {t_tantivy:.2} s, {x_files} files, {:.1} MB", x_bytes as f64 / 1e6);
    println!("total index size: {:.1} MB", (b_bytes + x_bytes) as f64 / 1e6);

    let queries = ["dan so ha noi", "benh vien", "soc trang", "tphcm giá đất 2020"];
    let table = aliases::table();
    for q in queries {
        let plan = query::plan(q, &table);
        let t = Instant::now();
        let r = index::search(&dir, &plan, &index::Filters::default(), 10).unwrap();
        println!("odp search {q:?}: {} results in {:.1} ms", r.total, t.elapsed().as_secs_f64() * 1e3);
    }
    let out = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search-node.cjs"))
        .arg("query")
        .arg(format!("{}/", site.join("search").display()))
        .args(queries)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        println!(
            "browser {}: {} results, {} files, {:.1} KB downloaded (first visit, first 10 results shown)",
            v["q"],
            v["results"],
            v["files"],
            v["bytes"].as_f64().unwrap() / 1000.0
        );
    }
}
