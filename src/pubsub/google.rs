//! The real Pub/Sub adapter on Google's `google-cloud-pubsub` crate.
//!
//! The crate does not read `PUBSUB_EMULATOR_HOST` (see `pubsub.md`): every client here is built
//! from a resolved [`PubSubEndpoint`], with anonymous credentials for plain-HTTP emulators and
//! Application Default Credentials otherwise. Admin calls go over REST, publish and receive over
//! gRPC; both use the same endpoint.

use super::{
    Acker, Admin, DeadLetterPolicy, Delivery, ErrorKind, ExpirationPolicy, MessageSource,
    MessageStream, OutgoingMessage, PendingPublish, PubSubError, PublishTransport, ReceivedMessage,
    Result, RetryPolicy, SubscriptionConfig, TopicConfig, names,
};
use crate::settings::{Credentials, PubSubEndpoint};
use async_trait::async_trait;
use google_cloud_gax::error::rpc::Code;
use google_cloud_pubsub::client::{
    BasePublisher, Publisher, Subscriber, SubscriptionAdmin, TopicAdmin,
};
use google_cloud_pubsub::model;
use google_cloud_pubsub::subscriber::handler::Handler;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// Page size for list calls (the service maximum).
const PAGE_SIZE: i32 = 1000;

/// Applies endpoint and credentials to any of the crate's client builders.
macro_rules! configure {
    ($builder:expr, $endpoint:expr) => {{
        let builder = $builder.with_endpoint($endpoint.url.clone());
        match $endpoint.credentials {
            Credentials::Anonymous => builder.with_credentials(
                google_cloud_auth::credentials::anonymous::Builder::new().build(),
            ),
            Credentials::ApplicationDefault => builder,
        }
    }};
}

fn build_error(
    endpoint: &PubSubEndpoint,
    what: &'static str,
    err: impl std::fmt::Display,
) -> PubSubError {
    PubSubError::new(what, &endpoint.url, ErrorKind::Connect, err.to_string())
}

/// Maps the crate's error to ours, keeping the service's message.
fn map_error(
    operation: &'static str,
    resource: &str,
    err: &google_cloud_pubsub::Error,
) -> PubSubError {
    let (kind, message) = match err.status() {
        Some(status) => (kind_of(status.code), status.message.clone()),
        None if err.is_connect() => (ErrorKind::Connect, chain(err)),
        None if err.is_timeout() => (ErrorKind::DeadlineExceeded, chain(err)),
        None => (ErrorKind::Other, chain(err)),
    };
    PubSubError::new(operation, resource, kind, message)
}

/// The error and its sources on one line: transport errors hide the useful part in a source.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn kind_of(code: Code) -> ErrorKind {
    match code {
        Code::NotFound => ErrorKind::NotFound,
        Code::AlreadyExists => ErrorKind::AlreadyExists,
        Code::InvalidArgument | Code::OutOfRange => ErrorKind::InvalidArgument,
        Code::FailedPrecondition => ErrorKind::FailedPrecondition,
        Code::PermissionDenied => ErrorKind::PermissionDenied,
        Code::Unauthenticated => ErrorKind::Unauthenticated,
        Code::ResourceExhausted => ErrorKind::ResourceExhausted,
        Code::Unavailable => ErrorKind::Unavailable,
        Code::DeadlineExceeded => ErrorKind::DeadlineExceeded,
        Code::Aborted => ErrorKind::Aborted,
        Code::Unimplemented => ErrorKind::Unimplemented,
        Code::Internal | Code::DataLoss | Code::Unknown => ErrorKind::Internal,
        _ => ErrorKind::Other,
    }
}

fn to_wkt(duration: Duration) -> google_cloud_wkt::Duration {
    google_cloud_wkt::Duration::clamp(
        i64::try_from(duration.as_secs()).unwrap_or(i64::MAX),
        i32::try_from(duration.subsec_nanos()).unwrap_or(0),
    )
}

fn from_wkt(duration: &google_cloud_wkt::Duration) -> Duration {
    let secs = u64::try_from(duration.seconds()).unwrap_or(0);
    let nanos = u32::try_from(duration.nanos()).unwrap_or(0);
    Duration::new(secs, nanos)
}

