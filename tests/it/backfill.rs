//! `officectl backfill` end to end against the local Pub/Sub and Redis: a generated mailbox
//! received on a test subscription, kill and `--resume`, dry run, the legacy-subscription and
//! HTTP export sources.
//!
//! Volumes stay small: one message carries a batch of e-mails, so a few hundred e-mails are a
//! handful of messages.

use crate::support::{officectl_with_services, redis_db, services, transcript, unique};
use officectl::model::event::Event;
use officectl::model::{claim_check, envelope, store::RedisKvStore};
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
use officectl::pubsub::{
    Admin, BoundedPublisher, MessageSource, OutgoingMessage, SubscriptionConfig, TopicConfig, names,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The Redis database of these tests: the e-mail publish mode there is `new` (after the
/// migration), so backfills publish to `emails` as the tests below expect.
const NEW_MODE_DB: u8 = 20;
/// A database whose publish mode is `dual`.
const DUAL_MODE_DB: u8 = 21;

/// Sets the e-mail publish mode in database `db`.
fn set_publish_mode(db: u8, mode: &str) {
    let mut conn = redis::Client::open(redis_db(db))
        .unwrap()
        .get_connection()
        .unwrap();
    let () = redis::cmd("SET")
        .arg("office:flags:publish_mode:email")
        .arg(mode)
        .query(&mut conn)
        .unwrap();
}

/// `officectl` on the local services with the publish mode `new`.
fn officectl_new_mode() -> assert_cmd::Command {
    set_publish_mode(NEW_MODE_DB, "new");
    let mut cmd = officectl_with_services();
    cmd.env("OFFICECTL_REDIS_URL", redis_db(NEW_MODE_DB));
    cmd
}

/// Creates `emails` and a `check` subscription on it in a fresh project.
fn setup(runtime: &tokio::runtime::Runtime, prefix: &str) -> (String, String) {
    let project = unique(prefix);
    let topic = names::topic(&project, "emails");
    let subscription = names::subscription(&project, "check-emails");
    runtime.block_on(async {
        let admin = GoogleAdmin::connect(&services().pubsub_endpoint())
            .await
            .unwrap();
        admin
            .create_topic(&TopicConfig::named(&topic))
            .await
            .unwrap();
        admin
            .create_subscription(&SubscriptionConfig::new(&subscription, &topic))
            .await
            .unwrap();
    });
    (project, subscription)
}

/// One received batch: its ids and e-mails (payloads resolved from Redis).
struct Received {
    batch_id: String,
    correlation_id: String,
    user: String,
    operation: String,
    emails: Vec<(String, String)>,
    claim_checked: usize,
}

/// Everything on `subscription` until it is quiet for `idle`.
fn receive_all(
    runtime: &tokio::runtime::Runtime,
    subscription: &str,
    idle: Duration,
) -> Vec<Received> {
    runtime.block_on(async {
        let services = services();
        let subscriber = GoogleSubscriber::connect(&services.pubsub_endpoint(), 1000)
            .await
            .unwrap();
        let mut stream = subscriber.subscribe(subscription);
        let conn =
            officectl::redis_connection::connect(&redis_db(NEW_MODE_DB), Duration::from_secs(5))
                .await
                .unwrap();
        let store = RedisKvStore::new(conn);
        let mut out = Vec::new();
        while let Ok(Some(delivery)) = tokio::time::timeout(idle, stream.next()).await {
            let delivery = delivery.unwrap();
            let attributes = delivery.message.attributes.clone();
            let mut decoded =
                envelope::decode_message(&delivery.message.data, &attributes).unwrap();
            let mut claim_checked = 0;
            if decoded.has_payload_refs {
                claim_checked =
                    claim_check::resolve_payloads(&mut decoded.event, &store, &Default::default())
                        .await
                        .expect("parked bodies resolve");
            }
            let Event::Email(event) = decoded.event else {
                panic!("not an EmailEvent: {attributes:?}")
            };
            assert_eq!(attributes["sync_type"], "batch_sync");
            assert_eq!(attributes["batch_id"], event.batch_id.clone().unwrap());
            assert_eq!(
                attributes["idempotency_key"],
                format!(
                    "batch:{}:{}",
                    event.batch_id.clone().unwrap(),
                    event.correlation_id
                )
            );
            out.push(Received {
                batch_id: event.batch_id.unwrap(),
                correlation_id: event.correlation_id,
                user: event.user_id,
                operation: attributes["operation"].clone(),
                emails: event
                    .emails
                    .iter()
                    .map(|e| {
                        let body = e
                            .body
                            .as_ref()
                            .map(|b| b.content.clone())
                            .unwrap_or_default();
                        (e.provider_message_id.clone(), body)
                    })
                    .collect(),
                claim_checked,
            });
            delivery.ack();
        }
        out
    })
}

/// Deduplicates on `batch_id + correlation_id` as a consumer would.
fn dedupe(received: Vec<Received>) -> (Vec<Received>, usize) {
    let mut seen = BTreeSet::new();
    let mut kept = Vec::new();
    let mut duplicates = 0;
    for r in received {
        if seen.insert((r.batch_id.clone(), r.correlation_id.clone())) {
            kept.push(r);
        } else {
            duplicates += 1;
        }
    }
    (kept, duplicates)
}

fn record(user: &str, id: &str, subject: &str, body: &str, received_at: &str) -> serde_json::Value {
    serde_json::json!({
        "user_id": user, "provider": "google",
        "provider_message_id": id, "thread_id": format!("{id}-thread"), "subject": subject,
        "from": {"email": "sender@example.com", "name": "Zoë Ünïcode"},
        "to": [{"email": format!("{user}@example.org")}],
        "body": {"mime_type": "text/plain", "content": body},
        "received_at": received_at
    })
}

/// A mailbox with unicode, empty subjects, big bodies, duplicates and out-of-range dates.
/// Returns the file and the ids that must arrive (per user).
fn mailbox(
    dir: &Path,
    users: &[&str],
    per_user: usize,
) -> (std::path::PathBuf, BTreeMap<String, BTreeSet<String>>) {
    let mut lines = Vec::new();
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for i in 0..per_user {
        for user in users {
            let id = format!("{user}-m{i:04}");
            let subject = match i % 4 {
                0 => String::new(),
                1 => "Grüße 👋 — 会议".to_string(),
                _ => format!("subject {i}"),
            };
            let body = if i % 25 == 7 {
                "Ünïcödé body ".repeat(300)
            } else {
                format!("body {i} ✓")
            };
            let in_range = i % 19 != 5;
            let day = if in_range {
                format!("2024-{:02}-{:02}T08:00:00Z", i % 12 + 1, i % 28 + 1)
            } else {
                "2019-06-01T08:00:00Z".to_string()
            };
            lines.push(record(user, &id, &subject, &body, &day).to_string());
            if in_range {
                expected
                    .entry(user.to_string())
                    .or_default()
                    .insert(id.clone());
            }
            if i % 10 == 3 {
                // A duplicate message id (an exact repeat) must arrive once.
                lines.push(record(user, &id, &subject, &body, &day).to_string());
            }
        }
    }
    lines.push("{\"user_id\": \"nobody\", \"subject\": \"broken\"}".to_string());
    let path = dir.join("mailbox.ndjson");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    (path, expected)
}

fn config(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("officectl.yaml");
    std::fs::write(&path, "claim_check:\n  threshold_bytes: 2000\n").unwrap();
    path
}

fn ids_by_user(received: &[Received]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in received {
        out.entry(r.user.clone())
            .or_default()
            .extend(r.emails.iter().map(|e| e.0.clone()));
    }
    out
}

#[test]
fn a_mailbox_arrives_once_in_batches_with_resolvable_references() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill");
    let dir = tempfile::tempdir().unwrap();
    let (path, expected) = mailbox(dir.path(), &["ann", "bob"], 60);
    let rejects = dir.path().join("rejects.ndjson");
    let output = officectl_new_mode()
        .args(["backfill", "-o", "json", "--project", &project])
        .args(["--user", "ann", "--user", "bob", "--batch-size", "10"])
        .args(["--since", "2024-01-01", "--until", "2025-01-01"])
        .arg("--config")
        .arg(config(dir.path()))
        .arg("--rejects")
        .arg(&rejects)
        .arg("--source")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let total: usize = expected.values().map(BTreeSet::len).sum();
    assert_eq!(report["published"], total);
    assert_eq!(report["rejected"], 1);
    // 6 repeats per user, one of them of an out-of-range record (counted as out of range).
    assert_eq!(report["duplicates_skipped"], 10);
    assert_eq!(report["out_of_range"], 8);
    assert_eq!(report["claim_checked"], 6);
    assert_eq!(report["outcome"], "complete");
    let correlation_id = report["correlation_id"].as_str().unwrap().to_string();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&correlation_id), "{stderr}");
    let reject: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&rejects).unwrap().trim()).unwrap();
    assert!(
        reject["line"].as_u64().is_some() && reject["reason"].is_string(),
        "{reject}"
    );

    let received = receive_all(&runtime, &subscription, Duration::from_secs(3));
    let (received, duplicates) = dedupe(received);
    assert_eq!(duplicates, 0);
    assert_eq!(received.len() as u64, report["batches"].as_u64().unwrap());
    for r in &received {
        assert!(
            !r.emails.is_empty() && r.emails.len() <= 10,
            "{}",
            r.emails.len()
        );
        assert_eq!(r.correlation_id, correlation_id);
        assert_eq!(r.operation, "create");
    }
    // Per user, every batch but the last is full: batch ids are consistent with the batch size.
    for (user, ids) in &expected {
        let batches: Vec<&Received> = received.iter().filter(|r| &r.user == user).collect();
        assert_eq!(batches.len(), ids.len().div_ceil(10), "{user}");
        assert_eq!(
            batches.iter().filter(|b| b.emails.len() < 10).count(),
            usize::from(ids.len() % 10 != 0)
        );
    }
    let got = ids_by_user(&received);
    for (user, ids) in &expected {
        let mut list = got[user].clone();
        list.sort();
        let unique: BTreeSet<String> = list.iter().cloned().collect();
        assert_eq!(unique.len(), list.len(), "{user}: an e-mail arrived twice");
        assert_eq!(&unique, ids, "{user}");
    }
    let parked: usize = received.iter().map(|r| r.claim_checked).sum();
    assert_eq!(parked, 6);
    let big = received
        .iter()
        .flat_map(|r| r.emails.iter())
        .filter(|e| e.1.len() > 2000)
        .count();
    assert_eq!(big, 6, "the parked bodies came back in full");
}

