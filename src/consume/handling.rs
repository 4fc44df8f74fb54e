//! What the publishing consumers' handlers (contact discovery, shipments, meetings) share:
//! settling a delivery with its metrics, decoding it (an unknown type acked, poison nacked toward
//! the dead-letter topic, both counted and logged), building the events they publish, and the
//! report's table.

use serde::Serialize;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use super::metrics::{ConsumerMetrics, Outcome};
use crate::model::Event;
use crate::model::envelope::{self, DecodeError};
use crate::pubsub::Delivery;
use crate::report::Table;
use crate::vespa::refeed::bump;

/// One delivery in hand: where it came from and when, and how it is settled.
pub struct InHand<'a> {
    pub consumer: &'static str,
    pub subscription: &'a str,
    pub metrics: &'a ConsumerMetrics,
    pub received: Instant,
    /// False in a dry run: everything is nacked.
    pub acks: bool,
}

impl InHand<'_> {
    /// Acks (`ack`, unless a dry run) or nacks `delivery`, recording `outcome`.
    pub fn settle(&self, delivery: Delivery, ack: bool, outcome: Outcome) {
        self.metrics
            .message(self.subscription, outcome, self.received.elapsed());
        if ack && self.acks {
            delivery.ack();
        } else {
            delivery.nack();
        }
    }

    /// Acks (unless a dry run, then nacks) and waits for the ack to be confirmed where the
    /// subscription has exactly-once delivery: `Ok(true)` when confirmed; `Err` when it was not
    /// (the message may come again: the consumer's marker makes that a no-op).
    pub async fn settle_confirmed(
        &self,
        delivery: Delivery,
        outcome: Outcome,
    ) -> Result<bool, String> {
        self.metrics
            .message(self.subscription, outcome, self.received.elapsed());
        if self.acks {
            delivery.confirmed_ack().await
        } else {
            delivery.nack();
            Ok(false)
        }
    }

    /// The delivery's event, or `None` when it was settled here: an unknown event type is acked
    /// (counted in `unknown_type`), an undecodable or invalid message is nacked toward the
    /// dead-letter topic (counted in `poison`).
    pub fn decode(&self, delivery: Delivery, tally: &Tally) -> Option<(Event, Delivery)> {
        let (unknown_type, poison) = (&tally.unknown_type, &tally.poison);
        let message = &delivery.message;
        match envelope::decode_message(&message.data, &message.attributes) {
            Ok(decoded) => Some((decoded.event, delivery)),
            Err(DecodeError::UnknownEventType(event_type)) => {
                bump(unknown_type);
                tracing::warn!(consumer = self.consumer, subscription = self.subscription,
                    message_id = %message.id, event_type, "unknown event type: acked");
                self.settle(delivery, true, Outcome::UnknownType);
                None
            }
            Err(err) => {
                bump(poison);
                tracing::warn!(consumer = self.consumer, subscription = self.subscription,
                    message_id = %message.id,
                    delivery_attempt = message.delivery_attempt.unwrap_or(0), why = %err,
                    "poison message: nacked for the dead-letter topic");
                self.settle(delivery, false, Outcome::Poison);
                None
            }
        }
    }
}

/// An event a consumer publishes about `item` (under `field`), as of `at`: real-time, an
/// `update`, in the correlation of the event that caused it; checked against the event schema.
pub fn own_event(
    event_type: &str,
    event_id: String,
    user: &str,
    correlation_id: &str,
    at: chrono::DateTime<chrono::Utc>,
    field: &str,
    item: serde_json::Value,
) -> Result<Event, String> {
    let mut value = serde_json::json!({
        "event_type": event_type,
        "event_id": event_id,
        "schema_version": 1,
        "user_id": user,
        "sync_type": "real_time",
        "operation": "update",
        "correlation_id": correlation_id,
        "occurred_at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    });
    value[field] = item;
    crate::model::validate::validate_value(value)
        .map(|v| v.event)
        .map_err(|problems| {
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })
}

/// What every consumer but the loader counts of the messages it settles, beside its own
/// figures.
#[derive(Debug, Default)]
pub struct Tally {
    pub read: AtomicU64,
    /// Messages whose work was done before (redeliveries, copies): acked.
    pub duplicates: AtomicU64,
    /// Event types officectl does not know: acked.
    pub unknown_type: AtomicU64,
    /// Undecodable or invalid messages: nacked.
    pub poison: AtomicU64,
    /// Nacked for a failure worth another try: they come back.
    pub retried: AtomicU64,
}

/// [`Tally`]'s figures, as a report shows them (flattened into it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TallyFigures {
    pub read: u64,
    pub duplicates: u64,
    pub unknown_type: u64,
    pub poison: u64,
    pub retried: u64,
}

impl Tally {
    pub fn figures(&self) -> TallyFigures {
        let get = |c: &AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
        TallyFigures {
            read: get(&self.read),
            duplicates: get(&self.duplicates),
            unknown_type: get(&self.unknown_type),
            poison: get(&self.poison),
            retried: get(&self.retried),
        }
    }
}

/// A consumer's report table: its figures, then the subscriptions open at the end.
pub fn report_table(consumer: &str, figures: &[(&str, u64)], subscriptions: &[String]) -> Table {
    let mut table = Table::new(["metric", "value"]).titled(consumer.to_string());
    for (name, value) in figures {
        table.push([name.to_string(), value.to_string()]);
    }
    table.push([
        "subscriptions at the end".to_string(),
        subscriptions.join(", "),
    ]);
    table
}
