//! An in-memory Pub/Sub for unit tests: topics, subscriptions, fan-out delivery, redelivery of
//! unacknowledged messages, and injected failures.
//!
//! It enforces the rules officectl's planners depend on (ALREADY_EXISTS, NOT_FOUND for a missing
//! topic, ack-deadline bounds) and ignores the rest (filters and ordering are not applied).

use super::{
    Acker, Admin, Delivery, ErrorKind, MessageSource, MessageStream, OutgoingMessage,
    PendingPublish, PubSubError, PublishTransport, ReceivedMessage, Result, SubscriptionConfig,
    TopicConfig, names,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, watch};

/// The fake service. Clones share state.
#[derive(Clone)]
pub struct FakePubSub {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    delivered: Notify,
    hold: watch::Sender<bool>,
}

#[derive(Default)]
struct State {
    topics: BTreeMap<String, TopicConfig>,
    subscriptions: BTreeMap<String, SubscriptionConfig>,
    queues: HashMap<String, VecDeque<ReceivedMessage>>,
    published: HashMap<String, usize>,
    snapshots: BTreeMap<String, String>,
    next_id: u64,
    failures: Vec<Injected>,
}

struct Injected {
    operation: String,
    kind: ErrorKind,
    remaining: usize,
}

impl Default for FakePubSub {
    fn default() -> Self {
        Self::new()
    }
}

impl FakePubSub {
    /// An empty service.
    pub fn new() -> Self {
        let (hold, _) = watch::channel(false);
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                delivered: Notify::new(),
                hold,
            }),
        }
    }

    /// Makes the next `times` calls of `operation` (as named in errors, e.g. `create topic`,
    /// `publish`) fail with `kind`.
    pub fn fail_next(&self, operation: &str, kind: ErrorKind, times: usize) {
        self.state().failures.push(Injected {
            operation: operation.into(),
            kind,
            remaining: times,
        });
    }

    /// While `true`, publishes are accepted but not completed (to observe in-flight bounds).
    pub fn hold_publishes(&self, hold: bool) {
        self.shared.hold.send_replace(hold);
    }

    /// Messages published to `topic` so far.
    pub fn published_count(&self, topic: &str) -> usize {
        self.state().published.get(topic).copied().unwrap_or(0)
    }

    /// Names of existing snapshots.
    pub fn snapshots(&self) -> Vec<String> {
        self.state().snapshots.keys().cloned().collect()
    }

    /// Messages waiting (not yet delivered) on `subscription`.
    pub fn backlog(&self, subscription: &str) -> usize {
        self.state()
            .queues
            .get(subscription)
            .map_or(0, VecDeque::len)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock only happens in a failing test; keep going with the data.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check(&self, operation: &'static str, resource: &str) -> Result<()> {
        let mut state = self.state();
        if let Some(injected) = state
            .failures
            .iter_mut()
            .find(|f| f.operation == operation && f.remaining > 0)
        {
            injected.remaining -= 1;
            let kind = injected.kind;
            return Err(PubSubError::new(
                operation,
                resource,
                kind,
                "injected failure",
            ));
        }
        Ok(())
    }

    fn deliver(&self, topic: &str, message: OutgoingMessage) -> Result<String> {
        let mut state = self.state();
        if !state.topics.contains_key(topic) {
            return Err(PubSubError::new(
                "publish",
                topic,
                ErrorKind::NotFound,
                "Topic not found",
            ));
        }
        state.next_id += 1;
        let id = state.next_id.to_string();
        *state.published.entry(topic.to_string()).or_default() += 1;
        let targets: Vec<String> = state
            .subscriptions
            .values()
            .filter(|s| s.topic == topic && !s.detached)
            .map(|s| s.name.clone())
            .collect();
        for name in targets {
            let received = ReceivedMessage {
                id: id.clone(),
                data: message.data.clone(),
                attributes: message.attributes.clone(),
                ordering_key: message.ordering_key.clone().unwrap_or_default(),
                delivery_attempt: None,
            };
            state.queues.entry(name).or_default().push_back(received);
        }
        drop(state);
        self.shared.delivered.notify_waiters();
        Ok(id)
    }
}

fn not_found(operation: &'static str, name: &str, what: &str) -> PubSubError {
    PubSubError::new(
        operation,
        name,
        ErrorKind::NotFound,
        format!("{what} not found"),
    )
}

fn already_exists(operation: &'static str, name: &str, what: &str) -> PubSubError {
    PubSubError::new(
        operation,
        name,
        ErrorKind::AlreadyExists,
        format!("{what} already exists"),
    )
}

fn in_project(name: &str, project: &str) -> bool {
    names::project_of(name) == Some(project)
}