#[test]
fn killed_mid_run_then_resumed_delivers_the_source_exactly() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill-kill");
    let dir = tempfile::tempdir().unwrap();
    let (path, expected) = mailbox(dir.path(), &["kim"], 60);
    let args = |cmd: &mut assert_cmd::Command| {
        cmd.args(["backfill", "-o", "json", "--project", &project])
            .args(["--user", "kim", "--batch-size", "5", "--max-in-flight", "1"])
            .args(["--since", "2024-01-01"])
            .arg("--source")
            .arg(&path);
    };
    let mut first = officectl_new_mode();
    args(&mut first);
    let output = first
        .env("OFFICECTL_FAILPOINT", "backfill-after-batch:3")
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", transcript(&output));
    assert_eq!(
        output.status.code(),
        None,
        "aborted: {}",
        transcript(&output)
    );

    // Without `--resume` (and no terminal to ask on) it refuses, naming both ways on.
    let mut again = officectl_new_mode();
    args(&mut again);
    let output = again.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--resume") && stderr.contains("--restart"),
        "{stderr}"
    );

    let mut resumed = officectl_new_mode();
    args(&mut resumed);
    let output = resumed.arg("--resume").output().unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["resumed"], true);
    // Batches 0-1 were checkpointed; batch 2 was acknowledged but not checkpointed.
    assert_eq!(report["already_published"], 10);

    let all = receive_all(&runtime, &subscription, Duration::from_secs(3));
    let correlation: BTreeSet<String> = all.iter().map(|r| r.correlation_id.clone()).collect();
    assert_eq!(correlation.len(), 1, "the resume reuses the correlation id");
    let (unique, duplicates) = dedupe(all);
    // Re-published beyond the checkpoint: the unrecorded batch, and at most the in-flight one.
    assert!((1..=2).contains(&duplicates), "{duplicates}");
    let got: Vec<String> = ids_by_user(&unique).remove("kim").unwrap();
    let set: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(set.len(), got.len(), "after dedupe every e-mail once");
    assert_eq!(set, expected["kim"]);
}

