//! What a `migrate plan`, `apply` or `rollback` run reports: one line per step.

use super::journal::{StepRecord, StepState};
use super::steps::{Step, Undo};
use crate::report::{Report, Table};
use serde::Serialize;
use std::fmt;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "step")]
pub enum Ending {
    /// Every step (up to `--to`) is done.
    Complete,
    /// Stopped at a gate that needs `--approve`.
    AwaitingApproval(String),
}

/// What a run did with a step (the report's "this run" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepAction {
    /// After `--to`.
    #[serde(rename = "not requested")]
    NotRequested,
    #[serde(rename = "already done")]
    AlreadyDone,
    /// The gate this run stopped at.
    #[serde(rename = "waiting for approval")]
    WaitingForApproval,
    /// After the gate this run stopped at.
    #[serde(rename = "not reached")]
    NotReached,
    #[serde(rename = "applied")]
    Applied,
    /// `migrate plan`: not done yet.
    #[serde(rename = "would apply")]
    WouldApply,
    /// `migrate plan`: done.
    #[serde(rename = "done")]
    Done,
    /// Rollback: never applied, or already rolled back.
    #[serde(rename = "nothing to undo")]
    NothingToUndo,
    #[serde(rename = "rolled back")]
    RolledBack,
}

impl StepAction {
    pub fn as_str(self) -> &'static str {
        match self {
            StepAction::NotRequested => "not requested",
            StepAction::AlreadyDone => "already done",
            StepAction::WaitingForApproval => "waiting for approval",
            StepAction::NotReached => "not reached",
            StepAction::Applied => "applied",
            StepAction::WouldApply => "would apply",
            StepAction::Done => "done",
            StepAction::NothingToUndo => "nothing to undo",
            StepAction::RolledBack => "rolled back",
        }
    }
}

impl fmt::Display for StepAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step's line in a report.
#[derive(Debug, Clone, Serialize)]
pub struct StepLine {
    pub name: String,
    pub kind: &'static str,
    pub undo: Undo,
    pub state: StepState,
    /// What this run did with it.
    pub action: StepAction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl StepLine {
    /// The line of `step` whose journal record is `record`.
    pub(super) fn new(step: &Step, record: Option<&StepRecord>, action: StepAction) -> StepLine {
        StepLine {
            name: step.name().into(),
            kind: step.kind(),
            undo: step.undo(),
            state: record.map_or(StepState::Pending, |r| r.state),
            action,
            detail: record.and_then(|r| r.detail.clone()),
        }
    }
}

/// What a preview, apply or rollback run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub plan: String,
    pub steps: Vec<StepLine>,
    pub ending: Ending,
}

impl RunReport {
    /// Whether any step is not done yet.
    pub fn has_pending(&self) -> bool {
        self.steps.iter().any(|s| s.state != StepState::Done)
    }
}

impl Report for RunReport {
    fn tables(&self) -> Vec<Table> {
        let title = match &self.ending {
            Ending::Complete => format!("plan `{}`", self.plan),
            Ending::AwaitingApproval(gate) => {
                format!("plan `{}`: waiting at gate `{gate}`", self.plan)
            }
        };
        let mut table =
            Table::new(["step", "kind", "state", "undo", "this run", "detail"]).titled(title);
        for s in &self.steps {
            let undo = match s.undo {
                Undo::Reversible => "reversible",
                Undo::NothingToUndo => "nothing to undo",
                Undo::Irreversible => "IRREVERSIBLE",
            };
            table.push([
                s.name.clone(),
                s.kind.to_string(),
                s.state.as_str().to_string(),
                undo.to_string(),
                s.action.to_string(),
                s.detail.clone().unwrap_or_default(),
            ]);
        }
        vec![table]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_the_same_in_tables_and_json() {
        for action in [
            StepAction::NotRequested,
            StepAction::AlreadyDone,
            StepAction::WaitingForApproval,
            StepAction::NotReached,
            StepAction::Applied,
            StepAction::WouldApply,
            StepAction::Done,
            StepAction::NothingToUndo,
            StepAction::RolledBack,
        ] {
            assert_eq!(
                serde_json::to_value(action).unwrap(),
                serde_json::json!(action.to_string())
            );
        }
    }
}
