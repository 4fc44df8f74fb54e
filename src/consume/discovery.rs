//! Contact discovery (`officectl consume contact-discovery`) on the runtime: each e-mail,
//! calendar and document event is counted into its user's contact records exactly once
//! ([`crate::contacts::store`]), and each change the push rule finds significant is published
//! as a `ContactEvent` (source `discovery`, with the contact's relevance) to the `contacts`
//! topic, which the Vespa loader indexes.
//!
//! Per message: an undecodable or invalid one is poison and is nacked toward the dead-letter
//! topic; an unknown event type is acked and counted; a message whose counting fails (Redis) is
//! nacked and comes back. Counting commits before the ack, and its marker makes a redelivery
//! count nothing. The pushes a count owes are written into that marker with the count and
//! cleared once published ([`crate::contacts::push`]); when publishing fails (or the process
//! dies first), the message is not acked, and its redelivery publishes what is still owed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use serde::Serialize;

use super::handling::{InHand, Tally, TallyFigures, report_table};
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::Reading;
use super::runtime::{Handler, RuntimeHandles};
use crate::contacts::marker::Outbox;
use crate::contacts::push::{self, Origin};
use crate::contacts::record::ContactRecord;
use crate::contacts::store::{Change, ContactStore, Counted};
use crate::migrate::routed::RoutedPublisher;
use crate::model::Event;
use crate::model::envelope::attr;
use crate::model::idempotency;
use crate::pubsub::Delivery;
use crate::report::{Report, Table};
use crate::run::checkpoint::now;
use crate::vespa::refeed::bump;
use std::collections::BTreeMap;

/// The consumer's name: its subscriptions' label.
pub const CONTACT_DISCOVERY: &str = "contact-discovery";

/// What contact discovery counts.
#[derive(Debug, Default)]
pub struct DiscoveryCounters {
    /// Read, duplicates, unknown types, poison, retried.
    pub tally: Tally,
    /// Events counted into the records now.
    pub counted: AtomicU64,
    /// Contacts changed.
    pub changed: AtomicU64,
    /// Contacts seen for the first time.
    pub discovered: AtomicU64,
    /// `ContactEvent`s published.
    pub pushed: AtomicU64,
    /// Removals published (addresses found to be the user's own).
    pub removed: AtomicU64,
    /// Changes the push rule held back.
    pub held: AtomicU64,
    /// Events whose pushes failed: nacked, the redelivery publishes them.
    pub push_failed: AtomicU64,
}

/// Contact discovery's report at exit.
#[derive(Debug, Clone, Serialize)]
pub struct DiscoveryReport {
    pub consumer: String,
    #[serde(flatten)]
    pub tally: TallyFigures,
    pub counted: u64,
    pub changed: u64,
    pub discovered: u64,
    pub pushed: u64,
    pub removed: u64,
    pub held: u64,
    pub push_failed: u64,
    pub switches: u64,
    /// The subscriptions open at the end.
    pub subscriptions: Vec<String>,
}

impl DiscoveryCounters {
    pub fn report(&self, consumer: &str, runtime: &RuntimeHandles) -> DiscoveryReport {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        DiscoveryReport {
            consumer: consumer.to_string(),
            tally: self.tally.figures(),
            counted: get(&self.counted),
            changed: get(&self.changed),
            discovered: get(&self.discovered),
            pushed: get(&self.pushed),
            removed: get(&self.removed),
            held: get(&self.held),
            push_failed: get(&self.push_failed),
            switches: get(&runtime.switches),
            subscriptions: runtime.last_open(),
        }
    }
}

impl Report for DiscoveryReport {
    fn tables(&self) -> Vec<Table> {
        vec![report_table(
            &self.consumer,
            &[
                ("messages read", self.tally.read),
                ("events counted", self.counted),
                ("duplicates (acked)", self.tally.duplicates),
                ("unknown event types (acked)", self.tally.unknown_type),
                ("poison (nacked for dead letter)", self.tally.poison),
                ("retried (nacked)", self.tally.retried),
                ("contacts changed", self.changed),
                ("contacts discovered", self.discovered),
                ("ContactEvents pushed", self.pushed),
                ("removals pushed (own addresses)", self.removed),
                ("changes held back", self.held),
                ("events whose pushes failed (nacked)", self.push_failed),
                ("subscription switches", self.switches),
            ],
            &self.subscriptions,
        )]
    }
}

/// Contact discovery as the runtime's handler.
pub struct Discovering {
    pub store: ContactStore,
    /// `None` in a dry run: count nothing, push nothing, ack nothing.
    pub pushes: Option<RoutedPublisher>,
    pub metrics: Arc<ConsumerMetrics>,
    pub counters: Arc<DiscoveryCounters>,
    pub dry_run: bool,
}

