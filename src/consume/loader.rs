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

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio_util::task::TaskTracker;

use super::layout::Consumer;
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::Reading;
use super::runtime::{Handler, Runtime, RuntimeError, RuntimeHandles};
use crate::migrate::drill::ledger::FeedLedger;
use crate::model::envelope::attr;
use crate::model::idempotency::{self, Begin, DedupeStore};
use crate::model::store::KeyValueStore;
use crate::pubsub::Delivery;
use crate::run::CancellationToken;
use crate::trail::{CONSUMED, TraceRecorder, Traced};
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
    /// The figures, with the runtime's switches and the subscriptions open at the end.
    pub fn figures(&self, runtime: &RuntimeHandles) -> LoaderFigures {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        LoaderFigures {
            duplicates: get(&self.duplicates),
            in_progress: get(&self.in_progress),
            poison: get(&self.poison),
            retried: get(&self.retried),
            switches: get(&runtime.switches),
            subscriptions: runtime.last_open(),
        }
    }
}

/// How the loader works beyond the runtime's options (`concurrency` there is how many messages
/// are decoded, claimed and converted at once; feeding is concurrent beyond this, up to the
/// feed's in-flight limit).
pub struct LoaderOptions {
    /// Decode, dedupe-check and build documents; feed nothing, ack nothing, claim nothing.
    pub dry_run: bool,
}

/// What the loader shares with the process around it: its counters, metrics, and the
/// runtime's readiness, heartbeat and switches.
#[derive(Clone)]
pub struct LoaderHandles {
    pub counters: Arc<Counters>,
    pub loader: Arc<LoaderCounters>,
    pub metrics: Arc<ConsumerMetrics>,
    pub runtime: RuntimeHandles,
}

/// The ids a log line about one message carries.
struct MessageIds<'a> {
    consumer: &'a str,
    subscription: &'a str,
    message_id: &'a str,
    event_id: &'a str,
    correlation_id: &'a str,
    batch_id: &'a str,
}

/// The loader's source: the runtime's deliveries, each turned into a unit to feed (or settled
/// at once).
pub struct LoaderSource {
    runtime: Option<Runtime>,
    loading: Loading,
}

/// What the loader does with one delivery.
struct Loading {
    consumer: Consumer,
    options: LoaderOptions,
    dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
    converter: EventConverter,
    handles: LoaderHandles,
}

/// The loader as the runtime's handler: units go to the feed.
struct Feeding<'a> {
    loading: &'a Loading,
    units: mpsc::Sender<Unit>,
}

#[async_trait]
impl Handler for Feeding<'_> {
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool {
        match self.loading.handle(&reading, delivery).await {
            Some(unit) => self.units.send(unit).await.is_ok(),
            None => true,
        }
    }

    fn problem(&self, what: &str, why: String) {
        self.loading.handles.counters.problem(what, why);
    }
}

impl LoaderSource {
    pub fn new(
        runtime: Runtime,
        consumer: Consumer,
        options: LoaderOptions,
        dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
        converter: EventConverter,
        handles: LoaderHandles,
    ) -> LoaderSource {
        LoaderSource {
            runtime: Some(runtime),
            loading: Loading {
                consumer,
                options,
                dedupe,
                converter,
                handles,
            },
        }
    }
}

