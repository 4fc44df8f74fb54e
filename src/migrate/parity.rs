//! Parity proof: drain a parity subscription on the legacy topic and one on the new topic and
//! compare them by idempotency key. Cutting over is safe only when nothing is missing.

use crate::model::{envelope, idempotency};
use crate::pubsub::{MessageSource, PubSubError, ReceivedMessage, receive};
use serde::Serialize;
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
}

impl ParityReport {
    /// Whether every message on each side has its counterpart.
    pub fn passed(&self) -> bool {
        self.missing_in_new.is_empty() && self.missing_in_legacy.is_empty() && self.unkeyed == 0
    }

    /// One line for journals and errors.
    pub fn summary(&self) -> String {
        format!(
            "legacy {} / new {} messages; {} missing in new, {} missing in legacy, {} unkeyed",
            self.legacy_messages,
            self.new_messages,
            self.missing_in_new.len(),
            self.missing_in_legacy.len(),
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

async fn drain(
    source: &dyn MessageSource,
    subscription: &str,
    options: &ParityOptions,
) -> Result<(BTreeMap<String, usize>, usize, usize), PubSubError> {
    let mut keys = BTreeMap::new();
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
                Some(key) => *keys.entry(key).or_insert(0) += 1,
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
    let duplicates = |keys: &BTreeMap<String, usize>| {
        keys.iter()
            .filter(|(_, n)| **n > 1)
            .map(|(k, n)| (k.clone(), *n))
            .collect()
    };
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
}
