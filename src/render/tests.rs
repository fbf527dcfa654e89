//! Tests of the render module on a hand-built sample portal, rendered with the default theme.

use super::*;
use crate::diag::Pos;
use crate::model::*;
use std::collections::BTreeMap;

fn at<T>(v: T) -> At<T> {
    At::new(v, Pos::FILE)
}

fn text(vi: &str, en: Option<&str>) -> Text {
    Text::new(vi, en.map(str::to_string))
}

fn field(name: &str, title: &str, ty: FieldType) -> Field {
    Field {
        name: at(name.to_string()),
        title: text(title, None),
        description: None,
        ty,
        format: None,
        unit: None,
        required: false,
        unique: false,
        enum_values: vec![],
        minimum: None,
        maximum: None,
        pattern: None,
        references: None,
        public_reason: None,
    }
}

fn dataset(id: &str, title: &str) -> Dataset {
    Dataset {
        id: id.into(),
        source: format!("datasets/{id}/dataset.toml"),
        dir: format!("datasets/{id}"),
        title: text(title, None),
        description: text(
            "Mô tả **bộ dữ liệu** đủ dài để thử nghiệm trang.",
            Some("A dataset description long enough."),
        ),
        readme: None,
        publisher: at("so-noi-vu".into()),
        themes: vec![at("hanh-chinh".into())],
        frequency: at("annual".into()),
        keywords: vec!["đơn vị hành chính".into()],
        license: at("dieu-khoan".into()),
        issued: Some("2025-07-01".into()),
        modified: Some("2025-07-15".into()),
        spatial: None,
        temporal: None,
        version: None,
        rights: None,
        status: Status::Active,
        status_reason: None,
        status_date: None,
        aliases: vec![],
        contact: None,
        resources: vec![],
    }
}

