//! Pub/Sub envelope: an event as a message (JSON data, attributes, ordering key) and back.
//!
//! Attributes carry the routing facts so subscription filters (attributes only, pubsub.md) can
//! select on them. Values are at most 1,024 bytes (the Pub/Sub limit): the header fields are
//! length-bounded by the schema so they fit, and any value that still would not is replaced by
//! `sha256:<hex>` (an exact-match filter on such a value will not match; none of the routing
//! values can get that long from a valid event).

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::claim_check::{self, ClaimCheckConfig, ClaimCheckError, ParkedPayload};
use crate::model::event::Event;
use crate::model::legacy::hex;
use crate::model::message::OutgoingMessage;
use crate::model::store::KeyValueStore;
use crate::model::validate::{self, Problem, SourceFormat};

/// Attribute names, in one place.
pub mod attr {
    pub const EVENT_TYPE: &str = "event_type";
    pub const SCHEMA_VERSION: &str = "schema_version";
    pub const USER_ID: &str = "user_id";
    pub const PROVIDER: &str = "provider";
    pub const SYNC_TYPE: &str = "sync_type";
    pub const OPERATION: &str = "operation";
    pub const BATCH_ID: &str = "batch_id";
    pub const CORRELATION_ID: &str = "correlation_id";
    pub const IDEMPOTENCY_KEY: &str = "idempotency_key";
    /// `true` when at least one payload of the message is parked in Redis.
    pub const CLAIM_CHECK: &str = "claim_check";
}

/// Pub/Sub's limit on an attribute value, in bytes.
pub const MAX_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// An event encoded for Pub/Sub, with the topic of its data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedEvent {
    /// The topic of the event's data type.
    pub topic: &'static str,
    /// Compact JSON of the event (parked payloads replaced by references), the attributes, and
    /// the user id as ordering key: one key per user keeps a user's changes in order without
    /// creating a key per message (pubsub.md: idle keys are not cleaned up).
    pub message: OutgoingMessage,
}

/// A message and the payloads that must be stored before it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMessage {
    pub topic: &'static str,
    pub message: OutgoingMessage,
    pub parked: Vec<ParkedPayload>,
}

/// Builds the message for `event`, parking payloads per `config` (nothing is written yet).
pub fn plan_message(
    mut event: Event,
    config: &ClaimCheckConfig,
) -> Result<PlannedMessage, ClaimCheckError> {
    let ser_err = |event: &Event, e: serde_json::Error| ClaimCheckError::Serialize {
        event_id: event.header().event_id.to_string(),
        message: e.to_string(),
    };
    let unparked = attributes(&event, false);
    let overhead = unparked.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>()
        + event.header().user_id.len()
        // `claim_check` = `true` may be added.
        + attr::CLAIM_CHECK.len() + 4;
    let mut data = serde_json::to_vec(&event).map_err(|e| ser_err(&event, e))?;
    let encoded_size = |e: &Event| serde_json::to_vec(e).map(|data| data.len() + overhead);
    let parked =
        claim_check::park_oversized(&mut event, config, data.len() + overhead, &encoded_size)?;
    let attributes = if parked.is_empty() {
        unparked
    } else {
        data = serde_json::to_vec(&event).map_err(|e| ser_err(&event, e))?;
        attributes(&event, true)
    };
    let message = OutgoingMessage {
        data: data.into(),
        attributes,
        ordering_key: Some(event.header().user_id.to_string()),
    };
    Ok(PlannedMessage {
        topic: event.data_type().topic(),
        message,
        parked,
    })
}

