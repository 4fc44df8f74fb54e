//! What a backfill reads: e-mail records, and legacy or current e-mail events, detected per input
//! unit (an NDJSON line, an HTTP page item, a Pub/Sub message).
//!
//! An **e-mail record** is the `Email` item of `EmailEvent` plus the owner: `user_id` and
//! `provider` (`google` | `microsoft`) at the top level of the same object, and `updated_at`
//! optional (default: `received_at`). Records are validated with the model's validator by
//! wrapping them in an `EmailEvent`, so they obey exactly the rules of an e-mail in an event;
//! problem paths are reported relative to the record (`$.from.email`, not `$.emails[0]...`).
//!
//! An object with an `emails` array is an **event**: a legacy `EmailBackfillEvent` (upcast) or a
//! current `EmailEvent`; each of its e-mails becomes a record of the event's user and provider.

use serde_json::{Map, Value};

use crate::model::catalog::DataType;
use crate::model::common::{Body, Mailbox, PayloadRef, Provider};
use crate::model::event::Event;
use crate::model::events::email::{Attachment, Email};
use crate::model::validate::{self, Problem};

/// One e-mail of one user, ready to batch.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailRecord {
    pub user_id: String,
    pub provider: Provider,
    pub email: Email,
}

/// Placeholder header values for validating a bare record as an event.
const WRAP_ID: &str = "backfill-record";

/// Parses one input unit into its e-mail records, or every problem found.
///
/// A plain record is first read by the fast path ([`fast_record`]): typed deserialization plus
/// the checks the e-mail's JSON Schema and semantic rules make. Anything it does not accept
/// (events, invalid records) goes through the model's validator, which decides and reports
/// every problem. The fast path only ever accepts what the validator accepts (tested below).
pub fn parse(bytes: &[u8]) -> Result<Vec<EmailRecord>, Vec<Problem>> {
    if let Some(record) = fast_record(bytes) {
        return Ok(vec![record]);
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|err| {
        vec![Problem {
            path: "$".into(),
            message: format!("not valid JSON: {err}"),
        }]
    })?;
    parse_value(value)
}

/// Like [`parse`], for an already-parsed value (HTTP page items).
pub fn parse_value(value: Value) -> Result<Vec<EmailRecord>, Vec<Problem>> {
    let Value::Object(object) = value else {
        return Err(vec![problem(
            "$",
            "expected an e-mail record or an e-mail event object",
        )]);
    };
    if object.contains_key("emails") {
        return parse_event(Value::Object(object));
    }
    parse_record(object).map(|r| vec![r])
}

fn parse_event(value: Value) -> Result<Vec<EmailRecord>, Vec<Problem>> {
    let validated = validate::validate_value(value)?;
    match validated.event {
        Event::Email(event) => {
            let user_id = event.user_id;
            let provider = event.provider;
            Ok(event
                .emails
                .into_iter()
                .map(|email| EmailRecord {
                    user_id: user_id.clone(),
                    provider,
                    email,
                })
                .collect())
        }
        other => Err(vec![problem(
            "$.event_type",
            format!(
                "`{}` is not an e-mail event; a backfill reads e-mail records, `EmailEvent` or legacy `EmailBackfillEvent`",
                other.data_type().event_type()
            ),
        )]),
    }
}

fn parse_record(mut object: Map<String, Value>) -> Result<EmailRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let user_id = object.remove("user_id");
    let provider = object.remove("provider");
    match &user_id {
        None => problems.push(problem("$.user_id", "required field is missing")),
        Some(Value::String(_)) => {}
        Some(_) => problems.push(problem("$.user_id", "expected a string")),
    }
    if provider.is_none() {
        problems.push(problem("$.provider", "required field is missing"));
    }
    if !object.contains_key("updated_at")
        && let Some(received) = object.get("received_at").cloned()
    {
        object.insert("updated_at".into(), received);
    }
    let wrapped = serde_json::json!({
        "event_type": "EmailEvent",
        "event_id": WRAP_ID,
        "schema_version": DataType::Email.schema_version(),
        "user_id": user_id.clone().unwrap_or(Value::String(WRAP_ID.into())),
        "provider": provider.unwrap_or(Value::String("google".into())),
        "sync_type": "batch_sync",
        "operation": "create",
        "batch_id": WRAP_ID,
        "correlation_id": WRAP_ID,
        "occurred_at": "1970-01-01T00:00:00Z",
        "emails": [Value::Object(object)],
    });
    match validate::validate_typed(DataType::Email, wrapped) {
        Ok(Event::Email(mut event)) if problems.is_empty() => match event.emails.pop() {
            Some(email) => Ok(EmailRecord {
                user_id: event.user_id,
                provider: event.provider,
                email,
            }),
            None => Err(vec![problem("$", "no e-mail in the record")]),
        },
        Ok(_) => Err(problems),
        Err(found) => {
            problems.extend(found.into_iter().map(relative));
            Err(problems)
        }
    }
}

