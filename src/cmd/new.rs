//! `odp new <id>`: scaffolds `datasets/<id>/` with a `dataset.toml` whose every key carries a
//! comment in Vietnamese and English (required, recommended or optional), a sample resource with
//! its data dictionary, and a `README.md` stub.
//!
//! What the flags give is written as values; what they do not is left as a commented-out key, so
//! `odp check` reports it as missing instead of publishing a placeholder. The README stub is
//! deliberately shorter than the 50 characters a description needs, so `odp check` keeps warning
//! until the agency writes one.

use super::Outcome;
use crate::cli::NewArgs;
use crate::diag::messages::FREQUENCIES;
use crate::infer::propose::quote;
use crate::load;
use crate::text::{is_slug, nfc};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// What goes into the scaffold.
#[derive(Debug, Clone, Default)]
pub struct Scaffold {
    pub id: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub themes: Vec<String>,
    pub frequency: Option<String>,
    /// Ids the portal knows, listed in comments so the agency can pick one.
    pub known_publishers: Vec<String>,
    pub known_themes: Vec<String>,
    pub known_licenses: Vec<String>,
    pub default_license: String,
}

/// The sample data file the scaffold's resource points at.
pub const SAMPLE_FILE: &str = "du-lieu.csv";

/// The README.md stub (shorter than a description may be, on purpose).
pub const README_STUB: &str = "TODO: mô tả tập dữ liệu — describe the dataset\n";

pub fn run(root: &Path, args: &NewArgs) -> Result<Outcome> {
    let id = args.id.as_str();
    if !is_slug(id) {
        bail!(
            "mã tập dữ liệu `{id}` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu `-` (ví dụ \
             `co-so-kham-chua-benh`) — invalid dataset id `{id}`: use lowercase ASCII letters, digits and `-` \
             (e.g. `co-so-kham-chua-benh`)"
        );
    }
    if let Some(f) = &args.frequency
        && !FREQUENCIES.contains(&f.as_str())
    {
        bail!(
            "tần suất cập nhật `{f}` không hợp lệ; dùng một trong: {} — unknown update frequency `{f}`; use one of: {}",
            FREQUENCIES.join(" "),
            FREQUENCIES.join(" ")
        );
    }
    if let Some(p) = &args.publisher
        && !is_slug(p)
    {
        bail!(
            "mã cơ quan `{p}` không hợp lệ: là tên tệp trong content/publishers/, không có `.md` — invalid publisher \
             id `{p}`: it is a file name in content/publishers/, without `.md`"
        );
    }
    let dir_rel = format!("datasets/{id}");
    let dir = root.join(&dir_rel);
    if dir.exists() {
        bail!("`{dir_rel}` đã có; không ghi đè — `{dir_rel}` already exists; nothing was overwritten");
    }

    // The portal as it is, for the lists of ids in the comments (problems in it are `check`'s business).
    let (portal, _) = load::load(root)?;
    if let Some(owner) =
        portal.as_ref().and_then(|p| p.datasets.iter().find(|d| d.aliases.iter().any(|a| a.value == id)))
    {
        bail!(
            "`{id}` là mã cũ (alias) của tập dữ liệu `{}`; hãy chọn mã khác — `{id}` is an alias of the dataset `{}`; \
             choose another id",
            owner.id,
            owner.id
        );
    }
    let mut scaffold = Scaffold {
        id: id.to_string(),
        title: args.title.as_deref().map(|t| nfc(t.trim())).filter(|t| !t.is_empty()),
        publisher: args.publisher.clone(),
        themes: args.themes.clone(),
        frequency: args.frequency.clone(),
        ..Scaffold::default()
    };
    if let Some(p) = &portal {
        scaffold.known_publishers = p.publishers.keys().cloned().collect();
        scaffold.known_themes = p.config.themes.iter().map(|t| t.id.clone()).collect();
        scaffold.known_licenses = p.config.licenses.iter().map(|l| l.id.clone()).collect();
        scaffold.default_license = p.config.default_license.clone();
    }
    let mut notes = Vec::new();
    if let Some(p) = &scaffold.publisher
        && portal.is_some()
        && !scaffold.known_publishers.contains(p)
    {
        notes.push(format!(
            "chưa có content/publishers/{p}.md: hãy thêm tệp đó trong cùng yêu cầu hợp nhất — \
             content/publishers/{p}.md does not exist yet: add it in the same pull request"
        ));
    }
    for t in &scaffold.themes {
        if portal.is_some() && !scaffold.known_themes.contains(t) {
            notes.push(format!(
                "lĩnh vực `{t}` không có trong portal.toml; các lĩnh vực: {} — theme `{t}` is not in portal.toml; \
                 themes: {}",
                scaffold.known_themes.join(", "),
                scaffold.known_themes.join(", ")
            ));
        }
    }

    std::fs::create_dir_all(root.join("datasets")).with_context(|| format!("failed to create `{dir_rel}`"))?;
    std::fs::create_dir(&dir).with_context(|| format!("failed to create `{dir_rel}`"))?;
    write_new(&dir.join("dataset.toml"), &dataset_toml(&scaffold))?;
    write_new(&dir.join("README.md"), README_STUB)?;

    for n in notes {
        eprintln!("warning: {n}");
    }
    eprintln!("Đã tạo — created: {dir_rel}/dataset.toml, {dir_rel}/README.md");
    eprintln!("Tiếp theo — next:");
    eprintln!("  1. chép tệp dữ liệu vào {dir_rel}/ — copy the data file into {dir_rel}/");
    eprintln!(
        "  2. odp infer {dir_rel}/<tệp>.csv — đề xuất từ điển dữ liệu; dán thay khối [[resources]] mẫu — \
         proposes the data dictionary; paste it over the sample [[resources]] block"
    );
    eprintln!(
        "  3. điền các khóa còn thiếu trong dataset.toml và viết README.md — fill in the missing keys of \
         dataset.toml and write README.md"
    );
    eprintln!("  4. odp check {dir_rel}");
    Ok(Outcome::Clean)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("failed to create `{}`", path.display()))?;
    f.write_all(text.as_bytes()).with_context(|| format!("failed to write `{}`", path.display()))
}

