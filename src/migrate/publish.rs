//! Publishing under the migration's publish mode: `legacy` sends the legacy event to the legacy
//! topic, `new` the new event to the new topic, `dual` both with the same idempotency key so
//! consumers (and the parity check) can pair them.
//!
//! Every producer goes through [`route_message`]: `events publish` per event, `backfill` per
//! batch. The legacy copy of an e-mail is the legacy `EmailBackfillEvent`, which has no way to
//! carry a claim-check reference, so a body parked in Redis is put back inline; when the legacy
//! message would then be over the message size limit the item is refused
//! ([`RouteError::LegacyTooLarge`]) rather than published without its text.

use super::flags::{Flag, PublishMode};
use super::store::MigrationStore;
use crate::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::claim_check::ParkedPayload;
use crate::model::envelope::{PlannedMessage, attr};
use crate::model::families::EmailEvent;
use crate::model::fields::{Body, Operation};
use crate::model::legacy;
use crate::model::store::{KeyValueStore, StoreError};
use crate::pubsub::names;
use std::collections::BTreeMap;

/// The legacy topic a data type moves from, if it has one (the catalog's row).
pub fn legacy_topic(data_type: DataType) -> Option<&'static str> {
    data_type.info().legacy_topic
}

/// The data types that have a legacy topic, in catalog order.
pub fn migrating_types() -> impl Iterator<Item = DataType> {
    DataType::all().filter(|t| legacy_topic(*t).is_some())
}

/// A flag's stored value as a publish mode; a missing or unreadable value is `legacy`, the
/// state before any migration step ran.
pub fn mode_from(value: Option<&str>) -> PublishMode {
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or(PublishMode::Legacy)
}

/// The publish-mode flag of a data type.
pub fn mode_flag(data_type: DataType) -> Flag {
    Flag::PublishMode {
        data_type: data_type.doc_type().to_string(),
    }
}

/// The publish mode of every data type that has a legacy topic (missing flag: `legacy`).
pub async fn read_modes(
    store: &dyn MigrationStore,
) -> Result<BTreeMap<DataType, PublishMode>, StoreError> {
    let mut modes = BTreeMap::new();
    for data_type in migrating_types() {
        let value = store.get(&mode_flag(data_type).key()).await?;
        modes.insert(data_type, mode_from(value.as_deref()));
    }
    Ok(modes)
}

/// The publish mode of one data type, read through the key-value store (as `backfill`, which
/// has no migration store, does).
pub async fn read_mode(
    store: &dyn KeyValueStore,
    data_type: DataType,
) -> Result<PublishMode, StoreError> {
    let value = store.get(&mode_flag(data_type).key()).await?;
    Ok(mode_from(
        value.as_deref().and_then(|v| std::str::from_utf8(v).ok()),
    ))
}

/// Why a message could not be routed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error(
        "the legacy copy of event `{event_id}` on `{topic}` would be {bytes} bytes with its bodies inline, over the {limit}-byte message limit; neither copy was published"
    )]
    LegacyTooLarge {
        event_id: String,
        topic: String,
        bytes: usize,
        limit: usize,
    },
    #[error("cannot build the legacy copy of the message with idempotency key `{key}`: {reason}")]
    LegacyCopy {
        key: String,
        reason: Box<LegacyCopyError>,
    },
}

/// Why the legacy copy of an e-mail event could not be built. JSON errors are kept as their
/// text so that routing errors stay comparable and cloneable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegacyCopyError {
    #[error("{0}")]
    Decode(String),
    #[error(
        "the body of e-mail `{email}` is parked under `{key}`, which this message does not carry"
    )]
    MissingPayload { email: String, key: String },
    #[error("the parked body of e-mail `{email}` is not a body: {reason}")]
    NotABody { email: String, reason: String },
    #[error("{0}")]
    Encode(String),
}

