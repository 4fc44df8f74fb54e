//! `officectl reindex` against the Vespa double: native reindexing through the config port
//! (trigger and wait, halt with speed 0, status), and a re-feed from events under overload.
//!
//! The double reindexes one type at a time per cluster and the state is shared, so the native
//! steps run in one test, on types no other test reindexes (`todo`, `contact`).

use crate::support::{self, http};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn officectl(args: &[&str]) -> std::process::Output {
    support::officectl_with_services()
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run officectl")
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", support::transcript(out)))
}

/// `reindex status` row of `office/<doc_type>`.
fn status_of(doc_type: &str) -> Value {
    let out = officectl(&["reindex", "status", "--type", doc_type, "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let report = json_of(&out);
    report["types"]
        .as_array()
        .expect("types")
        .iter()
        .find(|r| r["cluster"] == "office" && r["document_type"] == doc_type)
        .cloned()
        .unwrap_or_else(|| panic!("no office/{doc_type} in {report}"))
}

#[test]
fn native_reindexing_waits_until_successful_and_speed_0_halts() {
    // 1. Trigger and wait.
    let out = officectl(&[
        "reindex",
        "--native",
        "--cluster",
        "office",
        "--type",
        "todo",
        "--speed",
        "5",
        "--cause",
        "it-wait",
        "--wait",
        "--poll-interval",
        "0.1",
        "--wait-timeout",
        "60",
        "-o",
        "json",
    ]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{transcript}");
    assert!(
        transcript.contains("Reindexing document types [todo] in 'office'"),
        "{transcript}"
    );
    let report = json_of(&out);
    let row = &report["types"][0];
    assert_eq!(row["document_type"], "todo", "{report}");
    assert_eq!(row["state"], "successful", "{report}");
    assert_eq!(row["progress"], 1.0, "{report}");
    assert_eq!(row["cause"], "it-wait", "{report}");

    // 2. Start a slow one, let it run, halt it with speed 0.
    let out = officectl(&[
        "reindex", "--native", "--type", "contact", "--speed", "0.2", "--cause", "it-halt",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let row = status_of("contact");
        if row["state"] == "running" && row["progress"].as_f64().unwrap_or(0.0) > 0.0 {
            break;
        }
        assert!(Instant::now() < deadline, "never started: {row}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Another test binary may set every speed at once (vespa_double.rs does `speed=10`): retry
    // until two reads in a row show speed 0.
    let mut checked = false;
    for _ in 0..5 {
        let out = officectl(&["reindex", "--native", "--type", "contact", "--speed", "0"]);
        assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Set reindexing speed to '0"),
            "{}",
            support::transcript(&out)
        );
        let first = status_of("contact");
        std::thread::sleep(Duration::from_millis(1200));
        let second = status_of("contact");
        if first["speed"] != 0.0 || second["speed"] != 0.0 {
            continue;
        }
        assert_eq!(second["vespa_state"], "running", "{second}");
        assert_eq!(second["state"], "halted", "{second}");
        assert_eq!(
            first["progress"], second["progress"],
            "progress moved while halted"
        );
        assert!(second["progress"].as_f64().unwrap() < 1.0);
        checked = true;
        break;
    }
    assert!(checked, "speed 0 never held");

    // 3. Resume at full speed so the cluster's queue is free for others.
    let out = officectl(&[
        "reindex",
        "--native",
        "--type",
        "contact",
        "--speed",
        "10",
        "--wait",
        "--poll-interval",
        "0.1",
        "--wait-timeout",
        "60",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
}

#[test]
fn reindex_errors_name_the_cluster() {
    let out = officectl(&[
        "reindex",
        "--native",
        "--cluster",
        "nope",
        "--type",
        "email",
    ]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(transcript.contains("`nope`"), "{transcript}");
    assert!(
        transcript.contains("config server answered 400"),
        "{transcript}"
    );
    let out = officectl(&["reindex", "--native", "--speed", "0", "--wait"]);
    assert_eq!(out.status.code(), Some(1), "{}", support::transcript(&out));
}

#[test]
fn refeed_from_5000_events_through_429s_and_503s_lands_every_document_once() {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/email.json"
        ))
        .expect("fixture"),
    )
    .expect("fixture is JSON");
    let user = support::unique("refeed");
    let mut text = String::new();
    for i in 0..5000 {
        let mut event = fixture.clone();
        event["user_id"] = json!(user);
        event["event_id"] = json!(format!("evt-{user}-{i}"));
        let mut email = fixture["emails"][0].clone();
        email["provider_message_id"] = json!(format!("msg-{i}"));
        event["emails"] = json!([email]);
        text.push_str(&format!("{event}\n"));
    }
    text.push_str(&format!(
        "{}\n{}\n",
        json!({"event_type": "HologramEvent", "user_id": user}),
        json!({"event_type": "HologramEvent", "user_id": user})
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, text).expect("write events");

    let scope = format!("X-Test-Scope: {user}");
    let (status, body) = http(
        &support::vespa_endpoint(),
        "POST",
        "/_double/faults",
        Some(&json!({"429": 0.2, "503": 0.05, "seed": 3, "header": scope})),
    );
    assert_eq!(status, 200, "{body}");
    let out = support::officectl_with_services()
        .args(["reindex", "--source"])
        .arg(&path)
        .args(["--header", &scope, "--connections", "4", "-o", "json"])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run officectl");
    http(
        &support::vespa_endpoint(),
        "DELETE",
        &format!("/_double/faults?header={}", scope.replace(' ', "%20")),
        None,
    );
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{transcript}");
    let report = json_of(&out);
    assert_eq!(report["operations"], 5000, "{report}");
    assert_eq!(report["ok"], 5000, "{report}");
    assert_eq!(report["failed"], 0, "{report}");
    assert!(
        report["responses"]["429"].as_u64().unwrap() > 500,
        "{report}"
    );
    assert!(
        report["responses"]["503"].as_u64().unwrap() > 100,
        "{report}"
    );
    assert!(
        transcript.contains("5002 events read: 2 of unknown types skipped, 0 invalid"),
        "{transcript}"
    );

    // Every document is there once.
    let mut ids = std::collections::BTreeSet::new();
    let mut continuation = String::new();
    loop {
        let (status, body) = http(
            &support::vespa_endpoint(),
            "GET",
            &format!(
                "/document/v1/office/email/group/{user}?wantedDocumentCount=100000&fieldSet=%5Bid%5D{continuation}"
            ),
            None,
        );
        assert_eq!(status, 200, "{body}");
        for doc in body["documents"].as_array().expect("documents") {
            assert!(
                ids.insert(doc["id"].as_str().unwrap().to_string()),
                "{doc} twice"
            );
        }
        match body["continuation"].as_str() {
            Some(token) => continuation = format!("&continuation={token}"),
            None => break,
        }
    }
    assert_eq!(ids.len(), 5000);
    assert!(ids.contains(&format!("id:office:email:g={user}:msg-4999")));
}