/// [`plan_message`] for an `EmailEvent` whose e-mails are already encoded: `event.emails` is
/// empty and `emails` holds each [`Email`](crate::model::families::email::Email)'s compact JSON
/// (exactly as `serde_json` writes it),
/// in order. The message is byte for byte the one [`plan_message`] builds, without serializing
/// the e-mails again; only a batch whose message is over the claim-check threshold (some
/// payload may have to be parked) or that is not a `batch_sync` with a `batch_id` (its
/// idempotency key depends on the e-mails) decodes them and takes the general path.
pub fn plan_encoded_emails(
    event: crate::model::families::email::EmailEvent,
    emails: &[&str],
    config: &ClaimCheckConfig,
) -> Result<PlannedMessage, ClaimCheckError> {
    let ser_err = |event_id: &str, e: serde_json::Error| ClaimCheckError::Serialize {
        event_id: event_id.to_string(),
        message: e.to_string(),
    };
    let keyed_by_batch = event.sync_type == crate::model::fields::SyncType::BatchSync
        && event.batch_id.is_some()
        && event.emails.is_empty();
    let mut event = Event::Email(event);
    if keyed_by_batch {
        let mut data =
            serde_json::to_vec(&event).map_err(|e| ser_err(event.header().event_id, e))?;
        // `emails` is the last field: `…,"emails":[]}` becomes `…,"emails":[e1,e2]}`.
        if data.ends_with(b"[]}") {
            data.truncate(data.len() - 2);
            data.reserve(emails.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
            for (i, email) in emails.iter().enumerate() {
                if i > 0 {
                    data.push(b',');
                }
                data.extend_from_slice(email.as_bytes());
            }
            data.extend_from_slice(b"]}");
            let attributes = attributes(&event, false);
            let overhead = attributes
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
                + event.header().user_id.len()
                + attr::CLAIM_CHECK.len()
                + 4;
            if data.len() + overhead <= config.threshold_bytes {
                // No payload can be over the threshold, and the message is under the limit.
                return Ok(PlannedMessage {
                    topic: event.data_type().topic(),
                    message: OutgoingMessage {
                        data: data.into(),
                        attributes,
                        ordering_key: Some(event.header().user_id.to_string()),
                    },
                    parked: Vec::new(),
                });
            }
        }
    }
    if let Event::Email(email_event) = &mut event {
        for email in emails {
            let decoded =
                serde_json::from_str(email).map_err(|e| ser_err(&email_event.event_id, e))?;
            email_event.emails.push(decoded);
        }
    }
    plan_message(event, config)
}

/// Builds the message for `event`, storing parked payloads in `store` first (a consumer must
/// never see a reference whose payload is not there yet).
pub async fn encode_message(
    event: Event,
    config: &ClaimCheckConfig,
    store: &dyn KeyValueStore,
) -> Result<EncodedEvent, ClaimCheckError> {
    let plan = plan_message(event, config)?;
    claim_check::store_parked(&plan.parked, store).await?;
    Ok(EncodedEvent {
        topic: plan.topic,
        message: plan.message,
    })
}

/// The attributes of `event`.
pub fn attributes(event: &Event, parked: bool) -> BTreeMap<String, String> {
    let header = event.header();
    let (_, idempotency_key) = crate::model::idempotency::message_key(event);
    let mut out = BTreeMap::new();
    let mut put = |name: &str, value: &str| {
        out.insert(name.to_string(), bounded_attribute(value));
    };
    put(attr::EVENT_TYPE, event.data_type().event_type());
    put(attr::SCHEMA_VERSION, &header.schema_version.to_string());
    put(attr::USER_ID, header.user_id);
    if let Some(provider) = header.provider {
        put(attr::PROVIDER, provider.as_str());
    }
    put(attr::SYNC_TYPE, header.sync_type.as_str());
    put(attr::OPERATION, header.operation.as_str());
    if let Some(batch_id) = header.batch_id {
        put(attr::BATCH_ID, batch_id);
    }
    put(attr::CORRELATION_ID, header.correlation_id);
    put(attr::IDEMPOTENCY_KEY, &idempotency_key);
    if parked {
        put(attr::CLAIM_CHECK, "true");
    }
    out
}

/// The value itself when it fits Pub/Sub's limit, else `sha256:<64 hex>`.
pub fn bounded_attribute(value: &str) -> String {
    if value.len() <= MAX_ATTRIBUTE_VALUE_BYTES {
        value.to_string()
    } else {
        format!("sha256:{}", hex(&Sha256::digest(value.as_bytes())))
    }
}

/// Why a received message could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("message with `event_type` = `{0}` is not an event type officectl knows")]
    UnknownEventType(String),
    #[error("invalid `{event_type}` message: {}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid {
        event_type: String,
        problems: Vec<Problem>,
    },
    #[error("attribute `{name}` is `{attribute}` but the body says `{body}`")]
    AttributeMismatch {
        name: &'static str,
        attribute: String,
        body: String,
    },
}

