//! `officectl consume`: `--list` from the layout, and the Vespa loader end to end against
//! pstest, Redis and the Vespa double: published events become documents, a poison message is
//! nacked to the dead-letter topic while the rest flow, SIGTERM exits 0 with everything fed
//! acked, and a second copy of every event is skipped as a duplicate, not fed again.

use crate::support::{self, http, officectl_with_services, redis_db, transcript, unique};
use officectl::pubsub::google::{GooglePublisher, GoogleSubscriber};
use officectl::pubsub::{MessageSource, OutgoingMessage, PublishTransport, names};
use serde_json::{Value, json};
use std::io::BufRead;
use std::time::{Duration, Instant};

/// The Redis database of these tests (flags are global keys): e-mail is published to and read
/// from the new topic.
const DB: u8 = 45;
/// The database of the dual-publishing test: e-mail published to both topics, read from both.
const DUAL_DB: u8 = 46;

fn set(key: &str, value: &str) {
    set_in(DB, key, value);
}

pub(crate) fn set_in(db: u8, key: &str, value: &str) {
    let mut conn = redis::Client::open(redis_db(db))
        .unwrap()
        .get_connection()
        .unwrap();
    let () = redis::cmd("SET")
        .arg(key)
        .arg(value)
        .query(&mut conn)
        .unwrap();
}

