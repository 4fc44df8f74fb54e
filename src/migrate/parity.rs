//! Parity proof: drain a parity subscription on the legacy topic and one on the new topic and
//! compare them by idempotency key and by content. Cutting over is safe only when nothing is
//! missing and every pair carries the same data: a legacy copy that lost an e-mail's body has
//! the right key but the wrong content.

use crate::model::event::Event;
use crate::model::{envelope, idempotency};
use crate::pubsub::{MessageSource, PubSubError, ReceivedMessage, receive};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// How far to read each side.
#[derive(Debug, Clone)]
pub struct ParityOptions {
    pub legacy_subscription: String,
    pub new_subscription: String,
    pub max_messages: usize,
    pub idle_timeout: Duration,
}

/// The comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParityReport {
    pub legacy_messages: usize,
    pub new_messages: usize,
    /// Keys seen on the legacy side only.
    pub missing_in_new: Vec<String>,
    /// Keys seen on the new side only.
    pub missing_in_legacy: Vec<String>,
    /// Keys seen more than once on a side (harmless: consumers dedupe), with their counts.
    pub duplicates_legacy: BTreeMap<String, usize>,
    pub duplicates_new: BTreeMap<String, usize>,
    /// Messages whose key could not be found (no attribute, undecodable body).
    pub unkeyed: usize,
    /// Keys on both sides whose content differs (see [`content_digest`]).
    #[serde(default)]
    pub content_mismatch: Vec<String>,
}

impl ParityReport {
    /// Whether every message on each side has its counterpart.
    pub fn passed(&self) -> bool {
        self.missing_in_new.is_empty()
            && self.missing_in_legacy.is_empty()
            && self.unkeyed == 0
            && self.content_mismatch.is_empty()
    }

    /// Each difference: `new lacks `k``, `legacy lacks `k``, `` `k` differs in content``.
    pub fn differences(&self) -> Vec<String> {
        let missing_new = self
            .missing_in_new
            .iter()
            .map(|k| format!("new lacks `{k}`"));
        let missing_legacy = self
            .missing_in_legacy
            .iter()
            .map(|k| format!("legacy lacks `{k}`"));
        let differing = self
            .content_mismatch
            .iter()
            .map(|k| format!("`{k}` differs in content"));
        missing_new.chain(missing_legacy).chain(differing).collect()
    }

    /// One line for journals and errors.
    pub fn summary(&self) -> String {
        format!(
            "legacy {} / new {} messages; {} missing in new, {} missing in legacy, {} with different content, {} unkeyed",
            self.legacy_messages,
            self.new_messages,
            self.missing_in_new.len(),
            self.missing_in_legacy.len(),
            self.content_mismatch.len(),
            self.unkeyed
        )
    }
}

/// The message's idempotency key: its attribute, or (legacy producers set none) derived from
/// the decoded event the same way publishers derive it.
pub fn key_of(message: &ReceivedMessage) -> Option<String> {
    if let Some(key) = message.attributes.get(envelope::attr::IDEMPOTENCY_KEY) {
        return Some(key.clone());
    }
    let decoded = envelope::decode_message(&message.data, &message.attributes).ok()?;
    Some(idempotency::message_key(&decoded.event).1)
}

/// What a side saw of one key: how many messages, and the digests of their contents.
#[derive(Debug, Default)]
struct Seen {
    count: usize,
    digests: std::collections::BTreeSet<String>,
}

/// A digest of what a reader of either topic gets from a message: the same for an event and
/// its legacy copy when nothing was lost on the way. `None` when the message does not decode.
///
/// E-mails are compared on the fields the legacy shape carries (ids, subject, addresses, body,
/// snippet, labels, attachments, read state, times; not `reply_to`, `is_starred` or
/// `internet_message_id`, which it cannot hold). A body parked by the claim check counts as the
/// SHA-256 its reference carries, which is the SHA-256 of the same JSON inline, so a parked body
/// and the same body inline compare equal without reading Redis. Other types compare their
/// whole event JSON.
pub fn content_digest(message: &ReceivedMessage) -> Option<String> {
    let decoded = envelope::decode_message(&message.data, &message.attributes).ok()?;
    let mut hasher = Sha256::new();
    match &decoded.event {
        Event::Email(event) => {
            hasher.update(event.user_id.as_bytes());
            for email in &event.emails {
                let body_digest = match &email.payload_ref {
                    Some(reference) => reference.sha256.clone(),
                    None => {
                        let body = email.body.clone().unwrap_or(crate::model::fields::Body {
                            mime_type: crate::model::fields::BodyMime::Plain,
                            content: String::new(),
                        });
                        let json = serde_json::to_vec(&Some(body)).ok()?;
                        crate::model::legacy::hex(&Sha256::digest(&json))
                    }
                };
                let visible = serde_json::json!([
                    email.provider_message_id,
                    email.thread_id,
                    email.subject,
                    email.from,
                    email.to,
                    email.cc,
                    email.bcc,
                    email.labels,
                    email.snippet,
                    body_digest,
                    email.attachments,
                    email.is_read,
                    email.received_at,
                    email.updated_at,
                ]);
                hasher.update(serde_json::to_vec(&visible).ok()?);
                hasher.update(b"\n");
            }
        }
        other => hasher.update(serde_json::to_vec(other).ok()?),
    }
    Some(crate::model::legacy::hex(&hasher.finalize()))
}

