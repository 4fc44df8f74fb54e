//! `officectl reindex --from-vespa` and `--source FILE|pubsub:SUB` end to end against the Vespa
//! double, Redis and pstest: which documents are re-fed and in what shape, Ctrl-C and
//! `--resume`, a file resume that seeks, a subscription drained and acknowledged, `--rate`,
//! and `--dry-run`.
//!
//! Every test works on its own users (the double is shared by the tests running in parallel)
//! and seeds documents as an older officectl stored them: no `doc_id`/`user_id`/`doc_type`/
//! `participants`, the receive time as RFC 3339 text, the recipients as one string. The
//! re-feed from Vespa must bring them to the current shape.

use crate::support::{self, http, officectl_with_services, transcript, unique};
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::google::{GoogleAdmin, GoogleSubscriber};
use officectl::pubsub::{Admin, MessageSource, SubscriptionConfig, TopicConfig, names};
use officectl::vespa::checkpoint::{Mode, RunIdentity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

const RECEIVED_AT: i64 = 1_714_464_900; // 2024-04-30T08:15:00Z

fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = officectl_with_services();
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run officectl")
}

fn report(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", transcript(out)))
}

/// Puts `n` e-mail documents of `user` in the old shape.
fn seed_old(user: &str, n: usize) {
    for i in 0..n {
        let (status, body) = http(
            &support::vespa_endpoint(),
            "POST",
            &format!("/document/v1/office/email/group/{user}/m-{i:03}"),
            Some(&json!({"fields": {
                "title": format!("mail {i}"),
                "from_address": "a@example.com",
                "to_addresses": "b@example.com",
                "received_at": "2024-04-30T08:15:00Z",
            }})),
        );
        assert_eq!(status, 200, "{body}");
    }
}

/// Every e-mail document of `user`, by id (fails on an id seen twice).
fn documents(user: &str) -> BTreeMap<String, Value> {
    let mut docs = BTreeMap::new();
    let mut continuation = String::new();
    loop {
        let (status, body) = http(
            &support::vespa_endpoint(),
            "GET",
            &format!(
                "/document/v1/office/email/group/{user}?cluster=office&wantedDocumentCount=1000{continuation}"
            ),
            None,
        );
        assert_eq!(status, 200, "{body}");
        for doc in body["documents"].as_array().expect("documents") {
            let id = doc["id"].as_str().unwrap().to_string();
            assert!(
                docs.insert(id.clone(), doc["fields"].clone()).is_none(),
                "{id} twice"
            );
        }
        match body["continuation"].as_str() {
            Some(token) => continuation = format!("&continuation={token}"),
            None => return docs,
        }
    }
}

fn assert_current_shape(user: &str, id: &str, fields: &Value) {
    assert_eq!(fields["doc_type"], "email", "{id}: {fields}");
    assert_eq!(fields["user_id"], user, "{id}: {fields}");
    assert_eq!(
        fields["doc_id"].as_str(),
        id.rsplit(':').next(),
        "{id}: {fields}"
    );
    assert_eq!(fields["received_at"], RECEIVED_AT, "{id}: {fields}");
    assert_eq!(fields["created_at"], RECEIVED_AT, "{id}: {fields}");
    assert_eq!(fields["to_addresses"], json!(["b@example.com"]), "{id}");
    assert_eq!(
        fields["participants"],
        json!(["a@example.com", "b@example.com"]),
        "{id}"
    );
}

fn assert_old_shape(id: &str, fields: &Value) {
    assert!(
        fields.get("doc_type").is_none(),
        "{id} was touched: {fields}"
    );
    assert_eq!(fields["received_at"], "2024-04-30T08:15:00Z", "{id}");
}

/// An event line of `user` with one e-mail, `msg-<i>`.
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
    let mut email = event["emails"][0].clone();
    email["provider_message_id"] = json!(format!("msg-{i}"));
    event["emails"] = json!([email]);
    event.to_string()
}

fn write_events(dir: &Path, user: &str, n: usize) -> std::path::PathBuf {
    let path = dir.join("events.ndjson");
    let text: String = (0..n).map(|i| event_line(user, i) + "\n").collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn redis_get(key: &str) -> Option<Vec<u8>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let conn = officectl::redis_connection::connect(
            &support::services().redis_url,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        RedisKvStore::new(conn).get(key).await.unwrap()
    })
}

