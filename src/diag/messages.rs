//! The wording of every problem odp reports, in Vietnamese and English, in one place.
//! Each message kind has a stable code (`E0102`, `W0101`…) that tools and agencies can rely on:
//! codes are never reused for another meaning.

use super::Severity;
use std::borrow::Cow;

/// A problem, with the facts needed to explain it. The code and both texts derive from it.
/// Serializable so a build whose sources did not change can repeat the last build's messages
/// from the cache (issue 7).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Msg {
    // E01xx: the shape of metadata files
    TomlSyntax {
        detail: String,
    },
    UnknownKey {
        key: String,
        table: String,
        valid: Vec<Cow<'static, str>>,
    },
    /// `UnknownKey` with the valid key it most likely meant.
    MisspeltKey {
        key: String,
        table: String,
        suggestion: Cow<'static, str>,
        valid: Vec<Cow<'static, str>>,
    },
    WrongType {
        key: String,
        expected: ValueKind,
        found: String,
    },
    MissingKey {
        key: String,
        table: String,
    },
    FrontMatterMissing,
    InvalidId {
        kind: IdKind,
        id: String,
    },
    DuplicateId {
        kind: IdKind,
        id: String,
        first: String,
    },
    NotUtf8,
    EmptyList {
        key: String,
    },
    InvalidUrl {
        key: String,
        value: String,
    },
    // E02xx: references between files
    UnknownPublisher {
        id: String,
        known: Vec<String>,
    },
    UnknownTheme {
        id: String,
        known: Vec<String>,
    },
    UnknownLicense {
        id: String,
        known: Vec<String>,
    },
    UnknownFrequency {
        id: String,
    },
    UnknownStatus {
        id: String,
    },
    StatusNeedsReason {
        status: String,
    },
    ReferenceDatasetMissing {
        dataset: String,
    },
    ReferenceResourceMissing {
        dataset: String,
        resource: String,
    },
    ReferenceFieldMissing {
        dataset: String,
        resource: String,
        field: String,
    },
    AliasTaken {
        alias: String,
        owner: String,
    },
    DefaultLicenseUnknown {
        id: String,
    },
    // E03xx: resources and their data dictionaries
    PathOutsideDataset {
        path: String,
    },
    ResourceFileMissing {
        path: String,
    },
    ResourceNeedsPathOrUrl,
    ResourcePathAndUrl,
    DescriptionMissing,
    NoResources,
    DuplicateField {
        name: String,
    },
    PrimaryKeyUnknownField {
        name: String,
    },
    UnknownFieldType {
        ty: String,
    },
    TableWithoutDictionary {
        path: String,
    },
    SchemaFileInvalid {
        detail: String,
    },
    ServiceFieldOnFile {
        key: String,
    },
    FieldOptionNotForType {
        key: String,
        ty: String,
    },
    // E04xx: data files
    HeaderMismatch {
        missing: Vec<String>,
        extra: Vec<String>,
    },
    MalformedCsv {
        detail: String,
    },
    EmptyDataFile,
    DataNotUtf8,
    // E0405–E0411, W0401: encodings and personal data (issue 3 §2–3)
    DataLossyExport {
        count: usize,
        line: u64,
        example: String,
    },
    DataMojibake {
        line: u64,
        example: String,
    },
    DataLegacyFont {
        font: String,
        line: u64,
        example: String,
    },
    DataEncodingUnknown {
        candidates: Vec<String>,
    },
    DataNotText,
    PersonalData {
        column: String,
        kind_vi: String,
        kind_en: String,
        matched: u64,
        seen: u64,
        rows: Vec<u64>,
        by_header: bool,
        sensitive: bool,
    },
    PublicRegisterData {
        column: String,
        kind_vi: String,
        kind_en: String,
    },
    DataMalformedEncoding {
        encoding: String,
        line: u64,
    },
    DataEncodingConverted {
        encoding: String,
    },
    // E042x: JSON and XLSX sources
    /// The top-level JSON value is not an array.
    JsonNotArray,
    /// Array element `index` (1-based) is not an object.
    JsonRowNotObject {
        index: u64,
    },
    /// `found` is None at the end of the file; an empty `expected` means the end of the file.
    JsonSyntax {
        found: Option<String>,
        expected: Vec<Cow<'static, str>>,
    },
    JsonNestedValue {
        key: String,
    },
    /// A key not in the first object, whose keys are the columns.
    JsonUnknownKey {
        key: String,
        columns: Vec<String>,
    },
    JsonDuplicateKey {
        key: String,
    },
    SheetNotFound {
        sheet: String,
        sheets: Vec<String>,
    },
    XlsxCellError {
        sheet: String,
        cell: String,
        error: String,
    },
    SourceUnreadable {
        detail: String,
    },
    // E05xx: data values (validate/rows.rs): one cell, one row or the dictionary that reads them
    /// A cell that does not read as its field's type. `format`: the date/datetime format to name;
    /// `example`: how a valid value is written in this field's format, when worth saying.
    CellType {
        column: String,
        value: String,
        ty: crate::model::FieldType,
        format: Option<String>,
        example: Option<String>,
    },
    CellRequired {
        column: String,
    },
    CellEnum {
        column: String,
        value: String,
        allowed: Vec<String>,
    },
    CellMinimum {
        column: String,
        value: String,
        minimum: String,
    },
    CellMaximum {
        column: String,
        value: String,
        maximum: String,
    },
    CellPattern {
        column: String,
        value: String,
        pattern: String,
    },
    /// `codelist` is `dataset/resource.field`.
    CellUnknownCode {
        column: String,
        value: String,
        codelist: String,
    },
    /// `value` is None when the duplicate was found after the value left memory (huge files).
    CellDuplicate {
        column: String,
        value: Option<String>,
        first_line: u64,
    },
    /// `value`: the key's cells, quoted and comma-separated, when known.
    KeyDuplicate {
        columns: Vec<String>,
        value: Option<String>,
        first_line: u64,
    },
    FieldPatternInvalid {
        field: String,
        pattern: String,
        detail: String,
    },
    /// An `enum` item, `minimum` or `maximum` that is not a value of the field's type.
    FieldConstraintInvalid {
        field: String,
        key: String,
        value: String,
        ty: crate::model::FieldType,
    },
    FieldFormatInvalid {
        field: String,
        format: String,
    },
    NumberCharsInvalid {
        decimal_char: String,
        group_char: String,
    },
    /// The rest of a group of one problem in one column (or key): `count` more rows, `code` the problem's code.
    MoreRows {
        columns: Vec<String>,
        count: u64,
        code: Cow<'static, str>,
    },
    // W01xx: metadata quality (shown, does not block a build)
    DescriptionTooShort {
        chars: usize,
    },
    DescriptionTooLong {
        chars: usize,
    },
    NoKeywords,
    MissingTranslation {
        key: String,
    },
    OnlyDocumentFormats {
        formats: Vec<String>,
    },
    DuplicateTitle {
        other: String,
    },
    // E06xx/W06xx: freshness and notices (issue 6)
    NoticeUnknownKind {
        kind: String,
    },
    NoticeEndBeforeStart {
        start: String,
        end: String,
    },
    NoticeNeedsRecovery,
    NoticeUnknownAffected {
        id: String,
    },
    FreshnessRuleUnknown {
        rule: String,
    },
    NoticeShortLeadTime {
        announced: String,
        start: String,
        working_days: i64,
        /// The announcement date is the commit date (no `announced` key).
        from_git: bool,
    },
    NoticeAnnouncedUnknown,
    NoticeHolidaysUnknown {
        year: i32,
    },
    // --- Issue 5: catalogues (E07xx/W07xx) ---
    /// A theme's `dcat` is not one of the EU data-theme codes DCAT-AP requires.
    ThemeDcatUnknown {
        code: String,
    },
    /// A theme has no `dcat` code: its datasets get no `dcat:theme` in the DCAT-AP catalogue.
    ThemeDcatMissing {
        theme: String,
    },
}