/// An e-mail record exactly as the schema allows it (unknown fields refused), times as text so
/// they can be held to RFC 3339 as the schema does (chrono's own parser is more lenient).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastRecord {
    user_id: String,
    provider: Provider,
    provider_message_id: String,
    thread_id: String,
    #[serde(default)]
    internet_message_id: Option<String>,
    subject: String,
    from: Mailbox,
    #[serde(default)]
    to: Vec<Mailbox>,
    #[serde(default)]
    cc: Vec<Mailbox>,
    #[serde(default)]
    bcc: Vec<Mailbox>,
    #[serde(default)]
    reply_to: Vec<Mailbox>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    snippet: Option<String>,
    #[serde(default)]
    body: Option<Body>,
    #[serde(default)]
    payload_ref: Option<PayloadRef>,
    #[serde(default)]
    attachments: Vec<Attachment>,
    #[serde(default)]
    is_read: bool,
    #[serde(default)]
    is_starred: bool,
    received_at: String,
    /// Absent is allowed (then `received_at`); `null` is not (the schema says string).
    #[serde(default, deserialize_with = "present_string")]
    updated_at: Option<String>,
}

fn present_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    <String as serde::Deserialize>::deserialize(d).map(Some)
}

/// The record when it is valid by every rule of the validator, else `None` (then the validator
/// runs and reports). Mirrors `schemas/EmailEvent.json` (`$defs/Email`, `Mailbox`, `PayloadRef`,
/// `Attachment`, `user_id`) and the e-mail rules of `validate::semantic_problems`.
fn fast_record(bytes: &[u8]) -> Option<EmailRecord> {
    let r: FastRecord = serde_json::from_slice(bytes).ok()?;
    let chars = |s: &str, min: usize, max: usize| (min..=max).contains(&s.chars().count());
    let mailbox_ok = |m: &Mailbox| {
        chars(&m.email, 3, 320)
            && m.email
                .rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
    };
    let time = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let received_at = time(&r.received_at)?;
    let updated_at = match &r.updated_at {
        Some(t) => time(t)?,
        None => received_at,
    };
    let ok = chars(&r.user_id, 1, 256)
        && chars(&r.provider_message_id, 1, 512)
        && chars(&r.thread_id, 1, 512)
        && mailbox_ok(&r.from)
        && [&r.to, &r.cc, &r.bcc, &r.reply_to]
            .iter()
            .all(|list| list.iter().all(mailbox_ok))
        && r.attachments.iter().all(|a| !a.attachment_id.is_empty())
        && r.payload_ref.as_ref().is_none_or(|p| {
            chars(&p.key, 1, 1024) && p.sha256.chars().count() == 64
        })
        // Semantic rules: body or payload_ref (not both), and a recipient (records are creates
        // or updates, never deletes).
        && (r.body.is_some() != r.payload_ref.is_some())
        && !(r.to.is_empty() && r.cc.is_empty() && r.bcc.is_empty());
    if !ok {
        return None;
    }
    Some(EmailRecord {
        user_id: r.user_id,
        provider: r.provider,
        email: Email {
            provider_message_id: r.provider_message_id,
            thread_id: r.thread_id,
            internet_message_id: r.internet_message_id,
            subject: r.subject,
            from: r.from,
            to: r.to,
            cc: r.cc,
            bcc: r.bcc,
            reply_to: r.reply_to,
            labels: r.labels,
            snippet: r.snippet,
            body: r.body,
            payload_ref: r.payload_ref,
            attachments: r.attachments,
            is_read: r.is_read,
            is_starred: r.is_starred,
            received_at,
            updated_at,
        },
    })
}

/// Rewrites a path of the wrapping event to the record's own (`$.emails[0].x` → `$.x`).
fn relative(p: Problem) -> Problem {
    let path = match p.path.strip_prefix("$.emails[0]") {
        Some(rest) => format!("${rest}"),
        None => p.path,
    };
    Problem {
        path,
        message: p.message,
    }
}