#[test]
fn from_vespa_re_feeds_exactly_one_users_documents_in_the_current_shape() {
    let (a, b) = (unique("rv-a"), unique("rv-b"));
    seed_old(&a, 30);
    seed_old(&b, 30);
    let out = run(
        &[
            "reindex",
            "--from-vespa",
            "--user",
            &a,
            "--slices",
            "3",
            "--page-size",
            "7",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    assert_eq!(r["mode"], "visit", "{r}");
    assert_eq!(r["read"], 30, "{r}");
    assert_eq!(r["fed"], 30, "{r}");
    assert_eq!(r["upgraded"], 30, "{r}");
    assert_eq!(r["failed"], 0, "{r}");
    assert_eq!(r["complete"], true, "{r}");
    // 30 documents of one group in pages of 7: 5 pages in its slice, one empty page in each
    // of the two others.
    assert_eq!(r["pages"], 7, "{r}");

    let docs = documents(&a);
    assert_eq!(docs.len(), 30);
    for (id, fields) in &docs {
        assert_current_shape(&a, id, fields);
    }
    let untouched = documents(&b);
    assert_eq!(untouched.len(), 30);
    for (id, fields) in &untouched {
        assert_old_shape(id, fields);
    }
}

#[test]
fn a_document_that_cannot_be_transformed_is_named_and_fails_the_run() {
    let user = unique("rv-bad");
    seed_old(&user, 3);
    let (status, body) = http(
        &support::vespa_endpoint(),
        "POST",
        &format!("/document/v1/office/email/group/{user}/broken"),
        Some(&json!({"fields": {"title": "x", "is_read": "perhaps"}})),
    );
    assert_eq!(status, 200, "{body}");
    let out = run(&["reindex", "--from-vespa", "--user", &user], &[]);
    let text = transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("document `id:office:email:g={user}:broken`"))
            && text.contains("field `is_read`: expected a boolean"),
        "{text}"
    );
    assert!(
        text.contains("1 documents could not be brought to the current shape"),
        "{text}"
    );
    // The others were re-fed; the broken one is left as it was.
    let docs = documents(&user);
    assert_eq!(docs.len(), 4);
    for (id, fields) in &docs {
        if id.ends_with(":broken") {
            assert_eq!(fields["is_read"], "perhaps");
        } else {
            assert_current_shape(&user, id, fields);
        }
    }
}

/// `officectl` with the services, as a child process whose stderr lines come back on a channel
/// (to send it a signal at the right moment).
fn spawn(args: &[&str]) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut cmd = support::spawnable_officectl_with_services();
    cmd.args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn officectl");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

#[test]
fn ctrl_c_writes_the_checkpoint_a_plain_rerun_is_refused_and_resume_finishes() {
    let user = unique("rv-int");
    seed_old(&user, 120);
    // Slow enough (120 documents at 40/s) to be interrupted midway.
    let args = [
        "reindex",
        "--from-vespa",
        "--user",
        &user,
        "--slices",
        "3",
        "--page-size",
        "10",
        "--rate",
        "40",
        "-o",
        "json",
    ];
    let (child, stderr) = spawn(&args);
    let mut seen = Vec::new();
    // The status line comes after the signal handler is installed.
    loop {
        let line = stderr
            .recv_timeout(Duration::from_secs(30))
            .expect("status line");
        let go = line.contains("re-feed from Vespa");
        seen.push(line);
        if go {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(1000));
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    seen.extend(stderr.try_iter());
    let stderr_text = seen.join("\n");
    assert_eq!(out.status.code(), Some(130), "{stderr_text}");
    let first: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first["interrupted"], true, "{first}");
    let first_fed = first["fed"].as_u64().unwrap();
    assert!(first_fed > 0 && first_fed < 120, "{first}");
    assert!(
        stderr_text.contains("interrupted after")
            && stderr_text.contains("checkpoint `office:reindex:checkpoint:visit:")
            && stderr_text.contains("hint: continue with `officectl reindex --from-vespa")
            && stderr_text.contains("--resume`"),
        "{stderr_text}"
    );

    // Without `--resume` (and no terminal to ask on) it refuses, naming both ways on.
    let refused = run(&args, &[]);
    let text = transcript(&refused);
    assert_eq!(refused.status.code(), Some(2), "{text}");
    assert!(
        text.contains("unfinished re-feed")
            && text.contains("--resume")
            && text.contains("--restart"),
        "{text}"
    );
    assert!(refused.stdout.is_empty(), "{text}");

    let mut resume_args = args.to_vec();
    resume_args.retain(|a| *a != "--rate" && *a != "40");
    resume_args.push("--resume");
    let resumed = run(&resume_args, &[]);
    assert_eq!(resumed.status.code(), Some(0), "{}", transcript(&resumed));
    let second = report(&resumed);
    assert_eq!(second["resumed"], true, "{second}");
    assert_eq!(second["complete"], true, "{second}");
    let second_read = second["read"].as_u64().unwrap();
    assert!(
        second_read < 120,
        "the resume visited from the continuations, not from the start: {second}"
    );
    assert!(first["read"].as_u64().unwrap() + second_read >= 120);

    let docs = documents(&user);
    assert_eq!(docs.len(), 120, "every document once");
    for (id, fields) in &docs {
        assert_current_shape(&user, id, fields);
    }
    // Done: the checkpoint says so, and `--resume` has nothing left to do.
    let again = run(&resume_args, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", transcript(&again));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("is complete"),
        "{}",
        transcript(&again)
    );
    let nothing = report(&again);
    assert_eq!(
        (nothing["complete"].as_bool(), nothing["read"].as_u64()),
        (Some(true), Some(0))
    );
}