/// Kinds of identifiers, for messages about ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IdKind {
    Dataset,
    Resource,
    Theme,
    License,
    Publisher,
    Page,
}

/// Kinds of TOML values, for "expected X, found Y" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    String,
    StringList,
    Integer,
    Number,
    Boolean,
    Date,
    Table,
    TableList,
    NumberOrDate,
}

impl IdKind {
    fn vi(self) -> &'static str {
        match self {
            IdKind::Dataset => "bộ dữ liệu",
            IdKind::Resource => "tài nguyên",
            IdKind::Theme => "lĩnh vực",
            IdKind::License => "giấy phép",
            IdKind::Publisher => "cơ quan",
            IdKind::Page => "trang",
        }
    }
    fn en(self) -> &'static str {
        match self {
            IdKind::Dataset => "dataset",
            IdKind::Resource => "resource",
            IdKind::Theme => "theme",
            IdKind::License => "licence",
            IdKind::Publisher => "publisher",
            IdKind::Page => "page",
        }
    }
}

impl ValueKind {
    fn vi(self) -> &'static str {
        match self {
            ValueKind::String => "chuỗi",
            ValueKind::StringList => "danh sách chuỗi",
            ValueKind::Integer => "số nguyên",
            ValueKind::Number => "số",
            ValueKind::Boolean => "true/false",
            ValueKind::Date => "ngày (YYYY-MM-DD)",
            ValueKind::Table => "bảng",
            ValueKind::TableList => "danh sách bảng ([[...]])",
            ValueKind::NumberOrDate => "số hoặc ngày",
        }
    }
    fn en(self) -> &'static str {
        match self {
            ValueKind::String => "a string",
            ValueKind::StringList => "a list of strings",
            ValueKind::Integer => "an integer",
            ValueKind::Number => "a number",
            ValueKind::Boolean => "true/false",
            ValueKind::Date => "a date (YYYY-MM-DD)",
            ValueKind::Table => "a table",
            ValueKind::TableList => "a list of tables ([[...]])",
            ValueKind::NumberOrDate => "a number or a date",
        }
    }
}

pub const FREQUENCIES: &[&str] =
    &["daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular", "never"];

fn list(items: &[impl AsRef<str>]) -> String {
    if items.is_empty() {
        return "—".to_string();
    }
    items.iter().map(|s| format!("`{}`", s.as_ref())).collect::<Vec<_>>().join(", ")
}

