//! A document read back from Vespa, brought to the current document shape: what a re-feed from
//! Vespa (`officectl reindex --from-vespa`) puts back.
//!
//! A stored document may have been written by an older officectl: a field the type no longer
//! has, a field the factory now derives but did not then, a value in an older encoding (a time
//! as RFC 3339 text, a list as one string). [`upgrade`] parses the visited fields against the
//! schema tables (the single source the [factory](super::factory) and the `.sd` files use) and
//! returns the document the factory would build today:
//!
//! - the id must be one the model builds (`id:office:<type>:g=<user>:<id>`, see [`DocumentId`]);
//! - `doc_id`, `user_id` and `doc_type` are derived from the id; a stored `doc_id`/`user_id`
//!   that contradicts the id is an error (the document is corrupt, not old);
//! - a field stored under an older name ([`RENAMED_FIELDS`], e.g. a booking's `host`, now
//!   `host_address`) moves to its current name; when both are stored the current one wins and
//!   the old one is dropped;
//! - fields the type no longer has are dropped and listed;
//! - values are converted to the field's type where the meaning is unambiguous (a number as
//!   text, a whole float, an RFC 3339 time to epoch seconds, `"true"`, a single string to a
//!   one-element list; null means "not set"); anything else is an error naming the field;
//! - fields the factory derives from others are filled when missing: `participants` (sender,
//!   recipients, organizer, owner, a booking's host and guest, as the type has them), `has_attachments`,
//!   `received_at`/`created_at` of an e-mail, `updated_at` from `created_at`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::catalog::DataType;
use crate::model::vespa::docid::{DocumentId, ParseIdError};
use crate::model::vespa::factory::VespaDocument;
use crate::model::vespa::schema::{FieldSpec, FieldType, field_spec, renamed_field};

#[cfg(doc)]
use crate::model::vespa::schema::RENAMED_FIELDS;

/// A visited document in the current shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgraded {
    pub document: VespaDocument,
    /// Fields that were dropped because the type does not have them (sorted).
    pub dropped: Vec<String>,
    /// Fields moved from an older name to the current one, `(old, new)` (sorted).
    pub renamed: Vec<(String, &'static str)>,
    /// Whether the document differs from what was visited (fields filled, converted or dropped).
    pub changed: bool,
}

/// Why a visited document cannot be brought to the current shape.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UpgradeError {
    #[error(transparent)]
    Id(#[from] ParseIdError),
    #[error("document `{id}`: `fields` is not a JSON object")]
    NotAnObject { id: String },
    #[error("document `{id}`: field `{field}`: {message}")]
    Field {
        id: String,
        field: String,
        message: String,
    },
}

/// Brings the visited document `id` with `fields` (the `fields` object of a visit) to the
/// current shape of its type.
pub fn upgrade(id: &str, fields: &Value) -> Result<Upgraded, UpgradeError> {
    let doc_id = DocumentId::parse(id)?;
    let data_type = doc_id.data_type();
    let Some(given) = fields.as_object() else {
        return Err(UpgradeError::NotAnObject { id: id.to_string() });
    };
    let field_error = |field: &str, message: String| UpgradeError::Field {
        id: id.to_string(),
        field: field.to_string(),
        message,
    };

    let mut out: BTreeMap<&'static str, Value> = BTreeMap::new();
    let mut dropped = Vec::new();
    let mut old_names = Vec::new();
    for (name, value) in given {
        let Some(spec) = field_spec(data_type, name) else {
            match renamed_field(data_type, name) {
                Some(spec) => old_names.push((name, spec, value)),
                None => dropped.push(name.clone()),
            }
            continue;
        };
        if let Some(value) = convert(spec, value).map_err(|m| field_error(name, m))? {
            out.insert(spec.name, value);
        }
    }
    // After the current fields, so that a value under the current name wins whatever the order
    // of the visited object.
    let mut renamed = Vec::new();
    for (name, spec, value) in old_names {
        if out.contains_key(spec.name) {
            dropped.push(name.clone());
        } else if let Some(value) = convert(spec, value).map_err(|m| field_error(name, m))? {
            out.insert(spec.name, value);
            renamed.push((name.clone(), spec.name));
        }
    }
    dropped.sort();
    renamed.sort();

    // Derived from the id: the id is what the document is stored under, so it wins over nothing
    // but must agree with what the document says about itself.
    for (field, expected) in [("doc_id", doc_id.doc_id()), ("user_id", doc_id.user_id())] {
        match out.get(field) {
            Some(Value::String(stored)) if *stored != expected => {
                return Err(field_error(
                    field,
                    format!("is `{stored}` but the document id says `{expected}`"),
                ));
            }
            _ => {
                out.insert(field_name(data_type, field), Value::String(expected));
            }
        }
    }
    out.insert(
        field_name(data_type, "doc_type"),
        Value::String(data_type.doc_type().to_string()),
    );
    derive(data_type, &mut out);

    let changed = !dropped.is_empty() || !renamed.is_empty() || !same(&out, given);
    Ok(Upgraded {
        document: VespaDocument {
            data_type,
            id: doc_id.to_string(),
            fields: out,
        },
        dropped,
        renamed,
        changed,
    })
}

