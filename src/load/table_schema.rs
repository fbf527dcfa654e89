//! A data dictionary kept as a Frictionless Table Schema JSON file (`schema = "x.schema.json"`),
//! for agencies that already have one. Field `title` is our Vietnamese label; `title_en`,
//! `unit`, `references` and `public_reason` are odp extensions a Table Schema may carry.

use crate::diag::{Diagnostics, Msg, Pos, messages::ValueKind};
use crate::model::{At, Bound, Field, FieldRef, FieldType, Schema, Text};
use crate::text::nfc;
use serde_json::Value;
use std::path::Path;

pub fn load(file: &Path, path: &str, diags: &mut Diagnostics) -> Option<Schema> {
    let Ok(bytes) = std::fs::read(file) else {
        diags.push(path, Pos::FILE, Msg::ResourceFileMissing { path: path.to_string() });
        return None;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        diags.push(path, Pos::FILE, Msg::NotUtf8);
        return None;
    };
    let json: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let pos = Pos::new(e.line() as u32, e.column() as u32, 1);
            diags.push(path, pos, Msg::SchemaFileInvalid { detail: e.to_string() });
            return None;
        }
    };
    let Some(raw_fields) = json.get("fields").and_then(Value::as_array) else {
        diags.push(path, Pos::FILE, Msg::MissingKey { key: "fields".into(), table: "Table Schema".into() });
        return None;
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(|s| nfc(s.trim()));
    let mut fields = Vec::new();
    let mut missing = Vec::new();
    for f in raw_fields {
        let (Some(name), Some(title)) = (s(f, "name"), s(f, "title")) else {
            missing.push(if s(f, "name").is_none() { "name" } else { "title" });
            continue;
        };
        let ty_name = s(f, "type").unwrap_or_else(|| "string".into());
        let Some(ty) = FieldType::parse(&ty_name) else {
            diags.push(path, Pos::FILE, Msg::UnknownFieldType { ty: ty_name });
            continue;
        };
        let c = f.get("constraints").cloned().unwrap_or(Value::Null);
        let bound = |v: Option<&Value>| match v {
            Some(Value::Number(n)) => n.as_f64().map(Bound::Number),
            Some(Value::String(s)) => Some(Bound::Date(s.clone())),
            _ => None,
        };
        let references = f.get("references").and_then(|r| {
            Some(At::new(
                FieldRef { dataset: s(r, "dataset")?, resource: s(r, "resource")?, field: s(r, "field")? },
                Pos::FILE,
            ))
        });
        if let Some(v) = c.get("enum").filter(|v| !v.is_array()) {
            let found = v.to_string();
            diags.push(path, Pos::FILE, Msg::WrongType { key: "enum".into(), expected: ValueKind::StringList, found });
        }
        fields.push(Field {
            name: At::new(name, Pos::FILE),
            title: Text::new(title, s(f, "title_en")),
            description: s(f, "description").map(|d| Text::new(d, s(f, "description_en"))),
            ty,
            format: s(f, "format").filter(|f| f != "default"),
            unit: s(f, "unit"),
            required: c.get("required").and_then(Value::as_bool).unwrap_or(false),
            unique: c.get("unique").and_then(Value::as_bool).unwrap_or(false),
            enum_values: c
                .get("enum")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect())
                .unwrap_or_default(),
            minimum: bound(c.get("minimum")),
            maximum: bound(c.get("maximum")),
            pattern: c.get("pattern").and_then(Value::as_str).map(str::to_string),
            references,
            public_reason: s(f, "public_reason"),
        });
    }
    for key in missing {
        diags.push(path, Pos::FILE, Msg::MissingKey { key: key.into(), table: "fields[]".into() });
    }
    let primary_key = match json.get("primaryKey") {
        Some(Value::String(k)) => vec![k.clone()],
        Some(Value::Array(ks)) => ks.iter().filter_map(|k| k.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    for k in &primary_key {
        if !fields.iter().any(|f| &f.name.value == k) {
            diags.push(path, Pos::FILE, Msg::PrimaryKeyUnknownField { name: k.clone() });
        }
    }
    let first_field = raw_fields.first();
    let decimal_char = first_field.and_then(|f| s(f, "decimalChar"));
    let group_char = first_field.and_then(|f| s(f, "groupChar"));
    Some(Schema {
        fields,
        primary_key: primary_key.into_iter().map(|k| At::new(k, Pos::FILE)).collect(),
        decimal_char,
        group_char,
        source: path.to_string(),
    })
}
