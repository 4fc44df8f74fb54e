//! Idempotency keys and the Redis-backed dedupe store.
//!
//! Pub/Sub may deliver a message more than once, and exactly-once delivery does not help when a
//! producer publishes twice (pubsub.md), so consumers dedupe on keys derived from the data:
//!
//! - immutable data (e-mails on `create`): `provider_message_id + user_id`;
//! - mutable data (everything else, and any `update`/`delete`): `+ updated_at`;
//! - batches (`sync_type` = `batch_sync`): `batch_id + correlation_id`.
//!
//! Key text is built in [`crate::keys`]. Two forms of claiming are offered: [`DedupeStore::claim`]
//! (one step, `SET NX PX` for many keys in one round trip) for side effects that are themselves
//! idempotent, and [`DedupeStore::begin`] / [`DedupeStore::complete`] / [`DedupeStore::release`]
//! (two steps) so that a consumer that crashes between claim and side effect does not lose the
//! event: the in-progress key has a short TTL, and only success writes the long-lived done key.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::catalog::DataType;
use crate::model::claim_check::TtlPerType;
use crate::model::event::Event;
use crate::model::fields::{Item, Operation, SyncType};
use crate::model::legacy::hex;
use crate::model::store::{GuardedClaim, KeyValueStore, StoreError};

/// Which key strategy applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Immutable,
    Mutable,
    Batch,
}

/// The per-item strategy: immutable only for `create` of an immutable data type.
pub fn item_strategy(event: &Event) -> Strategy {
    let header = event.header();
    if header.operation == Operation::Create && event.data_type().info().immutable {
        Strategy::Immutable
    } else {
        Strategy::Mutable
    }
}

/// The idempotency key of one item of `event`.
pub fn item_key(event: &Event, item: &dyn Item) -> String {
    let user_id = event.header().user_id;
    match item_strategy(event) {
        Strategy::Immutable => crate::keys::idempotency_immutable(user_id, item.doc_id()),
        _ => crate::keys::idempotency_mutable(
            user_id,
            item.doc_id(),
            &item
                .updated_at()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ),
    }
}

/// The idempotency keys of every item of `event`, in item order.
pub fn item_keys(event: &Event) -> Vec<String> {
    event
        .items()
        .into_iter()
        .map(|item| item_key(event, item))
        .collect()
}

/// The message-level key (the `idempotency_key` attribute) and its strategy.
///
/// A `batch_sync` event uses the batch key. Otherwise a single-item event uses its item key, and
/// a multi-item event `multi:<32 hex>` over its item keys (consumers that dedupe per document use
/// [`item_keys`]).
pub fn message_key(event: &Event) -> (Strategy, String) {
    let header = event.header();
    if header.sync_type == SyncType::BatchSync
        && let Some(batch_id) = header.batch_id
    {
        return (
            Strategy::Batch,
            crate::keys::idempotency_batch(batch_id, header.correlation_id),
        );
    }
    let mut keys = item_keys(event);
    let strategy = item_strategy(event);
    if keys.len() == 1
        && let Some(key) = keys.pop()
    {
        return (strategy, key);
    }
    let mut hasher = Sha256::new();
    for key in &keys {
        hasher.update(key.as_bytes());
        hasher.update(b"\n");
    }
    (
        strategy,
        format!("multi:{}", &hex(&hasher.finalize())[..32]),
    )
}

/// Dedupe settings; embeddable in the config file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DedupeConfig {
    /// How long a done key is remembered, per data type (longer than message retention).
    pub done_ttl: TtlPerType,
    /// How long an in-progress claim holds before another delivery may take over. Longer than
    /// the side effect takes, shorter than the redelivery backoff you can wait for.
    #[serde(with = "crate::duration")]
    pub in_progress_ttl: Duration,
}

impl Default for DedupeConfig {
    fn default() -> DedupeConfig {
        DedupeConfig {
            done_ttl: TtlPerType::default(),
            in_progress_ttl: Duration::from_secs(300),
        }
    }
}

/// One-step claim outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    New,
    Duplicate,
}

