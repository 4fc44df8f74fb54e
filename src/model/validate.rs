//! Validation that reports every problem with its JSON path, for new and legacy events.
//!
//! Serde stops at the first error, so validation walks the parsed JSON against the generated JSON
//! Schema (the subset of draft 2020-12 that schemars emits) and collects every problem; only a
//! document that passes is deserialized into the typed structs. Rules a schema cannot say
//! (`batch_id` required for `batch_sync`, end after start, ...) are checked on the typed event.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::catalog::{CATALOG, DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::event::Event;
use crate::model::legacy::{self, EmailBackfillEvent};
use crate::model::schema::{json_schema, legacy_json_schema};

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
/// document that failed the schema (a field of the wrong shape is simply not compared).
pub fn semantic_problems(data_type: DataType, value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let str_at = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    if str_at(value, "sync_type").as_deref() == Some("batch_sync")
        && value.get("batch_id").is_none_or(Value::is_null)
    {
        out.push(problem(
            "$.batch_id",
            "required when `sync_type` is `batch_sync`",
        ));
    }
    let deleting = str_at(value, "operation").as_deref() == Some("delete");
    let present = |v: &Value, key: &str| v.get(key).is_some_and(|x| !x.is_null());
    let non_empty_list = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let end_before_start = |v: &Value, at: &str, out: &mut Vec<Problem>| {
        let time = |key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        };
        if let (Some(start), Some(end)) = (time("start"), time("end"))
            && end < start
        {
            out.push(problem(format!("{at}.end"), "is before `start`"));
        }
    };
    let items = |key: &str| -> Vec<&Value> {
        match value.get(key) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            _ => Vec::new(),
        }
    };
    match data_type {
        DataType::Email => {
            let mut seen = HashSet::new();
            for (i, email) in items("emails").into_iter().enumerate() {
                let at = format!("$.emails[{i}]");
                if let Some(id) = str_at(email, "provider_message_id")
                    && !seen.insert(id.clone())
                {
                    out.push(problem(
                        format!("{at}.provider_message_id"),
                        format!("duplicate `{id}` in the same event"),
                    ));
                }
                let (body, reference) = (present(email, "body"), present(email, "payload_ref"));
                if body && reference {
                    out.push(problem(&at, "has both `body` and `payload_ref`; keep one"));
                }
                if !deleting {
                    if !body && !reference {
                        out.push(problem(&at, "needs `body` or `payload_ref`"));
                    }
                    if !["to", "cc", "bcc"].iter().any(|k| non_empty_list(email, k)) {
                        out.push(problem(
                            format!("{at}.to"),
                            "needs at least one recipient in `to`, `cc` or `bcc`",
                        ));
                    }
                }
            }
        }
        DataType::Calendar => {
            for entry in items("entry") {
                end_before_start(entry, "$.entry", &mut out);
            }
        }
        DataType::Document => {
            for doc in items("document") {
                if present(doc, "content") && present(doc, "payload_ref") {
                    out.push(problem(
                        "$.document",
                        "has both `content` and `payload_ref`; keep one",
                    ));
                }
            }
        }
        DataType::LlmChat => {
            for chat in items("conversation") {
                let (messages, reference) = (
                    non_empty_list(chat, "messages"),
                    present(chat, "payload_ref"),
                );
                if messages && reference {
                    out.push(problem(
                        "$.conversation",
                        "has both `messages` and `payload_ref`; keep one",
                    ));
                }
                if !deleting && !messages && !reference {
                    out.push(problem(
                        "$.conversation.messages",
                        "needs at least one message, or `payload_ref`",
                    ));
                }
            }
        }
        DataType::MeetingPoll => {
            for poll in items("poll") {
                let options: Vec<&Value> = poll
                    .get("options")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                let mut ids = HashSet::new();
                for (i, option) in options.iter().enumerate() {
                    end_before_start(option, &format!("$.poll.options[{i}]"), &mut out);
                    if let Some(id) = str_at(option, "option_id")
                        && !ids.insert(id.clone())
                    {
                        out.push(problem(
                            format!("$.poll.options[{i}].option_id"),
                            format!("duplicate option `{id}`"),
                        ));
                    }
                }
                let votes = poll.get("votes").and_then(Value::as_array);
                for (i, vote) in votes.into_iter().flatten().enumerate() {
                    if let Some(id) = str_at(vote, "option_id")
                        && !ids.contains(&id)
                    {
                        out.push(problem(
                            format!("$.poll.votes[{i}].option_id"),
                            format!("no option `{id}` in `options`"),
                        ));
                    }
                }
                match str_at(poll, "chosen_option_id") {
                    Some(chosen) if !ids.contains(&chosen) => out.push(problem(
                        "$.poll.chosen_option_id",
                        format!("no option `{chosen}` in `options`"),
                    )),
                    None if str_at(poll, "status").as_deref() == Some("scheduled") => {
                        out.push(problem(
                            "$.poll.chosen_option_id",
                            "required when `status` is `scheduled`",
                        ))
                    }
                    _ => {}
                }
            }
        }
        DataType::Booking => {
            for booking in items("booking") {
                end_before_start(booking, "$.booking", &mut out);
            }
        }
        DataType::Contact | DataType::Todo | DataType::Shipment => {}
    }
    out
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// A JSON path under construction; rendered only when a problem is found.
struct Path(Vec<Seg>);

