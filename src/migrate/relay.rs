//! Relay: forwards messages from a (legacy) subscription to a (new) topic, upcasting legacy
//! events, for producers that cannot dual-publish yet.
//!
//! A message is acked only after its copy is published; a crash in between redelivers it, and
//! the copy carries the same deterministic idempotency key, so consumers dedupe the repeat.
//! Messages that cannot be decoded are nacked (left on the subscription) and counted.

use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::envelope;
use crate::model::store::KeyValueStore;
use crate::pubsub::{BoundedPublisher, MessageSource, PubSubError, receive};
use serde::Serialize;
use std::time::Duration;

/// Bounds of one relay run.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// Full subscription name to drain.
    pub from: String,
    /// Full topic name to publish to.
    pub to: String,
    /// Stop after this many messages.
    pub max_messages: usize,
    /// Stop once nothing arrives for this long.
    pub idle_timeout: Duration,
}

/// What a relay run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RelayReport {
    pub received: usize,
    pub published: usize,
    /// Legacy events among them (upcast).
    pub upcast: usize,
    /// Messages that could not be decoded; nacked, not lost.
    pub undecodable: usize,
    /// Publishes that failed; their messages were nacked for redelivery.
    pub failed: usize,
}

impl RelayReport {
    /// Messages left on the subscription: undecodable, or their publish failed.
    pub fn not_relayed(&self) -> usize {
        self.undecodable + self.failed
    }

    /// One line for journals and errors.
    pub fn summary(&self) -> String {
        format!(
            "relayed {} of {} messages ({} upcast, {} undecodable, {} failed)",
            self.published, self.received, self.upcast, self.undecodable, self.failed
        )
    }
}

/// A relay run that left messages on its subscription (they are redelivered to the next run).
#[derive(Debug, thiserror::Error)]
#[error("{count} messages were not relayed; they stay on `{subscription}` for another run")]
pub struct NotRelayed {
    pub count: usize,
    /// The full name of the subscription drained.
    pub subscription: String,
}

/// Relay failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error(transparent)]
    PubSub(#[from] PubSubError),
    #[error("a relayed event needs its payload parked in Redis but no store was given")]
    NoStore,
    #[error(transparent)]
    ClaimCheck(#[from] claim_check::ClaimCheckError),
}

/// Runs one relay pass.
pub async fn relay(
    options: &RelayOptions,
    source: &dyn MessageSource,
    publisher: &BoundedPublisher,
    store: Option<&dyn KeyValueStore>,
    claim_check: &ClaimCheckConfig,
) -> Result<RelayReport, RelayError> {
    let mut report = RelayReport::default();
    let mut stream = source.subscribe(&options.from);
    while report.received < options.max_messages {
        let room = (options.max_messages - report.received).min(500);
        let batch = receive(stream.as_mut(), room, options.idle_timeout).await?;
        if batch.is_empty() {
            break;
        }
        report.received += batch.len();
        let mut pending = Vec::with_capacity(batch.len());
        for delivery in batch {
            let decoded = match envelope::decode_message(
                &delivery.message.data,
                &delivery.message.attributes,
            ) {
                Ok(decoded) => decoded,
                Err(_) => {
                    report.undecodable += 1;
                    delivery.nack();
                    continue;
                }
            };
            if decoded.source == crate::model::validate::SourceFormat::LegacyEmailBackfill {
                report.upcast += 1;
            }
            let mut plan = envelope::plan_message(decoded.event, claim_check)?;
            // The key the producer gave it stays: an upcast legacy e-mail would otherwise get
            // one derived from its legacy shape, and a consumer that already has the event
            // under the original key would feed it again (`migrate drill` saw this).
            if let Some(key) = delivery
                .message
                .attributes
                .get(envelope::attr::IDEMPOTENCY_KEY)
            {
                plan.message
                    .attributes
                    .insert(envelope::attr::IDEMPOTENCY_KEY.to_string(), key.clone());
            }
            if !plan.parked.is_empty() {
                let store = store.ok_or(RelayError::NoStore)?;
                claim_check::store_parked(&plan.parked, store)
                    .await
                    .map_err(claim_check::ClaimCheckError::from)?;
            }
            let completion = publisher.publish(&options.to, plan.message).await;
            pending.push((delivery, completion));
        }
        for (delivery, completion) in pending {
            match completion.await {
                Ok(_) => {
                    report.published += 1;
                    delivery.ack();
                }
                Err(_) => {
                    report.failed += 1;
                    delivery.nack();
                }
            }
        }
    }
    // Acks given above must reach the server before the process may exit.
    stream.shutdown().await;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{
        Admin, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
    };
    use std::sync::Arc;

    fn legacy_line() -> String {
        let path = format!(
            "{}/tests/fixtures/events/legacy/minimal.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    #[tokio::test]
    async fn relays_legacy_events_upcast_and_leaves_garbage_unacked() {
        let fake = FakePubSub::new();
        for topic in [
            "projects/p/topics/email-backfill",
            "projects/p/topics/emails",
        ] {
            fake.create_topic(&TopicConfig::named(topic)).await.unwrap();
        }
        let from = "projects/p/subscriptions/relay-email-backfill";
        fake.create_subscription(&SubscriptionConfig::new(
            from,
            "projects/p/topics/email-backfill",
        ))
        .await
        .unwrap();
        let check = "projects/p/subscriptions/check-emails";
        fake.create_subscription(&SubscriptionConfig::new(check, "projects/p/topics/emails"))
            .await
            .unwrap();
        fake.publish(
            "projects/p/topics/email-backfill",
            OutgoingMessage::new(legacy_line()),
        )
        .await
        .unwrap();
        // A legacy copy published by dual publishing carries the event's own key.
        fake.publish(
            "projects/p/topics/email-backfill",
            OutgoingMessage::new(legacy_line()).attribute("idempotency_key", "imm:u-1:m-1"),
        )
        .await
        .unwrap();
        fake.publish(
            "projects/p/topics/email-backfill",
            OutgoingMessage::new("garbage"),
        )
        .await
        .unwrap();

        let publisher = BoundedPublisher::new(Arc::new(fake.clone()), 8);
        let options = RelayOptions {
            from: from.into(),
            to: "projects/p/topics/emails".into(),
            max_messages: 10,
            idle_timeout: Duration::from_millis(50),
        };
        let report = relay(
            &options,
            &fake,
            &publisher,
            None,
            &ClaimCheckConfig::default(),
        )
        .await
        .unwrap();
        assert_eq!(report.published, 2);
        assert_eq!(report.upcast, 2);
        // The garbage message is nacked and redelivered within the run, so it counts each time.
        assert!(report.undecodable >= 1);
        assert_eq!(fake.backlog(check), 2);
        let relayed = crate::pubsub::receive(
            fake.subscribe(check).as_mut(),
            10,
            Duration::from_millis(50),
        )
        .await
        .unwrap();
        let keys: Vec<&str> = relayed
            .iter()
            .filter_map(|d| {
                d.message
                    .attributes
                    .get("idempotency_key")
                    .map(String::as_str)
            })
            .collect();
        assert!(
            keys.contains(&"imm:u-1:m-1"),
            "the producer's key is kept: {keys:?}"
        );
        assert_eq!(
            fake.backlog(from),
            1,
            "undecodable message left on the subscription"
        );
    }
}