fn to_btree(map: HashMap<String, String>) -> BTreeMap<String, String> {
    map.into_iter().collect()
}

fn topic_from_model(topic: model::Topic) -> TopicConfig {
    TopicConfig {
        name: topic.name,
        labels: to_btree(topic.labels),
        message_retention: topic.message_retention_duration.as_ref().map(from_wkt),
    }
}

fn topic_to_model(topic: &TopicConfig) -> model::Topic {
    let mut out = model::Topic::default();
    out.name = topic.name.clone();
    out.labels = topic.labels.clone().into_iter().collect();
    out.message_retention_duration = topic.message_retention.map(to_wkt);
    out
}

fn subscription_from_model(sub: model::Subscription) -> SubscriptionConfig {
    SubscriptionConfig {
        name: sub.name,
        topic: sub.topic,
        ack_deadline_seconds: sub.ack_deadline_seconds,
        retain_acked_messages: sub.retain_acked_messages,
        message_retention: sub.message_retention_duration.as_ref().map(from_wkt),
        labels: to_btree(sub.labels),
        enable_message_ordering: sub.enable_message_ordering,
        expiration_policy: sub.expiration_policy.map(|p| ExpirationPolicy {
            ttl: p.ttl.as_ref().map(from_wkt),
        }),
        filter: sub.filter,
        dead_letter_policy: sub
            .dead_letter_policy
            .filter(|p| !p.dead_letter_topic.is_empty())
            .map(|p| DeadLetterPolicy {
                topic: p.dead_letter_topic,
                max_delivery_attempts: p.max_delivery_attempts,
            }),
        retry_policy: sub.retry_policy.map(|p| RetryPolicy {
            minimum_backoff: p.minimum_backoff.as_ref().map(from_wkt).unwrap_or_default(),
            maximum_backoff: p.maximum_backoff.as_ref().map(from_wkt).unwrap_or_default(),
        }),
        enable_exactly_once_delivery: sub.enable_exactly_once_delivery,
        detached: sub.detached,
    }
}

fn subscription_to_model(sub: &SubscriptionConfig) -> model::Subscription {
    let mut out = model::Subscription::default();
    out.name = sub.name.clone();
    out.topic = sub.topic.clone();
    out.ack_deadline_seconds = sub.ack_deadline_seconds;
    out.retain_acked_messages = sub.retain_acked_messages;
    out.message_retention_duration = sub.message_retention.map(to_wkt);
    out.labels = sub.labels.clone().into_iter().collect();
    out.enable_message_ordering = sub.enable_message_ordering;
    out.expiration_policy = sub.expiration_policy.as_ref().map(|p| {
        let mut policy = model::ExpirationPolicy::default();
        policy.ttl = p.ttl.map(to_wkt);
        policy
    });
    out.filter = sub.filter.clone();
    out.dead_letter_policy = sub.dead_letter_policy.as_ref().map(|p| {
        let mut policy = model::DeadLetterPolicy::default();
        policy.dead_letter_topic = p.topic.clone();
        policy.max_delivery_attempts = p.max_delivery_attempts;
        policy
    });
    out.retry_policy = sub.retry_policy.as_ref().map(|p| {
        let mut policy = model::RetryPolicy::default();
        policy.minimum_backoff = Some(to_wkt(p.minimum_backoff));
        policy.maximum_backoff = Some(to_wkt(p.maximum_backoff));
        policy
    });
    out.enable_exactly_once_delivery = sub.enable_exactly_once_delivery;
    out
}

fn field_mask(paths: &[&str]) -> google_cloud_wkt::FieldMask {
    google_cloud_wkt::FieldMask::default().set_paths(paths.iter().map(|p| p.to_string()))
}

/// Topic and subscription administration over Google's REST admin clients.
#[derive(Clone, Debug)]
pub struct GoogleAdmin {
    topics: TopicAdmin,
    subscriptions: SubscriptionAdmin,
}