#[test]
fn list_prints_every_consumer_with_its_subscriptions() {
    let out = officectl_with_services()
        .args(["consume", "--list", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let consumers = list["consumers"].as_array().unwrap();
    let loader = consumers
        .iter()
        .find(|c| c["name"] == "vespa-loader")
        .expect("vespa-loader");
    // Nine data types, and the three legacy topics until the migration retires them.
    let subscriptions = loader["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 12, "{loader}");
    assert_eq!(
        subscriptions.iter().filter(|s| s["legacy"] == true).count(),
        3
    );
    assert!(consumers.iter().any(|c| c["name"] == "contact-discovery"));

    let out = officectl_with_services()
        .args(["consume", "vespa-loadr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("declares no consumer `vespa-loadr`"));
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
    event["event_id"] = json!(format!("evt-{user}-{i}"));
    // One batch per event: a batch's idempotency key is its batch and correlation ids.
    event["batch_id"] = json!(format!("batch-{user}-{i}"));
    let mut email = event["emails"][0].clone();
    email["provider_message_id"] = json!(format!("msg-{i}"));
    event["emails"] = json!([email]);
    event.to_string()
}

/// Creates the whole layout in `project`.
pub(crate) fn lay_out(project: &str, db: u8) {
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(db))
        .args(["topics", "apply", "--yes", "--project", project])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
}

/// Writes event lines to `events.ndjson` in `dir`.
pub(crate) fn write_events(
    dir: &std::path::Path,
    lines: impl Iterator<Item = String>,
) -> std::path::PathBuf {
    let path = dir.join("events.ndjson");
    let text: String = lines.map(|line| line + "\n").collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// How many documents of `vespa_type` the double holds for `user`.
pub(crate) fn doc_count(vespa_type: &str, user: &str) -> usize {
    let (status, body) = http(
        &support::vespa_endpoint(),
        "GET",
        &format!(
            "/document/v1/office/{vespa_type}/group/{user}?cluster=office&wantedDocumentCount=1000"
        ),
        None,
    );
    assert_eq!(status, 200, "{body}");
    body["documents"].as_array().map_or(0, Vec::len)
}

fn publish_events(project: &str, path: &std::path::Path) {
    publish_events_in(DB, project, path);
}

pub(crate) fn publish_events_in(db: u8, project: &str, path: &std::path::Path) {
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(db))
        .args(["events", "publish", "--project", project])
        .arg(path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
}

/// A loader that a failing test does not leave running.
struct KillOnDrop(Option<std::process::Child>);

impl KillOnDrop {
    fn get(&mut self) -> &mut std::process::Child {
        self.0.as_mut().expect("the child")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the loader until `done` says so (or 60 s), then SIGTERM; returns its exit code, report
/// and stderr.
fn run_loader(project: &str, done: impl Fn(&[String]) -> bool) -> (Option<i32>, Value, String) {
    run_loader_in(DB, project, done)
}

fn run_loader_in(
    db: u8,
    project: &str,
    done: impl Fn(&[String]) -> bool,
) -> (Option<i32>, Value, String) {
    run_loader_types(db, project, "email", done)
}

pub(crate) fn run_loader_types(
    db: u8,
    project: &str,
    types: &str,
    done: impl Fn(&[String]) -> bool,
) -> (Option<i32>, Value, String) {
    let mut loader = Loader::start(db, project, types);
    let started = Instant::now();
    // Messages nacked at a loader's stop come back from the local Pub/Sub only after about a
    // minute (see docs/consumers.md), so a run that waits for them waits longer than that.
    while started.elapsed() < Duration::from_secs(90) {
        loader.read_stderr();
        if done(&loader.lines) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    loader.stop()
}

/// A running `consume vespa-loader` process.
pub(crate) struct Loader {
    child: KillOnDrop,
    stderr: std::sync::mpsc::Receiver<String>,
    lines: Vec<String>,
}

impl Loader {
    fn start(db: u8, project: &str, types: &str) -> Loader {
        Loader::start_with(db, project, types, &[])
    }

    fn start_with(db: u8, project: &str, types: &str, extra: &[&str]) -> Loader {
        Loader::start_consumer(db, project, "vespa-loader", types, extra)
    }

    pub(crate) fn start_consumer(
        db: u8,
        project: &str,
        consumer: &str,
        types: &str,
        extra: &[&str],
    ) -> Loader {
        Loader::start_consumer_with_env(db, project, consumer, types, extra, &[])
    }

    /// [`Loader::start_consumer`] with extra environment variables.
    pub(crate) fn start_consumer_with_env(
        db: u8,
        project: &str,
        consumer: &str,
        types: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Loader {
        let mut cmd = support::spawnable_officectl_with_services();
        cmd.envs(env.iter().copied());
        cmd.env("OFFICECTL_REDIS_URL", redis_db(db))
            .args([
                "consume",
                consumer,
                "--project",
                project,
                "--types",
                types,
                "--shutdown-timeout",
                "10s",
                "-o",
                "json",
            ])
            .args(extra)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = KillOnDrop(Some(cmd.spawn().unwrap()));
        let stderr = child.get().stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        Loader {
            child,
            stderr: rx,
            lines: Vec::new(),
        }
    }

    pub(crate) fn read_stderr(&mut self) {
        self.lines.extend(self.stderr.try_iter());
    }

    /// The address `--listen` bound, from the JSON log line that announces it.
    pub(crate) fn listen_address(&mut self) -> String {
        let started = Instant::now();
        loop {
            self.read_stderr();
            let found = self.lines.iter().find_map(|line| {
                let log: Value = serde_json::from_str(line).ok()?;
                Some(log["listen"].as_str()?.to_string())
            });
            if let Some(addr) = found {
                return addr;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no listen address logged: {:?}",
                self.lines
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM; the exit code, the report and stderr.
    pub(crate) fn stop(mut self) -> (Option<i32>, Value, String) {
        let term = std::process::Command::new("kill")
            .args(["-TERM", &self.child.get().id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let stopping = Instant::now();
        let out = self.child.0.take().unwrap().wait_with_output().unwrap();
        assert!(
            stopping.elapsed() < Duration::from_secs(12),
            "took {:?} to stop",
            stopping.elapsed()
        );
        self.read_stderr();
        let stderr = self.lines.join("\n");
        let report = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {stderr}\n{}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code(), report, stderr)
    }

    /// SIGKILL: no report, nothing settled that was in flight.
    fn kill(mut self) {
        if let Some(mut child) = self.child.0.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

#[test]
fn the_loader_feeds_published_events_dead_letters_poison_and_skips_duplicates() {
    let project = unique("consume");
    let user = unique("loader");
    set("office:flags:publish_mode:email", "new");
    set("office:flags:read_source:vespa-loader:email", "new");
    lay_out(&project, DB);

    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), (0..12).map(|i| event_line(&user, i)));
    publish_events(&project, &path);
    // A poison message: not an event at all.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let publisher = GooglePublisher::connect(&support::services().pubsub_endpoint())
            .await
            .unwrap();
        publisher
            .publish(
                &names::topic(&project, "emails"),
                OutgoingMessage::new("this is not an event"),
            )
            .await
            .unwrap();
        publisher.flush().await;
    });

    // Until every e-mail is in Vespa and the poison message was nacked its tenth time.
    let (code, report, stderr) = run_loader(&project, |lines| {
        lines.iter().any(|l| l.contains("delivery_attempt=10")) && doc_count("email", &user) == 12
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("email", &user), 12, "{report}");
    assert_eq!(report["fed"], 12, "{report}");
    assert!(report["poison"].as_u64().unwrap() >= 1, "{report}");
    assert!(stderr.contains("poison message"), "{stderr}");
    assert_eq!(
        report["subscriptions"],
        json!(["vespa-loader-emails"]),
        "{report}"
    );

    // The poison message reaches the dead-letter topic (the layout: after 10 attempts).
    let dead = runtime.block_on(async {
        let subscriber = GoogleSubscriber::connect(&support::services().pubsub_endpoint(), 100)
            .await
            .unwrap();
        let mut stream = subscriber.subscribe(&names::subscription(
            &project,
            "dlq-vespa-loader-dead-letter",
        ));
        let got = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
        let body = match got {
            Ok(Some(Ok(delivery))) => {
                let body = String::from_utf8_lossy(&delivery.message.data).into_owned();
                delivery.ack();
                Some(body)
            }
            _ => None,
        };
        stream.shutdown().await;
        body
    });
    assert_eq!(dead.as_deref(), Some("this is not an event"));

    // The same events again (a redelivery or a producer's retry): skipped, not fed twice.
    publish_events(&project, &path);
    let second = Instant::now();
    let (code, report, stderr) =
        run_loader(&project, |_| second.elapsed() > Duration::from_secs(5));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["duplicates"], 12, "{report}");
    assert_eq!(report["fed"], 0, "{report}");
    assert_eq!(doc_count("email", &user), 12);
}

#[test]
fn dual_publishing_read_from_both_subscriptions_feeds_each_item_once() {
    let project = unique("consume-dual");
    let user = unique("dual");
    set_in(DUAL_DB, "office:flags:publish_mode:email", "dual");
    set_in(
        DUAL_DB,
        "office:flags:read_source:vespa-loader:email",
        "both",
    );
    lay_out(&project, DUAL_DB);
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), (0..12).map(|i| event_line(&user, i)));
    publish_events_in(DUAL_DB, &project, &path);

    let settled = std::cell::Cell::new(None::<Instant>);
    let (code, report, stderr) = run_loader_in(DUAL_DB, &project, |_| {
        // Every item in Vespa, then time for the second copies to come and be skipped.
        if settled.get().is_none() && doc_count("email", &user) == 12 {
            settled.set(Some(Instant::now()));
        }
        settled
            .get()
            .is_some_and(|t| t.elapsed() > Duration::from_secs(4))
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("email", &user), 12);
    assert_eq!(
        report["subscriptions"],
        json!(["vespa-loader-email-backfill", "vespa-loader-emails"]),
        "{report}"
    );
    // 24 copies read, 12 fed: the second copy of each is a duplicate, never fed again.
    assert_eq!(report["fed"], 12, "{report}");
    assert_eq!(report["duplicates"], 12, "{report}");
}

/// An LLM-chat event of `user`: conversation `conv-<i>` (the loader's `llm-chats`
/// subscription is not ordered, so redeliveries do not queue behind one another).
fn chat_line(user: &str, i: usize) -> String {
    let mut event: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/llm_chat.json"
        ))
        .unwrap(),
    )
    .unwrap();
    event["user_id"] = json!(user);
    event["event_id"] = json!(format!("evt-{user}-{i}"));
    event["conversation"]["conversation_id"] = json!(format!("conv-{i}"));
    event.to_string()
}

#[test]
fn a_vespa_outage_holds_the_acks_back_and_loses_nothing() {
    let project = unique("consume-outage");
    let user = unique("outage");
    lay_out(&project, DB);
    // Vespa refuses every write of this user's chats, as a cluster that is down.
    let rule = json!({"503": 1.0, "doctype": "llm_chat", "group": user});
    let (status, body) = http(
        &support::vespa_endpoint(),
        "POST",
        "/_double/faults",
        Some(&rule),
    );
    assert_eq!(status, 200, "{body}");

    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), (0..6).map(|i| chat_line(&user, i)));
    publish_events(&project, &path);

    let down = Instant::now();
    let (code, report, stderr) = run_loader_types(DB, &project, "llm_chat", |_| {
        down.elapsed() > Duration::from_secs(4)
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert!(report["read"].as_u64().unwrap() >= 6, "{report}");
    assert_eq!(report["fed"], 0, "{report}");
    assert_eq!(
        report["acked"], 0,
        "nothing acked while Vespa is down: {report}"
    );

    // Vespa is back (a rule with nothing to inject removes the one of its scope): everything
    // published is loaded.
    let (status, body) = http(
        &support::vespa_endpoint(),
        "POST",
        "/_double/faults",
        Some(&json!({"doctype": "llm_chat", "group": user})),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(doc_count("llm_chat", &user), 0);
    let (code, report, stderr) = run_loader_types(DB, &project, "llm_chat", |_| {
        doc_count("llm_chat", &user) == 6
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("llm_chat", &user), 6, "{report}");
    assert_eq!(report["fed"], 6, "{report}");
}

#[test]
fn an_older_version_arriving_late_never_overwrites_a_newer_document() {
    let project = unique("consume-order");
    let user = unique("order");
    lay_out(&project, DB);
    let version = |i: usize, title: &str, updated_at: &str| {
        let mut event: Value = serde_json::from_str(&chat_line(&user, i)).unwrap();
        event["conversation"]["conversation_id"] = json!("conv-0");
        event["conversation"]["title"] = json!(title);
        event["conversation"]["updated_at"] = json!(updated_at);
        event.to_string()
    };
    let title = || {
        let (status, body) = http(
            &support::vespa_endpoint(),
            "GET",
            &format!("/document/v1/office/llm_chat/group/{user}/conv-0"),
            None,
        );
        (status == 200).then(|| body["fields"]["title"].as_str().unwrap_or("").to_string())
    };
    let dir = tempfile::tempdir().unwrap();
    let newer = write_events(
        dir.path(),
        std::iter::once(version(1, "newer", "2024-05-02T10:00:00Z")),
    );
    publish_events(&project, &newer);
    let (code, _, stderr) = run_loader_types(DB, &project, "llm_chat", |_| title().is_some());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(title().as_deref(), Some("newer"));

    // The older version of the same conversation comes late (a redelivery, a slow producer).
    let older = write_events(
        dir.path(),
        std::iter::once(version(2, "older", "2024-05-01T10:00:00Z")),
    );
    publish_events(&project, &older);
    let started = Instant::now();
    let (code, report, stderr) = run_loader_types(DB, &project, "llm_chat", |_| {
        started.elapsed() > Duration::from_secs(3)
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["condition_not_met"], 1, "{report}");
    assert_eq!(report["acked"], 1, "{report}");
    assert_eq!(title().as_deref(), Some("newer"));

    // A deletion of a version older than the stored one removes nothing; one of a newer
    // version removes the document.
    let delete = |i: usize, updated_at: &str| {
        let mut event: Value = serde_json::from_str(&chat_line(&user, i)).unwrap();
        event["operation"] = json!("delete");
        event["conversation"] = json!({"conversation_id": "conv-0", "updated_at": updated_at});
        event.to_string()
    };
    let deletes = write_events(
        dir.path(),
        std::iter::once(delete(3, "2024-05-01T12:00:00Z")),
    );
    publish_events(&project, &deletes);
    let started = Instant::now();
    let (code, report, stderr) = run_loader_types(DB, &project, "llm_chat", |_| {
        started.elapsed() > Duration::from_secs(3)
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["condition_not_met"], 1, "{report}");
    assert_eq!(title().as_deref(), Some("newer"), "{report}");
    let deletes = write_events(
        dir.path(),
        std::iter::once(delete(4, "2024-05-03T10:00:00Z")),
    );
    publish_events(&project, &deletes);
    let (code, report, stderr) = run_loader_types(DB, &project, "llm_chat", |_| title().is_none());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(title(), None, "{report}");
}

#[test]
fn two_loaders_share_the_work_and_a_killed_one_loses_nothing() {
    let project = unique("consume-scale");
    let user = unique("scale");
    // The layout with a short lease on the chats' subscription (an overlay), so what the killed
    // loader held comes back within the test, not after two minutes.
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("topology.yaml");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/plans/topology.yaml"),
        &layout,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("topology.test.yaml"),
        "subscriptions:\n  vespa-loader-llm-chats: {ack_deadline: 10s}\n",
    )
    .unwrap();
    let layout_flags = ["--layout", layout.to_str().unwrap(), "--env", "test"];
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(DB))
        .args(["topics", "apply", "--yes", "--project", &project])
        .args(layout_flags)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let path = write_events(dir.path(), (0..300).map(|i| chat_line(&user, i)));
    publish_events(&project, &path);

    // Small flow-control windows, so that the two loaders share the backlog and the killed one
    // holds only a few messages (they come back when their lease, as last extended, ends).
    let flags = |outstanding: &'static str| -> Vec<&str> {
        layout_flags
            .iter()
            .copied()
            .chain([
                "--claim-timeout",
                "5s",
                "--max-outstanding-messages",
                outstanding,
            ])
            .collect()
    };
    // A loader killed (SIGKILL) mid-stream: what it had not acked comes back to the others.
    let mut doomed = Loader::start_with(DB, &project, "llm_chat", &flags("20"));
    let started = Instant::now();
    while doc_count("llm_chat", &user) < 20 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    doomed.read_stderr();
    doomed.kill();
    // The two that share the work serve their health and metrics, and log JSON.
    let served = |outstanding| {
        let mut flags = flags(outstanding);
        flags.extend(["--listen", "127.0.0.1:0", "--log-format", "json"]);
        flags
    };
    let mut first = Loader::start_with(DB, &project, "llm_chat", &served("50"));
    let mut second = Loader::start_with(DB, &project, "llm_chat", &served("50"));
    let started = Instant::now();
    while doc_count("llm_chat", &user) < 300 && started.elapsed() < Duration::from_secs(100) {
        first.read_stderr();
        second.read_stderr();
        std::thread::sleep(Duration::from_millis(250));
    }
    // Every log line is a JSON object; the endpoint's address is in one of them.
    let (addr_a, addr_b) = (first.listen_address(), second.listen_address());
    for addr in [&addr_a, &addr_b] {
        assert_eq!(get_text(addr, "/healthz"), (200, "ok\n".to_string()));
        let (status, body) = get_text(addr, "/readyz");
        assert_eq!(status, 200, "{body}");
        assert_eq!(get_text(addr, "/nope").0, 404);
    }
    // Both did work, as their metrics say; no user id is ever a label.
    let fed = |addr: &str| {
        let (status, text) = get_text(addr, "/metrics");
        assert_eq!(status, 200, "{text}");
        assert!(!text.contains(&user), "a user id in the metrics: {text}");
        metric(
            &text,
            "officectl_consumer_messages_total{consumer=\"vespa-loader\",subscription=\"vespa-loader-llm-chats\",outcome=\"fed\"}",
        )
    };
    let (fed_a, fed_b) = (fed(&addr_a), fed(&addr_b));
    assert!(
        fed_a > 0.0 && fed_b > 0.0,
        "both did work: {fed_a} + {fed_b}"
    );
    let (_, text) = get_text(&addr_a, "/metrics");
    assert!(
        metric(
            &text,
            "officectl_vespa_feed_operations_total{type=\"llm_chat\",outcome=\"ok\"}"
        ) > 0.0,
        "{text}"
    );

    // `migrate status` shows both processes and what they read, from their heartbeats.
    let status = migrate_status(DB);
    // (The killed loader's heartbeat is there too until its TTL ends.)
    let pids = [first.child.get().id(), second.child.get().id()];
    let of_these_two = |r: &Value| {
        pids.iter().any(|pid| {
            r["instance"]
                .as_str()
                .unwrap()
                .contains(&format!("(pid {pid})"))
        })
    };
    let readers: Vec<&Value> = status["readers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["project"] == project.as_str() && of_these_two(r))
        .collect();
    assert_eq!(readers.len(), 2, "{status}");
    for reader in &readers {
        assert_eq!(reader["consumer"], "vespa-loader");
        assert_eq!(reader["reading"]["llm_chat"], "legacy", "{reader}");
        assert_eq!(reader["subscriptions"], json!(["vespa-loader-llm-chats"]));
    }

    let (code_a, a, stderr_a) = first.stop();
    let (code_b, b, stderr_b) = second.stop();
    assert_eq!(code_a, Some(0), "{stderr_a}");
    assert_eq!(code_b, Some(0), "{stderr_b}");
    assert_eq!(doc_count("llm_chat", &user), 300, "{a}\n{b}");
    for stderr in [&stderr_a, &stderr_b] {
        for line in stderr.lines() {
            let log: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
            assert!(
                log["level"].is_string() && log["message"].is_string(),
                "{line}"
            );
        }
    }
    // A stopped process's heartbeat is gone at once.
    let status = migrate_status(DB);
    assert!(
        !status["readers"]
            .as_array()
            .unwrap()
            .iter()
            .any(of_these_two),
        "{status}"
    );
}

/// `migrate status -o json` against database `db`.
fn migrate_status(db: u8) -> Value {
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(db))
        .args(["migrate", "status", "-o", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A GET over HTTP/1.1: the status and the body as text.
pub(crate) fn get_text(addr: &str, path: &str) -> (u16, String) {
    support::http_text(addr, "GET", path, None)
}

/// The value of the sample `series` (name and labels, as exposed) in a metrics text; 0 if absent.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// The database of the migration test: the plan moves its flags.
const MIGRATE_DB: u8 = 47;

#[test]
fn migrate_apply_moves_a_running_loader_and_rollback_moves_it_back() {
    let project = unique("consume-migrate");
    let user = unique("migrating");
    lay_out(&project, MIGRATE_DB);
    let dir = tempfile::tempdir().unwrap();
    // The e-mail plan under this test's name (its journal and lock are the test's), with a
    // short parity wait.
    let plan = dir.path().join("emails.yaml");
    std::fs::write(
        &plan,
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/plans/migrations/emails.yaml"
        ))
        .unwrap()
        .replacen("name: emails\n", &format!("name: {project}\n"), 1)
        .replace("idle_timeout: 10s", "idle_timeout: 2s"),
    )
    .unwrap();
    let migrate = |args: &[&str]| {
        let out = officectl_with_services()
            .env("OFFICECTL_REDIS_URL", redis_db(MIGRATE_DB))
            .args(["migrate", "--project", &project])
            .args(args)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    };
    let plan_path = plan.to_str().unwrap();
    let publish = |i: usize| {
        let path = write_events(dir.path(), std::iter::once(event_line(&user, i)));
        publish_events_in(MIGRATE_DB, &project, &path);
    };
    let wait_for = |loader: &mut Loader, what: &str, done: &dyn Fn(&Loader) -> bool| {
        let started = Instant::now();
        while !done(loader) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "waited for {what}: {:?}",
                loader.lines
            );
            std::thread::sleep(Duration::from_millis(100));
            loader.read_stderr();
        }
    };
    let opened = |subscription: &'static str| {
        move |loader: &Loader| {
            loader
                .lines
                .iter()
                .filter(|l| l.contains(&format!("opened={subscription}")))
                .count()
        }
    };

    let mut loader =
        Loader::start_with(MIGRATE_DB, &project, "email", &["--flag-refresh", "500ms"]);
    // Before the plan: the loader reads the legacy subscription; dual publishing starts.
    wait_for(&mut loader, "the legacy subscription", &|l| {
        opened("vespa-loader-email-backfill")(l) == 1
    });
    migrate(&["apply", plan_path, "--to", "publish-dual"]);
    publish(1);
    wait_for(&mut loader, "e-mail 1", &|_| doc_count("email", &user) == 1);

    // Parity passes on that traffic; `read-new` moves the running loader to `emails`.
    migrate(&[
        "apply",
        plan_path,
        "--to",
        "read-new",
        "--approve",
        "approve-cutover",
    ]);
    wait_for(&mut loader, "the switch to emails", &|l| {
        opened("vespa-loader-emails")(l) == 1
    });
    publish(2);
    wait_for(&mut loader, "e-mail 2", &|_| doc_count("email", &user) == 2);

    // Rolling back to dual publishing moves it back to the legacy subscription, where the
    // legacy copy of e-mail 2 waits: a duplicate, skipped.
    migrate(&["rollback", plan_path, "--to", "publish-dual", "--yes"]);
    wait_for(&mut loader, "the switch back", &|l| {
        opened("vespa-loader-email-backfill")(l) == 2
    });
    publish(3);
    wait_for(&mut loader, "e-mail 3", &|_| doc_count("email", &user) == 3);
    let (code, report, stderr) = loader.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["switches"], 2, "{report}");
    assert!(report["duplicates"].as_u64().unwrap() >= 1, "{report}");
    assert_eq!(report["fed"], 3, "each e-mail fed once: {report}");
    assert_eq!(doc_count("email", &user), 3);
}

/// The database of the mixed test: no publish mode set, so e-mail goes out in the legacy shape.
const MIX_DB: u8 = 48;

#[test]
fn every_type_new_and_legacy_with_parked_payloads_and_deletes_is_loaded() {
    let project = unique("consume-mix");
    let user = unique("mix");
    lay_out(&project, MIX_DB);
    let dir = tempfile::tempdir().unwrap();
    let fixture = |name: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/tests/fixtures/events/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap()
    };
    // One event of every type (the e-mail one carries two e-mails), the document's content
    // large enough to be parked in Redis by the claim check, and a legacy-shaped e-mail.
    let long_content = "roadmap review notes ".repeat(100);
    let mut lines = Vec::new();
    for (i, name) in [
        "booking",
        "calendar",
        "contact",
        "document",
        "email",
        "llm_chat",
        "meeting_poll",
        "shipment",
        "todo",
    ]
    .iter()
    .enumerate()
    {
        let mut event = fixture(&format!("valid/{name}"));
        event["user_id"] = json!(user);
        event["event_id"] = json!(format!("evt-{user}-{i}"));
        // A batch's idempotency key is its batch and correlation ids: this run's own.
        event["correlation_id"] = json!(format!("corr-{user}-{i}"));
        if event.get("batch_id").is_some() {
            event["batch_id"] = json!(format!("batch-{user}-{i}"));
        }
        if *name == "document" {
            event["document"]["content"] = json!(long_content);
        }
        lines.push(event.to_string());
    }
    let mut legacy = fixture("legacy/minimal");
    legacy["user_id"] = json!(user);
    lines.push(legacy.to_string());
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "claim_check:\n  threshold_bytes: 1024\n").unwrap();
    let path = write_events(dir.path(), lines.into_iter());
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(MIX_DB))
        .arg("--config")
        .arg(&config)
        .args(["events", "publish", "--project", &project])
        .args(["-o", "json"])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let published: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        published["claim_checked"], 1,
        "the document's content parked: {published}"
    );

    let expected = [
        ("booking", 1),
        ("calendar", 1),
        ("contact", 1),
        ("office_document", 1),
        ("email", 3),
        ("llm_chat", 1),
        ("meeting_poll", 1),
        ("shipment", 1),
        ("todo", 1),
    ];
    let all_loaded = || expected.iter().all(|(t, n)| doc_count(t, &user) == *n);
    let loader = Loader::start_with(
        MIX_DB,
        &project,
        "booking,calendar,contact,document,email,llm_chat,meeting_poll,shipment,todo",
        &["--config", config.to_str().unwrap()],
    );
    let started = Instant::now();
    while !all_loaded() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(200));
    }
    for (vespa_type, n) in expected {
        assert_eq!(doc_count(vespa_type, &user), n, "{vespa_type}");
    }
    // The parked content came back from Redis into the document; the legacy e-mail was upcast.
    let (status, visited) = http(
        &support::vespa_endpoint(),
        "GET",
        &format!("/document/v1/office/office_document/group/{user}?cluster=office"),
        None,
    );
    assert_eq!(status, 200, "{visited}");
    let document = &visited["documents"][0];
    assert_eq!(
        document["fields"]["text"],
        long_content.as_str(),
        "{document}"
    );
    let (status, legacy_email) = http(
        &support::vespa_endpoint(),
        "GET",
        &format!("/document/v1/office/email/group/{user}/m-1"),
        None,
    );
    assert_eq!(status, 200, "{legacy_email}");
    assert_eq!(legacy_email["fields"]["title"], "Hello", "{legacy_email}");
    // `search` finds them: the parked content's words, across types.
    let out = officectl_with_services()
        .args(["search", "roadmap", "--user", &user, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"].as_str().unwrap().contains("office_document")),
        "{found}"
    );

    // A deletion of the chat (a newer version than the stored one) removes its document.
    let mut delete = fixture("valid/llm_chat");
    delete["user_id"] = json!(user);
    delete["event_id"] = json!(format!("evt-{user}-delete"));
    delete["operation"] = json!("delete");
    delete["conversation"] =
        json!({"conversation_id": "conv-5", "updated_at": "2025-01-01T00:00:00Z"});
    let path = write_events(dir.path(), std::iter::once(delete.to_string()));
    publish_events_in(MIX_DB, &project, &path);
    let started = Instant::now();
    while doc_count("llm_chat", &user) != 0 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
    }
    let (code, report, stderr) = loader.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("llm_chat", &user), 0, "{report}");
    assert_eq!(report["fed"], 12, "11 puts and a remove: {report}");
}

