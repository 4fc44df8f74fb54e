//! The legacy `EmailBackfillEvent` and its upcast to [`EmailEvent`].
//!
//! Older producers on the `email-backfill` topic send a user's batch of e-mails without
//! `sync_type`, `operation` or `batch_id`, with addresses as `"Name <a@b>"` strings and the body
//! as a plain string. Unknown fields are tolerated (those producers add fields freely). The
//! accepted shape is documented in `docs/events.md`; the upcast rules are:
//!
//! - `sync_type` = `batch_sync`, `operation` = `create`, `schema_version` = the current one;
//! - `batch_id` = the event's `batch_id` or `backfill_id` if it has one, else
//!   `legacy-<32 hex>` derived from a SHA-256 of the user, provider and upcast e-mails, so the
//!   same legacy event always gets the same id (replays stay idempotent);
//! - `correlation_id` kept; when absent it is the `batch_id`;
//! - `event_id` kept; when absent `legacy-<32 hex>` from the same digest plus `occurred_at`;
//! - `occurred_at` = `timestamp` or `created_at`, else the newest `updated_at` of the e-mails.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::catalog::LEGACY_EMAIL_EVENT_TYPE;
use crate::model::families::email::{Attachment, Email, EmailEvent, EmailEventTag};
use crate::model::fields::{Body, BodyMime, Mailbox, Operation, Provider, SyncType};

/// The legacy event, as older producers send it. Unknown fields are tolerated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmailBackfillEvent {
    /// `EmailBackfillEvent` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<LegacyTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 128))]
    pub event_id: Option<String>,
    #[schemars(length(min = 1, max = 256))]
    pub user_id: String,
    pub provider: LegacyProvider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 256))]
    pub correlation_id: Option<String>,
    /// Some producers named their batch; kept as `batch_id` when present.
    #[serde(
        default,
        alias = "backfill_id",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 256))]
    pub batch_id: Option<String>,
    /// When the producer emitted the event (`created_at` is accepted too).
    #[serde(default, alias = "created_at", skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
    #[schemars(length(min = 1, max = 1000))]
    pub emails: Vec<LegacyEmail>,
}

/// The legacy `event_type` value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LegacyTag {
    #[default]
    #[serde(rename = "EmailBackfillEvent")]
    Tag,
}

/// Legacy provider names; `gmail` and `outlook` were used by the first producers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegacyProvider {
    Google,
    Gmail,
    Microsoft,
    Outlook,
}

/// One e-mail of a legacy event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LegacyEmail {
    /// The provider's message id. One of `message_id` and `provider_message_id` is required
    /// (the first producers used the latter); `message_id` wins when both are present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 512))]
    pub message_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 512))]
    pub provider_message_id: Option<String>,
    #[schemars(length(min = 1, max = 512))]
    pub thread_id: String,
    #[serde(default)]
    pub subject: String,
    pub from: LegacyAddress,
    #[serde(default)]
    pub to: Vec<LegacyAddress>,
    #[serde(default)]
    pub cc: Vec<LegacyAddress>,
    #[serde(default)]
    pub bcc: Vec<LegacyAddress>,
    /// Plain-text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// HTML body, used when there is no plain one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub is_read: bool,
    pub received_at: DateTime<Utc>,
    /// Absent in the oldest producers: then `received_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A legacy address: `"a@b"`, `"Name <a@b>"`, or an object like the new [`Mailbox`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LegacyAddress {
    Text(#[schemars(length(min = 3, max = 400))] String),
    Mailbox(Mailbox),
}

impl LegacyAddress {
    /// The address as a [`Mailbox`]; `"Name <a@b>"` is split into name and address.
    pub fn to_mailbox(&self) -> Mailbox {
        match self {
            LegacyAddress::Mailbox(m) => m.clone(),
            LegacyAddress::Text(text) => parse_address(text),
        }
    }
}

