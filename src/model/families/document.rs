//! `DocumentEvent`: one file (Google Docs, OneDrive/SharePoint) created, changed or deleted.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, Mailbox, PayloadRef, define_event};

define_event! {
    /// A document or file of one user.
    DocumentEvent, tag DocumentEventTag = "DocumentEvent", version 1, provider yes,
    {
        pub document: Document,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[schemars(length(min = 1, max = 512))]
    pub provider_document_id: String,
    pub title: String,
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// Folder path as shown to the user, e.g. `/Projects/2024`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_path: Option<String>,
    pub owner: Mailbox,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<Mailbox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<Mailbox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Extracted plain text; absent when parked in Redis (`payload_ref`) or not extracted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_ref: Option<PayloadRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Item for Document {
    fn doc_id(&self) -> &str {
        &self.provider_document_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
