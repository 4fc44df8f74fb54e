//! Applying and rolling back a plan: each step observe → act → verify, with the journal written
//! before and after every side effect (fenced by the lock's token).
//!
//! A step found `running` (its process died) is re-observed: what it recorded as intended before
//! acting (the flag's previous value, the resources it set out to create) is kept, so completed
//! side effects are recognised rather than repeated, and rollback still undoes them.

use super::journal::{FlagBefore, Journal, StepRecord, StepState};
use super::lock::Lease;
use super::parity::{self, ParityOptions};
use super::plan::{MigrationPlan, Step, Undo};
use super::relay::{self, RelayOptions};
use super::store::MigrationStore;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::store::{KeyValueStore, StoreError};
use crate::pubsub::{
    Admin, BoundedPublisher, ErrorKind, MessageSource, PubSubError, SubscriptionConfig, names,
};
use crate::topics::layout::Layout;
use crate::{exit::Failure, keys};
use serde::Serialize;
use std::sync::Arc;

/// Test-only crash points: the process aborts at this boundary, as a SIGKILL would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failpoint {
    pub step: String,
    /// `true`: after the step's side effects, before its `done` record; `false`: after its
    /// `running` record, before any side effect.
    pub after_act: bool,
}

impl Failpoint {
    /// Parses `<step>:before` or `<step>:after`.
    pub fn parse(text: &str) -> Option<Failpoint> {
        let (step, when) = text.rsplit_once(':')?;
        let after_act = match when {
            "before" => false,
            "after" => true,
            _ => return None,
        };
        Some(Failpoint {
            step: step.into(),
            after_act,
        })
    }

    fn hit(&self, step: &str, after_act: bool) {
        if self.step == step && self.after_act == after_act {
            std::process::abort();
        }
    }
}

/// What the steps run against.
pub struct Env<'a> {
    pub project: &'a str,
    pub admin: &'a dyn Admin,
    pub source: &'a dyn MessageSource,
    pub publisher: &'a BoundedPublisher,
    pub store: Arc<dyn MigrationStore>,
    /// For relayed events whose payloads must be parked.
    pub payloads: Option<&'a dyn KeyValueStore>,
    pub claim_check: &'a ClaimCheckConfig,
    pub layout: &'a Layout,
    /// `user@host (pid N)`.
    pub by: String,
    /// Current time, RFC 3339 (injected so journals are testable).
    pub now: &'a (dyn Fn() -> String + Sync),
    /// Checked between steps.
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
    pub failpoint: Option<Failpoint>,
    /// Told about each step as it starts and ends (progress on stderr in the CLI).
    pub progress: &'a (dyn Fn(StepProgress<'_>) + Sync),
}

/// A step starting or ending, for progress reporting.
#[derive(Debug, Clone, Copy)]
pub enum StepProgress<'s> {
    Started {
        step: &'s str,
        kind: &'static str,
    },
    Done {
        step: &'s str,
        detail: Option<&'s str>,
    },
    Failed {
        step: &'s str,
        message: &'s str,
    },
    RolledBack {
        step: &'s str,
    },
}

/// What `apply` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Stop after this step.
    pub to: Option<String>,
    /// Gates to pass.
    pub approve: Vec<String>,
    /// Apply even though already-applied steps changed.
    pub allow_changed: bool,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "step")]
pub enum Ending {
    /// Every step (up to `--to`) is done.
    Complete,
    /// Stopped at a gate that needs `--approve`.
    AwaitingApproval(String),
}

/// One step's line in a report.
#[derive(Debug, Clone, Serialize)]
pub struct StepLine {
    pub name: String,
    pub kind: &'static str,
    pub undo: Undo,
    pub state: StepState,
    /// What this run did with it.
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What an apply or rollback run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub plan: String,
    pub steps: Vec<StepLine>,
    pub ending: Ending,
}

