//! The topic and subscription settings officectl manages, independent of any client library.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// A topic as officectl sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// Full name: `projects/P/topics/T`.
    pub name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// How long the topic keeps messages (needed to replay from before a subscription existed).
    #[serde(
        default,
        with = "crate::duration::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_retention: Option<Duration>,
}

impl TopicConfig {
    /// A topic with this full name and nothing else set.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// Where undeliverable messages go, and after how many attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetterPolicy {
    /// Full topic name.
    pub topic: String,
    /// 5–100.
    pub max_delivery_attempts: i32,
}

/// Redelivery backoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    #[serde(with = "crate::duration")]
    pub minimum_backoff: Duration,
    #[serde(with = "crate::duration")]
    pub maximum_backoff: Duration,
}

/// When an idle subscription is deleted; `ttl: None` means never.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpirationPolicy {
    #[serde(default, with = "crate::duration::option")]
    pub ttl: Option<Duration>,
}

/// A pull subscription as officectl sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionConfig {
    /// Full name: `projects/P/subscriptions/S`.
    pub name: String,
    /// Full topic name; `_deleted-topic_` when its topic was deleted.
    pub topic: String,
    /// 10–600 seconds.
    pub ack_deadline_seconds: i32,
    pub retain_acked_messages: bool,
    #[serde(
        default,
        with = "crate::duration::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_retention: Option<Duration>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub enable_message_ordering: bool,
    /// `None`: the service default (31 days of inactivity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_policy: Option<ExpirationPolicy>,
    /// Attribute filter; empty means none. Immutable after creation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub filter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_policy: Option<DeadLetterPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicy>,
    pub enable_exactly_once_delivery: bool,
    /// Detached from its topic: receives nothing more.
    #[serde(default)]
    pub detached: bool,
}

impl SubscriptionConfig {
    /// A subscription with Pub/Sub's defaults (10 s ack deadline, nothing else set).
    pub fn new(name: impl Into<String>, topic: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            topic: topic.into(),
            ack_deadline_seconds: 10,
            retain_acked_messages: false,
            message_retention: None,
            labels: BTreeMap::new(),
            enable_message_ordering: false,
            expiration_policy: None,
            filter: String::new(),
            dead_letter_policy: None,
            retry_policy: None,
            enable_exactly_once_delivery: false,
            detached: false,
        }
    }
}
