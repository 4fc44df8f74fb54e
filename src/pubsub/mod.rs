//! Google Cloud Pub/Sub behind small traits: [`Admin`] for topics and subscriptions,
//! [`PublishTransport`] (wrapped by [`BoundedPublisher`]) for publishing, and [`MessageSource`]
//! for receiving.
//!
//! [`google`] holds the real implementations on Google's `google-cloud-pubsub` crate;
//! [`fake`] holds an in-memory fake with failure injection for unit tests.

mod admin;
mod endpoint;
mod error;
pub mod fake;
pub mod google;
pub mod names;
mod publisher;
mod resources;
mod subscriber;

pub use crate::model::message::{OutgoingMessage, ReceivedMessage};
pub use admin::Admin;
pub use endpoint::{Credentials, EndpointError, PubSubEndpoint};
pub use error::{ErrorKind, PubSubError};
pub use publisher::{BoundedPublisher, PendingPublish, PublishTransport};
pub use resources::{
    DeadLetterPolicy, ExpirationPolicy, RetryPolicy, SubscriptionConfig, TopicConfig,
};
pub use subscriber::{Acker, Delivery, MessageSource, MessageStream, receive};

/// Result of a Pub/Sub call.
pub type Result<T, E = PubSubError> = std::result::Result<T, E>;