const DISCOVERY_DB: u8 = 49;

/// One e-mail event: `from` to `to`, received on `day`.
fn mail_line(user: &str, i: usize, from: &str, to: &str, labels: &str, day: &str) -> String {
    let at = format!("{day}T10:00:00Z");
    json!({
        "event_type": "EmailEvent", "event_id": format!("evt-mail-{i}"), "schema_version": 2,
        "user_id": user, "provider": "google", "sync_type": "real_time", "operation": "create",
        "correlation_id": format!("corr-mail-{i}"), "occurred_at": at,
        "emails": [{"provider_message_id": format!("mail-{i}"), "thread_id": "t", "subject": "hello",
            "from": {"email": from, "name": "Dana"}, "to": [{"email": to}], "labels": [labels],
            "body": {"mime_type": "text/plain", "content": "see you"},
            "received_at": at, "updated_at": at}],
    })
    .to_string()
}

/// E-mails → `consume contact-discovery` → `ContactEvent`s on `contacts` → `consume
/// vespa-loader` → `search Dana --type contact` finds the frequent, recent Dana above the
/// one-off one; publishing the same events again counts nothing twice.
#[test]
fn contact_discovery_pushes_contacts_that_the_loader_indexes_ranked() {
    let project = unique("discovery");
    let user = unique("discovery-user");
    lay_out(&project, DISCOVERY_DB);
    for data_type in ["email", "calendar", "document"] {
        set_in(
            DISCOVERY_DB,
            &format!("office:flags:publish_mode:{data_type}"),
            "new",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    // The user writes to Dana New three times this week; Dana Old wrote twice, eleven months ago.
    let lines = vec![
        mail_line(
            &user,
            1,
            "me@corp.com",
            "dana.new@corp.com",
            "SENT",
            "2026-12-01",
        ),
        mail_line(
            &user,
            2,
            "me@corp.com",
            "dana.new@corp.com",
            "SENT",
            "2026-12-02",
        ),
        mail_line(
            &user,
            3,
            "me@corp.com",
            "dana.new@corp.com",
            "SENT",
            "2026-12-03",
        ),
        mail_line(
            &user,
            4,
            "dana.old@corp.com",
            "me@corp.com",
            "INBOX",
            "2026-01-05",
        ),
        mail_line(
            &user,
            5,
            "dana.old@corp.com",
            "me@corp.com",
            "INBOX",
            "2026-01-06",
        ),
    ];
    let path = write_events(dir.path(), lines.into_iter());
    // Then, once the mails are counted (the user's address learned from them), a meeting the
    // user organizes with Dana New and a document the user shares with her.
    let later_dir = tempfile::tempdir().unwrap();
    let mut later = Vec::new();
    later.push(
        json!({
            "event_type": "CalendarEvent", "event_id": "evt-meet-1", "schema_version": 1,
            "user_id": user, "provider": "google", "sync_type": "incremental_sync",
            "operation": "create", "correlation_id": "corr-meet-1",
            "occurred_at": "2026-12-03T10:00:00Z",
            "entry": {"provider_event_id": "meet-1", "calendar_id": "primary", "title": "1:1",
                "start": "2026-12-03T09:00:00Z", "end": "2026-12-03T09:30:00Z",
                "organizer": {"email": "me@corp.com"},
                "attendees": [{"email": "dana.new@corp.com", "response": "accepted"}],
                "status": "confirmed",
                "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-03T10:00:00Z"},
        })
        .to_string(),
    );
    later.push(
        json!({
            "event_type": "DocumentEvent", "event_id": "evt-doc-1", "schema_version": 1,
            "user_id": user, "provider": "google", "sync_type": "incremental_sync",
            "operation": "create", "correlation_id": "corr-doc-1",
            "occurred_at": "2026-12-03T11:00:00Z",
            "document": {"provider_document_id": "doc-1", "title": "Plan",
                "mime_type": "application/vnd.google-apps.document",
                "owner": {"email": "me@corp.com"},
                "shared_with": [{"email": "dana.new@corp.com"}],
                "created_at": "2026-12-03T11:00:00Z", "updated_at": "2026-12-03T11:00:00Z"},
        })
        .to_string(),
    );
    let later_path = write_events(later_dir.path(), later.into_iter());
    publish_events_in(DISCOVERY_DB, &project, &path);

    let pushed = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.contains("contact pushed"))
            .count()
    };
    let mut discovery = Loader::start_consumer(
        DISCOVERY_DB,
        &project,
        "contact-discovery",
        "email,calendar,document",
        &["--log-format", "json", "--listen", "127.0.0.1:0"],
    );
    let addr = discovery.listen_address();
    let settle = |discovery: &mut Loader, pushes: usize, messages: f64| {
        let started = Instant::now();
        loop {
            discovery.read_stderr();
            let (_, text) = get_text(&addr, "/metrics");
            let settled = metric_sum(&text, "officectl_consumer_messages_total", &[]);
            if (pushed(&discovery.lines) >= pushes && settled >= messages)
                || started.elapsed() > Duration::from_secs(60)
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    settle(&mut discovery, 2, 5.0);
    publish_events_in(DISCOVERY_DB, &project, &later_path);
    settle(&mut discovery, 2, 7.0);
    let (code, report, stderr) = discovery.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["counted"], 7, "{report}\n{stderr}");
    assert_eq!(report["pushed"], 2, "{report}\n{stderr}");
    assert_eq!(
        report["subscriptions"],
        json!([
            "contact-discovery-calendars",
            "contact-discovery-documents",
            "contact-discovery-emails"
        ]),
        "{report}"
    );

    // The loader indexes both ContactEvents as contact documents.
    let (code, report, stderr) = run_loader_types(DISCOVERY_DB, &project, "contact", |_| {
        doc_count("contact", &user) >= 2
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("contact", &user), 2, "{report}\n{stderr}");

    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(DISCOVERY_DB))
        .args([
            "search", "Dana", "--user", &user, "--type", "contact", "-o", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<String> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let id_of = |address: &str| format!("discovered%3A{}", officectl::keys::contact_id(address));
    assert_eq!(ids.len(), 2, "{result}");
    assert!(ids[0].ends_with(&id_of("dana.new@corp.com")), "{result}");
    assert!(ids[1].ends_with(&id_of("dana.old@corp.com")), "{result}");

    // The same events again (a replay): every one is a duplicate, nothing is pushed.
    publish_events_in(DISCOVERY_DB, &project, &path);
    publish_events_in(DISCOVERY_DB, &project, &later_path);
    let mut again = Loader::start_consumer(
        DISCOVERY_DB,
        &project,
        "contact-discovery",
        "email,calendar,document",
        &["--log-format", "json", "--listen", "127.0.0.1:0"],
    );
    let addr = again.listen_address();
    let started = Instant::now();
    loop {
        let (_, text) = get_text(&addr, "/metrics");
        let duplicates = text
            .lines()
            .filter(|l| {
                l.starts_with("officectl_consumer_messages_total{")
                    && l.contains("outcome=\"duplicate\"")
            })
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum::<f64>();
        if duplicates >= 7.0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let (code, report, stderr) = again.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["duplicates"], 7, "{report}\n{stderr}");
    assert_eq!(report["counted"], 0, "{report}");
    assert_eq!(report["pushed"], 0, "{report}");

    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(DISCOVERY_DB))
        .args(["contacts", "show", "--user", &user, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let contacts = shown["contacts"].as_array().unwrap();
    assert_eq!(contacts[0]["address"], "dana.new@corp.com", "{shown}");
    assert_eq!(contacts[0]["counts"]["email.outbound"], 3, "{shown}");
    assert_eq!(contacts[0]["counts"]["calendar.outbound"], 1, "{shown}");
    assert_eq!(contacts[0]["counts"]["document.outbound"], 1, "{shown}");
    assert_eq!(contacts[1]["counts"]["email.inbound"], 2, "{shown}");
    assert_eq!(
        contacts.len(),
        2,
        "the user's own address is no contact: {shown}"
    );
}

const DISCOVERY_KILL_DB: u8 = 50;

/// The sum of a counter's series whose line contains every one of `parts`.
pub(crate) fn metric_sum(text: &str, name: &str, parts: &[&str]) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(name) && parts.iter().all(|p| l.contains(p)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// SIGKILL contact discovery mid-stream, start it again: every user's records end as an
/// uninterrupted count of the same events makes them (counted in-process for twin users).
#[test]
fn contact_discovery_killed_mid_stream_ends_with_the_uninterrupted_scores() {
    let project = unique("discovery-kill");
    let prefix = unique("kill");
    lay_out(&project, DISCOVERY_KILL_DB);
    set_in(DISCOVERY_KILL_DB, "office:flags:publish_mode:email", "new");
    let (users, per_user) = (12, 10);
    let correspondents = [
        "dana@corp.com",
        "lee@corp.com",
        "kim@corp.com",
        "ann@corp.com",
    ];
    let events_of = |user: &str| -> Vec<String> {
        (0..per_user)
            .map(|i| {
                let other = correspondents[i % correspondents.len()];
                let day = format!("2026-11-{:02}", 1 + i);
                if i % 3 == 0 {
                    mail_line(user, i, "me@corp.com", other, "SENT", &day)
                } else {
                    mail_line(user, i, other, "me@corp.com", "INBOX", &day)
                }
            })
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..users)
        .flat_map(|u| events_of(&format!("{prefix}-{u}")))
        .collect();
    let path = write_events(dir.path(), lines.into_iter());
    publish_events_in(DISCOVERY_KILL_DB, &project, &path);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let conn = runtime
        .block_on(officectl::redis_connection::connect(
            &redis_db(DISCOVERY_KILL_DB),
            Duration::from_secs(5),
        ))
        .unwrap();
    let store = officectl::contacts::store::ContactStore::new(
        conn.clone(),
        officectl::contacts::config::ContactsConfig::default(),
    );
    let markers = || -> usize {
        let mut conn = conn.clone();
        runtime.block_on(async {
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg(format!("office:{prefix}-*:contacts:seen:*"))
                .query_async(&mut conn)
                .await
                .unwrap();
            keys.len()
        })
    };
    let total = users * per_user;

    let mut first = Loader::start_consumer(
        DISCOVERY_KILL_DB,
        &project,
        "contact-discovery",
        "email",
        &["--log-format", "json", "--concurrency", "4"],
    );
    let started = Instant::now();
    while markers() < total / 3 && started.elapsed() < Duration::from_secs(60) {
        first.read_stderr();
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill();
    let at_kill = markers();
    assert!(
        at_kill > 0 && at_kill < total,
        "killed mid-stream: {at_kill} of {total} counted"
    );

    let mut second = Loader::start_consumer(
        DISCOVERY_KILL_DB,
        &project,
        "contact-discovery",
        "email",
        &["--log-format", "json", "--listen", "127.0.0.1:0"],
    );
    let addr = second.listen_address();
    let started = Instant::now();
    while markers() < total && started.elapsed() < Duration::from_secs(150) {
        second.read_stderr();
        std::thread::sleep(Duration::from_millis(200));
    }
    // Counted means committed; wait for the last messages' pushes and acks too.
    let settled = Instant::now();
    let metrics = loop {
        let (_, metrics) = get_text(&addr, "/metrics");
        let inflight = metric_sum(&metrics, "officectl_consumer_inflight_messages", &[]);
        if inflight == 0.0 || settled.elapsed() > Duration::from_secs(20) {
            break metrics;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (code, report, stderr) = second.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(markers(), total, "{report}\n{stderr}");
    // What the restart counted is on its metrics: contacts, pushes and scores.
    assert_eq!(
        metric_sum(&metrics, "officectl_contact_score_count", &[]),
        report["changed"].as_f64().unwrap(),
        "{metrics}"
    );
    // (The report's `pushed` also counts what the killed run owed: published, not decided.)
    assert_eq!(
        metric_sum(
            &metrics,
            "officectl_contact_updates_total",
            &["outcome=\"pushed\""]
        ),
        report["changed"].as_f64().unwrap() - report["held"].as_f64().unwrap(),
        "{metrics}"
    );

    // Twins counted in-process without interruption.
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    for u in 0..users {
        let (user, twin) = (format!("{prefix}-{u}"), format!("{prefix}-twin-{u}"));
        let got = runtime.block_on(async {
            for line in events_of(&twin) {
                let event = officectl::model::validate::validate_ndjson_line(&line).unwrap();
                let key = officectl::model::idempotency::message_key(&event).1;
                store.count(&event, &key, now).await.unwrap();
            }
            (
                store.top(&user, 100).await.unwrap(),
                store.top(&twin, 100).await.unwrap(),
            )
        });
        let (a, b) = got;
        assert_eq!(a.len(), correspondents.len(), "{user}: {a:?}");
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.address, &x.counts), (&y.address, &y.counts), "{user}");
            assert_eq!(x.score.at, y.score.at);
            assert!(
                (x.score.value - y.score.value).abs() <= 1e-9 * y.score.value,
                "{user} {}: {} vs {}",
                x.address,
                x.score.value,
                y.score.value
            );
        }
    }
}

const SHIPMENTS_DB: u8 = 52;

/// One e-mail with a subject and body of its own, received on `day` of November 2026.
fn notice_line(user: &str, i: usize, from: &str, subject: &str, body: &str, day: u32) -> String {
    let at = format!("2026-11-{day:02}T10:00:00Z");
    json!({
        "event_type": "EmailEvent", "event_id": format!("evt-notice-{i}"), "schema_version": 2,
        "user_id": user, "provider": "google", "sync_type": "real_time", "operation": "create",
        "correlation_id": format!("corr-notice-{i}"), "occurred_at": at,
        "emails": [{"provider_message_id": format!("notice-{i}"), "thread_id": "t", "subject": subject,
            "from": {"email": from}, "to": [{"email": "me@corp.com"}], "labels": ["INBOX"],
            "body": {"mime_type": "text/plain", "content": body},
            "received_at": at, "updated_at": at}],
    })
    .to_string()
}

/// Shipping mails → `consume shipments` → `ShipmentEvent`s → the Vespa loader: one `shipment`
/// document, delivered; a late "shipped" mail does not move it back; a newsletter with a
/// number that passes FedEx's check digit is not a shipment; the same mails again publish
/// nothing.
#[test]
fn shipments_move_forward_once_and_reach_vespa() {
    let project = unique("shipments");
    let user = unique("shipments-user");
    lay_out(&project, SHIPMENTS_DB);
    set_in(SHIPMENTS_DB, "office:flags:publish_mode:email", "new");
    set_in(SHIPMENTS_DB, "office:flags:publish_mode:shipment", "new");
    let number = "986578788855";
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![
        notice_line(
            &user,
            1,
            "TrackingUpdates@fedex.com",
            "Your package is on its way",
            &format!("Your shipment is in transit. Tracking number {number}."),
            2,
        ),
        notice_line(
            &user,
            2,
            "TrackingUpdates@fedex.com",
            "Delivered: your package",
            &format!("Your package was delivered. Tracking number {number}."),
            4,
        ),
        notice_line(
            &user,
            3,
            "orders@shop.example",
            "Your order 5521 has shipped",
            &format!("Order #5521 has shipped with FedEx. Tracking number: {number}"),
            5,
        ),
        notice_line(
            &user,
            4,
            "news@travel.example",
            "Deals",
            "Call 123456789012 to book! Free shipping.",
            5,
        ),
    ];
    // Each mail in a file of its own, published once the one before is settled: the
    // subscription has no ordering, and the count of publishes depends on the order (a
    // delivered mail first leaves nothing for "in transit" to move).
    let paths: Vec<std::path::PathBuf> = lines
        .iter()
        .enumerate()
        .map(|(k, line)| {
            let path = dir.path().join(format!("mail-{k}.ndjson"));
            std::fs::write(&path, format!("{line}\n")).unwrap();
            path
        })
        .collect();
    let path = write_events(dir.path(), lines.into_iter());

    let run = |publish_one_by_one: bool, expect_read: f64| {
        let mut shipments = Loader::start_consumer(
            SHIPMENTS_DB,
            &project,
            "shipments",
            "email",
            &["--log-format", "json", "--listen", "127.0.0.1:0"],
        );
        let addr = shipments.listen_address();
        let settled = |at_least: f64| {
            let started = Instant::now();
            loop {
                let (_, text) = get_text(&addr, "/metrics");
                let settled = metric_sum(&text, "officectl_consumer_messages_total", &[]);
                if settled >= at_least || started.elapsed() > Duration::from_secs(60) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        };
        if publish_one_by_one {
            for (k, path) in paths.iter().enumerate() {
                publish_events_in(SHIPMENTS_DB, &project, path);
                settled(k as f64 + 1.0);
            }
        } else {
            publish_events_in(SHIPMENTS_DB, &project, &path);
        }
        settled(expect_read);
        shipments.stop()
    };
    let (code, report, stderr) = run(true, 4.0);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["emails"], 4, "{report}\n{stderr}");
    assert_eq!(report["found"], 3, "{report}");
    assert_eq!(
        report["published"], 2,
        "in transit, then delivered: {report}"
    );

    let (code, report, stderr) = run_loader_types(SHIPMENTS_DB, &project, "shipment", |_| {
        doc_count("shipment", &user) >= 1
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc_count("shipment", &user), 1, "{report}");
    let (status, visited) = http(
        &support::vespa_endpoint(),
        "GET",
        &format!("/document/v1/office/shipment/group/{user}?cluster=office"),
        None,
    );
    assert_eq!(status, 200);
    let doc = visited["documents"][0]["fields"].to_string();
    assert!(doc.contains("delivered") && doc.contains(number), "{doc}");

    // The same mails again: applied before, nothing published.
    let (code, report, stderr) = run(false, 4.0);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["duplicates"], 4, "{report}\n{stderr}");
    assert_eq!(report["published"], 0, "{report}");
}
