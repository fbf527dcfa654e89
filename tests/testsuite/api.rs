//! Issue 5: format copies, our JSON API, the CKAN-compatible static API, catalogues (DCAT-AP,
//! data.json, schema.org, sitemap, Atom) and the host rules, on the `api` fixture (a table in
//! Vietnamese number and date formats) and on the demo portal (every URL its data-service
//! dataset and the API guide promise exists).

use crate::harness::{Repo, manifest_dir};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn built() -> Repo {
    let repo = Repo::fixture("api");
    let run = repo.odp(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    repo
}

fn read_json(repo: &Repo, rel: &str) -> Value {
    serde_json::from_str(&repo.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn format_copies_are_typed_by_the_dictionary() {
    let repo = built();
    let dir = "site/datasets/chi-tieu/";
    assert_eq!(
        repo.read(&format!("{dir}chi-tieu.json")),
        "[\n\
         {\"ma_tinh\":\"01\",\"ten\":\"Hà Nội, thủ đô <1>\",\"dan_so\":8587100,\"dien_tich\":3359.97,\"ngay_bao_cao\":\"2025-07-01\",\"co_bien\":false,\"nam\":2024,\"toa_do\":[105.85,21.03]},\n\
         {\"ma_tinh\":\"22\",\"ten\":\"Quảng Ninh\",\"dan_so\":1381200,\"dien_tich\":6207.93,\"ngay_bao_cao\":\"2025-07-15\",\"co_bien\":true,\"nam\":2024,\"toa_do\":[107.08,20.95]},\n\
         {\"ma_tinh\":\"48\",\"ten\":\"Đà Nẵng\",\"dan_so\":null,\"dien_tich\":1284.73,\"ngay_bao_cao\":null,\"co_bien\":true,\"nam\":2023,\"toa_do\":null}\n\
         ]\n"
    );
    assert_eq!(
        repo.read(&format!("{dir}chi-tieu.xml")),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <table dataset=\"chi-tieu\" resource=\"chi-tieu\" source=\"chi-tieu.csv\">\n  \
         <row><ma_tinh>01</ma_tinh><ten>Hà Nội, thủ đô &lt;1&gt;</ten><dan_so>8587100</dan_so><dien_tich>3359.97</dien_tich><ngay_bao_cao>2025-07-01</ngay_bao_cao><co_bien>false</co_bien><nam>2024</nam><toa_do>105.85, 21.03</toa_do></row>\n  \
         <row><ma_tinh>22</ma_tinh><ten>Quảng Ninh</ten><dan_so>1381200</dan_so><dien_tich>6207.93</dien_tich><ngay_bao_cao>2025-07-15</ngay_bao_cao><co_bien>true</co_bien><nam>2024</nam><toa_do>107.08, 20.95</toa_do></row>\n  \
         <row><ma_tinh>48</ma_tinh><ten>Đà Nẵng</ten><dien_tich>1284.73</dien_tich><co_bien>true</co_bien><nam>2023</nam></row>\n\
         </table>\n"
    );
    // The CSV original is already UTF-8: the Excel copy is it with a byte-order mark.
    let original = std::fs::read(repo.path().join(format!("{dir}chi-tieu.csv"))).unwrap();
    let excel = std::fs::read(repo.path().join(format!("{dir}chi-tieu.excel.csv"))).unwrap();
    assert_eq!(excel[..3], [0xef, 0xbb, 0xbf]);
    assert_eq!(excel[3..], original[..]);
    // The XLSX reads back (with odp's own XLSX reader, calamine) as canonical cells.
    let mut sheet = odp::validate::sources::xlsx_rows(&repo.path().join(format!("{dir}chi-tieu.xlsx")), None).unwrap();
    use odp::validate::sources::RowSource;
    assert_eq!(sheet.header(), ["ma_tinh", "ten", "dan_so", "dien_tich", "ngay_bao_cao", "co_bien", "nam", "toa_do"]);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while sheet.next_row(&mut record).unwrap().is_some() {
        rows.push(record.iter().map(String::from).collect::<Vec<_>>());
    }
    assert_eq!(
        rows,
        [
            ["01", "Hà Nội, thủ đô <1>", "8587100", "3359.97", "2025-07-01", "false", "2024", "105.85, 21.03"],
            ["22", "Quảng Ninh", "1381200", "6207.93", "2025-07-15", "true", "2024", "107.08, 20.95"],
            ["48", "Đà Nẵng", "", "1284.73", "", "true", "2023", ""],
        ]
    );
}

#[test]
fn a_json_table_gets_a_canonical_csv_copy() {
    let repo = Repo::fixture("api");
    repo.write(
        "datasets/chi-tieu/chi_tieu.json",
        "[{\"ma_tinh\": \"01\", \"ten\": \"Thành phố Hà Nội\", \"dan_so\": 8587100, \"dien_tich\": 3359.97, \"ngay_bao_cao\": \"2025-07-01\", \"co_bien\": false, \"nam\": 2024, \"toa_do\": \"105.85, 21.03\"}]\n",
    );
    repo.edit(
        "datasets/chi-tieu/dataset.toml",
        "path = \"chi_tieu.csv\"",
        "path = \"chi_tieu.json\"\nformat = \"JSON\"",
    );
    std::fs::remove_file(repo.path().join("datasets/chi-tieu/chi_tieu.csv")).unwrap();
    let run = repo.odp(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "site/datasets/chi-tieu/";
    let canonical = "ma_tinh,ten,dan_so,dien_tich,ngay_bao_cao,co_bien,nam,toa_do\n\
                     01,Thành phố Hà Nội,8587100,3359.97,2025-07-01,false,2024,\"105.85, 21.03\"\n";
    assert_eq!(repo.read(&format!("{dir}chi-tieu.csv")), canonical);
    assert_eq!(repo.read(&format!("{dir}chi-tieu.excel.csv")), format!("\u{feff}{canonical}"));
    let files: Vec<String> = repo.tree(dir).into_keys().collect();
    assert_eq!(
        files,
        [
            "SHA256SUMS",
            "chi-tieu.csv",
            "chi-tieu.excel.csv",
            "chi-tieu.json",
            "chi-tieu.xlsx",
            "chi-tieu.xml",
            "chi-tieu.zip",
            "datapackage.json",
            "index.html"
        ]
    );
}

#[test]
fn copies_are_listed_with_size_and_hash() {
    let repo = built();
    let tree = repo.tree("site/datasets/chi-tieu");
    let sums: BTreeMap<String, String> = repo
        .read("site/datasets/chi-tieu/SHA256SUMS")
        .lines()
        .map(|l| {
            let (h, n) = l.split_once("  ").unwrap();
            (n.to_string(), h.to_string())
        })
        .collect();
    let dp = read_json(&repo, "site/datasets/chi-tieu/datapackage.json");
    let page = repo.read("site/datasets/chi-tieu/index.html");
    for name in ["chi-tieu.json", "chi-tieu.excel.csv", "chi-tieu.xlsx", "chi-tieu.xml"] {
        assert_eq!(sums[name], tree[name], "{name} in SHA256SUMS");
        let res = dp["resources"].as_array().unwrap().iter().find(|r| r["path"] == name).unwrap();
        assert_eq!(res["hash"], format!("sha256:{}", tree[name]));
        let bytes = std::fs::metadata(repo.path().join("site/datasets/chi-tieu").join(name)).unwrap().len();
        assert_eq!(res["bytes"], bytes);
        assert_eq!(res["odp:copyOf"], "chi-tieu.csv");
        assert!(page.contains(&tree[name]), "{name}'s SHA-256 on the page");
        assert!(page.contains(&format!("/du-lieu/datasets/chi-tieu/{name}")), "{name} linked on the page");
    }
    // Copies carry canonical schemas; the Excel CSV of a CSV original keeps the original's.
    let json_copy = dp["resources"].as_array().unwrap().iter().find(|r| r["path"] == "chi-tieu.json").unwrap();
    assert_eq!(
        json_copy["schema"]["fields"][3],
        json!({"name": "dien_tich", "type": "number", "title": "Diện tích", "odp:unit": "km²"})
    );
    assert_eq!(json_copy["schema"]["fields"][7]["format"], "array");
    let excel = dp["resources"].as_array().unwrap().iter().find(|r| r["path"] == "chi-tieu.excel.csv").unwrap();
    assert_eq!(excel["encoding"], "utf-8-sig");
    assert_eq!(excel["schema"]["fields"][3]["decimalChar"], ",");
    // The zip holds the originals and their own descriptor only.
    let zip =
        zip::ZipArchive::new(std::fs::File::open(repo.path().join("site/datasets/chi-tieu/chi-tieu.zip")).unwrap())
            .unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    names.sort();
    assert_eq!(names, ["README.md", "SHA256SUMS", "TERMS.md", "chi-tieu.csv", "datapackage.json"]);
}

#[test]
fn json_api_catalogue_and_dataset() {
    let repo = built();
    assert_eq!(
        read_json(&repo, "site/api/v1/catalog.json"),
        json!({
            "$schema": "https://example.gov.vn/du-lieu/api/v1/catalog.schema.json",
            "api_version": 1,
            "title": {"vi": "Cổng thử nghiệm", "en": "Test portal"},
            "description": {"vi": "Cổng dữ liệu mở dùng cho kiểm thử.", "en": "An open-data portal for tests."},
            "url": "https://example.gov.vn/du-lieu/",
            "languages": ["vi", "en"],
            "modified": "2025-04-02",
            "count": 1,
            "publishers": [{"id": "so-noi-vu", "name": {"vi": "Sở Nội vụ", "en": "Department of Home Affairs"}, "url": "https://example.gov.vn/du-lieu/publishers/so-noi-vu/"}],
            "themes": [{"id": "dan-cu", "title": {"vi": "Dân cư", "en": "Population"}, "url": "https://example.gov.vn/du-lieu/themes/dan-cu/"}],
            "datasets": [{
                "id": "chi-tieu",
                "title": {"vi": "Chỉ tiêu kinh tế – xã hội theo tỉnh", "en": "Socio-economic indicators by province"},
                "url": "https://example.gov.vn/du-lieu/datasets/chi-tieu/",
                "api_url": "https://example.gov.vn/du-lieu/api/v1/datasets/chi-tieu.json",
                "publisher": "so-noi-vu",
                "themes": ["dan-cu"],
                "keywords": ["chỉ tiêu", "kinh tế"],
                "license": "cc-by-4.0",
                "frequency": "quarterly",
                "issued": "2025-01-10",
                "modified": "2025-04-02",
                "status": "active",
                "formats": ["CSV", "JSON", "XLSX", "XML"],
            }],
        })
    );
    let d = read_json(&repo, "site/api/v1/datasets/chi-tieu.json");
    let tree = repo.tree("site/datasets/chi-tieu");
    let res = &d["resources"][0];
    assert_eq!(res["url"], "https://example.gov.vn/du-lieu/datasets/chi-tieu/chi-tieu.csv");
    assert_eq!(res["sha256"], tree["chi-tieu.csv"]);
    assert_eq!(res["rows"], 3);
    assert_eq!(res["schema"]["decimal_char"], ",");
    assert_eq!(
        res["copies"].as_array().unwrap().iter().map(|c| c["url"].as_str().unwrap()).collect::<Vec<_>>(),
        [
            "https://example.gov.vn/du-lieu/datasets/chi-tieu/chi-tieu.json",
            "https://example.gov.vn/du-lieu/datasets/chi-tieu/chi-tieu.excel.csv",
            "https://example.gov.vn/du-lieu/datasets/chi-tieu/chi-tieu.xlsx",
            "https://example.gov.vn/du-lieu/datasets/chi-tieu/chi-tieu.xml",
        ]
    );
    assert_eq!(d["themes"][0]["eu_data_theme"], "http://publications.europa.eu/resource/authority/data-theme/SOCI");
    assert_eq!(d["temporal"], json!({"start": "2024-01-01", "end": "2024-12-31"}));
    // The schemas are published beside the API and are JSON Schema 2020-12 documents.
    let schema = read_json(&repo, "site/api/v1/dataset.schema.json");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let schema_keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    let doc_keys: Vec<&String> = d.as_object().unwrap().keys().collect();
    assert_eq!(schema_keys, doc_keys, "every key of the document is described, in order");
}

#[test]
fn ckan_action_files() {
    let repo = built();
    let ckan = |action: &str| read_json(&repo, &format!("site/api/3/action/{action}"));
    let envelope =
        |result: Value| json!({"help": "https://example.gov.vn/du-lieu/api/", "success": true, "result": result});
    assert_eq!(ckan("package_list"), envelope(json!(["chi-tieu"])));
    assert_eq!(ckan("organization_list"), envelope(json!(["so-noi-vu"])));
    assert_eq!(ckan("group_list"), envelope(json!(["dan-cu"])));
    assert_eq!(ckan("tag_list"), envelope(json!(["chỉ tiêu", "kinh tế"])));
    assert_eq!(
        ckan("status_show"),
        envelope(json!({
            "site_title": "Cổng thử nghiệm",
            "site_description": "Cổng dữ liệu mở dùng cho kiểm thử.",
            "site_url": "https://example.gov.vn/du-lieu",
            "ckan_version": "2.11.0",
            "error_emails_to": null,
            "locale_default": "vi",
            "extensions": [],
        }))
    );
    let licences = ckan("license_list");
    let ids: Vec<&str> = licences["result"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["dieu-khoan", "cc-by-4.0"]);
    assert_eq!(licences["result"][0]["url"], "https://example.gov.vn/du-lieu/terms/");

    let pkg = ckan("package_show/chi-tieu");
    assert_eq!(pkg["success"], true);
    let p = &pkg["result"];
    assert_eq!(
        [&p["id"], &p["name"], &p["owner_org"], &p["organization"]["name"], &p["license_id"], &p["metadata_modified"]],
        [
            &json!("chi-tieu"),
            &json!("chi-tieu"),
            &json!("so-noi-vu"),
            &json!("so-noi-vu"),
            &json!("cc-by-4.0"),
            &json!("2025-04-02T00:00:00")
        ]
    );
    let tree = repo.tree("site/datasets/chi-tieu");
    let resources: Vec<(String, String, String)> = p["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["format"].as_str().unwrap().into(),
                r["url"].as_str().unwrap().into(),
                r["hash"].as_str().unwrap().into(),
            )
        })
        .collect();
    let base = "https://example.gov.vn/du-lieu/datasets/chi-tieu/";
    let expected: Vec<(String, String, String)> = [
        ("CSV", "chi-tieu.csv"),
        ("JSON", "chi-tieu.json"),
        ("CSV", "chi-tieu.excel.csv"),
        ("XLSX", "chi-tieu.xlsx"),
        ("XML", "chi-tieu.xml"),
    ]
    .iter()
    .map(|(f, n)| (f.to_string(), format!("{base}{n}"), format!("sha256:{}", tree[*n])))
    .collect();
    assert_eq!(resources, expected);
    assert_eq!(p["num_resources"], 5);
    let search = ckan("package_search");
    assert_eq!(search["result"]["count"], 1);
    assert_eq!(search["result"]["results"][0], pkg["result"]);
    assert_eq!(ckan("package_search_pages/0"), search);
    assert_eq!(ckan("organization_show/so-noi-vu")["result"]["package_count"], 1);
}

#[test]
fn host_rules_for_api_and_catalogues() {
    let repo = built();
    let headers = repo.read("site/_headers");
    for rule in [
        "/du-lieu/api/*\n  Access-Control-Allow-Origin: *\n",
        "/du-lieu/api/3/action/*\n  Content-Type: application/json; charset=utf-8\n",
        "/du-lieu/catalog.jsonld\n  Access-Control-Allow-Origin: *\n  Content-Type: application/ld+json; charset=utf-8\n",
        "/du-lieu/catalog.ttl\n  Access-Control-Allow-Origin: *\n  Content-Type: text/turtle; charset=utf-8\n",
        "/du-lieu/feed.xml\n  Access-Control-Allow-Origin: *\n  Content-Type: application/atom+xml; charset=utf-8\n",
        "/du-lieu/datasets/*/*.xlsx\n  Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\n",
        "/du-lieu/datasets/*/*.xml\n  Content-Type: application/xml; charset=utf-8\n",
    ] {
        assert!(headers.contains(rule), "missing rule:\n{rule}\nin\n{headers}");
    }
    let redirects = repo.read("site/_redirects");
    assert!(
        redirects.contains("/du-lieu/api/3/action/package_show  id=:v  /du-lieu/api/3/action/package_show/:v  200\n")
    );
    // Every query-string rule leads to a file that exists for some value.
    let site = repo.path().join("site");
    assert_eq!(
        resolve(&site, "/du-lieu/api/3/action/package_show?id=chi-tieu").as_deref(),
        Some("api/3/action/package_show/chi-tieu")
    );
    assert_eq!(resolve(&site, "/du-lieu/api/action/package_list").as_deref(), Some("api/3/action/package_list"));
    assert_eq!(
        resolve(&site, "/du-lieu/api/action/package_search?start=0&rows=10").as_deref(),
        Some("api/3/action/package_search_pages/0")
    );
    assert_eq!(
        resolve(&site, "/du-lieu/api/3/action/organization_show?id=so-noi-vu").as_deref(),
        Some("api/3/action/organization_show/so-noi-vu")
    );
    assert_eq!(resolve(&site, "/du-lieu/api/3/action/package_show?id=khong-co"), None);
}

/// The file a GET of `url` serves under Netlify's `_redirects` rules as odp writes them
/// (placeholders, one query parameter, a trailing splat, 200 rewrites, `!` forcing), `None` for
/// a 404. A test helper only: `odp serve` (issue 7) is the real implementation.
pub fn resolve(site: &Path, url: &str) -> Option<String> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let params: BTreeMap<&str, &str> = query.split('&').filter_map(|kv| kv.split_once('=')).collect();
    let exists = |p: &str| site.join(p.trim_start_matches('/')).is_file();
    let rules = std::fs::read_to_string(site.join("_redirects")).unwrap();
    let mut target = path.to_string();
    for line in rules.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (from, cond, to, status) = match parts.as_slice() {
            [from, cond, to, status] if cond.contains('=') => (*from, Some(*cond), *to, *status),
            [from, to, status] => (*from, None, *to, *status),
            _ => continue,
        };
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let matched = if let Some(prefix) = from.strip_suffix('*') {
            path.strip_prefix(prefix).map(|rest| vars.insert("splat".into(), rest.into())).is_some()
        } else {
            from == path
        };
        if !matched {
            continue;
        }
        if let Some(cond) = cond {
            let (key, var) = cond.split_once('=').unwrap();
            let Some(value) = params.get(key) else { continue };
            vars.insert(var.trim_start_matches(':').into(), value.to_string());
        }
        if !status.starts_with("200") || (exists(path) && !status.ends_with('!')) {
            break;
        }
        target = vars.iter().fold(to.to_string(), |t, (k, v)| t.replace(&format!(":{k}"), v));
        break;
    }
    let rel = target.trim_start_matches('/');
    let rel = rel.strip_prefix(site_prefix(site).as_str()).unwrap_or(rel).to_string();
    exists(&rel).then_some(rel)
}