#[test]
fn dry_run_publishes_nothing_and_writes_nothing() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill-dry");
    let dir = tempfile::tempdir().unwrap();
    let (path, expected) = mailbox(dir.path(), &["dee"], 30);
    let rejects = dir.path().join("rejects.ndjson");
    let output = officectl_new_mode()
        .args(["backfill", "-o", "json", "--dry-run", "--project", &project])
        .args(["--user", "dee", "--since", "2024-01-01"])
        .arg("--rejects")
        .arg(&rejects)
        .arg("--source")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["published"], expected["dee"].len());
    assert_eq!(report["rejected"], 1);
    assert!(!rejects.exists(), "a dry run writes no rejects file");
    assert!(receive_all(&runtime, &subscription, Duration::from_secs(2)).is_empty());
    // And no checkpoint: a real run right after needs neither `--resume` nor `--restart`.
    officectl_new_mode()
        .args(["backfill", "-q", "--project", &project, "--user", "dee"])
        .arg("--source")
        .arg(&path)
        .assert()
        .success();
}

/// Issue 17: on the sample mailbox (plus a line that is not UTF-8), `read` counts items (an
/// e-mail record, or a line rejected whole), every one of them is published, rejected or skipped,
/// and the summary states that sum.
#[test]
fn the_summary_accounts_for_every_item_read() {
    let dir = tempfile::tempdir().unwrap();
    let sample =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/mailbox.ndjson"))
            .unwrap();
    // Items, counted apart from officectl: an event line holds its e-mails, any other line one.
    let items: u64 = sample
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .map(|l| match serde_json::from_slice::<serde_json::Value>(l) {
            Ok(v) => v["emails"].as_array().map_or(1, |e| e.len() as u64),
            Err(_) => 1,
        })
        .sum();
    let mut input = sample;
    input.extend(b"{\"user_id\":\"user-1\",\"subject\":\"caf\xe9\"}\n");
    let path = dir.path().join("mailbox.ndjson");
    std::fs::write(&path, input).unwrap();
    let backfill = |output: &str| {
        officectl_with_services()
            .args(["backfill", "--dry-run", "-o", output])
            .args(["--user", "user-1", "--user", "user-2"])
            .args([
                "--since",
                "2024-01-01",
                "--until",
                "2025-01-01",
                "--batch-size",
                "10",
            ])
            .arg("--source")
            .arg(&path)
            .output()
            .unwrap()
    };
    let output = backfill("json");
    assert!(output.status.success(), "{}", transcript(&output));
    let r: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let n = |key: &str| r[key].as_u64().unwrap_or_else(|| panic!("`{key}` in {r}"));
    assert_eq!(n("read"), items + 1, "{r}");
    assert!(
        n("rejected") >= 1 && n("other_users_skipped") > 0 && n("duplicates_skipped") > 0,
        "{r}"
    );
    assert_eq!(
        n("read"),
        n("published")
            + n("rejected")
            + n("duplicates_skipped")
            + n("out_of_range")
            + n("other_users_skipped")
            + n("already_published")
            + n("not_published"),
        "{r}"
    );
    assert_eq!(n("not_published"), 0, "{r}");

    let output = backfill("table");
    assert!(output.status.success(), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let identity = format!(
        "{} items read = {} would publish + {} rejected + {} duplicates skipped + {} out of range + {} other users skipped + 0 already published",
        n("read"),
        n("published"),
        n("rejected"),
        n("duplicates_skipped"),
        n("out_of_range"),
        n("other_users_skipped")
    );
    assert_eq!(stdout.lines().nth(1), Some(identity.as_str()), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("items read "));
    assert_eq!(
        row.and_then(|l| l.split_whitespace().last()),
        Some(n("read").to_string().as_str()),
        "{stdout}"
    );
}

#[test]
fn a_legacy_subscription_is_replayed_in_the_new_format() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill-legacy");
    let legacy_topic = names::topic(&project, "email-backfill");
    let legacy_sub = names::subscription(&project, "email-backfill-replay");
    runtime.block_on(async {
        let endpoint = services().pubsub_endpoint();
        let admin = GoogleAdmin::connect(&endpoint).await.unwrap();
        admin
            .create_topic(&TopicConfig::named(&legacy_topic))
            .await
            .unwrap();
        admin
            .create_subscription(&SubscriptionConfig::new(&legacy_sub, &legacy_topic))
            .await
            .unwrap();
        let publisher = BoundedPublisher::new(
            Arc::new(GooglePublisher::connect(&endpoint).await.unwrap()),
            10,
        );
        for n in 0..4 {
            let emails: Vec<serde_json::Value> = (0..3)
                .map(|k| {
                    serde_json::json!({
                        "message_id": format!("legacy-{n}-{k}"), "thread_id": "t",
                        "subject": "Привет", "from": "Old Producer <old@example.com>",
                        "to": ["lee@example.org"], "body": "hello",
                        "received_at": "2024-05-01T00:00:00Z"
                    })
                })
                .collect();
            let event =
                serde_json::json!({"user_id": "lee", "provider": "gmail", "emails": emails});
            publisher
                .publish(&legacy_topic, OutgoingMessage::new(event.to_string()))
                .await
                .await
                .unwrap();
        }
    });
    let output = officectl_new_mode()
        .args(["backfill", "-o", "json", "--project", &project])
        .args(["--user", "lee", "--batch-size", "5", "--idle-timeout", "2s"])
        .args(["--source", "pubsub:email-backfill-replay"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["published"], 12);
    let received = receive_all(&runtime, &subscription, Duration::from_secs(3));
    let ids: BTreeSet<String> = received
        .iter()
        .flat_map(|r| r.emails.iter().map(|e| e.0.clone()))
        .collect();
    assert_eq!(ids.len(), 12);
    assert!(received.iter().all(|r| r.emails.len() <= 5));
    // Everything was acknowledged: nothing is left on the legacy subscription.
    assert!(receive_all(&runtime, &legacy_sub, Duration::from_secs(2)).is_empty());
}

/// A tiny export endpoint: `pages` pages of `per_page` records for any user; page 2 answers 503
/// twice before it succeeds. Counts requests and checks the bearer token.
fn export_server(
    runtime: &tokio::runtime::Runtime,
    pages: usize,
    per_page: usize,
) -> (String, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}/export", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    runtime.spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (counter, failures) = (counter.clone(), failures.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let request = String::from_utf8_lossy(&buffer).to_string();
                let target = request.split_whitespace().nth(1).unwrap_or("").to_string();
                let query: BTreeMap<String, String> = target
                    .split_once('?')
                    .map(|(_, q)| q)
                    .unwrap_or("")
                    .split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                let authorized = request
                    .lines()
                    .any(|l| l.eq_ignore_ascii_case("authorization: Bearer s3cret"));
                let page: usize = query
                    .get("page_token")
                    .and_then(|t| t.strip_prefix("p"))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1);
                let user = query.get("user_id").cloned().unwrap_or_default();
                let (status, body) = if !authorized {
                    ("401 Unauthorized", "{}".to_string())
                } else if page == 2 && failures.fetch_add(1, Ordering::SeqCst) < 2 {
                    ("503 Service Unavailable", "{\"error\":\"busy\"}".to_string())
                } else {
                    let items: Vec<serde_json::Value> = (0..per_page)
                        .map(|i| {
                            let mut r = record(
                                &user,
                                &format!("{user}-p{page}-{i}"),
                                "über",
                                "body",
                                "2024-02-02T00:00:00Z",
                            );
                            r.as_object_mut().unwrap().remove("user_id");
                            r
                        })
                        .collect();
                    let next = if page < pages {
                        serde_json::Value::String(format!("p{}", page + 1))
                    } else {
                        serde_json::Value::Null
                    };
                    let body = serde_json::json!({"items": items, "next_page_token": next});
                    ("200 OK", body.to_string())
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, requests)
}

