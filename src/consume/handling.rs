//! What the publishing consumers' handlers (contact discovery, shipments) share: settling a
//! delivery with its metrics, decoding it (an unknown type acked, poison nacked toward the
//! dead-letter topic, both counted and logged), and the report's table.

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

    /// The delivery's event, or `None` when it was settled here: an unknown event type is acked
    /// (counted in `unknown_type`), an undecodable or invalid message is nacked toward the
    /// dead-letter topic (counted in `poison`).
    pub fn decode(
        &self,
        delivery: Delivery,
        unknown_type: &AtomicU64,
        poison: &AtomicU64,
    ) -> Option<(Event, Delivery)> {
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