/// Why a run stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "step `{step}` changed since it was applied (journal checksum {journal}, plan checksum {plan}); refusing to apply"
    )]
    ChangedStep {
        step: String,
        journal: String,
        plan: String,
    },
    #[error("step `{0}` is not in the plan")]
    UnknownStep(String),
    #[error("lost the lock on plan `{0}` (another run took it after the lease expired); stopping")]
    LostLock(String),
    #[error("cannot roll back past step `{step}`: it is irreversible ({kind})")]
    Irreversible { step: String, kind: &'static str },
    #[error("step `{step}` failed: {message}")]
    StepFailed { step: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the journal of `{plan}`: {message}")]
    Journal { plan: String, message: String },
}

impl MigrateError {
    /// The documented failure this maps to, if any (partial apply → 4).
    pub fn failure(&self) -> Option<Failure> {
        match self {
            MigrateError::StepFailed { .. } | MigrateError::LostLock(_) => {
                Some(Failure::Partial(self.to_string()))
            }
            _ => None,
        }
    }
}

/// Reads a plan's journal (`None` when never applied).
pub async fn read_journal(
    store: &dyn MigrationStore,
    plan: &str,
) -> Result<Option<Journal>, MigrateError> {
    match store.get(&keys::migration_journal(plan)).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| MigrateError::Journal {
                plan: plan.into(),
                message: e.to_string(),
            }),
    }
}

async fn save(env: &Env<'_>, lease: &Lease, journal: &Journal) -> Result<(), MigrateError> {
    let text = serde_json::to_string(journal).map_err(|e| MigrateError::Journal {
        plan: journal.plan.clone(),
        message: e.to_string(),
    })?;
    let written = env
        .store
        .set_fenced(
            &keys::migration_journal(&journal.plan),
            &text,
            &keys::migration_fence(&journal.plan),
            lease.token,
        )
        .await?;
    if !written || lease.is_lost() {
        return Err(MigrateError::LostLock(journal.plan.clone()));
    }
    Ok(())
}

/// Refuses when a step already applied has a different checksum now.
fn check_unchanged(
    plan: &MigrationPlan,
    journal: &Journal,
    allow: bool,
) -> Result<(), MigrateError> {
    if allow {
        return Ok(());
    }
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

fn line(step: &Step, record: Option<&StepRecord>, action: &'static str) -> StepLine {
    StepLine {
        name: step.name().into(),
        kind: step.kind(),
        undo: step.undo(),
        state: record.map_or(StepState::Pending, |r| r.state),
        action,
        detail: record.and_then(|r| r.detail.clone()),
    }
}

/// Applies pending steps in order. Returns `Err(Interrupted)` wrapped in `MigrateError` never:
/// cancellation ends the run after the current step with [`Failure::Interrupted`] via `Ok`'s
/// caller check — see [`apply`]'s `cancelled` handling.
pub async fn apply(
    plan: &MigrationPlan,
    env: &Env<'_>,
    lease: &Lease,
    options: &ApplyOptions,
) -> Result<RunReport, anyhow::Error> {
    let last = match &options.to {
        Some(to) => plan
            .position(to)
            .ok_or_else(|| MigrateError::UnknownStep(to.clone()))?,
        None => plan.steps.len().saturating_sub(1),
    };
    for gate in &options.approve {
        plan.position(gate)
            .ok_or_else(|| MigrateError::UnknownStep(gate.clone()))?;
    }
    env.store
        .add_member(&keys::migration_plans(), &plan.name)
        .await
        .map_err(MigrateError::from)?;
    let mut journal = read_journal(env.store.as_ref(), &plan.name)
        .await?
        .unwrap_or_else(|| Journal::new(&plan.name, &plan.checksum()));
    check_unchanged(plan, &journal, options.allow_changed)?;

    let mut lines = Vec::new();
    for (index, step) in plan.steps.iter().enumerate() {
        if index > last {
            lines.push(line(step, journal.step(step.name()), "not requested"));
            continue;
        }
        if journal.state(step.name()) == StepState::Done {
            lines.push(line(step, journal.step(step.name()), "already done"));
            continue;
        }
        if (env.cancelled)() {
            save(env, lease, &journal).await?;
            return Err(anyhow::Error::new(Failure::Interrupted).context(format!(
                "interrupted before step `{}` of plan `{}`",
                step.name(),
                plan.name
            )));
        }
        if let Step::Gate(gate) = step
            && !options.approve.iter().any(|a| a == &gate.name)
        {
            let record = journal.step_mut(&gate.name, &step.checksum());
            record.state = StepState::AwaitingApproval;
            record.detail = Some(gate.message.clone());
            save(env, lease, &journal).await?;
            lines.push(line(
                step,
                journal.step(step.name()),
                "waiting for approval",
            ));
            for rest in &plan.steps[index + 1..] {
                lines.push(line(rest, journal.step(rest.name()), "not reached"));
            }
            return Ok(RunReport {
                plan: plan.name.clone(),
                steps: lines,
                ending: Ending::AwaitingApproval(gate.name.clone()),
            });
        }
        run_step(step, env, lease, &mut journal).await?;
        lines.push(line(step, journal.step(step.name()), "applied"));
    }
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending: Ending::Complete,
    })
}

