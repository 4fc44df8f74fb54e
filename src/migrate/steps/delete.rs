//! `delete_subscription` and `delete_topic`: retire a legacy resource. Irreversible: a deleted
//! subscription's backlog is gone, so rollback refuses to cross an applied delete. Something
//! already absent counts as deleted.

use super::{PlanScope, StepError, StepKind, Undo, subscription_exists, topic_exists};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use crate::pubsub::{PubSubError, names};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

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
