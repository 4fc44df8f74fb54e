//! The journal: what happened to each step of a plan, written before and after every side
//! effect so a crashed run can be resumed and rolled back exactly.

use super::error::MigrateError;
use super::lock::Lease;
use super::store::MigrationStore;
pub use super::undo::{FlagBefore, UndoRecord};
use crate::keys;
use serde::{Deserialize, Serialize};

/// A step's state in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Pending,
    /// Started; if the run died here, the next apply re-observes before acting.
    Running,
    Done,
    Failed,
    /// Waiting at a gate for `--approve`.
    AwaitingApproval,
    RolledBack,
}

impl StepState {
    /// The state as the journal and reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Running => "running",
            StepState::Done => "done",
            StepState::Failed => "failed",
            StepState::AwaitingApproval => "awaiting_approval",
            StepState::RolledBack => "rolled_back",
        }
    }
}

/// One step's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub name: String,
    /// The step's checksum when it was applied.
    pub checksum: String,
    pub state: StepState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// `user@host (pid N)` of the run that last changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the step observed or did (counts, parity results, errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default)]
    pub undo: UndoRecord,
}

/// A plan's journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub plan: String,
    /// Checksum of the plan when it was first applied (informational).
    pub plan_checksum: String,
    pub steps: Vec<StepRecord>,
}

impl Journal {
    /// An empty journal for a plan.
    pub fn new(plan: &str, plan_checksum: &str) -> Self {
        Self {
            plan: plan.into(),
            plan_checksum: plan_checksum.into(),
            steps: Vec::new(),
        }
    }

    /// The record of step `name`.
    pub fn step(&self, name: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// The record of step `name`, created as pending when missing.
    pub fn step_mut(&mut self, name: &str, checksum: &str) -> &mut StepRecord {
        let index = match self.steps.iter().position(|s| s.name == name) {
            Some(index) => index,
            None => {
                self.steps.push(StepRecord {
                    name: name.into(),
                    checksum: checksum.into(),
                    state: StepState::Pending,
                    started_at: None,
                    finished_at: None,
                    by: None,
                    detail: None,
                    undo: UndoRecord::default(),
                });
                self.steps.len() - 1
            }
        };
        &mut self.steps[index]
    }

    /// The state of step `name` (`Pending` when it has no record).
    pub fn state(&self, name: &str) -> StepState {
        self.step(name).map_or(StepState::Pending, |s| s.state)
    }
}

/// Reads a plan's journal (`None` when never applied).
pub async fn read(store: &dyn MigrationStore, plan: &str) -> Result<Option<Journal>, MigrateError> {
    match store.get(&keys::migration_journal(plan)).await? {
        None => Ok(None),
        Some(text) => {
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|source| MigrateError::ReadJournal {
                    plan: plan.into(),
                    source,
                })
        }
    }
}

impl Journal {
    /// Writes the journal, fenced by the lease's token: refused (and the run stopped) once
    /// another run has taken the lock.
    pub(super) async fn save(
        &self,
        store: &dyn MigrationStore,
        lease: &Lease,
    ) -> Result<(), MigrateError> {
        let text = serde_json::to_string(self).map_err(|source| MigrateError::WriteJournal {
            plan: self.plan.clone(),
            source,
        })?;
        let written = store
            .set_fenced(
                &keys::migration_journal(&self.plan),
                &text,
                &keys::migration_fence(&self.plan),
                lease.token,
            )
            .await?;
        if !written || lease.is_lost() {
            return Err(MigrateError::LostLock(self.plan.clone()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_are_the_serialized_ones() {
        for state in [
            StepState::Pending,
            StepState::Running,
            StepState::Done,
            StepState::Failed,
            StepState::AwaitingApproval,
            StepState::RolledBack,
        ] {
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::json!(state.as_str())
            );
        }
    }
}