#[async_trait]
impl Handler for Discovering {
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool {
        let in_hand = InHand {
            consumer: CONTACT_DISCOVERY,
            subscription: reading.subscription.as_str(),
            metrics: &self.metrics,
            received: Instant::now(),
            acks: !self.dry_run,
        };
        let subscription = in_hand.subscription;
        bump(&self.counters.tally.read);
        let Some((event, delivery)) = in_hand.decode(delivery, &self.counters.tally) else {
            return true;
        };
        let message = &delivery.message;
        let key = message
            .attributes
            .get(attr::IDEMPOTENCY_KEY)
            .cloned()
            .unwrap_or_else(|| idempotency::message_key(&event).1);
        if self.dry_run {
            in_hand.settle(delivery, false, Outcome::Fed);
            return true;
        }
        let user = event.header().user_id.to_string();
        let (owed, records) = match self.store.count(&event, &key, now()).await {
            Ok(Counted::Before(outbox)) => {
                bump(&self.counters.tally.duplicates);
                (outbox, BTreeMap::new())
            }
            Ok(Counted::Now { changes, outbox }) => {
                bump(&self.counters.counted);
                (outbox, self.record_changes(&user, changes))
            }
            Err(err) => {
                bump(&self.counters.tally.retried);
                tracing::warn!(consumer = CONTACT_DISCOVERY, subscription, message_id = %message.id,
                    event_id = event.header().event_id, error = %err, "not counted: nacked for later");
                in_hand.settle(delivery, false, Outcome::Retried);
                return true;
            }
        };
        let outcome = if records.is_empty() && owed.is_empty() {
            Outcome::Duplicate
        } else {
            Outcome::Fed
        };
        match self.publish_owed(&event, &user, &key, &owed, records).await {
            Ok(()) => in_hand.settle(delivery, true, outcome),
            Err(why) => {
                bump(&self.counters.push_failed);
                tracing::warn!(consumer = CONTACT_DISCOVERY, subscription, message_id = %message.id,
                    user_id = %user, why, "counted, but its pushes failed: nacked, the redelivery publishes them");
                in_hand.settle(delivery, false, Outcome::Retried);
            }
        }
        true
    }

    fn problem(&self, what: &str, why: String) {
        tracing::warn!(consumer = CONTACT_DISCOVERY, what, why, "carrying on");
    }
}

impl Discovering {
    /// Counts and logs the changes of one event; the records of those to push, by id.
    fn record_changes(&self, user: &str, changes: Vec<Change>) -> BTreeMap<String, ContactRecord> {
        let mut records = BTreeMap::new();
        for change in changes {
            bump(&self.counters.changed);
            let discovered = change.rank_before.is_none();
            if discovered {
                bump(&self.counters.discovered);
            }
            let (outcome, reason) = match change.decision {
                Ok(push) => ("pushed", push.label()),
                Err(hold) => ("suppressed", hold.label()),
            };
            let score = change.record.score.at(now(), self.store.config().half_life);
            self.metrics
                .contact_change(discovered, outcome, reason, score);
            match change.decision {
                Ok(reason) => {
                    tracing::debug!(consumer = CONTACT_DISCOVERY, user_id = %user, contact = %change.id,
                        rank = change.rank, reason = ?reason, "contact to push");
                    records.insert(change.id, change.record);
                }
                Err(hold) => {
                    bump(&self.counters.held);
                    tracing::debug!(consumer = CONTACT_DISCOVERY, user_id = %user, contact = %change.id,
                        hold = ?hold, "change held back");
                }
            }
        }
        records
    }

    /// Publishes what the count of `source` owes (`records`: the records of its upserts at
    /// hand; others are read), then clears it from the event's marker.
    async fn publish_owed(
        &self,
        source: &Event,
        user: &str,
        key: &str,
        owed: &Outbox,
        mut records: BTreeMap<String, ContactRecord>,
    ) -> Result<(), String> {
        let Some(pushes) = &self.pushes else {
            return Ok(());
        };
        if owed.is_empty() {
            return Ok(());
        }
        let missing: Vec<String> = (owed.upsert.iter())
            .filter(|id| !records.contains_key(*id))
            .cloned()
            .collect();
        let read = self
            .store
            .records(user, &missing)
            .await
            .map_err(|e| e.to_string())?;
        for (id, record) in missing.into_iter().zip(read) {
            if let Some(record) = record {
                records.insert(id, record);
            }
        }
        let origin = Origin::of(source);
        let mut upserts = Vec::new();
        for id in &owed.upsert {
            // Gone since (forgotten, or found to be the user's own): nothing to push.
            let Some(record) = records.get(id) else {
                continue;
            };
            let Some(pushed) = record.pushed else {
                continue;
            };
            upserts.push(push::upsert_event(
                &origin,
                id,
                record,
                pushed.score,
                pushed.at,
            )?);
        }
        let at = now();
        let removals = (owed.remove.iter())
            .map(|id| push::removal_event(&origin, id, at))
            .collect::<Result<Vec<_>, _>>()?;
        let (pushed, removed) = (upserts.len() as u64, removals.len() as u64);
        let published = futures::future::join_all(
            upserts
                .into_iter()
                .chain(removals)
                .map(|e| pushes.publish(e)),
        )
        .await;
        published.into_iter().collect::<Result<Vec<()>, String>>()?;
        // A `contacts forget` between the count and this publish has already removed the
        // document; the upsert just published would bring it back. Remove it again, behind
        // the upsert (same ordering key).
        let pushed_ids: Vec<String> = owed
            .upsert
            .iter()
            .filter(|id| records.contains_key(*id))
            .cloned()
            .collect();
        let forgotten = self
            .store
            .forgotten_among(user, &pushed_ids)
            .await
            .map_err(|e| e.to_string())?;
        // (A contact rediscovered after its erasure has a record again: it stays.)
        let records_now = self
            .store
            .records(user, &forgotten)
            .await
            .map_err(|e| e.to_string())?;
        for (id, record) in forgotten.iter().zip(records_now) {
            if record.is_none() {
                pushes
                    .publish(push::removal_event(&origin, id, at)?)
                    .await?;
            }
        }
        self.counters.pushed.fetch_add(pushed, Ordering::Relaxed);
        self.counters.removed.fetch_add(removed, Ordering::Relaxed);
        self.store
            .settle(user, key, owed)
            .await
            .map_err(|e| e.to_string())
    }
}