#[test]
fn a_file_resume_seeks_past_what_was_fed() {
    let user = unique("rv-file");
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), &user, 30);
    let path = path.to_str().unwrap();
    // One operation at a time, interrupted (as by Ctrl-C) once 10 lines are fed.
    let args = [
        "reindex",
        "--source",
        path,
        "--connections",
        "1",
        "--max-inflight",
        "1",
        "-o",
        "json",
    ];
    let first = run(
        &args,
        &[("OFFICECTL_FAILPOINT", "reindex-interrupt-after-units:10")],
    );
    assert_eq!(first.status.code(), Some(130), "{}", transcript(&first));
    let fed_first = report(&first)["fed"].as_u64().unwrap();
    assert!((10..30).contains(&fed_first), "{}", transcript(&first));

    let mut resume_args = args.to_vec();
    resume_args.push("--resume");
    let second = run(&resume_args, &[]);
    let text = transcript(&second);
    assert_eq!(second.status.code(), Some(0), "{text}");
    // `…, resuming after line N (byte B)`
    let line: u64 = text
        .split("resuming after line ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no resume position: {text}"));
    assert!((10..30).contains(&line), "{text}");
    let r = report(&second);
    assert_eq!(
        r["read"],
        30 - line,
        "only the lines after the offset are read: {r}"
    );
    assert_eq!(r["fed"], 30 - line, "{r}");
    assert_eq!(r["complete"], true, "{r}");
    let docs = documents(&user);
    assert_eq!(docs.len(), 30);
}

#[test]
fn a_pubsub_source_re_feeds_published_events_and_acks_them() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let project = unique("rv-pubsub");
    let topic = names::topic(&project, "emails");
    let subscription = names::subscription(&project, "reindex-emails");
    runtime.block_on(async {
        let admin = GoogleAdmin::connect(&support::services().pubsub_endpoint())
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
    let user = unique("rv-sub");
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), &user, 12);
    let out = officectl_with_services()
        .args([
            "events",
            "publish",
            "--project",
            &project,
            "--topic",
            "emails",
        ])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));

    let out = run(
        &[
            "reindex",
            "--source",
            "pubsub:reindex-emails",
            "--project",
            &project,
            "--idle-timeout",
            "2s",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    assert_eq!(r["mode"], "pubsub", "{r}");
    assert_eq!(r["read"], 12, "{r}");
    assert_eq!(r["fed"], 12, "{r}");
    assert_eq!(r["acked"], 12, "{r}");
    assert_eq!(r["left_for_redelivery"], 0, "{r}");
    let docs = documents(&user);
    assert_eq!(docs.len(), 12);
    assert!(docs.contains_key(&format!("id:office:email:g={user}:msg-11")));

    // Nothing is left on the subscription.
    let left = runtime.block_on(async {
        let subscriber = GoogleSubscriber::connect(&support::services().pubsub_endpoint(), 100)
            .await
            .unwrap();
        let mut stream = subscriber.subscribe(&subscription);
        let mut left = 0;
        while let Ok(Some(delivery)) =
            tokio::time::timeout(Duration::from_secs(3), stream.next()).await
        {
            left += 1;
            delivery.unwrap().ack();
        }
        stream.shutdown().await;
        left
    });
    assert_eq!(left, 0, "messages left on the subscription");
}

#[test]
fn rate_limits_the_operations_sent() {
    let user = unique("rv-rate");
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), &user, 200);
    let started = Instant::now();
    let out = run(
        &[
            "reindex",
            "--source",
            path.to_str().unwrap(),
            "--rate",
            "400",
            "-o",
            "json",
        ],
        &[],
    );
    let wall = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    assert_eq!(r["fed"], 200, "{r}");
    // 200 operations at 400/s (with a burst of 20): at least 0.45 s of feeding. A lower bound
    // only: a slow machine may take longer.
    let secs = r["seconds"].as_f64().unwrap();
    assert!(secs >= 0.4, "{r}");
    assert!(wall >= Duration::from_millis(400), "{wall:?}");
}

