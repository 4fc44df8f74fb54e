//! `verify_parity`: drains the two parity subscriptions and compares them by idempotency key and
//! content ([`crate::migrate::parity`]). Fails when a key is missing on either side, when a pair
//! differs, or when too few legacy messages arrived to prove anything.

use super::{PlanScope, StepError, StepKind, Undo};
use crate::migrate::env::Env;
use crate::migrate::parity::{self, ParityOptions};
use crate::migrate::undo::UndoRecord;
use crate::pubsub::names;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyParity {
    pub name: String,
    pub legacy_subscription: String,
    pub new_subscription: String,
    /// Stop after this many messages per side.
    #[serde(default = "default_max_messages")]
    pub max_messages: usize,
    /// Stop a side once nothing arrives for this long.
    #[serde(default = "default_idle", with = "crate::duration")]
    pub idle_timeout: Duration,
    /// Fewer keys than this found on both sides proves nothing: the step fails. Keys outside
    /// the window (on one side only, and excused) do not count.
    #[serde(default = "default_min_messages")]
    pub min_messages: usize,
}

fn default_max_messages() -> usize {
    10_000
}

fn default_min_messages() -> usize {
    1
}

/// How long `relay` and `verify_parity` wait for another message before they stop.
pub(super) fn default_idle() -> Duration {
    Duration::from_secs(5)
}

#[async_trait]
impl StepKind for VerifyParity {
    const KIND: &'static str = "verify_parity";
    const UNDO: Undo = Undo::NothingToUndo;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String> {
        let name = &self.name;
        let mut problems: Vec<String> = [&self.legacy_subscription, &self.new_subscription]
            .into_iter()
            .filter_map(|sub| scope.unavailable(name, sub))
            .collect();
        if self.max_messages == 0 {
            problems.push(format!("step `{name}`: `max_messages` must be at least 1"));
        }
        problems
    }

    async fn act(&self, env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let options = ParityOptions {
            legacy_subscription: names::subscription(env.project, &self.legacy_subscription),
            new_subscription: names::subscription(env.project, &self.new_subscription),
            max_messages: self.max_messages,
            idle_timeout: self.idle_timeout,
            until: Some(std::time::SystemTime::now()),
        };
        // tokio's clock, so a test with paused time sees the wait it asked for.
        let started = tokio::time::Instant::now();
        let report = parity::verify(env.source, &options).await?;
        // A missing key says more than "too few keys": it goes first.
        if !report.passed() {
            return Err(StepError::ParityFailed {
                report: Box::new(report),
            });
        }
        if report.compared < self.min_messages {
            // Name what was watched and for how long, so "no traffic" can be checked against
            // what producers did meanwhile (issue 17).
            return Err(StepError::ParityWithoutTraffic {
                compared: report.compared,
                legacy_messages: report.legacy_messages,
                subscription: self.legacy_subscription.clone(),
                waited: started.elapsed(),
                idle_timeout: self.idle_timeout,
                min_messages: self.min_messages,
            });
        }
        Ok(Some(report.summary()))
    }

    async fn describe(&self, _env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        Ok(format!(
            "compare `{}` with `{}` by idempotency key",
            self.legacy_subscription, self.new_subscription
        ))
    }
}
