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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio_util::task::TaskTracker;

use super::layout::Consumer;
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::{self, ReadFlagError, Reading};
use super::subscriptions::Subscriptions;
use crate::migrate::readers::Heartbeat;
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
    /// How often the read flags are read again (and the heartbeat written).
    pub flag_refresh: Duration,
    /// Decode, dedupe-check and build documents; feed nothing, ack nothing, claim nothing.
    pub dry_run: bool,
    /// Messages decoded, claimed and converted at once (`--concurrency`); feeding is
    /// concurrent beyond this, up to the feed's in-flight limit.
    pub concurrency: usize,
}

/// What the loader shares with the process around it: its counters, metrics, readiness and
/// heartbeat.
#[derive(Clone)]
pub struct LoaderHandles {
    pub counters: Arc<Counters>,
    pub loader: Arc<LoaderCounters>,
    pub metrics: Arc<ConsumerMetrics>,
    /// True while the subscriptions are open (`/readyz`).
    pub subscriptions_open: Arc<AtomicBool>,
    /// The subscriptions open when the source closed.
    pub last_open: Arc<std::sync::Mutex<Vec<String>>>,
    /// Written at every flag refresh, so `migrate status` sees who reads what.
    pub heartbeat: Option<Arc<Heartbeat>>,
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

/// The loader's source: the consumer's subscriptions as the read flags choose them, followed
/// while it runs.
pub struct LoaderSource {
    consumer: Consumer,
    options: LoaderOptions,
    flags: Arc<dyn KeyValueStore>,
    dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
    converter: EventConverter,
    subscriptions: Option<Subscriptions>,
    handles: LoaderHandles,
}

impl LoaderSource {
    pub fn new(
        consumer: Consumer,
        options: LoaderOptions,
        pubsub: Arc<dyn MessageSource>,
        store: Arc<dyn KeyValueStore>,
        dedupe: Arc<DedupeStore<Arc<dyn KeyValueStore>>>,
        converter: EventConverter,
        handles: LoaderHandles,
    ) -> LoaderSource {
        let subscriptions = Subscriptions::new(pubsub, &options.project);
        LoaderSource {
            consumer,
            options,
            flags: store,
            dedupe,
            converter,
            subscriptions: Some(subscriptions),
            handles,
        }
    }

    async fn follow_flags(
        &self,
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
        let reading: Vec<String> = sources
            .iter()
            .map(|(t, s)| format!("{}={s}", t.doc_type()))
            .collect();
        if first || !changes.opened.is_empty() || !changes.closed.is_empty() {
            if !first {
                bump(&self.handles.loader.switches);
            }
            tracing::info!(
                consumer = %self.consumer.name,
                reading = %reading.join(" "),
                opened = %changes.opened.join(","),
                closed = %changes.closed.join(","),
                "reading subscriptions"
            );
        }
        if let Some(heartbeat) = &self.handles.heartbeat
            && let Err(err) = heartbeat.beat(&sources, &subscriptions.open_ids()).await
        {
            tracing::warn!(consumer = %self.consumer.name, error = %err, "heartbeat not written");
        }
        Ok(())
    }

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
        let Some(mut subscriptions) = self.subscriptions.take() else {
            return Ok(());
        };
        let this = &*self;
        let concurrency = this.options.concurrency.max(1);
        let mut working = FuturesUnordered::new();
        let result = async {
            this.follow_flags(&mut subscriptions, true)
                .await
                .map_err(|e| SourceError::Consumer(e.to_string()))?;
            this.handles
                .subscriptions_open
                .store(true, Ordering::Relaxed);
            let mut refresh = tokio::time::interval(this.options.flag_refresh);
            refresh.tick().await;
            loop {
                let received = tokio::select! {
                    biased;
                    () = cancel.cancelled() => return Ok(()),
                    sent = working.next(), if !working.is_empty() => {
                        if matches!(sent, Some(false)) {
                            // The pipeline is gone: nothing more can be fed.
                            return Ok(());
                        }
                        continue;
                    }
                    _ = refresh.tick() => {
                        // A flag that cannot be read keeps the current subscriptions.
                        if let Err(err) = this.follow_flags(&mut subscriptions, false).await {
                            this.handles.counters.problem("read flags", err.to_string());
                        }
                        continue;
                    }
                    received = subscriptions.next(), if working.len() < concurrency => received,
                };
                let Some((reading, delivery)) = received else {
                    return Ok(());
                };
                let delivery = delivery?;
                let units = units.clone();
                working.push(async move {
                    match this.handle(&reading, delivery).await {
                        Some(unit) => units.send(unit).await.is_ok(),
                        None => true,
                    }
                });
            }
        }
        .await;
        // Messages being handled finish (they are claimed or settled in a few round trips),
        // so no claim is left to time out.
        while working.next().await.is_some() {}
        drop(working);
        this.handles
            .subscriptions_open
            .store(false, Ordering::Relaxed);
        if let Ok(mut open) = this.handles.last_open.lock() {
            *open = subscriptions.open_ids();
        }
        if let Some(heartbeat) = &this.handles.heartbeat {
            let _ = heartbeat.stop().await;
        }
        subscriptions.close().await;
        result
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
                // The store's round trip is off the commit loop; the stream's shutdown waits
                // for the delivery, so the ack is not lost.
                self.settling.spawn(async move {
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
