//! Checkpoints of a re-feed run (`officectl reindex --from-vespa` or `--source FILE`) in Redis.
//!
//! A checkpoint records how far a run got such that everything before it is fed: for a visit,
//! each slice's continuation token (advanced only once every document of the pages before the
//! token was fed successfully); for a file, the byte offset and line number up to which every
//! event's operations succeeded. A resume starts from there: it re-visits from the tokens, or
//! seeks the file to the offset. A `pubsub:` source has no checkpoint: the subscription's
//! acknowledgements are its progress.
//!
//! The key is [`crate::keys::reindex_checkpoint`] of the run's [`RunIdentity`] (mode, source,
//! users and types): the same command finds the same checkpoint. The value is JSON with a TTL
//! of [`CHECKPOINT_TTL`]; a finished run's checkpoint is kept, marked `complete`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::store::KeyValueStore;
use crate::run::checkpoint::Checkpoints;

/// How long a checkpoint is kept after its last write.
pub const CHECKPOINT_TTL: Duration = Duration::from_secs(14 * 86_400);

/// What is re-fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Documents visited from Vespa.
    Visit,
    /// Events from a file.
    File,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Visit => "visit",
            Mode::File => "file",
        }
    }
}

/// What makes two runs the same run: a resume needs all of it to match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    pub mode: Mode,
    /// The content cluster visited, or the file's absolute path.
    pub source: String,
    /// Selected users (sorted, no repeats; empty = all).
    pub users: Vec<String>,
    /// Selected Vespa document types (sorted, no repeats; empty = all).
    pub types: Vec<String>,
}

impl RunIdentity {
    /// The identity of a run, with users and types in a canonical order.
    pub fn new(mode: Mode, source: impl Into<String>, users: &[String], types: &[String]) -> Self {
        let canonical = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        };
        RunIdentity {
            mode,
            source: source.into(),
            users: canonical(users),
            types: canonical(types),
        }
    }

    /// The Redis key of this run's checkpoint.
    pub fn key(&self) -> String {
        // Serializing plain strings and a unit enum cannot fail; the fallback still gives a
        // stable, distinct text.
        let text = serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"));
        crate::keys::reindex_checkpoint(self.mode.as_str(), &text)
    }
}

/// How far one visit slice got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlicePosition {
    /// The visited path and selection, to check a resume visits the same thing.
    pub target: String,
    pub slice: u32,
    /// Where to continue: every document before it is fed. `None` with `done == false` means
    /// from the start.
    pub continuation: Option<String>,
    /// Every document of the slice is fed.
    pub done: bool,
}

/// How far a file was read such that every operation before is fed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePosition {
    /// Bytes from the start of the file: the first byte of the next line to read.
    pub offset: u64,
    /// Lines before `offset`.
    pub line: u64,
    /// The file's size and modification time when the run started, to refuse resuming a file
    /// that changed.
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
}

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Position {
    Visit {
        slices: u32,
        /// One per target and slice, targets in order, slices in order within a target.
        streams: Vec<SlicePosition>,
    },
    File(FilePosition),
}

/// A run's checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub identity: RunIdentity,
    pub position: Position,
    /// Operations fed successfully so far, over every run of it.
    pub fed: u64,
    /// The run finished: every document or event was fed.
    pub complete: bool,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub use crate::run::checkpoint::{CheckpointError, now};

/// Re-feed checkpoints in `store`.
fn checkpoints(store: &dyn KeyValueStore) -> Checkpoints<'_> {
    Checkpoints::new(store, "reindex", CHECKPOINT_TTL)
}

/// Reads the checkpoint of `identity`, if there is one.
pub async fn load(
    store: &dyn KeyValueStore,
    identity: &RunIdentity,
) -> Result<Option<Checkpoint>, CheckpointError> {
    let key = identity.key();
    let checkpoints = checkpoints(store);
    let Some(checkpoint) = checkpoints.load::<Checkpoint>(&key).await? else {
        return Ok(None);
    };
    if checkpoint.identity != *identity {
        return Err(checkpoints.foreign(
            &key,
            format!(
                "it belongs to another run ({:?}, source `{}`)",
                checkpoint.identity.mode, checkpoint.identity.source
            ),
        ));
    }
    Ok(Some(checkpoint))
}

/// Writes a checkpoint.
pub async fn save(
    store: &dyn KeyValueStore,
    checkpoint: &Checkpoint,
) -> Result<(), CheckpointError> {
    checkpoints(store)
        .save(&checkpoint.identity.key(), checkpoint)
        .await
}

/// Deletes the checkpoint of `identity` (`--restart`).
pub async fn clear(
    store: &dyn KeyValueStore,
    identity: &RunIdentity,
) -> Result<(), CheckpointError> {
    checkpoints(store).clear(&[identity.key()]).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::MemoryStore;

    fn visit(users: &[&str]) -> RunIdentity {
        let users: Vec<String> = users.iter().map(|u| u.to_string()).collect();
        RunIdentity::new(Mode::Visit, "office", &users, &["email".into()])
    }

    #[test]
    fn identities_are_canonical() {
        assert_eq!(visit(&["b", "a", "a"]), visit(&["a", "b"]));
        assert_eq!(visit(&["b", "a"]).key(), visit(&["a", "b"]).key());
        assert_ne!(visit(&["a"]).key(), visit(&["a", "b"]).key());
        let file = RunIdentity::new(Mode::File, "/x/events.ndjson", &[], &[]);
        assert!(
            file.key().starts_with("office:reindex:checkpoint:file:"),
            "{}",
            file.key()
        );
    }

    #[tokio::test]
    async fn checkpoints_round_trip_and_clear() {
        let store = MemoryStore::new();
        let identity = visit(&["u1"]);
        assert!(load(&store, &identity).await.unwrap().is_none());
        let checkpoint = Checkpoint {
            identity: identity.clone(),
            position: Position::Visit {
                slices: 2,
                streams: vec![
                    SlicePosition {
                        target: "/document/v1/office/email/group/u1".into(),
                        slice: 0,
                        continuation: Some("AAA=".into()),
                        done: false,
                    },
                    SlicePosition {
                        target: "/document/v1/office/email/group/u1".into(),
                        slice: 1,
                        continuation: None,
                        done: true,
                    },
                ],
            },
            fed: 10,
            complete: false,
            started_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        save(&store, &checkpoint).await.unwrap();
        assert_eq!(load(&store, &identity).await.unwrap(), Some(checkpoint));
        assert!(load(&store, &visit(&["u2"])).await.unwrap().is_none());
        clear(&store, &identity).await.unwrap();
        assert!(store.is_empty());
    }

    #[tokio::test]
    async fn store_failures_name_the_key() {
        let store = MemoryStore::new();
        store.fail_next(1);
        let identity = visit(&["u1"]);
        let err = load(&store, &identity).await.unwrap_err().to_string();
        assert!(err.contains(&identity.key()), "{err}");
        store
            .set_ex(&identity.key(), b"{not json", CHECKPOINT_TTL)
            .await
            .unwrap();
        let err = load(&store, &identity).await.unwrap_err().to_string();
        assert!(err.contains("not readable"), "{err}");
    }
}
