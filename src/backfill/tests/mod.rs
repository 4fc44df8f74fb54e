//! Engine tests against the in-memory Pub/Sub and key-value store.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use super::checkpoint::{self, RunIdentity};
use super::source::NdjsonSource;
use super::subscription::SubscriptionSource;
use super::*;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::envelope;
use crate::model::event::Event;
use crate::model::store::{KeyValueStore, MemoryStore};
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{
    Admin, BoundedPublisher, ErrorKind, MessageSource, OutgoingMessage, SubscriptionConfig,
    TopicConfig, receive,
};
use crate::report::Report as _;
use crate::run::CancellationToken;
use crate::run::failpoint::Failpoints;
use crate::run::progress::Silent;

const TOPIC: &str = "projects/p/topics/emails";
const SUB: &str = "projects/p/subscriptions/check";

fn record(user: &str, id: &str, body: &str) -> String {
    serde_json::json!({
        "user_id": user, "provider": "google",
        "provider_message_id": id, "thread_id": "t", "subject": "",
        "from": {"email": "a@example.com"}, "to": [{"email": "b@example.com"}],
        "body": {"mime_type": "text/plain", "content": body},
        "received_at": "2024-02-01T00:00:00Z"
    })
    .to_string()
}

fn mailbox(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let user = if i % 3 == 0 { "u2" } else { "u1" };
        let body = if i == 4 {
            "x".repeat(3000)
        } else {
            format!("body {i}")
        };
        out.push_str(&record(user, &format!("m{i}"), &body));
        out.push('\n');
        if i == 6 {
            out.push_str(&record("u1", "m5", "duplicate"));
            out.push_str("\n{\"bad\": true}\n");
        }
    }
    out
}

fn options(correlation_id: &str) -> Options {
    Options {
        topic: TOPIC.into(),
        routing: Routing::Topic(TOPIC.into()),
        selection: Selection {
            users: BTreeSet::from(["u1".to_string(), "u2".to_string()]),
            since: None,
            until: None,
            batch_size: 3,
        },
        correlation_id: correlation_id.into(),
        dry_run: false,
        ordering: true,
        strict: false,
        rate: None,
        claim_check: ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        },
        retry: crate::retry::Backoff {
            initial: Duration::from_millis(5),
            max: Duration::from_millis(20),
            total: Some(Duration::from_millis(500)),
            ..crate::retry::Backoff::default()
        },
        resume_from: BTreeMap::new(),
        identity: RunIdentity {
            source: "test".into(),
            batch_size: 3,
            since: None,
            until: None,
        },
        failpoints: Failpoints::none(),
        progress_interval: Duration::from_millis(50),
    }
}

async fn fake() -> FakePubSub {
    let fake = FakePubSub::new();
    fake.create_topic(&TopicConfig::named(TOPIC)).await.unwrap();
    fake.create_subscription(&SubscriptionConfig::new(SUB, TOPIC))
        .await
        .unwrap();
    fake
}

fn source(text: &str) -> Box<dyn source::Source> {
    Box::new(NdjsonSource::new(
        "mailbox",
        Box::new(std::io::Cursor::new(text.to_string())),
        Some(text.len() as u64),
    ))
}

async fn go(options: Options, text: &str, fake: &FakePubSub, store: &MemoryStore) -> RunResult {
    let sinks = Sinks {
        publisher: BoundedPublisher::new(Arc::new(fake.clone()), 2),
        store: Arc::new(store.clone()),
        trace: None,
    };
    run(
        options,
        source(text),
        Some(sinks),
        None,
        Arc::new(Silent),
        CancellationToken::new(),
    )
    .await
}

/// Every published message decoded: (batch id, user, e-mail ids).
async fn drain(fake: &FakePubSub) -> Vec<(String, String, Vec<String>, bool)> {
    let mut stream = fake.subscribe(SUB);
    let got = receive(stream.as_mut(), 1000, Duration::from_millis(50))
        .await
        .unwrap();
    got.into_iter()
        .map(|d| {
            let decoded = envelope::decode_message(&d.message.data, &d.message.attributes).unwrap();
            let parked = d.message.attributes.contains_key("claim_check");
            d.ack();
            let Event::Email(e) = decoded.event else {
                panic!("not an email event")
            };
            let ids = e
                .emails
                .iter()
                .map(|m| m.provider_message_id.clone())
                .collect();
            (e.batch_id.unwrap(), e.user_id, ids, parked)
        })
        .collect()
}

