//! The re-feed pipeline against an in-memory Vespa, store and Pub/Sub: what is fed, what is
//! acked, and what the checkpoints say after complete, interrupted and failed runs.

use super::commit::{FileCommitter, MessageCommitter, VisitCommitter};
use super::file::FileSource;
use super::from_vespa::{VisitSource, fresh_streams};
use super::subscription::SubscriptionSource;
use super::*;
use crate::model::store::MemoryStore;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{
    Admin, MessageSource, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
};
use crate::run::CancellationToken;
use crate::run::failpoint::Failpoints;
use crate::vespa::checkpoint::{FilePosition, Mode, RunIdentity, SlicePosition};
use crate::vespa::fake::FakeVespa;
use crate::vespa::visit::{self, VisitOptions};
use serde_json::{Value, json};

/// An e-mail document as an older officectl stored it: no derived fields, a time as text.
fn old_email(user: &str, i: usize) -> (String, Value) {
    (
        format!("id:office:email:g={user}:m-{i:02}"),
        json!({
            "title": format!("mail {i}"),
            "from_address": "a@example.com",
            "to_addresses": "b@example.com",
            "received_at": "2024-04-30T08:15:00Z",
        }),
    )
}

fn options(dry_run: bool, failpoint: Option<&str>) -> Options {
    Options {
        feed: FeedConfig::for_connections(2),
        rate: None,
        dry_run,
        failpoints: failpoint.map_or_else(Failpoints::none, |f| f.parse().unwrap()),
        observe: None,
    }
}

struct Visit {
    vespa: Arc<FakeVespa>,
    store: MemoryStore,
    identity: RunIdentity,
    targets: Vec<visit::VisitTarget>,
    options: VisitOptions,
}

impl Visit {
    fn new(user: &str) -> Visit {
        let vespa = Arc::new(FakeVespa::with_delay(Duration::from_millis(10)));
        for i in 0..12 {
            let (id, fields) = old_email("u1", i);
            vespa.seed(&id, fields);
        }
        for i in 0..5 {
            let (id, fields) = old_email("u2", i);
            vespa.seed(&id, fields);
        }
        Visit {
            vespa,
            store: MemoryStore::new(),
            identity: RunIdentity::new(Mode::Visit, "office", &[user.into()], &["email".into()]),
            targets: visit::plan(&[user.into()], &[DataType::Email], "office"),
            options: VisitOptions {
                page_size: 1,
                slices: 3,
                ..VisitOptions::default()
            },
        }
    }

    async fn checkpoint(&self) -> Option<Checkpoint> {
        checkpoint::load(&self.store, &self.identity).await.unwrap()
    }

    /// Runs from `streams` (fresh when `None`).
    async fn run(
        &self,
        streams: Option<Vec<SlicePosition>>,
        opts: Options,
    ) -> (RefeedReport, CancellationToken) {
        // A resume carries the checkpoint's totals on, as the command does.
        let fed = match &streams {
            Some(_) => self.checkpoint().await.map_or(0, |c| c.fed),
            None => 0,
        };
        let streams = streams.unwrap_or_else(|| fresh_streams(&self.targets, 3));
        let counters = Arc::new(Counters::default());
        let source = VisitSource::new(
            self.vespa.clone(),
            self.targets.clone(),
            self.options.clone(),
            streams.clone(),
            counters.clone(),
        );
        let sink = CheckpointSink {
            store: Arc::new(self.store.clone()),
            checkpoint: Checkpoint {
                identity: self.identity.clone(),
                position: checkpoint::Position::Visit {
                    slices: 3,
                    streams: streams.clone(),
                },
                fed,
                complete: false,
                started_at: checkpoint::now(),
                updated_at: checkpoint::now(),
            },
            every: Duration::ZERO,
        };
        let cancel = CancellationToken::new();
        let report = run(
            self.vespa.clone(),
            Box::new(source),
            Box::new(VisitCommitter::new(3, streams)),
            Some(sink),
            opts,
            Handles {
                counters,
                progress: Arc::default(),
                cancel: cancel.clone(),
            },
        )
        .await;
        (report, cancel)
    }
}