/// The `&'static` name of a field the type is known to have.
fn field_name(data_type: DataType, name: &'static str) -> &'static str {
    field_spec(data_type, name).map_or(name, |spec| spec.name)
}

/// Whether the upgraded fields equal the visited ones.
fn same(out: &BTreeMap<&'static str, Value>, given: &Map<String, Value>) -> bool {
    out.len() == given.len() && out.iter().all(|(k, v)| given.get(*k) == Some(v))
}

/// The value in the field's type; `None` for null ("not set"). An empty list is kept as the
/// factory writes it (Vespa stores it as "not set" either way).
fn convert(spec: &FieldSpec, value: &Value) -> Result<Option<Value>, String> {
    if value.is_null() {
        return Ok(None);
    }
    let kind = kind_of(value);
    match spec.ty {
        FieldType::Str => match value {
            Value::String(_) => Ok(Some(value.clone())),
            Value::Number(n) => Ok(Some(Value::String(n.to_string()))),
            _ => Err(format!("expected a string, got {kind}")),
        },
        FieldType::Long => match value {
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(Some(Value::from(i)))
                } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15) {
                    Ok(Some(Value::from(f as i64)))
                } else {
                    Err(format!("expected an integer, got {n}"))
                }
            }
            Value::String(s) => {
                if let Ok(i) = s.trim().parse::<i64>() {
                    Ok(Some(Value::from(i)))
                } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
                    Ok(Some(Value::from(t.timestamp())))
                } else {
                    Err(format!(
                        "expected an integer (epoch seconds), got the string `{s}`"
                    ))
                }
            }
            _ => Err(format!("expected an integer, got {kind}")),
        },
        FieldType::Bool => match value {
            Value::Bool(_) => Ok(Some(value.clone())),
            Value::String(s) if s == "true" || s == "false" => Ok(Some(Value::Bool(s == "true"))),
            Value::Number(n) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => {
                Ok(Some(Value::Bool(n.as_u64() == Some(1))))
            }
            _ => Err(format!("expected a boolean, got {kind}")),
        },
        FieldType::Double => match value {
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok(Some(value.clone())),
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Some(Value::from(f))),
                _ => Err(format!("expected a number, got the string `{s}`")),
            },
            _ => Err(format!("expected a number, got {kind}")),
        },
        FieldType::ArrayStr => match value {
            Value::String(s) => Ok(Some(Value::Array(vec![Value::String(s.clone())]))),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        return Err(format!(
                            "expected a list of strings, element {i} is {}",
                            kind_of(item)
                        ));
                    }
                }
                Ok(Some(value.clone()))
            }
            _ => Err(format!("expected a list of strings, got {kind}")),
        },
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Fills the fields the factory derives from others, when missing.
fn derive(data_type: DataType, out: &mut BTreeMap<&'static str, Value>) {
    let text = |out: &BTreeMap<&'static str, Value>, name: &str| -> Vec<String> {
        match out.get(name) {
            Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let fill = |out: &mut BTreeMap<&'static str, Value>, name: &'static str, value: Value| {
        if let Some(spec) = field_spec(data_type, name)
            && !out.contains_key(name)
        {
            out.insert(spec.name, value);
        }
    };

    // The factory builds participants from these fields, in this order.
    let sources: &[&str] = match data_type {
        DataType::Email => &["from_address", "to_addresses", "cc_addresses"],
        DataType::Calendar | DataType::MeetingPoll => &["organizer"],
        DataType::Document => &["owner"],
        DataType::Booking => &["host_address", "guest"],
        _ => &[],
    };
    let participants: Vec<String> = sources.iter().flat_map(|s| text(out, s)).collect();
    if !participants.is_empty() {
        fill(out, "participants", Value::from(participants));
    }
    if data_type == DataType::Email {
        let has = !text(out, "attachment_names").is_empty();
        fill(out, "has_attachments", Value::Bool(has));
        // The factory sets both from the received time.
        if let Some(at) = out.get("received_at").cloned() {
            fill(out, "created_at", at);
        }
        if let Some(at) = out.get("created_at").cloned() {
            fill(out, "received_at", at);
        }
    }
    if let Some(at) = out.get("created_at").cloned() {
        fill(out, "updated_at", at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vespa::factory::{FeedOperation, from_event};
    use serde_json::json;

    fn email_fixture() -> crate::model::event::Event {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/email.json"
        ))
        .unwrap();
        crate::model::envelope::decode_message(text.as_bytes(), &Default::default())
            .unwrap()
            .event
    }

    #[test]
    fn a_current_document_is_unchanged() {
        let ops = from_event(&email_fixture())
            .into_iter()
            .chain(from_event(&booking_fixture()));
        for op in ops {
            let FeedOperation::Put(doc) = op else {
                panic!("put expected")
            };
            let visited = serde_json::to_value(&doc.fields).unwrap();
            let up = upgrade(&doc.id, &visited).unwrap();
            assert_eq!(up.document, doc);
            assert!(!up.changed, "{up:?}");
            assert!(up.dropped.is_empty());
        }
    }

    #[test]
    fn an_old_document_gets_the_current_shape() {
        // What the factory builds today, minus the derived fields, with old encodings and a
        // field the type no longer has.
        let FeedOperation::Put(current) = from_event(&email_fixture()).remove(0) else {
            panic!("put expected")
        };
        let mut old = serde_json::to_value(&current.fields).unwrap();
        let obj = old.as_object_mut().unwrap();
        for derived in [
            "doc_id",
            "user_id",
            "doc_type",
            "participants",
            "has_attachments",
            "created_at",
        ] {
            obj.remove(derived);
        }
        obj.insert("received_at".into(), json!("2024-04-30T08:15:00Z"));
        obj.insert("to_addresses".into(), json!("user42@example.com"));
        obj.insert("is_read".into(), json!("false"));
        obj.insert("legacy_score".into(), json!(0.5));
        let up = upgrade(&current.id, &old).unwrap();
        assert!(up.changed);
        assert_eq!(up.dropped, vec!["legacy_score".to_string()]);
        assert_eq!(up.document, current, "the factory's document, rebuilt");
    }

    #[test]
    fn derived_fields_are_filled_per_type() {
        let up = upgrade(
            "id:office:booking:g=u1:b-1",
            &json!({"host_address": "h@x", "guest": "g@x", "created_at": 5}),
        )
        .unwrap();
        let f = &up.document.fields;
        assert_eq!(f["participants"], json!(["h@x", "g@x"]));
        assert_eq!(f["updated_at"], json!(5));
        assert_eq!(f["doc_type"], json!("booking"));
        assert_eq!(f["user_id"], json!("u1"));
        assert_eq!(f["doc_id"], json!("b-1"));
        // Contacts have no participants; nothing is invented.
        let up = upgrade("id:office:contact:g=u1:c-1", &json!({"title": "Ann"})).unwrap();
        assert!(!up.document.fields.contains_key("participants"));
        assert!(!up.document.fields.contains_key("has_attachments"));
    }

    fn booking_fixture() -> crate::model::event::Event {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/booking.json"
        ))
        .unwrap();
        crate::model::envelope::decode_message(text.as_bytes(), &Default::default())
            .unwrap()
            .event
    }

    #[test]
    fn a_booking_stored_with_host_gets_host_address() {
        // What the factory built before the rename: the same fields with the host's address
        // under `host`, which real Vespa refuses as a field name (issue 18).
        let FeedOperation::Put(current) = from_event(&booking_fixture()).remove(0) else {
            panic!("put expected")
        };
        assert_eq!(current.fields["host_address"], json!("user42@example.com"));
        let Value::Object(mut old) = serde_json::to_value(&current.fields).unwrap() else {
            panic!("object expected")
        };
        let host = old.remove("host_address").unwrap();
        old.insert("host".into(), host);
        let up = upgrade(&current.id, &Value::Object(old.clone())).unwrap();
        assert_eq!(up.document, current, "the factory's document, rebuilt");
        assert_eq!(up.renamed, vec![("host".to_string(), "host_address")]);
        assert!(up.dropped.is_empty(), "{up:?}");
        assert!(up.changed);

        // Without participants too: they are derived from the renamed field.
        old.remove("participants");
        let up = upgrade(&current.id, &Value::Object(old.clone())).unwrap();
        assert_eq!(up.document, current);

        // Both names stored: the current one wins, the old one is dropped.
        old.insert("host".into(), json!("stale@example.com"));
        old.insert("host_address".into(), json!("user42@example.com"));
        old.insert(
            "participants".into(),
            current.fields["participants"].clone(),
        );
        let up = upgrade(&current.id, &Value::Object(old)).unwrap();
        assert_eq!(up.document, current);
        assert_eq!(up.dropped, vec!["host".to_string()]);
        assert!(up.renamed.is_empty());

        // A value under the old name is converted like any other, and named by its old name.
        let err = upgrade(&current.id, &json!({"host": {"email": "x"}})).unwrap_err();
        assert!(err.to_string().contains("`host`"), "{err}");
    }

    #[test]
    fn escaped_ids_give_the_raw_user_and_item() {
        let id = DocumentId::new("office_document", "a b", "x/y");
        let up = upgrade(&id.to_string(), &json!({})).unwrap();
        assert_eq!(up.document.data_type, DataType::Document);
        assert_eq!(up.document.fields["user_id"], json!("a b"));
        assert_eq!(up.document.fields["doc_id"], json!("x/y"));
        assert_eq!(up.document.fields["doc_type"], json!("document"));
    }

    #[test]
    fn errors_name_the_document_and_field() {
        let id = "id:office:email:g=u1:m-1";
        let cases = [
            (json!({"is_read": "maybe"}), "is_read", "boolean"),
            (
                json!({"received_at": "yesterday"}),
                "received_at",
                "yesterday",
            ),
            (json!({"labels": ["a", 3]}), "labels", "element 1"),
            (json!({"title": {"a": 1}}), "title", "an object"),
            (json!({"user_id": "u2"}), "user_id", "`u1`"),
            (json!({"doc_id": "m-2"}), "doc_id", "`m-1`"),
        ];
        for (fields, field, what) in cases {
            let err = upgrade(id, &fields).unwrap_err().to_string();
            assert!(
                err.contains(id) && err.contains(&format!("`{field}`")) && err.contains(what),
                "{err}"
            );
        }
        let err = upgrade("id:office:music:g=u:1", &json!({})).unwrap_err();
        assert!(err.to_string().contains("`music`"), "{err}");
        let err = upgrade(id, &json!([1])).unwrap_err();
        assert!(err.to_string().contains("not a JSON object"), "{err}");
    }

    #[test]
    fn nulls_are_not_set() {
        let up = upgrade(
            "id:office:email:g=u1:m-1",
            &json!({"labels": [], "from_name": null, "size": null}),
        )
        .unwrap();
        assert_eq!(up.document.fields["labels"], json!([]));
        assert!(!up.document.fields.contains_key("from_name"));
        assert_eq!(up.dropped, vec!["size".to_string()]);
    }
}