impl GoogleAdmin {
    /// Builds both admin clients for `endpoint`. No call is made yet.
    pub async fn connect(endpoint: &PubSubEndpoint) -> Result<Self> {
        let topics = configure!(TopicAdmin::builder(), endpoint)
            .build()
            .await
            .map_err(|e| build_error(endpoint, "build topic admin client for", e))?;
        let subscriptions = configure!(SubscriptionAdmin::builder(), endpoint)
            .build()
            .await
            .map_err(|e| build_error(endpoint, "build subscription admin client for", e))?;
        Ok(Self {
            topics,
            subscriptions,
        })
    }
}

#[async_trait]
impl Admin for GoogleAdmin {
    async fn create_topic(&self, topic: &TopicConfig) -> Result<TopicConfig> {
        self.topics
            .create_topic()
            .with_request(topic_to_model(topic))
            .send()
            .await
            .map(topic_from_model)
            .map_err(|e| map_error("create topic", &topic.name, &e))
    }

    async fn get_topic(&self, name: &str) -> Result<TopicConfig> {
        self.topics
            .get_topic()
            .set_topic(name)
            .send()
            .await
            .map(topic_from_model)
            .map_err(|e| map_error("get topic", name, &e))
    }

    async fn list_topics(&self, project: &str) -> Result<Vec<TopicConfig>> {
        let parent = names::project(project);
        let mut topics = Vec::new();
        let mut token = String::new();
        loop {
            let page = self
                .topics
                .list_topics()
                .set_project(&parent)
                .set_page_size(PAGE_SIZE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| map_error("list topics in", &parent, &e))?;
            topics.extend(page.topics.into_iter().map(topic_from_model));
            if page.next_page_token.is_empty() {
                return Ok(topics);
            }
            token = page.next_page_token;
        }
    }

    async fn update_topic(&self, topic: &TopicConfig, update_mask: &[&str]) -> Result<TopicConfig> {
        self.topics
            .update_topic()
            .set_topic(topic_to_model(topic))
            .set_update_mask(field_mask(update_mask))
            .send()
            .await
            .map(topic_from_model)
            .map_err(|e| map_error("update topic", &topic.name, &e))
    }

    async fn delete_topic(&self, name: &str) -> Result<()> {
        self.topics
            .delete_topic()
            .set_topic(name)
            .send()
            .await
            .map_err(|e| map_error("delete topic", name, &e))
    }

    async fn list_topic_subscriptions(&self, topic: &str) -> Result<Vec<String>> {
        let mut subscriptions = Vec::new();
        let mut token = String::new();
        loop {
            let page = self
                .topics
                .list_topic_subscriptions()
                .set_topic(topic)
                .set_page_size(PAGE_SIZE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| map_error("list subscriptions of topic", topic, &e))?;
            subscriptions.extend(page.subscriptions);
            if page.next_page_token.is_empty() {
                return Ok(subscriptions);
            }
            token = page.next_page_token;
        }
    }

    async fn create_subscription(
        &self,
        subscription: &SubscriptionConfig,
    ) -> Result<SubscriptionConfig> {
        self.subscriptions
            .create_subscription()
            .with_request(subscription_to_model(subscription))
            .send()
            .await
            .map(subscription_from_model)
            .map_err(|e| map_error("create subscription", &subscription.name, &e))
    }

    async fn get_subscription(&self, name: &str) -> Result<SubscriptionConfig> {
        self.subscriptions
            .get_subscription()
            .set_subscription(name)
            .send()
            .await
            .map(subscription_from_model)
            .map_err(|e| map_error("get subscription", name, &e))
    }

    async fn list_subscriptions(&self, project: &str) -> Result<Vec<SubscriptionConfig>> {
        let parent = names::project(project);
        let mut subscriptions = Vec::new();
        let mut token = String::new();
        loop {
            let page = self
                .subscriptions
                .list_subscriptions()
                .set_project(&parent)
                .set_page_size(PAGE_SIZE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| map_error("list subscriptions in", &parent, &e))?;
            subscriptions.extend(page.subscriptions.into_iter().map(subscription_from_model));
            if page.next_page_token.is_empty() {
                return Ok(subscriptions);
            }
            token = page.next_page_token;
        }
    }

