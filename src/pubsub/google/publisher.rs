//! Publishing over gRPC, one client publisher per topic.

use super::*;

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
