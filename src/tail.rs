//! `officectl tail`: watch the events on topics as they arrive, through temporary
//! subscriptions that filter on the server and clean up after themselves.
//!
//! Each topic gets a subscription of its own, `tail-<run>-<topic>`, with the attribute filter
//! (`attributes.user_id = "U"`, `attributes.event_type = "T"`), a short ack deadline, the minimum
//! retention (10 minutes) and an expiration policy (1 day without a reader, Pub/Sub's minimum), so
//! a tail killed with SIGKILL leaves nothing that lives long. [`TailSession::close`] deletes them;
//! the command calls it on every way out, Ctrl-C included.
//!
//! Messages are shown as [`Tailed`]: one line of what an operator scans for (time, topic, type,
//! user, operation, ids), or the whole envelope with bodies redacted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::envelope::{self, attr};
use crate::pubsub::ReceivedMessage;
use crate::pubsub::{Admin, ExpirationPolicy, PubSubError, SubscriptionConfig, names};

/// Retention of a tail's subscription: Pub/Sub's minimum.
const RETENTION: Duration = Duration::from_secs(600);

/// Expiration of a tail's subscription without a reader: Pub/Sub's minimum.
const EXPIRY: Duration = Duration::from_secs(86_400);

/// Fields whose values are bodies: redacted unless asked for.
const BODY_FIELDS: [&str; 7] = [
    "body",
    "content",
    "snippet",
    "description",
    "notes",
    "text",
    "messages",
];

/// The labels that mark a tail's subscription (`topics verify` does not count it as drift).
const TAIL_LABELS: [(&str, &str); 2] = [("tool", "officectl"), ("purpose", "tail")];

/// Whether `subscription` is a running (or abandoned, expiring) `officectl tail`'s.
pub fn is_tail_subscription(subscription: &SubscriptionConfig) -> bool {
    TAIL_LABELS
        .iter()
        .all(|(k, v)| subscription.labels.get(*k).map(String::as_str) == Some(*v))
}

/// What to tail.
#[derive(Debug, Clone)]
pub struct TailSpec {
    pub project: String,
    /// Topics, by short name.
    pub topics: Vec<String>,
    pub user: Option<String>,
    /// `event_type` names to keep (empty: all).
    pub event_types: Vec<String>,
    /// Replay what the topic retained since this long ago (topics with message retention).
    pub since: Option<Duration>,
}

/// `--type` names one data type: its doc type (`email`), its event type (`EmailEvent`), or the
/// legacy `EmailBackfillEvent`. The event types it stands for.
pub fn event_types_of(name: &str) -> Option<Vec<String>> {
    if name == LEGACY_EMAIL_EVENT_TYPE {
        return Some(vec![name.to_string()]);
    }
    let data_type = DataType::from_doc_type(name).or_else(|| DataType::from_event_type(name))?;
    let mut types = vec![data_type.event_type().to_string()];
    if data_type == DataType::Email {
        types.push(LEGACY_EMAIL_EVENT_TYPE.to_string());
    }
    Some(types)
}

/// Pub/Sub's filter for `spec` (empty: none). Values are quoted with `"` and `\` escaped.
pub fn filter(spec: &TailSpec) -> String {
    let quote = |v: &str| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
    let mut parts = Vec::new();
    if let Some(user) = &spec.user {
        parts.push(format!("attributes.{} = {}", attr::USER_ID, quote(user)));
    }
    match spec.event_types.as_slice() {
        [] => {}
        [one] => parts.push(format!("attributes.{} = {}", attr::EVENT_TYPE, quote(one))),
        many => parts.push(format!(
            "({})",
            many.iter()
                .map(|t| format!("attributes.{} = {}", attr::EVENT_TYPE, quote(t)))
                .collect::<Vec<_>>()
                .join(" OR ")
        )),
    }
    parts.join(" AND ")
}

/// The temporary subscriptions of one tail.
pub struct TailSession {
    admin: Arc<dyn Admin>,
    /// `(topic short name, subscription full name)`.
    pub subscriptions: Vec<(String, String)>,
}

impl TailSession {
    /// Creates a subscription per topic (`run` makes the names unique) and, with `since`, seeks
    /// each to that time. On a failure, what was created is deleted again.
    pub async fn open(
        admin: Arc<dyn Admin>,
        spec: &TailSpec,
        run: &str,
        now: DateTime<Utc>,
    ) -> Result<TailSession, PubSubError> {
        let mut session = TailSession {
            admin,
            subscriptions: Vec::new(),
        };
        for topic in &spec.topics {
            let name = names::subscription(&spec.project, &format!("tail-{run}-{topic}"));
            let mut config = SubscriptionConfig::new(&name, names::topic(&spec.project, topic));
            config.filter = filter(spec);
            config.message_retention = Some(RETENTION);
            config.expiration_policy = Some(ExpirationPolicy { ttl: Some(EXPIRY) });
            config.labels =
                BTreeMap::from(TAIL_LABELS.map(|(k, v)| (k.to_string(), v.to_string())));
            if let Err(err) = session.admin.create_subscription(&config).await {
                session.close().await;
                return Err(err);
            }
            session.subscriptions.push((topic.clone(), name.clone()));
            if let Some(since) = spec.since {
                let from = now - chrono::TimeDelta::from_std(since).unwrap_or_default();
                if let Err(err) = session.admin.seek_to_time(&name, from).await {
                    session.close().await;
                    return Err(err);
                }
            }
        }
        Ok(session)
    }

