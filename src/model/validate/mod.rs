//! Validation that reports every problem with its JSON path, for new and legacy events.
//!
//! Serde stops at the first error, so validation walks the parsed JSON against the generated JSON
//! Schema (the subset of draft 2020-12 that schemars emits) and collects every problem; only a
//! document that passes is deserialized into the typed structs. Rules a schema cannot say
//! (`batch_id` required for `batch_sync`, end after start, ...) are checked on the typed event.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::model::catalog::{CATALOG, DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::event::Event;
use crate::model::legacy::{self, EmailBackfillEvent};
use crate::model::schema::{json_schema, legacy_json_schema};

mod json_schema;
mod semantic;

use json_schema::{Path, check_schema, kind};
pub use semantic::semantic_problems;

/// One validation problem: where (a JSONPath like `$.emails[0].from.email`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Which format an input event was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// A current-format event.
    Current,
    /// A legacy `EmailBackfillEvent`, upcast to `EmailEvent`.
    LegacyEmailBackfill,
}

/// A valid event, upcast to the current format, and the format it arrived in.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    pub event: Event,
    pub source: SourceFormat,
}

/// Validates one NDJSON line (new or legacy format) and returns the current-format event.
pub fn validate_ndjson_line(line: &str) -> Result<Event, Vec<Problem>> {
    validate_bytes(line.as_bytes()).map(|v| v.event)
}

/// Validates a JSON document (new or legacy format); legacy events are upcast.
pub fn validate_bytes(bytes: &[u8]) -> Result<Validated, Vec<Problem>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|err| {
        vec![Problem {
            path: "$".into(),
            message: format!("not valid JSON: {err}"),
        }]
    })?;
    validate_value(value)
}

/// Validates an already-parsed JSON value (new or legacy format); legacy events are upcast.
pub fn validate_value(value: Value) -> Result<Validated, Vec<Problem>> {
    let Value::Object(object) = &value else {
        return Err(vec![problem(
            "$",
            format!("expected an event object, found {}", kind(&value)),
        )]);
    };
    if legacy::looks_legacy(object) {
        return validate_legacy(value).map(|event| Validated {
            event: Event::Email(event),
            source: SourceFormat::LegacyEmailBackfill,
        });
    }
    let data_type = match object.get("event_type") {
        Some(Value::String(name)) => DataType::from_event_type(name).ok_or_else(|| {
            vec![problem(
                "$.event_type",
                format!(
                    "unknown event type `{name}`; expected one of {}, or legacy `{LEGACY_EMAIL_EVENT_TYPE}`",
                    CATALOG.map(|i| format!("`{}`", i.event_type)).join(", ")
                ),
            )]
        })?,
        Some(other) => {
            return Err(vec![problem(
                "$.event_type",
                format!("expected a string, found {}", kind(other)),
            )]);
        }
        None => {
            return Err(vec![problem(
                "$.event_type",
                "required field is missing (and the object is not a legacy event)",
            )]);
        }
    };
    validate_typed(data_type, value).map(|event| Validated {
        event,
        source: SourceFormat::Current,
    })
}

/// Validates a value that claims to be of `data_type` (e.g. from the `event_type` attribute).
pub fn validate_typed(data_type: DataType, value: Value) -> Result<Event, Vec<Problem>> {
    let schema = json_schema(data_type);
    let mut problems = Vec::new();
    check_schema(schema, schema, &value, &mut Path::root(), &mut problems);
    // Rules beyond the schema run on the raw value too, so one pass reports everything.
    problems.extend(semantic_problems(data_type, &value));
    if !problems.is_empty() {
        return Err(problems);
    }
    Event::from_value(data_type, value).map_err(|err| {
        vec![problem(
            "$",
            format!("does not match `{}`: {err}", data_type.event_type()),
        )]
    })
}

/// Validates a legacy `EmailBackfillEvent` (unknown fields tolerated) and upcasts it.
pub fn validate_legacy(value: Value) -> Result<crate::model::families::EmailEvent, Vec<Problem>> {
    let schema = legacy_json_schema();
    let mut problems = Vec::new();
    check_schema(schema, schema, &value, &mut Path::root(), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let legacy: EmailBackfillEvent = serde_json::from_value(value).map_err(|err| {
        vec![problem(
            "$",
            format!("does not match `{LEGACY_EMAIL_EVENT_TYPE}`: {err}"),
        )]
    })?;
    let mut problems = Vec::new();
    for (i, email) in legacy.emails.iter().enumerate() {
        if email.message_id.is_none() && email.provider_message_id.is_none() {
            problems.push(problem(
                format!("$.emails[{i}]"),
                "required field `message_id` (or `provider_message_id`) is missing",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The upcast always has a body and a batch id; what can still be wrong is checked on the
    // legacy struct, without re-encoding the upcast event.
    let mut seen = HashSet::new();
    for (i, email) in legacy.emails.iter().enumerate() {
        let at = format!("$.emails[{i}]");
        if let Some(id) = email
            .message_id
            .as_ref()
            .or(email.provider_message_id.as_ref())
            && !seen.insert(id.as_str())
        {
            problems.push(problem(
                format!("{at}.message_id"),
                format!("duplicate `{id}` in the same event"),
            ));
        }
        if email.to.is_empty() && email.cc.is_empty() && email.bcc.is_empty() {
            problems.push(problem(
                format!("{at}.to"),
                "needs at least one recipient in `to`, `cc` or `bcc`",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(legacy::upcast(legacy))
}

/// Rules the JSON Schema cannot express. They read the raw JSON value, so they also run on a
fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}
