//! Claim check: payloads too big for a Pub/Sub message are parked in Redis and the event carries
//! a [`PayloadRef`] instead (pubsub.md: messages are at most 10 MB).
//!
//! Each data type has at most one parkable field per item: an e-mail's `body`, a document's
//! `content`, a chat's `messages`. The parked bytes are the JSON of that field, stored under
//! `office:{user_id}:{doc_type}:{doc_id}` (built in [`crate::keys::claim_check`]) with the TTL of
//! the data type. Because the key is per document, a later version of the same document replaces
//! the parked bytes; the SHA-256 in the reference detects that ([`ClaimCheckError::Mismatch`]).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::catalog::DataType;
use crate::model::event::Event;
use crate::model::fields::{Item, PayloadRef};
use crate::model::legacy::hex;
use crate::model::store::{KeyValueStore, StoreError};

/// Pub/Sub's message size limit (data plus attributes and ordering key), in bytes.
pub const PUBSUB_MAX_MESSAGE_BYTES: usize = 10_000_000;

/// Claim-check settings; embeddable in the config file (`deny_unknown_fields`, every field
/// optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimCheckConfig {
    /// A parkable payload larger than this (bytes of its JSON) is parked. Default 256 KiB.
    pub threshold_bytes: usize,
    /// Largest message officectl publishes (data plus attributes); more payloads are parked,
    /// largest first, until the message fits. Default 9 MiB, and never above
    /// [`PUBSUB_MAX_MESSAGE_BYTES`] minus 64 KiB of headroom.
    pub max_message_bytes: usize,
    /// How long parked payloads live, per data type.
    pub ttl: TtlPerType,
}

impl Default for ClaimCheckConfig {
    fn default() -> ClaimCheckConfig {
        ClaimCheckConfig {
            threshold_bytes: 256 * 1024,
            max_message_bytes: 9 * 1024 * 1024,
            ttl: TtlPerType::default(),
        }
    }
}

/// Headroom kept under Pub/Sub's limit for the publish request's own framing.
const HEADROOM_BYTES: usize = 64 * 1024;

/// A claim-check setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("`max_message_bytes` is {0}; it must be at most {max} (Pub/Sub's 10 MB limit minus headroom)", max = PUBSUB_MAX_MESSAGE_BYTES - HEADROOM_BYTES)]
    MaxTooLarge(usize),
    #[error(
        "`threshold_bytes` ({threshold}) must be at least 1 and at most `max_message_bytes` ({max})"
    )]
    BadThreshold { threshold: usize, max: usize },
    #[error("`ttl.{0}` must be at least 1s")]
    ZeroTtl(&'static str),
}

impl ClaimCheckConfig {
    /// Checks the limits; call once when settings are resolved.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_message_bytes > PUBSUB_MAX_MESSAGE_BYTES - HEADROOM_BYTES {
            return Err(ConfigError::MaxTooLarge(self.max_message_bytes));
        }
        if self.threshold_bytes == 0 || self.threshold_bytes > self.max_message_bytes {
            return Err(ConfigError::BadThreshold {
                threshold: self.threshold_bytes,
                max: self.max_message_bytes,
            });
        }
        for data_type in DataType::all() {
            if self.ttl.get(data_type) < Duration::from_secs(1) {
                return Err(ConfigError::ZeroTtl(data_type.doc_type()));
            }
        }
        Ok(())
    }
}

/// Claim-check TTL per data type, written as durations (`7d`, `36h`). Unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TtlPerType {
    #[serde(with = "crate::duration")]
    pub email: Duration,
    #[serde(with = "crate::duration")]
    pub calendar: Duration,
    #[serde(with = "crate::duration")]
    pub contact: Duration,
    #[serde(with = "crate::duration")]
    pub document: Duration,
    #[serde(with = "crate::duration")]
    pub todo: Duration,
    #[serde(with = "crate::duration")]
    pub llm_chat: Duration,
    #[serde(with = "crate::duration")]
    pub shipment: Duration,
    #[serde(with = "crate::duration")]
    pub meeting_poll: Duration,
    #[serde(with = "crate::duration")]
    pub booking: Duration,
}

impl Default for TtlPerType {
    /// Seven days (the default subscription retention), so a parked payload outlives any message
    /// that can still be delivered; documents get three days, since they are re-exported cheaply.
    fn default() -> TtlPerType {
        let days = |n: u64| Duration::from_secs(n * 86_400);
        TtlPerType {
            email: days(7),
            calendar: days(7),
            contact: days(7),
            document: days(3),
            todo: days(7),
            llm_chat: days(7),
            shipment: days(7),
            meeting_poll: days(7),
            booking: days(7),
        }
    }
}

impl TtlPerType {
    pub fn get(&self, data_type: DataType) -> Duration {
        match data_type {
            DataType::Email => self.email,
            DataType::Calendar => self.calendar,
            DataType::Contact => self.contact,
            DataType::Document => self.document,
            DataType::Todo => self.todo,
            DataType::LlmChat => self.llm_chat,
            DataType::Shipment => self.shipment,
            DataType::MeetingPoll => self.meeting_poll,
            DataType::Booking => self.booking,
        }
    }
}

