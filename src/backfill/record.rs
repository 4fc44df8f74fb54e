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

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::catalog::DataType;
use crate::model::event::Event;
use crate::model::families::email::{Attachment, Email};
use crate::model::fields::{Body, BodyMime, Mailbox, PayloadRef, Provider};
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
        return Ok(vec![record.to_record()]);
    }
    parse_slow(bytes)
}

/// A plain record that passed the fast path, encoded: what [`super::prepared`] needs to
/// prepare it without an owned [`Email`] in between.
pub struct EncodedRecord {
    pub user_id: String,
    pub provider: Provider,
    /// The compact JSON `serde_json` writes for the record's [`Email`].
    pub json: String,
    pub provider_message_id: String,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How a plain record reads: encoded by the fast path, or parsed (and validated) into records.
pub enum Parsed {
    Encoded(EncodedRecord),
    Records(Vec<EmailRecord>),
}

/// Like [`parse`], but a plain record that passes the fast path comes back encoded.
pub fn parse_encoded(bytes: &[u8]) -> Result<Parsed, Vec<Problem>> {
    if let Some(record) = fast_record(bytes) {
        return record
            .encoded()
            .map(Parsed::Encoded)
            .map_err(encode_problem);
    }
    parse_slow(bytes).map(Parsed::Records)
}

/// The problem of an e-mail that cannot be encoded.
pub fn encode_problem(err: serde_json::Error) -> Vec<Problem> {
    vec![problem("$", format!("cannot encode the e-mail: {err}"))]
}

fn parse_slow(bytes: &[u8]) -> Result<Vec<EmailRecord>, Vec<Problem>> {
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
/// Plain `Cow` string fields (ids, subject, addresses, body content, times) borrow from the
/// input when they have no escapes, so a valid record costs a handful of allocations instead of
/// one per string. Serde never borrows a `Cow` inside an `Option` or a `Vec` (labels, snippet,
/// names, `internet_message_id`): those are owned and written through `serde_json`, which is
/// correct, only slower.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastRecord<'a> {
    #[serde(borrow)]
    user_id: Cow<'a, str>,
    provider: Provider,
    #[serde(borrow)]
    provider_message_id: Cow<'a, str>,
    #[serde(borrow)]
    thread_id: Cow<'a, str>,
    #[serde(default, borrow)]
    internet_message_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subject: Cow<'a, str>,
    #[serde(borrow)]
    from: MailboxRef<'a>,
    #[serde(default, borrow)]
    to: Vec<MailboxRef<'a>>,
    #[serde(default, borrow)]
    cc: Vec<MailboxRef<'a>>,
    #[serde(default, borrow)]
    bcc: Vec<MailboxRef<'a>>,
    #[serde(default, borrow)]
    reply_to: Vec<MailboxRef<'a>>,
    #[serde(default, borrow)]
    labels: Vec<Cow<'a, str>>,
    #[serde(default, borrow)]
    snippet: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    body: Option<BodyRef<'a>>,
    #[serde(default)]
    payload_ref: Option<PayloadRef>,
    #[serde(default)]
    attachments: Vec<Attachment>,
    #[serde(default)]
    is_read: bool,
    #[serde(default)]
    is_starred: bool,
    #[serde(borrow)]
    received_at: Cow<'a, str>,
    /// Absent is allowed (then `received_at`); `null` is not (the schema says string).
    #[serde(default, borrow, deserialize_with = "present_string")]
    updated_at: Option<Cow<'a, str>>,
}

/// [`Mailbox`], borrowing.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MailboxRef<'a> {
    #[serde(borrow)]
    email: Cow<'a, str>,
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
}

impl MailboxRef<'_> {
    fn to_owned(&self) -> Mailbox {
        Mailbox {
            email: self.email.to_string(),
            name: self.name.as_ref().map(|n| n.to_string()),
        }
    }
}

/// [`Body`], borrowing.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyRef<'a> {
    mime_type: BodyMime,
    #[serde(borrow)]
    content: Cow<'a, str>,
}

fn present_string<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);
    <Text<'a> as serde::Deserialize>::deserialize(d).map(|t| Some(t.0))
}

/// A record that passed every rule of the validator, with its times parsed.
struct ValidRecord<'a> {
    record: FastRecord<'a>,
    received_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The record when it is valid by every rule of the validator, else `None` (then the validator
/// runs and reports). Mirrors `schemas/EmailEvent.json` (`$defs/Email`, `Mailbox`, `PayloadRef`,
/// `Attachment`, `user_id`) and the e-mail rules of `validate::semantic_problems`.
fn fast_record(bytes: &[u8]) -> Option<ValidRecord<'_>> {
    // One SIMD pass checks the whole line's UTF-8, so the parser need not check each string.
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let r: FastRecord<'_> = serde_json::from_str(text).ok()?;
    let chars = |s: &str, min: usize, max: usize| (min..=max).contains(&s.chars().count());
    let mailbox_ok = |m: &MailboxRef<'_>| {
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
    ok.then_some(ValidRecord {
        record: r,
        received_at,
        updated_at,
    })
}

