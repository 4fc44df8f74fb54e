//! Shipments (`officectl consume shipments`) on the runtime: each e-mail of an `EmailEvent` is
//! read for shipment notifications ([`crate::shipments::detect`]), applied to the user's
//! shipments once and only forward ([`crate::shipments::state`]), and every shipment that moved
//! is published as a `ShipmentEvent` on `shipments` (through the publish modes), which the
//! Vespa loader indexes as a `shipment` document.
//!
//! Per message: poison is nacked toward the dead-letter topic; an unknown type is acked; parked
//! bodies are fetched from the claim check; a Redis or publish failure nacks, and the
//! redelivery publishes what the e-mail's marker still owes (no double publish, no lost one).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use async_trait::async_trait;
use serde::Serialize;

use super::handling::{InHand, Tally, TallyFigures, own_event, report_table};
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::Reading;
use super::runtime::{Handler, RuntimeHandles};
use crate::migrate::routed::RoutedPublisher;
use crate::model::Event;
use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::families::shipment::Shipment;
use crate::model::store::KeyValueStore;
use crate::pubsub::Delivery;
use crate::report::{Report, Table};
use crate::shipments::detect::detect;
use crate::shipments::state::{Applied, ShipmentStore, SourceMail};
use crate::vespa::refeed::bump;

/// The consumer's name: its subscriptions' label.
pub const SHIPMENTS: &str = "shipments";

/// What the shipments consumer counts.
#[derive(Debug, Default)]
pub struct ShipmentCounters {
    /// Read, duplicates, unknown types, poison, retried.
    pub tally: Tally,
    /// E-mails read for shipments.
    pub emails: AtomicU64,
    /// Shipments found (every mention, before the forward-only rule).
    pub found: AtomicU64,
    /// `ShipmentEvent`s published.
    pub published: AtomicU64,
}

/// The shipments consumer's report at exit.
#[derive(Debug, Clone, Serialize)]
pub struct ShipmentReport {
    pub consumer: String,
    #[serde(flatten)]
    pub tally: TallyFigures,
    pub emails: u64,
    pub found: u64,
    pub published: u64,
    pub switches: u64,
    pub subscriptions: Vec<String>,
}

impl ShipmentCounters {
    pub fn report(&self, consumer: &str, runtime: &RuntimeHandles) -> ShipmentReport {
        let get = |c: &AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
        ShipmentReport {
            consumer: consumer.to_string(),
            tally: self.tally.figures(),
            emails: get(&self.emails),
            found: get(&self.found),
            published: get(&self.published),
            switches: get(&runtime.switches),
            subscriptions: runtime.last_open(),
        }
    }
}

impl Report for ShipmentReport {
    fn tables(&self) -> Vec<Table> {
        vec![report_table(
            &self.consumer,
            &[
                ("messages read", self.tally.read),
                ("e-mails read", self.emails),
                ("shipment mentions found", self.found),
                ("ShipmentEvents published", self.published),
                ("duplicates (acked)", self.tally.duplicates),
                ("unknown event types (acked)", self.tally.unknown_type),
                ("poison (nacked for dead letter)", self.tally.poison),
                ("retried (nacked)", self.tally.retried),
                ("subscription switches", self.switches),
            ],
            &self.subscriptions,
        )]
    }
}

/// The shipments consumer as the runtime's handler.
pub struct Shipments {
    pub store: ShipmentStore,
    /// Where parked bodies are fetched.
    pub payloads: Arc<dyn KeyValueStore>,
    pub claim_check: ClaimCheckConfig,
    /// `None` in a dry run: nothing applied, published or acked.
    pub publisher: Option<RoutedPublisher>,
    pub metrics: Arc<ConsumerMetrics>,
    pub counters: Arc<ShipmentCounters>,
}

#[async_trait]
impl Handler for Shipments {
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool {
        let in_hand = InHand {
            consumer: SHIPMENTS,
            subscription: reading.subscription.as_str(),
            metrics: &self.metrics,
            received: Instant::now(),
            acks: self.publisher.is_some(),
        };
        let subscription = in_hand.subscription;
        bump(&self.counters.tally.read);
        let Some((mut event, delivery)) = in_hand.decode(delivery, &self.counters.tally) else {
            return true;
        };
        let message = &delivery.message;
        let Some(publisher) = &self.publisher else {
            in_hand.settle(delivery, false, Outcome::Fed);
            return true;
        };
        match self.process(&mut event, publisher).await {
            Ok(true) => in_hand.settle(delivery, true, Outcome::Fed),
            Ok(false) => {
                bump(&self.counters.tally.duplicates);
                in_hand.settle(delivery, true, Outcome::Duplicate);
            }
            Err(why) => {
                bump(&self.counters.tally.retried);
                tracing::warn!(consumer = SHIPMENTS, subscription, message_id = %message.id,
                    why, "nacked for later");
                in_hand.settle(delivery, false, Outcome::Retried);
            }
        }
        true
    }

    fn problem(&self, what: &str, why: String) {
        tracing::warn!(consumer = SHIPMENTS, what, why, "carrying on");
    }
}

impl Shipments {
    /// Applies and publishes the shipments of every e-mail of `event`; false when every e-mail
    /// was applied and published before.
    async fn process(
        &self,
        event: &mut Event,
        publisher: &RoutedPublisher,
    ) -> Result<bool, String> {
        if claim_check::has_payload_refs(event) {
            claim_check::resolve_payloads(event, self.payloads.as_ref(), &self.claim_check)
                .await
                .map_err(|e| e.to_string())?;
        }
        let Event::Email(email_event) = &*event else {
            return Ok(true);
        };
        let user = email_event.header().user_id.to_string();
        let correlation_id = email_event.header().correlation_id.to_string();
        let mut anything_new = false;
        for email in &email_event.emails {
            bump(&self.counters.emails);
            let body = email.body.as_ref().map_or("", |b| b.content.as_str());
            let found = detect(email, body);
            self.counters
                .found
                .fetch_add(found.len() as u64, std::sync::atomic::Ordering::Relaxed);
            let mail = SourceMail {
                user: &user,
                provider_message_id: &email.provider_message_id,
                received_at: email.received_at,
            };
            let applied = self
                .store
                .apply(&mail, &found)
                .await
                .map_err(|e| e.to_string())?;
            let owed: Vec<Shipment> = match applied {
                Applied::Now(changed) => {
                    anything_new = true;
                    changed.into_iter().map(|(_, s)| s).collect()
                }
                Applied::Before(keys) if keys.is_empty() => continue,
                Applied::Before(keys) => {
                    anything_new = true;
                    (self
                        .store
                        .shipments(&keys)
                        .await
                        .map_err(|e| e.to_string())?)
                    .into_iter()
                    .flatten()
                    .collect()
                }
            };
            for shipment in owed {
                let event = shipment_event(&user, &correlation_id, shipment)?;
                publisher.publish(event).await?;
                bump(&self.counters.published);
            }
            self.store
                .settle(&user, &email.provider_message_id)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(anything_new)
    }
}

/// The `ShipmentEvent` of a shipment as it stands.
pub fn shipment_event(
    user: &str,
    correlation_id: &str,
    shipment: Shipment,
) -> Result<Event, String> {
    let event_id = format!(
        "shipment-{}-{}-{}",
        shipment.shipment_id,
        shipment.updated_at.timestamp_millis(),
        shipment.checkpoints.len()
    );
    own_event(
        "ShipmentEvent",
        event_id,
        user,
        correlation_id,
        shipment.updated_at,
        "shipment",
        serde_json::to_value(&shipment).map_err(|e| e.to_string())?,
    )
}
