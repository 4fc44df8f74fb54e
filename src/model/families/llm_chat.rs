//! `LLMChatEvent`: a user's conversation with the LLM assistant (internal tool).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, PayloadRef, define_event};

define_event! {
    /// A conversation with the assistant, sent whole on every change.
    LlmChatEvent, tag LlmChatEventTag = "LLMChatEvent", version 1, provider no,
    {
        pub conversation: Conversation,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    #[schemars(length(min = 1, max = 512))]
    pub conversation_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Model that answered, e.g. `gpt-4o` or `claude-sonnet`.
    #[schemars(length(min = 1))]
    pub model: String,
    /// The messages in order; empty when parked in Redis (`payload_ref`) or on delete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_ref: Option<PayloadRef>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessage {
    #[schemars(length(min = 1))]
    pub message_id: String,
    pub role: ChatRole,
    pub content: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_count: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChatRole {
    System,
    User,
    Assistant,
    Tool,
}

impl Item for Conversation {
    fn doc_id(&self) -> &str {
        &self.conversation_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
