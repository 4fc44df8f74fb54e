//! Reading a subscription as a run's input: each message once, until the subscription is quiet
//! (a drain: `backfill` and `reindex` with `pubsub:SUB`) or until cancelled (a consumer).
//!
//! Pub/Sub may deliver a message again while the first delivery is still being worked on (its
//! lease ran out, or another copy was published). A drain reads each message id once: a
//! redelivery of one already read in this run is held, not handed out again, and released
//! (nacked) when the run closes, so it is neither processed twice nor redelivered in a tight
//! loop. Cancellation is checked while the subscription is quiet, so Ctrl-C is seen at once.

use std::collections::HashSet;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::pubsub::{Delivery, MessageStream, PubSubError};

/// One subscription's deliveries, each message once.
pub struct Deliveries {
    stream: Box<dyn MessageStream>,
    /// End when nothing new arrives for this long; `None`: run until cancelled.
    idle: Option<Duration>,
    seen: HashSet<String>,
    held: Vec<Delivery>,
}

impl Deliveries {
    /// Reads `stream`; with `idle`, ends after that long without a new message.
    pub fn new(stream: Box<dyn MessageStream>, idle: Option<Duration>) -> Deliveries {
        Deliveries {
            stream,
            idle,
            seen: HashSet::new(),
            held: Vec::new(),
        }
    }

    /// The next message not read before in this run; `None` when the subscription has been
    /// quiet for the idle time, the stream ended, or `cancel` fired.
    pub async fn next(
        &mut self,
        cancel: &CancellationToken,
    ) -> Result<Option<Delivery>, PubSubError> {
        loop {
            let quiet = async {
                match self.idle {
                    Some(idle) => tokio::time::sleep(idle).await,
                    None => std::future::pending().await,
                }
            };
            let delivery = tokio::select! {
                biased;
                () = cancel.cancelled() => return Ok(None),
                () = quiet => return Ok(None),
                next = self.stream.next() => match next {
                    Some(delivery) => delivery?,
                    None => return Ok(None),
                },
            };
            if self.seen.insert(delivery.message.id.clone()) {
                return Ok(Some(delivery));
            }
            self.held.push(delivery);
        }
    }

    /// Keeps a delivery unsettled until the run closes (e.g. a message of another user, left
    /// for whoever reads it next).
    pub fn hold(&mut self, delivery: Delivery) {
        self.held.push(delivery);
    }

    /// Releases what is held (nacked, so it is delivered again), then closes the stream, which
    /// waits until every delivered message is settled and sends the pending acknowledgements.
    pub async fn close(&mut self) {
        for delivery in self.held.drain(..) {
            delivery.nack();
        }
        self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{
        Admin, MessageSource, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
    };

    #[tokio::test]
    async fn each_message_once_until_quiet_and_cancel_ends_a_consumer() {
        let fake = FakePubSub::new();
        let topic = "projects/p/topics/topic-1";
        let sub = "projects/p/subscriptions/sub-1";
        fake.create_topic(&TopicConfig::named(topic)).await.unwrap();
        fake.create_subscription(&SubscriptionConfig::new(sub, topic))
            .await
            .unwrap();
        for i in 0..3 {
            fake.publish(topic, OutgoingMessage::new(format!("m{i}")))
                .await
                .unwrap();
        }
        let cancel = CancellationToken::new();
        let mut drain = Deliveries::new(fake.subscribe(sub), Some(Duration::from_millis(50)));
        let mut got = Vec::new();
        while let Some(delivery) = drain.next(&cancel).await.unwrap() {
            got.push(delivery.message.id.clone());
            delivery.ack();
        }
        assert_eq!(got.len(), 3);
        drain.close().await;

        let mut consumer = Deliveries::new(fake.subscribe(sub), None);
        let stopper = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            stopper.cancel();
        });
        assert!(consumer.next(&cancel).await.unwrap().is_none());
        consumer.close().await;
    }
}
