//! Topic and subscription administration.

use super::{Result, SubscriptionConfig, TopicConfig};
use async_trait::async_trait;

/// Creates, reads, changes and deletes topics and subscriptions. Names are full resource names.
///
/// Listing returns every page: callers read the live state with a few list calls rather than one
/// get per resource.
#[async_trait]
pub trait Admin: Send + Sync {
    async fn create_topic(&self, topic: &TopicConfig) -> Result<TopicConfig>;
    async fn get_topic(&self, name: &str) -> Result<TopicConfig>;
    /// Every topic in `project` (a project id, not `projects/…`).
    async fn list_topics(&self, project: &str) -> Result<Vec<TopicConfig>>;
    /// Changes the fields named in `update_mask` (API field paths, e.g. `labels`).
    async fn update_topic(&self, topic: &TopicConfig, update_mask: &[&str]) -> Result<TopicConfig>;
    async fn delete_topic(&self, name: &str) -> Result<()>;
    /// Full names of the subscriptions attached to a topic.
    async fn list_topic_subscriptions(&self, topic: &str) -> Result<Vec<String>>;

    async fn create_subscription(
        &self,
        subscription: &SubscriptionConfig,
    ) -> Result<SubscriptionConfig>;
    async fn get_subscription(&self, name: &str) -> Result<SubscriptionConfig>;
    /// Every subscription in `project` (a project id).
    async fn list_subscriptions(&self, project: &str) -> Result<Vec<SubscriptionConfig>>;
    /// Changes the fields named in `update_mask` (API field paths, e.g. `ack_deadline_seconds`).
    async fn update_subscription(
        &self,
        subscription: &SubscriptionConfig,
        update_mask: &[&str],
    ) -> Result<SubscriptionConfig>;
    async fn delete_subscription(&self, name: &str) -> Result<()>;

    /// Snapshots a subscription's backlog as `name` (`projects/P/snapshots/N`). Servers without
    /// snapshots (e.g. pstest) answer `UNIMPLEMENTED`.
    async fn create_snapshot(&self, name: &str, subscription: &str) -> Result<()>;
    async fn delete_snapshot(&self, name: &str) -> Result<()>;

    /// Seeks a subscription to `time`: messages published after it that the subscription or
    /// its topic retains are delivered again (or for the first time).
    async fn seek_to_time(
        &self,
        subscription: &str,
        time: chrono::DateTime<chrono::Utc>,
    ) -> Result<()>;
}
