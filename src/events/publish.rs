//! `events publish`: plan every message (topic, parked payloads, ordering key), route it through
//! the migration's publish modes, check the topics exist, then park payloads and publish.

use crate::migrate::flags::PublishMode;
use crate::migrate::publish::{self, RouteError};
use crate::model::catalog::DataType;
use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::envelope::{self, PlannedMessage};
use crate::model::event::Event;
use crate::model::store::KeyValueStore;
use crate::pubsub::{BoundedPublisher, PubSubError, names};
use crate::report::{Report, Table};
use serde::Serialize;
use std::collections::BTreeMap;

/// What `events publish` did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PublishReport {
    pub input: String,
    pub dry_run: bool,
    /// Messages published (or planned) per full topic name.
    pub by_topic: BTreeMap<String, usize>,
    pub published: usize,
    /// Payloads parked in Redis (claim check).
    pub claim_checked: usize,
    /// Bytes of message data (after parking).
    pub bytes: usize,
    /// Publishes the service refused, with the input line.
    pub failures: Vec<PublishFailure>,
}

/// A message that could not be published.
#[derive(Debug, Clone, Serialize)]
pub struct PublishFailure {
    pub line: usize,
    pub topic: String,
    pub error: String,
}

impl PublishReport {
    /// Counts the items the publish-mode routing refused (neither copy is published).
    pub fn add_route_failures(&mut self, failures: &[RouteFailure]) {
        for failure in failures {
            let topic = match &failure.error {
                RouteError::LegacyTooLarge { topic, .. } => topic.clone(),
                RouteError::LegacyCopy { .. } => String::new(),
            };
            self.failures.push(PublishFailure {
                line: failure.line,
                topic,
                error: failure.error.to_string(),
            });
        }
        self.failures.sort_by_key(|f| f.line);
    }
}

impl Report for PublishReport {
    fn tables(&self) -> Vec<Table> {
        let verb = if self.dry_run {
            "would publish"
        } else {
            "published"
        };
        let mut table = Table::new(["topic", "messages"]).titled(format!(
            "{verb} {} messages ({} bytes, {} payloads claim-checked)",
            self.published, self.bytes, self.claim_checked
        ));
        for (topic, count) in &self.by_topic {
            table.push([topic.clone(), count.to_string()]);
        }
        let mut tables = vec![table];
        if !self.failures.is_empty() {
            let mut failures = Table::new(["line", "topic", "error"]).titled("Failed publishes");
            for f in &self.failures {
                failures.push([f.line.to_string(), f.topic.clone(), f.error.clone()]);
            }
            tables.push(failures);
        }
        tables
    }
}

/// A valid event with the input line it came from.
#[derive(Debug, Clone)]
pub struct NumberedEvent {
    pub line: usize,
    pub event: Event,
}

/// A planned message with its input line and destination.
#[derive(Debug, Clone)]
pub struct NumberedPlan {
    pub line: usize,
    /// Full topic name.
    pub topic: String,
    pub plan: PlannedMessage,
}

/// Planning failed for an event (e.g. it cannot fit even with its payloads parked).
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {source}")]
pub struct PlanError {
    pub line: usize,
    #[source]
    pub source: claim_check::ClaimCheckError,
}

/// Plans every message: the data type's topic in `project` (or `topic_override`), parked
/// payloads per `config`, and the ordering key unless `ordering` is off.
pub fn plan_all(
    events: Vec<NumberedEvent>,
    project: &str,
    topic_override: Option<&str>,
    config: &ClaimCheckConfig,
    ordering: bool,
) -> Result<Vec<NumberedPlan>, PlanError> {
    events
        .into_iter()
        .map(|NumberedEvent { line, event }| {
            let mut plan = envelope::plan_message(event, config)
                .map_err(|source| PlanError { line, source })?;
            if !ordering {
                plan.message.ordering_key = None;
            }
            let topic = names::topic(project, topic_override.unwrap_or(plan.topic));
            Ok(NumberedPlan { line, topic, plan })
        })
        .collect()
}

/// A planned message that could not be routed, with its input line.
#[derive(Debug, Clone)]
pub struct RouteFailure {
    pub line: usize,
    pub error: RouteError,
}