#[tokio::test]
async fn publishes_every_email_once_in_batches_and_checkpoints_complete() {
    let fake = fake().await;
    let store = MemoryStore::new();
    let result = go(options("c1"), &mailbox(12), &fake, &store).await;
    assert!(result.error.is_none(), "{:?}", result.error);
    let r = &result.report;
    assert_eq!(r.outcome, Outcome::Complete);
    // Items read: 13 records and the rejected line.
    assert_eq!(
        (r.read, r.published, r.rejected, r.duplicates_skipped),
        (14, 12, 1, 1)
    );
    assert_eq!(r.claim_checked, 1);
    let messages = drain(&fake).await;
    assert_eq!(messages.len() as u64, r.batches);
    let mut all: Vec<String> = messages.iter().flat_map(|m| m.2.clone()).collect();
    all.sort();
    let mut expected: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
    expected.sort();
    assert_eq!(all, expected);
    assert!(messages.iter().all(|m| m.2.len() <= 3));
    assert_eq!(messages.iter().filter(|m| m.3).count(), 1);
    // u1: 8 e-mails → 3 batches; u2: 4 → 2.
    assert_eq!(r.users["u1"].batches, 3);
    assert_eq!(r.users["u2"].batches, 2);
    let users = vec!["u1".to_string(), "u2".to_string()];
    let checkpoints = checkpoint::load_all(&store, TOPIC, &users).await.unwrap();
    assert!(checkpoints.values().all(|c| c.complete));
    assert_eq!(checkpoints["u1"].acked_batches, 3);
    assert_eq!(checkpoints["u1"].correlation_id, "c1");

    // The same input and correlation id give the same batch ids.
    let again = fake_again(&mailbox(12), "c1").await;
    let first: BTreeSet<String> = messages.iter().map(|m| m.0.clone()).collect();
    assert_eq!(first, again);
    assert_ne!(first, fake_again(&mailbox(12), "c2").await);
}

async fn fake_again(text: &str, correlation: &str) -> BTreeSet<String> {
    let fake = fake().await;
    let result = go(options(correlation), text, &fake, &MemoryStore::new()).await;
    assert!(result.error.is_none());
    drain(&fake).await.into_iter().map(|m| m.0).collect()
}

#[tokio::test]
async fn transient_publish_failures_are_retried() {
    let fake = fake().await;
    fake.fail_next("publish", ErrorKind::Unavailable, 3);
    let store = MemoryStore::new();
    let result = go(options("c"), &mailbox(12), &fake, &store).await;
    assert!(result.error.is_none(), "{:?}", result.error);
    assert_eq!(result.report.published, 12);
    assert_eq!(drain(&fake).await.len() as u64, result.report.batches);
}

#[tokio::test]
async fn an_outage_fails_with_the_checkpoint_a_prefix() {
    let fake = fake().await;
    let store = MemoryStore::new();
    fake.fail_next("publish", ErrorKind::Unavailable, 1000);
    let result = go(options("c"), &mailbox(12), &fake, &store).await;
    let err = result.error.expect("an outage fails the run");
    assert!(matches!(err, BackfillError::Publish(_)), "{err}");
    assert_eq!(result.report.outcome, Outcome::Failed);
    assert_eq!(result.report.published, 0);
    let users = vec!["u1".to_string(), "u2".to_string()];
    let checkpoints = checkpoint::load_all(&store, TOPIC, &users).await.unwrap();
    assert!(
        checkpoints.is_empty(),
        "nothing acknowledged, nothing checkpointed"
    );
}

#[tokio::test]
async fn resume_skips_acknowledged_batches_and_detects_changed_input() {
    let fake = fake().await;
    let store = MemoryStore::new();
    let text = mailbox(12);
    let full = go(options("c"), &text, &fake, &store).await;
    assert!(full.error.is_none());
    let published = drain(&fake).await;
    let u1_ids: Vec<&String> = published
        .iter()
        .filter(|m| m.1 == "u1")
        .map(|m| &m.0)
        .collect();

    // As if the run had died after u1's second batch.
    let users = vec!["u1".to_string(), "u2".to_string()];
    let mut checkpoints = checkpoint::load_all(&store, TOPIC, &users).await.unwrap();
    let u1 = checkpoints.get_mut("u1").unwrap();
    u1.acked_batches = 2;
    u1.last_batch_id = Some(u1_ids[1].clone());
    u1.chain = checkpoint::chain(&checkpoint::chain("", u1_ids[0]), u1_ids[1]);
    u1.complete = false;
    checkpoints.remove("u2");
    let mut resumed = options("c");
    resumed.resume_from = checkpoints.clone();
    let result = go(resumed, &text, &fake, &store).await;
    assert!(result.error.is_none(), "{:?}", result.error);
    assert_eq!(result.report.already_published, 6);
    let again = drain(&fake).await;
    let again_u1: Vec<&String> = again.iter().filter(|m| m.1 == "u1").map(|m| &m.0).collect();
    assert_eq!(again_u1, vec![u1_ids[2]]);
    assert_eq!(again.iter().filter(|m| m.1 == "u2").count(), 2);

    // A different input under the same checkpoint is refused.
    let mut changed = options("c");
    changed.resume_from = checkpoints;
    let other = text.replace("\"m1\"", "\"m1-changed\"");
    let result = go(changed, &other, &fake, &store).await;
    assert!(
        matches!(result.error, Some(BackfillError::InputChanged { .. })),
        "{:?}",
        result.error
    );
}