enum Seg {
    Key(String),
    Index(usize),
}

impl Path {
    fn root() -> Path {
        Path(Vec::new())
    }

    fn render(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.0 {
            match seg {
                Seg::Key(k) if is_plain_key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) => {
                    out.push('[');
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(']');
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Depth guard: schemars schemas are not recursive here, but a hostile `$ref` loop must not
/// overflow the stack.
const MAX_DEPTH: usize = 64;

fn check_schema(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &mut Path,
    out: &mut Vec<Problem>,
) {
    check_at_depth(root, schema, value, path, out, 0);
}

fn check_at_depth(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &mut Path,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        out.push(problem(path.render(), "nested too deeply"));
        return;
    }
    let schema = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            out.push(problem(path.render(), "is not allowed here"));
            return;
        }
        Value::Object(s) => s,
        _ => return,
    };
    if let Some(Value::String(reference)) = schema.get("$ref") {
        match resolve_ref(root, reference) {
            Some(target) => check_at_depth(root, target, value, path, out, depth + 1),
            None => out.push(problem(
                path.render(),
                format!("schema error: unresolved `{reference}`"),
            )),
        }
    }
    if let Some(types) = schema.get("type") {
        let ok = match types {
            Value::String(t) => type_matches(t, value),
            Value::Array(ts) => ts
                .iter()
                .any(|t| t.as_str().is_some_and(|t| type_matches(t, value))),
            _ => true,
        };
        if !ok {
            let expected = match types {
                Value::Array(ts) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" or "),
                other => other.as_str().unwrap_or("?").to_string(),
            };
            out.push(problem(
                path.render(),
                format!("expected {expected}, found {}", kind(value)),
            ));
            // Other keywords would only repeat the type mismatch.
            return;
        }
    }
    if let Some(expected) = schema.get("const")
        && value != expected
    {
        out.push(problem(
            path.render(),
            format!("expected {expected}, found {value}"),
        ));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        out.push(problem(path.render(), enum_message(allowed, value)));
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            check_alternatives(root, branches, value, path, out, depth);
        }
    }
    // `if`/`then`/`else` (draft 2020-12 §10.2.2): the generated event schemas use it to relax
    // the items of a `delete` (see `schema::with_deletion_branch`).
    if let Some(condition) = schema.get("if") {
        let mut scratch = Vec::new();
        check_at_depth(root, condition, value, path, &mut scratch, depth + 1);
        let branch = if scratch.is_empty() {
            schema.get("then")
        } else {
            schema.get("else")
        };
        if let Some(branch) = branch {
            check_at_depth(root, branch, value, path, out, depth + 1);
        }
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for sub in all {
            check_at_depth(root, sub, value, path, out, depth + 1);
        }
    }
    match value {
        Value::Object(object) => check_object(root, schema, object, path, out, depth),
        Value::Array(items) => check_array(root, schema, items, path, out, depth),
        Value::String(s) => check_string(schema, s, path, out),
        Value::Number(n) => check_number(schema, n, path, out),
        _ => {}
    }
}

fn enum_message(allowed: &[Value], value: &Value) -> String {
    let names: Vec<String> = allowed.iter().map(Value::to_string).collect();
    format!("expected one of {}, found {value}", names.join(", "))
}

