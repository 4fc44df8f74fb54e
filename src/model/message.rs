//! Pub/Sub messages going out and coming in, as plain data: independent of any client library, so
//! the model can encode events into them without depending on the Pub/Sub adapter ([`crate::pubsub`]
//! re-exports both).

use bytes::Bytes;
use std::collections::BTreeMap;

/// A message to publish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub data: Bytes,
    pub attributes: BTreeMap<String, String>,
    /// Messages with the same key are delivered in publish order (on ordered subscriptions).
    pub ordering_key: Option<String>,
}

impl OutgoingMessage {
    /// A message with this body and no attributes.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            ..Self::default()
        }
    }

    /// Adds an attribute.
    pub fn attribute(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(key.into(), value.into());
        self
    }

    /// Size as Pub/Sub counts it against its limit: data, attribute keys and values, ordering key.
    pub fn size_bytes(&self) -> usize {
        self.data.len()
            + self.ordering_key.as_ref().map_or(0, String::len)
            + self
                .attributes
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
    }

    /// Sets the ordering key.
    pub fn ordering_key(mut self, key: impl Into<String>) -> Self {
        self.ordering_key = Some(key.into());
        self
    }
}

/// A message received from a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// Server-assigned id.
    pub id: String,
    pub data: Bytes,
    pub attributes: BTreeMap<String, String>,
    /// Empty when the message had none.
    pub ordering_key: String,
    /// How many times it was delivered, when the subscription has a dead-letter policy.
    pub delivery_attempt: Option<i32>,
    /// When Pub/Sub accepted it, if the server said.
    pub publish_time: Option<std::time::SystemTime>,
}