#[test]
fn a_dry_run_reads_and_counts_but_writes_nothing() {
    let user = unique("rv-dry");
    seed_old(&user, 8);
    let out = run(
        &[
            "reindex",
            "--from-vespa",
            "--user",
            &user,
            "--dry-run",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    assert_eq!(r["dry_run"], true, "{r}");
    assert_eq!(r["read"], 8, "{r}");
    assert_eq!(r["operations"], 8, "{r}");
    assert_eq!(r["fed"], 0, "{r}");
    assert_eq!(r["requests"], 0, "{r}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("dry run: would feed 8 operations"),
        "{}",
        transcript(&out)
    );
    for (id, fields) in &documents(&user) {
        assert_old_shape(id, fields);
    }
    let key = RunIdentity::new(Mode::Visit, "office", std::slice::from_ref(&user), &[]).key();
    assert_eq!(redis_get(&key), None, "no checkpoint `{key}`");

    // The same for events from a file: nothing lands in Vespa, no checkpoint.
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), &user, 5);
    let out = run(
        &[
            "reindex",
            "--source",
            path.to_str().unwrap(),
            "--dry-run",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    assert_eq!(
        (r["read"].as_u64(), r["operations"].as_u64()),
        (Some(5), Some(5)),
        "{r}"
    );
    assert!(
        documents(&user).keys().all(|id| !id.contains(":msg-")),
        "a dry run fed events"
    );
    let canonical = std::fs::canonicalize(&path).unwrap();
    let key = RunIdentity::new(Mode::File, canonical.display().to_string(), &[], &[]).key();
    assert_eq!(redis_get(&key), None, "no checkpoint `{key}`");
}

/// A re-feed on a live cluster never puts an older version back: each put is conditional on the
/// `updated_at` the visit read, so a document written after the visit ends as "condition not
/// met" and keeps the newer write.
#[test]
fn documents_written_after_the_visit_are_not_overwritten() {
    let user = unique("rv-tas");
    seed_old(&user, 20);
    // One page of 20 documents fed at 4/s: most puts go seconds after the visit read them.
    let args = [
        "reindex",
        "--from-vespa",
        "--user",
        &user,
        "--rate",
        "4",
        "-o",
        "json",
    ];
    let (child, stderr) = spawn(&args);
    loop {
        let line = stderr
            .recv_timeout(Duration::from_secs(30))
            .expect("status line");
        if line.contains("re-feed from Vespa") {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(700));
    // A live writer changes every document meanwhile.
    for i in 0..20 {
        let (status, body) = http(
            &support::vespa_endpoint(),
            "PUT",
            &format!("/document/v1/office/email/group/{user}/m-{i:03}"),
            Some(&json!({"fields": {
                "title": {"assign": "written meanwhile"},
                "updated_at": {"assign": 1_800_000_000},
            }})),
        );
        assert_eq!(status, 200, "{body}");
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let r = report(&out);
    let skipped = r["condition_not_met"].as_u64().unwrap();
    assert!((1..=20).contains(&skipped), "{r}");
    let docs = documents(&user);
    assert_eq!(docs.len(), 20);
    for (id, fields) in &docs {
        assert_eq!(fields["title"], "written meanwhile", "{id} was overwritten");
    }
}
