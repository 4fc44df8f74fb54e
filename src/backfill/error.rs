//! Why a backfill stopped early.

use super::checkpoint::CheckpointError;
use super::routing::FlagError;
use super::source::{Position, SourceError};
use crate::migrate::flags::PublishMode;
use crate::migrate::publish::RouteError;
use crate::model::claim_check::ClaimCheckError;
use crate::model::store::StoreError;
use crate::pubsub::PubSubError;

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BackfillError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Publish(Box<PublishFailed>),
    #[error("cannot park the bodies of batch `{batch_id}` in Redis")]
    Park {
        batch_id: String,
        #[source]
        source: StoreError,
    },
    #[error("cannot encode batch `{batch_id}` (user `{user}`)")]
    Encode {
        batch_id: String,
        user: String,
        #[source]
        source: ClaimCheckError,
    },
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error(transparent)]
    Flag(#[from] FlagError),
    #[error("cannot publish batch `{batch_id}` (user `{user}`) under publish mode `{mode}`")]
    Route {
        batch_id: String,
        user: String,
        mode: PublishMode,
        #[source]
        source: RouteError,
    },
    #[error("{position} of `{input}` is invalid (`--strict`): {reason}")]
    Strict {
        input: String,
        position: Position,
        reason: String,
    },
    #[error(
        "the input differs from the checkpointed run: the batches of user `{user}` up to batch {index} (now `{found}`, checkpointed `{expected}`) are not the ones acknowledged"
    )]
    InputChanged {
        user: String,
        index: u64,
        expected: String,
        found: String,
    },
    #[error("cannot write rejected records")]
    Rejects(#[source] std::io::Error),
}

/// A batch could not be published, retries included.
#[derive(Debug, thiserror::Error)]
#[error("cannot publish batch `{batch_id}` (user `{user}`, batch {index}) to `{topic}`")]
pub struct PublishFailed {
    pub topic: String,
    pub batch_id: String,
    pub user: String,
    pub index: u64,
    #[source]
    pub source: PubSubError,
}
