//! Operations behind the `events` verbs: reading NDJSON of events (new or legacy, detected per
//! line), validating, converting, and publishing them with the envelope and claim check.
//!
//! Publishing is two-phase so bad input never half-publishes: every line is validated and every
//! message planned (sizes, parked payloads) before the first publish.

use crate::migrate::flags::PublishMode;
use crate::migrate::publish::{self, RouteError};
use crate::model::catalog::DataType;
use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::envelope::{self, PlannedMessage};
use crate::model::event::Event;
use crate::model::store::KeyValueStore;
use crate::model::validate::{self, Problem, SourceFormat, Validated};
use crate::ndjson;
use crate::pubsub::{BoundedPublisher, PubSubError, names};
use crate::report::{Report, Table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::BufRead;

/// One non-blank input line and what validation made of it.
#[derive(Debug)]
pub struct InputLine {
    /// 1-based line number in the input.
    pub line: usize,
    pub outcome: Result<Validated, Vec<Problem>>,
}

/// Iterates over the non-blank lines of NDJSON input, validating each.
///
/// Lines are read as bytes ([`ndjson::LineReader`]): a line that is not UTF-8 is an invalid
/// line like any other (`$`: not valid UTF-8 at byte N), not an error that ends the input.
pub struct NdjsonEvents<R> {
    lines: ndjson::LineReader<R>,
    buffer: Vec<u8>,
}

impl<R: BufRead> NdjsonEvents<R> {
    pub fn new(reader: R) -> Self {
        Self {
            lines: ndjson::LineReader::new(reader),
            buffer: Vec::new(),
        }
    }
}

impl<R: BufRead> Iterator for NdjsonEvents<R> {
    type Item = std::io::Result<InputLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buffer.clear();
            match self.lines.read_into(&mut self.buffer) {
                Ok(None) => return None,
                Ok(Some(at)) => {
                    let text = ndjson::trim(&self.buffer);
                    if text.is_empty() {
                        continue;
                    }
                    let outcome = match ndjson::utf8(&self.buffer) {
                        Ok(_) => validate::validate_bytes(text),
                        Err(not_utf8) => Err(vec![Problem {
                            path: "$".into(),
                            message: not_utf8.to_string(),
                        }]),
                    };
                    return Some(Ok(InputLine {
                        line: at.number as usize,
                        outcome,
                    }));
                }
                Err(err) => return Some(Err(err)),
            }
        }
    }
}

/// A line that failed validation, with every problem found.
#[derive(Debug, Clone, Serialize)]
pub struct InvalidLine {
    pub line: usize,
    pub problems: Vec<Problem>,
}

/// What `events validate` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ValidationReport {
    /// The input's name (a path or `-`).
    pub input: String,
    /// Non-blank lines read.
    pub lines: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Valid lines that were legacy `EmailBackfillEvent`s (upcast to `EmailEvent`).
    pub legacy: usize,
    /// Valid events per `event_type` (after upcast).
    pub by_event_type: BTreeMap<String, usize>,
    pub invalid_lines: Vec<InvalidLine>,
}

impl ValidationReport {
    /// An empty report for `input`.
    pub fn new(input: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            ..Self::default()
        }
    }

    /// Counts one line.
    pub fn record(&mut self, line: &InputLine) {
        self.lines += 1;
        match &line.outcome {
            Ok(validated) => {
                self.valid += 1;
                if validated.source == SourceFormat::LegacyEmailBackfill {
                    self.legacy += 1;
                }
                let event_type = validated.event.data_type().event_type();
                *self
                    .by_event_type
                    .entry(event_type.to_string())
                    .or_default() += 1;
            }
            Err(problems) => {
                self.invalid += 1;
                self.invalid_lines.push(InvalidLine {
                    line: line.line,
                    problems: problems.clone(),
                });
            }
        }
    }
}

