//! The Vespa loader (`officectl consume vespa-loader`): every data type's events, from the
//! subscriptions the read flags choose, into Vespa.
//!
//! It is the re-feed pipeline ([`crate::vespa::refeed::run`]) with a continuous source and
//! acknowledgement as its commit. Per message: decode (new or legacy shape); an undecodable or
//! invalid message is poison and is nacked at once, so the subscription's dead-letter policy
//! moves it aside after its `max_attempts` and it never blocks the others; an unknown event
//! type is acked and counted. Then the message's idempotency key is claimed in Redis (two
//! steps: `begin`, and `complete` only after every operation was fed, `release` on failure): a
//! redelivered or dual-published copy already done is acked and counted as a duplicate, one
//! another delivery is working on is nacked for later. Parked payloads are fetched, the
//! model's factory builds the operations, the feed engine sends them; the message is acked only
//! when all of them succeeded, and nacked otherwise (a Vespa outage holds acks back and flow
//! control stops the pulling; nothing is lost). The converter makes puts and removes conditional
//! on `updated_at` ([`crate::vespa::refeed::convert::newer_wins`]), so an older version never
//! overwrites or removes a newer one.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::mpsc;

use super::layout::Consumer;
use super::reading::{self, ReadFlagError, Reading};
use super::subscriptions::Subscriptions;
use crate::migrate::flags::ReadSource;
use crate::model::catalog::DataType;
use crate::model::envelope::attr;
use crate::model::idempotency::{self, Begin, DedupeStore};
use crate::model::store::KeyValueStore;
use crate::pubsub::{Delivery, MessageSource};
use crate::run::CancellationToken;
use crate::vespa::checkpoint::Position;
use crate::vespa::refeed::commit::{Committer, Effect, Settled};
use crate::vespa::refeed::convert::{Converted, EventConverter};
use crate::vespa::refeed::{Commit, Counters, Source, SourceError, Unit, bump};

/// The loader's consumer name: its subscriptions' label, its flags' and dedupe keys' scope.
pub const VESPA_LOADER: &str = "vespa-loader";

/// What the loader counts beyond the re-feed's counters.
#[derive(Debug, Default)]
pub struct LoaderCounters {
    /// Copies already loaded (redeliveries, the other half of a dual-published pair): acked.
    pub duplicates: AtomicU64,
    /// Copies another delivery was loading at that moment: nacked, retried later.
    pub in_progress: AtomicU64,
    /// Undecodable or invalid messages: nacked toward the dead-letter topic.
    pub poison: AtomicU64,
    /// Messages left for redelivery because a payload or Redis could not be read.
    pub retried: AtomicU64,
    /// Times the set of subscriptions changed after the start (read flags moved).
    pub switches: AtomicU64,
}

/// The loader's figures as the report shows them.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LoaderFigures {
    pub duplicates: u64,
    pub in_progress: u64,
    pub poison: u64,
    pub retried: u64,
    pub switches: u64,
    /// The subscriptions open at the end, with the read source of their type.
    pub subscriptions: Vec<String>,
}

impl LoaderCounters {
    pub fn figures(&self, subscriptions: Vec<String>) -> LoaderFigures {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        LoaderFigures {
            duplicates: get(&self.duplicates),
            in_progress: get(&self.in_progress),
            poison: get(&self.poison),
            retried: get(&self.retried),
            switches: get(&self.switches),
            subscriptions,
        }
    }
}

/// How the loader reads.
pub struct LoaderOptions {
    pub project: String,
    /// The data types to load (`--types`; all the consumer reads by default).
    pub types: Vec<DataType>,
    /// How often the read flags are read again.
    pub flag_refresh: Duration,
    /// Decode, dedupe-check and build documents; feed nothing, ack nothing, claim nothing.
    pub dry_run: bool,
}

/// A subscription change or a problem worth a log line, as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoaderEvent {
    /// The subscriptions read now, after a start or a flag change.
    Reading {
        sources: BTreeMap<DataType, ReadSource>,
        opened: Vec<String>,
        closed: Vec<String>,
    },
    /// A message nacked as poison (the dead-letter policy takes it after its attempts).
    Poison {
        subscription: String,
        message_id: String,
        attempt: Option<i32>,
        why: String,
    },
    /// A message left for redelivery.
    Retry {
        subscription: String,
        message_id: String,
        why: String,
    },
    /// An event type this build does not know, acked.
    UnknownType {
        subscription: String,
        message_id: String,
        event_type: String,
    },
}

/// Where the loader tells what happens (the CLI logs it).
pub type EventSink = Arc<dyn Fn(LoaderEvent) + Send + Sync>;

/// The loader's source: the consumer's subscriptions as the read flags choose them, followed
/// while it runs.
pub struct LoaderSource {
    consumer: Consumer,
    options: LoaderOptions,
    flags: Arc<dyn KeyValueStore>,
    dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
    converter: EventConverter,
    subscriptions: Option<Subscriptions>,
    counters: Arc<Counters>,
    loader: Arc<LoaderCounters>,
    events: EventSink,
    /// The short ids open when the source closed.
    pub last_open: Arc<std::sync::Mutex<Vec<String>>>,
}

