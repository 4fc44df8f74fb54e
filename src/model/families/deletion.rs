//! A `delete` of any data type: the items' ids, and nothing else required.
//!
//! Providers' delete notifications carry only the message id (Gmail history `messagesDeleted`,
//! Graph `@removed` deltas), sometimes a thread id; so a `delete` needs only each item's id
//! field (the catalog's `id_field`), plus `updated_at` where the producer knows it. The mutable
//! idempotency key then uses `updated_at`, or the event's `occurred_at` in its place. Any other
//! field of the item may be sent (old producers send the whole item); the schema still checks
//! it and it is kept as it came, so a delete converts and republishes unchanged.

use chrono::{DateTime, Utc};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::model::catalog::DataType;
use crate::model::fields::{Header, Item, Operation, Provider, SyncType};

/// A delete event of any data type (`operation` is always `delete`).
#[derive(Debug, Clone, PartialEq)]
pub struct DeletionEvent {
    pub data_type: DataType,
    pub event_id: String,
    pub schema_version: u32,
    pub user_id: String,
    /// Set for the types synced from a provider.
    pub provider: Option<Provider>,
    pub sync_type: SyncType,
    pub batch_id: Option<String>,
    pub correlation_id: String,
    pub occurred_at: DateTime<Utc>,
    pub items: Vec<DeletedItem>,
}

/// One deleted item.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedItem {
    /// The value of the type's id field.
    pub id: String,
    pub updated_at: Option<DateTime<Utc>>,
    /// Every other field the producer sent, as sent.
    pub other: Map<String, Value>,
    /// The event's `occurred_at`: the item's version when it has no `updated_at`.
    occurred_at: DateTime<Utc>,
}

impl Item for DeletedItem {
    fn doc_id(&self) -> &str {
        &self.id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at.unwrap_or(self.occurred_at)
    }
}

/// Why a JSON value is not a deletion (the schema check runs first, so this is rare).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}`: {message}")]
pub struct DeletionError {
    pub field: String,
    pub message: String,
}

impl DeletionEvent {
    /// The shared header fields.
    pub fn header(&self) -> Header<'_> {
        Header {
            event_id: &self.event_id,
            schema_version: self.schema_version,
            user_id: &self.user_id,
            provider: self.provider,
            sync_type: self.sync_type,
            operation: Operation::Delete,
            batch_id: self.batch_id.as_deref(),
            correlation_id: &self.correlation_id,
            occurred_at: self.occurred_at,
        }
    }

    /// Reads a delete of `data_type` from a JSON object that passed the type's schema.
    pub fn from_value(data_type: DataType, value: Value) -> Result<DeletionEvent, DeletionError> {
        let Value::Object(mut object) = value else {
            return Err(error("$", "expected an object"));
        };
        let mut take = |field: &str| object.remove(field);
        let string = |field: &str, v: Option<Value>| match v {
            Some(Value::String(s)) => Ok(s),
            _ => Err(error(field, "expected a string")),
        };
        let parse = |field: &str, v: Option<Value>| -> Result<Value, DeletionError> {
            v.ok_or_else(|| error(field, "required field is missing"))
        };
        let event_id = string("event_id", take("event_id"))?;
        let schema_version = from(
            "schema_version",
            parse("schema_version", take("schema_version"))?,
        )?;
        let user_id = string("user_id", take("user_id"))?;
        let provider = take("provider").map(|v| from("provider", v)).transpose()?;
        let sync_type = from("sync_type", parse("sync_type", take("sync_type"))?)?;
        let batch_id = take("batch_id")
            .filter(|v| !v.is_null())
            .map(|v| string("batch_id", Some(v)))
            .transpose()?;
        let correlation_id = string("correlation_id", take("correlation_id"))?;
        let occurred_at: DateTime<Utc> =
            from("occurred_at", parse("occurred_at", take("occurred_at"))?)?;
        let info = data_type.info();
        let items = match take(info.items_field) {
            Some(Value::Array(items)) if data_type.batched() => items,
            Some(item @ Value::Object(_)) if !data_type.batched() => vec![item],
            _ => return Err(error(info.items_field, "has the wrong shape")),
        };
        let items = items
            .into_iter()
            .map(|item| {
                let Value::Object(mut other) = item else {
                    return Err(error(info.items_field, "items must be objects"));
                };
                let id = string(info.id_field, other.remove(info.id_field))?;
                let updated_at = other
                    .remove("updated_at")
                    .map(|v| from("updated_at", v))
                    .transpose()?;
                Ok(DeletedItem {
                    id,
                    updated_at,
                    other,
                    occurred_at,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DeletionEvent {
            data_type,
            event_id,
            schema_version,
            user_id,
            provider,
            sync_type,
            batch_id,
            correlation_id,
            occurred_at,
            items,
        })
    }
}

fn from<T: serde::de::DeserializeOwned>(field: &str, v: Value) -> Result<T, DeletionError> {
    serde_json::from_value(v).map_err(|e| error(field, &e.to_string()))
}

fn error(field: &str, message: &str) -> DeletionError {
    DeletionError {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// An item as JSON: its id and `updated_at` first, then what else was sent.
struct ItemJson<'a>(&'a DeletedItem, &'static str);

impl Serialize for ItemJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ItemJson(item, id_field) = self;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(id_field, &item.id)?;
        if let Some(updated_at) = &item.updated_at {
            map.serialize_entry("updated_at", updated_at)?;
        }
        for (key, value) in &item.other {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for DeletionEvent {
    /// The same flat shape as the type's other events, in the same field order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let info = self.data_type.info();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("event_type", info.event_type)?;
        map.serialize_entry("event_id", &self.event_id)?;
        map.serialize_entry("schema_version", &self.schema_version)?;
        map.serialize_entry("user_id", &self.user_id)?;
        if let Some(provider) = &self.provider {
            map.serialize_entry("provider", provider)?;
        }
        map.serialize_entry("sync_type", &self.sync_type)?;
        map.serialize_entry("operation", &Operation::Delete)?;
        if let Some(batch_id) = &self.batch_id {
            map.serialize_entry("batch_id", batch_id)?;
        }
        map.serialize_entry("correlation_id", &self.correlation_id)?;
        map.serialize_entry("occurred_at", &self.occurred_at)?;
        let items: Vec<ItemJson> = self
            .items
            .iter()
            .map(|item| ItemJson(item, info.id_field))
            .collect();
        match items.as_slice() {
            [one] if !self.data_type.batched() => map.serialize_entry(info.items_field, one)?,
            _ => map.serialize_entry(info.items_field, &items)?,
        }
        map.end()
    }
}