/// Splits `"Display Name" <a@b>` / `Name <a@b>` / `a@b` into a [`Mailbox`].
pub fn parse_address(text: &str) -> Mailbox {
    let text = text.trim();
    if let (Some(open), true) = (text.rfind('<'), text.ends_with('>')) {
        let email = text[open + 1..text.len() - 1].trim().to_string();
        let name = text[..open].trim().trim_matches('"').trim();
        Mailbox {
            email,
            name: (!name.is_empty()).then(|| name.to_string()),
        }
    } else {
        Mailbox {
            email: text.to_string(),
            name: None,
        }
    }
}

/// Number of hex digits kept from derived ids (128 bits).
const DERIVED_ID_HEX: usize = 32;

/// Upcasts a legacy event to the current [`EmailEvent`] (see the module docs for the rules).
pub fn upcast(legacy: EmailBackfillEvent) -> EmailEvent {
    let provider = match legacy.provider {
        LegacyProvider::Google | LegacyProvider::Gmail => Provider::Google,
        LegacyProvider::Microsoft | LegacyProvider::Outlook => Provider::Microsoft,
    };
    let emails: Vec<Email> = legacy.emails.into_iter().map(upcast_email).collect();
    let newest = emails.iter().map(|e| e.updated_at).max();
    let occurred_at = legacy
        .timestamp
        .or(newest)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);

    let content_digest = content_digest(&legacy.user_id, provider, &emails);
    let batch_id = legacy
        .batch_id
        .unwrap_or_else(|| format!("legacy-{}", &content_digest[..DERIVED_ID_HEX]));
    let correlation_id = legacy.correlation_id.unwrap_or_else(|| batch_id.clone());
    let event_id = legacy.event_id.unwrap_or_else(|| {
        let mut hasher = Sha256::new();
        hasher.update(b"event_id\0");
        hasher.update(content_digest.as_bytes());
        hasher.update(occurred_at.to_rfc3339().as_bytes());
        format!("legacy-{}", &hex(&hasher.finalize())[..DERIVED_ID_HEX])
    });

    EmailEvent {
        event_type: EmailEventTag::Tag,
        event_id,
        schema_version: EmailEvent::SCHEMA_VERSION,
        user_id: legacy.user_id,
        provider,
        sync_type: SyncType::BatchSync,
        operation: Operation::Create,
        batch_id: Some(batch_id),
        correlation_id,
        occurred_at,
        emails,
    }
}

fn upcast_email(legacy: LegacyEmail) -> Email {
    let body = match (legacy.body, legacy.body_html) {
        (Some(text), _) => Body {
            mime_type: BodyMime::Plain,
            content: text,
        },
        (None, Some(html)) => Body {
            mime_type: BodyMime::Html,
            content: html,
        },
        // Older producers left the body out of empty mails; an empty body keeps the
        // "body or payload_ref" rule of the new format.
        (None, None) => Body {
            mime_type: BodyMime::Plain,
            content: String::new(),
        },
    };
    let mailboxes = |list: Vec<LegacyAddress>| list.iter().map(LegacyAddress::to_mailbox).collect();
    Email {
        provider_message_id: legacy
            .message_id
            .or(legacy.provider_message_id)
            .unwrap_or_default(),
        thread_id: legacy.thread_id,
        internet_message_id: None,
        subject: legacy.subject,
        from: legacy.from.to_mailbox(),
        to: mailboxes(legacy.to),
        cc: mailboxes(legacy.cc),
        bcc: mailboxes(legacy.bcc),
        reply_to: Vec::new(),
        labels: legacy.labels,
        snippet: legacy.snippet,
        body: Some(body),
        payload_ref: None,
        attachments: legacy.attachments,
        is_read: legacy.is_read,
        is_starred: false,
        received_at: legacy.received_at,
        updated_at: legacy.updated_at.unwrap_or(legacy.received_at),
    }
}

