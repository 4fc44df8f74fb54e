//! Receiving over StreamingPull with the crate's subscriber: flow control, lease extension,
//! ack and nack through its handler.

use super::*;

/// Receiving over gRPC StreamingPull.
#[derive(Clone, Debug)]
pub struct GoogleSubscriber {
    client: Subscriber,
    max_outstanding: i64,
    /// Bytes a stream keeps unacknowledged at most; `None` keeps the client's default (100 MiB).
    max_outstanding_bytes: Option<i64>,
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
            max_outstanding_bytes: None,
            lease_limits: None,
        })
    }

    /// Each stream keeps at most `bytes` of messages unacknowledged (flow control).
    pub fn with_max_outstanding_bytes(mut self, bytes: i64) -> Self {
        self.max_outstanding_bytes = Some(bytes);
        self
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
        if let Some(bytes) = self.max_outstanding_bytes {
            builder = builder.set_max_outstanding_bytes(bytes);
        }
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
                    publish_time: message.publish_time.as_ref().and_then(system_time),
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

    fn confirmed_ack(
        self: Box<Self>,
    ) -> crate::pubsub::subscriber::BoxFuture<'static, std::result::Result<bool, String>> {
        match self.0 {
            Handler::ExactlyOnce(handler) => Box::pin(async move {
                handler
                    .confirmed_ack()
                    .await
                    .map(|()| true)
                    .map_err(|err| format!("the ack was not confirmed: {err}"))
            }),
            other => {
                other.ack();
                Box::pin(std::future::ready(Ok(false)))
            }
        }
    }
}

/// A protobuf timestamp as a `SystemTime` (`None` before 1970).
fn system_time(t: &google_cloud_wkt::Timestamp) -> Option<std::time::SystemTime> {
    let seconds = u64::try_from(t.seconds()).ok()?;
    let nanos = u32::try_from(t.nanos()).ok()?;
    std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(seconds, nanos))
}