/// Observe, record intent (`running`), act, verify, record `done`.
async fn run_step(
    step: &Step,
    env: &Env<'_>,
    lease: &Lease,
    journal: &mut Journal,
) -> Result<(), MigrateError> {
    let name = step.name().to_string();
    let checksum = step.checksum();
    // Observe: decide what this step will change, keeping intent recorded by a crashed run.
    let mut undo = journal
        .step(&name)
        .map(|r| r.undo.clone())
        .unwrap_or_default();
    observe(step, env, &mut undo)
        .await
        .map_err(|e| fail(&name, e))?;
    {
        let record = journal.step_mut(&name, &checksum);
        record.state = StepState::Running;
        record.checksum = checksum.clone();
        record.started_at = Some((env.now)());
        record.by = Some(env.by.clone());
        record.undo = undo.clone();
    }
    save(env, lease, journal).await?;
    (env.progress)(StepProgress::Started {
        step: &name,
        kind: step.kind(),
    });
    if let Some(fp) = &env.failpoint {
        fp.hit(&name, false);
    }
    let outcome = act(step, env, &undo).await;
    if let Some(fp) = &env.failpoint {
        fp.hit(&name, true);
    }
    let record = journal.step_mut(&name, &checksum);
    record.finished_at = Some((env.now)());
    match outcome {
        Ok(detail) => {
            record.state = StepState::Done;
            record.detail = detail;
            save(env, lease, journal).await?;
            let detail = journal.step(&name).and_then(|r| r.detail.as_deref());
            (env.progress)(StepProgress::Done {
                step: &name,
                detail,
            });
            Ok(())
        }
        Err(message) => {
            record.state = StepState::Failed;
            record.detail = Some(message.clone());
            save(env, lease, journal).await?;
            (env.progress)(StepProgress::Failed {
                step: &name,
                message: &message,
            });
            Err(MigrateError::StepFailed {
                step: name,
                message,
            })
        }
    }
}

fn fail(step: &str, message: String) -> MigrateError {
    MigrateError::StepFailed {
        step: step.into(),
        message,
    }
}