/// A decoded message.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The event in the current format (legacy messages are upcast).
    pub event: Event,
    pub source: SourceFormat,
    /// Whether payloads are parked and must be fetched with
    /// [`claim_check::resolve_payloads`] before use.
    pub has_payload_refs: bool,
}

/// Decodes a received message, new or legacy. The `event_type` attribute picks the type when
/// present; without it (legacy producers set none) the body decides. Attributes that are present
/// must agree with the body.
pub fn decode_message(
    data: &[u8],
    attributes: &BTreeMap<String, String>,
) -> Result<Decoded, DecodeError> {
    let declared = attributes.get(attr::EVENT_TYPE).map(String::as_str);
    let invalid = |event_type: &str, problems: Vec<Problem>| DecodeError::Invalid {
        event_type: event_type.to_string(),
        problems,
    };
    let value: Value = serde_json::from_slice(data).map_err(|err| {
        invalid(
            declared.unwrap_or("?"),
            vec![Problem {
                path: "$".into(),
                message: format!("not valid JSON: {err}"),
            }],
        )
    })?;
    let validated = match declared {
        Some(name) if name == LEGACY_EMAIL_EVENT_TYPE => validate::validate_legacy(value)
            .map(|e| validate::Validated {
                event: Event::Email(e),
                source: SourceFormat::LegacyEmailBackfill,
            })
            .map_err(|p| invalid(name, p))?,
        Some(name) => {
            let data_type = DataType::from_event_type(name)
                .ok_or_else(|| DecodeError::UnknownEventType(name.to_string()))?;
            validate::validate_typed(data_type, value)
                .map(|event| validate::Validated {
                    event,
                    source: SourceFormat::Current,
                })
                .map_err(|p| invalid(name, p))?
        }
        None => validate::validate_value(value).map_err(|p| invalid("?", p))?,
    };
    check_attributes(&validated, attributes)?;
    Ok(Decoded {
        has_payload_refs: claim_check::has_payload_refs(&validated.event),
        event: validated.event,
        source: validated.source,
    })
}

fn check_attributes(
    validated: &validate::Validated,
    attributes: &BTreeMap<String, String>,
) -> Result<(), DecodeError> {
    // Legacy producers set no routing attributes, and their upcast values (batch id, sync type)
    // are derived here, so only the user is compared for them.
    let header = validated.event.header();
    let mut expected: Vec<(&'static str, String)> =
        vec![(attr::USER_ID, header.user_id.to_string())];
    if validated.source == SourceFormat::Current {
        expected.push((attr::SYNC_TYPE, header.sync_type.as_str().to_string()));
        expected.push((attr::OPERATION, header.operation.as_str().to_string()));
        expected.push((attr::CORRELATION_ID, header.correlation_id.to_string()));
        expected.push((attr::SCHEMA_VERSION, header.schema_version.to_string()));
    }
    for (name, body) in expected {
        if let Some(attribute) = attributes.get(name)
            && *attribute != bounded_attribute(&body)
        {
            return Err(DecodeError::AttributeMismatch {
                name,
                attribute: attribute.clone(),
                body,
            });
        }
    }
    Ok(())
}