impl Report for ValidationReport {
    fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        if !self.invalid_lines.is_empty() {
            let mut problems = Table::new(["line", "path", "problem"])
                .titled(format!("Invalid lines in `{}`", self.input));
            for invalid in &self.invalid_lines {
                for problem in &invalid.problems {
                    problems.push([
                        invalid.line.to_string(),
                        problem.path.clone(),
                        problem.message.clone(),
                    ]);
                }
            }
            tables.push(problems);
        }
        let mut summary = Table::new(["event type", "valid"]).titled(format!(
            "{} lines: {} valid ({} legacy, upcast), {} invalid",
            self.lines, self.valid, self.legacy, self.invalid
        ));
        for (event_type, count) in &self.by_event_type {
            summary.push([event_type.clone(), count.to_string()]);
        }
        tables.push(summary);
        tables
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::MemoryStore;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{
        Admin, ErrorKind, MessageSource, SubscriptionConfig, TopicConfig, receive,
    };
    use std::sync::Arc;
    use std::time::Duration;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Fixtures are pretty-printed; NDJSON needs one event per line.
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap()
    }

    fn valid_fixtures() -> Vec<String> {
        let dir = format!("{}/tests/fixtures/events/valid", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| fixture(&format!("valid/{n}")))
            .collect()
    }

    #[test]
    fn validation_counts_every_line_and_keeps_line_numbers() {
        let mut input = valid_fixtures().join("\n");
        input.push_str("\n\n{\"event_type\":\"EmailEvent\"}\n");
        input.push_str(&fixture("legacy/minimal.json"));
        input.push_str("\nnot json\n");
        let valid = valid_fixtures().len();
        let mut report = ValidationReport::new("-");
        for line in NdjsonEvents::new(input.as_bytes()) {
            report.record(&line.unwrap());
        }
        assert_eq!(report.lines, valid + 3);
        assert_eq!(report.valid, valid + 1);
        assert_eq!(report.legacy, 1);
        let lines: Vec<usize> = report.invalid_lines.iter().map(|l| l.line).collect();
        // One blank line is skipped but still counted in the numbering.
        assert_eq!(lines, vec![valid + 2, valid + 4]);
        assert!(
            report.invalid_lines[0].problems.len() > 1,
            "every problem, not just the first"
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_one_invalid_line_and_reading_goes_on() {
        let valid = fixture("valid/email.json");
        let mut input = format!("{valid}\n").into_bytes();
        // A Latin-1 "é" (one byte, 0xE9) in the subject, after two spaces of indentation.
        let (before, after) = valid.split_at(valid.find("Quarterly").unwrap());
        let at = 2 + before.len() + "caf".len() + 1;
        input.extend(format!("  {before}caf").into_bytes());
        input.push(0xe9);
        input.extend(format!(" {after}\n{valid}\n").into_bytes());
        let lines: Vec<InputLine> = NdjsonEvents::new(&input[..])
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(lines.len(), 3, "the line after the bad one is read too");
        assert!(lines[0].outcome.is_ok() && lines[2].outcome.is_ok());
        assert_eq!(lines[1].line, 2);
        let problems = lines[1].outcome.as_ref().unwrap_err();
        assert_eq!(
            problems,
            &vec![Problem {
                path: "$".into(),
                message: format!("not valid UTF-8 at byte {at}"),
            }]
        );
    }

    #[tokio::test]
    async fn publishes_with_attributes_and_parks_big_bodies_first() {
        let fake = FakePubSub::new();
        fake.create_topic(&TopicConfig::named("projects/p/topics/emails"))
            .await
            .unwrap();
        fake.create_subscription(&SubscriptionConfig::new(
            "projects/p/subscriptions/check-emails",
            "projects/p/topics/emails",
        ))
        .await
        .unwrap();
        let mut event: serde_json::Value =
            serde_json::from_str(&fixture("valid/email.json")).unwrap();
        event["emails"][0]["body"]["content"] = serde_json::Value::String("x".repeat(4000));
        let event = validate::validate_value(event).unwrap().event;
        let config = ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        };
        let plans = plan_all(
            vec![NumberedEvent { line: 1, event }],
            "p",
            None,
            &config,
            true,
        )
        .unwrap();
        assert_eq!(plans[0].plan.parked.len(), 1);

        let store = MemoryStore::new();
        let publisher = BoundedPublisher::new(Arc::new(fake.clone()), 4);
        let report = publish_all("-", plans, Some(&store), &publisher)
            .await
            .unwrap();
        assert_eq!(report.published, 1);
        assert_eq!(report.claim_checked, 1);
        assert_eq!(store.len(), 1);

        let mut stream = fake.subscribe("projects/p/subscriptions/check-emails");
        let got = receive(stream.as_mut(), 1, Duration::from_millis(50))
            .await
            .unwrap();
        let message = &got[0].message;
        assert_eq!(message.attributes["event_type"], "EmailEvent");
        assert_eq!(message.attributes["claim_check"], "true");
        let mut decoded = envelope::decode_message(&message.data, &message.attributes).unwrap();
        assert!(decoded.has_payload_refs);
        claim_check::resolve_payloads(&mut decoded.event, &store, &config)
            .await
            .unwrap();
        assert!(!claim_check::has_payload_refs(&decoded.event));
    }

    #[tokio::test]
    async fn failed_publishes_are_reported_with_their_line() {
        let fake = FakePubSub::new();
        fake.create_topic(&TopicConfig::named("projects/p/topics/emails"))
            .await
            .unwrap();
        fake.fail_next("publish", ErrorKind::Unavailable, 1);
        let event = validate::validate_bytes(fixture("valid/email.json").as_bytes())
            .unwrap()
            .event;
        let events = vec![
            NumberedEvent {
                line: 3,
                event: event.clone(),
            },
            NumberedEvent { line: 4, event },
        ];
        let plans = plan_all(events, "p", None, &ClaimCheckConfig::default(), true).unwrap();
        let publisher = BoundedPublisher::new(Arc::new(fake.clone()), 1);
        let report = publish_all("-", plans, None, &publisher).await.unwrap();
        assert_eq!(report.published, 1);
        assert_eq!(report.failures.len(), 1);
        assert_eq!(report.failures[0].line, 3);
        assert!(report.failures[0].error.contains("UNAVAILABLE"));
    }

    #[tokio::test]
    async fn missing_topics_are_found_before_publishing() {
        let fake = FakePubSub::new();
        fake.create_topic(&TopicConfig::named("projects/p/topics/emails"))
            .await
            .unwrap();
        let email = validate::validate_bytes(fixture("valid/email.json").as_bytes())
            .unwrap()
            .event;
        let todo = validate::validate_bytes(fixture("valid/todo.json").as_bytes())
            .unwrap()
            .event;
        let events = vec![
            NumberedEvent {
                line: 1,
                event: email,
            },
            NumberedEvent {
                line: 2,
                event: todo,
            },
        ];
        let plans = plan_all(events, "p", None, &ClaimCheckConfig::default(), true).unwrap();
        assert_eq!(
            missing_topics(&fake, &plans).await.unwrap(),
            vec!["projects/p/topics/todos".to_string()]
        );
    }

    #[test]
    fn topic_override_and_ordering_switch_apply() {
        let event = validate::validate_bytes(fixture("valid/email.json").as_bytes())
            .unwrap()
            .event;
        let plans = plan_all(
            vec![NumberedEvent { line: 1, event }],
            "p",
            Some("replay"),
            &ClaimCheckConfig::default(),
            false,
        )
        .unwrap();
        assert_eq!(plans[0].topic, "projects/p/topics/replay");
        assert_eq!(plans[0].plan.message.ordering_key, None);
    }
}