    /// Deletes the subscriptions; returns what could not be deleted (it expires by itself).
    pub async fn close(&mut self) -> Vec<PubSubError> {
        let mut errors = Vec::new();
        for (_, name) in self.subscriptions.drain(..) {
            if let Err(err) = self.admin.delete_subscription(&name).await {
                errors.push(err);
            }
        }
        errors
    }
}

/// One message as a tail shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Tailed {
    pub received_at: DateTime<Utc>,
    pub topic: String,
    pub message_id: String,
    pub event_type: String,
    pub user: String,
    pub operation: String,
    /// The event id, then the item ids (every e-mail of a batch).
    pub ids: Vec<String>,
    pub attributes: BTreeMap<String, String>,
    /// The event as published (bodies redacted unless asked for); `None` when it is not JSON.
    pub data: Option<Value>,
    /// Why the message is not a valid event, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl Tailed {
    /// Reads `message` from `topic`, redacting bodies unless `show_bodies`.
    pub fn read(
        topic: &str,
        message: &ReceivedMessage,
        show_bodies: bool,
        received_at: DateTime<Utc>,
    ) -> Tailed {
        let attribute = |name: &str| message.attributes.get(name).cloned();
        let mut tailed = Tailed {
            received_at,
            topic: topic.to_string(),
            message_id: message.id.clone(),
            event_type: attribute(attr::EVENT_TYPE).unwrap_or_else(|| "?".into()),
            user: attribute(attr::USER_ID).unwrap_or_else(|| "?".into()),
            operation: attribute(attr::OPERATION).unwrap_or_else(|| "?".into()),
            ids: Vec::new(),
            attributes: message.attributes.clone(),
            data: serde_json::from_slice(&message.data).ok(),
            problem: None,
        };
        match envelope::decode_message(&message.data, &message.attributes) {
            Ok(decoded) => {
                let event = &decoded.event;
                let header = event.header();
                tailed.event_type = event.data_type().event_type().to_string();
                tailed.user = header.user_id.to_string();
                tailed.operation = header.operation.as_str().to_string();
                tailed.ids.push(header.event_id.to_string());
                tailed
                    .ids
                    .extend(event.items().iter().map(|i| i.doc_id().to_string()));
            }
            Err(err) => tailed.problem = Some(err.to_string()),
        }
        if !show_bodies && let Some(data) = &mut tailed.data {
            redact(data);
        }
        tailed
    }

    /// The one-line form: time, topic, type, user, operation, ids (the first three, then how
    /// many more).
    pub fn line(&self) -> String {
        let mut ids = self
            .ids
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(",");
        if self.ids.len() > 3 {
            ids.push_str(&format!(",+{}", self.ids.len() - 3));
        }
        let mut line = format!(
            "{} {} {} {} {} {}",
            self.received_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            self.topic,
            self.event_type,
            self.user,
            self.operation,
            if ids.is_empty() {
                &self.message_id
            } else {
                &ids
            },
        );
        if let Some(problem) = &self.problem {
            line.push_str(&format!(" (not a valid event: {problem})"));
        }
        line
    }
}

/// Replaces every body-like value in `value` with `"[redacted: N bytes]"`.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if BODY_FIELDS.contains(&key.as_str()) && !v.is_null() {
                    *v = Value::String(format!("[redacted: {} bytes]", v.to_string().len()));
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(user: Option<&str>, types: &[&str]) -> TailSpec {
        TailSpec {
            project: "p".into(),
            topics: vec!["emails".into()],
            user: user.map(String::from),
            event_types: types.iter().map(|t| t.to_string()).collect(),
            since: None,
        }
    }

    #[test]
    fn filters_quote_and_combine() {
        assert_eq!(filter(&spec(None, &[])), "");
        assert_eq!(
            filter(&spec(Some("u\"1"), &[])),
            r#"attributes.user_id = "u\"1""#
        );
        assert_eq!(
            filter(&spec(Some("u1"), &["EmailEvent", "EmailBackfillEvent"])),
            r#"attributes.user_id = "u1" AND (attributes.event_type = "EmailEvent" OR attributes.event_type = "EmailBackfillEvent")"#
        );
        assert_eq!(
            event_types_of("email").unwrap(),
            ["EmailEvent", "EmailBackfillEvent"]
        );
        assert_eq!(event_types_of("CalendarEvent").unwrap(), ["CalendarEvent"]);
        assert!(event_types_of("nope").is_none());
    }

    #[test]
    fn bodies_are_redacted_everywhere() {
        let mut v = serde_json::json!({"emails": [{"subject": "s", "body": {"content": "secret"},
            "snippet": "secret too"}], "todo": {"notes": null}});
        redact(&mut v);
        let text = v.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("\"subject\":\"s\""), "{text}");
        assert_eq!(v["todo"]["notes"], Value::Null);
    }
}
