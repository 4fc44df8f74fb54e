//! The declared layout: reading `plans/topology.yaml` strictly, applying `defaults` and an
//! environment overlay, and checking the whole for consistency.
//!
//! Names in the file are short ids; full names come from the project in the settings
//! ([`SubscriptionSpec::to_config`]). What the file does not declare is not compared: a
//! subscription without `ack_deadline` gets Pub/Sub's default and any live value is accepted.
//! `labels`, `filter`, `dead_letter` and `retry` are always declared (absent means none).

use super::fields::{
    AckDeadline, Backoff, Expiration, Filter, Id, Labels, MaxAttempts, Retention, UniqueMap,
};
use crate::pubsub::{
    DeadLetterPolicy, ExpirationPolicy, RetryPolicy, SubscriptionConfig, TopicConfig, names,
};
use crate::yaml::{self, YamlError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The layout file officectl reads when `--layout` is not given.
pub const DEFAULT_PATH: &str = "plans/topology.yaml";

/// Why a layout could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("cannot read layout `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid layout {0}")]
    Parse(#[from] YamlError),
    #[error("invalid layout `{}`: {}", path.display(), problems.join("; "))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error(
        "no overlay for environment `{env}`: `{}` does not exist",
        path.display()
    )]
    NoOverlay { env: String, path: PathBuf },
    #[error("invalid environment name `{0}`: use lowercase letters, digits and `-`")]
    BadEnvName(String),
}

// ---------------------------------------------------------------------------------------------
// The file as written

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    #[serde(default)]
    defaults: RawDefaults,
    topics: UniqueMap<Id, RawTopic>,
    #[serde(default)]
    subscriptions: UniqueMap<Id, RawSubscription>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    topic: RawTopicDefaults,
    #[serde(default)]
    subscription: RawSubscriptionDefaults,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicDefaults {
    labels: Option<Labels>,
    retention: Option<Retention>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    labels: Option<Labels>,
    retention: Option<Retention>,
    #[serde(default)]
    legacy: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscriptionDefaults {
    ack_deadline: Option<AckDeadline>,
    retention: Option<Retention>,
    retain_acked: Option<bool>,
    retry: Option<RawRetry>,
    ordering: Option<bool>,
    exactly_once: Option<bool>,
    expiration: Option<Expiration>,
    labels: Option<Labels>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscription {
    topic: Id,
    ack_deadline: Option<AckDeadline>,
    retention: Option<Retention>,
    retain_acked: Option<bool>,
    dead_letter: Option<RawDeadLetter>,
    retry: Option<RawRetry>,
    filter: Option<Filter>,
    ordering: Option<bool>,
    exactly_once: Option<bool>,
    expiration: Option<Expiration>,
    labels: Option<Labels>,
    #[serde(default)]
    legacy: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadLetter {
    topic: Id,
    max_attempts: MaxAttempts,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetry {
    min_backoff: Backoff,
    max_backoff: Backoff,
}

/// `plans/topology.<env>.yaml`: per-environment overrides of labels, ack deadlines and retention.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlay {
    /// Added to every topic and subscription.
    #[serde(default)]
    labels: Labels,
    #[serde(default)]
    topics: UniqueMap<Id, RawTopicOverride>,
    #[serde(default)]
    subscriptions: UniqueMap<Id, RawSubscriptionOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicOverride {
    labels: Option<Labels>,
    retention: Option<Retention>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscriptionOverride {
    labels: Option<Labels>,
    ack_deadline: Option<AckDeadline>,
    retention: Option<Retention>,
}

// ---------------------------------------------------------------------------------------------
// The resolved layout

/// A declared topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicSpec {
    pub labels: BTreeMap<String, String>,
    /// `None`: not declared, not compared.
    #[serde(
        with = "crate::duration::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub retention: Option<Duration>,
    /// Kept and verified until a migration retires it.
    pub legacy: bool,
}

impl TopicSpec {
    /// The topic as Pub/Sub sees it, in `project`.
    pub fn to_config(&self, project: &str, id: &str) -> TopicConfig {
        TopicConfig {
            name: names::topic(project, id),
            labels: self.labels.clone(),
            message_retention: self.retention,
        }
    }
}

/// Where a subscription's undeliverable messages go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadLetterSpec {
    /// Short topic id.
    pub topic: String,
    pub max_attempts: i32,
}

/// Redelivery backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetrySpec {
    #[serde(with = "crate::duration")]
    pub min_backoff: Duration,
    #[serde(with = "crate::duration")]
    pub max_backoff: Duration,
}

/// Subscription expiration: `never`, or after a TTL of inactivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpirationSpec {
    Never,
    After(Duration),
}

/// A declared subscription. `None` fields are not declared and not compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionSpec {
    /// Short topic id.
    pub topic: String,
    pub ack_deadline: Option<i32>,
    pub retention: Option<Duration>,
    pub retain_acked: Option<bool>,
    pub dead_letter: Option<DeadLetterSpec>,
    pub retry: Option<RetrySpec>,
    /// Empty: no filter.
    pub filter: String,
    pub ordering: Option<bool>,
    pub exactly_once: Option<bool>,
    pub expiration: Option<ExpirationSpec>,
    pub labels: BTreeMap<String, String>,
    pub legacy: bool,
}

