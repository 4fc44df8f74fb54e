//! `EmailEvent`: a batch of one or more e-mails of one user (replaces `EmailBackfillEvent`).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Body, Item, Mailbox, PayloadRef, define_event};

define_event! {
    /// One or more e-mails of one user, as synced from the provider.
    EmailEvent, tag EmailEventTag = "EmailEvent", version 2, provider yes,
    {
        /// The e-mails of this event; a backfill sends many per event.
        #[schemars(length(min = 1, max = 1000))]
        pub emails: Vec<Email>,
    }
}

/// One e-mail message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Email {
    /// The provider's message id (Gmail message id, Graph message id).
    #[schemars(length(min = 1, max = 512))]
    pub provider_message_id: String,
    #[schemars(length(min = 1, max = 512))]
    pub thread_id: String,
    /// RFC 5322 `Message-ID` header, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_message_id: Option<String>,
    pub subject: String,
    pub from: Mailbox,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Mailbox>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Mailbox>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<Mailbox>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reply_to: Vec<Mailbox>,
    /// Provider labels or folder names (`INBOX`, `SENT`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The body inline; absent when it was parked in Redis (`payload_ref`) or on delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Where the body was parked by the claim check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_ref: Option<PayloadRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub is_read: bool,
    #[serde(default)]
    pub is_starred: bool,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Metadata of an attachment (the content is never in the event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    #[schemars(length(min = 1))]
    pub attachment_id: String,
    pub filename: String,
    pub mime_type: String,
    pub size_bytes: u64,
}

impl Item for Email {
    fn doc_id(&self) -> &str {
        &self.provider_message_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
