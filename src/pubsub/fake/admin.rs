//! The fake's topics, subscriptions and snapshots, with the service's ALREADY_EXISTS and
//! NOT_FOUND rules.

use super::*;

#[async_trait]
impl Admin for FakePubSub {
    async fn create_topic(&self, topic: &TopicConfig) -> Result<TopicConfig> {
        const OP: &str = "create topic";
        self.check(OP, &topic.name)?;
        names::validate_id(names::last_segment(&topic.name)).map_err(|m| {
            PubSubError::new(OP, &topic.name, ErrorKind::InvalidArgument, m.to_string())
        })?;
        let mut state = self.state();
        if state.topics.contains_key(&topic.name) {
            return Err(already_exists(OP, &topic.name, "Topic"));
        }
        state.topics.insert(topic.name.clone(), topic.clone());
        Ok(topic.clone())
    }

    async fn get_topic(&self, name: &str) -> Result<TopicConfig> {
        const OP: &str = "get topic";
        self.check(OP, name)?;
        self.state()
            .topics
            .get(name)
            .cloned()
            .ok_or_else(|| not_found(OP, name, "Topic"))
    }

    async fn list_topics(&self, project: &str) -> Result<Vec<TopicConfig>> {
        self.check("list topics", project)?;
        let state = self.state();
        Ok(state
            .topics
            .values()
            .filter(|t| in_project(&t.name, project))
            .cloned()
            .collect())
    }

    async fn update_topic(&self, topic: &TopicConfig, update_mask: &[&str]) -> Result<TopicConfig> {
        const OP: &str = "update topic";
        self.check(OP, &topic.name)?;
        let mut state = self.state();
        let live = state
            .topics
            .get_mut(&topic.name)
            .ok_or_else(|| not_found(OP, &topic.name, "Topic"))?;
        for field in update_mask {
            match *field {
                "labels" => live.labels = topic.labels.clone(),
                "message_retention_duration" => live.message_retention = topic.message_retention,
                other => {
                    return Err(PubSubError::new(
                        OP,
                        &topic.name,
                        ErrorKind::InvalidArgument,
                        format!("invalid update_mask path `{other}`"),
                    ));
                }
            }
        }
        Ok(live.clone())
    }

    async fn delete_topic(&self, name: &str) -> Result<()> {
        const OP: &str = "delete topic";
        self.check(OP, name)?;
        let mut state = self.state();
        state
            .topics
            .remove(name)
            .ok_or_else(|| not_found(OP, name, "Topic"))?;
        for sub in state.subscriptions.values_mut().filter(|s| s.topic == name) {
            sub.topic = "_deleted-topic_".into();
        }
        Ok(())
    }

    async fn list_topic_subscriptions(&self, topic: &str) -> Result<Vec<String>> {
        const OP: &str = "list topic subscriptions";
        self.check(OP, topic)?;
        let state = self.state();
        if !state.topics.contains_key(topic) {
            return Err(not_found(OP, topic, "Topic"));
        }
        Ok(state
            .subscriptions
            .values()
            .filter(|s| s.topic == topic)
            .map(|s| s.name.clone())
            .collect())
    }

    async fn create_subscription(
        &self,
        subscription: &SubscriptionConfig,
    ) -> Result<SubscriptionConfig> {
        const OP: &str = "create subscription";
        let name = &subscription.name;
        self.check(OP, name)?;
        names::validate_id(names::last_segment(name))
            .map_err(|m| PubSubError::new(OP, name, ErrorKind::InvalidArgument, m.to_string()))?;
        if !(10..=600).contains(&subscription.ack_deadline_seconds) {
            return Err(PubSubError::new(
                OP,
                name,
                ErrorKind::InvalidArgument,
                format!(
                    "invalid ack deadline {}s (10–600)",
                    subscription.ack_deadline_seconds
                ),
            ));
        }
        let mut state = self.state();
        if state.subscriptions.contains_key(name) {
            return Err(already_exists(OP, name, "Subscription"));
        }
        if !state.topics.contains_key(&subscription.topic) {
            return Err(not_found(OP, &subscription.topic, "Topic"));
        }
        if let Some(dl) = &subscription.dead_letter_policy
            && !state.topics.contains_key(&dl.topic)
        {
            return Err(not_found(OP, &dl.topic, "Dead-letter topic"));
        }
        state
            .subscriptions
            .insert(name.clone(), subscription.clone());
        state.queues.entry(name.clone()).or_default();
        Ok(subscription.clone())
    }

