//! `create_shadow_subscriptions`: one parity subscription on the legacy topic and one on the new
//! topic, so `verify_parity` can compare what each receives; rollback deletes them.

use super::{
    PlanScope, StepError, StepKind, Undo, created, push_unique, subscription_exists,
    tolerate_exists,
};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use crate::pubsub::{SubscriptionConfig, names};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShadowSubscriptions {
    pub name: String,
    pub legacy_topic: String,
    pub new_topic: String,
    /// Subscription on the legacy topic.
    pub legacy_subscription: String,
    /// Subscription on the new topic.
    pub new_subscription: String,
}

#[async_trait]
impl StepKind for ShadowSubscriptions {
    const KIND: &'static str = "create_shadow_subscriptions";
    const UNDO: Undo = Undo::Reversible;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String> {
        let problems = [
            ("topic", &self.legacy_topic),
            ("topic", &self.new_topic),
            ("subscription", &self.legacy_subscription),
            ("subscription", &self.new_subscription),
        ]
        .into_iter()
        .filter_map(|(kind, id)| PlanScope::id_problem(&self.name, kind, id))
        .collect();
        scope
            .available_subscriptions
            .insert(self.legacy_subscription.clone());
        scope
            .available_subscriptions
            .insert(self.new_subscription.clone());
        problems
    }

    async fn observe(&self, env: &Env<'_>, undo: &mut UndoRecord) -> Result<(), StepError> {
        for id in [&self.legacy_subscription, &self.new_subscription] {
            let name = names::subscription(env.project, id);
            if !subscription_exists(env, &name).await? {
                push_unique(&mut undo.created_subscriptions, name);
            }
        }
        Ok(())
    }

    async fn act(&self, env: &Env<'_>, _undo: &UndoRecord) -> Result<Option<String>, StepError> {
        for (sub, topic) in [
            (&self.legacy_subscription, &self.legacy_topic),
            (&self.new_subscription, &self.new_topic),
        ] {
            let mut config = SubscriptionConfig::new(
                names::subscription(env.project, sub),
                names::topic(env.project, topic),
            );
            config.ack_deadline_seconds = 60;
            config
                .labels
                .insert("purpose".into(), "migration-parity".into());
            tolerate_exists(env.admin.create_subscription(&config).await)?;
        }
        Ok(Some(format!(
            "`{}` on `{}`, `{}` on `{}`",
            self.legacy_subscription, self.legacy_topic, self.new_subscription, self.new_topic
        )))
    }

    async fn describe(&self, _env: &Env<'_>, observed: &UndoRecord) -> Result<String, StepError> {
        Ok(created("subscriptions", &observed.created_subscriptions))
    }
}