/// Issue 17: every item read is counted once more, whatever became of it, so
/// `read = published + rejected + skipped of each kind`, and the summary says so.
#[tokio::test]
async fn items_read_are_published_rejected_or_skipped_and_the_summary_says_so() {
    let dated = |user: &str, id: &str, received: &str| {
        let mut r: serde_json::Value = serde_json::from_str(&record(user, id, "b")).unwrap();
        r["received_at"] = serde_json::json!(received);
        r.to_string()
    };
    let mut event: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/email.json"
        ))
        .unwrap(),
    )
    .unwrap();
    event["user_id"] = serde_json::json!("u2");
    let mut input = Vec::new();
    for line in [
        record("u1", "m1", "valid"),
        record("u2", "m2", "valid"),
        record("u3", "m3", "another user's"),
        record("u1", "m1", "a duplicate"),
        dated("u1", "m4", "2023-06-01T00:00:00Z"), // before --since
        "{\"bad\": true}".to_string(),
        String::new(),     // blank: not an item
        event.to_string(), // an event of 2 e-mails: 2 items from one line
        "{broken".to_string(),
    ] {
        input.extend(line.into_bytes());
        input.push(b'\n');
    }
    input.extend(b"{\"user_id\":\"u1\",\"subject\":\"caf\xe9\"}\n"); // not UTF-8
    let run_once = |resume_from| {
        let mut opts = options("c");
        opts.selection.since = Some("2024-01-01T00:00:00Z".parse().unwrap());
        opts.resume_from = resume_from;
        let input = input.clone();
        async move {
            let sinks = Sinks {
                publisher: BoundedPublisher::new(Arc::new(fake().await), 2),
                store: Arc::new(MemoryStore::new()),
                trace: None,
            };
            let store = sinks.store.clone();
            let source = Box::new(NdjsonSource::new(
                "mixed",
                Box::new(std::io::Cursor::new(input)),
                None,
            ));
            let result = run(
                opts,
                source,
                Some(sinks),
                None,
                Arc::new(Silent),
                CancellationToken::new(),
            )
            .await;
            (result, store)
        }
    };
    let (result, store) = run_once(BTreeMap::new()).await;
    assert!(result.error.is_none(), "{:?}", result.error);
    let r = &result.report;
    let figures = (
        r.read,
        r.published,
        r.rejected,
        r.duplicates_skipped,
        r.out_of_range,
        r.other_users_skipped,
        r.already_published,
        r.not_published,
    );
    assert_eq!(figures, (10, 4, 3, 1, 1, 1, 0, 0));
    assert_eq!(r.read, r.settled());
    assert_eq!(
        r.identity(),
        "10 items read = 4 published + 3 rejected + 1 duplicates skipped + 1 out of range + 1 other users skipped + 0 already published"
    );
    let title = r.tables()[0].title.clone().unwrap();
    assert_eq!(title.lines().nth(1), Some(r.identity().as_str()), "{title}");

    // A resume skips what is acknowledged: counted as already published, the identity holds.
    let users = vec!["u1".to_string(), "u2".to_string()];
    let checkpoints = checkpoint::load_all(store.as_ref(), TOPIC, &users)
        .await
        .unwrap();
    assert_eq!(checkpoints.len(), 2);
    let (result, _) = run_once(checkpoints).await;
    assert!(result.error.is_none(), "{:?}", result.error);
    let r = &result.report;
    assert_eq!((r.read, r.published, r.already_published), (10, 0, 4));
    assert_eq!(r.read, r.settled());
}

#[tokio::test]
async fn dry_run_publishes_and_writes_nothing() {
    let fake = fake().await;
    let mut opts = options("c");
    opts.dry_run = true;
    let text = mailbox(12);
    let result = run(
        opts,
        source(&text),
        None,
        None,
        Arc::new(Silent),
        CancellationToken::new(),
    )
    .await;
    assert!(result.error.is_none());
    assert_eq!(result.report.published, 12);
    assert_eq!(result.report.claim_checked, 1);
    assert_eq!(fake.published_count(TOPIC), 0);
}

