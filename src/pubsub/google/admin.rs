//! Topic and subscription administration over REST.

use super::*;

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

    async fn seek_to_time(
        &self,
        subscription: &str,
        time: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let timestamp = google_cloud_wkt::Timestamp::clamp(
            time.timestamp(),
            time.timestamp_subsec_nanos() as i32,
        );
        self.subscriptions
            .seek()
            .set_subscription(subscription)
            .set_time(timestamp)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error("seek", subscription, &e))
    }
}
