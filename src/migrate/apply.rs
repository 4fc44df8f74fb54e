//! Applying a plan: pending steps in order, each observe → record intent → act → verify →
//! record, with the journal written before and after every side effect (fenced by the lock's
//! token). Stops at a gate that is not approved, and between steps when cancelled.
//!
//! A step found `running` (its process died) is re-observed: what it recorded as intended before
//! acting (the flag's previous value, the resources it set out to create) is kept, so completed
//! side effects are recognised rather than repeated, and rollback still undoes them.

use super::env::{Boundary, Env, StepProgress};
use super::error::MigrateError;
use super::journal::{self, Journal, StepState};
use super::lock::Lease;
use super::plan::MigrationPlan;
use super::report::{Ending, RunReport, StepAction, StepLine};
use super::steps::{Step, StepError, Undo};
use crate::keys;

/// What `apply` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ApplyRequest {
    /// Stop after this step.
    pub to: Option<String>,
    /// Gates to pass.
    pub approve: Vec<String>,
    /// Apply even though already-applied steps changed.
    pub allow_changed: bool,
}

impl ApplyRequest {
    /// The irreversible steps this run would reach, which the operator must confirm: not done
    /// yet, up to `to`, and before the first gate the request does not approve. `preview` is
    /// the plan's [`super::preview`].
    pub fn irreversible_steps(&self, plan: &MigrationPlan, preview: &RunReport) -> Vec<String> {
        let last = self
            .to
            .as_deref()
            .and_then(|to| plan.position(to))
            .unwrap_or(plan.steps.len().saturating_sub(1));
        let mut irreversible = Vec::new();
        for (step, line) in plan.steps.iter().zip(&preview.steps).take(last + 1) {
            if line.state == StepState::Done {
                continue;
            }
            if matches!(step, Step::Gate(_)) && !self.approves(step.name()) {
                break;
            }
            if step.undo() == Undo::Irreversible {
                irreversible.push(step.name().to_string());
            }
        }
        irreversible
    }

    fn approves(&self, gate: &str) -> bool {
        self.approve.iter().any(|a| a == gate)
    }
}

/// Refuses when a step already applied has a different checksum now.
fn check_unchanged(plan: &MigrationPlan, journal: &Journal) -> Result<(), MigrateError> {
    for step in &plan.steps {
        if let Some(record) = journal.step(step.name())
            && record.state != StepState::Pending
            && record.state != StepState::RolledBack
            && record.checksum != step.checksum()
        {
            return Err(MigrateError::ChangedStep {
                step: step.name().into(),
                journal: record.checksum.clone(),
                plan: step.checksum(),
            });
        }
    }
    Ok(())
}

