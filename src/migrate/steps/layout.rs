//! `ensure_layout`: creates (or repairs) named topics and subscriptions as the layout declares
//! them. Rollback keeps them: they are declared in the layout (so `topics verify` wants them),
//! and a subscription's backlog holds the dual-published copies a later re-apply reads. Deleting
//! it lost events in `migrate drill`: a message leased by a crashed loader comes back to the
//! legacy subscription only after its lease, and after a quick rollback and re-apply the readers
//! had moved to a new subscription created after that message was published.

use super::{
    PlanScope, StepError, StepKind, Undo, created, push_unique, subscription_exists,
    tolerate_exists, topic_exists,
};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use crate::pubsub::names;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnsureLayout {
    pub name: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub subscriptions: Vec<String>,
}

#[async_trait]
impl StepKind for EnsureLayout {
    const KIND: &'static str = "ensure_layout";
    const UNDO: Undo = Undo::NothingToUndo;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String> {
        let name = &self.name;
        let mut problems = Vec::new();
        if self.topics.is_empty() && self.subscriptions.is_empty() {
            problems.push(format!("step `{name}`: names no topics or subscriptions"));
        }
        for topic in &self.topics {
            if !scope.declared_topics.contains(topic) {
                problems.push(format!(
                    "step `{name}`: topic `{topic}` is not declared in the layout"
                ));
            }
        }
        for sub in &self.subscriptions {
            if !scope.declared_subscriptions.contains(sub) {
                problems.push(format!(
                    "step `{name}`: subscription `{sub}` is not declared in the layout"
                ));
            }
        }
        problems
    }

    async fn observe(&self, env: &Env<'_>, undo: &mut UndoRecord) -> Result<(), StepError> {
        for id in &self.topics {
            let name = names::topic(env.project, id);
            if !topic_exists(env, &name).await? {
                push_unique(&mut undo.created_topics, name);
            }
        }
        for id in &self.subscriptions {
            let name = names::subscription(env.project, id);
            if !subscription_exists(env, &name).await? {
                push_unique(&mut undo.created_subscriptions, name);
            }
        }
        Ok(())
    }

    async fn act(&self, env: &Env<'_>, undo: &UndoRecord) -> Result<Option<String>, StepError> {
        for id in &self.topics {
            let spec = env
                .layout
                .topics
                .get(id)
                .ok_or_else(|| StepError::NotInLayout {
                    kind: "topic",
                    id: id.clone(),
                })?;
            tolerate_exists(
                env.admin
                    .create_topic(&spec.to_config(env.project, id))
                    .await,
            )?;
        }
        for id in &self.subscriptions {
            let spec = env
                .layout
                .subscriptions
                .get(id)
                .ok_or_else(|| StepError::NotInLayout {
                    kind: "subscription",
                    id: id.clone(),
                })?;
            tolerate_exists(
                env.admin
                    .create_subscription(&spec.to_config(env.project, id))
                    .await,
            )?;
        }
        Ok(Some(format!(
            "{} topics and {} subscriptions present ({} created)",
            self.topics.len(),
            self.subscriptions.len(),
            undo.created_topics.len() + undo.created_subscriptions.len()
        )))
    }

    async fn describe(&self, _env: &Env<'_>, observed: &UndoRecord) -> Result<String, StepError> {
        Ok(format!(
            "{}; {}",
            created("topics", &observed.created_topics),
            created("subscriptions", &observed.created_subscriptions)
        ))
    }
}
