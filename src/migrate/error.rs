//! Why a migration run stopped with an error.

use super::steps::StepError;
use crate::exit::Failure;
use crate::model::store::StoreError;

/// Why an apply, rollback or preview stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "step `{step}` changed since it was applied (journal checksum {journal}, plan checksum {plan}); refusing to apply"
    )]
    ChangedStep {
        step: String,
        journal: String,
        plan: String,
    },
    #[error("step `{0}` is not in the plan")]
    UnknownStep(String),
    #[error("lost the lock on plan `{0}` (another run took it after the lease expired); stopping")]
    LostLock(String),
    #[error("cannot roll back past step `{step}`: it is irreversible ({kind})")]
    Irreversible { step: String, kind: &'static str },
    /// A step (or undoing it) failed; the journal records it `failed` with the same text.
    #[error("step `{step}` failed: {error}")]
    StepFailed {
        step: String,
        #[source]
        error: StepError,
    },
    /// Cancelled (Ctrl-C, SIGTERM) between steps, after the journal was saved.
    #[error(
        "interrupted before {}step `{step}` of plan `{plan}`",
        if *.undoing { "undoing " } else { "" }
    )]
    Interrupted {
        plan: String,
        step: String,
        /// During a rollback.
        undoing: bool,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot list migration plans")]
    ListPlans(#[source] StoreError),
    #[error("cannot read the journal of `{plan}`: {source}")]
    ReadJournal {
        plan: String,
        source: serde_json::Error,
    },
    #[error("cannot write the journal of `{plan}`: {source}")]
    WriteJournal {
        plan: String,
        source: serde_json::Error,
    },
}

impl MigrateError {
    /// The documented failure this maps to, if any: a failed step or a lost lock is a partial
    /// apply (4; what succeeded is kept), an interruption is 130.
    pub fn failure(&self) -> Option<Failure> {
        match self {
            MigrateError::StepFailed { .. } | MigrateError::LostLock(_) => {
                Some(Failure::Partial(self.to_string()))
            }
            MigrateError::Interrupted { .. } => Some(Failure::Interrupted),
            _ => None,
        }
    }
}