/// Applies pending steps in order, up to `request.to`; stops at an unapproved gate
/// ([`Ending::AwaitingApproval`]), at a failed step ([`MigrateError::StepFailed`]), or when
/// `env.cancel` fires ([`MigrateError::Interrupted`], after saving the journal).
pub async fn apply(
    plan: &MigrationPlan,
    env: &Env<'_>,
    lease: &Lease,
    request: &ApplyRequest,
) -> Result<RunReport, MigrateError> {
    let last = match &request.to {
        Some(to) => plan
            .position(to)
            .ok_or_else(|| MigrateError::UnknownStep(to.clone()))?,
        None => plan.steps.len().saturating_sub(1),
    };
    for gate in &request.approve {
        plan.position(gate)
            .ok_or_else(|| MigrateError::UnknownStep(gate.clone()))?;
    }
    env.store
        .add_member(&keys::migration_plans(), &plan.name)
        .await?;
    let store = env.store.as_ref();
    let mut journal = journal::read(store, &plan.name)
        .await?
        .unwrap_or_else(|| Journal::new(&plan.name, &plan.checksum()));
    if !request.allow_changed {
        check_unchanged(plan, &journal)?;
    }

    let mut lines = Vec::new();
    for (index, step) in plan.steps.iter().enumerate() {
        let record = journal.step(step.name());
        if index > last {
            lines.push(StepLine::new(step, record, StepAction::NotRequested));
            continue;
        }
        if journal.state(step.name()) == StepState::Done {
            lines.push(StepLine::new(step, record, StepAction::AlreadyDone));
            continue;
        }
        if env.cancel.is_cancelled() {
            journal.save(store, lease).await?;
            return Err(MigrateError::Interrupted {
                plan: plan.name.clone(),
                step: step.name().into(),
                undoing: false,
            });
        }
        if let Step::Gate(gate) = step
            && !request.approves(&gate.name)
        {
            let record = journal.step_mut(&gate.name, &step.checksum());
            record.state = StepState::AwaitingApproval;
            record.detail = Some(gate.message.clone());
            journal.save(store, lease).await?;
            let record = journal.step(step.name());
            lines.push(StepLine::new(step, record, StepAction::WaitingForApproval));
            for rest in &plan.steps[index + 1..] {
                let record = journal.step(rest.name());
                lines.push(StepLine::new(rest, record, StepAction::NotReached));
            }
            return Ok(RunReport {
                plan: plan.name.clone(),
                steps: lines,
                ending: Ending::AwaitingApproval(gate.name.clone()),
            });
        }
        match run_step(step, env, lease, &mut journal).await {
            Err(MigrateError::StepFailed {
                step,
                error: StepError::Interrupted { .. },
            }) => {
                return Err(MigrateError::Interrupted {
                    plan: plan.name.clone(),
                    step,
                    undoing: false,
                });
            }
            outcome => outcome?,
        }
        let record = journal.step(step.name());
        lines.push(StepLine::new(step, record, StepAction::Applied));
    }
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending: Ending::Complete,
    })
}

/// Observe, record intent (`running`), act, verify, record `done` (or `failed`).
async fn run_step(
    step: &Step,
    env: &Env<'_>,
    lease: &Lease,
    journal: &mut Journal,
) -> Result<(), MigrateError> {
    let store = env.store.as_ref();
    let name = step.name().to_string();
    let checksum = step.checksum();
    let failed = |error| MigrateError::StepFailed {
        step: name.clone(),
        error,
    };
    // Observe: decide what this step will change, keeping intent recorded by a crashed run.
    let mut undo = journal
        .step(&name)
        .map(|r| r.undo.clone())
        .unwrap_or_default();
    step.observe(env, &mut undo).await.map_err(failed)?;
    {
        let record = journal.step_mut(&name, &checksum);
        record.state = StepState::Running;
        record.checksum = checksum.clone();
        record.started_at = Some((env.now)());
        record.by = Some(env.by.clone());
        record.undo = undo.clone();
    }
    journal.save(store, lease).await?;
    (env.progress)(StepProgress::Started {
        step: &name,
        kind: step.kind(),
    });
    env.crash_point(&name, Boundary::Before);
    let outcome = step.act(env, &undo).await;
    env.crash_point(&name, Boundary::After);
    let record = journal.step_mut(&name, &checksum);
    record.finished_at = Some((env.now)());
    match outcome {
        Ok(detail) => {
            record.state = StepState::Done;
            record.detail = detail;
            journal.save(store, lease).await?;
            let detail = journal.step(&name).and_then(|r| r.detail.as_deref());
            (env.progress)(StepProgress::Done {
                step: &name,
                detail,
            });
            Ok(())
        }
        Err(error) => {
            let message = error.to_string();
            // An interrupted wait changed nothing: the next apply runs the step again.
            record.state = if matches!(error, StepError::Interrupted { .. }) {
                StepState::Pending
            } else {
                StepState::Failed
            };
            record.detail = Some(message.clone());
            journal.save(store, lease).await?;
            // An interrupted step did not fail: the run's interruption says so.
            if !matches!(error, StepError::Interrupted { .. }) {
                (env.progress)(StepProgress::Failed {
                    step: &name,
                    message: &message,
                });
            }
            Err(failed(error))
        }
    }
}