fn streams_of(checkpoint: &Checkpoint) -> Vec<SlicePosition> {
    match &checkpoint.position {
        checkpoint::Position::Visit { streams, .. } => streams.clone(),
        other => panic!("visit position expected: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_visit_re_feeds_one_users_documents_in_the_current_shape() {
    let t = Visit::new("u1");
    let (report, _) = t.run(None, options(false, None)).await;
    assert!(report.complete, "{report:?}");
    assert_eq!((report.read, report.fed, report.upgraded), (12, 12, 12));
    assert_eq!(report.feed.failed, 0);
    assert!(!report.has_failures());
    for i in 0..12 {
        let fields = t.vespa.fields(&old_email("u1", i).0);
        assert_eq!(fields["doc_type"], "email");
        assert_eq!(fields["user_id"], "u1");
        assert_eq!(fields["doc_id"], format!("m-{i:02}"));
        assert_eq!(fields["received_at"], 1_714_464_900);
        assert_eq!(fields["created_at"], 1_714_464_900);
        assert_eq!(
            fields["participants"],
            json!(["a@example.com", "b@example.com"])
        );
    }
    for i in 0..5 {
        let (id, old) = old_email("u2", i);
        assert_eq!(
            t.vespa.fields(&id),
            old,
            "another user's document was touched"
        );
    }
    let checkpoint = t.checkpoint().await.expect("checkpoint written");
    assert!(checkpoint.complete);
    assert_eq!(checkpoint.fed, 12);
    assert!(streams_of(&checkpoint).iter().all(|s| s.done));
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_visit_resumes_from_each_slices_continuation() {
    let t = Visit::new("u1");
    let (first, _) = t
        .run(
            None,
            options(false, Some("reindex-interrupt-after-units:2")),
        )
        .await;
    assert!(first.interrupted && !first.complete, "{first:?}");
    assert!(first.read < 12, "{first:?}");
    let checkpoint = t.checkpoint().await.expect("checkpoint written");
    assert!(!checkpoint.complete);
    let streams = streams_of(&checkpoint);
    assert!(
        streams.iter().any(|s| s.continuation.is_some() || s.done),
        "{streams:?}"
    );
    let puts_before = t.vespa.puts();
    let (second, _) = t.run(Some(streams), options(false, None)).await;
    assert!(second.complete, "{second:?}");
    assert!(second.read < 12, "resumed, not restarted: {second:?}");
    assert!(first.read + second.read >= 12);
    assert_eq!(t.vespa.puts() - puts_before, second.read as usize);
    for i in 0..12 {
        assert_eq!(t.vespa.fields(&old_email("u1", i).0)["doc_type"], "email");
    }
    let checkpoint = t.checkpoint().await.unwrap();
    assert!(checkpoint.complete);
    assert_eq!(checkpoint.fed, first.fed + second.fed);
}

#[tokio::test(start_paused = true)]
async fn a_failed_put_holds_its_slice_back_and_the_run_is_incomplete() {
    let t = Visit::new("u1");
    let broken = old_email("u1", 4).0;
    t.vespa.fail_puts(&broken, 507);
    let (report, _) = t.run(None, options(false, None)).await;
    assert!(!report.complete && report.has_failures());
    assert_eq!(report.feed.failed, 1);
    assert_eq!(report.fed, 11);
    assert_eq!(report.feed.failures[0].id, broken);
    let checkpoint = t.checkpoint().await.unwrap();
    assert!(!checkpoint.complete);
    let streams = streams_of(&checkpoint);
    assert_eq!(streams.iter().filter(|s| !s.done).count(), 1, "{streams:?}");
    // Fixed, a resume visits that slice from before the failed page and finishes.
    t.vespa.clear_failed_puts();
    let (again, _) = t.run(Some(streams), options(false, None)).await;
    assert!(again.complete, "{again:?}");
    assert!(again.read >= 1 && again.read < 12, "{again:?}");
    assert_eq!(t.vespa.fields(&broken)["doc_type"], "email");
}

#[tokio::test(start_paused = true)]
async fn an_untransformable_document_is_reported_by_id_and_fails_its_page() {
    let t = Visit::new("u1");
    let broken = "id:office:email:g=u1:m-99";
    t.vespa.seed(broken, json!({"is_read": "perhaps"}));
    let (report, _) = t.run(None, options(false, None)).await;
    assert!(!report.complete && report.has_failures());
    assert_eq!(report.invalid, 1);
    assert_eq!(report.fed, 12);
    assert_eq!(report.problems[0].at, format!("document `{broken}`"));
    assert!(report.problems[0].message.contains("`is_read`"));
    assert_eq!(t.vespa.fields(broken), json!({"is_read": "perhaps"}));
}

#[tokio::test(start_paused = true)]
async fn a_dry_run_visits_and_counts_but_writes_nothing() {
    let t = Visit::new("u1");
    let (report, _) = t.run(None, options(true, None)).await;
    assert_eq!(report.read, 12);
    assert_eq!(report.feed.operations, 12);
    assert_eq!(t.vespa.puts(), 0);
    assert!(t.store.is_empty(), "no checkpoint in a dry run");
    assert_eq!(t.vespa.fields(&old_email("u1", 0).0), old_email("u1", 0).1);
}

fn event_line(user: &str, i: usize) -> String {
    let mut event: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/email.json"
        ))
        .unwrap(),
    )
    .unwrap();
    event["user_id"] = json!(user);
    event["event_id"] = json!(format!("evt-{i}"));
    let mut email = event["emails"][0].clone();
    email["provider_message_id"] = json!(format!("msg-{i}"));
    event["emails"] = json!([email]);
    event.to_string()
}