/// Rewrites planned messages for the migration's publish modes
/// ([`crate::migrate::publish::route_message`]): drops, keeps or adds legacy copies. Messages of
/// data types without a legacy topic pass through unchanged. A message whose legacy copy cannot
/// be built is left out entirely (both copies) and returned as a failure.
pub fn route(
    plans: Vec<NumberedPlan>,
    project: &str,
    modes: &BTreeMap<DataType, PublishMode>,
    max_message_bytes: usize,
) -> (Vec<NumberedPlan>, Vec<RouteFailure>) {
    let mut routed = Vec::with_capacity(plans.len());
    let mut failures = Vec::new();
    for plan in plans {
        let mode = DataType::all()
            .find(|t| names::topic(project, t.topic()) == plan.topic)
            .and_then(|t| modes.get(&t).copied());
        let Some(mode) = mode else {
            // A type without a migration, or a topic chosen by the caller.
            routed.push(plan);
            continue;
        };
        match publish::route_message(&plan.plan, project, mode, max_message_bytes) {
            Ok(copies) => routed.extend(copies.into_iter().map(|(topic, copy)| NumberedPlan {
                line: plan.line,
                topic,
                plan: copy,
            })),
            Err(error) => failures.push(RouteFailure {
                line: plan.line,
                error,
            }),
        }
    }
    (routed, failures)
}

/// Counts what the plans would publish (the whole report for `--dry-run`).
pub fn summarize(input: &str, plans: &[NumberedPlan], dry_run: bool) -> PublishReport {
    let mut report = PublishReport {
        input: input.to_string(),
        dry_run,
        ..Default::default()
    };
    for p in plans {
        *report.by_topic.entry(p.topic.clone()).or_default() += 1;
        report.published += 1;
        report.claim_checked += p.plan.parked.len();
        report.bytes += p.plan.message.data.len();
    }
    report
}

/// The plans' topics that do not exist, checked with one get per distinct topic, so a publish
/// never half-succeeds because a topic is missing.
pub async fn missing_topics(
    admin: &dyn crate::pubsub::Admin,
    plans: &[NumberedPlan],
) -> Result<Vec<String>, PubSubError> {
    let topics: std::collections::BTreeSet<&str> = plans.iter().map(|p| p.topic.as_str()).collect();
    let mut missing = Vec::new();
    for topic in topics {
        match admin.get_topic(topic).await {
            Ok(_) => {}
            Err(err) if err.is_not_found() => missing.push(topic.to_string()),
            Err(err) => return Err(err),
        }
    }
    Ok(missing)
}

/// Stores every parked payload, then publishes every message (bounded in flight by
/// `publisher`). A payload is always stored before the message that references it.
pub async fn publish_all(
    input: &str,
    plans: Vec<NumberedPlan>,
    store: Option<&dyn KeyValueStore>,
    publisher: &BoundedPublisher,
) -> Result<PublishReport, PublishAllError> {
    let parked: Vec<_> = plans
        .iter()
        .flat_map(|p| p.plan.parked.iter().cloned())
        .collect();
    if !parked.is_empty() {
        let store = store.ok_or(PublishAllError::NoStore {
            payloads: parked.len(),
        })?;
        claim_check::store_parked(&parked, store)
            .await
            .map_err(PublishAllError::Store)?;
    }
    let mut report = summarize(input, &plans, false);
    let mut pending = Vec::with_capacity(plans.len());
    for p in plans {
        let completion = publisher.publish(&p.topic, p.plan.message).await;
        pending.push((p.line, p.topic, completion));
    }
    for (line, topic, completion) in pending {
        if let Err(err) = completion.await {
            report.published -= 1;
            if let Some(count) = report.by_topic.get_mut(&topic) {
                *count -= 1;
                if *count == 0 {
                    report.by_topic.remove(&topic);
                }
            }
            report.failures.push(PublishFailure {
                line,
                topic,
                error: err.to_string(),
            });
        }
    }
    Ok(report)
}

/// Publishing could not start.
#[derive(Debug, thiserror::Error)]
pub enum PublishAllError {
    #[error("{payloads} payloads must be parked in Redis but no store was given")]
    NoStore { payloads: usize },
    #[error("cannot park payloads in Redis")]
    Store(#[source] crate::model::store::StoreError),
    #[error(transparent)]
    PubSub(#[from] PubSubError),
}