impl SubscriptionSpec {
    /// The subscription as Pub/Sub should have it, in `project`. Undeclared fields take
    /// Pub/Sub's defaults.
    pub fn to_config(&self, project: &str, id: &str) -> SubscriptionConfig {
        let mut config = SubscriptionConfig::new(
            names::subscription(project, id),
            names::topic(project, &self.topic),
        );
        if let Some(ack) = self.ack_deadline {
            config.ack_deadline_seconds = ack;
        }
        config.message_retention = self.retention;
        config.retain_acked_messages = self.retain_acked.unwrap_or(false);
        config.dead_letter_policy = self.dead_letter.as_ref().map(|d| DeadLetterPolicy {
            topic: names::topic(project, &d.topic),
            max_delivery_attempts: d.max_attempts,
        });
        config.retry_policy = self.retry.map(|r| RetryPolicy {
            minimum_backoff: r.min_backoff,
            maximum_backoff: r.max_backoff,
        });
        config.filter = self.filter.clone();
        config.enable_message_ordering = self.ordering.unwrap_or(false);
        config.enable_exactly_once_delivery = self.exactly_once.unwrap_or(false);
        config.expiration_policy = self.expiration.map(|e| ExpirationPolicy {
            ttl: match e {
                ExpirationSpec::Never => None,
                ExpirationSpec::After(ttl) => Some(ttl),
            },
        });
        config.labels = self.labels.clone();
        config
    }
}

/// A loaded, checked layout. Keys are short ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The file it came from.
    pub path: PathBuf,
    /// The environment overlay applied, if any.
    pub env: Option<String>,
    pub topics: BTreeMap<String, TopicSpec>,
    pub subscriptions: BTreeMap<String, SubscriptionSpec>,
}

impl Layout {
    /// Reads `path`, then the overlay for `env` beside it (`<stem>.<env>.yaml`), and checks the
    /// result.
    pub fn load(path: &Path, env: Option<&str>) -> Result<Layout, LayoutError> {
        let text = read(path)?;
        let overlay = match env {
            None => None,
            Some(env) => {
                let overlay_path = overlay_path(path, env)?;
                if !overlay_path.exists() {
                    return Err(LayoutError::NoOverlay {
                        env: env.to_string(),
                        path: overlay_path,
                    });
                }
                let overlay_text = read(&overlay_path)?;
                Some((env, overlay_path, overlay_text))
            }
        };
        let overlay = overlay
            .as_ref()
            .map(|(env, p, t)| (*env, p.as_path(), t.as_str()));
        Self::parse(&text, path, overlay)
    }