/// Why a payload could not be parked or resolved.
#[derive(Debug, thiserror::Error)]
pub enum ClaimCheckError {
    #[error(
        "parked payload `{key}` is missing or expired (claim-check TTL of `{doc_type}` is {ttl_hint}); replay the event from its source"
    )]
    Missing {
        key: String,
        doc_type: &'static str,
        ttl_hint: String,
    },
    #[error(
        "parked payload `{key}` does not match its reference (expected sha256 {expected}, found {found}); a newer version of the document probably replaced it"
    )]
    Mismatch {
        key: String,
        expected: String,
        found: String,
    },
    #[error("parked payload `{key}` cannot be read back as `{field}`: {message}")]
    Undecodable {
        key: String,
        field: &'static str,
        message: String,
    },
    #[error(
        "event `{event_id}` is {size} bytes with every payload parked, over the {limit}-byte message limit; split the batch"
    )]
    TooLarge {
        event_id: String,
        size: usize,
        limit: usize,
    },
    #[error("cannot serialize event `{event_id}`: {message}")]
    Serialize { event_id: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An item field that can be parked. `Send` so that resolving payloads can be awaited in tasks
/// that move between threads (the re-feed sources).
pub(crate) trait Parkable: Item + Send {
    /// Name of the parkable field, for messages.
    fn field(&self) -> &'static str;
    /// Whether the field holds something to park.
    fn has_inline(&self) -> bool;
    /// A cheap lower bound of the inline field's JSON size (its text bytes), used to pick
    /// candidates without serializing every field.
    fn inline_len(&self) -> usize;
    /// The JSON of the inline field.
    fn inline_json(&self) -> Result<Vec<u8>, serde_json::Error>;
    /// Clears the inline field and sets the reference.
    fn park(&mut self, payload_ref: PayloadRef);
    fn payload_ref(&self) -> Option<&PayloadRef>;
    /// Restores the inline field from parked JSON and clears the reference.
    fn restore(&mut self, json: &[u8]) -> Result<(), serde_json::Error>;
}

impl Parkable for crate::model::families::email::Email {
    fn field(&self) -> &'static str {
        "body"
    }
    fn has_inline(&self) -> bool {
        self.body.is_some()
    }
    fn inline_len(&self) -> usize {
        self.body.as_ref().map_or(0, |b| b.content.len())
    }
    fn inline_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&self.body)
    }
    fn park(&mut self, payload_ref: PayloadRef) {
        self.body = None;
        self.payload_ref = Some(payload_ref);
    }
    fn payload_ref(&self) -> Option<&PayloadRef> {
        self.payload_ref.as_ref()
    }
    fn restore(&mut self, json: &[u8]) -> Result<(), serde_json::Error> {
        self.body = serde_json::from_slice(json)?;
        self.payload_ref = None;
        Ok(())
    }
}

impl Parkable for crate::model::families::document::Document {
    fn field(&self) -> &'static str {
        "content"
    }
    fn has_inline(&self) -> bool {
        self.content.is_some()
    }
    fn inline_len(&self) -> usize {
        self.content.as_ref().map_or(0, String::len)
    }
    fn inline_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&self.content)
    }
    fn park(&mut self, payload_ref: PayloadRef) {
        self.content = None;
        self.payload_ref = Some(payload_ref);
    }
    fn payload_ref(&self) -> Option<&PayloadRef> {
        self.payload_ref.as_ref()
    }
    fn restore(&mut self, json: &[u8]) -> Result<(), serde_json::Error> {
        self.content = serde_json::from_slice(json)?;
        self.payload_ref = None;
        Ok(())
    }
}

impl Parkable for crate::model::families::llm_chat::Conversation {
    fn field(&self) -> &'static str {
        "messages"
    }
    fn has_inline(&self) -> bool {
        !self.messages.is_empty()
    }
    fn inline_len(&self) -> usize {
        self.messages.iter().map(|m| m.content.len()).sum()
    }
    fn inline_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&self.messages)
    }
    fn park(&mut self, payload_ref: PayloadRef) {
        self.messages = Vec::new();
        self.payload_ref = Some(payload_ref);
    }
    fn payload_ref(&self) -> Option<&PayloadRef> {
        self.payload_ref.as_ref()
    }
    fn restore(&mut self, json: &[u8]) -> Result<(), serde_json::Error> {
        self.messages = serde_json::from_slice(json)?;
        self.payload_ref = None;
        Ok(())
    }
}

/// The parkable items of an event (empty for types without a parkable field).
pub(crate) fn parkables_mut(event: &mut Event) -> Vec<&mut dyn Parkable> {
    match event {
        Event::Email(e) => e
            .emails
            .iter_mut()
            .map(|m| m as &mut dyn Parkable)
            .collect(),
        Event::Document(e) => vec![&mut e.document],
        Event::LlmChat(e) => vec![&mut e.conversation],
        _ => Vec::new(),
    }
}

