//! The feed engine against the shared fake Vespa, on a paused clock: backoffs, deadlines and
//! the rate limit take no real time, and time-based assertions hold exactly.

use super::*;
use crate::vespa::fake::{Answer, FakeVespa};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use tokio::time::Instant;

fn put(id: &str, fields: &str) -> Operation {
    Operation {
        kind: OpKind::Put,
        id: id.into(),
        condition: None,
        create: false,
        fields: Some(RawValue::from_string(fields.into()).unwrap()),
    }
}

fn config() -> FeedConfig {
    FeedConfig {
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        overload_backoff: Duration::from_millis(1),
        max_overload_backoff: Duration::from_millis(2),
        ..FeedConfig::for_connections(2)
    }
}

async fn run(fake: Arc<FakeVespa>, ops: Vec<Operation>, config: &FeedConfig) -> FeedOutcome {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        for op in ops {
            if tx.send(Ok(op)).await.is_err() {
                break;
            }
        }
    });
    feed(
        fake,
        rx,
        config,
        &Progress::default(),
        &CancellationToken::new(),
    )
    .await
}

fn path(id: &str) -> String {
    document_path(id).unwrap()
}

#[test]
fn status_classes_follow_the_official_clients() {
    for s in [200, 201, 204, 404, 412] {
        assert_eq!(classify(s), Class::Done, "{s}");
    }
    assert_eq!(classify(429), Class::Overloaded);
    assert_eq!(classify(503), Class::Transient);
    for s in [400, 405, 413, 500, 502, 504, 507] {
        assert_eq!(classify(s), Class::Fatal, "{s}");
    }
}

#[test]
fn ids_map_to_paths() {
    assert_eq!(
        document_path("id:office:email:g=user%401:m 1/x").unwrap(),
        "/document/v1/office/email/group/user%25401/m%201%2Fx"
    );
    assert_eq!(
        document_path("id:ns:music::a:b").unwrap(),
        "/document/v1/ns/music/docid/a%3Ab"
    );
    assert_eq!(
        document_path("id:ns:music:n=23:k").unwrap(),
        "/document/v1/ns/music/number/23/k"
    );
    assert!(document_path("id:ns:music:x=1:k").is_err());
    assert!(document_path("doc:ns:music::k").is_err());
    assert!(document_path("id:ns:music::").is_err());
}