    /// Parses layout text (and an optional overlay: env name, path, text) without touching disk.
    pub fn parse(
        text: &str,
        path: &Path,
        overlay: Option<(&str, &Path, &str)>,
    ) -> Result<Layout, LayoutError> {
        let raw: RawLayout = yaml::parse(text, path)?;
        let mut layout = resolve(raw, path);
        check(&layout)?;
        if let Some((env, overlay_path, overlay_text)) = overlay {
            let raw: RawOverlay = yaml::parse(overlay_text, overlay_path)?;
            apply_overlay(&mut layout, raw, overlay_path)?;
            layout.env = Some(env.to_string());
            check(&layout)?;
        }
        Ok(layout)
    }

    /// Topic ids used as a dead-letter target by some subscription.
    pub fn dead_letter_topics(&self) -> BTreeSet<&str> {
        self.subscriptions
            .values()
            .filter_map(|s| s.dead_letter.as_ref().map(|d| d.topic.as_str()))
            .collect()
    }

    /// How many topics and subscriptions it declares.
    pub fn len(&self) -> usize {
        self.topics.len() + self.subscriptions.len()
    }

    /// Whether it declares nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `plans/topology.yaml` + `staging` → `plans/topology.staging.yaml`.
pub fn overlay_path(layout: &Path, env: &str) -> Result<PathBuf, LayoutError> {
    let valid = !env.is_empty()
        && env
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(LayoutError::BadEnvName(env.to_string()));
    }
    let stem = layout
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = layout
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "yaml".into());
    Ok(layout.with_file_name(format!("{stem}.{env}.{ext}")))
}

