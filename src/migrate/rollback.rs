//! Rolling back: undoes applied steps in reverse order from what each recorded before it acted
//! (the flag's previous value, the resources it created, its snapshot). Refuses before touching
//! anything when an applied irreversible step would be crossed.

use super::env::{Env, StepProgress};
use super::error::MigrateError;
use super::journal::{self, StepState, UndoRecord};
use super::lock::Lease;
use super::plan::MigrationPlan;
use super::report::{Ending, RunReport, StepAction, StepLine};
use super::steps::{StepError, Undo};
use crate::pubsub::ErrorKind;

/// Undoes applied steps in reverse order, back to (not including) `to`.
pub async fn rollback(
    plan: &MigrationPlan,
    env: &Env<'_>,
    lease: &Lease,
    to: Option<&str>,
) -> Result<RunReport, MigrateError> {
    let first = match to {
        Some(to) => {
            plan.position(to)
                .ok_or_else(|| MigrateError::UnknownStep(to.into()))?
                + 1
        }
        None => 0,
    };
    let store = env.store.as_ref();
    let Some(mut journal) = journal::read(store, &plan.name).await? else {
        let steps = plan
            .steps
            .iter()
            .map(|s| StepLine::new(s, None, StepAction::NothingToUndo))
            .collect();
        return Ok(RunReport {
            plan: plan.name.clone(),
            steps,
            ending: Ending::Complete,
        });
    };
    let touched = |state: StepState| !matches!(state, StepState::Pending | StepState::RolledBack);
    for step in plan.steps[first..].iter().rev() {
        if step.undo() == Undo::Irreversible && journal.state(step.name()) == StepState::Done {
            return Err(MigrateError::Irreversible {
                step: step.name().into(),
                kind: step.kind(),
            });
        }
    }
    let mut lines = Vec::new();
    for step in plan.steps[first..].iter().rev() {
        let name = step.name();
        if !touched(journal.state(name)) {
            lines.push(StepLine::new(
                step,
                journal.step(name),
                StepAction::NothingToUndo,
            ));
            continue;
        }
        if env.cancel.is_cancelled() {
            journal.save(store, lease).await?;
            return Err(MigrateError::Interrupted {
                plan: plan.name.clone(),
                step: name.into(),
                undoing: true,
            });
        }
        let undo = journal
            .step(name)
            .map(|r| r.undo.clone())
            .unwrap_or_default();
        // A step with nothing to undo may still have recorded what it created (to describe
        // it): `ensure_layout` keeps its resources.
        if step.undo() != Undo::NothingToUndo {
            undo_step(env, &undo)
                .await
                .map_err(|error| MigrateError::StepFailed {
                    step: name.into(),
                    error,
                })?;
        }
        let record = journal.step_mut(name, &step.checksum());
        record.state = StepState::RolledBack;
        record.finished_at = Some((env.now)());
        record.by = Some(env.by.clone());
        journal.save(store, lease).await?;
        (env.progress)(StepProgress::RolledBack { step: name });
        lines.push(StepLine::new(
            step,
            journal.step(name),
            StepAction::RolledBack,
        ));
    }
    lines.reverse();
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending: Ending::Complete,
    })
}

/// Reverses what `undo` recorded; something already gone counts as undone.
async fn undo_step(env: &Env<'_>, undo: &UndoRecord) -> Result<(), StepError> {
    if let Some(flag) = &undo.flag {
        match &flag.previous {
            Some(previous) => env.store.set(&flag.key, previous).await?,
            None => env.store.delete(&flag.key).await?,
        }
    }
    if let Some(snapshot) = &undo.created_snapshot {
        match env.admin.delete_snapshot(snapshot).await {
            Err(e) if !(e.is_not_found() || e.kind == ErrorKind::Unimplemented) => {
                return Err(e.into());
            }
            _ => {}
        }
    }
    for sub in &undo.created_subscriptions {
        match env.admin.delete_subscription(sub).await {
            Err(e) if !e.is_not_found() => return Err(e.into()),
            _ => {}
        }
    }
    for topic in &undo.created_topics {
        match env.admin.delete_topic(topic).await {
            Err(e) if !e.is_not_found() => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}