#[async_trait]
impl Admin for FakePubSub {
    async fn create_topic(&self, topic: &TopicConfig) -> Result<TopicConfig> {
        const OP: &str = "create topic";
        self.check(OP, &topic.name)?;
        names::validate_id(names::short(&topic.name)).map_err(|m| {
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
        names::validate_id(names::short(name))
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
}

#[async_trait]
impl PublishTransport for FakePubSub {
    fn publish(&self, topic: &str, message: OutgoingMessage) -> PendingPublish {
        let fake = self.clone();
        let topic = topic.to_string();
        let mut hold = self.shared.hold.subscribe();
        Box::pin(async move {
            // Wait while publishes are held; a closed channel means the fake is gone: go on.
            while *hold.borrow_and_update() {
                if hold.changed().await.is_err() {
                    break;
                }
            }
            fake.check("publish", &topic)?;
            fake.deliver(&topic, message)
        })
    }

    fn resume(&self, _topic: &str, _ordering_key: &str) {}

    async fn flush(&self) {}
}

impl MessageSource for FakePubSub {
    fn subscribe(&self, subscription: &str) -> Box<dyn MessageStream> {
        Box::new(FakeStream {
            fake: self.clone(),
            subscription: subscription.to_string(),
        })
    }
}

struct FakeStream {
    fake: FakePubSub,
    subscription: String,
}

#[async_trait]
impl MessageStream for FakeStream {
    async fn next(&mut self) -> Option<Result<Delivery>> {
        loop {
            // Created before looking, so a delivery between the look and the wait still wakes us.
            let notified = self.fake.shared.delivered.notified();
            if let Err(err) = self.fake.check("receive", &self.subscription) {
                return Some(Err(err));
            }
            {
                let mut state = self.fake.state();
                let Some(queue) = state.queues.get_mut(&self.subscription) else {
                    return Some(Err(not_found(
                        "receive",
                        &self.subscription,
                        "Subscription",
                    )));
                };
                if let Some(message) = queue.pop_front() {
                    let acker = FakeAcker {
                        fake: self.fake.clone(),
                        subscription: self.subscription.clone(),
                        message: Some(message.clone()),
                    };
                    return Some(Ok(Delivery::new(message, Box::new(acker))));
                }
            }
            notified.await;
        }
    }
}

/// Settles one message; dropping it unsettled redelivers it, as an expired lease would.
struct FakeAcker {
    fake: FakePubSub,
    subscription: String,
    message: Option<ReceivedMessage>,
}

impl FakeAcker {
    fn requeue(&mut self) {
        if let Some(mut message) = self.message.take() {
            message.delivery_attempt = Some(message.delivery_attempt.unwrap_or(1) + 1);
            if let Some(queue) = self.fake.state().queues.get_mut(&self.subscription) {
                queue.push_back(message);
            }
            self.fake.shared.delivered.notify_waiters();
        }
    }
}

impl Acker for FakeAcker {
    fn ack(mut self: Box<Self>) {
        self.message = None;
    }

    fn nack(mut self: Box<Self>) {
        self.requeue();
    }
}

impl Drop for FakeAcker {
    fn drop(&mut self) {
        self.requeue();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::receive;
    use std::time::Duration;

    const TOPIC: &str = "projects/p/topics/emails";
    const SUB: &str = "projects/p/subscriptions/vespa-loader-emails";

    async fn with_topic_and_subscription() -> FakePubSub {
        let fake = FakePubSub::new();
        fake.create_topic(&TopicConfig::named(TOPIC)).await.unwrap();
        fake.create_subscription(&SubscriptionConfig::new(SUB, TOPIC))
            .await
            .unwrap();
        fake
    }

    #[tokio::test]
    async fn enforces_existence_rules() {
        let fake = with_topic_and_subscription().await;
        let err = fake
            .create_topic(&TopicConfig::named(TOPIC))
            .await
            .unwrap_err();
        assert!(err.is_already_exists());
        let err = fake
            .create_subscription(&SubscriptionConfig::new(
                "projects/p/subscriptions/x-y",
                "projects/p/topics/nope",
            ))
            .await
            .unwrap_err();
        assert!(err.is_not_found());
        let mut bad = SubscriptionConfig::new("projects/p/subscriptions/bad", TOPIC);
        bad.ack_deadline_seconds = 5;
        assert_eq!(
            fake.create_subscription(&bad).await.unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            fake.list_topic_subscriptions(TOPIC).await.unwrap(),
            vec![SUB.to_string()]
        );
        assert_eq!(fake.list_topics("other").await.unwrap().len(), 0);
    }

    #[tokio::test]
    async fn fans_out_and_redelivers_unacked() {
        let fake = with_topic_and_subscription().await;
        for i in 0..3 {
            fake.publish(TOPIC, OutgoingMessage::new(format!("m{i}")))
                .await
                .unwrap();
        }
        let mut stream = fake.subscribe(SUB);
        let got = receive(stream.as_mut(), 10, Duration::from_millis(20))
            .await
            .unwrap();
        assert_eq!(got.len(), 3);
        let mut got = got.into_iter();
        got.next().unwrap().ack();
        got.next().unwrap().nack();
        drop(got); // the third is dropped unsettled
        let again = receive(stream.as_mut(), 10, Duration::from_millis(20))
            .await
            .unwrap();
        let bodies: Vec<_> = again.iter().map(|d| d.message.data.clone()).collect();
        assert_eq!(bodies, vec!["m1", "m2"]);
        for d in again {
            d.ack();
        }
        assert_eq!(fake.backlog(SUB), 0);
    }

    #[tokio::test]
    async fn injected_failures_fire_the_given_number_of_times() {
        let fake = FakePubSub::new();
        fake.fail_next("create topic", ErrorKind::Unavailable, 1);
        let err = fake
            .create_topic(&TopicConfig::named(TOPIC))
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unavailable);
        assert!(
            err.to_string()
                .contains("create topic `projects/p/topics/emails` failed: UNAVAILABLE")
        );
        fake.create_topic(&TopicConfig::named(TOPIC)).await.unwrap();
    }

    #[tokio::test]
    async fn update_mask_changes_only_named_fields() {
        let fake = with_topic_and_subscription().await;
        let mut wanted = SubscriptionConfig::new(SUB, TOPIC);
        wanted.ack_deadline_seconds = 60;
        wanted.retain_acked_messages = true;
        let live = fake
            .update_subscription(&wanted, &["ack_deadline_seconds"])
            .await
            .unwrap();
        assert_eq!(live.ack_deadline_seconds, 60);
        assert!(!live.retain_acked_messages);
        let err = fake
            .update_subscription(&wanted, &["filter"])
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
    }
}