/// Two-step claim outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Begin {
    /// This consumer owns the key until `in_progress_ttl`; call `complete` or `release`.
    Claimed,
    /// Already processed: ack and skip.
    AlreadyDone,
    /// Another delivery is processing it: nack (or leave unacked) and let it be redelivered.
    InProgress,
}

/// The value of a done key.
pub const DONE: &[u8] = b"1";

/// What completing keys writes: each done key (set to [`DONE`] with its time to live) and the
/// in-progress keys (deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub done: Vec<(String, Duration)>,
    pub in_progress: Vec<String>,
}

/// Dedupe store of one consumer (keys are scoped by consumer name and data type).
#[derive(Debug, Clone)]
pub struct DedupeStore<S> {
    store: S,
    consumer: String,
    config: DedupeConfig,
}

impl<S: KeyValueStore> DedupeStore<S> {
    pub fn new(store: S, consumer: impl Into<String>, config: DedupeConfig) -> DedupeStore<S> {
        DedupeStore {
            store,
            consumer: consumer.into(),
            config,
        }
    }

    fn done_key(&self, data_type: DataType, key: &str) -> String {
        crate::keys::dedupe_done(&self.consumer, data_type.doc_type(), key)
    }

    fn wip_key(&self, data_type: DataType, key: &str) -> String {
        crate::keys::dedupe_in_progress(&self.consumer, data_type.doc_type(), key)
    }

    /// One step: marks every key done (`SET NX PX`, one round trip); `New` where it was not.
    pub async fn claim(
        &self,
        data_type: DataType,
        idempotency_keys: &[String],
    ) -> Result<Vec<Claim>, StoreError> {
        let ttl = self.config.done_ttl.get(data_type);
        let entries: Vec<(String, Duration)> = idempotency_keys
            .iter()
            .map(|k| (self.done_key(data_type, k), ttl))
            .collect();
        let set = self.store.set_nx_ex_many(&entries, b"1").await?;
        Ok(set
            .into_iter()
            .map(|new| if new { Claim::New } else { Claim::Duplicate })
            .collect())
    }

    /// Two steps, first: takes a short in-progress claim on every key not already done (one
    /// round trip, atomic per key).
    pub async fn begin(
        &self,
        data_type: DataType,
        idempotency_keys: &[String],
    ) -> Result<Vec<Begin>, StoreError> {
        let ttl = self.config.in_progress_ttl;
        let entries: Vec<(String, String, Duration)> = idempotency_keys
            .iter()
            .map(|k| (self.done_key(data_type, k), self.wip_key(data_type, k), ttl))
            .collect();
        let claims = self.store.claim_guarded_many(&entries).await?;
        Ok(claims
            .into_iter()
            .map(|c| match c {
                GuardedClaim::Claimed => Begin::Claimed,
                GuardedClaim::GuardExists => Begin::AlreadyDone,
                GuardedClaim::KeyExists => Begin::InProgress,
            })
            .collect())
    }

    /// Two steps, second: the side effect succeeded; writes the done keys and drops the
    /// in-progress keys atomically.
    pub async fn complete(
        &self,
        data_type: DataType,
        idempotency_keys: &[String],
    ) -> Result<(), StoreError> {
        let completion = self.completion(data_type, idempotency_keys);
        self.store
            .set_and_delete(&completion.done, DONE, &completion.in_progress)
            .await
    }

    /// The writes [`DedupeStore::complete`] makes, for a caller that must make them in one
    /// transaction with its own (the drill's feed ledger).
    pub fn completion(&self, data_type: DataType, idempotency_keys: &[String]) -> Completion {
        let ttl = self.config.done_ttl.get(data_type);
        Completion {
            done: idempotency_keys
                .iter()
                .map(|k| (self.done_key(data_type, k), ttl))
                .collect(),
            in_progress: idempotency_keys
                .iter()
                .map(|k| self.wip_key(data_type, k))
                .collect(),
        }
    }

    /// Two steps, on failure: drops the in-progress keys so a redelivery can retry at once.
    pub async fn release(
        &self,
        data_type: DataType,
        idempotency_keys: &[String],
    ) -> Result<(), StoreError> {
        let deletes: Vec<String> = idempotency_keys
            .iter()
            .map(|k| self.wip_key(data_type, k))
            .collect();
        self.store.delete(&deletes).await.map(|_| ())
    }
}
