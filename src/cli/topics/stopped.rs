//! A `topics` command that stopped with an error, with the flags its hint repeats.

use officectl::topics::{ApplyError, ChangesPresent, Drifted, Incomplete};

/// The core's error, and the commands that take it further (as the operator typed them).
#[derive(Debug, thiserror::Error)]
pub enum Stopped {
    /// `apply` would replace subscriptions without `--allow-replace`.
    #[error("{error}")]
    Replace {
        /// `--layout`/`--env` as typed.
        flags: String,
        #[source]
        error: ApplyError,
    },
    /// `apply` was interrupted or some steps failed.
    #[error("{error}")]
    Incomplete {
        /// The `topics apply` command to run again.
        again: String,
        #[source]
        error: Incomplete,
    },
    /// `verify` found drift.
    #[error("{error}")]
    Drifted {
        flags: String,
        #[source]
        error: Drifted,
    },
    /// `plan --detailed-exitcode` found changes.
    #[error("{error}")]
    Changes {
        /// The `topics apply` command that applies them.
        apply: String,
        #[source]
        error: ChangesPresent,
    },
}

impl Stopped {
    /// What to run next.
    pub fn hint(&self) -> String {
        match self {
            Stopped::Replace { flags, .. } => format!(
                "review with `officectl topics plan{flags}`, then re-run with `--allow-replace` to \
                 delete and re-create them"
            ),
            Stopped::Incomplete {
                again,
                error: Incomplete::Interrupted,
            } => format!("run `{again}` to finish"),
            Stopped::Incomplete { again, .. } => {
                format!("what succeeded is kept; run `{again}` again to finish")
            }
            Stopped::Drifted { flags, .. } => format!(
                "review with `officectl topics plan{flags}`; `officectl topics apply{flags}` repairs it"
            ),
            Stopped::Changes { apply, .. } => format!("apply them with `{apply}`"),
        }
    }
}