    async fn update_subscription(
        &self,
        subscription: &SubscriptionConfig,
        update_mask: &[&str],
    ) -> Result<SubscriptionConfig> {
        self.subscriptions
            .update_subscription()
            .set_subscription(subscription_to_model(subscription))
            .set_update_mask(field_mask(update_mask))
            .send()
            .await
            .map(subscription_from_model)
            .map_err(|e| map_error("update subscription", &subscription.name, &e))
    }

    async fn delete_subscription(&self, name: &str) -> Result<()> {
        self.subscriptions
            .delete_subscription()
            .set_subscription(name)
            .send()
            .await
            .map_err(|e| map_error("delete subscription", name, &e))
    }

    async fn create_snapshot(&self, name: &str, subscription: &str) -> Result<()> {
        self.subscriptions
            .create_snapshot()
            .set_name(name)
            .set_subscription(subscription)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error("create snapshot", name, &e))
    }

    async fn delete_snapshot(&self, name: &str) -> Result<()> {
        self.subscriptions
            .delete_snapshot()
            .set_snapshot(name)
            .send()
            .await
            .map_err(|e| map_error("delete snapshot", name, &e))
    }
}

/// Publishing over gRPC: one connection pool, one batching publisher per topic.
#[derive(Debug)]
pub struct GooglePublisher {
    base: BasePublisher,
    per_topic: Mutex<HashMap<String, Publisher>>,
}

impl GooglePublisher {
    /// Builds the shared connection pool for `endpoint`.
    pub async fn connect(endpoint: &PubSubEndpoint) -> Result<Self> {
        let base = configure!(BasePublisher::builder(), endpoint)
            .build()
            .await
            .map_err(|e| build_error(endpoint, "build publisher for", e))?;
        Ok(Self {
            base,
            per_topic: Mutex::new(HashMap::new()),
        })
    }

    fn publisher(&self, topic: &str) -> Publisher {
        let mut map = self.per_topic.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(topic.to_string())
            .or_insert_with(|| self.base.publisher(topic).build())
            .clone()
    }
}

#[async_trait]
impl PublishTransport for GooglePublisher {
    fn publish(&self, topic: &str, message: OutgoingMessage) -> PendingPublish {
        let mut out = model::Message::new()
            .set_data(message.data)
            .set_attributes(message.attributes);
        if let Some(key) = message.ordering_key {
            out = out.set_ordering_key(key);
        }
        let completion = self.publisher(topic).publish(out);
        let topic = topic.to_string();
        Box::pin(async move {
            completion.await.map_err(|err| {
                use google_cloud_pubsub::error::PublishError;
                match err {
                    PublishError::Rpc(inner) => map_error("publish to", &topic, &inner),
                    PublishError::OrderingKeyPaused => PubSubError::new(
                        "publish to",
                        &topic,
                        ErrorKind::OrderingKeyPaused,
                        "ordering key paused after an earlier failure",
                    ),
                    other => {
                        PubSubError::new("publish to", &topic, ErrorKind::Other, chain(&other))
                    }
                }
            })
        })
    }

    fn resume(&self, topic: &str, ordering_key: &str) {
        self.publisher(topic).resume_publish(ordering_key);
    }

    async fn flush(&self) {
        let publishers: Vec<Publisher> = self
            .per_topic
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        for publisher in publishers {
            publisher.flush().await;
        }
    }
}

/// Receiving over gRPC StreamingPull.
#[derive(Clone, Debug)]
pub struct GoogleSubscriber {
    client: Subscriber,
    max_outstanding: i64,
    /// `(max_lease, max_lease_extension)`; `None` keeps the client's defaults (1 h, 60 s).
    lease_limits: Option<(Duration, Duration)>,
}