impl Msg {
    /// The stable code of this kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            Msg::TomlSyntax { .. } => "E0101",
            Msg::UnknownKey { .. } | Msg::MisspeltKey { .. } => "E0102",
            Msg::WrongType { .. } => "E0103",
            Msg::MissingKey { .. } => "E0104",
            Msg::FrontMatterMissing => "E0105",
            Msg::InvalidId { .. } => "E0106",
            Msg::DuplicateId { .. } => "E0107",
            Msg::NotUtf8 => "E0108",
            Msg::EmptyList { .. } => "E0109",
            Msg::InvalidUrl { .. } => "E0110",
            Msg::UnknownPublisher { .. } => "E0201",
            Msg::UnknownTheme { .. } => "E0202",
            Msg::UnknownLicense { .. } => "E0203",
            Msg::UnknownFrequency { .. } => "E0204",
            Msg::UnknownStatus { .. } => "E0205",
            Msg::StatusNeedsReason { .. } => "E0206",
            Msg::ReferenceDatasetMissing { .. } => "E0207",
            Msg::ReferenceResourceMissing { .. } => "E0208",
            Msg::ReferenceFieldMissing { .. } => "E0209",
            Msg::AliasTaken { .. } => "E0210",
            Msg::DefaultLicenseUnknown { .. } => "E0211",
            Msg::PathOutsideDataset { .. } => "E0301",
            Msg::ResourceFileMissing { .. } => "E0302",
            Msg::ResourceNeedsPathOrUrl => "E0303",
            Msg::ResourcePathAndUrl => "E0304",
            Msg::DescriptionMissing => "E0305",
            Msg::NoResources => "E0306",
            Msg::DuplicateField { .. } => "E0307",
            Msg::PrimaryKeyUnknownField { .. } => "E0308",
            Msg::UnknownFieldType { .. } => "E0309",
            Msg::TableWithoutDictionary { .. } => "E0310",
            Msg::SchemaFileInvalid { .. } => "E0311",
            Msg::ServiceFieldOnFile { .. } => "E0312",
            Msg::FieldOptionNotForType { .. } => "E0313",
            Msg::HeaderMismatch { .. } => "E0401",
            Msg::MalformedCsv { .. } => "E0402",
            Msg::EmptyDataFile => "E0403",
            Msg::DataNotUtf8 => "E0404",
            Msg::DataLossyExport { .. } => "E0405",
            Msg::DataMojibake { .. } => "E0406",
            Msg::DataLegacyFont { .. } => "E0407",
            Msg::DataEncodingUnknown { .. } => "E0408",
            Msg::DataNotText => "E0409",
            Msg::PersonalData { .. } => "E0410",
            Msg::PublicRegisterData { .. } => "E0411",
            Msg::DataMalformedEncoding { .. } => "E0412",
            Msg::DataEncodingConverted { .. } => "W0401",
            // E042x: JSON and XLSX sources
            Msg::JsonNotArray => "E0420",
            Msg::JsonRowNotObject { .. } => "E0421",
            Msg::JsonSyntax { .. } => "E0422",
            Msg::JsonNestedValue { .. } => "E0423",
            Msg::JsonUnknownKey { .. } => "E0424",
            Msg::JsonDuplicateKey { .. } => "E0425",
            Msg::SheetNotFound { .. } => "E0426",
            Msg::XlsxCellError { .. } => "E0427",
            Msg::SourceUnreadable { .. } => "E0428",
            // E05xx: data values
            Msg::CellType { .. } => "E0501",
            Msg::CellRequired { .. } => "E0502",
            Msg::CellEnum { .. } => "E0503",
            Msg::CellMinimum { .. } => "E0504",
            Msg::CellMaximum { .. } => "E0505",
            Msg::CellPattern { .. } => "E0506",
            Msg::CellUnknownCode { .. } => "E0507",
            Msg::CellDuplicate { .. } => "E0508",
            Msg::KeyDuplicate { .. } => "E0509",
            Msg::FieldPatternInvalid { .. } => "E0520",
            Msg::FieldConstraintInvalid { .. } => "E0521",
            Msg::FieldFormatInvalid { .. } => "E0522",
            Msg::NumberCharsInvalid { .. } => "E0523",
            Msg::MoreRows { .. } => "E0599",
            Msg::DescriptionTooShort { .. } => "W0101",
            Msg::DescriptionTooLong { .. } => "W0102",
            Msg::NoKeywords => "W0103",
            Msg::MissingTranslation { .. } => "W0104",
            Msg::OnlyDocumentFormats { .. } => "W0105",
            Msg::DuplicateTitle { .. } => "W0106",
            Msg::NoticeUnknownKind { .. } => "E0601",
            Msg::NoticeEndBeforeStart { .. } => "E0602",
            Msg::NoticeNeedsRecovery => "E0603",
            Msg::NoticeUnknownAffected { .. } => "E0604",
            Msg::FreshnessRuleUnknown { .. } => "E0605",
            Msg::NoticeShortLeadTime { .. } => "W0601",
            Msg::NoticeAnnouncedUnknown => "W0602",
            Msg::NoticeHolidaysUnknown { .. } => "W0603",
            Msg::ThemeDcatUnknown { .. } => "E0701",
            Msg::ThemeDcatMissing { .. } => "W0701",
        }
    }

    pub fn severity(&self) -> Severity {
        if self.code().starts_with('W') { Severity::Warning } else { Severity::Error }
    }

    /// The Vietnamese text.
    pub fn vi(&self) -> String {
        self.text().0
    }

    /// The English text.
    pub fn en(&self) -> String {
        self.text().1
    }

    fn text(&self) -> (String, String) {
        match self {
            Msg::TomlSyntax { detail } => {
                (format!("lỗi cú pháp TOML: {detail}"), format!("TOML syntax error: {detail}"))
            }
            Msg::UnknownKey { key, table, valid } => (
                format!("khóa `{key}` không hợp lệ trong {table}; các khóa hợp lệ: {}", list(valid)),
                format!("unknown key `{key}` in {table}; valid keys: {}", list(valid)),
            ),
            Msg::MisspeltKey { key, table, suggestion, valid } => (
                format!(
                    "khóa `{key}` không hợp lệ trong {table} (có phải `{suggestion}`?); các khóa hợp lệ: {}",
                    list(valid)
                ),
                format!("unknown key `{key}` in {table} (did you mean `{suggestion}`?); valid keys: {}", list(valid)),
            ),
            Msg::WrongType { key, expected, found } => (
                format!("`{key}` phải là {}, nhưng đang là {found}", expected.vi()),
                format!("`{key}` must be {}, found {found}", expected.en()),
            ),
            Msg::MissingKey { key, table } => (
                format!("thiếu khóa bắt buộc `{key}` trong {table}"),
                format!("missing required key `{key}` in {table}"),
            ),
            Msg::FrontMatterMissing => (
                "tệp phải bắt đầu bằng phần khai báo TOML giữa hai dòng `+++`".into(),
                "the file must start with TOML front matter between two `+++` lines".into(),
            ),
            Msg::InvalidId { kind, id } => (
                format!("mã {} `{id}` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu `-`", kind.vi()),
                format!("invalid {} id `{id}`: use lowercase ASCII letters, digits and `-` only", kind.en()),
            ),
            Msg::DuplicateId { kind, id, first } => (
                format!("mã {} `{id}` bị trùng (đã khai báo tại {first})", kind.vi()),
                format!("duplicate {} id `{id}` (first declared at {first})", kind.en()),
            ),
            Msg::NotUtf8 => (
                "tệp không phải UTF-8; hãy lưu lại với mã hóa UTF-8".into(),
                "the file is not UTF-8; save it again as UTF-8".into(),
            ),
            Msg::EmptyList { key } => {
                (format!("`{key}` cần ít nhất một giá trị"), format!("`{key}` needs at least one value"))
            }
            Msg::InvalidUrl { key, value } => (
                format!("`{key}` = \"{value}\" không phải địa chỉ http(s) hợp lệ"),
                format!("`{key}` = \"{value}\" is not a valid http(s) URL"),
            ),
            Msg::UnknownPublisher { id, known } => (
                format!(
                    "không có cơ quan `{id}` (cần tệp content/publishers/{id}.md); các cơ quan hiện có: {}",
                    list(known)
                ),
                format!(
                    "unknown publisher `{id}` (expected content/publishers/{id}.md); known publishers: {}",
                    list(known)
                ),
            ),
            Msg::UnknownTheme { id, known } => (
                format!("lĩnh vực `{id}` không có trong portal.toml; các lĩnh vực: {}", list(known)),
                format!("theme `{id}` is not in portal.toml; themes: {}", list(known)),
            ),
            Msg::UnknownLicense { id, known } => (
                format!("giấy phép `{id}` không có trong portal.toml; các giấy phép: {}", list(known)),
                format!("licence `{id}` is not in portal.toml; licences: {}", list(known)),
            ),
            Msg::UnknownFrequency { id } => (
                format!("tần suất cập nhật `{id}` không hợp lệ; dùng một trong: {}", list(FREQUENCIES)),
                format!("unknown update frequency `{id}`; use one of: {}", list(FREQUENCIES)),
            ),
            Msg::UnknownStatus { id } => (
                format!("trạng thái `{id}` không hợp lệ; dùng `active`, `deprecated` hoặc `withdrawn`"),
                format!("unknown status `{id}`; use `active`, `deprecated` or `withdrawn`"),
            ),
            Msg::StatusNeedsReason { status } => (
                format!("trạng thái `{status}` cần có `status_reason` và `status_date`"),
                format!("status `{status}` needs `status_reason` and `status_date`"),
            ),
            Msg::ReferenceDatasetMissing { dataset } => (
                format!("tham chiếu tới bộ dữ liệu `{dataset}` không tồn tại"),
                format!("reference to dataset `{dataset}`, which does not exist"),
            ),
            Msg::ReferenceResourceMissing { dataset, resource } => (
                format!("bộ dữ liệu `{dataset}` không có tài nguyên `{resource}`"),
                format!("dataset `{dataset}` has no resource `{resource}`"),
            ),
            Msg::ReferenceFieldMissing { dataset, resource, field } => (
                format!("tài nguyên `{dataset}/{resource}` không có trường `{field}` trong từ điển dữ liệu"),
                format!("resource `{dataset}/{resource}` has no field `{field}` in its data dictionary"),
            ),
            Msg::AliasTaken { alias, owner } => (
                format!("bí danh `{alias}` đã được dùng bởi bộ dữ liệu `{owner}`"),
                format!("alias `{alias}` is already used by dataset `{owner}`"),
            ),
            Msg::DefaultLicenseUnknown { id } => (
                format!("`default_license` = `{id}` không có trong [[licenses]]"),
                format!("`default_license` = `{id}` is not one of the [[licenses]]"),
            ),
            Msg::PathOutsideDataset { path } => (
                format!("đường dẫn `{path}` nằm ngoài thư mục của bộ dữ liệu"),
                format!("path `{path}` leaves the dataset folder"),
            ),
            Msg::ResourceFileMissing { path } => (
                format!("không tìm thấy tệp `{path}` trong thư mục của bộ dữ liệu"),
                format!("file `{path}` not found in the dataset folder"),
            ),
            Msg::ResourceNeedsPathOrUrl => (
                "tài nguyên cần `path` (tệp dữ liệu) hoặc `url` (dịch vụ dữ liệu)".into(),
                "a resource needs `path` (a data file) or `url` (a data service)".into(),
            ),
            Msg::ResourcePathAndUrl => (
                "tài nguyên chỉ được có một trong hai: `path` hoặc `url`".into(),
                "a resource takes either `path` or `url`, not both".into(),
            ),
            Msg::DescriptionMissing => (
                "thiếu `description` (hoặc tệp README.md bên cạnh dataset.toml)".into(),
                "missing `description` (or a README.md beside dataset.toml)".into(),
            ),
            Msg::NoResources => {
                ("bộ dữ liệu cần ít nhất một [[resources]]".into(), "a dataset needs at least one [[resources]]".into())
            }
            Msg::DuplicateField { name } => (
                format!("trường `{name}` được khai báo hai lần trong từ điển dữ liệu"),
                format!("field `{name}` is declared twice in the data dictionary"),
            ),
            Msg::PrimaryKeyUnknownField { name } => (
                format!("khóa chính nhắc tới trường `{name}` không có trong từ điển dữ liệu"),
                format!("primary key names field `{name}`, which is not in the data dictionary"),
            ),
            Msg::UnknownFieldType { ty } => (
                format!("kiểu dữ liệu `{ty}` không hợp lệ; dùng: {}", list(crate::model::FieldType::NAMES)),
                format!("unknown field type `{ty}`; use: {}", list(crate::model::FieldType::NAMES)),
            ),
            Msg::TableWithoutDictionary { path } => (
                format!("tệp dạng bảng `{path}` cần từ điển dữ liệu ([resources.schema] hoặc `schema = \"tệp.json\"`)"),
                format!(
                    "tabular file `{path}` needs a data dictionary ([resources.schema] or `schema = \"file.json\"`)"
                ),
            ),
            Msg::SchemaFileInvalid { detail } => {
                (format!("tệp Table Schema không hợp lệ: {detail}"), format!("invalid Table Schema file: {detail}"))
            }
            Msg::ServiceFieldOnFile { key } => (
                format!("`{key}` chỉ dùng cho dịch vụ dữ liệu (tài nguyên có `url`)"),
                format!("`{key}` applies only to data services (resources with `url`)"),
            ),
            Msg::FieldOptionNotForType { key, ty } => (
                format!("`{key}` không áp dụng cho trường kiểu `{ty}`"),
                format!("`{key}` does not apply to a field of type `{ty}`"),
            ),
            Msg::HeaderMismatch { missing, extra } => (
                format!(
                    "dòng tiêu đề không khớp từ điển dữ liệu: thiếu cột {}; cột không khai báo {}",
                    list(missing),
                    list(extra)
                ),
                format!(
                    "header does not match the data dictionary: missing columns {}; undeclared columns {}",
                    list(missing),
                    list(extra)
                ),
            ),
            Msg::MalformedCsv { detail } => {
                (format!("tệp CSV không đọc được: {detail}"), format!("malformed CSV: {detail}"))
            }
            Msg::EmptyDataFile => {
                ("tệp dữ liệu rỗng (không có dòng tiêu đề)".into(), "the data file is empty (no header row)".into())
            }
            Msg::DataNotUtf8 => (
                "tệp dữ liệu không phải UTF-8; hãy lưu lại dưới dạng \"CSV UTF-8\"".into(),
                "the data file is not UTF-8; save it again as \"CSV UTF-8\"".into(),
            ),
            Msg::DataLossyExport { count, line, example } => (
                format!(
                    "tệp đã mất chữ: {count} dấu '?' thay cho chữ tiếng Việt (dòng {line}: «{example}»). Excel lưu kiểu \
                     \"CSV\" (ANSI) thay các chữ không có trong bảng mã bằng '?'. Hãy mở bản gốc (.xlsx) và lưu bằng \
                     \"CSV UTF-8 (Comma delimited)\""
                ),
                format!(
                    "letters were lost: {count} '?' stand for Vietnamese letters (line {line}: “{example}”). Excel's plain \
                     \"CSV\" (ANSI) export replaces letters its code page lacks with '?'. Open the original (.xlsx) and \
                     save as \"CSV UTF-8 (Comma delimited)\""
                ),
            ),
            Msg::DataMojibake { line, example } => (
                format!(
                    "tệp bị lỗi mã (dòng {line}: «{example}»): tệp UTF-8 đã bị mở như Windows-1252 rồi lưu lại. Hãy dùng \
                     bản gốc, hoặc trong Excel chọn Dữ liệu → Từ Văn bản/CSV, nguồn tệp 65001 (UTF-8), rồi lưu \"CSV UTF-8\""
                ),
                format!(
                    "the text is garbled (line {line}: “{example}”): a UTF-8 file was opened as Windows-1252 and saved \
                     again. Use the original, or in Excel use Data → From Text/CSV with file origin 65001 (UTF-8), then \
                     save as \"CSV UTF-8\""
                ),
            ),
            Msg::DataLegacyFont { font, line, example } => (
                format!(
                    "chữ được gõ bằng phông {font} (dòng {line}: «{example}»). Hãy chuyển mã bằng Unikey (Công cụ → \
                     Chuyển mã: nguồn {font}, đích Unicode) rồi lưu \"CSV UTF-8\""
                ),
                format!(
                    "the text was typed with a {font} font (line {line}: “{example}”). Convert it with Unikey's \
                     converter (source {font}, destination Unicode), then save as \"CSV UTF-8\""
                ),
            ),
            Msg::DataEncodingUnknown { candidates } => {
                let (vi, en) = match candidates.as_slice() {
                    [a, b, ..] => (format!(" (có thể là {a} hoặc {b})"), format!(" ({a} or {b})")),
                    _ => (String::new(), String::new()),
                };
                (
                    format!("không nhận ra bảng mã của tệp{vi}; hãy lưu lại bằng \"CSV UTF-8\""),
                    format!("the file's encoding could not be recognised{en}; save it again as \"CSV UTF-8\""),
                )
            }
            Msg::DataNotText => {
                ("tệp không phải văn bản (có byte NUL)".into(), "the file is not text (it contains NUL bytes)".into())
            }
            Msg::PersonalData { column, kind_vi, kind_en, matched, seen, rows, by_header, sensitive } => {
                let rows = rows.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
                let (what_vi, what_en) = if *sensitive {
                    ("dữ liệu cá nhân nhạy cảm", "sensitive personal data")
                } else {
                    ("dữ liệu cá nhân", "personal data")
                };
                let (basis_vi, basis_en) = if *by_header {
                    (" (theo tên cột)".to_string(), " (by its header)".to_string())
                } else {
                    (
                        format!(" ({matched}/{seen} giá trị, ví dụ dòng {rows})"),
                        format!(" ({matched} of {seen} values, e.g. rows {rows})"),
                    )
                };
                (
                    format!(
                        "cột `{column}` chứa {kind_vi}{basis_vi}; không được công bố {what_vi} (Luật 91/2025/QH15). Hãy bỏ \
                         cột, hoặc nếu đây là thông tin công khai, khai báo `public_reason` cho trường này trong từ điển dữ liệu"
                    ),
                    format!(
                        "column `{column}` holds {kind_en}{basis_en}; {what_en} may not be published (Law 91/2025/QH15). \
                         Remove the column or, if it is public information, declare `public_reason` for this field in the \
                         data dictionary"
                    ),
                )
            }
            Msg::PublicRegisterData { column, kind_vi, kind_en } => (
                format!(
                    "cột `{column}` chứa {kind_vi} — thông tin đăng ký công khai, rủi ro thấp; khai báo `public_reason` để \
                     công bố"
                ),
                format!(
                    "column `{column}` holds {kind_en}, public-register data (low risk); declare `public_reason` to publish it"
                ),
            ),
            Msg::DataMalformedEncoding { encoding, line } => (
                format!(
                    "tệp có byte không hợp lệ trong bảng mã {encoding} (gần dòng {line}); hãy lưu lại bằng \"CSV UTF-8\""
                ),
                format!(
                    "the file has bytes that are not valid {encoding} (near line {line}); save it again as \"CSV UTF-8\""
                ),
            ),
            Msg::DataEncodingConverted { encoding } => (
                format!(
                    "tệp dùng bảng mã {encoding}; odp đã chuyển sang UTF-8 (NFC) để công bố. Lần sau hãy lưu bằng \"CSV UTF-8\""
                ),
                format!(
                    "the file is in {encoding}; odp converted it to UTF-8 (NFC) for publication. Next time save it as \
                     \"CSV UTF-8\""
                ),
            ),
            // E042x: JSON and XLSX sources
            Msg::JsonNotArray => (
                "tệp JSON phải là một mảng các đối tượng, mỗi đối tượng là một dòng: `[{\"cột\": giá trị, ...}, ...]`"
                    .into(),
                "a JSON data file must be an array of objects, one object per row: `[{\"column\": value, ...}, ...]`"
                    .into(),
            ),
            Msg::JsonRowNotObject { index } => (
                format!(
                    "phần tử thứ {index} của mảng không phải đối tượng `{{...}}`; mỗi dòng dữ liệu phải là một đối tượng"
                ),
                format!("array element {index} is not an object `{{...}}`; each data row must be an object"),
            ),
            Msg::JsonSyntax { found, expected } => {
                let one_of = |or: &str, end: &str| match expected.as_slice() {
                    [] => end.to_string(),
                    [one] => format!("`{one}`"),
                    [init @ .., last] => {
                        let init: Vec<String> = init.iter().map(|e| format!("`{e}`")).collect();
                        format!("{} {or} `{last}`", init.join(", "))
                    }
                };
                let found = |end: &str| found.as_ref().map_or(end.to_string(), |f| format!("`{f}`"));
                (
                    format!("JSON không hợp lệ: gặp {}, cần {}", found("cuối tệp"), one_of("hoặc", "kết thúc tệp")),
                    format!(
                        "malformed JSON: found {}, expected {}",
                        found("the end of the file"),
                        one_of("or", "the end of the file")
                    ),
                )
            }
            Msg::JsonNestedValue { key } => (
                format!(
                    "giá trị của `{key}` là mảng hoặc đối tượng lồng nhau; dữ liệu dạng bảng chỉ nhận chuỗi, số, \
                     true/false hoặc null"
                ),
                format!(
                    "the value of `{key}` is a nested array or object; tabular data takes only strings, numbers, \
                     true/false or null"
                ),
            ),
            Msg::JsonUnknownKey { key, columns } => (
                format!(
                    "khóa `{key}` không có trong đối tượng đầu tiên (đối tượng đầu tiên xác định các cột: {}); hãy thêm \
                     khóa này vào đối tượng đầu tiên, với giá trị null nếu không có dữ liệu",
                    list(columns)
                ),
                format!(
                    "key `{key}` is not in the first object (the first object defines the columns: {}); add the key to \
                     the first object, with null if it has no value",
                    list(columns)
                ),
            ),
            Msg::JsonDuplicateKey { key } => (
                format!("khóa `{key}` xuất hiện hai lần trong cùng một đối tượng"),
                format!("key `{key}` appears twice in the same object"),
            ),
            Msg::SheetNotFound { sheet, sheets } => (
                format!("tệp Excel không có trang tính `{sheet}`; các trang tính: {}", list(sheets)),
                format!("the workbook has no sheet `{sheet}`; sheets: {}", list(sheets)),
            ),
            Msg::XlsxCellError { sheet, cell, error } => (
                format!(
                    "ô {cell} của trang tính `{sheet}` chứa lỗi Excel `{error}`; hãy sửa công thức hoặc để trống ô"
                ),
                format!(
                    "cell {cell} of sheet `{sheet}` holds the Excel error `{error}`; fix the formula or leave the cell empty"
                ),
            ),
            Msg::SourceUnreadable { detail } => {
                (format!("không đọc được tệp dữ liệu: {detail}"), format!("cannot read the data file: {detail}"))
            }
            // E05xx: data values
            Msg::CellType { column, value, ty, format, example } => {
                use crate::model::FieldType as T;
                let (vi, en): (String, String) = match (ty, format) {
                    (T::Integer, _) => ("không phải số nguyên".into(), "is not an integer".into()),
                    (T::Number, _) => ("không phải số".into(), "is not a number".into()),
                    (T::Boolean, _) => (
                        "không phải giá trị đúng/sai (true/false, 1/0, có/không, đúng/sai)".into(),
                        "is not a boolean (true/false, 1/0, có/không, đúng/sai)".into(),
                    ),
                    (T::Date, Some(f)) => {
                        (format!("không phải ngày theo định dạng `{f}`"), format!("is not a date in the format `{f}`"))
                    }
                    (T::Date, None) => ("không phải ngày".into(), "is not a date".into()),
                    (T::Datetime, Some(f)) => (
                        format!("không phải ngày giờ theo định dạng `{f}`"),
                        format!("is not a date and time in the format `{f}`"),
                    ),
                    (T::Datetime, None) => {
                        ("không phải ngày giờ ISO 8601".into(), "is not an ISO 8601 date and time".into())
                    }
                    (T::Year, _) => ("không phải năm (4 chữ số)".into(), "is not a year (4 digits)".into()),
                    (T::Geopoint, _) => (
                        "không phải tọa độ \"kinh độ, vĩ độ\"".into(),
                        "is not a geopoint \"longitude, latitude\"".into(),
                    ),
                    (T::String, _) => ("không hợp lệ".into(), "is not valid".into()),
                };
                let (ex_vi, ex_en) = match example {
                    Some(e) => (format!(" (ví dụ: {e})"), format!(" (e.g. {e})")),
                    None => (String::new(), String::new()),
                };
                (
                    format!("giá trị \"{value}\" ở cột `{column}` {vi}{ex_vi}"),
                    format!("value \"{value}\" in column `{column}` {en}{ex_en}"),
                )
            }
            Msg::CellRequired { column } => (
                format!("thiếu giá trị ở cột bắt buộc `{column}`"),
                format!("missing value in required column `{column}`"),
            ),
            Msg::CellEnum { column, value, allowed } => {
                let shown = list(&allowed[..allowed.len().min(10)]);
                let more = allowed.len().saturating_sub(10);
                let (more_vi, more_en) = if more > 0 {
                    (format!(" và {more} giá trị khác"), format!(" and {more} more"))
                } else {
                    (String::new(), String::new())
                };
                (
                    format!("giá trị \"{value}\" ở cột `{column}` không thuộc danh sách cho phép: {shown}{more_vi}"),
                    format!(
                        "value \"{value}\" in column `{column}` is not one of the allowed values: {shown}{more_en}"
                    ),
                )
            }
            Msg::CellMinimum { column, value, minimum } => (
                format!("giá trị \"{value}\" ở cột `{column}` nhỏ hơn giá trị tối thiểu {minimum}"),
                format!("value \"{value}\" in column `{column}` is less than the minimum {minimum}"),
            ),
            Msg::CellMaximum { column, value, maximum } => (
                format!("giá trị \"{value}\" ở cột `{column}` lớn hơn giá trị tối đa {maximum}"),
                format!("value \"{value}\" in column `{column}` is greater than the maximum {maximum}"),
            ),
            Msg::CellPattern { column, value, pattern } => (
                format!("giá trị \"{value}\" ở cột `{column}` không khớp mẫu `{pattern}`"),
                format!("value \"{value}\" in column `{column}` does not match the pattern `{pattern}`"),
            ),
            Msg::CellUnknownCode { column, value, codelist } => (
                format!("mã \"{value}\" ở cột `{column}` không có trong danh mục `{codelist}`"),
                format!("code \"{value}\" in column `{column}` is not in the code list `{codelist}`"),
            ),
            Msg::CellDuplicate { column, value, first_line } => {
                let (vi, en) = match value {
                    Some(v) => (format!("giá trị \"{v}\""), format!("value \"{v}\"")),
                    None => ("giá trị".to_string(), "the value".to_string()),
                };
                (
                    format!(
                        "{vi} ở cột `{column}` trùng với dòng {first_line}; cột này không được có giá trị trùng nhau"
                    ),
                    format!(
                        "{en} in column `{column}` duplicates line {first_line}; the column's values must be unique"
                    ),
                )
            }
            Msg::KeyDuplicate { columns, value, first_line } => {
                let v = value.as_ref().map(|v| format!(" = ({v})")).unwrap_or_default();
                (
                    format!("khóa chính ({}){v} trùng với dòng {first_line}", list(columns)),
                    format!("primary key ({}){v} duplicates line {first_line}", list(columns)),
                )
            }
            Msg::FieldPatternInvalid { field, pattern, detail } => (
                format!("mẫu `{pattern}` của trường `{field}` không phải biểu thức chính quy hợp lệ: {detail}"),
                format!("pattern `{pattern}` of field `{field}` is not a valid regular expression: {detail}"),
            ),
            Msg::FieldConstraintInvalid { field, key, value, ty } => (
                format!("`{key}` = \"{value}\" của trường `{field}` không phải giá trị kiểu `{}` hợp lệ", ty.name()),
                format!("`{key}` = \"{value}\" of field `{field}` is not a valid `{}` value", ty.name()),
            ),
            Msg::FieldFormatInvalid { field, format } => (
                format!(
                    "định dạng `{format}` của trường `{field}` không hợp lệ; dùng các mã %d %m %Y %y %H %M %S %f %z \
                     và phải có năm, ví dụ `%d/%m/%Y`"
                ),
                format!(
                    "format `{format}` of field `{field}` is not valid; use the codes %d %m %Y %y %H %M %S %f %z \
                     with a year, e.g. `%d/%m/%Y`"
                ),
            ),
            Msg::NumberCharsInvalid { decimal_char, group_char } => (
                format!(
                    "`decimal_char` = \"{decimal_char}\" và `group_char` = \"{group_char}\" phải là hai ký tự đơn khác \
                     nhau, không phải chữ số"
                ),
                format!(
                    "`decimal_char` = \"{decimal_char}\" and `group_char` = \"{group_char}\" must be two different \
                     single characters, not digits"
                ),
            ),
            Msg::MoreRows { columns, count, code } => {
                let digits = count.to_string();
                let grouped = |sep: char| {
                    let mut s = String::with_capacity(digits.len() + digits.len() / 3);
                    for (i, c) in digits.chars().enumerate() {
                        if i > 0 && (digits.len() - i) % 3 == 0 {
                            s.push(sep);
                        }
                        s.push(c);
                    }
                    s
                };
                let (cot, column) = if columns.len() > 1 { ("các cột", "columns") } else { ("cột", "column") };
                let rows = if *count == 1 { "row" } else { "rows" };
                (
                    format!("… và {} dòng khác có cùng lỗi ({code}) ở {cot} {}", grouped('.'), list(columns)),
                    format!(
                        "… and {} more {rows} with the same problem ({code}) in {column} {}",
                        grouped(','),
                        list(columns)
                    ),
                )
            }
            Msg::DescriptionTooShort { chars } => (
                format!("mô tả chỉ có {chars} ký tự; cần ít nhất 50 để Google Dataset Search hiển thị"),
                format!("the description has {chars} characters; Google Dataset Search needs at least 50"),
            ),
            Msg::DescriptionTooLong { chars } => (
                format!("mô tả có {chars} ký tự; Google Dataset Search chỉ nhận tối đa 5000"),
                format!("the description has {chars} characters; Google Dataset Search takes at most 5000"),
            ),
            Msg::NoKeywords => (
                "nên có `keywords` để người dùng tìm thấy bộ dữ liệu".into(),
                "add `keywords` so people can find the dataset".into(),
            ),
            Msg::OnlyDocumentFormats { formats } => (
                format!(
                    "bộ dữ liệu chỉ có tệp {}; dữ liệu mở cần ít nhất một định dạng máy đọc được (CSV, JSON, XML, XLSX — \
                     000 Điều 4.4.a)",
                    list(formats)
                ),
                format!(
                    "the dataset offers only {}; open data needs at least one machine-readable format (CSV, JSON, XML, \
                     XLSX — 000 Art. 4.4.a)",
                    list(formats)
                ),
            ),
            Msg::DuplicateTitle { other } => (
                format!("bộ dữ liệu `{other}` có cùng tiêu đề; người dùng sẽ không phân biệt được"),
                format!("dataset `{other}` has the same title; people will not tell them apart"),
            ),
            Msg::NoticeUnknownKind { kind } => (
                format!("loại thông báo `{kind}` không hợp lệ; dùng một trong: {}", list(crate::notices::Kind::NAMES)),
                format!("unknown notice kind `{kind}`; use one of: {}", list(crate::notices::Kind::NAMES)),
            ),
            Msg::NoticeEndBeforeStart { start, end } => (
                format!("ngày kết thúc {end} trước ngày bắt đầu {start}"),
                format!("end date {end} is before start date {start}"),
            ),
            Msg::NoticeNeedsRecovery => (
                "thông báo tạm ngừng dịch vụ phải có `expected_recovery`: thời gian dự kiến phục hồi (002 Điều 20.3)"
                    .into(),
                "a planned suspension must state `expected_recovery`, the expected recovery time (002 Art. 20.3)"
                    .into(),
            ),
            Msg::NoticeUnknownAffected { id } => (
                format!("`{id}` không phải bộ dữ liệu hay dịch vụ dữ liệu (`bộ-dữ-liệu/tài-nguyên`) của cổng"),
                format!("`{id}` is not a dataset or data service (`dataset/resource`) of the portal"),
            ),
            Msg::FreshnessRuleUnknown { rule } => (
                format!("quy tắc `{rule}` không hợp lệ; dùng một trong: {}", list(crate::freshness::Rule::NAMES)),
                format!("unknown freshness rule `{rule}`; use one of: {}", list(crate::freshness::Rule::NAMES)),
            ),
            Msg::NoticeShortLeadTime { announced, start, working_days, from_git } => {
                let (src_vi, src_en) = if *from_git {
                    (" (ngày commit thêm tệp; ghi `announced` nếu đã thông báo sớm hơn)", " (the commit that added the file; set `announced` if it was announced earlier)")
                } else {
                    ("", "")
                };
                (
                    format!(
                        "tạm ngừng từ {start} nhưng thông báo ngày {announced}{src_vi}: chỉ trước {working_days} ngày làm việc; phải thông báo ít nhất 7 ngày làm việc trước (002 Điều 20.3)"
                    ),
                    format!(
                        "suspension starts {start} but was announced {announced}{src_en}: only {working_days} working days ahead; it must be announced at least 7 working days ahead (002 Art. 20.3)"
                    ),
                )
            }
            Msg::NoticeAnnouncedUnknown => (
                "không biết ngày thông báo (tệp chưa được commit); ghi `announced` để kiểm tra thời hạn 7 ngày làm việc \
                 (002 Điều 20.3)"
                    .into(),
                "the announcement date is unknown (the file is not committed); set `announced` so the 7-working-day \
                 lead time can be checked (002 Art. 20.3)"
                    .into(),
            ),
            Msg::NoticeHolidaysUnknown { year } => (
                format!("odp chưa có danh sách ngày nghỉ lễ năm {year}; ngày làm việc chỉ trừ thứ Bảy, Chủ nhật"),
                format!("odp has no public-holiday table for {year}; working days exclude only weekends"),
            ),
            Msg::MissingTranslation { key } => (
                format!("thiếu bản tiếng Anh `{key}`; trang tiếng Anh sẽ hiển thị tiếng Việt"),
                format!("missing English `{key}`; the English page will show the Vietnamese text"),
            ),
            Msg::ThemeDcatUnknown { code } => (
                format!(
                    "`{code}` không phải mã chủ đề dữ liệu của EU mà DCAT-AP dùng; chọn một trong {}",
                    crate::catalog::dcat::EU_THEME_CODES.join(", ")
                ),
                format!(
                    "`{code}` is not an EU data-theme code, which DCAT-AP requires; use one of {}",
                    crate::catalog::dcat::EU_THEME_CODES.join(", ")
                ),
            ),
            Msg::ThemeDcatMissing { theme } => (
                format!(
                    "lĩnh vực `{theme}` chưa có `dcat` (mã chủ đề dữ liệu EU, ví dụ `GOVE`); danh mục DCAT-AP sẽ thiếu \
                     chủ đề của các bộ dữ liệu thuộc lĩnh vực này"
                ),
                format!(
                    "theme `{theme}` has no `dcat` (EU data-theme code, e.g. `GOVE`); its datasets will have no theme in \
                     the DCAT-AP catalogue"
                ),
            ),
        }
    }
}