#[test]
fn the_http_source_retries_a_failing_page_then_succeeds() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill-http");
    let (url, requests) = export_server(&runtime, 3, 7);
    let output = officectl_new_mode()
        .env("OFFICECTL_SOURCE_TOKEN", "s3cret")
        .args(["backfill", "-o", "json", "--project", &project])
        .args(["--user", "hal", "--batch-size", "10", "--source", &url])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["published"], 21);
    assert_eq!(report["batches"], 3);
    // Three pages, one of them asked three times.
    assert_eq!(requests.load(Ordering::SeqCst), 5);
    let received = receive_all(&runtime, &subscription, Duration::from_secs(3));
    let ids: BTreeSet<String> = received
        .iter()
        .flat_map(|r| r.emails.iter().map(|e| e.0.clone()))
        .collect();
    assert_eq!(ids.len(), 21);

    // Without the token the endpoint refuses and the run fails at once (no retry on 401).
    let output = officectl_new_mode()
        .args(["backfill", "--project", &project, "--restart"])
        .args(["--user", "hal", "--source", &url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("401"));
}

#[test]
fn dual_mode_publishes_every_batch_to_both_topics_with_the_same_keys() {
    let runtime = runtime();
    let (project, subscription) = setup(&runtime, "backfill-dual");
    let legacy_topic = names::topic(&project, "email-backfill");
    let legacy_sub = names::subscription(&project, "check-email-backfill");
    runtime.block_on(async {
        let admin = GoogleAdmin::connect(&services().pubsub_endpoint())
            .await
            .unwrap();
        admin
            .create_topic(&TopicConfig::named(&legacy_topic))
            .await
            .unwrap();
        admin
            .create_subscription(&SubscriptionConfig::new(&legacy_sub, &legacy_topic))
            .await
            .unwrap();
    });
    set_publish_mode(DUAL_MODE_DB, "dual");
    let dir = tempfile::tempdir().unwrap();
    let (path, expected) = mailbox(dir.path(), &["dua"], 30);
    let output = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(DUAL_MODE_DB))
        .args(["backfill", "--project", &project, "--user", "dua"])
        .args(["--batch-size", "10", "--since", "2024-01-01", "--restart"])
        .arg("--config")
        .arg(config(dir.path()))
        .arg("--source")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("publish mode dual"), "{stdout}");

    let keys = |sub: &str| {
        runtime.block_on(async {
            let subscriber = GoogleSubscriber::connect(&services().pubsub_endpoint(), 1000)
                .await
                .unwrap();
            let mut stream = subscriber.subscribe(sub);
            let mut out = BTreeMap::new();
            while let Ok(Some(delivery)) =
                tokio::time::timeout(Duration::from_secs(3), stream.next()).await
            {
                let delivery = delivery.unwrap();
                let message = &delivery.message;
                let decoded = envelope::decode_message(&message.data, &message.attributes).unwrap();
                let Event::Email(event) = decoded.event else {
                    panic!("not an e-mail event")
                };
                let bodies: Vec<(String, bool)> = event
                    .emails
                    .iter()
                    .map(|e| (e.provider_message_id.clone(), e.body.is_some()))
                    .collect();
                out.insert(
                    message.attributes["idempotency_key"].clone(),
                    (message.attributes["event_type"].clone(), bodies),
                );
                delivery.ack();
            }
            stream.shutdown().await;
            out
        })
    };
    let new = keys(&subscription);
    let legacy = keys(&legacy_sub);
    assert_eq!(
        new.keys().collect::<Vec<_>>(),
        legacy.keys().collect::<Vec<_>>(),
        "the same batches, keyed alike"
    );
    let ids: BTreeSet<String> = legacy
        .values()
        .flat_map(|(_, bodies)| bodies.iter().map(|b| b.0.clone()))
        .collect();
    assert_eq!(ids, expected["dua"]);
    assert!(legacy.values().all(|(t, _)| t == "EmailBackfillEvent"));
    // Every legacy e-mail carries its body, including the claim-checked ones.
    assert!(
        legacy
            .values()
            .all(|(_, bodies)| bodies.iter().all(|(_, has_body)| *has_body)),
        "{legacy:?}"
    );
    assert!(
        new.values()
            .any(|(_, bodies)| bodies.iter().any(|(_, has_body)| !has_body)),
        "some body is parked on the new side (the config's threshold is 2000 bytes)"
    );
}

