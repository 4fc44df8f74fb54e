//! Per-user checkpoints in Redis, written after every acknowledged batch.
//!
//! A checkpoint says how many of the user's batches, counted from index 0, are acknowledged by
//! Pub/Sub (batches are acknowledged in publish order, so this is a prefix), the id of the last
//! one, where its last record came from, and everything a resume needs to rebuild the same
//! batches: the correlation id, the source, the batch size and the `--since/--until` window.
//! Key: [`crate::keys::backfill_checkpoint`]; value: JSON; TTL [`CHECKPOINT_TTL`].

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::Position;
use crate::model::store::KeyValueStore;
use crate::run::checkpoint::Checkpoints;

/// How long a checkpoint is kept after its last write.
pub const CHECKPOINT_TTL: Duration = Duration::from_secs(14 * 86_400);

/// What a resume must reproduce exactly to get the same batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    pub source: String,
    pub batch_size: usize,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One user's progress in one backfill run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub correlation_id: String,
    #[serde(flatten)]
    pub identity: RunIdentity,
    /// Batches 0..acked_batches are acknowledged.
    pub acked_batches: u64,
    /// Id of batch `acked_batches - 1`.
    pub last_batch_id: Option<String>,
    /// Digest over the ids of every acknowledged batch, in order ([`chain`]): a resume that
    /// rebuilds different batches from the same positions is detected, not silently skipped.
    #[serde(default)]
    pub chain: String,
    /// Where the last acknowledged batch's last record came from.
    pub position: Option<Position>,
    /// E-mails in the acknowledged batches.
    pub emails: u64,
    /// Whether the run read its whole source for this user.
    pub complete: bool,
    pub updated_at: DateTime<Utc>,
}

/// Extends the digest of acknowledged batch ids with the next one.
pub fn chain(previous: &str, batch_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(batch_id.as_bytes());
    crate::model::legacy::hex(&hasher.finalize())[..32].to_string()
}

pub use crate::run::checkpoint::CheckpointError;

/// Backfill checkpoints in `store`.
fn checkpoints(store: &dyn KeyValueStore) -> Checkpoints<'_> {
    Checkpoints::new(store, "backfill", CHECKPOINT_TTL)
}

/// Reads the checkpoints of `users` for `topic` (full name); users without one are absent.
pub async fn load_all(
    store: &dyn KeyValueStore,
    topic: &str,
    users: impl IntoIterator<Item = &String>,
) -> Result<BTreeMap<String, Checkpoint>, CheckpointError> {
    let checkpoints = checkpoints(store);
    let mut out = BTreeMap::new();
    for user in users {
        let key = crate::keys::backfill_checkpoint(topic, user);
        if let Some(checkpoint) = checkpoints.load(&key).await? {
            out.insert(user.clone(), checkpoint);
        }
    }
    Ok(out)
}

/// Writes one user's checkpoint.
pub async fn save(
    store: &dyn KeyValueStore,
    topic: &str,
    user: &str,
    checkpoint: &Checkpoint,
) -> Result<(), CheckpointError> {
    checkpoints(store)
        .save(&crate::keys::backfill_checkpoint(topic, user), checkpoint)
        .await
}

/// Deletes the checkpoints of `users` (for `--restart`).
pub async fn clear(
    store: &dyn KeyValueStore,
    topic: &str,
    users: impl IntoIterator<Item = &String>,
) -> Result<(), CheckpointError> {
    let keys: Vec<String> = users
        .into_iter()
        .map(|u| crate::keys::backfill_checkpoint(topic, u))
        .collect();
    checkpoints(store).clear(&keys).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::MemoryStore;

    #[tokio::test]
    async fn checkpoints_round_trip_and_clear() {
        let store = MemoryStore::new();
        let checkpoint = Checkpoint {
            correlation_id: "c".into(),
            identity: RunIdentity {
                source: "mail.ndjson".into(),
                batch_size: 50,
                since: None,
                until: None,
            },
            acked_batches: 3,
            last_batch_id: Some("bf-x".into()),
            chain: chain("", "bf-x"),
            position: Some(Position::Page {
                page: 2,
                page_token: "tok".into(),
                item: 4,
            }),
            emails: 150,
            complete: false,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        save(&store, "projects/p/topics/emails", "u1", &checkpoint)
            .await
            .unwrap();
        let users = vec!["u1".to_string(), "u2".to_string()];
        let loaded = load_all(&store, "projects/p/topics/emails", &users)
            .await
            .unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded["u1"], checkpoint);
        clear(&store, "projects/p/topics/emails", &users)
            .await
            .unwrap();
        assert!(store.is_empty());
    }
}