/// JSON escaping turns one byte into at most six (`\u001f`).
const MAX_JSON_EXPANSION: usize = 6;

/// A payload to write to the store before the message is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedPayload {
    pub key: String,
    pub bytes: Vec<u8>,
    pub ttl: Duration,
}

/// Parks, in `event`, every payload over the threshold, then the largest remaining ones while
/// `encoded_size(event)` exceeds the limit. Returns what to write to the store. Pure: nothing is
/// written here, so callers (and tests) decide when to touch Redis.
pub(crate) fn park_oversized(
    event: &mut Event,
    config: &ClaimCheckConfig,
    initial_size: usize,
    encoded_size: &dyn Fn(&Event) -> Result<usize, serde_json::Error>,
) -> Result<Vec<ParkedPayload>, ClaimCheckError> {
    let data_type = event.data_type();
    let header = event.header();
    let user_id = header.user_id.to_string();
    let event_id = header.event_id.to_string();
    let ser_err = |e: serde_json::Error| ClaimCheckError::Serialize {
        event_id: event_id.clone(),
        message: e.to_string(),
    };
    let ttl = config.ttl.get(data_type);
    let mut parked = Vec::new();

    // Candidates: (index, estimated size), largest first. The estimate (text bytes) is at most
    // the JSON size, so an item under the threshold by estimate is checked exactly below.
    let mut candidates: Vec<(usize, usize)> = parkables_mut(event)
        .into_iter()
        .enumerate()
        .filter(|(_, item)| item.has_inline())
        .map(|(i, item)| (i, item.inline_len()))
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut size = initial_size;
    for (index, estimate) in candidates {
        let mut items = parkables_mut(event);
        let Some(item) = items.get_mut(index) else {
            continue;
        };
        if size <= config.max_message_bytes
            && estimate.saturating_mul(MAX_JSON_EXPANSION) + 64 < config.threshold_bytes
        {
            // Even fully escaped this field is under the threshold, and candidates are sorted
            // largest first: nothing left needs parking.
            break;
        }
        let json = item.inline_json().map_err(ser_err)?;
        if json.len() <= config.threshold_bytes && size <= config.max_message_bytes {
            continue;
        }
        let key = crate::keys::claim_check(&user_id, data_type.doc_type(), item.doc_id());
        let payload_ref = PayloadRef {
            key: key.clone(),
            size_bytes: json.len() as u64,
            sha256: hex(&Sha256::digest(&json)),
        };
        item.park(payload_ref);
        parked.push(ParkedPayload {
            key,
            bytes: json,
            ttl,
        });
        size = encoded_size(event).map_err(ser_err)?;
    }
    if size > config.max_message_bytes {
        return Err(ClaimCheckError::TooLarge {
            event_id,
            size,
            limit: config.max_message_bytes,
        });
    }
    Ok(parked)
}

/// Whether any item of the event carries a [`PayloadRef`].
pub fn has_payload_refs(event: &Event) -> bool {
    let mut event = event.clone();
    parkables_mut(&mut event)
        .iter()
        .any(|item| item.payload_ref().is_some())
}

/// Fetches every parked payload of `event` from `store`, checks its SHA-256 and puts it back
/// inline. Returns how many payloads were resolved.
pub async fn resolve_payloads(
    event: &mut Event,
    store: &dyn KeyValueStore,
    config: &ClaimCheckConfig,
) -> Result<usize, ClaimCheckError> {
    let data_type = event.data_type();
    let mut resolved = 0;
    for item in parkables_mut(event) {
        let Some(payload_ref) = item.payload_ref().cloned() else {
            continue;
        };
        let bytes = store
            .get(&payload_ref.key)
            .await?
            .ok_or_else(|| ClaimCheckError::Missing {
                key: payload_ref.key.clone(),
                doc_type: data_type.doc_type(),
                ttl_hint: crate::duration::format(config.ttl.get(data_type)),
            })?;
        let found = hex(&Sha256::digest(&bytes));
        if found != payload_ref.sha256 {
            return Err(ClaimCheckError::Mismatch {
                key: payload_ref.key,
                expected: payload_ref.sha256,
                found,
            });
        }
        let field = item.field();
        item.restore(&bytes)
            .map_err(|e| ClaimCheckError::Undecodable {
                key: payload_ref.key.clone(),
                field,
                message: e.to_string(),
            })?;
        resolved += 1;
    }
    Ok(resolved)
}

/// Writes parked payloads to the store (before the message that references them is published).
pub async fn store_parked(
    parked: &[ParkedPayload],
    store: &dyn KeyValueStore,
) -> Result<(), StoreError> {
    for payload in parked {
        store
            .set_ex(&payload.key, &payload.bytes, payload.ttl)
            .await?;
    }
    Ok(())
}
