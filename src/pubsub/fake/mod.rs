//! An in-memory Pub/Sub for unit tests: topics, subscriptions, fan-out delivery, redelivery of
//! unacknowledged messages, and injected failures.
//!
//! It enforces the rules officectl's planners depend on (ALREADY_EXISTS, NOT_FOUND for a missing
//! topic, ack-deadline bounds) and ignores the rest (filters and ordering are not applied).

use super::{
    Acker, Admin, Delivery, ErrorKind, MessageSource, MessageStream, OutgoingMessage,
    PendingPublish, PubSubError, PublishTransport, ReceivedMessage, Result, SubscriptionConfig,
    TopicConfig, names,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, watch};

/// The fake service. Clones share state.
#[derive(Clone)]
pub struct FakePubSub {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    delivered: Notify,
    hold: watch::Sender<bool>,
}

#[derive(Default)]
struct State {
    topics: BTreeMap<String, TopicConfig>,
    subscriptions: BTreeMap<String, SubscriptionConfig>,
    queues: HashMap<String, VecDeque<ReceivedMessage>>,
    published: HashMap<String, usize>,
    snapshots: BTreeMap<String, String>,
    next_id: u64,
    failures: Vec<Injected>,
    /// How far the service's clock (publish times) runs ahead of the caller's.
    clock_ahead: std::time::Duration,
}

struct Injected {
    operation: String,
    kind: ErrorKind,
    remaining: usize,
}

impl Default for FakePubSub {
    fn default() -> Self {
        Self::new()
    }
}

impl FakePubSub {
    /// An empty service.
    pub fn new() -> Self {
        let (hold, _) = watch::channel(false);
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                delivered: Notify::new(),
                hold,
            }),
        }
    }

    /// Sets the service's clock `by` ahead of the caller's: publish times carry the skew.
    pub fn set_clock_ahead(&self, by: std::time::Duration) {
        self.state().clock_ahead = by;
    }

    /// Makes the next `times` calls of `operation` (as named in errors, e.g. `create topic`,
    /// `publish`) fail with `kind`.
    pub fn fail_next(&self, operation: &str, kind: ErrorKind, times: usize) {
        self.state().failures.push(Injected {
            operation: operation.into(),
            kind,
            remaining: times,
        });
    }

    /// While `true`, publishes are accepted but not completed (to observe in-flight bounds).
    pub fn hold_publishes(&self, hold: bool) {
        self.shared.hold.send_replace(hold);
    }

    /// Messages published to `topic` so far.
    pub fn published_count(&self, topic: &str) -> usize {
        self.state().published.get(topic).copied().unwrap_or(0)
    }

    /// Names of existing snapshots.
    pub fn snapshots(&self) -> Vec<String> {
        self.state().snapshots.keys().cloned().collect()
    }

    /// Messages waiting (not yet delivered) on `subscription`.
    pub fn backlog(&self, subscription: &str) -> usize {
        self.state()
            .queues
            .get(subscription)
            .map_or(0, VecDeque::len)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock only happens in a failing test; keep going with the data.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check(&self, operation: &'static str, resource: &str) -> Result<()> {
        let mut state = self.state();
        if let Some(injected) = state
            .failures
            .iter_mut()
            .find(|f| f.operation == operation && f.remaining > 0)
        {
            injected.remaining -= 1;
            let kind = injected.kind;
            return Err(PubSubError::new(
                operation,
                resource,
                kind,
                "injected failure",
            ));
        }
        Ok(())
    }

    fn deliver(&self, topic: &str, message: OutgoingMessage) -> Result<String> {
        let mut state = self.state();
        if !state.topics.contains_key(topic) {
            return Err(PubSubError::new(
                "publish",
                topic,
                ErrorKind::NotFound,
                "Topic not found",
            ));
        }
        state.next_id += 1;
        let id = state.next_id.to_string();
        *state.published.entry(topic.to_string()).or_default() += 1;
        let targets: Vec<String> = state
            .subscriptions
            .values()
            .filter(|s| s.topic == topic && !s.detached)
            .map(|s| s.name.clone())
            .collect();
        let publish_time = std::time::SystemTime::now() + state.clock_ahead;
        for name in targets {
            let received = ReceivedMessage {
                id: id.clone(),
                data: message.data.clone(),
                attributes: message.attributes.clone(),
                ordering_key: message.ordering_key.clone().unwrap_or_default(),
                delivery_attempt: None,
                publish_time: Some(publish_time),
            };
            state.queues.entry(name).or_default().push_back(received);
        }
        drop(state);
        self.shared.delivered.notify_waiters();
        Ok(id)
    }
}

fn not_found(operation: &'static str, name: &str, what: &str) -> PubSubError {
    PubSubError::new(
        operation,
        name,
        ErrorKind::NotFound,
        format!("{what} not found"),
    )
}

fn already_exists(operation: &'static str, name: &str, what: &str) -> PubSubError {
    PubSubError::new(
        operation,
        name,
        ErrorKind::AlreadyExists,
        format!("{what} already exists"),
    )
}

fn in_project(name: &str, project: &str) -> bool {
    names::project_of(name) == Some(project)
}

mod admin;
mod delivery;

#[cfg(test)]
mod tests;