    async fn get_subscription(&self, name: &str) -> Result<SubscriptionConfig> {
        const OP: &str = "get subscription";
        self.check(OP, name)?;
        self.state()
            .subscriptions
            .get(name)
            .cloned()
            .ok_or_else(|| not_found(OP, name, "Subscription"))
    }

    async fn list_subscriptions(&self, project: &str) -> Result<Vec<SubscriptionConfig>> {
        self.check("list subscriptions", project)?;
        let state = self.state();
        Ok(state
            .subscriptions
            .values()
            .filter(|s| in_project(&s.name, project))
            .cloned()
            .collect())
    }

    async fn update_subscription(
        &self,
        subscription: &SubscriptionConfig,
        update_mask: &[&str],
    ) -> Result<SubscriptionConfig> {
        const OP: &str = "update subscription";
        let name = &subscription.name;
        self.check(OP, name)?;
        let mut state = self.state();
        let live = state
            .subscriptions
            .get_mut(name)
            .ok_or_else(|| not_found(OP, name, "Subscription"))?;
        for field in update_mask {
            match *field {
                "ack_deadline_seconds" => {
                    live.ack_deadline_seconds = subscription.ack_deadline_seconds
                }
                "retain_acked_messages" => {
                    live.retain_acked_messages = subscription.retain_acked_messages
                }
                "message_retention_duration" => {
                    live.message_retention = subscription.message_retention
                }
                "labels" => live.labels = subscription.labels.clone(),
                "expiration_policy" => {
                    live.expiration_policy = subscription.expiration_policy.clone()
                }
                "dead_letter_policy" => {
                    live.dead_letter_policy = subscription.dead_letter_policy.clone()
                }
                "retry_policy" => live.retry_policy = subscription.retry_policy.clone(),
                "enable_exactly_once_delivery" => {
                    live.enable_exactly_once_delivery = subscription.enable_exactly_once_delivery
                }
                other => {
                    return Err(PubSubError::new(
                        OP,
                        name,
                        ErrorKind::InvalidArgument,
                        format!("invalid update_mask path `{other}`"),
                    ));
                }
            }
        }
        Ok(live.clone())
    }

    async fn delete_subscription(&self, name: &str) -> Result<()> {
        const OP: &str = "delete subscription";
        self.check(OP, name)?;
        let mut state = self.state();
        state
            .subscriptions
            .remove(name)
            .ok_or_else(|| not_found(OP, name, "Subscription"))?;
        state.queues.remove(name);
        drop(state);
        self.shared.delivered.notify_waiters();
        Ok(())
    }

    async fn create_snapshot(&self, name: &str, subscription: &str) -> Result<()> {
        const OP: &str = "create snapshot";
        self.check(OP, name)?;
        let mut state = self.state();
        if !state.subscriptions.contains_key(subscription) {
            return Err(not_found(OP, subscription, "Subscription"));
        }
        if state.snapshots.contains_key(name) {
            return Err(already_exists(OP, name, "Snapshot"));
        }
        state
            .snapshots
            .insert(name.to_string(), subscription.to_string());
        Ok(())
    }

    async fn delete_snapshot(&self, name: &str) -> Result<()> {
        const OP: &str = "delete snapshot";
        self.check(OP, name)?;
        self.state()
            .snapshots
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| not_found(OP, name, "Snapshot"))
    }

    async fn seek_to_time(
        &self,
        subscription: &str,
        _time: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        // The in-memory fake keeps no acknowledged or topic-retained messages to replay.
        Err(PubSubError::new(
            "seek",
            subscription,
            ErrorKind::Unimplemented,
            "the in-memory fake does not seek",
        ))
    }
}
