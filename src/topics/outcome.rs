//! How a `topics` command ends when the project does not match the layout: typed errors that
//! name the resources, with the exit code each one means.

use super::VerifyReport;
use super::apply::ApplyReport;
use super::plan::{Plan, PlanSummary};
use crate::exit::Failure;

/// How many drifts a [`Drifted`] error names before summing up the rest.
const NAMED_DRIFTS: usize = 10;

/// `topics apply` did not finish: exit 130 when interrupted, 4 when steps failed (what
/// succeeded is kept; the next run resumes from the live state).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Incomplete {
    #[error("interrupted")]
    Interrupted,
    #[error("{} of {total} steps did not complete: {}", failed.len(), failed.join("; "))]
    Failed {
        total: usize,
        /// `<action> <kind> `<name>`: <error>` per failed or skipped step.
        failed: Vec<String>,
    },
}

impl ApplyReport {
    /// Why the apply did not finish, if it did not.
    pub fn incomplete(&self) -> Option<Incomplete> {
        if self.interrupted {
            return Some(Incomplete::Interrupted);
        }
        let failed: Vec<String> = self
            .failures()
            .map(|f| {
                format!(
                    "{} {} `{}`: {}",
                    f.action,
                    f.kind,
                    f.name,
                    f.error.as_deref().unwrap_or("failed")
                )
            })
            .collect();
        (!failed.is_empty()).then_some(Incomplete::Failed {
            total: self.steps.len(),
            failed,
        })
    }
}

impl Incomplete {
    pub fn failure(&self) -> Failure {
        match self {
            Incomplete::Interrupted => Failure::Interrupted,
            Incomplete::Failed { .. } => Failure::Partial(self.to_string()),
        }
    }
}

/// `topics verify` found drift (exit 2): the first ten differences, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("project `{project}` drifted from `{layout}`: {}", named.join("; "))]
pub struct Drifted {
    pub project: String,
    pub layout: String,
    named: Vec<String>,
}

impl VerifyReport {
    /// The drift, if the project is not in sync.
    pub fn drifted(&self) -> Option<Drifted> {
        if self.in_sync {
            return None;
        }
        let mut named: Vec<String> = self
            .drifts
            .iter()
            .take(NAMED_DRIFTS)
            .map(|d| match d.field.as_str() {
                "exists" if d.declared == "true" => {
                    format!("{} `{}` is missing", d.kind, d.resource)
                }
                "exists" => format!("{} `{}` is not declared", d.kind, d.resource),
                field => format!(
                    "{} `{}` {field}: declared {}, live {}",
                    d.kind, d.resource, d.declared, d.live
                ),
            })
            .collect();
        if self.drifts.len() > NAMED_DRIFTS {
            named.push(format!("and {} more", self.drifts.len() - NAMED_DRIFTS));
        }
        Some(Drifted {
            project: self.project.clone(),
            layout: self.layout.clone(),
            named,
        })
    }
}

impl Drifted {
    pub fn failure(&self) -> Failure {
        Failure::Drift(self.to_string())
    }
}

/// `topics plan --detailed-exitcode` found changes to apply (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "changes present: {} to create, {} to update, {} to replace, {} to delete",
    summary.create, summary.update, summary.replace, summary.delete
)]
pub struct ChangesPresent {
    pub summary: PlanSummary,
}

impl Plan {
    /// The changes apply would make, if any.
    pub fn changes(&self) -> Option<ChangesPresent> {
        self.has_changes().then_some(ChangesPresent {
            summary: self.summary,
        })
    }
}

impl ChangesPresent {
    pub fn failure(&self) -> Failure {
        Failure::Drift(self.to_string())
    }
}