async fn drain(
    source: &dyn MessageSource,
    subscription: &str,
    options: &ParityOptions,
) -> Result<(BTreeMap<String, Seen>, usize, usize), PubSubError> {
    let mut keys: BTreeMap<String, Seen> = BTreeMap::new();
    let (mut count, mut unkeyed) = (0, 0);
    let mut stream = source.subscribe(subscription);
    while count < options.max_messages {
        let room = (options.max_messages - count).min(500);
        let batch = receive(stream.as_mut(), room, options.idle_timeout).await?;
        if batch.is_empty() {
            break;
        }
        for delivery in batch {
            count += 1;
            match key_of(&delivery.message) {
                Some(key) => {
                    let seen = keys.entry(key).or_default();
                    seen.count += 1;
                    if let Some(digest) = content_digest(&delivery.message) {
                        seen.digests.insert(digest);
                    }
                }
                None => unkeyed += 1,
            }
            // Parity subscriptions exist only for this comparison: consume what was read.
            delivery.ack();
        }
    }
    stream.shutdown().await;
    Ok((keys, count, unkeyed))
}

/// Reads both sides (concurrently) and compares them.
pub async fn verify(
    source: &dyn MessageSource,
    options: &ParityOptions,
) -> Result<ParityReport, PubSubError> {
    let (legacy, new) = tokio::join!(
        drain(source, &options.legacy_subscription, options),
        drain(source, &options.new_subscription, options)
    );
    let (legacy_keys, legacy_messages, legacy_unkeyed) = legacy?;
    let (new_keys, new_messages, new_unkeyed) = new?;
    let duplicates = |keys: &BTreeMap<String, Seen>| {
        keys.iter()
            .filter(|(_, seen)| seen.count > 1)
            .map(|(k, seen)| (k.clone(), seen.count))
            .collect()
    };
    let content_mismatch = legacy_keys
        .iter()
        .filter_map(|(key, legacy)| {
            let new = new_keys.get(key)?;
            (legacy.digests != new.digests).then(|| key.clone())
        })
        .collect();
    Ok(ParityReport {
        legacy_messages,
        new_messages,
        missing_in_new: legacy_keys
            .keys()
            .filter(|k| !new_keys.contains_key(*k))
            .cloned()
            .collect(),
        missing_in_legacy: new_keys
            .keys()
            .filter(|k| !legacy_keys.contains_key(*k))
            .cloned()
            .collect(),
        duplicates_legacy: duplicates(&legacy_keys),
        duplicates_new: duplicates(&new_keys),
        unkeyed: legacy_unkeyed + new_unkeyed,
        content_mismatch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{
        Admin, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
    };

    async fn setup() -> FakePubSub {
        let fake = FakePubSub::new();
        for (topic, sub) in [
            ("email-backfill", "parity-legacy"),
            ("emails", "parity-new"),
        ] {
            let topic = format!("projects/p/topics/{topic}");
            fake.create_topic(&TopicConfig::named(&topic))
                .await
                .unwrap();
            fake.create_subscription(&SubscriptionConfig::new(
                format!("projects/p/subscriptions/{sub}"),
                &topic,
            ))
            .await
            .unwrap();
        }
        fake
    }

    fn keyed(key: &str) -> OutgoingMessage {
        OutgoingMessage::new("{}").attribute("idempotency_key", key)
    }

    fn options() -> ParityOptions {
        ParityOptions {
            legacy_subscription: "projects/p/subscriptions/parity-legacy".into(),
            new_subscription: "projects/p/subscriptions/parity-new".into(),
            max_messages: 100,
            idle_timeout: Duration::from_millis(30),
        }
    }

    #[tokio::test]
    async fn dual_published_traffic_passes_and_a_legacy_only_message_is_listed() {
        let fake = setup().await;
        for key in ["a", "b"] {
            fake.publish("projects/p/topics/email-backfill", keyed(key))
                .await
                .unwrap();
            fake.publish("projects/p/topics/emails", keyed(key))
                .await
                .unwrap();
        }
        fake.publish("projects/p/topics/emails", keyed("b"))
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(report.passed(), "{report:?}");
        assert_eq!(report.duplicates_new.get("b"), Some(&2));

        fake.publish("projects/p/topics/email-backfill", keyed("only-legacy"))
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(!report.passed());
        assert_eq!(report.missing_in_new, vec!["only-legacy".to_string()]);
    }

    /// The events of a dual publish, with the legacy copy's body replaced: the keys match, the
    /// content does not.
    #[tokio::test]
    async fn a_legacy_copy_that_lost_its_body_fails_on_content() {
        use crate::migrate::flags::PublishMode;
        use crate::migrate::publish;
        use crate::model::claim_check::ClaimCheckConfig;

        let path = format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        value["emails"][0]["body"]["content"] = serde_json::Value::from("y".repeat(3000));
        let event = crate::model::validate::validate_value(value).unwrap().event;
        let config = ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        };
        let plan = envelope::plan_message(event, &config).unwrap();
        let routed = publish::route_message(&plan, "p", PublishMode::Dual, 9 << 20).unwrap();
        assert_eq!(routed.len(), 2);

        // The fixed routing: same key, same content (the parked body's digest is the inline one's).
        let fake = setup().await;
        for (topic, plan) in &routed {
            fake.publish(topic, plan.message.clone()).await.unwrap();
        }
        let report = verify(&fake, &options()).await.unwrap();
        assert!(report.passed(), "{report:?}");

        // A legacy copy without the body, as dual publishing used to send.
        let mut lossy = routed[0].1.message.clone();
        let mut legacy: serde_json::Value = serde_json::from_slice(&lossy.data).unwrap();
        legacy["emails"][0].as_object_mut().unwrap().remove("body");
        lossy.data = serde_json::to_vec(&legacy).unwrap().into();
        fake.publish(&routed[0].0, lossy).await.unwrap();
        fake.publish(&routed[1].0, routed[1].1.message.clone())
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(!report.passed(), "{report:?}");
        assert_eq!(report.content_mismatch.len(), 1, "{report:?}");
        assert!(report.missing_in_new.is_empty() && report.missing_in_legacy.is_empty());
    }
}
