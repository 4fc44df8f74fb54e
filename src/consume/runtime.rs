//! The runtime every consumer runs on: it reads the consumer's subscriptions as the migration's
//! read flags choose them (re-read every `flag_refresh`, so `migrate apply` moves a running
//! consumer), writes the consumer's heartbeat, hands each delivery to the consumer's
//! [`Handler`] with at most `concurrency` in hand at once, and on stop lets what is in hand
//! finish before it closes the streams (their acknowledgements sent).
//!
//! A consumer implements [`Handler`]: what to do with one delivery, which it acks or nacks
//! itself, now or later (the Vespa loader hands it on to the feed and acks once it is fed).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::layout::Consumer;
use super::metrics::ConsumerMetrics;
use super::reading::{self, ReadFlagError, Reading};
use super::subscriptions::Subscriptions;
use crate::migrate::lock;
use crate::migrate::readers::Heartbeat;
use crate::migrate::store::MigrationStore;
use crate::model::catalog::DataType;
use crate::model::envelope::attr;
use crate::model::store::KeyValueStore;
use crate::pubsub::{Delivery, MessageSource, PubSubError};
use crate::run::CancellationToken;

/// One consumer's work on one delivery.
#[async_trait]
pub trait Handler: Send + Sync {
    /// Handles a delivery from `reading`'s subscription: acks or nacks it, or hands it on to
    /// what will. `false` stops the consumer: what it hands work to is gone.
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool;

    /// A problem the runtime met and carried on from (a read flag it could not read keeps the
    /// current subscriptions), for the consumer's report.
    fn problem(&self, what: &str, why: String);
}

/// How the runtime reads.
#[derive(Debug, Clone)]
pub struct RuntimeOptions {
    pub project: String,
    /// The data types to read (`--types`; all the consumer reads by default).
    pub types: Vec<DataType>,
    /// How often the read flags are read again (and the heartbeat written).
    pub flag_refresh: Duration,
    /// Deliveries in hand at once (`--concurrency`).
    pub concurrency: usize,
}

/// What the runtime shares with the process around it.
#[derive(Clone, Default)]
pub struct RuntimeHandles {
    /// True while the subscriptions are open (`/readyz`).
    pub subscriptions_open: Arc<AtomicBool>,
    /// The subscriptions open when the runtime stopped.
    pub last_open: Arc<Mutex<Vec<String>>>,
    /// Times the set of subscriptions changed after the start (read flags moved).
    pub switches: Arc<AtomicU64>,
    /// Written at every flag refresh, so `migrate status` sees who reads what.
    pub heartbeat: Option<Arc<Heartbeat>>,
    /// Where each message received is counted, by subscription and event type.
    pub metrics: Option<Arc<ConsumerMetrics>>,
    /// Where the migration plans' locks are read at every flag refresh, for the
    /// `officectl_migration_lock_age_seconds` gauge of `metrics` (the Vespa loader's).
    pub migration_locks: Option<Arc<dyn MigrationStore>>,
}

impl RuntimeHandles {
    /// The subscriptions open when the runtime stopped.
    pub fn last_open(&self) -> Vec<String> {
        self.last_open.lock().map(|o| o.clone()).unwrap_or_default()
    }
}