fn site_prefix(site: &Path) -> String {
    // The fixture's prefix is `/du-lieu/`; the demo's is `/`.
    if std::fs::read_to_string(site.join("_redirects")).unwrap().contains("/du-lieu/") {
        "du-lieu/".into()
    } else {
        String::new()
    }
}

#[test]
fn dcat_data_json_sitemap_feed_and_page_markup() {
    let repo = built();
    let ttl = repo.read("site/catalog.ttl");
    for line in [
        "<https://example.gov.vn/du-lieu/datasets/chi-tieu/>\n    a dcat:Dataset ;",
        "    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/QUARTERLY> ;",
        "    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI> ;",
        "    dct:language <http://publications.europa.eu/resource/authority/language/VIE> ;",
        "    dct:format <http://publications.europa.eu/resource/authority/file-type/XLSX> ;",
        "    spdx:algorithm spdx:checksumAlgorithm_sha256 ;",
    ] {
        assert!(ttl.contains(line), "catalog.ttl lacks:\n{line}");
    }
    let sum = &repo.tree("site/datasets/chi-tieu")["chi-tieu.xml"];
    assert!(ttl.contains(&format!("spdx:checksumValue \"{sum}\"^^xsd:hexBinary")));
    let jsonld = read_json(&repo, "site/catalog.jsonld");
    let graph = jsonld["@graph"].as_array().unwrap();
    let ds = graph.iter().find(|n| n["@id"] == "https://example.gov.vn/du-lieu/datasets/chi-tieu/").unwrap();
    assert_eq!(ds["@type"], json!(["dcat:Dataset"]));
    assert_eq!(ds["dcat:theme"], json!([{"@id": "http://publications.europa.eu/resource/authority/data-theme/SOCI"}]));

    let data = read_json(&repo, "site/data.json");
    assert_eq!(data["conformsTo"], "https://project-open-data.cio.gov/v1.1/schema");
    pod_required_fields(&data);
    assert_eq!(data["dataset"][0]["accrualPeriodicity"], "R/P3M");
    assert_eq!(data["dataset"][0]["temporal"], "2024-01-01/2024-12-31");

    let sitemap = repo.read("site/sitemap.xml");
    assert!(sitemap.contains(
        "<url><loc>https://example.gov.vn/du-lieu/datasets/chi-tieu/</loc><lastmod>2025-04-02</lastmod></url>\n"
    ));
    assert!(sitemap.contains(
        "<url><loc>https://example.gov.vn/du-lieu/en/datasets/chi-tieu/</loc><lastmod>2025-04-02</lastmod></url>\n"
    ));
    assert!(!sitemap.contains("404"));
    assert_eq!(
        repo.read("site/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.gov.vn/du-lieu/sitemap.xml\n"
    );
    let feed = repo.read("site/feed.xml");
    assert!(feed.contains("  <entry>\n    <id>https://example.gov.vn/du-lieu/datasets/chi-tieu/</id>\n    <title>Chỉ tiêu kinh tế – xã hội theo tỉnh</title>\n    <updated>2025-04-02T00:00:00Z</updated>\n    <published>2025-01-10T00:00:00Z</published>\n"), "{feed}");

    let page = repo.read("site/en/datasets/chi-tieu/index.html");
    let start = page.find("<script type=application/ld+json>").expect("JSON-LD in the page") + 33;
    let end = start + page[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["name"], "Socio-economic indicators by province");
    assert_eq!(ld["url"], "https://example.gov.vn/du-lieu/en/datasets/chi-tieu/");
    assert_eq!(ld["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(ld["creator"]["name"], "Department of Home Affairs");
    assert_eq!(ld["temporalCoverage"], "2024-01-01/2024-12-31");
    assert_eq!(ld["distribution"].as_array().unwrap().len(), 5);
    assert!(
        page.contains(
            r#"<link href="/du-lieu/catalog.jsonld" title="DCAT-AP (JSON-LD)" type="application/ld+json" rel=alternate>"#
        ),
        "autodiscovery link"
    );
}

/// POD v1.1: every field the schema requires of a catalogue and of each dataset.
fn pod_required_fields(data: &Value) {
    for d in data["dataset"].as_array().unwrap() {
        let id = d["identifier"].as_str().unwrap_or_default();
        for key in ["title", "description", "modified", "identifier", "accessLevel"] {
            assert!(d[key].as_str().is_some_and(|s| !s.is_empty()), "{id}: {key}");
        }
        assert!(d["keyword"].as_array().is_some_and(|k| !k.is_empty()), "{id}: keyword");
        assert!(d["publisher"]["name"].as_str().is_some_and(|s| !s.is_empty()), "{id}: publisher.name");
        assert!(d["contactPoint"]["fn"].as_str().is_some_and(|s| !s.is_empty()), "{id}: contactPoint.fn");
        assert!(d["contactPoint"]["hasEmail"].as_str().is_some_and(|s| s.starts_with("mailto:")), "{id}: hasEmail");
        assert!(["public", "restricted public", "non-public"].contains(&d["accessLevel"].as_str().unwrap()));
        let modified = d["modified"].as_str().unwrap();
        assert!(modified.len() == 10 && modified.as_bytes()[4] == b'-', "{id}: modified is ISO 8601");
        for dist in d["distribution"].as_array().into_iter().flatten() {
            if dist.get("downloadURL").is_some() {
                assert!(
                    dist["mediaType"].as_str().is_some_and(|m| m.contains('/')),
                    "{id}: mediaType with downloadURL"
                );
            } else {
                assert!(dist["accessURL"].is_string(), "{id}: a distribution has a URL");
            }
        }
    }
}

/// The demo portal, built once per test binary run (it takes a few seconds).
fn demo_site() -> &'static Path {
    static SITE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::Builder::new().prefix("odp-demo-api-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let run = std::process::Command::new(crate::harness::ODP)
            .arg("--root")
            .arg(manifest_dir())
            .args(["build", "--out"])
            .arg(out.path().join("site"))
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        out
    })
    .path()
    .join("site")
    .leak()
}

/// Portal URLs (`https://odp-demo.netlify.app/…`) in a text, query strings kept.
fn portal_urls(text: &str) -> Vec<String> {
    let base = "https://odp-demo.netlify.app/";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(base) {
        let tail = &rest[i + base.len() - 1..];
        let end = tail.find(|c: char| c.is_whitespace() || "\"'`<>),|".contains(c)).unwrap_or(tail.len());
        out.push(tail[..end].trim_end_matches('.').to_string());
        rest = &tail[end..];
    }
    out
}

#[test]
fn every_url_the_demo_promises_exists() {
    let site = demo_site();
    let root = manifest_dir();
    let mut checked = 0;
    for source in [
        "datasets/dich-vu-du-lieu-don-vi-hanh-chinh/endpoints.csv",
        "datasets/dich-vu-du-lieu-don-vi-hanh-chinh/dataset.toml",
        "datasets/dich-vu-du-lieu-don-vi-hanh-chinh/README.md",
        "content/api.md",
        "content/api.en.md",
    ] {
        let text = std::fs::read_to_string(root.join(source)).unwrap();
        for url in portal_urls(&text) {
            let found = resolve(site, &url).or_else(|| {
                // A page URL (`/api/`) is its index.html.
                let rel = format!("{}index.html", url.trim_start_matches('/'));
                site.join(&rel).is_file().then_some(rel)
            });
            assert!(found.is_some(), "{source}: {url} does not exist in the built site");
            checked += 1;
        }
    }
    // endpoints.csv lists 12, the services 3 + 3 documentation links, the guides their examples.
    assert!(checked >= 30, "only {checked} URLs found");
}

#[test]
fn the_demo_data_json_has_every_required_pod_field() {
    let data: Value = serde_json::from_str(&std::fs::read_to_string(demo_site().join("data.json")).unwrap()).unwrap();
    assert_eq!(data["dataset"].as_array().unwrap().len(), 8);
    pod_required_fields(&data);
}

#[test]
fn theme_codes_must_be_eu_data_themes() {
    let repo = Repo::fixture("api");
    repo.edit("portal.toml", "dcat = \"SOCI\"", "dcat = \"DANCU\"");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 1);
    let codes = "AGRI, ECON, EDUC, ENER, ENVI, GOVE, HEAL, INTR, JUST, REGI, SOCI, TECH, TRAN";
    assert_eq!(
        run.stderr,
        format!(
            "portal.toml:14:8: error[E0701]: `DANCU` không phải mã chủ đề dữ liệu của EU mà DCAT-AP dùng; chọn một \
             trong {codes} — `DANCU` is not an EU data-theme code, which DCAT-AP requires; use one of {codes}\n"
        )
    );
    repo.edit("portal.toml", "dcat = \"DANCU\"\n", "");
    let run = repo.odp(&["check", "--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "portal.toml:11:6: warning[W0701]: lĩnh vực `dan-cu` chưa có `dcat` (mã chủ đề dữ liệu EU, ví dụ `GOVE`); \
         danh mục DCAT-AP sẽ thiếu chủ đề của các bộ dữ liệu thuộc lĩnh vực này — theme `dan-cu` has no `dcat` (EU \
         data-theme code, e.g. `GOVE`); its datasets will have no theme in the DCAT-AP catalogue\n"
    );
}