impl ValidRecord<'_> {
    fn to_record(&self) -> EmailRecord {
        let r = &self.record;
        let mailboxes = |list: &[MailboxRef<'_>]| list.iter().map(MailboxRef::to_owned).collect();
        EmailRecord {
            user_id: r.user_id.to_string(),
            provider: r.provider,
            email: Email {
                provider_message_id: r.provider_message_id.to_string(),
                thread_id: r.thread_id.to_string(),
                internet_message_id: r.internet_message_id.as_ref().map(|s| s.to_string()),
                subject: r.subject.to_string(),
                from: r.from.to_owned(),
                to: mailboxes(&r.to),
                cc: mailboxes(&r.cc),
                bcc: mailboxes(&r.bcc),
                reply_to: mailboxes(&r.reply_to),
                labels: r.labels.iter().map(|l| l.to_string()).collect(),
                snippet: r.snippet.as_ref().map(|s| s.to_string()),
                body: r.body.as_ref().map(|b| Body {
                    mime_type: b.mime_type,
                    content: b.content.to_string(),
                }),
                payload_ref: r.payload_ref.clone(),
                attachments: r.attachments.clone(),
                is_read: r.is_read,
                is_starred: r.is_starred,
                received_at: self.received_at,
                updated_at: self.updated_at,
            },
        }
    }

    fn encoded(&self) -> Result<EncodedRecord, serde_json::Error> {
        let r = &self.record;
        Ok(EncodedRecord {
            user_id: r.user_id.to_string(),
            provider: r.provider,
            json: self.email_json()?,
            provider_message_id: r.provider_message_id.to_string(),
            received_at: self.received_at,
            updated_at: self.updated_at,
        })
    }

    /// The compact JSON `serde_json` writes for this record's [`Email`] (same field order and
    /// omissions; a test holds them byte-equal), written from the borrowed fields.
    fn email_json(&self) -> Result<String, serde_json::Error> {
        let r = &self.record;
        let mut out = JsonWriter(String::with_capacity(1024));
        out.key("{", "provider_message_id");
        out.text(&r.provider_message_id)?;
        out.key(",", "thread_id");
        out.text(&r.thread_id)?;
        if let Some(id) = &r.internet_message_id {
            out.key(",", "internet_message_id");
            out.text(id)?;
        }
        out.key(",", "subject");
        out.text(&r.subject)?;
        out.key(",", "from");
        out.mailbox(&r.from)?;
        for (name, list) in [
            ("to", &r.to),
            ("cc", &r.cc),
            ("bcc", &r.bcc),
            ("reply_to", &r.reply_to),
        ] {
            if !list.is_empty() {
                out.key(",", name);
                for (i, mailbox) in list.iter().enumerate() {
                    out.0.push(if i == 0 { '[' } else { ',' });
                    out.mailbox(mailbox)?;
                }
                out.0.push(']');
            }
        }
        if !r.labels.is_empty() {
            out.key(",", "labels");
            for (i, label) in r.labels.iter().enumerate() {
                out.0.push(if i == 0 { '[' } else { ',' });
                out.text(label)?;
            }
            out.0.push(']');
        }
        if let Some(snippet) = &r.snippet {
            out.key(",", "snippet");
            out.text(snippet)?;
        }
        if let Some(body) = &r.body {
            out.key(",", "body");
            out.key("{", "mime_type");
            out.value(&body.mime_type)?;
            out.key(",", "content");
            out.text(&body.content)?;
            out.0.push('}');
        }
        if let Some(payload_ref) = &r.payload_ref {
            out.key(",", "payload_ref");
            out.value(payload_ref)?;
        }
        if !r.attachments.is_empty() {
            out.key(",", "attachments");
            out.value(&r.attachments)?;
        }
        out.key(",", "is_read");
        out.0.push_str(if r.is_read { "true" } else { "false" });
        out.key(",", "is_starred");
        out.0.push_str(if r.is_starred { "true" } else { "false" });
        out.key(",", "received_at");
        out.time(&r.received_at, &self.received_at)?;
        out.key(",", "updated_at");
        match &r.updated_at {
            Some(text) => out.time(text, &self.updated_at)?,
            None => out.time(&r.received_at, &self.updated_at)?,
        }
        out.0.push('}');
        Ok(out.0)
    }
}

/// Compact JSON output for [`ValidRecord::email_json`].
struct JsonWriter(String);

impl JsonWriter {
    /// `lead` (`{` or `,`), then `"key":`.
    fn key(&mut self, lead: &str, key: &str) {
        self.0.push_str(lead);
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }

    /// A string as a JSON string. A string borrowed from the input had no escape sequence in
    /// it, and JSON text cannot hold a raw `"` or control character inside a string, so it
    /// contains nothing `serde_json` would escape: it is copied as it is. Owned strings (they
    /// had escapes) go through `serde_json`.
    // The `Cow` itself is the point: whether the parser borrowed the string says whether it
    // had escapes.
    #[allow(clippy::ptr_arg)]
    fn text(&mut self, text: &Cow<'_, str>) -> Result<(), serde_json::Error> {
        match text {
            Cow::Borrowed(raw) => {
                self.0.push('"');
                self.0.push_str(raw);
                self.0.push('"');
                Ok(())
            }
            Cow::Owned(unescaped) => self.value(unescaped),
        }
    }

    fn mailbox(&mut self, mailbox: &MailboxRef<'_>) -> Result<(), serde_json::Error> {
        self.key("{", "email");
        self.text(&mailbox.email)?;
        if let Some(name) = &mailbox.name {
            self.key(",", "name");
            self.text(name)?;
        }
        self.0.push('}');
        Ok(())
    }

    /// A time as `chrono` serializes it. Input already in that form (`2024-03-01T10:00:00Z`:
    /// UTC, whole seconds, not a leap second) is copied; anything else is formatted.
    fn time(&mut self, text: &str, time: &DateTime<Utc>) -> Result<(), serde_json::Error> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
        let canonical = b.len() == 20
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T'
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19)
            && b[17] < b'6'
            && b[19] == b'Z';
        if canonical {
            self.0.push('"');
            self.0.push_str(text);
            self.0.push('"');
            Ok(())
        } else {
            self.value(time)
        }
    }

    fn value<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        self.0.push_str(&serde_json::to_string(value)?);
        Ok(())
    }
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
pub(crate) mod tests;