impl GoogleSubscriber {
    /// Builds the subscriber client for `endpoint`; each stream keeps at most `max_outstanding`
    /// messages unacknowledged.
    pub async fn connect(endpoint: &PubSubEndpoint, max_outstanding: i64) -> Result<Self> {
        let client = configure!(Subscriber::builder(), endpoint)
            .build()
            .await
            .map_err(|e| build_error(endpoint, "build subscriber for", e))?;
        Ok(Self {
            client,
            max_outstanding,
            lease_limits: None,
        })
    }

    /// Stops extending a message's lease once it has been held for `max_lease` (the client's
    /// default is an hour), and extends it by at most `extension` at a time (the client clamps
    /// this to 10–600 s; default 60 s). A message that is neither acked nor nacked is then
    /// delivered again about `extension` after `max_lease`, possibly to another consumer.
    pub fn with_lease_limits(mut self, max_lease: Duration, extension: Duration) -> Self {
        self.lease_limits = Some((max_lease, extension));
        self
    }
}

impl MessageSource for GoogleSubscriber {
    fn subscribe(&self, subscription: &str) -> Box<dyn MessageStream> {
        let mut builder = self
            .client
            .subscribe(subscription)
            .set_max_outstanding_messages(self.max_outstanding);
        if let Some((max_lease, extension)) = self.lease_limits {
            builder = builder
                .set_max_lease(max_lease)
                .set_max_lease_extension(extension);
        }
        let stream = builder.build();
        Box::new(GoogleStream {
            stream,
            subscription: subscription.to_string(),
        })
    }
}

struct GoogleStream {
    stream: google_cloud_pubsub::subscriber::MessageStream,
    subscription: String,
}

#[async_trait]
impl MessageStream for GoogleStream {
    async fn next(&mut self) -> Option<Result<Delivery>> {
        let item = self.stream.next().await?;
        Some(match item {
            Ok((message, handler)) => {
                let received = ReceivedMessage {
                    id: message.message_id,
                    data: message.data,
                    attributes: to_btree(message.attributes),
                    ordering_key: message.ordering_key,
                    delivery_attempt: handler.delivery_attempt(),
                };
                Ok(Delivery::new(received, Box::new(GoogleAcker(handler))))
            }
            Err(err) => Err(map_error("receive from", &self.subscription, &err)),
        })
    }

    async fn shutdown(&mut self) {
        // The default shutdown behaviour waits for delivered handles and flushes pending acks.
        self.stream.shutdown_token().shutdown().await;
    }
}

struct GoogleAcker(Handler);

impl Acker for GoogleAcker {
    fn ack(self: Box<Self>) {
        self.0.ack();
    }

    fn nack(self: Box<Self>) {
        self.0.nack();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_survives_the_model_round_trip() {
        let mut sub =
            SubscriptionConfig::new("projects/p/subscriptions/s-a", "projects/p/topics/t");
        sub.ack_deadline_seconds = 60;
        sub.message_retention = Some(Duration::from_secs(7 * 86_400));
        sub.labels.insert("team".into(), "search".into());
        sub.expiration_policy = Some(ExpirationPolicy { ttl: None });
        sub.dead_letter_policy = Some(DeadLetterPolicy {
            topic: "projects/p/topics/dl".into(),
            max_delivery_attempts: 5,
        });
        sub.retry_policy = Some(RetryPolicy {
            minimum_backoff: Duration::from_millis(1500),
            maximum_backoff: Duration::from_secs(600),
        });
        sub.filter = "attributes.user_id = \"u\"".into();
        sub.enable_exactly_once_delivery = true;
        assert_eq!(subscription_from_model(subscription_to_model(&sub)), sub);
    }

    #[test]
    fn topic_survives_the_model_round_trip() {
        let mut topic = TopicConfig::named("projects/p/topics/t");
        topic.message_retention = Some(Duration::from_secs(86_400));
        topic.labels.insert("tier".into(), "data".into());
        assert_eq!(topic_from_model(topic_to_model(&topic)), topic);
    }

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(kind_of(Code::NotFound), ErrorKind::NotFound);
        assert_eq!(kind_of(Code::AlreadyExists), ErrorKind::AlreadyExists);
        assert!(kind_of(Code::Unavailable).is_transient());
        assert!(!kind_of(Code::InvalidArgument).is_transient());
    }
}
