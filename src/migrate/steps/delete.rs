//! `delete_subscription` and `delete_topic`: retire a legacy resource. Irreversible: a deleted
//! subscription's backlog is gone, so rollback refuses to cross an applied delete. Something
//! already absent counts as deleted.
//!
//! A subscription is deleted only once no consumer reads it: the readers' heartbeats
//! ([`crate::migrate::readers`]) must stop listing it open (a consumer follows the read flag at
//! its next refresh; a stopped one drops out when its heartbeat expires). The step waits up to
//! [`READERS_WAIT`] for that, then fails naming the readers.

use super::{PlanScope, StepError, StepKind, Undo, subscription_exists, topic_exists};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use crate::pubsub::{PubSubError, names};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long `delete_subscription` waits for the consumers that still read the subscription.
pub const READERS_WAIT: Duration = Duration::from_secs(30);

/// The consumer processes of `env.project` whose last heartbeat lists `subscription` open.
async fn readers_of(env: &Env<'_>, subscription: &str) -> Result<Vec<String>, StepError> {
    let Some(store) = env.payloads else {
        return Ok(Vec::new());
    };
    Ok(crate::migrate::readers::beats(store)
        .await?
        .into_iter()
        .filter(|b| b.project == env.project && b.subscriptions.iter().any(|s| s == subscription))
        .map(|b| format!("{} ({})", b.consumer, b.instance))
        .collect())
}

/// Waits until nothing reads `subscription`, or fails after [`READERS_WAIT`].
async fn wait_for_readers(env: &Env<'_>, subscription: &str) -> Result<(), StepError> {
    let deadline = tokio::time::Instant::now() + READERS_WAIT;
    loop {
        let readers = readers_of(env, subscription).await?;
        if readers.is_empty() {
            return Ok(());
        }
        if env.cancel.is_cancelled() {
            return Err(StepError::Interrupted {
                waiting: format!(
                    "waiting for {} to stop reading `{subscription}`",
                    readers.join(", ")
                ),
            });
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(StepError::StillRead {
                subscription: subscription.to_string(),
                readers,
            });
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = env.cancel.cancelled() => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteSubscription {
    pub name: String,
    pub subscription: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteTopic {
    pub name: String,
    pub topic: String,
}

/// The detail of a delete: done, or found already done.
fn deleted(id: &str, result: Result<(), PubSubError>) -> Result<Option<String>, StepError> {
    match result {
        Ok(()) => Ok(Some(format!("deleted `{id}`"))),
        Err(e) if e.is_not_found() => Ok(Some(format!("`{id}` already absent"))),
        Err(e) => Err(e.into()),
    }
}

/// What `migrate plan` says about a delete.
fn would_delete(id: &str, exists: bool) -> String {
    format!(
        "delete `{id}` ({}); irreversible",
        if exists { "exists" } else { "already absent" }
    )
}

#[async_trait]
impl StepKind for DeleteSubscription {
    const KIND: &'static str = "delete_subscription";
    const UNDO: Undo = Undo::Irreversible;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _scope: &mut PlanScope<'_>) -> Vec<String> {
        PlanScope::id_problem(&self.name, "subscription", &self.subscription)
            .into_iter()
            .collect()
    }

    async fn act(&self, env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let name = names::subscription(env.project, &self.subscription);
        wait_for_readers(env, &self.subscription).await?;
        deleted(
            &self.subscription,
            env.admin.delete_subscription(&name).await,
        )
    }

    async fn describe(&self, env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        let name = names::subscription(env.project, &self.subscription);
        let exists = subscription_exists(env, &name).await?;
        Ok(would_delete(&self.subscription, exists))
    }
}

#[async_trait]
impl StepKind for DeleteTopic {
    const KIND: &'static str = "delete_topic";
    const UNDO: Undo = Undo::Irreversible;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _scope: &mut PlanScope<'_>) -> Vec<String> {
        PlanScope::id_problem(&self.name, "topic", &self.topic)
            .into_iter()
            .collect()
    }

    async fn act(&self, env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let name = names::topic(env.project, &self.topic);
        deleted(&self.topic, env.admin.delete_topic(&name).await)
    }

    async fn describe(&self, env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        let exists = topic_exists(env, &names::topic(env.project, &self.topic)).await?;
        Ok(would_delete(&self.topic, exists))
    }
}
