//! fe-sse (`officectl consume fe-sse`) on the runtime: each real-time event of the live types
//! becomes one notification per item ([`crate::sse::notification`]), appended to its user's
//! Redis Stream ([`crate::sse::stream`]), from which every replica's `/v1/users/{user}/events`
//! serves the browser ([`crate::sse::server`]).
//!
//! Per message: poison is nacked (the subscription's retry policy, then its retention, ends
//! it); an unknown type is acked; the message is acked only once the append succeeded, and a
//! Redis failure nacks it for redelivery. A redelivered event appends nothing (the append
//! marks the event id as done in the same script), so a tab is not told twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use serde::Serialize;

use super::handling::{InHand, Tally, TallyFigures, report_table};
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::Reading;
use super::runtime::{Handler, RuntimeHandles};
use crate::pubsub::Delivery;
use crate::report::{Report, Table};
use crate::sse::metrics::SseMetrics;
use crate::sse::notification::notifications;
use crate::sse::stream::NotificationStreams;
use crate::vespa::refeed::bump;

/// The consumer's name: its subscriptions' label.
pub const FE_SSE: &str = "fe-sse";

/// What fe-sse counts.
#[derive(Debug, Default)]
pub struct FeSseCounters {
    /// Read, duplicates, unknown types, poison, retried.
    pub tally: Tally,
    /// Events whose notifications were appended.
    pub events: AtomicU64,
    /// Notifications appended.
    pub notifications: AtomicU64,
}

/// fe-sse's report at exit.
#[derive(Debug, Clone, Serialize)]
pub struct FeSseReport {
    pub consumer: String,
    #[serde(flatten)]
    pub tally: TallyFigures,
    pub events: u64,
    pub notifications: u64,
    pub switches: u64,
    pub subscriptions: Vec<String>,
}

impl FeSseCounters {
    pub fn report(&self, consumer: &str, runtime: &RuntimeHandles) -> FeSseReport {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        FeSseReport {
            consumer: consumer.to_string(),
            tally: self.tally.figures(),
            events: get(&self.events),
            notifications: get(&self.notifications),
            switches: get(&runtime.switches),
            subscriptions: runtime.last_open(),
        }
    }
}

impl Report for FeSseReport {
    fn tables(&self) -> Vec<Table> {
        vec![report_table(
            &self.consumer,
            &[
                ("messages read", self.tally.read),
                ("events appended", self.events),
                ("notifications appended", self.notifications),
                ("duplicates (acked)", self.tally.duplicates),
                ("unknown event types (acked)", self.tally.unknown_type),
                ("poison (nacked)", self.tally.poison),
                ("retried (nacked)", self.tally.retried),
                ("subscription switches", self.switches),
            ],
            &self.subscriptions,
        )]
    }
}

/// fe-sse as the runtime's handler.
pub struct FeSse {
    pub streams: NotificationStreams,
    pub metrics: Arc<ConsumerMetrics>,
    pub sse_metrics: SseMetrics,
    pub counters: Arc<FeSseCounters>,
    /// A dry run decodes and builds notifications, appends nothing and nacks everything.
    pub dry_run: bool,
}

#[async_trait]
impl Handler for FeSse {
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool {
        let in_hand = InHand {
            consumer: FE_SSE,
            subscription: reading.subscription.as_str(),
            metrics: &self.metrics,
            received: Instant::now(),
            acks: !self.dry_run,
        };
        bump(&self.counters.tally.read);
        let Some((event, delivery)) = in_hand.decode(delivery, &self.counters.tally) else {
            return true;
        };
        let notifications = notifications(&event);
        if self.dry_run || notifications.is_empty() {
            in_hand.settle(delivery, true, Outcome::Fed);
            return true;
        }
        let header = event.header();
        match self
            .streams
            .append(header.user_id, header.event_id, &notifications)
            .await
        {
            Ok(Some(ids)) => {
                bump(&self.counters.events);
                self.counters
                    .notifications
                    .fetch_add(ids.len() as u64, Ordering::Relaxed);
                self.sse_metrics.appended(ids.len() as u64);
                in_hand.settle(delivery, true, Outcome::Fed);
            }
            Ok(None) => {
                bump(&self.counters.tally.duplicates);
                in_hand.settle(delivery, true, Outcome::Duplicate);
            }
            Err(err) => {
                bump(&self.counters.tally.retried);
                tracing::warn!(consumer = FE_SSE, subscription = in_hand.subscription,
                    message_id = %delivery.message.id, event_id = header.event_id,
                    correlation_id = header.correlation_id, error = %err,
                    "cannot append the notifications: nacked for later");
                in_hand.settle(delivery, false, Outcome::Retried);
            }
        }
        true
    }

    fn problem(&self, what: &str, why: String) {
        tracing::warn!(consumer = FE_SSE, what, why, "carrying on");
    }
}