#[tokio::test]
async fn strict_stops_at_the_first_invalid_record_and_rejects_are_written() {
    let fake = fake().await;
    let mut opts = options("c");
    opts.strict = true;
    let result = go(opts, &mailbox(12), &fake, &MemoryStore::new()).await;
    let err = result.error.expect("strict fails");
    assert!(err.to_string().contains("line 9"), "{err}");
    // What was read but not published when the run stopped is counted as such.
    let r = &result.report;
    assert_eq!((r.read, r.rejected), (9, 1));
    assert_eq!(r.read, r.settled() + r.not_published);
    assert!(r.not_published > 0, "{r:?}");
    assert!(
        r.identity().ends_with(&format!(
            " + {} not published (run stopped)",
            r.not_published
        )),
        "{}",
        r.identity()
    );

    let path = std::env::temp_dir().join(format!("rejects-{}.ndjson", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    let text = mailbox(12);
    let result = run(
        options("c"),
        source(&text),
        None,
        Some(Box::new(file)),
        Arc::new(Silent),
        CancellationToken::new(),
    )
    .await;
    assert!(result.error.is_none());
    let rejects = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let line: serde_json::Value = serde_json::from_str(rejects.trim()).unwrap();
    assert_eq!(line["line"], 9);
    assert!(line["reason"].as_str().unwrap().contains("$.user_id"));
    assert_eq!(line["record"], "{\"bad\": true}");
}

#[tokio::test]
async fn cancel_stops_between_batches_with_checkpoints_for_what_was_acknowledged() {
    let fake = fake().await;
    let store = MemoryStore::new();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let sinks = Sinks {
        publisher: BoundedPublisher::new(Arc::new(fake.clone()), 2),
        store: Arc::new(store.clone()),
        trace: None,
    };
    let text = mailbox(12);
    let result = run(
        options("c"),
        source(&text),
        Some(sinks),
        None,
        Arc::new(Silent),
        cancel,
    )
    .await;
    assert!(result.error.is_none());
    assert_eq!(result.report.outcome, Outcome::Interrupted);
    assert_eq!(fake.published_count(TOPIC), 0);
    assert!(store.get("x").await.unwrap().is_none());
}

#[tokio::test]
async fn a_subscription_is_drained_and_acked_only_after_publishing() {
    let fake = fake().await;
    let legacy_topic = "projects/p/topics/email-backfill";
    let legacy_sub = "projects/p/subscriptions/email-backfill-replay";
    fake.create_topic(&TopicConfig::named(legacy_topic))
        .await
        .unwrap();
    fake.create_subscription(&SubscriptionConfig::new(legacy_sub, legacy_topic))
        .await
        .unwrap();
    let publisher = BoundedPublisher::new(Arc::new(fake.clone()), 10);
    for (user, ids) in [("u1", ["a", "b"]), ("u3", ["c", "d"]), ("u1", ["e", "f"])] {
        let legacy = serde_json::json!({
            "user_id": user, "provider": "gmail",
            "emails": ids.iter().map(|id| serde_json::json!({
                "message_id": id, "thread_id": "t", "from": "a@example.com",
                "to": ["b@example.com"], "received_at": "2024-01-01T00:00:00Z"
            })).collect::<Vec<_>>()
        });
        publisher
            .publish(legacy_topic, OutgoingMessage::new(legacy.to_string()))
            .await
            .await
            .unwrap();
    }
    publisher
        .publish(legacy_topic, OutgoingMessage::new("not json"))
        .await
        .await
        .unwrap();
    let store = MemoryStore::new();
    let source = SubscriptionSource::new(
        legacy_sub,
        fake.subscribe(legacy_sub),
        Duration::from_millis(100),
    );
    let sinks = Sinks {
        publisher: BoundedPublisher::new(Arc::new(fake.clone()), 4),
        store: Arc::new(store.clone()),
        trace: None,
    };
    let result = run(
        options("c"),
        Box::new(source),
        Some(sinks),
        None,
        Arc::new(Silent),
        CancellationToken::new(),
    )
    .await;
    assert!(result.error.is_none(), "{:?}", result.error);
    assert_eq!(result.report.published, 4);
    assert_eq!(result.report.rejected, 1);
    assert_eq!(result.report.other_users_skipped, 2);
    let published = drain(&fake).await;
    let ids: BTreeSet<String> = published.iter().flat_map(|m| m.2.clone()).collect();
    assert_eq!(ids, ["a", "b", "e", "f"].map(String::from).into());
    // The u3 message was left for redelivery; the rest were acknowledged.
    assert_eq!(fake.backlog(legacy_sub), 1);
}

mod routing;
