//! JSON Schemas of every event type, generated from the Rust types.
//!
//! The committed copies live in `schemas/` (one file per `event_type`, plus the legacy
//! `EmailBackfillEvent`); a unit test fails when they are stale and rewrites them when
//! `OFFICECTL_UPDATE_SNAPSHOTS=1`. The same generated schemas drive [`crate::model::validate`], so
//! what the validator enforces is exactly what the committed schema says.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::Value;

use crate::model::catalog::{CATALOG, DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::families::{
    BookingEvent, CalendarEvent, ContactEvent, DocumentEvent, EmailEvent, LlmChatEvent,
    MeetingPollEvent, ShipmentEvent, TodoEvent,
};
use crate::model::legacy::EmailBackfillEvent;

fn generate<T: JsonSchema>(title: &str) -> Value {
    let mut value = schemars::schema_for!(T).to_value();
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), Value::String(title.to_string()));
    }
    value
}

fn generate_for(data_type: DataType) -> Value {
    let mut schema = generate_typed(data_type);
    with_deletion_branch(&mut schema, data_type);
    schema
}

/// Lets a `delete` carry only its items' ids: the items field's item schema moves into an
/// `if operation is delete / then / else` pair, where `then` points at a copy of the item
/// definition (`<Item>Deletion`) that requires only the id field. Every field stays checked
/// when present, and unknown fields are refused in both branches.
fn with_deletion_branch(schema: &mut Value, data_type: DataType) {
    let info = data_type.info();
    let Some(item_schema) = schema
        .pointer(&format!("/properties/{}", info.items_field))
        .cloned()
    else {
        return;
    };
    let reference_at = if data_type.batched() {
        "/items/$ref"
    } else {
        "/$ref"
    };
    let Some(reference) = item_schema.pointer(reference_at).and_then(Value::as_str) else {
        return;
    };
    let definition = reference.trim_start_matches("#/$defs/").to_string();
    let deletion = format!("{definition}Deletion");
    let Some(mut deleted_item) = schema.pointer(&format!("/$defs/{definition}")).cloned() else {
        return;
    };
    if let Value::Object(item) = &mut deleted_item {
        item.insert("required".into(), Value::from(vec![info.id_field]));
        item.insert(
            "description".into(),
            Value::from(format!(
                "A deleted item: only `{}` is required (`updated_at` when known; the event's `occurred_at` stands in for it in the idempotency key).",
                info.id_field
            )),
        );
    }
    // Each branch says only what the items are; the shape (list bounds) stays in `properties`.
    let items_are = |definition: &str| {
        let reference = serde_json::json!({ "$ref": format!("#/$defs/{definition}") });
        if data_type.batched() {
            serde_json::json!({ "items": reference })
        } else {
            reference
        }
    };
    // What the field is regardless of the operation: a list for e-mails, else an object.
    let mut shape = item_schema.clone();
    if let Value::Object(shape) = &mut shape {
        if data_type.batched() {
            shape.remove("items");
        } else {
            shape.remove("$ref");
            shape.insert("type".into(), Value::from("object"));
        }
    }
    let field = info.items_field;
    let branch = |item: Value| serde_json::json!({ "properties": { field: item } });
    if let Value::Object(map) = schema {
        if let Some(Value::Object(defs)) = map.get_mut("$defs") {
            defs.insert(deletion.clone(), deleted_item);
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            properties.insert(field.into(), shape);
        }
        map.insert(
            "if".into(),
            serde_json::json!({
                "properties": { "operation": { "const": "delete" } },
                "required": ["operation"]
            }),
        );
        map.insert("then".into(), branch(items_are(&deletion)));
        map.insert("else".into(), branch(items_are(&definition)));
    }
}

fn generate_typed(data_type: DataType) -> Value {
    let title = data_type.event_type();
    match data_type {
        DataType::Email => generate::<EmailEvent>(title),
        DataType::Calendar => generate::<CalendarEvent>(title),
        DataType::Contact => generate::<ContactEvent>(title),
        DataType::Document => generate::<DocumentEvent>(title),
        DataType::Todo => generate::<TodoEvent>(title),
        DataType::LlmChat => generate::<LlmChatEvent>(title),
        DataType::Shipment => generate::<ShipmentEvent>(title),
        DataType::MeetingPoll => generate::<MeetingPollEvent>(title),
        DataType::Booking => generate::<BookingEvent>(title),
    }
}

/// The JSON Schema (draft 2020-12) of one event type.
pub fn json_schema(data_type: DataType) -> &'static Value {
    static SCHEMAS: OnceLock<Vec<Value>> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| CATALOG.iter().map(|i| generate_for(i.data_type)).collect());
    // `all` is indexed like CATALOG, whose order `DataType::info` relies on too.
    &all[data_type as usize]
}

/// The JSON Schema of the legacy `EmailBackfillEvent` (open: unknown fields allowed).
pub fn legacy_json_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| generate::<EmailBackfillEvent>(LEGACY_EMAIL_EVENT_TYPE))
}

/// Every schema file as `(file name, pretty JSON + newline)`, in catalog order, legacy last.
pub fn schema_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, &Value)> = DataType::all()
        .map(|t| (format!("{}.json", t.event_type()), json_schema(t)))
        .collect();
    files.push((
        format!("{LEGACY_EMAIL_EVENT_TYPE}.json"),
        legacy_json_schema(),
    ));
    files
        .into_iter()
        .map(|(name, value)| {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            (name, text + "\n")
        })
        .collect()
}

/// Writes every schema file into `dir` (created if missing); returns the paths written.
pub fn write_json_schemas(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::model::snapshot::write_files(dir, &schema_files())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schemas_are_fresh() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        crate::model::snapshot::assert_fresh(&dir, &schema_files());
    }

    #[test]
    fn new_events_deny_unknown_fields_and_legacy_does_not() {
        for t in DataType::all() {
            let schema = json_schema(t);
            assert_eq!(schema["additionalProperties"], Value::Bool(false), "{t}");
            assert_eq!(schema["title"], t.event_type());
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            for field in [
                "event_type",
                "event_id",
                "schema_version",
                "user_id",
                "sync_type",
                "operation",
                "correlation_id",
                "occurred_at",
            ] {
                assert!(required.contains(&Value::from(field)), "{t} lacks {field}");
            }
            let has_provider = required.contains(&Value::from("provider"));
            assert_eq!(
                has_provider,
                t.info().origin == crate::model::catalog::Origin::Provider,
                "{t}"
            );
        }
        assert_ne!(
            legacy_json_schema()["additionalProperties"],
            Value::Bool(false)
        );
    }
}