fn read(path: &Path) -> Result<String, LayoutError> {
    std::fs::read_to_string(path).map_err(|source| LayoutError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn merged(base: &Option<Labels>, own: &Option<Labels>) -> BTreeMap<String, String> {
    let mut labels = base.as_ref().map(|l| l.0.clone()).unwrap_or_default();
    if let Some(own) = own {
        labels.extend(own.0.clone());
    }
    labels
}

fn resolve(raw: RawLayout, path: &Path) -> Layout {
    let td = &raw.defaults.topic;
    let sd = &raw.defaults.subscription;
    let topics = raw
        .topics
        .0
        .into_iter()
        .map(|(id, t)| {
            let spec = TopicSpec {
                labels: merged(&td.labels, &t.labels),
                retention: t.retention.or(td.retention).map(|r| r.0),
                legacy: t.legacy,
            };
            (id.0, spec)
        })
        .collect();
    let subscriptions = raw
        .subscriptions
        .0
        .into_iter()
        .map(|(id, s)| {
            let retry = s.retry.or(sd.retry);
            let expiration = s.expiration.or(sd.expiration);
            let spec = SubscriptionSpec {
                topic: s.topic.0,
                ack_deadline: s.ack_deadline.or(sd.ack_deadline).map(|a| a.0),
                retention: s.retention.or(sd.retention).map(|r| r.0),
                retain_acked: s.retain_acked.or(sd.retain_acked),
                dead_letter: s.dead_letter.map(|d| DeadLetterSpec {
                    topic: d.topic.0,
                    max_attempts: d.max_attempts.0,
                }),
                retry: retry.map(|r| RetrySpec {
                    min_backoff: r.min_backoff.0,
                    max_backoff: r.max_backoff.0,
                }),
                filter: s.filter.map(|f| f.0).unwrap_or_default(),
                ordering: s.ordering.or(sd.ordering),
                exactly_once: s.exactly_once.or(sd.exactly_once),
                expiration: expiration.map(|e| match e {
                    Expiration::Never => ExpirationSpec::Never,
                    Expiration::After(ttl) => ExpirationSpec::After(ttl),
                }),
                labels: merged(&sd.labels, &s.labels),
                legacy: s.legacy,
            };
            (id.0, spec)
        })
        .collect();
    Layout {
        path: path.to_path_buf(),
        env: None,
        topics,
        subscriptions,
    }
}

fn apply_overlay(layout: &mut Layout, raw: RawOverlay, path: &Path) -> Result<(), LayoutError> {
    let mut problems = Vec::new();
    for id in raw.topics.0.keys() {
        if !layout.topics.contains_key(id.as_str()) {
            problems.push(format!(
                "topic `{id}` is not declared in `{}`",
                layout.path.display()
            ));
        }
    }
    for id in raw.subscriptions.0.keys() {
        if !layout.subscriptions.contains_key(id.as_str()) {
            problems.push(format!(
                "subscription `{id}` is not declared in `{}`",
                layout.path.display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(LayoutError::Invalid {
            path: path.to_path_buf(),
            problems,
        });
    }
    for (id, topic) in layout.topics.iter_mut() {
        topic.labels.extend(raw.labels.0.clone());
        if let Some(o) = raw.topics.0.get(&Id(id.clone())) {
            if let Some(labels) = &o.labels {
                topic.labels.extend(labels.0.clone());
            }
            if let Some(retention) = o.retention {
                topic.retention = Some(retention.0);
            }
        }
    }
    for (id, sub) in layout.subscriptions.iter_mut() {
        sub.labels.extend(raw.labels.0.clone());
        if let Some(o) = raw.subscriptions.0.get(&Id(id.clone())) {
            if let Some(labels) = &o.labels {
                sub.labels.extend(labels.0.clone());
            }
            if let Some(ack) = o.ack_deadline {
                sub.ack_deadline = Some(ack.0);
            }
            if let Some(retention) = o.retention {
                sub.retention = Some(retention.0);
            }
        }
    }
    Ok(())
}

/// Checks what a single value cannot: references, naming, and dead letters that would be lost.
fn check(layout: &Layout) -> Result<(), LayoutError> {
    let mut problems = Vec::new();
    let dead_letter_topics = layout.dead_letter_topics();
    let subscribed: BTreeSet<&str> = layout
        .subscriptions
        .values()
        .map(|s| s.topic.as_str())
        .collect();
    for (id, sub) in &layout.subscriptions {
        if !layout.topics.contains_key(&sub.topic) {
            problems.push(format!(
                "subscription `{id}`: topic `{}` is not declared under `topics`",
                sub.topic
            ));
        }
        if let Some(dl) = &sub.dead_letter {
            if !layout.topics.contains_key(&dl.topic) {
                problems.push(format!(
                    "subscription `{id}`: dead-letter topic `{}` is not declared under `topics`",
                    dl.topic
                ));
            }
            if dl.topic == sub.topic {
                problems.push(format!(
                    "subscription `{id}`: dead-letter topic `{}` is the topic it reads",
                    dl.topic
                ));
            }
        }
        if !sub.legacy {
            let consumer = id
                .strip_suffix(sub.topic.as_str())
                .and_then(|rest| rest.strip_suffix('-'));
            if consumer.is_none_or(str::is_empty) {
                problems.push(format!(
                    "subscription `{id}` on topic `{}` must be named `<consumer>-{}` \
                     (or be marked `legacy: true`)",
                    sub.topic, sub.topic
                ));
            }
        }
        if let Some(retry) = sub.retry
            && retry.min_backoff > retry.max_backoff
        {
            problems.push(format!(
                "subscription `{id}`: retry min_backoff {} is over max_backoff {}",
                crate::duration::format(retry.min_backoff),
                crate::duration::format(retry.max_backoff)
            ));
        }
    }
    for topic in &dead_letter_topics {
        if layout.topics.contains_key(*topic) && !subscribed.contains(topic) {
            problems.push(format!(
                "dead-letter topic `{topic}` has no subscription: its dead letters would be lost"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(LayoutError::Invalid {
            path: layout.path.clone(),
            problems,
        })
    }
}
