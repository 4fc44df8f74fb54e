//! A plan run that stopped with an error, and the command that takes it further.

use super::plan_args::PlanArgs;
use officectl::migrate::MigrateError;
use std::path::PathBuf;

/// Which run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Apply,
    Rollback,
}

/// `migrate apply` or `rollback` stopped: the core's error, with what its hint needs.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct Stopped {
    verb: Verb,
    /// The plan file and layout flags as typed.
    plan_args: String,
    plan_file: PathBuf,
    #[source]
    error: MigrateError,
}

impl Stopped {
    pub fn new(verb: Verb, plan: &PlanArgs, error: MigrateError) -> Stopped {
        Stopped {
            verb,
            plan_args: plan.as_args(),
            plan_file: plan.file.clone(),
            error,
        }
    }

    /// The command that resumes the run; `None` for errors whose hint does not depend on it
    /// (`cli/error.rs` has those).
    pub fn hint(&self) -> Option<String> {
        let again = match self.verb {
            Verb::Apply => format!("officectl migrate apply {}", self.plan_args),
            Verb::Rollback => format!("officectl migrate rollback {} --yes", self.plan_args),
        };
        match (&self.error, self.verb) {
            (MigrateError::StepFailed { .. } | MigrateError::LostLock(_), Verb::Apply) => {
                Some(format!(
                    "`officectl migrate status {}` shows each step; fix the cause, then resume: `{again}`",
                    self.plan_file.display()
                ))
            }
            (MigrateError::StepFailed { .. } | MigrateError::LostLock(_), Verb::Rollback) => Some(
                format!("fix the cause, then run the rollback again: `{again}`"),
            ),
            (MigrateError::Interrupted { .. }, _) => {
                Some(format!("the journal is saved; resume with `{again}`"))
            }
            _ => None,
        }
    }
}
