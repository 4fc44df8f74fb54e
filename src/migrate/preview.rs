//! `migrate plan`: every step with its journal state and, for steps not done yet, what applying
//! it would change, read from the live system. Nothing is changed.

use super::env::Env;
use super::error::MigrateError;
use super::journal::{self, StepState};
use super::plan::MigrationPlan;
use super::report::{Ending, RunReport, StepAction, StepLine};

/// Previews `plan` against the live system.
pub async fn preview(plan: &MigrationPlan, env: &Env<'_>) -> Result<RunReport, MigrateError> {
    let journal = journal::read(env.store.as_ref(), &plan.name).await?;
    let mut lines = Vec::new();
    for step in &plan.steps {
        let record = journal.as_ref().and_then(|j| j.step(step.name()));
        let line = if record.is_some_and(|r| r.state == StepState::Done) {
            StepLine::new(step, record, StepAction::Done)
        } else {
            let mut line = StepLine::new(step, record, StepAction::WouldApply);
            line.detail = Some(
                step.describe(env)
                    .await
                    .unwrap_or_else(|e| format!("cannot observe: {e}")),
            );
            line
        };
        lines.push(line);
    }
    let waiting = journal.as_ref().and_then(|j| {
        j.steps
            .iter()
            .find(|s| s.state == StepState::AwaitingApproval)
    });
    let ending = match waiting {
        Some(gate) => Ending::AwaitingApproval(gate.name.clone()),
        None => Ending::Complete,
    };
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending,
    })
}