/// Why the runtime stopped before it was asked to.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The read flags cannot say what to read at the start.
    #[error(transparent)]
    Flags(#[from] ReadFlagError),
    /// A subscription's stream failed for good.
    #[error(transparent)]
    PubSub(#[from] PubSubError),
}

/// One consumer's subscriptions, followed while it runs.
pub struct Runtime {
    consumer: Consumer,
    options: RuntimeOptions,
    flags: Arc<dyn KeyValueStore>,
    subscriptions: Subscriptions,
    handles: RuntimeHandles,
}

impl Runtime {
    pub fn new(
        consumer: Consumer,
        options: RuntimeOptions,
        pubsub: Arc<dyn MessageSource>,
        flags: Arc<dyn KeyValueStore>,
        handles: RuntimeHandles,
    ) -> Runtime {
        let subscriptions = Subscriptions::new(pubsub, &options.project);
        Runtime {
            consumer,
            options,
            flags,
            subscriptions,
            handles,
        }
    }

    /// Reads until `cancel` fires, a stream fails, or `handler` says stop; then lets the
    /// deliveries in hand finish, drops the heartbeat and closes the subscriptions.
    pub async fn run(
        mut self,
        handler: &dyn Handler,
        cancel: &CancellationToken,
    ) -> Result<(), RuntimeError> {
        let concurrency = self.options.concurrency.max(1);
        let mut working = FuturesUnordered::new();
        let result = async {
            self.follow_flags(true).await?;
            self.handles
                .subscriptions_open
                .store(true, Ordering::Relaxed);
            let mut refresh = tokio::time::interval(self.options.flag_refresh);
            refresh.tick().await;
            loop {
                let received = tokio::select! {
                    biased;
                    () = cancel.cancelled() => return Ok(()),
                    going = working.next(), if !working.is_empty() => {
                        if matches!(going, Some(false)) {
                            return Ok(());
                        }
                        continue;
                    }
                    _ = refresh.tick() => {
                        // A flag that cannot be read keeps the current subscriptions.
                        if let Err(err) = self.follow_flags(false).await {
                            handler.problem("read flags", err.to_string());
                        }
                        continue;
                    }
                    received = self.subscriptions.next(), if working.len() < concurrency => received,
                };
                let Some((reading, delivery)) = received else {
                    return Ok(());
                };
                let delivery = delivery?;
                if let Some(metrics) = &self.handles.metrics {
                    metrics.received(
                        &reading.subscription,
                        delivery.message.attributes.get(attr::EVENT_TYPE).map(String::as_str),
                    );
                }
                working.push(handler.handle(reading, delivery));
            }
        }
        .await;
        // Deliveries in hand finish (each is a few round trips), so nothing they hold, such as
        // an idempotency claim, is left to time out.
        while working.next().await.is_some() {}
        drop(working);
        self.handles
            .subscriptions_open
            .store(false, Ordering::Relaxed);
        if let Ok(mut open) = self.handles.last_open.lock() {
            *open = self.subscriptions.open_ids();
        }
        if let Some(heartbeat) = &self.handles.heartbeat {
            let _ = heartbeat.stop().await;
        }
        self.subscriptions.close().await;
        result
    }

    /// Opens and closes subscriptions as the read flags say now, and writes the heartbeat.
    async fn follow_flags(&mut self, first: bool) -> Result<(), ReadFlagError> {
        let sources = reading::read_sources(
            self.flags.as_ref(),
            &self.consumer.name,
            &self.options.types,
        )
        .await?;
        let readings: Vec<Reading> = reading::readings(&self.consumer, &sources);
        let changes = self.subscriptions.follow(&readings);
        let reading: Vec<String> = sources
            .iter()
            .map(|(t, s)| format!("{}={s}", t.doc_type()))
            .collect();
        if first || !changes.opened.is_empty() || !changes.closed.is_empty() {
            if !first {
                self.handles.switches.fetch_add(1, Ordering::Relaxed);
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
            && let Err(err) = heartbeat
                .beat(&sources, &self.subscriptions.open_ids())
                .await
        {
            tracing::warn!(consumer = %self.consumer.name, error = %err, "heartbeat not written");
        }
        if let (Some(store), Some(metrics)) = (&self.handles.migration_locks, &self.handles.metrics)
        {
            // A lock that cannot be read leaves the gauge as it was: the next refresh tries again.
            match lock::held_for(store.as_ref(), std::time::SystemTime::now().into()).await {
                Ok(held) => metrics.migration_locks(&held),
                Err(err) => {
                    tracing::warn!(consumer = %self.consumer.name, error = %err, "migration locks not read")
                }
            }
        }
        Ok(())
    }
}