fn check_alternatives(
    root: &Value,
    branches: &[Value],
    value: &Value,
    path: &mut Path,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    // Enumerations with documented variants come out as `oneOf` of `const`s.
    let consts: Option<Vec<Value>> = branches.iter().map(|b| b.get("const").cloned()).collect();
    if let Some(consts) = consts {
        if !consts.contains(value) {
            out.push(problem(path.render(), enum_message(&consts, value)));
        }
        return;
    }
    let mut best: Option<Vec<Problem>> = None;
    let here = path.render();
    for branch in branches {
        let mut found = Vec::new();
        check_at_depth(root, branch, value, path, &mut found, depth + 1);
        if found.is_empty() {
            return;
        }
        // Prefer the branch whose type matched (its problems are deeper or about content),
        // then the one with the fewest problems.
        let type_mismatch = found
            .iter()
            .any(|p| p.path == here && p.message.starts_with("expected "));
        let better = match &best {
            None => true,
            Some(current) => {
                let current_mismatch = current
                    .iter()
                    .any(|p| p.path == here && p.message.starts_with("expected "));
                (current_mismatch && !type_mismatch)
                    || (current_mismatch == type_mismatch && found.len() < current.len())
            }
        };
        if better {
            best = Some(found);
        }
    }
    if let Some(found) = best {
        out.extend(found);
    }
}

fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn check_object(
    root: &Value,
    schema: &Map<String, Value>,
    object: &Map<String, Value>,
    path: &mut Path,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                path.0.push(Seg::Key(name.to_string()));
                out.push(problem(path.render(), "required field is missing"));
                path.0.pop();
            }
        }
    }
    let additional = schema.get("additionalProperties");
    for (key, child) in object {
        path.0.push(Seg::Key(key.clone()));
        match properties.and_then(|p| p.get(key)) {
            Some(sub) => check_at_depth(root, sub, child, path, out, depth + 1),
            None => match additional {
                Some(Value::Bool(false)) => {
                    out.push(problem(path.render(), format!("unknown field `{key}`")));
                }
                Some(sub @ Value::Object(_)) => {
                    check_at_depth(root, sub, child, path, out, depth + 1)
                }
                _ => {}
            },
        }
        path.0.pop();
    }
}

fn check_array(
    root: &Value,
    schema: &Map<String, Value>,
    items: &[Value],
    path: &mut Path,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
        && (items.len() as u64) < min
    {
        out.push(problem(
            path.render(),
            format!("needs at least {min} item(s), has {}", items.len()),
        ));
    }
    if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
        && (items.len() as u64) > max
    {
        out.push(problem(
            path.render(),
            format!("allows at most {max} item(s), has {}", items.len()),
        ));
    }
    if let Some(item_schema) = schema.get("items") {
        for (i, item) in items.iter().enumerate() {
            path.0.push(Seg::Index(i));
            check_at_depth(root, item_schema, item, path, out, depth + 1);
            path.0.pop();
        }
    }
}

fn check_string(schema: &Map<String, Value>, s: &str, path: &mut Path, out: &mut Vec<Problem>) {
    // JSON Schema counts characters (code points), not bytes.
    let len = || s.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && len() < min
    {
        let message = if min == 1 {
            "must not be empty".to_string()
        } else {
            format!("must be at least {min} characters, is {}", len())
        };
        out.push(problem(path.render(), message));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && len() > max
    {
        out.push(problem(
            path.render(),
            format!("must be at most {max} characters, is {}", len()),
        ));
    }
    let message = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => DateTime::parse_from_rfc3339(s)
            .err()
            .map(|err| format!("not an RFC 3339 date-time ({err}): {s:?}")),
        Some("date") => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .is_err()
            .then(|| format!("not a date (YYYY-MM-DD): {s:?}")),
        Some("email") => s
            .rsplit_once('@')
            .is_none_or(|(local, domain)| local.is_empty() || domain.is_empty())
            .then(|| format!("not an e-mail address: {s:?}")),
        _ => None,
    };
    if let Some(message) = message {
        out.push(problem(path.render(), message));
    }
}

fn check_number(
    schema: &Map<String, Value>,
    n: &serde_json::Number,
    path: &mut Path,
    out: &mut Vec<Problem>,
) {
    let as_f64 = n.as_f64().unwrap_or(f64::NAN);
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && as_f64 < min
    {
        out.push(problem(
            path.render(),
            format!("must be at least {min}, is {n}"),
        ));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && as_f64 > max
    {
        out.push(problem(
            path.render(),
            format!("must be at most {max}, is {n}"),
        ));
    }
    let limit = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => Some(u64::from(u8::MAX)),
        Some("uint16") => Some(u64::from(u16::MAX)),
        Some("uint32") => Some(u64::from(u32::MAX)),
        _ => None,
    };
    if let Some(limit) = limit
        && n.as_u64().is_none_or(|v| v > limit)
    {
        out.push(problem(
            path.render(),
            format!("must be an integer from 0 to {limit}, is {n}"),
        ));
    }
}
