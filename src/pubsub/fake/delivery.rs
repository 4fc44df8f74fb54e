//! Publishing into the fake and receiving from it: held publishes, fan-out queues, and an acker
//! that redelivers what is nacked or dropped unsettled, as an expired lease would.

use super::*;

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