impl LoaderSource {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        consumer: Consumer,
        options: LoaderOptions,
        pubsub: Arc<dyn MessageSource>,
        store: Arc<dyn KeyValueStore>,
        dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
        converter: EventConverter,
        counters: Arc<Counters>,
        loader: Arc<LoaderCounters>,
        events: EventSink,
    ) -> LoaderSource {
        let subscriptions = Subscriptions::new(pubsub, &options.project);
        LoaderSource {
            consumer,
            options,
            flags: store,
            dedupe,
            converter,
            subscriptions: Some(subscriptions),
            counters,
            loader,
            events,
            last_open: Arc::default(),
        }
    }

    async fn follow_flags(
        &mut self,
        subscriptions: &mut Subscriptions,
        first: bool,
    ) -> Result<(), ReadFlagError> {
        let sources = reading::read_sources(
            self.flags.as_ref(),
            &self.consumer.name,
            &self.options.types,
        )
        .await?;
        let readings: Vec<Reading> = reading::readings(&self.consumer, &sources);
        let changes = subscriptions.follow(&readings);
        if first || !changes.opened.is_empty() || !changes.closed.is_empty() {
            if !first {
                bump(&self.loader.switches);
            }
            (self.events)(LoaderEvent::Reading {
                sources,
                opened: changes.opened,
                closed: changes.closed,
            });
        }
        Ok(())
    }

    /// Turns one delivery into a unit to feed, or settles it here.
    async fn handle(&self, reading: &Reading, delivery: Delivery) -> Option<Unit> {
        bump(&self.counters.read);
        let message = &delivery.message;
        let event = match self.converter.decode(&message.data, &message.attributes) {
            Ok(event) => event,
            Err(Converted::UnknownType(event_type)) => {
                bump(&self.counters.skipped_unknown);
                (self.events)(LoaderEvent::UnknownType {
                    subscription: reading.subscription.clone(),
                    message_id: message.id.clone(),
                    event_type,
                });
                self.settle_here(delivery, true);
                return None;
            }
            Err(Converted::Filtered) => {
                bump(&self.counters.filtered);
                self.settle_here(delivery, true);
                return None;
            }
            Err(other) => {
                let why = match other {
                    Converted::Invalid(why) | Converted::Failed(why) => why,
                    _ => "not an event".to_string(),
                };
                bump(&self.loader.poison);
                bump(&self.counters.invalid);
                self.counters
                    .problem(format!("message `{}`", message.id), why.clone());
                (self.events)(LoaderEvent::Poison {
                    subscription: reading.subscription.clone(),
                    message_id: message.id.clone(),
                    attempt: message.delivery_attempt,
                    why,
                });
                delivery.nack();
                bump(&self.counters.left);
                return None;
            }
        };
        let data_type = event.data_type();
        // Both copies of a dual-published pair carry the same key (the envelope's attribute);
        // a message without it is keyed as the envelope would have keyed it.
        let key = message
            .attributes
            .get(attr::IDEMPOTENCY_KEY)
            .cloned()
            .unwrap_or_else(|| idempotency::message_key(&event).1);
        let retry = |why: String, delivery: Delivery| {
            bump(&self.loader.retried);
            (self.events)(LoaderEvent::Retry {
                subscription: reading.subscription.clone(),
                message_id: delivery.message.id.clone(),
                why,
            });
            delivery.nack();
            bump(&self.counters.left);
        };
        if self.options.dry_run {
            let ops = match self.converter.operations(event).await {
                Converted::Ops(ops) => ops,
                other => {
                    retry(format!("{other:?}"), delivery);
                    return None;
                }
            };
            return Some(Unit {
                ops,
                failed: false,
                commit: Commit::Message(delivery),
            });
        }
        match self
            .dedupe
            .begin(data_type, std::slice::from_ref(&key))
            .await
        {
            Err(err) => {
                retry(format!("dedupe store: {err}"), delivery);
                return None;
            }
            Ok(begins) => match begins.first() {
                Some(Begin::AlreadyDone) => {
                    bump(&self.loader.duplicates);
                    self.settle_here(delivery, true);
                    return None;
                }
                Some(Begin::InProgress) => {
                    bump(&self.loader.in_progress);
                    delivery.nack();
                    bump(&self.counters.left);
                    return None;
                }
                Some(Begin::Claimed) | None => {}
            },
        }
        match self.converter.operations(event).await {
            Converted::Ops(ops) => Some(Unit {
                ops,
                failed: false,
                commit: Commit::Claimed {
                    delivery,
                    data_type,
                    key,
                },
            }),
            other => {
                let why = match other {
                    Converted::Failed(why) | Converted::Invalid(why) => why,
                    other => format!("{other:?}"),
                };
                let _ = self
                    .dedupe
                    .release(data_type, std::slice::from_ref(&key))
                    .await;
                self.counters
                    .problem(format!("message `{}`", delivery.message.id), why.clone());
                retry(why, delivery);
                None
            }
        }
    }

    /// Acks (or, in a dry run, releases) a message that needs no feeding.
    fn settle_here(&self, delivery: Delivery, ok: bool) {
        if ok && !self.options.dry_run {
            delivery.ack();
            bump(&self.counters.acked);
        } else {
            delivery.nack();
            bump(&self.counters.left);
        }
    }
}

