//! Reading, validating, planning, routing and publishing events against the in-memory fakes.

use super::*;
use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::envelope;
use crate::model::store::MemoryStore;
use crate::model::validate::{self, Problem};
use crate::pubsub::BoundedPublisher;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{Admin, ErrorKind, MessageSource, SubscriptionConfig, TopicConfig, receive};
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
    let mut event: serde_json::Value = serde_json::from_str(&fixture("valid/email.json")).unwrap();
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
