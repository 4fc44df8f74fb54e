//! Carries out a [`Plan`]: topics first (dead-letter topics included), then subscriptions, then
//! prune deletes (subscriptions before topics), each phase with bounded parallelism.
//!
//! Every step is idempotent: ALREADY_EXISTS with a spec that matches the layout counts as done,
//! a delete of something already gone counts as done, and transient errors are retried a few
//! times with [`crate::retry`] (a retried create that meets ALREADY_EXISTS is then checked like
//! any other). A failed
//! step does not stop the others; the subscriptions of a topic that could not be created are
//! skipped. The report lists every failure, and running apply again resumes from the live state.

use super::plan::{Action, Kind, Plan, Spec, Step, diff_subscription, diff_topic};
use crate::pubsub::{Admin, PubSubError, names};
use crate::report::{Report, Table};
use crate::retry::{self, Backoff, Verdict};
use futures::StreamExt;
use serde::Serialize;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Default number of Pub/Sub calls in flight.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How a call is retried when its error is transient (UNAVAILABLE, DEADLINE_EXCEEDED, …): three
/// attempts in all, 200 ms and then 400 ms apart.
pub const RETRY: Backoff = Backoff {
    initial: Duration::from_millis(200),
    max: Duration::from_secs(10),
    multiplier: 2.0,
    jitter: false,
    max_attempts: Some(3),
    total: None,
};

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Calls in flight at once (at least 1).
    pub concurrency: usize,
    /// Allow delete-and-create for fields Pub/Sub cannot change in place.
    pub allow_replace: bool,
    /// Cancelled (e.g. on Ctrl-C): no further step starts, and a step waiting to retry stops
    /// with its last error; calls already made finish.
    pub cancel: CancellationToken,
    /// How transient errors are retried.
    pub retry: Backoff,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            allow_replace: false,
            cancel: CancellationToken::new(),
            retry: RETRY,
        }
    }
}

/// Why apply did not start.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(
        "{} need a replace (delete and create, which drops their backlog): {}",
        if .0.len() == 1 { "1 subscription".to_string() } else { format!("{} subscriptions", .0.len()) },
        .0.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    )]
    ReplaceNotAllowed(Vec<String>),
}

/// Told about each finished step (progress bars, log lines). Implementations must not block.
pub trait ApplyProgress: Send + Sync {
    /// Before the first step: how many steps will run.
    fn start(&self, _total: usize) {}
    /// After each step.
    fn finished(&self, _result: &StepResult) {}
}

/// Reports nothing.
pub struct NoProgress;

impl ApplyProgress for NoProgress {}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The call succeeded and the service reports the declared spec.
    Done,
    /// It already existed with the declared spec (ALREADY_EXISTS), or was already gone.
    AlreadyDone,
    Failed,
    /// Not attempted: a topic it needs failed, or apply was interrupted.
    Skipped,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepResult {
    pub kind: Kind,
    pub name: String,
    pub action: Action,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl StepResult {
    fn new(step: &Step, outcome: Outcome, error: Option<String>) -> Self {
        Self {
            kind: step.kind,
            name: step.name.clone(),
            action: step.action,
            outcome,
            error,
        }
    }

    /// Whether the step's work is not done.
    pub fn is_failure(&self) -> bool {
        matches!(self.outcome, Outcome::Failed | Outcome::Skipped)
    }
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ApplySummary {
    pub done: usize,
    pub already_done: usize,
    pub failed: usize,
    pub skipped: usize,
    pub unchanged: usize,
}

/// What apply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    pub project: String,
    pub summary: ApplySummary,
    pub steps: Vec<StepResult>,
    /// Whether it stopped early because it was cancelled.
    pub interrupted: bool,
}

impl ApplyReport {
    /// Steps whose work is not done (failed or skipped).
    pub fn failures(&self) -> impl Iterator<Item = &StepResult> {
        self.steps.iter().filter(|s| s.is_failure())
    }
}

impl Report for ApplyReport {
    fn tables(&self) -> Vec<Table> {
        let s = &self.summary;
        let title = format!(
            "Applied to project `{}`: {} done, {} already done, {} failed, {} skipped, {} unchanged",
            self.project, s.done, s.already_done, s.failed, s.skipped, s.unchanged
        );
        if self.steps.is_empty() {
            return vec![Table::new(Vec::<String>::new()).titled(title)];
        }
        let mut table = Table::new(["action", "kind", "name", "outcome", "error"]).titled(title);
        for step in &self.steps {
            let outcome = match step.outcome {
                Outcome::Done => "done",
                Outcome::AlreadyDone => "already done",
                Outcome::Failed => "FAILED",
                Outcome::Skipped => "SKIPPED",
            };
            table.push([
                step.action.to_string(),
                step.kind.to_string(),
                step.name.clone(),
                outcome.to_string(),
                step.error.clone().unwrap_or_default(),
            ]);
        }
        vec![table]
    }
}

/// Applies `plan` to `admin`. Refuses before any call if the plan needs a replace and
/// `allow_replace` is not set.
pub async fn apply(
    admin: &dyn Admin,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &dyn ApplyProgress,
) -> Result<ApplyReport, ApplyError> {
    let replacements: Vec<String> = plan.replacements().map(|s| s.name.clone()).collect();
    if !replacements.is_empty() && !options.allow_replace {
        return Err(ApplyError::ReplaceNotAllowed(replacements));
    }
    let runnable: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| s.action.changes_something())
        .collect();
    progress.start(runnable.len());
    let executor = Executor {
        admin,
        project: &plan.project,
        options,
        progress,
    };

    let phase = |kind: Kind, deletes: bool| -> Vec<&Step> {
        runnable
            .iter()
            .copied()
            .filter(|s| s.kind == kind && (s.action == Action::Delete) == deletes)
            .collect()
    };
    let none = BTreeSet::new();
    let (mut results, missing_topics) = executor.run(phase(Kind::Topic, false), &none).await;
    for (kind, deletes, missing) in [
        (Kind::Subscription, false, &missing_topics),
        (Kind::Subscription, true, &none),
        (Kind::Topic, true, &none),
    ] {
        results.extend(executor.run(phase(kind, deletes), missing).await.0);
    }

    let mut summary = ApplySummary {
        unchanged: plan
            .steps
            .iter()
            .filter(|s| s.action == Action::Unchanged)
            .count(),
        ..ApplySummary::default()
    };
    for result in &results {
        match result.outcome {
            Outcome::Done => summary.done += 1,
            Outcome::AlreadyDone => summary.already_done += 1,
            Outcome::Failed => summary.failed += 1,
            Outcome::Skipped => summary.skipped += 1,
        }
    }
    Ok(ApplyReport {
        project: plan.project.clone(),
        summary,
        steps: results,
        interrupted: options.cancel.is_cancelled(),
    })
}