/// Where one planned message goes under `mode`: the legacy copy (if the mode publishes legacy)
/// first, then the message itself (if it publishes new). `max_message_bytes` bounds the legacy
/// copy (data plus attributes), as the claim check bounds the new one.
pub fn route_message(
    plan: &PlannedMessage,
    project: &str,
    mode: PublishMode,
    max_message_bytes: usize,
) -> Result<Vec<(String, PlannedMessage)>, RouteError> {
    let Some(data_type) = DataType::all().find(|t| t.topic() == plan.topic) else {
        return Ok(vec![(names::topic(project, plan.topic), plan.clone())]);
    };
    let Some(legacy) = legacy_topic(data_type) else {
        return Ok(vec![(names::topic(project, plan.topic), plan.clone())]);
    };
    let mut routed = Vec::with_capacity(2);
    if mode.publishes_legacy() {
        let topic = names::topic(project, legacy);
        let copy = legacy_copy(plan, data_type, mode, &topic, max_message_bytes)?;
        routed.push((topic, copy));
    }
    if mode.publishes_new() {
        routed.push((names::topic(project, plan.topic), plan.clone()));
    }
    Ok(routed)
}

fn legacy_copy(
    plan: &PlannedMessage,
    data_type: DataType,
    mode: PublishMode,
    topic: &str,
    max_message_bytes: usize,
) -> Result<PlannedMessage, RouteError> {
    let mut copy = plan.clone();
    let deleting = plan
        .message
        .attributes
        .get(attr::OPERATION)
        .map(String::as_str)
        == Some(Operation::Delete.as_str());
    if data_type != DataType::Email || deleting {
        // Calendars and contacts have no legacy shape of their own, and the legacy
        // `EmailBackfillEvent` cannot say "delete" (it upcasts to `create`): the legacy topic
        // carries the same event, references included. Its payloads are stored once, with the
        // new message, unless no new message is published.
        if mode.publishes_new() {
            copy.parked.clear();
        }
        return Ok(copy);
    }
    let failed = |reason: LegacyCopyError| RouteError::LegacyCopy {
        key: plan
            .message
            .attributes
            .get(attr::IDEMPOTENCY_KEY)
            .cloned()
            .unwrap_or_default(),
        reason: Box::new(reason),
    };
    let mut event: EmailEvent = serde_json::from_slice(&plan.message.data)
        .map_err(|e| failed(LegacyCopyError::Decode(e.to_string())))?;
    inline_parked_bodies(&mut event, &plan.parked).map_err(failed)?;
    let data = serde_json::to_vec(&legacy::downcast(&event))
        .map_err(|e| failed(LegacyCopyError::Encode(e.to_string())))?;
    copy.message.data = data.into();
    copy.message.attributes.remove(attr::CLAIM_CHECK);
    copy.message
        .attributes
        .insert(attr::EVENT_TYPE.into(), LEGACY_EMAIL_EVENT_TYPE.into());
    // Nothing in the legacy message refers to Redis.
    copy.parked.clear();
    let bytes = copy.message.data.len()
        + copy
            .message
            .attributes
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
        + copy.message.ordering_key.as_ref().map_or(0, String::len);
    if bytes > max_message_bytes {
        return Err(RouteError::LegacyTooLarge {
            event_id: event.event_id,
            topic: topic.to_string(),
            bytes,
            limit: max_message_bytes,
        });
    }
    Ok(copy)
}