/// `key = value` when the value is known, else the key commented out with `empty`.
fn key(out: &mut String, name: &str, value: Option<String>, empty: &str) {
    match value {
        Some(v) => {
            let _ = writeln!(out, "{name} = {v}");
        }
        None => {
            let _ = writeln!(out, "# {name} = {empty}");
        }
    }
}

fn known(out: &mut String, ids: &[String]) {
    if !ids.is_empty() {
        let _ = writeln!(out, "# Hiện có — known: {}", ids.join(", "));
    }
}

/// The text of the scaffold's dataset.toml.
pub fn dataset_toml(s: &Scaffold) -> String {
    let id = &s.id;
    let mut o = String::new();
    let _ = writeln!(o, "# Tập dữ liệu `{id}` — dataset `{id}`");
    o.push_str("# [bắt buộc] = required, [nên có] = recommended, [tùy chọn] = optional.\n");
    o.push_str("# Dòng bắt đầu bằng `#` là chú thích; bỏ `#` để dùng khóa đó — remove the `#` to use a key.\n");
    o.push_str("# Tài liệu — reference: docs/metadata.md; hướng dẫn — guide: /guide/agencies/\n");
    let _ = writeln!(o, "# Kiểm tra — check: odp check datasets/{id}");
    o.push('\n');

    o.push_str("# [bắt buộc] Tên tập dữ liệu, tiếng Việt có dấu — required: the title, in Vietnamese\n");
    key(&mut o, "title", s.title.as_deref().map(quote), "\"\"");
    o.push_str("# [nên có] Tên tiếng Anh — recommended: the English title\n");
    o.push_str("# title_en = \"\"\n");
    o.push('\n');

    o.push_str("# [bắt buộc] Mô tả 50–5000 ký tự: nội dung, nguồn, phạm vi, thời điểm, cách tính. Không có\n");
    o.push_str("# `description` thì dùng README.md bên cạnh — required: a description of 50–5000 characters;\n");
    o.push_str("# without `description`, the README.md beside this file is used\n");
    o.push_str("# description = \"\"\"\n# \"\"\"\n");
    o.push_str("# [nên có] Mô tả tiếng Anh — recommended: the English description\n");
    o.push_str("# description_en = \"\"\"\n# \"\"\"\n");
    o.push('\n');

    o.push_str("# [bắt buộc] Cơ quan cung cấp: tên tệp trong content/publishers/ — required: the publisher,\n");
    o.push_str("# a file in content/publishers/\n");
    known(&mut o, &s.known_publishers);
    key(&mut o, "publisher", s.publisher.as_deref().map(quote), "\"\"");
    o.push_str("# [bắt buộc] Lĩnh vực: một hoặc nhiều mã trong portal.toml — required: one or more theme ids\n");
    o.push_str("# from portal.toml\n");
    known(&mut o, &s.known_themes);
    let themes = (!s.themes.is_empty())
        .then(|| format!("[{}]", s.themes.iter().map(|t| quote(t)).collect::<Vec<_>>().join(", ")));
    key(&mut o, "theme", themes, "[\"\"]");
    o.push_str("# [bắt buộc] Tần suất cập nhật — required: update frequency:\n");
    let _ = writeln!(o, "# {}", FREQUENCIES.join(" "));
    key(&mut o, "frequency", s.frequency.as_deref().map(quote), "\"\"");
    o.push_str("# [nên có] Từ khóa tìm kiếm — recommended: search keywords\n");
    o.push_str("# keywords = [\"\", \"\"]\n");
    if s.default_license.is_empty() {
        o.push_str("# [tùy chọn] Giấy phép, mã trong portal.toml — optional: licence id from portal.toml\n");
    } else {
        let _ = writeln!(
            o,
            "# [tùy chọn] Giấy phép, mã trong portal.toml; mặc định `{0}` — optional: licence id from portal.toml;\n\
             # default `{0}`",
            s.default_license
        );
    }
    known(&mut o, &s.known_licenses);
    let _ = writeln!(o, "# license = {}", quote(&s.default_license));
    o.push_str(
        "# [nên có] Ngày công bố lần đầu, ngày cập nhật gần nhất — recommended: first published, last updated\n",
    );
    o.push_str("# issued = YYYY-MM-DD\n");
    o.push_str("# modified = YYYY-MM-DD\n");
    o.push_str("# [tùy chọn] Mã đơn vị hành chính của địa bàn (\"VN\": cả nước) — optional: administrative-unit\n");
    o.push_str("# code of the area covered (\"VN\": the whole country)\n");
    o.push_str("# spatial = \"\"\n");
    o.push_str("# [tùy chọn] Khoảng thời gian dữ liệu phản ánh — optional: the period the data cover\n");
    o.push_str("# temporal = { start = YYYY-MM-DD, end = YYYY-MM-DD }\n");
    o.push_str("# [tùy chọn] Phiên bản — optional: version\n");
    o.push_str("# version = \"\"\n");
    o.push_str("# [tùy chọn] Ghi công, quyền — optional: attribution or rights statement\n");
    o.push_str("# rights = \"\"\n");
    o.push_str("# [tùy chọn] Trạng thái: active (mặc định), deprecated, withdrawn; hai trạng thái sau cần lý do\n");
    o.push_str("# và ngày — optional: status; deprecated and withdrawn need a reason and a date\n");
    o.push_str("# status = \"active\"\n");
    o.push_str("# status_reason = \"\"\n");
    o.push_str("# status_date = YYYY-MM-DD\n");
    o.push_str("# [tùy chọn] Các mã cũ nếu thư mục đã đổi tên; địa chỉ cũ sẽ chuyển hướng — optional: earlier ids\n");
    o.push_str("# of this dataset; their URLs redirect here\n");
    o.push_str("# aliases = []\n");
    o.push('\n');

    o.push_str("# [tùy chọn] Đầu mối riêng của tập dữ liệu; mặc định là đầu mối của cơ quan — optional: contact\n");
    o.push_str("# point; default: the publisher's\n");
    o.push_str("# [contact]\n# name = \"\"\n# email = \"\"\n# phone = \"\"\n");
    o.push('\n');

    o.push_str("# [bắt buộc] Ít nhất một tài nguyên: một tệp trong thư mục này (`path`) hoặc một dịch vụ dữ liệu\n");
    o.push_str("# (`url`, xem docs/metadata.md) — required: at least one resource, a file in this folder (`path`)\n");
    o.push_str("# or a data service (`url`, see docs/metadata.md)\n");
    o.push_str("[[resources]]\n");
    o.push_str("# [bắt buộc] Mã tài nguyên: chữ thường, chữ số, `-`, `_`; là một phần địa chỉ tải về — required:\n");
    o.push_str("# resource id, part of the download URL\n");
    o.push_str("id = \"du-lieu\"\n");
    o.push_str("# [bắt buộc] Tên tài nguyên — required: the resource title\n");
    key(&mut o, "title", s.title.as_deref().map(quote), "\"\"");
    o.push_str("# [nên có] — recommended\n");
    o.push_str("# title_en = \"\"\n");
    o.push_str("# description = \"\"\n");
    o.push_str("# [bắt buộc] Tệp dữ liệu trong thư mục này — required: the data file, in this folder\n");
    let _ = writeln!(o, "path = \"{SAMPLE_FILE}\"");
    o.push('\n');

    o.push_str("# [bắt buộc với CSV, TSV] Từ điển dữ liệu: một mục [[resources.schema.fields]] cho mỗi cột, theo\n");
    o.push_str("# thứ tự các cột — required for CSV and TSV: the data dictionary, one entry per column, in order.\n");
    o.push_str("# Đề xuất từ tệp dữ liệu — proposed from the data file by:\n");
    let _ = writeln!(o, "#   odp infer datasets/{id}/{SAMPLE_FILE}");
    o.push_str("[resources.schema]\n");
    o.push_str("# [nên có] Khóa chính: cột xác định duy nhất mỗi dòng — recommended: primary key, the column(s)\n");
    o.push_str("# identifying each row\n");
    o.push_str("primary_key = [\"ma\"]\n");
    o.push_str("# [tùy chọn] Số viết kiểu Việt Nam 1.234,5 — optional: numbers written the Vietnamese way\n");
    o.push_str("# decimal_char = \",\"\n");
    o.push_str("# group_char = \".\"\n");
    o.push('\n');

    o.push_str("[[resources.schema.fields]]\n");
    o.push_str("# [bắt buộc] Tên cột trong tệp — required: the column header\n");
    o.push_str("name = \"ma\"\n");
    o.push_str("# [bắt buộc] Nhãn tiếng Việt — required: the Vietnamese label\n");
    o.push_str("title = \"Mã\"\n");
    o.push_str("# [nên có] — recommended\n");
    o.push_str("# title_en = \"Code\"\n");
    o.push_str("# description = \"\"\n");
    o.push_str("# [bắt buộc] Kiểu — required: type: string integer number boolean date datetime year geopoint;\n");
    o.push_str("# mã luôn là string, kể cả khi chỉ gồm chữ số — codes are strings, even when all digits\n");
    o.push_str("type = \"string\"\n");
    o.push_str("# [tùy chọn] Ràng buộc — optional: constraints: required unique enum minimum maximum pattern\n");
    o.push_str("required = true\n");
    o.push_str("unique = true\n");
    o.push('\n');

    o.push_str("[[resources.schema.fields]]\n");
    o.push_str("name = \"ten\"\n");
    o.push_str("title = \"Tên\"\n");
    o.push_str("# title_en = \"Name\"\n");
    o.push_str("# description = \"\"\n");
    o.push_str("type = \"string\"\n");
    o.push_str("required = true\n");
    o.push_str("# [tùy chọn] Đơn vị tính của số đo — optional: unit of measure, for quantities\n");
    o.push_str("# unit = \"\"\n");
    o.push_str("# [tùy chọn] Dạng ngày khi không phải YYYY-MM-DD, cho kiểu date, datetime — optional: date format\n");
    o.push_str("# when not YYYY-MM-DD, for date and datetime fields\n");
    o.push_str("# format = \"%d/%m/%Y\"\n");
    o.push_str("# [tùy chọn] Mã thuộc danh mục dùng chung — optional: codes from a shared code list\n");
    o.push_str("# references = { dataset = \"\", resource = \"\", field = \"\" }\n");
    o.push_str("# [tùy chọn] Lý do cột trông như dữ liệu cá nhân được phép công khai — optional: why a column\n");
    o.push_str("# that looks like personal data may be published\n");
    o.push_str("# public_reason = \"\"\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_given_are_written_and_the_rest_is_commented_out() {
        let text = dataset_toml(&Scaffold {
            id: "x".into(),
            title: Some("Tên \"có\" ngoặc".into()),
            themes: vec!["a".into(), "b".into()],
            ..Scaffold::default()
        });
        assert!(text.contains("\ntitle = \"Tên \\\"có\\\" ngoặc\"\n"), "{text}");
        assert!(text.contains("\n# publisher = \"\"\n"));
        assert!(text.contains("\ntheme = [\"a\", \"b\"]\n"));
        assert!(text.contains("\n# frequency = \"\"\n"));
        let parsed: toml::Table = text.parse().expect("valid TOML");
        assert_eq!(parsed["resources"][0]["path"].as_str(), Some(SAMPLE_FILE));
    }
}