/// SHA-256 (hex) over the user, provider and the canonical JSON of the upcast e-mails.
///
/// The upcast structs serialize with a fixed field order, so the digest does not depend on the
/// key order or unknown fields of the legacy input.
fn content_digest(user_id: &str, provider: Provider, emails: &[Email]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"batch_id\0");
    hasher.update(user_id.as_bytes());
    hasher.update(b"\0");
    hasher.update(provider.as_str().as_bytes());
    hasher.update(b"\0");
    for email in emails {
        // Serializing plain structs of strings cannot fail; an error would only drop this
        // e-mail's bytes from the digest, never panic.
        if let Ok(bytes) = serde_json::to_vec(email) {
            hasher.update(&bytes);
        }
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether a JSON object looks like a legacy event: `event_type` is `EmailBackfillEvent`, or it has
/// neither `event_type` nor `schema_version` (new-format events always carry both).
pub fn looks_legacy(object: &serde_json::Map<String, serde_json::Value>) -> bool {
    match object.get("event_type") {
        Some(serde_json::Value::String(t)) => t == LEGACY_EMAIL_EVENT_TYPE,
        Some(_) => false,
        None => !object.contains_key("schema_version"),
    }
}

/// The legacy shape of an [`EmailEvent`], for publishers that still feed the legacy topic
/// (publish mode `legacy` or `dual`). Ids are carried over, so the legacy copy upcasts back to
/// the same batch and correlation ids. A body parked in Redis (claim check) has no legacy form:
/// the legacy copy then carries no body.
pub fn downcast(event: &EmailEvent) -> EmailBackfillEvent {
    let address = |m: &Mailbox| LegacyAddress::Mailbox(m.clone());
    EmailBackfillEvent {
        event_type: Some(LegacyTag::Tag),
        event_id: Some(event.event_id.clone()),
        user_id: event.user_id.clone(),
        provider: match event.provider {
            Provider::Google => LegacyProvider::Google,
            Provider::Microsoft => LegacyProvider::Microsoft,
        },
        correlation_id: Some(event.correlation_id.clone()),
        batch_id: event.batch_id.clone(),
        timestamp: Some(event.occurred_at),
        emails: event
            .emails
            .iter()
            .map(|email| {
                let (body, body_html) = match &email.body {
                    Some(Body {
                        mime_type: BodyMime::Html,
                        content,
                    }) => (None, Some(content.clone())),
                    Some(Body { content, .. }) => (Some(content.clone()), None),
                    None => (None, None),
                };
                LegacyEmail {
                    message_id: Some(email.provider_message_id.clone()),
                    provider_message_id: None,
                    thread_id: email.thread_id.clone(),
                    subject: email.subject.clone(),
                    from: address(&email.from),
                    to: email.to.iter().map(address).collect(),
                    cc: email.cc.iter().map(address).collect(),
                    bcc: email.bcc.iter().map(address).collect(),
                    body,
                    body_html,
                    snippet: email.snippet.clone(),
                    labels: email.labels.clone(),
                    attachments: email.attachments.clone(),
                    is_read: email.is_read,
                    received_at: email.received_at,
                    updated_at: Some(email.updated_at),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod downcast_tests {
    use super::*;

    #[test]
    fn downcast_then_upcast_keeps_ids_and_content() {
        let path = format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let crate::model::event::Event::Email(event) =
            crate::model::validate::validate_bytes(text.as_bytes())
                .unwrap()
                .event
        else {
            panic!("not an email event")
        };
        let back = upcast(downcast(&event));
        assert_eq!(back.batch_id, event.batch_id);
        assert_eq!(back.correlation_id, event.correlation_id);
        assert_eq!(back.event_id, event.event_id);
        assert_eq!(back.emails.len(), event.emails.len());
        assert_eq!(
            back.emails[0].provider_message_id,
            event.emails[0].provider_message_id
        );
        assert_eq!(back.emails[0].body, event.emails[0].body);
    }
}
