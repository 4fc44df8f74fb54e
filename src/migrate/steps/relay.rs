//! `relay`: forwards messages from a (legacy) subscription to a topic, upcasting legacy events,
//! for producers that cannot dual-publish yet. Nothing to undo: the copies carry the same
//! idempotency keys, so consumers dedupe them.

use super::{PlanScope, StepError, StepKind, Undo};
use crate::migrate::env::Env;
use crate::migrate::relay::{self, RelayOptions};
use crate::migrate::undo::UndoRecord;
use crate::pubsub::names;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relay {
    pub name: String,
    /// Subscription to drain.
    pub from: String,
    /// Topic to publish to.
    pub to: String,
    #[serde(default = "default_max_messages")]
    pub max_messages: usize,
    #[serde(default = "super::parity::default_idle", with = "crate::duration")]
    pub idle_timeout: Duration,
}

fn default_max_messages() -> usize {
    100_000
}

#[async_trait]
impl StepKind for Relay {
    const KIND: &'static str = "relay";
    const UNDO: Undo = Undo::NothingToUndo;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String> {
        let name = &self.name;
        let mut problems: Vec<String> = PlanScope::id_problem(name, "topic", &self.to)
            .into_iter()
            .collect();
        problems.extend(scope.unavailable(name, &self.from));
        if self.max_messages == 0 {
            problems.push(format!("step `{name}`: `max_messages` must be at least 1"));
        }
        problems
    }

    async fn act(&self, env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let options = RelayOptions {
            from: names::subscription(env.project, &self.from),
            to: names::topic(env.project, &self.to),
            max_messages: self.max_messages,
            idle_timeout: self.idle_timeout,
        };
        let report = relay::relay(
            &options,
            env.source,
            env.publisher,
            env.payloads,
            env.claim_check,
        )
        .await?;
        if report.not_relayed() > 0 {
            return Err(StepError::RelayIncomplete { report });
        }
        Ok(Some(report.summary()))
    }

    async fn describe(&self, _env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        Ok(format!(
            "relay up to {} messages from `{}` to `{}`",
            self.max_messages, self.from, self.to
        ))
    }
}
