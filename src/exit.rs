//! The process exit codes: a public contract that scripts and CI jobs rely on.
//!
//! They are documented in the README and checked by the end-to-end tests. Errors that decide an
//! exit code other than 1 are typed ([`Failure`]) so the binary can map them in one place.

/// Success.
pub const OK: u8 = 0;
/// Any error not covered by a more specific code.
pub const ERROR: u8 = 1;
/// Bad usage (flags, arguments); also "changes or drift present" for `verify` commands and
/// plans run with `--detailed-exitcode`.
pub const USAGE_OR_DRIFT: u8 = 2;
/// A lock is held by another run.
pub const LOCK_HELD: u8 = 3;
/// An apply finished only part of its work; running it again resumes.
pub const PARTIAL: u8 = 4;
/// Interrupted (SIGINT/SIGTERM) after the last checkpoint was written.
pub const INTERRUPTED: u8 = 130;

/// Outcomes that end a command with a specific, documented exit code.
///
/// Commands return these (wrapped in `anyhow::Error` where convenient); the binary looks for them
/// in the error chain to pick the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Declared and live state differ (`verify`, `--detailed-exitcode`).
    #[error("{0}")]
    Drift(String),
    /// The command cannot run as given, e.g. an unfinished checkpoint exists and neither
    /// `--resume` nor `--restart` says what to do with it.
    #[error("{0}")]
    Usage(String),
    /// Another run holds the lock: `plan `emails` is locked by ops@vm (pid 7) since T; lock `L``.
    #[error("{what} is locked by {by} since {since}; lock `{lock_id}`")]
    LockHeld {
        /// What is locked, e.g. ``plan `emails` ``.
        what: String,
        /// Who holds it, `user@host (pid N)`.
        by: String,
        since: String,
        lock_id: String,
    },
    /// Some steps failed; what succeeded is kept and a re-run resumes.
    #[error("{0}")]
    Partial(String),
    /// Stopped by a signal after the last checkpoint.
    #[error("interrupted")]
    Interrupted,
    /// One or more health checks failed.
    #[error("{0}")]
    Unhealthy(String),
}

impl Failure {
    /// The exit code this failure ends the process with.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Drift(_) | Failure::Usage(_) => USAGE_OR_DRIFT,
            Failure::LockHeld { .. } => LOCK_HELD,
            Failure::Partial(_) => PARTIAL,
            Failure::Interrupted => INTERRUPTED,
            Failure::Unhealthy(_) => ERROR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_map_to_documented_codes() {
        assert_eq!(Failure::Drift("x".into()).exit_code(), 2);
        assert_eq!(Failure::Usage("x".into()).exit_code(), 2);
        let held = Failure::LockHeld {
            what: "plan `p`".into(),
            by: "h".into(),
            since: "t".into(),
            lock_id: "l".into(),
        };
        assert_eq!(held.exit_code(), 3);
        assert_eq!(Failure::Partial("x".into()).exit_code(), 4);
        assert_eq!(Failure::Interrupted.exit_code(), 130);
        assert_eq!(Failure::Unhealthy("x".into()).exit_code(), 1);
    }
}