/// Puts every parked body of `event` back inline from the payloads planned with it.
fn inline_parked_bodies(
    event: &mut EmailEvent,
    parked: &[ParkedPayload],
) -> Result<(), LegacyCopyError> {
    for email in &mut event.emails {
        let Some(reference) = email.payload_ref.take() else {
            continue;
        };
        let payload = parked
            .iter()
            .find(|p| p.key == reference.key)
            .ok_or_else(|| LegacyCopyError::MissingPayload {
                email: email.provider_message_id.clone(),
                key: reference.key.clone(),
            })?;
        let body: Body =
            serde_json::from_slice(&payload.bytes).map_err(|e| LegacyCopyError::NotABody {
                email: email.provider_message_id.clone(),
                reason: e.to_string(),
            })?;
        email.body = Some(body);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::claim_check::ClaimCheckConfig;
    use crate::model::envelope;
    use crate::model::event::Event;

    const LIMIT: usize = 9 * 1024 * 1024;

    fn email_event(body: Option<String>) -> Event {
        let path = format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        if let Some(body) = body {
            value["emails"][0]["body"]["content"] = serde_json::Value::String(body);
        }
        crate::model::validate::validate_value(value).unwrap().event
    }

    fn plans_of(event: Event, config: &ClaimCheckConfig) -> PlannedMessage {
        envelope::plan_message(event, config).unwrap()
    }

    fn email_plans() -> PlannedMessage {
        plans_of(email_event(None), &ClaimCheckConfig::default())
    }

    /// The routed copies (full topic and message), or the error.
    fn route(
        plan: PlannedMessage,
        project: &str,
        modes: &BTreeMap<DataType, PublishMode>,
        limit: usize,
    ) -> (Vec<Routed>, Vec<RouteError>) {
        let data_type = DataType::all().find(|t| t.topic() == plan.topic);
        let mode = data_type
            .and_then(|t| modes.get(&t).copied())
            .unwrap_or(PublishMode::Legacy);
        match route_message(&plan, project, mode, limit) {
            Ok(copies) => (
                copies
                    .into_iter()
                    .map(|(topic, plan)| Routed { topic, plan })
                    .collect(),
                Vec::new(),
            ),
            Err(e) => (Vec::new(), vec![e]),
        }
    }

    #[derive(Debug)]
    struct Routed {
        topic: String,
        plan: PlannedMessage,
    }

    fn decoded_body(message: &crate::pubsub::OutgoingMessage) -> Option<Body> {
        let decoded = envelope::decode_message(&message.data, &message.attributes).unwrap();
        let Event::Email(event) = decoded.event else {
            panic!("not an e-mail")
        };
        event.emails[0].body.clone()
    }

    #[test]
    fn dual_mode_sends_a_legacy_copy_with_the_same_idempotency_key() {
        let modes = BTreeMap::from([(DataType::Email, PublishMode::Dual)]);
        let (routed, failures) = route(email_plans(), "p", &modes, LIMIT);
        assert!(failures.is_empty());
        let topics: Vec<&str> = routed.iter().map(|p| p.topic.as_str()).collect();
        assert_eq!(
            topics,
            [
                "projects/p/topics/email-backfill",
                "projects/p/topics/emails"
            ]
        );
        let (legacy, new) = (&routed[0].plan.message, &routed[1].plan.message);
        assert_eq!(
            legacy.attributes[attr::IDEMPOTENCY_KEY],
            new.attributes[attr::IDEMPOTENCY_KEY]
        );
        assert_eq!(legacy.attributes[attr::EVENT_TYPE], "EmailBackfillEvent");
        // The legacy copy decodes (upcast) to the same event identity.
        let decoded = envelope::decode_message(&legacy.data, &legacy.attributes).unwrap();
        assert_eq!(
            decoded.source,
            crate::model::validate::SourceFormat::LegacyEmailBackfill
        );
    }

    #[test]
    fn legacy_and_new_modes_send_one_copy() {
        let (legacy, _) = route(
            email_plans(),
            "p",
            &BTreeMap::from([(DataType::Email, PublishMode::Legacy)]),
            LIMIT,
        );
        assert_eq!(legacy.len(), 1);
        assert_eq!(legacy[0].topic, "projects/p/topics/email-backfill");
        let (new, _) = route(
            email_plans(),
            "p",
            &BTreeMap::from([(DataType::Email, PublishMode::New)]),
            LIMIT,
        );
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].topic, "projects/p/topics/emails");
    }

    #[test]
    fn a_claim_checked_body_travels_inline_in_the_legacy_copy() {
        let text = "quarterly numbers ".repeat(200);
        let config = ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        };
        let plans = plans_of(email_event(Some(text.clone())), &config);
        assert_eq!(plans.parked.len(), 1, "the body is parked");
        for mode in [PublishMode::Dual, PublishMode::Legacy] {
            let modes = BTreeMap::from([(DataType::Email, mode)]);
            let (routed, failures) = route(plans.clone(), "p", &modes, LIMIT);
            assert!(failures.is_empty(), "{failures:?}");
            let legacy = &routed[0];
            assert_eq!(legacy.topic, "projects/p/topics/email-backfill");
            assert!(
                legacy.plan.parked.is_empty(),
                "the legacy copy refers to nothing"
            );
            assert!(
                !legacy
                    .plan
                    .message
                    .attributes
                    .contains_key(attr::CLAIM_CHECK)
            );
            let body = decoded_body(&legacy.plan.message).expect("a body");
            assert_eq!(body.content, text, "{mode}");
            if mode == PublishMode::Dual {
                // The new message keeps its reference and its payload to store.
                assert_eq!(routed[1].plan.parked.len(), 1);
                assert_eq!(decoded_body(&routed[1].plan.message), None);
            }
        }
    }

    #[test]
    fn a_legacy_copy_over_the_limit_fails_the_item_and_publishes_neither_copy() {
        let config = ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        };
        let plans = plans_of(email_event(Some("x".repeat(5000))), &config);
        let modes = BTreeMap::from([(DataType::Email, PublishMode::Dual)]);
        let (routed, failures) = route(plans, "p", &modes, 4000);
        assert!(routed.is_empty(), "{routed:?}");
        assert_eq!(failures.len(), 1);
        let message = failures[0].to_string();
        assert!(
            message.contains("email-backfill") && message.contains("4000-byte"),
            "{message}"
        );
    }

    #[test]
    fn a_delete_reaches_the_legacy_topic_as_a_delete() {
        let path = format!(
            "{}/tests/fixtures/events/valid/email_delete.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let event = crate::model::validate::validate_bytes(
            std::fs::read_to_string(path).unwrap().as_bytes(),
        )
        .unwrap()
        .event;
        let modes = BTreeMap::from([(DataType::Email, PublishMode::Dual)]);
        let (routed, failures) = route(
            plans_of(event.clone(), &ClaimCheckConfig::default()),
            "p",
            &modes,
            LIMIT,
        );
        assert!(failures.is_empty(), "{failures:?}");
        let legacy = &routed[0].plan.message;
        assert_eq!(routed[0].topic, "projects/p/topics/email-backfill");
        let decoded = envelope::decode_message(&legacy.data, &legacy.attributes).unwrap();
        assert_eq!(decoded.event, event, "not turned into a legacy `create`");
    }

    #[test]
    fn types_without_a_legacy_topic_pass_through() {
        let path = format!(
            "{}/tests/fixtures/events/valid/todo.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let event = crate::model::validate::validate_bytes(
            std::fs::read_to_string(path).unwrap().as_bytes(),
        )
        .unwrap()
        .event;
        let modes = BTreeMap::from([(DataType::Email, PublishMode::Dual)]);
        let (routed, _) = route(
            plans_of(event, &ClaimCheckConfig::default()),
            "p",
            &modes,
            LIMIT,
        );
        assert_eq!(routed.len(), 1);
        assert_eq!(routed[0].topic, "projects/p/topics/todos");
    }

    #[test]
    fn legacy_topics_come_from_the_catalog() {
        let legacy: Vec<_> = migrating_types().filter_map(legacy_topic).collect();
        assert_eq!(
            legacy,
            ["email-backfill", "calendar-updates", "contact-updates"]
        );
        assert_eq!(mode_from(Some("dual")), PublishMode::Dual);
        assert_eq!(mode_from(Some("bogus")), PublishMode::Legacy);
        assert_eq!(mode_from(None), PublishMode::Legacy);
    }
}
