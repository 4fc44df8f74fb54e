//! The `events` and `vespa schema` verbs, end to end; `events publish` against the local
//! Pub/Sub and Redis.

use crate::support::{officectl, officectl_with_services, services, transcript, unique};
use officectl::model::{claim_check, envelope, store::RedisKvStore};
use officectl::pubsub::google::{GoogleAdmin, GoogleSubscriber};
use officectl::pubsub::{Admin, MessageSource, SubscriptionConfig, TopicConfig, names};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn fixture_line(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    serde_json::to_string(&value).unwrap()
}

fn write_ndjson(dir: &Path, lines: &[String]) -> PathBuf {
    let path = dir.join("events.ndjson");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn validate_reports_each_invalid_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![
        fixture_line("valid/email.json"),
        fixture_line("invalid/todo_bad_enums.json"),
        fixture_line("legacy/minimal.json"),
        "{not json".to_string(),
    ];
    let path = write_ndjson(dir.path(), &lines);
    let output = officectl()
        .args(["events", "validate", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["lines"], 4);
    assert_eq!(report["valid"], 2);
    assert_eq!(report["legacy"], 1);
    let invalid: Vec<u64> = report["invalid_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(invalid, [2, 4]);
    assert!(
        report["invalid_lines"][0]["problems"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("2 of 4 lines") && stderr.contains("line 2"),
        "{stderr}"
    );

    let good = write_ndjson(dir.path(), &lines[..1]);
    officectl()
        .args(["events", "validate"])
        .arg(&good)
        .assert()
        .success();
}

/// Issue 17: a line that is not UTF-8 is one invalid line, named with its number and byte; the
/// lines after it are read (it used to end the read: "stream did not contain valid UTF-8").
#[test]
fn a_line_that_is_not_utf8_is_reported_by_number_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let email = fixture_line("valid/email.json");
    let cut = email.find("Quarterly").unwrap();
    let mut input = format!("{email}\n{}", &email[..cut]).into_bytes();
    input.push(0xe9); // "é" in Latin-1
    input.extend(format!("{}\n{}\n", &email[cut..], fixture_line("valid/todo.json")).into_bytes());
    let path = dir.path().join("latin1.ndjson");
    std::fs::write(&path, input).unwrap();
    let problem = format!("not valid UTF-8 at byte {}", cut + 1);

    let output = officectl()
        .args(["events", "validate", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (report["lines"].as_u64(), report["valid"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(report["invalid_lines"][0]["line"], 2);
    assert_eq!(
        report["invalid_lines"][0]["problems"][0]["message"],
        problem.as_str()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("first: line 2: $: {problem}")),
        "{stderr}"
    );

    let output = officectl()
        .args(["events", "convert"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("line 2: $: {problem}")),
        "{}",
        transcript(&output)
    );

    // Publishing validates every line first and publishes nothing when one is invalid.
    let output = officectl()
        .args([
            "events",
            "publish",
            "--project",
            "p",
            "--topic",
            "t",
            "--dry-run",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&problem), "{}", transcript(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1 of 3 lines"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn convert_upcasts_legacy_lines_to_the_golden_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_ndjson(dir.path(), &[fixture_line("legacy/minimal.json")]);
    let output = officectl()
        .args(["events", "convert"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let converted: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let golden: serde_json::Value =
        serde_json::from_str(&fixture_line("legacy/minimal.upcast.json")).unwrap();
    assert_eq!(converted, golden);
    // And the result is itself a valid current-format event.
    let converted_path = dir.path().join("converted.ndjson");
    std::fs::write(&converted_path, &output.stdout).unwrap();
    officectl()
        .args(["events", "validate"])
        .arg(&converted_path)
        .assert()
        .success();
}

#[test]
fn convert_reads_stdin_and_refuses_invalid_lines() {
    let input = format!(
        "{}\n{{\"event_type\":\"TodoEvent\"}}\n",
        fixture_line("legacy/minimal.json")
    );
    let output = officectl()
        .args(["events", "convert", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("<stdin>` line 2"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn schema_prints_one_type_or_all() {
    let output = officectl()
        .args(["events", "schema", "EmailEvent"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["title"], "EmailEvent");
    let output = officectl().args(["events", "schema"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(all.as_object().unwrap().len(), 10);
    let output = officectl()
        .args(["events", "schema", "Nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn vespa_schema_writes_the_committed_application_package() {
    let dir = tempfile::tempdir().unwrap();
    officectl()
        .args(["vespa", "schema", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("vespa/app");
    for relative in ["services.xml", "schemas/email.sd", "schemas/contact.sd"] {
        let fresh = std::fs::read_to_string(dir.path().join(relative)).unwrap();
        let have = std::fs::read_to_string(committed.join(relative)).unwrap();
        assert_eq!(fresh, have, "{relative}");
    }
}

#[test]
fn publish_to_a_missing_topic_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_ndjson(dir.path(), &[fixture_line("valid/todo.json")]);
    let project = unique("events-missing");
    let output = officectl_with_services()
        .args(["events", "publish", "--project", &project])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("`projects/{project}/topics/todos`")),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: create them with `officectl topics apply`"),
        "{stderr}"
    );
}

#[test]
fn published_events_arrive_with_attributes_and_resolvable_claim_checks() {
    let services = services();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let project = unique("events-pub");
    let topic = names::topic(&project, "emails");
    let subscription = names::subscription(&project, "check-emails");
    let endpoint = services.pubsub_endpoint();
    runtime.block_on(async {
        let admin = GoogleAdmin::connect(&endpoint).await.unwrap();
        admin
            .create_topic(&TopicConfig::named(&topic))
            .await
            .unwrap();
        admin
            .create_subscription(&SubscriptionConfig::new(&subscription, &topic))
            .await
            .unwrap();
    });

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("officectl.yaml");
    std::fs::write(&config, "claim_check:\n  threshold_bytes: 2000\n").unwrap();
    let mut big: serde_json::Value =
        serde_json::from_str(&fixture_line("valid/email.json")).unwrap();
    let body = "Grüße — ".repeat(1000);
    big["emails"][0]["body"]["content"] = serde_json::Value::String(body.clone());
    big["event_id"] = serde_json::Value::String("big-event".into());
    let lines = vec![
        fixture_line("valid/email.json"),
        big.to_string(),
        fixture_line("legacy/minimal.json"),
    ];
    let path = write_ndjson(dir.path(), &lines);
    let output = officectl_with_services()
        .args([
            "events",
            "publish",
            "-o",
            "json",
            "--topic",
            "emails",
            "--project",
            &project,
            "--config",
        ])
        .arg(&config)
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["published"], 3);
    assert_eq!(report["claim_checked"], 1);

    runtime.block_on(async {
        let subscriber = GoogleSubscriber::connect(&endpoint, 100).await.unwrap();
        let mut stream = subscriber.subscribe(&subscription);
        let conn =
            officectl::redis_connection::connect(&services.redis_url, Duration::from_secs(5))
                .await
                .unwrap();
        let store = RedisKvStore::new(conn);
        let mut resolved_bodies = 0;
        for _ in 0..3 {
            let delivery = tokio::time::timeout(Duration::from_secs(10), stream.next())
                .await
                .expect("a message within 10 s")
                .unwrap()
                .unwrap();
            let attributes = &delivery.message.attributes;
            assert_eq!(attributes["event_type"], "EmailEvent");
            for name in [
                "schema_version",
                "user_id",
                "sync_type",
                "operation",
                "correlation_id",
                "idempotency_key",
            ] {
                assert!(
                    attributes.contains_key(name),
                    "missing attribute {name}: {attributes:?}"
                );
            }
            let mut decoded = envelope::decode_message(&delivery.message.data, attributes).unwrap();
            if decoded.has_payload_refs {
                assert_eq!(attributes["claim_check"], "true");
                claim_check::resolve_payloads(&mut decoded.event, &store, &Default::default())
                    .await
                    .unwrap();
                let json = serde_json::to_value(&decoded.event).unwrap();
                assert_eq!(json["emails"][0]["body"]["content"], body);
                resolved_bodies += 1;
            }
            delivery.ack();
        }
        assert_eq!(resolved_bodies, 1);
    });
}

#[test]
fn validate_with_nothing_valid_prints_no_empty_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_ndjson(dir.path(), &["not json".to_string(), "{}".to_string()]);
    let output = officectl()
        .args(["events", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("2 lines: 0 valid"), "{stdout}");
    assert!(
        !stdout.contains("EVENT TYPE"),
        "an empty table header: {stdout}"
    );
}