#[async_trait]
impl Source for LoaderSource {
    async fn run(
        &mut self,
        units: mpsc::Sender<Unit>,
        cancel: &CancellationToken,
    ) -> Result<(), SourceError> {
        let Some(mut subscriptions) = self.subscriptions.take() else {
            return Ok(());
        };
        let result = async {
            self.follow_flags(&mut subscriptions, true)
                .await
                .map_err(|e| SourceError::Consumer(e.to_string()))?;
            let mut refresh = tokio::time::interval(self.options.flag_refresh);
            refresh.tick().await;
            loop {
                let received = tokio::select! {
                    biased;
                    () = cancel.cancelled() => return Ok(()),
                    _ = refresh.tick() => {
                        // A flag that cannot be read keeps the current subscriptions.
                        if let Err(err) = self.follow_flags(&mut subscriptions, false).await {
                            self.counters.problem("read flags", err.to_string());
                        }
                        continue;
                    }
                    received = subscriptions.next() => received,
                };
                let Some((reading, delivery)) = received else {
                    return Ok(());
                };
                let delivery = delivery?;
                if let Some(unit) = self.handle(&reading, delivery).await
                    && units.send(unit).await.is_err()
                {
                    return Ok(());
                }
            }
        }
        .await;
        if let Ok(mut open) = self.last_open.lock() {
            *open = subscriptions
                .open()
                .map(|r| r.subscription.clone())
                .collect();
        }
        subscriptions.close().await;
        result
    }
}

/// Settles the loader's units: a claimed message's key is marked done and the message acked
/// when every operation was fed; otherwise the claim is released and the message nacked.
pub struct LoaderCommitter {
    pub dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
    pub dry_run: bool,
}

impl Committer for LoaderCommitter {
    fn settle(&mut self, settled: Settled) -> Effect {
        let ok = settled.ok && !self.dry_run;
        match settled.commit {
            Commit::Claimed {
                delivery,
                data_type,
                key,
            } => {
                let dedupe = self.dedupe.clone();
                // The store's round trip is off the commit loop; the stream's shutdown waits
                // for the delivery, so the ack is not lost.
                tokio::spawn(async move {
                    let keys = [key];
                    if ok {
                        let _ = dedupe.complete(data_type, &keys).await;
                        delivery.ack();
                    } else {
                        let _ = dedupe.release(data_type, &keys).await;
                        delivery.nack();
                    }
                });
            }
            Commit::Message(delivery) => {
                if ok {
                    delivery.ack();
                } else {
                    delivery.nack();
                }
            }
            _ => return Effect::default(),
        }
        Effect {
            acked: ok,
            nacked: !ok,
            ..Effect::default()
        }
    }

    fn position(&self) -> Option<Position> {
        None
    }
}

/// What a loader run did, from its start to its stop.
#[derive(Debug, Clone, Serialize)]
pub struct LoaderReport {
    pub consumer: String,
    #[serde(flatten)]
    pub loader: LoaderFigures,
    #[serde(flatten)]
    pub run: crate::vespa::refeed::RefeedReport,
}

impl crate::report::Report for LoaderReport {
    fn tables(&self) -> Vec<crate::report::Table> {
        let r = &self.run;
        let l = &self.loader;
        let mut table = crate::report::Table::new(["", "count"]).titled(format!(
            "{}: {} messages read, {} acked, {} left for redelivery in {:.1} s",
            self.consumer, r.read, r.acked, r.left_for_redelivery, r.elapsed_seconds
        ));
        for (name, value) in [
            ("operations fed", r.fed),
            ("operations failed", r.feed.failed),
            ("duplicates skipped", l.duplicates),
            ("claimed by another delivery", l.in_progress),
            ("poison (nacked for dead letter)", l.poison),
            ("retried (payload or store)", l.retried),
            ("unknown event types (acked)", r.skipped_unknown_type),
            ("subscription switches", l.switches),
        ] {
            table.push([name.to_string(), value.to_string()]);
        }
        let mut tables = vec![table];
        if !r.problems.is_empty() {
            let mut problems =
                crate::report::Table::new(["where", "problem"]).titled("First problems");
            for p in &r.problems {
                problems.push([p.at.clone(), p.message.clone()]);
            }
            tables.push(problems);
        }
        tables
    }
}