#[tokio::test(start_paused = true)]
async fn a_file_resume_seeks_to_the_checkpointed_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.ndjson");
    let lines: Vec<String> = (0..10).map(|i| event_line("u1", i)).collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let vespa = Arc::new(FakeVespa::with_delay(Duration::from_millis(5)));
    let store = MemoryStore::new();
    let identity = RunIdentity::new(Mode::File, path.display().to_string(), &[], &[]);
    let run_from = |start: FilePosition, failpoint| {
        let counters = Arc::new(Counters::default());
        let source = FileSource::file(
            path.clone(),
            "events.ndjson".into(),
            start.clone(),
            super::convert::EventConverter {
                filter: Filter::default(),
                payloads: None,
                newer_wins: false,
            },
            counters.clone(),
        );
        let sink = CheckpointSink {
            store: Arc::new(store.clone()),
            checkpoint: Checkpoint {
                identity: identity.clone(),
                position: checkpoint::Position::File(start.clone()),
                fed: 0,
                complete: false,
                started_at: checkpoint::now(),
                updated_at: checkpoint::now(),
            },
            every: Duration::ZERO,
        };
        run(
            vespa.clone(),
            Box::new(source),
            Box::new(FileCommitter::new(start)),
            Some(sink),
            Options {
                // One at a time, so the interrupt lands midway.
                feed: FeedConfig {
                    min_inflight: 1,
                    max_inflight: 1,
                    ..FeedConfig::for_connections(1)
                },
                ..options(false, failpoint)
            },
            Handles {
                counters,
                ..Handles::default()
            },
        )
    };
    let start = super::file::position_of(&path).unwrap();
    let first = run_from(start, Some("reindex-interrupt-after-units:4")).await;
    assert!(first.interrupted, "{first:?}");
    let saved = checkpoint::load(&store, &identity).await.unwrap().unwrap();
    let checkpoint::Position::File(at) = saved.position else {
        panic!("file position expected")
    };
    assert!(at.line >= 4 && at.line < 10, "{at:?}");
    let expected_offset: usize = lines[..at.line as usize].iter().map(|l| l.len() + 1).sum();
    assert_eq!(at.offset, expected_offset as u64);
    let second = run_from(at.clone(), None).await;
    assert!(second.complete, "{second:?}");
    assert_eq!(second.read, 10 - at.line, "only the rest is read");
    assert_eq!(vespa.documents(), 10);
    let saved = checkpoint::load(&store, &identity).await.unwrap().unwrap();
    assert!(saved.complete);
}