fn problem(path: &str, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record_json(user: &str, id: &str) -> String {
        serde_json::json!({
            "user_id": user, "provider": "google",
            "provider_message_id": id, "thread_id": "t1", "subject": "Grüße 👋",
            "from": {"email": "a@example.com"}, "to": [{"email": "b@example.com"}],
            "body": {"mime_type": "text/plain", "content": "hello"},
            "received_at": "2024-03-01T10:00:00Z"
        })
        .to_string()
    }

    #[test]
    fn a_record_parses_with_updated_at_defaulted() {
        let records = parse(record_json("u1", "m1").as_bytes()).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].user_id, "u1");
        assert_eq!(records[0].email.updated_at, records[0].email.received_at);
        assert_eq!(records[0].email.subject, "Grüße 👋");
    }

    #[test]
    fn record_problems_have_record_paths() {
        let bad = r#"{"provider":"yahoo","provider_message_id":"m","thread_id":"t","subject":"","from":{"email":"x"},"to":[],"received_at":"yesterday","colour":1}"#;
        let problems = parse(bad.as_bytes()).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"$.user_id"), "{problems:?}");
        assert!(paths.contains(&"$.received_at"), "{problems:?}");
        assert!(paths.contains(&"$.colour"), "{problems:?}");
        assert!(paths.iter().all(|p| !p.contains("emails")), "{problems:?}");
    }

    #[test]
    fn a_legacy_event_yields_one_record_per_email() {
        let legacy = serde_json::json!({
            "user_id": "u2", "provider": "gmail",
            "emails": [
                {"message_id": "a", "thread_id": "t", "from": "A <a@example.com>", "to": ["b@example.com"], "received_at": "2024-01-01T00:00:00Z"},
                {"message_id": "b", "thread_id": "t", "from": "a@example.com", "to": ["b@example.com"], "received_at": "2024-01-02T00:00:00Z", "updated_at": "2024-01-03T00:00:00Z"}
            ]
        });
        let records = parse(legacy.to_string().as_bytes()).unwrap();
        assert_eq!(records.len(), 2);
        assert!(records.iter().all(|r| r.user_id == "u2"));
        assert_eq!(records[0].provider, Provider::Google);
        assert!(records[1].email.updated_at > records[1].email.received_at);
    }

    /// The fast path accepts only what the full validator accepts, and reads it the same way.
    #[test]
    fn the_fast_path_agrees_with_the_validator() {
        let base: Value = serde_json::from_str(&record_json("u1", "m1")).unwrap();
        let variants: Vec<(&str, Value)> = vec![
            ("user_id", Value::String(String::new())),
            ("user_id", Value::String("u".repeat(257))),
            ("provider", Value::String("yahoo".into())),
            ("provider_message_id", Value::String(String::new())),
            ("thread_id", Value::String("t".repeat(513))),
            ("subject", Value::Null),
            ("from", serde_json::json!({"email": "no-at-sign"})),
            ("from", serde_json::json!({"email": "@x"})),
            ("from", serde_json::json!({"email": "a@b", "extra": 1})),
            ("to", serde_json::json!([])),
            ("cc", serde_json::json!([{"email": "a@"}])),
            ("body", Value::Null),
            (
                "body",
                serde_json::json!({"mime_type": "text/rtf", "content": "x"}),
            ),
            (
                "payload_ref",
                serde_json::json!({"key": "k", "size_bytes": 1, "sha256": "0".repeat(64)}),
            ),
            (
                "attachments",
                serde_json::json!([{"attachment_id": "", "filename": "f", "mime_type": "m", "size_bytes": 1}]),
            ),
            (
                "attachments",
                serde_json::json!([{"attachment_id": "a", "filename": "f", "mime_type": "m", "size_bytes": -1}]),
            ),
            ("received_at", Value::String("2024-03-01 10:00:00Z".into())),
            (
                "received_at",
                Value::String("2024-03-01T10:00:00+02:00".into()),
            ),
            ("updated_at", Value::String("2024-03-02T10:00:00Z".into())),
            ("updated_at", Value::Null),
            ("labels", serde_json::json!(["INBOX", 3])),
            ("is_read", Value::String("yes".into())),
            ("snippet", Value::Null),
            ("internet_message_id", Value::String("<x@y>".into())),
            ("unknown", Value::Bool(true)),
        ];
        let mut cases = vec![base.clone()];
        for (field, value) in variants {
            let mut v = base.clone();
            v[field] = value;
            cases.push(v);
            let mut removed = base.clone();
            removed.as_object_mut().unwrap().remove(field);
            cases.push(removed);
        }
        let mut accepted = 0;
        for case in cases {
            let bytes = case.to_string();
            let fast = fast_record(bytes.as_bytes());
            let full = match case {
                Value::Object(object) => parse_record(object),
                _ => unreachable!(),
            };
            match (fast, full) {
                (Some(fast), Ok(full)) => {
                    assert_eq!(fast, full, "{bytes}");
                    accepted += 1;
                }
                (Some(_), Err(problems)) => {
                    panic!("fast path accepted what the validator refuses: {bytes}: {problems:?}")
                }
                (None, _) => {}
            }
        }
        assert!(
            accepted >= 10,
            "the fast path must actually be taken ({accepted})"
        );
    }

    #[test]
    fn other_event_types_are_refused() {
        let todo = std::fs::read_to_string(format!(
            "{}/tests/fixtures/events/valid/todo.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut value: Value = serde_json::from_str(&todo).unwrap();
        value["emails"] = Value::Array(vec![]);
        assert!(parse(value.to_string().as_bytes()).is_err());
        assert!(parse(b"[1]").is_err());
        assert!(parse(b"{not json").is_err());
    }
}
