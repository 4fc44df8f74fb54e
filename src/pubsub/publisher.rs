//! Publishing with a bound on in-flight messages.
//!
//! Google's publisher queues without limit (see `pubsub.md`), so a bulk publisher must bound the
//! number of unacknowledged publishes itself: [`BoundedPublisher`] holds a permit per message
//! from the moment it is handed over until the server acknowledges (or rejects) it.

use super::{OutgoingMessage, PubSubError, Result};
use async_trait::async_trait;
use futures::future::BoxFuture;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Resolves to the server-assigned message id.
pub type PendingPublish = BoxFuture<'static, Result<String>>;

/// Hands messages to a publishing client. Implementations batch as they see fit.
#[async_trait]
pub trait PublishTransport: Send + Sync {
    /// Starts publishing `message` to `topic` (full name) and returns its completion.
    fn publish(&self, topic: &str, message: OutgoingMessage) -> PendingPublish;
    /// Lets an ordering key paused by an earlier failure publish again.
    fn resume(&self, topic: &str, ordering_key: &str);
    /// Sends everything buffered now.
    async fn flush(&self);
}

/// A publisher that never has more than `max_in_flight` messages unacknowledged.
#[derive(Clone)]
pub struct BoundedPublisher {
    transport: Arc<dyn PublishTransport>,
    permits: Arc<Semaphore>,
    max_in_flight: usize,
}

impl BoundedPublisher {
    /// Wraps `transport`; `max_in_flight` is raised to at least 1.
    pub fn new(transport: Arc<dyn PublishTransport>, max_in_flight: usize) -> Self {
        let max_in_flight = max_in_flight.max(1);
        Self {
            transport,
            permits: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
        }
    }

    /// Waits for room, then starts publishing. Await the returned future for the message id;
    /// the permit is held until then (or until the future is dropped).
    pub async fn publish(&self, topic: &str, message: OutgoingMessage) -> PendingPublish {
        let permit = match self.permits.clone().acquire_owned().await {
            Ok(permit) => permit,
            // The semaphore is never closed; report rather than panic if that ever changes.
            Err(_) => {
                let err = PubSubError::new(
                    "publish",
                    topic,
                    super::ErrorKind::Other,
                    "publisher is shut down",
                );
                return Box::pin(async move { Err(err) });
            }
        };
        let completion = self.transport.publish(topic, message);
        // The permit must come back when the server answers, not when the caller gets round to
        // awaiting: a caller that queues many publishes before awaiting any would otherwise
        // deadlock on its own permits. A task owns the permit and forwards the result.
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let result = completion.await;
            drop(permit);
            let _ = tx.send(result);
        });
        let topic = topic.to_string();
        Box::pin(async move {
            rx.await.unwrap_or_else(|_| {
                Err(PubSubError::new(
                    "publish",
                    topic,
                    super::ErrorKind::Other,
                    "publish task ended early",
                ))
            })
        })
    }

    /// Number of messages handed over and not yet acknowledged.
    pub fn in_flight(&self) -> usize {
        self.max_in_flight - self.permits.available_permits()
    }

    /// The configured bound.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// Lets an ordering key paused by an earlier failure publish again.
    pub fn resume(&self, topic: &str, ordering_key: &str) {
        self.transport.resume(topic, ordering_key);
    }

    /// Sends everything buffered now.
    pub async fn flush(&self) {
        self.transport.flush().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{Admin, TopicConfig};

    #[tokio::test]
    async fn never_exceeds_the_in_flight_bound() {
        let fake = Arc::new(FakePubSub::new());
        fake.create_topic(&TopicConfig::named("projects/p/topics/emails"))
            .await
            .unwrap();
        fake.hold_publishes(true);
        let publisher = BoundedPublisher::new(fake.clone(), 3);
        let mut pending = Vec::new();
        for i in 0..3 {
            pending.push(
                publisher
                    .publish(
                        "projects/p/topics/emails",
                        OutgoingMessage::new(format!("{i}")),
                    )
                    .await,
            );
        }
        assert_eq!(publisher.in_flight(), 3);
        // A fourth publish must wait for room.
        let fourth = publisher.publish("projects/p/topics/emails", OutgoingMessage::new("3"));
        let waited = tokio::time::timeout(std::time::Duration::from_millis(50), fourth).await;
        assert!(waited.is_err(), "fourth publish did not wait for room");
        fake.hold_publishes(false);
        for p in pending {
            p.await.unwrap();
        }
        assert_eq!(publisher.in_flight(), 0);
        publisher
            .publish("projects/p/topics/emails", OutgoingMessage::new("4"))
            .await
            .await
            .unwrap();
        assert_eq!(fake.published_count("projects/p/topics/emails"), 4);
    }
}