struct Executor<'a> {
    admin: &'a dyn Admin,
    project: &'a str,
    options: &'a ApplyOptions,
    progress: &'a dyn ApplyProgress,
}

/// Why a step failed, and whether its resource exists anyway (ALREADY_EXISTS with another
/// spec): the subscriptions of such a topic can still be created.
struct StepError {
    message: String,
    exists: bool,
}

impl From<PubSubError> for StepError {
    fn from(err: PubSubError) -> Self {
        err.to_string().into()
    }
}

impl From<String> for StepError {
    fn from(message: String) -> Self {
        Self {
            message,
            exists: false,
        }
    }
}

impl Executor<'_> {
    /// Runs `steps` with bounded parallelism; results keep the steps' order. Also returns the
    /// names of resources that do not exist after a failed step.
    async fn run(
        &self,
        steps: Vec<&Step>,
        failed_topics: &BTreeSet<String>,
    ) -> (Vec<StepResult>, BTreeSet<String>) {
        let concurrency = self.options.concurrency.max(1);
        let mut results: Vec<(usize, StepResult, bool)> =
            futures::stream::iter(steps.into_iter().enumerate())
                .map(|(index, step)| async move {
                    let (result, exists) = self.run_step(step, failed_topics).await;
                    self.progress.finished(&result);
                    (index, result, exists)
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
        results.sort_by_key(|(index, _, _)| *index);
        let missing = results
            .iter()
            .filter(|(_, r, exists)| r.is_failure() && !exists)
            .map(|(_, r, _)| r.name.clone())
            .collect();
        (results.into_iter().map(|(_, r, _)| r).collect(), missing)
    }

    /// Runs one step; the flag says whether its resource exists afterwards (for failures).
    async fn run_step(&self, step: &Step, failed_topics: &BTreeSet<String>) -> (StepResult, bool) {
        if self.options.cancel.is_cancelled() {
            let result = StepResult::new(step, Outcome::Skipped, Some("interrupted".into()));
            return (result, false);
        }
        if let Some(Spec::Subscription(spec)) = &step.spec {
            let needed =
                std::iter::once(&spec.topic).chain(spec.dead_letter.as_ref().map(|d| &d.topic));
            for topic in needed {
                if failed_topics.contains(topic) {
                    let result = StepResult::new(
                        step,
                        Outcome::Skipped,
                        Some(format!("topic `{topic}` could not be created")),
                    );
                    return (result, false);
                }
            }
        }
        let outcome = match (&step.action, &step.spec) {
            (Action::Create, Some(spec)) => self.create(step, spec).await,
            (Action::Update, Some(spec)) => self.update(step, spec).await,
            (Action::Replace, Some(spec)) => match self.delete(step).await {
                Ok(_) => self.create(step, spec).await,
                Err(err) => Err(err),
            },
            (Action::Delete, _) => self.delete(step).await,
            _ => Err(format!("nothing to do for a `{}` step", step.action).into()),
        };
        match outcome {
            Ok(outcome) => (StepResult::new(step, outcome, None), true),
            Err(error) => (
                StepResult::new(step, Outcome::Failed, Some(error.message)),
                error.exists,
            ),
        }
    }

    fn topic_name(&self, id: &str) -> String {
        names::topic(self.project, id)
    }

    fn subscription_name(&self, id: &str) -> String {
        names::subscription(self.project, id)
    }

    /// Calls `call` until it succeeds, fails for good, runs out of attempts, or apply is
    /// cancelled while it waits to retry; the last error otherwise.
    async fn retry<T, F, Fut>(&self, call: F) -> Result<T, PubSubError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, PubSubError>>,
    {
        let verdict = |err: &PubSubError| {
            if err.kind.is_transient() {
                Verdict::RETRY
            } else {
                Verdict::Fail
            }
        };
        retry::retry(
            &self.options.retry,
            &self.options.cancel,
            |_| call(),
            verdict,
        )
        .await
        .map_err(retry::Stopped::into_error)
    }

    /// Creates the resource; ALREADY_EXISTS is success when the live spec matches.
    async fn create(&self, step: &Step, spec: &Spec) -> Result<Outcome, StepError> {
        let admin = self.admin;
        match spec {
            Spec::Topic(spec) => {
                let config = spec.to_config(self.project, &step.name);
                match self.retry(|| admin.create_topic(&config)).await {
                    Ok(created) => check(step, diff_topic(spec, &created), Outcome::Done),
                    Err(err) if err.is_already_exists() => {
                        let live = self.retry(|| admin.get_topic(&config.name)).await?;
                        already_exists(step, diff_topic(spec, &live))
                    }
                    Err(err) => Err(err.into()),
                }
            }
            Spec::Subscription(spec) => {
                let config = spec.to_config(self.project, &step.name);
                match self.retry(|| admin.create_subscription(&config)).await {
                    Ok(created) => check(
                        step,
                        diff_subscription(spec, &created, self.project),
                        Outcome::Done,
                    ),
                    Err(err) if err.is_already_exists() => {
                        let live = self.retry(|| admin.get_subscription(&config.name)).await?;
                        already_exists(step, diff_subscription(spec, &live, self.project))
                    }
                    Err(err) => Err(err.into()),
                }
            }
        }
    }

    /// Updates the fields the plan found different.
    async fn update(&self, step: &Step, spec: &Spec) -> Result<Outcome, StepError> {
        let mask: Vec<&str> = step
            .changes
            .iter()
            .filter_map(|c| c.update_mask(step.kind))
            .collect();
        let admin = self.admin;
        match spec {
            Spec::Topic(spec) => {
                let config = spec.to_config(self.project, &step.name);
                let updated = self.retry(|| admin.update_topic(&config, &mask)).await?;
                check(step, diff_topic(spec, &updated), Outcome::Done)
            }
            Spec::Subscription(spec) => {
                let config = spec.to_config(self.project, &step.name);
                let updated = self
                    .retry(|| admin.update_subscription(&config, &mask))
                    .await?;
                check(
                    step,
                    diff_subscription(spec, &updated, self.project),
                    Outcome::Done,
                )
            }
        }
    }

    /// Deletes the resource; NOT_FOUND means someone else already did.
    async fn delete(&self, step: &Step) -> Result<Outcome, StepError> {
        let admin = self.admin;
        let result = match step.kind {
            Kind::Topic => {
                let name = self.topic_name(&step.name);
                self.retry(|| admin.delete_topic(&name)).await
            }
            Kind::Subscription => {
                let name = self.subscription_name(&step.name);
                self.retry(|| admin.delete_subscription(&name)).await
            }
        };
        match result {
            Ok(()) => Ok(Outcome::Done),
            Err(err) if err.is_not_found() => Ok(Outcome::AlreadyDone),
            Err(err) => Err(err.into()),
        }
    }
}

fn describe(changes: &[super::plan::FieldChange]) -> String {
    changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// After a create or update: the service must now report the declared spec.
fn check(
    step: &Step,
    remaining: Vec<super::plan::FieldChange>,
    outcome: Outcome,
) -> Result<Outcome, StepError> {
    if remaining.is_empty() {
        Ok(outcome)
    } else {
        Err(StepError {
            message: format!(
                "{} was changed but Pub/Sub reports it still differs: {}",
                step.label(),
                describe(&remaining)
            ),
            exists: true,
        })
    }
}

fn already_exists(
    step: &Step,
    differences: Vec<super::plan::FieldChange>,
) -> Result<Outcome, StepError> {
    if differences.is_empty() {
        Ok(Outcome::AlreadyDone)
    } else {
        Err(StepError {
            message: format!(
                "{} already exists with a different spec ({}); run apply again to reconcile it",
                step.label(),
                describe(&differences)
            ),
            exists: true,
        })
    }
}