impl Loading {
    /// Turns one delivery into a unit to feed, or settles it here.
    async fn handle(&self, reading: &Reading, delivery: Delivery) -> Option<Unit> {
        let received = Instant::now();
        let counters = &self.handles.counters;
        let loader = &self.handles.loader;
        let metrics = &self.handles.metrics;
        let subscription = reading.subscription.as_str();
        let consumer = self.consumer.name.as_str();
        bump(&counters.read);
        let message = &delivery.message;
        let event = match self.converter.decode(&message.data, &message.attributes) {
            Ok(event) => event,
            Err(Converted::UnknownType(event_type)) => {
                bump(&counters.skipped_unknown);
                tracing::warn!(
                    consumer,
                    subscription,
                    message_id = %message.id,
                    event_type,
                    "unknown event type: acked, nothing to load"
                );
                metrics.message(subscription, Outcome::UnknownType, received.elapsed());
                self.settle_here(delivery, true);
                return None;
            }
            Err(Converted::Filtered) => {
                bump(&counters.filtered);
                self.settle_here(delivery, true);
                return None;
            }
            Err(other) => {
                let why = match other {
                    Converted::Invalid(why) | Converted::Failed(why) => why,
                    _ => "not an event".to_string(),
                };
                bump(&loader.poison);
                bump(&counters.invalid);
                counters.problem(format!("message `{}`", message.id), why.clone());
                tracing::warn!(
                    consumer,
                    subscription,
                    message_id = %message.id,
                    delivery_attempt = message.delivery_attempt.unwrap_or(0),
                    why,
                    "poison message: nacked for the dead-letter topic"
                );
                metrics.message(subscription, Outcome::Poison, received.elapsed());
                self.settle_here(delivery, false);
                return None;
            }
        };
        let data_type = event.data_type();
        let traced = Box::new(Traced::of(&event));
        let header = event.header();
        let (event_id, correlation_id, batch_id) = (
            header.event_id.to_string(),
            header.correlation_id.to_string(),
            header.batch_id.unwrap_or("").to_string(),
        );
        let ids = MessageIds {
            consumer,
            subscription,
            message_id: &message.id,
            event_id: &event_id,
            correlation_id: &correlation_id,
            batch_id: &batch_id,
        };
        // Both copies of a dual-published pair carry the same key (the envelope's attribute);
        // a message without it is keyed as the envelope would have keyed it.
        let key = message
            .attributes
            .get(attr::IDEMPOTENCY_KEY)
            .cloned()
            .unwrap_or_else(|| idempotency::message_key(&event).1);
        let retry = |why: &str, ids: &MessageIds| {
            bump(&loader.retried);
            tracing::warn!(
                consumer = ids.consumer,
                subscription = ids.subscription,
                message_id = ids.message_id,
                event_id = ids.event_id,
                correlation_id = ids.correlation_id,
                batch_id = ids.batch_id,
                why,
                "left for redelivery"
            );
            metrics.message(subscription, Outcome::Retried, received.elapsed());
        };
        if self.options.dry_run {
            let ops = match self.converter.operations(event).await {
                Converted::Ops(ops) => ops,
                other => {
                    retry(&format!("{other:?}"), &ids);
                    self.settle_here(delivery, false);
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
                retry(&format!("dedupe store: {err}"), &ids);
                self.settle_here(delivery, false);
                return None;
            }
            Ok(begins) => match begins.first() {
                Some(Begin::AlreadyDone) => {
                    bump(&loader.duplicates);
                    tracing::debug!(
                        consumer,
                        subscription,
                        message_id = %message.id,
                        event_id,
                        correlation_id,
                        batch_id,
                        "duplicate: acked"
                    );
                    metrics.message(subscription, Outcome::Duplicate, received.elapsed());
                    self.settle_here(delivery, true);
                    return None;
                }
                Some(Begin::InProgress) => {
                    bump(&loader.in_progress);
                    tracing::debug!(
                        consumer,
                        subscription,
                        message_id = %message.id,
                        event_id,
                        "claimed by another delivery: nacked for later"
                    );
                    metrics.message(subscription, Outcome::Retried, received.elapsed());
                    self.settle_here(delivery, false);
                    return None;
                }
                Some(Begin::Claimed) | None => {}
            },
        }
        match self.converter.operations(event).await {
            Converted::Ops(ops) => {
                metrics.inflight(1);
                Some(Unit {
                    ops,
                    failed: false,
                    commit: Commit::Claimed {
                        delivery,
                        data_type,
                        key,
                        subscription: reading.subscription.clone(),
                        received,
                        traced,
                    },
                })
            }
            other => {
                let why = match other {
                    Converted::Failed(why) | Converted::Invalid(why) => why,
                    other => format!("{other:?}"),
                };
                let _ = self
                    .dedupe
                    .release(data_type, std::slice::from_ref(&key))
                    .await;
                counters.problem(format!("message `{}`", delivery.message.id), why.clone());
                retry(&why, &ids);
                self.settle_here(delivery, false);
                None
            }
        }
    }

    /// Acks a message that needs no feeding; nacks it when not `ok` or in a dry run.
    fn settle_here(&self, delivery: Delivery, ok: bool) {
        if ok && !self.options.dry_run {
            delivery.ack();
            bump(&self.handles.counters.acked);
        } else {
            delivery.nack();
            bump(&self.handles.counters.left);
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
        let Some(runtime) = self.runtime.take() else {
            return Ok(());
        };
        let feeding = Feeding {
            loading: &self.loading,
            units,
        };
        runtime
            .run(&feeding, cancel)
            .await
            .map_err(|err| match err {
                RuntimeError::PubSub(err) => SourceError::PubSub(err),
                RuntimeError::Flags(err) => SourceError::Consumer(err.to_string()),
            })
    }
}

/// Settles the loader's units: a claimed message's key is marked done and the message acked
/// when every operation was fed; otherwise the claim is released and the message nacked.
pub struct LoaderCommitter {
    pub dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
    pub metrics: Arc<ConsumerMetrics>,
    pub consumer: String,
    pub dry_run: bool,
    /// The acks and claim releases under way; wait on it before the process exits, or a
    /// released claim stays held until it times out and delays the message's redelivery.
    pub settling: TaskTracker,
    /// Records each event done for `officectl trace` (`None` in a dry run).
    pub trace: Option<TraceRecorder>,
    /// Counts each key fed, for `migrate drill` (`--record-feeds`).
    pub feeds: Option<FeedLedger>,
}

impl Committer for LoaderCommitter {
    fn settle(&mut self, settled: Settled) -> Effect {
        let ok = settled.ok && !self.dry_run;
        match settled.commit {
            Commit::Claimed {
                delivery,
                data_type,
                key,
                subscription,
                received,
                traced,
            } => {
                self.metrics.inflight(-1);
                let outcome = if ok { Outcome::Fed } else { Outcome::Retried };
                self.metrics
                    .message(&subscription, outcome, received.elapsed());
                if !ok {
                    tracing::warn!(
                        consumer = %self.consumer,
                        subscription,
                        message_id = %delivery.message.id,
                        "not every document was fed: left for redelivery"
                    );
                }
                let dedupe = self.dedupe.clone();
                let feeds = self.feeds.clone().filter(|_| ok);
                // Batch events only: real-time traffic adds no trace keys.
                let trace = (self.trace.clone()).filter(|_| ok && traced.entry.batch_id.is_some());
                // The store's round trip is off the commit loop; the stream's shutdown waits
                // for the delivery, so the ack is not lost.
                self.settling.spawn(async move {
                    let keys = [key];
                    if ok {
                        match feeds {
                            // The done mark and the drill's record in one transaction; when it
                            // fails neither was written: release and nack, the redelivery
                            // feeds the key again and records it.
                            Some(feeds) => {
                                let completion = dedupe.completion(data_type, &keys);
                                if let Err(err) = feeds.complete_and_record(&completion, &keys).await {
                                    tracing::warn!(why = %err, "not marked done nor recorded in the drill's ledger: nacked");
                                    let _ = dedupe.release(data_type, &keys).await;
                                    delivery.nack();
                                    return;
                                }
                            }
                            None => {
                                let _ = dedupe.complete(data_type, &keys).await;
                            }
                        }
                        delivery.ack();
                        if let Some(trace) = trace
                            && let Err(err) = trace
                                .record(CONSUMED, &traced.correlation_id, &traced.entry)
                                .await
                        {
                            tracing::warn!(event_id = traced.entry.event_id, why = %err,
                                "not recorded for `officectl trace`");
                        }
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