#[test]
fn a_missing_source_file_is_reported_before_any_service_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ndjson");
    let output = officectl_with_services()
        .args(["backfill", "--user", "u"])
        .arg("--redis-url")
        .arg(format!(
            "redis://127.0.0.1:{}",
            crate::support::closed_port()
        ))
        .arg("--pubsub-endpoint")
        .arg(format!(
            "http://127.0.0.1:{}",
            crate::support::closed_port()
        ))
        .arg("--source")
        .arg(&missing)
        .output()
        .unwrap();
    // A file that cannot be opened is a usage error.
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("missing.ndjson") && !stderr.to_lowercase().contains("redis"),
        "{stderr}"
    );
}

/// Three shards run at the same time publish exactly the batches one unsharded run publishes
/// (same correlation id, so the same batch ids), and no batch twice; each shard reports only
/// its own users, and every user is in one shard.
#[test]
fn three_shards_at_once_publish_what_one_run_publishes() {
    let runtime = runtime();
    let (whole_project, whole_subscription) = setup(&runtime, "backfill-whole");
    let (sharded_project, sharded_subscription) = setup(&runtime, "backfill-sharded");
    let dir = tempfile::tempdir().unwrap();
    let users = [
        "ann", "bob", "cem", "dia", "eva", "fin", "gus", "hal", "ivy",
    ];
    let (path, _) = mailbox(dir.path(), &users, 12);
    let correlation_id = unique("shards");
    set_publish_mode(NEW_MODE_DB, "new");
    let backfill = |project: &str, shard: Option<&str>| {
        let mut cmd = crate::support::spawnable_officectl_with_services();
        cmd.env("OFFICECTL_REDIS_URL", redis_db(NEW_MODE_DB));
        cmd.args(["backfill", "-o", "json", "--project", project])
            .args(["--batch-size", "5", "--correlation-id", &correlation_id])
            .args(["--since", "2024-01-01", "--until", "2025-01-01"])
            .arg("--source")
            .arg(&path);
        for user in users {
            cmd.args(["--user", user]);
        }
        if let Some(shard) = shard {
            // The Indexed Job's way: `auto/N` and the index in JOB_COMPLETION_INDEX.
            cmd.args(["--shard", "auto/3"])
                .env("JOB_COMPLETION_INDEX", shard);
        }
        cmd
    };
    let whole = backfill(&whole_project, None).output().unwrap();
    assert!(whole.status.success(), "{}", transcript(&whole));
    let shards: Vec<std::process::Child> = ["0", "1", "2"]
        .iter()
        .map(|i| {
            backfill(&sharded_project, Some(i))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut sharded_users: Vec<String> = Vec::new();
    for child in shards {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", transcript(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mine = report["users"]
            .as_object()
            .unwrap_or_else(|| panic!("{report}"));
        assert!(
            mine.len() < users.len(),
            "a shard took every user: {report}"
        );
        sharded_users.extend(mine.keys().cloned());
    }
    sharded_users.sort();
    assert_eq!(sharded_users, users, "every user in exactly one shard");

    let batch_ids = |subscription: &str| {
        let received = receive_all(&runtime, subscription, Duration::from_secs(3));
        let mut ids: Vec<(String, String)> = received
            .iter()
            .map(|r| (r.batch_id.clone(), r.correlation_id.clone()))
            .collect();
        ids.sort();
        ids
    };
    let whole_ids = batch_ids(&whole_subscription);
    let sharded_ids = batch_ids(&sharded_subscription);
    assert!(!whole_ids.is_empty());
    let unique_sharded: BTreeSet<&(String, String)> = sharded_ids.iter().collect();
    assert_eq!(
        unique_sharded.len(),
        sharded_ids.len(),
        "a batch published twice"
    );
    assert_eq!(sharded_ids, whole_ids);
}