#[test]
fn requests_carry_condition_create_and_fields() {
    let mut op = put("id:n:t::1", r#"{"a": 1}"#);
    op.kind = OpKind::Update;
    op.create = true;
    op.condition = Some("t.a == 1".into());
    let mut config = config();
    config.timeout = Some(Duration::from_secs(5));
    let r = op.request(&config).unwrap();
    assert_eq!(r.method, "PUT");
    assert_eq!(
        r.path,
        "/document/v1/n/t/docid/1?condition=t.a%20%3D%3D%201&create=true&timeout=5000ms"
    );
    assert_eq!(r.body.unwrap(), r#"{"fields":{"a": 1}}"#);
    op.kind = OpKind::Remove;
    assert_eq!(op.request(&config).unwrap().method, "DELETE");
    assert_eq!(
        op.to_feed_json(),
        r#"{"remove":"id:n:t::1","condition":"t.a == 1","create":true,"fields":{"a": 1}}"#
    );
}

#[tokio::test(start_paused = true)]
async fn operations_on_one_document_stay_in_order_while_others_run_concurrently() {
    let fake = Arc::new(FakeVespa::default());
    let mut ops = Vec::new();
    for round in 0..5 {
        for doc in 0..20 {
            ops.push(put(
                &format!("id:n:t::{doc}"),
                &format!("{{\"round\":{round}}}"),
            ));
        }
    }
    // The first version of doc 3 is overloaded twice and gets a 503: its later versions wait.
    let p3 = path("id:n:t::3");
    fake.answer(&p3, 1, 429);
    fake.answer(&p3, 2, 429);
    fake.answer(&p3, 3, 503);
    let config = FeedConfig {
        min_inflight: 64,
        ..config()
    };
    let out = run(fake.clone(), ops, &config).await;
    assert_eq!(out.operations, 100);
    assert_eq!(out.ok, 100, "{out:?}");
    assert_eq!(out.failed, 0);
    assert_eq!(out.retries, 3);
    assert!(!fake.overlapped(), "same id overlapped");
    assert!(fake.peak() > 1, "nothing ran concurrently");
    let log = fake.requests();
    for doc in 0..20 {
        let p = path(&format!("id:n:t::{doc}"));
        let rounds: Vec<String> = log
            .iter()
            .filter(|seen| seen.path == p)
            .map(|seen| seen.body.clone().unwrap())
            .collect();
        let mut expected: Vec<String> = (0..5)
            .map(|r| format!("{{\"fields\":{{\"round\":{r}}}}}"))
            .collect();
        if doc == 3 {
            // Three retries of round 0 before the others.
            for _ in 0..3 {
                expected.insert(0, expected[0].clone());
            }
        }
        assert_eq!(rounds, expected, "doc {doc}");
    }
}

#[tokio::test(start_paused = true)]
async fn fatal_statuses_are_reported_not_retried() {
    let fake = Arc::new(FakeVespa::default());
    let ids: Vec<String> = (0..6).map(|i| format!("id:n:t::{i}")).collect();
    for (id, status) in ids.iter().zip([400, 500, 504, 507, 404, 412]) {
        fake.answer(&path(id), 1, status);
    }
    let ops = ids.iter().map(|id| put(id, "{}")).collect();
    let out = run(fake.clone(), ops, &config()).await;
    assert_eq!(out.requests, 6);
    assert_eq!(out.retries, 0);
    assert_eq!(out.failed, 4);
    assert_eq!(out.not_found, 1);
    assert_eq!(out.condition_not_met, 1);
    let failed: BTreeMap<String, u64> = ["400", "500", "504", "507"]
        .iter()
        .map(|s| (s.to_string(), 1))
        .collect();
    assert_eq!(out.failed_by_status, failed);
    let f = out.failures.iter().find(|f| f.status == Some(507)).unwrap();
    assert_eq!(f.id, "id:n:t::3");
    assert_eq!(f.message, "status 507");
}

#[tokio::test(start_paused = true)]
async fn transient_failures_retry_a_bounded_number_of_times() {
    let fake = Arc::new(FakeVespa::default());
    let (a, b, c) = (path("id:n:t::a"), path("id:n:t::b"), path("id:n:t::c"));
    for attempt in 1..=20 {
        fake.answer(&a, attempt, 503);
    }
    fake.answer(&b, 1, 503);
    fake.answer(&c, 1, Answer::Reset);
    // 429s do not use up the attempts.
    for attempt in 2..=30 {
        fake.answer(&c, attempt, 429);
    }
    let mut config = config();
    config.max_attempts = 4;
    let ops = ["a", "b", "c"]
        .iter()
        .map(|i| put(&format!("id:n:t::{i}"), "{}"))
        .collect();
    let out = run(fake.clone(), ops, &config).await;
    assert_eq!(out.ok, 2, "{out:?}");
    assert_eq!(out.failed, 1);
    let f = &out.failures[0];
    assert_eq!(
        (f.id.as_str(), f.status, f.attempts),
        ("id:n:t::a", Some(503), 4)
    );
    assert!(
        f.message.starts_with("giving up after 4 attempts"),
        "{}",
        f.message
    );
    assert_eq!(out.transport_errors, 1);
    assert_eq!(fake.attempts(&c), 31);
    assert_eq!(out.responses[&429], 29);
}

/// A retry waiting out its backoff is not on the wire, so it does not hold a place in flight:
/// with one place, the other documents go while `a` waits to be retried.
#[tokio::test(start_paused = true)]
async fn retries_backing_off_leave_their_place_to_other_operations() {
    let fake = Arc::new(FakeVespa::default());
    let a = path("id:n:t::a");
    fake.answer(&a, 1, 503);
    let config = FeedConfig {
        min_inflight: 1,
        max_inflight: 1,
        backoff: Duration::from_millis(400),
        max_backoff: Duration::from_millis(400),
        ..config()
    };
    let ops = ["a", "b", "c", "d"]
        .iter()
        .map(|i| put(&format!("id:n:t::{i}"), "{}"))
        .collect();
    let out = run(fake.clone(), ops, &config).await;
    assert_eq!((out.ok, out.failed, out.retries), (4, 0, 1), "{out:?}");
    let order: Vec<String> = fake
        .requests()
        .iter()
        .map(|seen| seen.path.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(order, ["a", "b", "c", "d", "a"]);
    assert_eq!(fake.peak(), 1);
}

/// While the server fails everything, new operations are held back (one probe at a time once
/// nothing is outstanding): an outage fails a handful of operations and gives up at the
/// deadline, instead of failing every operation read while it lasts.
#[tokio::test(start_paused = true)]
async fn an_outage_holds_new_operations_back() {
    let fake = Arc::new(FakeVespa::default());
    let ids: Vec<String> = (0..200).map(|i| format!("id:n:t::{i}")).collect();
    for id in &ids {
        for attempt in 1..=10 {
            fake.answer(&path(id), attempt, 503);
        }
    }
    let config = FeedConfig {
        max_attempts: 3,
        backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(20),
        deadline: Duration::from_millis(400),
        ..config()
    };
    let ops = ids.iter().map(|id| put(id, "{}")).collect();
    let out = run(fake.clone(), ops, &config).await;
    assert_eq!(out.ok, 0, "{out:?}");
    assert!(out.gave_up.is_some(), "{out:?}");
    assert!(
        out.failed <= 40,
        "{} operations failed during the outage",
        out.failed
    );
}

/// Once the feed has given up, a retry that comes due is reported, not sent again.
#[tokio::test(start_paused = true)]
async fn after_giving_up_due_retries_are_not_sent() {
    let fake = Arc::new(FakeVespa::default());
    let a = path("id:n:t::a");
    for attempt in 1..=10 {
        fake.answer(&a, attempt, 503);
    }
    let config = FeedConfig {
        max_attempts: 10,
        backoff: Duration::from_millis(150),
        max_backoff: Duration::from_millis(150),
        deadline: Duration::from_millis(100),
        ..config()
    };
    let out = run(fake.clone(), vec![put("id:n:t::a", "{}")], &config).await;
    assert_eq!(out.failed, 1, "{out:?}");
    assert!(out.gave_up.is_some());
    assert_eq!(fake.attempts(&a), 1);
    let f = &out.failures[0];
    assert!(f.message.contains("not retried after"), "{}", f.message);
    assert_eq!(f.status, Some(503));
}

#[tokio::test(start_paused = true)]
async fn overload_cuts_the_in_flight_target() {
    let fake = Arc::new(FakeVespa::default());
    let mut ops = Vec::new();
    for i in 0..400 {
        let id = format!("id:n:t::{i}");
        if i >= 200 {
            fake.answer(&path(&id), 1, 429);
        }
        ops.push(put(&id, "{}"));
    }
    let config = FeedConfig {
        min_inflight: 2,
        max_inflight: 64,
        ..config()
    };
    let progress = Progress::default();
    let (tx, rx) = mpsc::channel(1000);
    for op in ops {
        tx.send(Ok(op)).await.unwrap();
    }
    drop(tx);
    let out = feed(
        fake.clone(),
        rx,
        &config,
        &progress,
        &CancellationToken::new(),
    )
    .await;
    assert_eq!(out.ok, 400);
    assert_eq!(out.retries, 200);
    // The first 200 successes grew it from 2 by 0.1 each (to 22); 429s then cut it.
    assert!(out.peak_inflight >= 20, "{}", out.peak_inflight);
    assert!(progress.target.load(Ordering::SeqCst) < 20);
}

#[tokio::test(start_paused = true)]
async fn invalid_ids_and_input_errors_are_reported() {
    let fake = Arc::new(FakeVespa::default());
    let (tx, rx) = mpsc::channel(16);
    tx.send(Ok(put("bogus", "{}"))).await.unwrap();
    tx.send(Ok(put("id:n:t::1", "{}"))).await.unwrap();
    tx.send(Err(InputError::Invalid(InvalidInput {
        line: 3,
        message: "no id specified".into(),
    })))
    .await
    .unwrap();
    tx.send(Ok(put("id:n:t::3", "{}"))).await.unwrap();
    tx.send(Err(InputError::Fatal("`f`: cannot read: gone".into())))
        .await
        .unwrap();
    tx.send(Ok(put("id:n:t::2", "{}"))).await.unwrap();
    drop(tx);
    let out = feed(
        fake,
        rx,
        &config(),
        &Progress::default(),
        &CancellationToken::new(),
    )
    .await;
    // An invalid line is listed and the feed goes on; a fatal input error stops reading.
    assert_eq!(out.ok, 2);
    assert_eq!(out.operations, 3);
    assert_eq!(out.failed, 1);
    assert_eq!(out.failed_by_status["invalid"], 1);
    assert!(out.failures[0].message.contains("`bogus`"));
    assert_eq!(out.invalid_lines, 1);
    assert_eq!(
        out.invalid_input,
        [InvalidInput {
            line: 3,
            message: "no id specified".into()
        }]
    );
    assert_eq!(out.input_error.as_deref(), Some("`f`: cannot read: gone"));
}

#[tokio::test(start_paused = true)]
async fn cancelling_stops_reading_but_finishes_what_is_in_flight() {
    let fake = Arc::new(FakeVespa::default());
    let (tx, rx) = mpsc::channel(16);
    let cancel = CancellationToken::new();
    cancel.cancel();
    tx.send(Ok(put("id:n:t::1", "{}"))).await.unwrap();
    let out = feed(fake, rx, &config(), &Progress::default(), &cancel).await;
    assert!(out.cancelled);
    assert_eq!(out.requests, 0);
    drop(tx);
}

#[tokio::test(start_paused = true)]
async fn a_permanent_transport_error_stops_the_feed_without_retries() {
    let fake = Arc::new(FakeVespa::default());
    fake.always(&path("id:n:t::0"), Answer::Permanent);
    let ops = (0..300)
        .map(|i| put(&format!("id:n:t::{i}"), "{}"))
        .collect();
    let started = Instant::now();
    let out = run(fake.clone(), ops, &config()).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let reason = out.gave_up.as_deref().expect("gave up");
    assert!(reason.contains("CertificateRequired"), "{reason}");
    let f = out
        .failures
        .iter()
        .find(|f| f.id == "id:n:t::0")
        .expect("the failure is reported");
    assert_eq!((f.status, f.attempts), (None, 1), "not retried: {f:?}");
    assert_eq!(fake.attempts(&path("id:n:t::0")), 1);
    assert_eq!(out.retries, 0);
    // It stopped reading: most of the input was never sent.
    assert!(out.operations < 100, "{out:?}");
    assert_eq!(
        out.ok + out.failed + out.not_sent,
        out.operations,
        "{out:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn nothing_succeeding_for_the_deadline_gives_up() {
    let fake = Arc::new(FakeVespa::default());
    let mut ops = Vec::new();
    for i in 0..50 {
        let id = format!("id:n:t::{i}");
        fake.always(&path(&id), Answer::Reset);
        ops.push(put(&id, "{}"));
    }
    let config = FeedConfig {
        deadline: Duration::from_millis(50),
        max_attempts: 1000,
        ..config()
    };
    let started = Instant::now();
    let out = run(fake, ops, &config).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.ok, 0);
    assert!(out.gave_up.is_some());
    assert!(out.failed >= 1);
    assert!(
        out.failures[0].message.contains("no operation succeeded"),
        "{}",
        out.failures[0].message
    );
}

#[tokio::test(start_paused = true)]
async fn every_operation_read_is_reported_once_when_it_finishes_in_order_per_document() {
    let fake = Arc::new(FakeVespa::default());
    let mut ops = Vec::new();
    for round in 0..3 {
        for doc in 0..10 {
            ops.push(put(
                &format!("id:n:t::{doc}"),
                &format!("{{\"round\":{round}}}"),
            ));
        }
    }
    ops.push(put("bad-id", "{}"));
    // Doc 2's first version is overloaded then fails with 507; doc 4's retries once on 503.
    fake.answer(&path("id:n:t::2"), 1, 429);
    fake.answer(&path("id:n:t::2"), 2, 507);
    fake.answer(&path("id:n:t::4"), 1, 503);
    let seen: Arc<Mutex<Vec<(String, String, bool)>>> = Arc::default();
    let record = seen.clone();
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        for op in ops {
            let _ = tx.send(Ok(op)).await;
        }
    });
    let out = feed_with(
        fake,
        rx,
        &config(),
        &Progress::default(),
        &CancellationToken::new(),
        FeedHooks {
            rate: None,
            on_done: Some(Box::new(move |op, ok| {
                let fields = op.fields.as_ref().map_or("", |f| f.get()).to_string();
                record.lock().unwrap().push((op.id.clone(), fields, ok));
            })),
        },
    )
    .await;
    assert_eq!(out.operations, 31);
    assert_eq!(out.failed, 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 31, "each operation once");
    for doc in 0..10 {
        let id = format!("id:n:t::{doc}");
        let rounds: Vec<&str> = seen
            .iter()
            .filter(|(i, _, _)| *i == id)
            .map(|(_, f, _)| f.as_str())
            .collect();
        assert_eq!(
            rounds,
            [r#"{"round":0}"#, r#"{"round":1}"#, r#"{"round":2}"#],
            "{id}"
        );
    }
    let mut failed: Vec<(&str, &str)> = seen
        .iter()
        .filter(|(_, _, ok)| !ok)
        .map(|(id, f, _)| (id.as_str(), f.as_str()))
        .collect();
    failed.sort();
    assert_eq!(failed, [("bad-id", "{}"), ("id:n:t::2", r#"{"round":0}"#)]);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limits_new_operations_not_retries() {
    let fake = Arc::new(FakeVespa::default());
    let ops: Vec<Operation> = (0..60)
        .map(|i| put(&format!("id:n:t::{i}"), "{}"))
        .collect();
    // Retries are not rate limited: a 503 on one document must not slow the run beyond the rate.
    fake.answer(&path("id:n:t::7"), 1, 503);
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        for op in ops {
            let _ = tx.send(Ok(op)).await;
        }
    });
    let started = Instant::now();
    let out = feed_with(
        fake.clone(),
        rx,
        &config(),
        &Progress::default(),
        &CancellationToken::new(),
        FeedHooks {
            rate: Some(TokenBucket::new(200.0, Instant::now().into_std())),
            on_done: None,
        },
    )
    .await;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(out.ok, 60);
    assert_eq!(out.requests, 61);
    // 60 operations at 200/s with a burst of 10: at least 50 / 200 = 0.25 s.
    assert!(secs >= 0.25, "{secs}");
}

#[tokio::test(start_paused = true)]
async fn a_quiet_input_is_not_a_failing_server() {
    let fake = Arc::new(FakeVespa::default());
    let config = FeedConfig {
        deadline: Duration::from_millis(50),
        ..config()
    };
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let _ = tx.send(Ok(put("id:n:t::1", "{}"))).await;
        // Nothing to send for three deadlines (a subscription going quiet).
        tokio::time::sleep(Duration::from_millis(150)).await;
        let _ = tx.send(Ok(put("id:n:t::2", "{}"))).await;
    });
    let out = feed(
        fake,
        rx,
        &config,
        &Progress::default(),
        &CancellationToken::new(),
    )
    .await;
    assert_eq!(out.gave_up, None);
    assert_eq!(out.ok, 2);
}
