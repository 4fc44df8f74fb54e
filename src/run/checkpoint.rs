//! Checkpoints in Redis: one JSON value per key, with a TTL, read and written the same way by
//! every command that resumes (`backfill` per user, `reindex` per run). What a checkpoint holds
//! is the command's own business (its position type); how it is stored, and how a failure to
//! store it reads, is decided here once.

use std::time::Duration;

use crate::model::store::{JsonValueError, KeyValueStore, StoreError, get_json, set_json};

/// A checkpoint could not be read or written. `kind` names the command's checkpoints
/// (`backfill`, `reindex`).
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("cannot access the {kind} checkpoint `{key}`")]
    Store {
        kind: &'static str,
        key: String,
        #[source]
        source: StoreError,
    },
    #[error("the {kind} checkpoint `{key}` is not readable: {message}")]
    Corrupt {
        kind: &'static str,
        key: String,
        message: String,
    },
}

/// The checkpoints of one kind in one store.
#[derive(Clone, Copy)]
pub struct Checkpoints<'a> {
    store: &'a dyn KeyValueStore,
    kind: &'static str,
    ttl: Duration,
}

impl<'a> Checkpoints<'a> {
    /// Checkpoints called `kind` in messages, kept for `ttl` after their last write.
    pub fn new(store: &'a dyn KeyValueStore, kind: &'static str, ttl: Duration) -> Self {
        Checkpoints { store, kind, ttl }
    }

    /// The checkpoint at `key`, if there is one.
    pub async fn load<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, CheckpointError> {
        get_json(self.store, key)
            .await
            .map_err(|err| self.error(key, err))
    }

    /// Writes the checkpoint at `key`, renewing its TTL.
    pub async fn save<T: serde::Serialize + ?Sized>(
        &self,
        key: &str,
        checkpoint: &T,
    ) -> Result<(), CheckpointError> {
        set_json(self.store, key, checkpoint, self.ttl)
            .await
            .map_err(|err| self.error(key, err))
    }

    /// Deletes the checkpoints at `keys` (`--restart`).
    pub async fn clear(&self, keys: &[String]) -> Result<(), CheckpointError> {
        if keys.is_empty() {
            return Ok(());
        }
        self.store
            .delete(keys)
            .await
            .map(|_| ())
            .map_err(|source| CheckpointError::Store {
                kind: self.kind,
                key: keys.join(", "),
                source,
            })
    }

    /// A checkpoint that parses but is not the one asked for.
    pub fn foreign(&self, key: &str, message: impl Into<String>) -> CheckpointError {
        CheckpointError::Corrupt {
            kind: self.kind,
            key: key.to_string(),
            message: message.into(),
        }
    }

    fn error(&self, key: &str, err: JsonValueError) -> CheckpointError {
        match err {
            JsonValueError::Store(source) => CheckpointError::Store {
                kind: self.kind,
                key: key.to_string(),
                source,
            },
            JsonValueError::Json(e) => CheckpointError::Corrupt {
                kind: self.kind,
                key: key.to_string(),
                message: e.to_string(),
            },
        }
    }
}

/// Wall-clock time for checkpoints (chrono's `clock` feature is off in this crate).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::MemoryStore;

    #[tokio::test]
    async fn round_trip_clear_and_errors_that_name_the_key() {
        let store = MemoryStore::new();
        let checkpoints = Checkpoints::new(&store, "test", Duration::from_secs(60));
        assert_eq!(checkpoints.load::<u32>("k1").await.unwrap(), None);
        checkpoints.save("k1", &7u32).await.unwrap();
        assert_eq!(checkpoints.load::<u32>("k1").await.unwrap(), Some(7));
        checkpoints
            .clear(&["k1".to_string(), "k2".to_string()])
            .await
            .unwrap();
        assert!(store.is_empty());

        store.fail_next(1);
        let err = checkpoints.load::<u32>("k3").await.unwrap_err().to_string();
        assert_eq!(err, "cannot access the test checkpoint `k3`");
        store
            .set_ex("k4", b"{not json", Duration::from_secs(60))
            .await
            .unwrap();
        let err = checkpoints.load::<u32>("k4").await.unwrap_err().to_string();
        assert!(
            err.starts_with("the test checkpoint `k4` is not readable"),
            "{err}"
        );
    }
}