async fn exists_topic(env: &Env<'_>, name: &str) -> Result<bool, String> {
    match env.admin.get_topic(name).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

async fn exists_subscription(env: &Env<'_>, name: &str) -> Result<bool, String> {
    match env.admin.get_subscription(name).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

fn push_unique(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

/// Records what the step intends to change, before it changes anything.
async fn observe(
    step: &Step,
    env: &Env<'_>,
    undo: &mut super::journal::UndoRecord,
) -> Result<(), String> {
    let project = env.project;
    match step {
        Step::EnsureLayout(s) => {
            for id in &s.topics {
                let name = names::topic(project, id);
                if !exists_topic(env, &name).await? {
                    push_unique(&mut undo.created_topics, name);
                }
            }
            for id in &s.subscriptions {
                let name = names::subscription(project, id);
                if !exists_subscription(env, &name).await? {
                    push_unique(&mut undo.created_subscriptions, name);
                }
            }
        }
        Step::CreateShadowSubscriptions(s) => {
            for id in [&s.legacy_subscription, &s.new_subscription] {
                let name = names::subscription(project, id);
                if !exists_subscription(env, &name).await? {
                    push_unique(&mut undo.created_subscriptions, name);
                }
            }
        }
        Step::SetFlag(s) => {
            let flag = s.flag()?;
            // Only the first attempt knows the real previous value.
            if undo.flag.is_none() {
                let key = flag.key();
                let previous = env.store.get(&key).await.map_err(|e| e.to_string())?;
                undo.flag = Some(FlagBefore { key, previous });
            }
        }
        Step::Snapshot(s) => {
            if undo.created_snapshot.is_none() {
                undo.created_snapshot = Some(names::snapshot(
                    project,
                    &format!("{}-{}", s.subscription, s.name),
                ));
            }
        }
        Step::Relay(_)
        | Step::VerifyParity(_)
        | Step::Gate(_)
        | Step::DeleteSubscription(_)
        | Step::DeleteTopic(_) => {}
    }
    Ok(())
}

fn tolerate_exists(result: Result<(), PubSubError>) -> Result<(), String> {
    match result {
        Err(e) if !e.is_already_exists() => Err(e.to_string()),
        _ => Ok(()),
    }
}

/// Performs the step's side effects and verifies them; `Ok` carries a detail line.
async fn act(
    step: &Step,
    env: &Env<'_>,
    undo: &super::journal::UndoRecord,
) -> Result<Option<String>, String> {
    let project = env.project;
    match step {
        Step::EnsureLayout(s) => {
            for id in &s.topics {
                let spec = env
                    .layout
                    .topics
                    .get(id)
                    .ok_or_else(|| format!("topic `{id}` is not in the layout"))?;
                tolerate_exists(
                    env.admin
                        .create_topic(&spec.to_config(project, id))
                        .await
                        .map(|_| ()),
                )?;
            }
            for id in &s.subscriptions {
                let spec = env
                    .layout
                    .subscriptions
                    .get(id)
                    .ok_or_else(|| format!("subscription `{id}` is not in the layout"))?;
                tolerate_exists(
                    env.admin
                        .create_subscription(&spec.to_config(project, id))
                        .await
                        .map(|_| ()),
                )?;
            }
            Ok(Some(format!(
                "{} topics and {} subscriptions present ({} created)",
                s.topics.len(),
                s.subscriptions.len(),
                undo.created_topics.len() + undo.created_subscriptions.len()
            )))
        }
        Step::CreateShadowSubscriptions(s) => {
            for (sub, topic) in [
                (&s.legacy_subscription, &s.legacy_topic),
                (&s.new_subscription, &s.new_topic),
            ] {
                let mut config = SubscriptionConfig::new(
                    names::subscription(project, sub),
                    names::topic(project, topic),
                );
                config.ack_deadline_seconds = 60;
                config
                    .labels
                    .insert("purpose".into(), "migration-parity".into());
                tolerate_exists(env.admin.create_subscription(&config).await.map(|_| ()))?;
            }
            Ok(Some(format!(
                "`{}` on `{}`, `{}` on `{}`",
                s.legacy_subscription, s.legacy_topic, s.new_subscription, s.new_topic
            )))
        }
        Step::SetFlag(s) => {
            let key = s.flag()?.key();
            env.store
                .set(&key, &s.value)
                .await
                .map_err(|e| e.to_string())?;
            let read = env.store.get(&key).await.map_err(|e| e.to_string())?;
            if read.as_deref() != Some(s.value.as_str()) {
                return Err(format!(
                    "flag `{key}` reads back {read:?} after setting `{}`",
                    s.value
                ));
            }
            let previous = undo
                .flag
                .as_ref()
                .and_then(|f| f.previous.clone())
                .unwrap_or_else(|| "(unset)".into());
            Ok(Some(format!("`{key}`: {previous} → {}", s.value)))
        }
        Step::Relay(s) => {
            let options = RelayOptions {
                from: names::subscription(project, &s.from),
                to: names::topic(project, &s.to),
                max_messages: s.max_messages,
                idle_timeout: s.idle_timeout,
            };
            let report = relay::relay(
                &options,
                env.source,
                env.publisher,
                env.payloads,
                env.claim_check,
            )
            .await
            .map_err(|e| e.to_string())?;
            let detail = format!(
                "relayed {} of {} messages ({} upcast, {} undecodable, {} failed)",
                report.published, report.received, report.upcast, report.undecodable, report.failed
            );
            if report.failed > 0 || report.undecodable > 0 {
                return Err(detail);
            }
            Ok(Some(detail))
        }
        Step::VerifyParity(s) => {
            let options = ParityOptions {
                legacy_subscription: names::subscription(project, &s.legacy_subscription),
                new_subscription: names::subscription(project, &s.new_subscription),
                max_messages: s.max_messages,
                idle_timeout: s.idle_timeout,
            };
            // tokio's clock, so a test with paused time sees the wait it asked for.
            let started = tokio::time::Instant::now();
            let report = parity::verify(env.source, &options)
                .await
                .map_err(|e| e.to_string())?;
            if report.legacy_messages < s.min_messages {
                // Name what was watched and for how long, so "no traffic" can be checked
                // against what producers did meanwhile (issue 17).
                return Err(format!(
                    "parity saw {} legacy messages on `{}` in {:.1}s (it stops waiting after {} without a message), fewer than `min_messages` ({}): no proof; publish traffic and apply again",
                    report.legacy_messages,
                    s.legacy_subscription,
                    started.elapsed().as_secs_f64(),
                    crate::duration::format(s.idle_timeout),
                    s.min_messages
                ));
            }
            if report.passed() {
                return Ok(Some(report.summary()));
            }
            let mut missing: Vec<String> = report
                .missing_in_new
                .iter()
                .map(|k| format!("new lacks `{k}`"))
                .collect();
            missing.extend(
                report
                    .missing_in_legacy
                    .iter()
                    .map(|k| format!("legacy lacks `{k}`")),
            );
            missing.extend(
                report
                    .content_mismatch
                    .iter()
                    .map(|k| format!("`{k}` differs in content")),
            );
            Err(format!(
                "parity failed: {}: {}",
                report.summary(),
                missing.join(", ")
            ))
        }
        Step::Gate(_) => Ok(Some("approved".into())),
        Step::Snapshot(s) => {
            let name = undo.created_snapshot.clone().unwrap_or_default();
            match env
                .admin
                .create_snapshot(&name, &names::subscription(project, &s.subscription))
                .await
            {
                Ok(()) => Ok(Some(format!("snapshot `{name}`"))),
                Err(e) if e.is_already_exists() => {
                    Ok(Some(format!("snapshot `{name}` (already there)")))
                }
                Err(e) if e.kind == ErrorKind::Unimplemented => Ok(Some(
                    "skipped: the server does not support snapshots".into(),
                )),
                Err(e) => Err(e.to_string()),
            }
        }
        Step::DeleteSubscription(s) => match env
            .admin
            .delete_subscription(&names::subscription(project, &s.subscription))
            .await
        {
            Ok(()) => Ok(Some(format!("deleted `{}`", s.subscription))),
            Err(e) if e.is_not_found() => Ok(Some(format!("`{}` already absent", s.subscription))),
            Err(e) => Err(e.to_string()),
        },
        Step::DeleteTopic(s) => match env
            .admin
            .delete_topic(&names::topic(project, &s.topic))
            .await
        {
            Ok(()) => Ok(Some(format!("deleted `{}`", s.topic))),
            Err(e) if e.is_not_found() => Ok(Some(format!("`{}` already absent", s.topic))),
            Err(e) => Err(e.to_string()),
        },
    }
}

/// Every step with its journal state and, for steps not yet done, what applying it would change
/// (read from the live system; nothing is changed).
pub async fn preview(plan: &MigrationPlan, env: &Env<'_>) -> Result<RunReport, MigrateError> {
    let journal = read_journal(env.store.as_ref(), &plan.name).await?;
    let mut lines = Vec::new();
    for step in &plan.steps {
        let record = journal.as_ref().and_then(|j| j.step(step.name()));
        let mut line = line(step, record, "would apply");
        if record.is_some_and(|r| r.state == StepState::Done) {
            line.action = "done";
        } else {
            line.detail = Some(
                describe(step, env)
                    .await
                    .unwrap_or_else(|e| format!("cannot observe: {e}")),
            );
        }
        lines.push(line);
    }
    let ending = match journal.as_ref().and_then(|j| {
        j.steps
            .iter()
            .find(|s| s.state == StepState::AwaitingApproval)
    }) {
        Some(gate) => Ending::AwaitingApproval(gate.name.clone()),
        None => Ending::Complete,
    };
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending,
    })
}

/// What applying `step` now would change.
async fn describe(step: &Step, env: &Env<'_>) -> Result<String, String> {
    let project = env.project;
    let mut undo = super::journal::UndoRecord::default();
    observe(step, env, &mut undo).await?;
    let created = |what: &str, names: &[String]| {
        if names.is_empty() {
            format!("all {what} exist")
        } else {
            format!(
                "create {what} {}",
                names
                    .iter()
                    .map(|n| format!("`{}`", names::short(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    Ok(match step {
        Step::EnsureLayout(_) => format!(
            "{}; {}",
            created("topics", &undo.created_topics),
            created("subscriptions", &undo.created_subscriptions)
        ),
        Step::CreateShadowSubscriptions(_) => created("subscriptions", &undo.created_subscriptions),
        Step::SetFlag(s) => {
            let current = undo
                .flag
                .and_then(|f| f.previous)
                .unwrap_or_else(|| "(unset)".into());
            format!("`{}`: {current} → {}", s.flag()?.key(), s.value)
        }
        Step::Relay(s) => format!(
            "relay up to {} messages from `{}` to `{}`",
            s.max_messages, s.from, s.to
        ),
        Step::VerifyParity(s) => format!(
            "compare `{}` with `{}` by idempotency key",
            s.legacy_subscription, s.new_subscription
        ),
        Step::Gate(g) => format!("wait for `--approve {}`: {}", g.name, g.message),
        Step::Snapshot(s) => format!("snapshot `{}`", s.subscription),
        Step::DeleteSubscription(s) => {
            let there =
                exists_subscription(env, &names::subscription(project, &s.subscription)).await?;
            format!(
                "delete `{}` ({}); irreversible",
                s.subscription,
                if there { "exists" } else { "already absent" }
            )
        }
        Step::DeleteTopic(s) => {
            let there = exists_topic(env, &names::topic(project, &s.topic)).await?;
            format!(
                "delete `{}` ({}); irreversible",
                s.topic,
                if there { "exists" } else { "already absent" }
            )
        }
    })
}

impl RunReport {
    /// Whether any step is not done yet.
    pub fn has_pending(&self) -> bool {
        self.steps.iter().any(|s| s.state != StepState::Done)
    }
}

impl crate::report::Report for RunReport {
    fn tables(&self) -> Vec<crate::report::Table> {
        let title = match &self.ending {
            Ending::Complete => format!("plan `{}`", self.plan),
            Ending::AwaitingApproval(gate) => {
                format!("plan `{}`: waiting at gate `{gate}`", self.plan)
            }
        };
        let mut table =
            crate::report::Table::new(["step", "kind", "state", "undo", "this run", "detail"])
                .titled(title);
        for s in &self.steps {
            let undo = match s.undo {
                Undo::Reversible => "reversible",
                Undo::NothingToUndo => "nothing to undo",
                Undo::Irreversible => "IRREVERSIBLE",
            };
            let state = serde_json::to_value(s.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            table.push([
                s.name.clone(),
                s.kind.to_string(),
                state,
                undo.to_string(),
                s.action.to_string(),
                s.detail.clone().unwrap_or_default(),
            ]);
        }
        vec![table]
    }
}

/// Undoes applied steps in reverse order, back to (not including) `to`. Refuses before touching
/// anything when an irreversible step would be crossed.
pub async fn rollback(
    plan: &MigrationPlan,
    env: &Env<'_>,
    lease: &Lease,
    to: Option<&str>,
) -> Result<RunReport, anyhow::Error> {
    let first = match to {
        Some(to) => {
            plan.position(to)
                .ok_or_else(|| MigrateError::UnknownStep(to.into()))?
                + 1
        }
        None => 0,
    };
    let Some(mut journal) = read_journal(env.store.as_ref(), &plan.name).await? else {
        let steps = plan
            .steps
            .iter()
            .map(|s| line(s, None, "nothing to undo"))
            .collect();
        return Ok(RunReport {
            plan: plan.name.clone(),
            steps,
            ending: Ending::Complete,
        });
    };
    let touched = |state: StepState| !matches!(state, StepState::Pending | StepState::RolledBack);
    for step in plan.steps[first..].iter().rev() {
        if touched(journal.state(step.name()))
            && step.undo() == Undo::Irreversible
            && journal.state(step.name()) == StepState::Done
        {
            return Err(MigrateError::Irreversible {
                step: step.name().into(),
                kind: step.kind(),
            }
            .into());
        }
    }
    let mut lines = Vec::new();
    for step in plan.steps[first..].iter().rev() {
        let name = step.name();
        if !touched(journal.state(name)) {
            lines.push(line(step, journal.step(name), "nothing to undo"));
            continue;
        }
        if (env.cancelled)() {
            save(env, lease, &journal).await?;
            return Err(anyhow::Error::new(Failure::Interrupted).context(format!(
                "interrupted before undoing step `{name}` of plan `{}`",
                plan.name
            )));
        }
        let undo = journal
            .step(name)
            .map(|r| r.undo.clone())
            .unwrap_or_default();
        undo_step(env, &undo)
            .await
            .map_err(|message| fail(name, message))?;
        let record = journal.step_mut(name, &step.checksum());
        record.state = StepState::RolledBack;
        record.finished_at = Some((env.now)());
        record.by = Some(env.by.clone());
        save(env, lease, &journal).await?;
        (env.progress)(StepProgress::RolledBack { step: name });
        lines.push(line(step, journal.step(name), "rolled back"));
    }
    lines.reverse();
    Ok(RunReport {
        plan: plan.name.clone(),
        steps: lines,
        ending: Ending::Complete,
    })
}

async fn undo_step(env: &Env<'_>, undo: &super::journal::UndoRecord) -> Result<(), String> {
    if let Some(flag) = &undo.flag {
        let result = match &flag.previous {
            Some(previous) => env.store.set(&flag.key, previous).await,
            None => env.store.delete(&flag.key).await,
        };
        result.map_err(|e| e.to_string())?;
    }
    if let Some(snapshot) = &undo.created_snapshot {
        match env.admin.delete_snapshot(snapshot).await {
            Err(e) if !(e.is_not_found() || e.kind == ErrorKind::Unimplemented) => {
                return Err(e.to_string());
            }
            _ => {}
        }
    }
    for sub in &undo.created_subscriptions {
        match env.admin.delete_subscription(sub).await {
            Err(e) if !e.is_not_found() => return Err(e.to_string()),
            _ => {}
        }
    }
    for topic in &undo.created_topics {
        match env.admin.delete_topic(topic).await {
            Err(e) if !e.is_not_found() => return Err(e.to_string()),
            _ => {}
        }
    }
    Ok(())
}