/// A small portal: a code list, a dataset referencing it (with an XSS title), a data service,
/// a deprecated and a withdrawn dataset; Vietnamese and English content pages.
pub(crate) fn sample_portal() -> Portal {
    let mut code = field("ma_tinh", "Mã tỉnh", FieldType::String);
    code.required = true;
    code.unique = true;
    code.pattern = Some("^[0-9]{2}$".into());
    let mut provinces = dataset("don-vi-hanh-chinh-cap-tinh-2025", "Danh mục đơn vị hành chính cấp tỉnh năm 2025");
    provinces.title.en = Some("Provinces of Viet Nam, 2025".into());
    provinces.keywords = vec!["tỉnh".into(), "Đơn vị hành chính".into()];
    provinces.temporal = Some(Temporal { start: "2025-07-01".into(), end: None });
    provinces.resources.push(Resource {
        id: "provinces".into(),
        title: text("Danh sách tỉnh, thành phố", Some("Provinces and cities")),
        description: Some(text("Danh sách 34 tỉnh, thành phố.", None)),
        kind: ResourceKind::File(FileResource {
            path: at("provinces.csv".into()),
            format: "CSV".into(),
            extension: "csv".into(),
            sheet: None,
            schema: Some(Schema {
                fields: vec![code, {
                    let mut f = field("dien_tich", "Diện tích", FieldType::Number);
                    f.title.en = Some("Area".into());
                    f.unit = Some("km²".into());
                    f.minimum = Some(Bound::Number(0.0));
                    f
                }],
                primary_key: vec![at("ma_tinh".into())],
                decimal_char: Some(",".into()),
                group_char: Some(".".into()),
                source: "datasets/don-vi-hanh-chinh-cap-tinh-2025/dataset.toml".into(),
            }),
            facts: Some(FileFacts {
                bytes: 1_234_567,
                sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                rows: Some(3321),
                preview: vec![
                    vec!["ma_tinh".into(), "dien_tich".into()],
                    vec!["01".into(), "3.359,8".into()],
                    vec!["04".into(), "<b>x</b>".into()],
                ],
                empty_counts: vec![0, 33],
                ..FileFacts::default()
            }),
        }),
    });

    let mut communes = dataset("xa-2025", "<script>alert(1)</script> Danh mục xã");
    communes.contact = Some(ContactPoint {
        name: "Phòng Thống kê".into(),
        email: "tk@example.gov.vn".into(),
        phone: Some("0234 3822 000".into()),
    });
    communes.keywords = vec!["dân số".into(), "Dân số".into()];
    let mut province_ref = field("ma_tinh", "Mã tỉnh", FieldType::String);
    province_ref.references = Some(at(FieldRef {
        dataset: "don-vi-hanh-chinh-cap-tinh-2025".into(),
        resource: "provinces".into(),
        field: "ma_tinh".into(),
    }));
    let mut tax = field("ma_so_thue", "Mã số thuế", FieldType::String);
    tax.public_reason = Some("Mã số thuế doanh nghiệp là thông tin công khai".into());
    communes.resources.push(Resource {
        id: "communes".into(),
        title: text("Danh sách xã", None),
        description: None,
        kind: ResourceKind::File(FileResource {
            path: at("communes.csv".into()),
            format: "CSV".into(),
            extension: "csv".into(),
            sheet: None,
            schema: Some(Schema {
                fields: vec![province_ref, tax],
                primary_key: vec![],
                decimal_char: None,
                group_char: None,
                source: String::new(),
            }),
            facts: None,
        }),
    });
    communes.resources.push(Resource {
        id: "api".into(),
        title: text("Dịch vụ tra cứu", None),
        description: Some(text("Tra cứu đơn vị hành chính theo mã.", None)),
        kind: ResourceKind::Service(ServiceResource {
            url: "https://api.example.gov.vn/dvhc/v1/".into(),
            provider: None,
            sharing: Some("Công khai".into()),
            data_structure: Some("JSON".into()),
            connection_model: None,
            method: Some("GET".into()),
            requirements: None,
            documentation: Some("javascript:alert(1)".into()),
        }),
    });

    let mut old = dataset("cu-2024", "Ấp cũ 2024");
    old.status = Status::Deprecated;
    old.status_reason = Some("Đã có bản 2025".into());
    old.status_date = Some("2025-07-01".into());
    old.issued = Some("2024-01-01".into());
    let mut gone = dataset("rut-lai", "Bộ dữ liệu đã rút");
    gone.status = Status::Withdrawn;
    gone.status_reason = Some("Chứa thông tin cá nhân".into());
    gone.status_date = Some("2025-08-01".into());
    gone.keywords = vec!["chỉ ở bộ đã rút".into()];

    let mut publishers = BTreeMap::new();
    publishers.insert(
        "so-noi-vu".to_string(),
        Publisher {
            id: "so-noi-vu".into(),
            name: text("Sở Nội vụ", Some("Department of Home Affairs")),
            website: Some("https://sonoivu.example.gov.vn".into()),
            contact: ContactPoint {
                name: "Phòng Chính quyền địa phương".into(),
                email: "cqdp@example.gov.vn".into(),
                phone: None,
            },
            description: "Cơ quan tham mưu về **nội vụ**. <iframe src=x></iframe>".into(),
            source: "content/publishers/so-noi-vu.md".into(),
        },
    );
    let page = |slug: &str, lang, title: &str, menu| Page {
        slug: slug.into(),
        lang,
        title: title.into(),
        description: None,
        menu,
        body: "## Mục một\n\nXem [điều khoản](/terms/).\n\n[bad](javascript:alert(1))".into(),
        source: String::new(),
    };
    let mut datasets = vec![provinces, communes, old, gone];
    datasets.sort_by(|a, b| a.id.cmp(&b.id));
    Portal::new(
        PortalConfig {
            title: text("Cổng dữ liệu mở tỉnh Demo", Some("Demo Province Open Data Portal")),
            description: text("Dữ liệu mở của tỉnh Demo.", Some("Open data of Demo province.")),
            base_url: "https://data.example.gov.vn/du-lieu/".into(),
            path_prefix: "/du-lieu/".into(),
            languages: vec![Lang::Vi, Lang::En],
            default_license: "dieu-khoan".into(),
            freshness: Default::default(),
            footer: Some(text("Cổng mẫu. [Điều khoản](/terms/)", Some("Sample portal. [Terms](/en/terms/)"))),
            themes: vec![
                Theme {
                    id: "hanh-chinh".into(),
                    title: text("Hành chính", Some("Administration")),
                    description: None,
                    dcat: Some("GOVE".into()),
                },
                Theme { id: "y-te".into(), title: text("Y tế", Some("Health")), description: None, dcat: None },
            ],
            licenses: vec![License {
                id: "dieu-khoan".into(),
                title: text("Điều khoản sử dụng dữ liệu mở", Some("Open data terms")),
                url: "/terms/".into(),
                spdx: None,
            }],
            frequencies: vec![],
        },
        publishers,
        vec![
            page("about", Lang::Vi, "Giới thiệu", Some(10)),
            page("about", Lang::En, "About", Some(10)),
            page("terms", Lang::Vi, "Điều khoản sử dụng", Some(20)),
            page("guide/agencies", Lang::Vi, "Hướng dẫn cho cơ quan", None),
        ],
        datasets,
        Vec::new(),
    )
}

