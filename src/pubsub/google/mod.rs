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
use super::{Credentials, PubSubEndpoint};
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

mod admin;
mod publisher;
mod subscriber;

pub use admin::GoogleAdmin;
pub use publisher::GooglePublisher;
pub use subscriber::GoogleSubscriber;

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
