//! `gate`: the run stops here until someone runs `apply --approve <step>`. The executor handles
//! the stop ([`crate::migrate::apply`]); applying an approved gate records the approval.

use super::{PlanScope, StepError, StepKind, Undo};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub name: String,
    /// What the approver must check.
    pub message: String,
}

#[async_trait]
impl StepKind for Gate {
    const KIND: &'static str = "gate";
    const UNDO: Undo = Undo::NothingToUndo;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _scope: &mut PlanScope<'_>) -> Vec<String> {
        Vec::new()
    }

    async fn act(&self, _env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        Ok(Some("approved".into()))
    }

    async fn describe(&self, _env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        Ok(format!(
            "wait for `--approve {}`: {}",
            self.name, self.message
        ))
    }
}