pub(crate) fn sample_site() -> Site {
    Site { base_url: "https://data.example.gov.vn/du-lieu/".into(), prefix: "/du-lieu/".into() }
}

pub(crate) fn renderer() -> Renderer {
    Renderer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")).expect("default theme loads")
}

fn render(r: &Renderer, lang: Lang, kind: PageKind) -> String {
    let bytes = r.render(&sample_portal(), &sample_site(), &SitePage::new(lang, kind)).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn site_pages_lists_every_output_path() {
    let pages = site_pages(&sample_portal());
    let paths: Vec<String> = pages.iter().map(SitePage::output_path).collect();
    for p in [
        "index.html",
        "en/index.html",
        "404.html",
        "en/404.html",
        "datasets/index.html",
        "datasets/xa-2025/index.html",
        "en/datasets/rut-lai/index.html",
        "publishers/so-noi-vu/index.html",
        "themes/y-te/index.html",
        "keywords/dan-so/index.html",
        "keywords/chi-o-bo-da-rut/index.html",
        "about/index.html",
        "en/about/index.html",
        "guide/agencies/index.html",
        "terms/index.html",
        "search/index.html",
        "en/search/index.html",
    ] {
        assert!(paths.contains(&p.to_string()), "{p} missing from {paths:?}");
    }
    // Content pages exist only in the languages that have a file.
    assert!(!paths.contains(&"en/terms/index.html".to_string()));
    assert!(!paths.contains(&"en/guide/agencies/index.html".to_string()));
    // One keyword page per slug, sorted, no duplicates.
    assert_eq!(paths.iter().filter(|p| p.as_str() == "keywords/dan-so/index.html").count(), 1);
    let mut sorted = pages.clone();
    sorted.sort();
    assert_eq!(pages, sorted);
    // 4 datasets × 2 languages.
    assert_eq!(pages.iter().filter(|p| matches!(p.kind, PageKind::Dataset(_))).count(), 8);
}

#[test]
fn dataset_page_shows_facts_dictionary_and_preview() {
    let r = renderer();
    let html = render(&r, Lang::Vi, PageKind::Dataset("don-vi-hanh-chinh-cap-tinh-2025".into()));
    assert!(
        html.starts_with("<!doctype html><html lang=\"vi\">") || html.contains("<html lang=\"vi\">"),
        "{}",
        &html[..200]
    );
    assert!(html.contains("<h1>Danh mục đơn vị hành chính cấp tỉnh năm 2025</h1>"));
    assert!(html.contains("<code class=hash>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</code>"));
    assert!(html.contains("href=\"/du-lieu/datasets/don-vi-hanh-chinh-cap-tinh-2025/provinces.csv\""));
    assert!(
        html.contains("href=\"/du-lieu/datasets/don-vi-hanh-chinh-cap-tinh-2025/don-vi-hanh-chinh-cap-tinh-2025.zip\"")
    );
    assert!(html.contains("datapackage.json") && html.contains("SHA256SUMS"));
    assert!(html.contains("1,23 MB"), "size in Vietnamese style");
    assert!(html.contains("<dd>3.321</dd>"), "row count with Vietnamese grouping");
    // Dictionary row: name, title, type, unit, constraints; completeness 33 empty of 3321.
    assert!(
        html.contains("<th scope=row><code>dien_tich</code></th><td>Diện tích</td><td>số</td><td>km²</td>"),
        "{html}"
    );
    assert!(
        html.contains("<li>khóa chính</li><li>bắt buộc</li><li>không trùng</li><li>mẫu: <code>^[0-9]{2}$</code></li>")
    );
    assert!(html.contains("<li>≥ 0</li>"));
    assert!(html.contains("99%") && html.contains("100%"), "completeness");
    assert!(html.contains("dấu thập phân «,», dấu phân cách hàng nghìn «.»"));
    // Preview: header + escaped cell.
    assert!(html.contains("<th scope=col>ma_tinh</th><th scope=col>dien_tich</th>"));
    assert!(
        html.contains("<td>&lt;b>x&lt;/b></td>") || html.contains("<td>&lt;b&gt;x&lt;/b&gt;</td>"),
        "preview cell escaped"
    );
    assert!(html.contains("2 dòng đầu trong tổng số 3.321 dòng"));
    // Metadata, contact of the publisher, citation, terms link, keywords.
    assert!(html.contains("Hằng năm"));
    assert!(html.contains("<time datetime=\"2025-07-15\">15/07/2025</time>"));
    assert!(html.contains("từ 01/07/2025"));
    assert!(html.contains("href=\"mailto:cqdp@example.gov.vn\""));
    assert!(html.contains("Sở Nội vụ (2025). Danh mục đơn vị hành chính cấp tỉnh năm 2025. Cổng dữ liệu mở tỉnh Demo. https://data.example.gov.vn/du-lieu/datasets/don-vi-hanh-chinh-cap-tinh-2025/"));
    assert!(html.contains("href=\"/du-lieu/terms/\""));
    assert!(html.contains("href=\"/du-lieu/keywords/don-vi-hanh-chinh/\""));
    assert!(html.contains("href=\"/du-lieu/en/datasets/don-vi-hanh-chinh-cap-tinh-2025/\""), "language switch");
}

#[test]
fn titles_are_escaped_and_references_link_to_code_lists() {
    let r = renderer();
    let html = render(&r, Lang::Vi, PageKind::Dataset("xa-2025".into()));
    let body = &html[html.find("</title>").unwrap()..];
    assert!(!body.contains("<script>alert"), "title must be escaped");
    assert!(
        html.contains("&lt;script>alert(1)&lt;/script> Danh mục xã")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Danh mục xã")
    );
    assert!(html.contains("href=\"/du-lieu/datasets/don-vi-hanh-chinh-cap-tinh-2025/#res-provinces\""));
    assert!(html.contains("Danh mục đơn vị hành chính cấp tỉnh năm 2025 › Danh sách tỉnh, thành phố › ma_tinh"));
    assert!(html.contains("Lý do công khai: Mã số thuế doanh nghiệp là thông tin công khai"));
    // The dataset's own contact point, with a tel: link.
    assert!(html.contains("href=\"mailto:tk@example.gov.vn\"") && html.contains("href=\"tel:02343822000\""));
    // Without facts: no size, no hash, no completeness column.
    assert!(!html.contains("class=hash"));
    // The data service: all ten fields, provider defaulting to the publisher, unsafe docs URL not linked.
    assert!(html.contains("<dt>Đơn vị cung cấp</dt><dd>Sở Nội vụ</dd>"));
    assert!(html.contains("href=\"https://api.example.gov.vn/dvhc/v1/\""));
    assert!(!html.contains("href=\"javascript\""));
    assert!(html.contains("<dt>Mô hình kết nối</dt><dd><span class=muted>Chưa cung cấp</span>"));
    assert_eq!(
        html.matches("<dt>").count()
            - html.matches("<dt>Đơn vị</dt>").count()
            - html.matches("<dt>Thư điện tử</dt>").count()
            - html.matches("<dt>Điện thoại</dt>").count()
            - html.matches("<dt>Định dạng</dt>").count()
            - html.matches("<dt>Địa chỉ cố định</dt>").count(),
        10
    );
}

#[test]
fn english_pages_have_lang_en_and_english_labels() {
    let r = renderer();
    let html = render(&r, Lang::En, PageKind::Dataset("don-vi-hanh-chinh-cap-tinh-2025".into()));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h1>Provinces of Viet Nam, 2025</h1>"));
    assert!(html.contains("Data dictionary") && html.contains("Update frequency") && html.contains("Annual"));
    assert!(html.contains("1.23 MB") && html.contains("<dd>3,321</dd>"));
    assert!(html.contains("<time datetime=\"2025-07-15\">15 July 2025</time>"));
    assert!(html.contains("<td>Area</td><td>number</td>"));
    // No English terms page: the licence and terms links fall back to the Vietnamese page.
    assert!(html.contains("href=\"/du-lieu/terms/\""));
    assert!(html.contains("href=\"/du-lieu/en/publishers/so-noi-vu/\""));
    assert!(html.contains("hreflang=\"vi\" lang=\"vi\">Tiếng Việt</a>"));
    assert!(html.contains("action=\"/du-lieu/en/search/\""));
    // Vietnamese-only text on English pages is marked as Vietnamese for screen readers.
    assert!(html.contains("<ul class=\"tags tags-small\" lang=vi>"), "keywords");
    let xa = render(&r, Lang::En, PageKind::Dataset("xa-2025".into()));
    assert!(xa.contains("<h1 lang=vi>"), "title without English version");
    assert!(!html.contains("<h1 lang=vi>"), "title with an English version");
}

#[test]
fn listings_sort_in_vietnamese_and_hide_withdrawn() {
    let r = renderer();
    let html = render(&r, Lang::Vi, PageKind::Datasets);
    assert!(!html.contains("Bộ dữ liệu đã rút"), "withdrawn datasets are not listed");
    // Issue 6 §5: deprecated datasets leave listings too, and keep their page with the reason.
    assert!(!html.contains("Ấp cũ 2024"), "deprecated datasets are not listed");
    assert!(html.contains("2 bộ dữ liệu"));
    let old = render(&r, Lang::Vi, PageKind::Dataset("cu-2024".into()));
    assert!(old.contains("Không còn được khuyến nghị sử dụng"), "deprecated notice on its page");
    // The withdrawn dataset keeps a page that says why, without downloads.
    let gone = render(&r, Lang::Vi, PageKind::Dataset("rut-lai".into()));
    assert!(
        gone.contains("Đã ngừng công bố") && gone.contains("Chứa thông tin cá nhân") && gone.contains("01/08/2025")
    );
    assert!(!gone.contains(".zip"));
    // A keyword used only by a withdrawn dataset keeps its page, with nothing listed.
    let kw = render(&r, Lang::Vi, PageKind::Keyword("chi-o-bo-da-rut".into()));
    assert!(kw.contains("Chưa có bộ dữ liệu nào."));
    let kws = render(&r, Lang::Vi, PageKind::Keywords);
    assert!(!kws.contains("chỉ ở bộ đã rút"));
}

#[test]
fn home_menu_footer_and_content_pages() {
    let r = renderer();
    let home = render(&r, Lang::Vi, PageKind::Home);
    assert!(home.contains("<title>Cổng dữ liệu mở tỉnh Demo</title>"));
    assert!(home.contains("id=\"home-search-q\"") && !home.contains("id=\"site-search-q\""));
    assert!(home.contains("Hành chính") && home.contains("2 bộ dữ liệu"));
    assert!(home.contains("href=\"/du-lieu/about/\">Giới thiệu</a>"), "menu from content pages");
    assert!(!home.contains(">Hướng dẫn cho cơ quan</a>"), "pages without menu stay out of it");
    assert!(home.contains("Cổng mẫu. <a href=\"/du-lieu/terms/\">Điều khoản</a>"), "footer Markdown, prefixed link");
    let about = render(&r, Lang::Vi, PageKind::Content("about".into()));
    assert!(about.contains("<h2 id=\"muc-mot\">Mục một</h2>"));
    assert!(about.contains("<a href=\"/du-lieu/terms/\">điều khoản</a>"));
    assert!(about.contains(r##"<a href="#">bad</a>"##));
    assert!(about.contains("aria-current=page"));
    let publisher = render(&r, Lang::Vi, PageKind::Publisher("so-noi-vu".into()));
    assert!(publisher.contains("&lt;iframe src=x>") || publisher.contains("&lt;iframe src=x&gt;"));
    let nf = render(&r, Lang::En, PageKind::NotFound);
    assert!(nf.contains("<html lang=\"en\">") && nf.contains("Page not found") && nf.contains("noindex"));
    assert!(nf.contains("href=\"/du-lieu/assets/style.css?v="));
    assert_eq!(SitePage::new(Lang::En, PageKind::NotFound).output_path(), "en/404.html");
    assert!(
        r.render(&sample_portal(), &sample_site(), &SitePage::new(Lang::En, PageKind::Content("terms".into())))
            .is_err()
    );
}

#[test]
fn every_page_renders_without_duplicate_ids() {
    let r = renderer();
    let portal = sample_portal();
    for page in site_pages(&portal) {
        let html = String::from_utf8(r.render(&portal, &sample_site(), &page).unwrap()).unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for (i, _) in html.match_indices(" id=") {
            let rest = &html[i + 4..];
            let id: String =
                rest.trim_start_matches('"').chars().take_while(|c| !matches!(c, ' ' | '>' | '"')).collect();
            assert!(ids.insert(id.clone()), "duplicate id {id} in {}", page.output_path());
        }
    }
}

#[test]
fn static_files_are_listed() {
    let files = renderer().static_files().unwrap();
    assert!(files.iter().any(|(p, _)| p == "assets/style.css"), "{files:?}");
    assert!(files.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn template_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path();
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n.toml"), theme.join("i18n.toml"))
        .unwrap();
    std::fs::write(theme.join("templates/home.html"), "{% if %}").unwrap();
    let err = format!("{:#}", Renderer::load(theme).unwrap_err());
    assert!(err.contains("home.html"), "{err}");
}

/// Writes the sample portal's site into `$ODP_DUMP` (for looking at pages in a browser):
/// `ODP_DUMP=/tmp/sample cargo test --lib render::tests::dump -- --ignored`.
#[test]
#[ignore]
fn dump_sample_site() {
    let Ok(dir) = std::env::var("ODP_DUMP") else { return };
    let (r, portal, site) =
        (renderer(), sample_portal(), Site { base_url: "http://localhost:8000/".into(), prefix: "/".into() });
    for page in site_pages(&portal) {
        let out = Path::new(&dir).join(page.output_path());
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, r.render(&portal, &site, &page).unwrap()).unwrap();
    }
    for (rel, src) in r.static_files().unwrap() {
        let out = Path::new(&dir).join(rel);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::copy(src, out).unwrap();
    }
}

#[test]
fn minify_keeps_rcdata_safe() {
    let out = String::from_utf8(minify(b"<!DOCTYPE html><html lang=vi><head><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title></head><body><p>a</p></body></html>")).unwrap();
    println!("{out}");
    assert!(!out.contains("</title><script>"), "{out}");
}

#[test]
fn templates_are_minified_once_unless_a_tag_sits_between_attributes() {
    use super::minifiable_template as ok;
    assert!(ok(r#"<a href="{{ x.href }}" {{x|nav_attrs}}>{{ x.title }}</a>{% if a %}<p>b</p>{% endif %}"#));
    assert!(ok(r#"<form class="f{% if big %} big{% endif %}" action="{{ a }}">"#), "tags inside a quoted value");
    assert!(ok(r#"{{ <search_form action={site.search_action} id="q" /> }}"#), "component calls");
    assert!(!ok(r#"<a href="x"{% if c %} aria-current="page"{% endif %}>"#), "minify-html would sort these apart");
    assert!(!ok(r#"<p {{ x | lang_attr }}>"#), "an expression with spaces reads as several attributes");
    assert!(!ok(r#"<h{{ level }} class="t">x</h{{ level }}>"#), "templated tag name");
    assert!(!ok(r#"<p {# note #} class="a">"#));
}

#[test]
fn attribute_filters_write_their_leading_space() {
    let i18n = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n.toml");
    let tpl = "<p {{x|lang_attr}}>a</p>\n<p {{y|lang_attr}}>b</p>\n<a href=\"/\" {{n|nav_attrs}}>c</a>";
    let minified = super::minify_template("t.html", tpl);
    assert_eq!(minified, "<p{{x|lang_attr}}>a</p><p{{y|lang_attr}}>b</p><a href=/{{n|nav_attrs}}>c</a>");
    let mut tera = tera::Tera::new();
    super::register_filters(&mut tera, &super::I18n::load(&i18n).unwrap());
    tera.add_raw_template("t.html", &minified).unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("x", &Some("vi"));
    ctx.insert("y", &None::<&str>);
    ctx.insert("n", &serde_json::json!({ "current": true, "active": true }));
    assert_eq!(
        tera.render("t.html", &ctx).unwrap(),
        "<p lang=vi>a</p><p>b</p><a href=/ aria-current=page class=active>c</a>"
    );
}

#[test]
fn the_default_theme_is_minified_once_at_load() {
    // A `{% if %}` between attributes in a default template would silently fall back to
    // minifying every page (a fifth of a large build): keep the theme in the fast form.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        assert!(super::minifiable_template(&src), "{}: a template tag sits inside a start tag", path.display());
    }
}

#[test]
fn escaping_is_teras_byte_for_byte() {
    for input in ["", "plain", "Hà Nội & <b>\"x\"</b> it's", "&&<<>>\"\"''", "đ'", "a&b"] {
        let (mut ours, mut teras) = (Vec::new(), Vec::new());
        super::escape_html(input, &mut ours).unwrap();
        tera::escape_html(input, &mut teras).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap(), "{input}");
    }
}

#[test]
fn a_short_listing_built_alone_equals_the_same_listing_cut_from_all_items() {
    // Two datasets of `so-noi-vu` (the same title: their order must not depend on the path) and
    // sixteen of another publisher: the publisher page is first built alone (`Cx::listed`'s
    // short path), then again after the full listing built every item.
    let mut portal = sample_portal();
    portal.datasets.retain(|d| d.publisher.value != "so-noi-vu");
    for (i, title) in [(1, "Cùng một tên"), (0, "Cùng một tên")] {
        portal.datasets.push(dataset(&format!("cung-ten-{i}"), title));
    }
    for i in 0..16 {
        let mut d = dataset(&format!("khac-{i:02}"), &format!("Bộ khác {i}"));
        d.publisher = at("so-khac".into());
        portal.datasets.push(d);
    }
    let r = renderer();
    let page = |kind: PageKind| {
        String::from_utf8(r.render(&portal, &sample_site(), &SitePage::new(Lang::Vi, kind)).unwrap()).unwrap()
    };
    let alone = page(PageKind::Publisher("so-noi-vu".into()));
    assert!(portal.derived.listing_items[Lang::Vi as usize].get().is_none(), "built alone, no memo");
    page(PageKind::Datasets);
    assert!(portal.derived.listing_items[Lang::Vi as usize].get().is_some());
    assert_eq!(page(PageKind::Publisher("so-noi-vu".into())), alone);
    let first = alone.find("cung-ten-1").expect("listed");
    assert!(first < alone.find("cung-ten-0").expect("listed"), "same titles keep the portal's order");
}