#[tokio::test(start_paused = true)]
async fn subscription_messages_are_acked_once_fed_and_otherwise_left() {
    const TOPIC: &str = "projects/p/topics/emails";
    const SUB: &str = "projects/p/subscriptions/refeed";
    let pubsub = FakePubSub::new();
    pubsub
        .create_topic(&TopicConfig::named(TOPIC))
        .await
        .unwrap();
    pubsub
        .create_subscription(&SubscriptionConfig::new(SUB, TOPIC))
        .await
        .unwrap();
    let bodies = [
        event_line("u1", 1),
        event_line("u1", 2),
        event_line("u1", 3), // its put fails
        event_line("u2", 4), // not selected
        r#"{"event_type":"EmailEvent"}"#.to_string(),
        r#"{"event_type":"HologramEvent","user_id":"u1"}"#.to_string(),
    ];
    for body in bodies {
        pubsub
            .publish(TOPIC, OutgoingMessage::new(body))
            .await
            .unwrap();
    }
    let vespa = Arc::new(FakeVespa::default());
    vespa.fail_puts("id:office:email:g=u1:msg-3", 400);
    let counters = Arc::new(Counters::default());
    let mut filter = Filter::default();
    filter.users.insert("u1".into());
    let source = SubscriptionSource::new(
        pubsub.subscribe(SUB),
        Duration::from_millis(300),
        super::convert::EventConverter {
            filter,
            payloads: None,
            newer_wins: false,
        },
        counters.clone(),
    );
    let report = run(
        vespa.clone(),
        Box::new(source),
        Box::new(MessageCommitter { dry_run: false }),
        None,
        options(false, None),
        Handles {
            counters,
            ..Handles::default()
        },
    )
    .await;
    assert_eq!(report.read, 6, "{report:?}");
    assert_eq!(report.fed, 2);
    assert_eq!(report.feed.failed, 1);
    assert_eq!(report.acked, 3, "two fed and the unknown type");
    assert_eq!(
        report.left_for_redelivery, 3,
        "failed, not selected, invalid"
    );
    assert_eq!(
        (report.filtered, report.invalid, report.skipped_unknown_type),
        (1, 1, 1)
    );
    assert_eq!(pubsub.backlog(SUB), 3);
    assert_eq!(vespa.documents(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_checkpoint_that_cannot_be_written_stops_the_run() {
    let t = Visit::new("u1");
    t.store.fail_next(1);
    let (report, cancel) = t.run(None, options(false, None)).await;
    assert!(cancel.is_cancelled(), "the run was stopped");
    assert!(!report.interrupted && !report.complete, "{report:?}");
    let err = report.checkpoint_error.clone().expect("checkpoint error");
    assert!(err.contains("office:reindex:checkpoint:visit:"), "{err}");
    assert!(report.has_failures());
    assert!(report.read < 12, "it stopped early: {report:?}");
}

#[tokio::test(start_paused = true)]
async fn a_booking_stored_with_host_is_re_fed_with_host_address() {
    // Issue 18: bookings were fed with a `host` field, which real Vespa reserves; the double
    // took them. A visit re-feeds them under the current name, without losing the value.
    let mut t = Visit::new("u3");
    t.identity = RunIdentity::new(Mode::Visit, "office", &["u3".into()], &["booking".into()]);
    t.targets = visit::plan(&["u3".into()], &[DataType::Booking], "office");
    let id = "id:office:booking:g=u3:bk-1";
    t.vespa.seed(
        id,
        json!({"title": "intro call", "host": "h@example.com", "guest": "g@example.com",
               "participants": ["h@example.com", "g@example.com"], "updated_at": 5}),
    );
    let (report, _) = t.run(None, options(false, None)).await;
    assert!(report.complete && !report.has_failures(), "{report:?}");
    assert_eq!((report.read, report.fed, report.upgraded), (1, 1, 1));
    assert_eq!(
        report.dropped_fields, 0,
        "the value moved, nothing was lost"
    );
    let fields = t.vespa.fields(id);
    assert_eq!(fields["host_address"], "h@example.com");
    assert!(fields.get("host").is_none(), "{fields}");
    assert_eq!(
        fields["participants"],
        json!(["h@example.com", "g@example.com"])
    );
}
