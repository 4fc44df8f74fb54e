//! `officectl trace` end to end: a backfill under one correlation id, the Vespa loader, and the
//! trace of it (by correlation id, batch and user) showing every stage complete; then batches
//! the loader has not consumed yet reported missing (exit 4), and an unknown id refused.

use crate::consume::{doc_count, lay_out, run_loader_types, set_in};
use crate::support::{officectl_with_services, redis_db, transcript, unique};
use serde_json::{Value, json};
use std::time::Duration;

const TRACE_DB: u8 = 59;

fn mails(user: &str, count: usize) -> String {
    (0..count)
        .map(|i| {
            json!({
                "user_id": user, "provider": "google", "provider_message_id": format!("{user}-{i}"),
                "thread_id": format!("t-{i}"), "subject": format!("hello {i}"),
                "from": {"email": "dana@corp.com"}, "to": [{"email": "me@corp.com"}],
                "received_at": "2026-11-01T10:00:00Z",
                "body": {"mime_type": "text/plain", "content": "hi"},
            })
            .to_string()
                + "\n"
        })
        .collect()
}

fn backfill(project: &str, dir: &std::path::Path, user: &str, correlation_id: &str) {
    let path = dir.join(format!("{user}.ndjson"));
    std::fs::write(&path, mails(user, 7)).unwrap();
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(TRACE_DB))
        .args([
            "backfill",
            "-q",
            "-o",
            "json",
            "--project",
            project,
            "--user",
            user,
        ])
        .args([
            "--batch-size",
            "3",
            "--correlation-id",
            correlation_id,
            "--source",
        ])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["published"], 7, "{report}");
}

fn trace(args: &[&str]) -> (Option<i32>, Value, String) {
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(TRACE_DB))
        .args(["trace", "-o", "json"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), report, transcript(&out))
}

fn stage(report: &Value, stage: &str, by: &str) -> Value {
    report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage && s["by"] == by)
        .cloned()
        .unwrap_or_else(|| panic!("no {stage} by {by}: {report}"))
}

#[test]
fn a_backfill_is_traced_through_the_loader_into_vespa() {
    let project = unique("trace");
    let (ann, bob) = (unique("trace-ann"), unique("trace-bob"));
    let correlation_id = unique("corr-trace");
    lay_out(&project, TRACE_DB);
    set_in(TRACE_DB, "office:flags:publish_mode:email", "new");
    set_in(
        TRACE_DB,
        "office:flags:read_source:vespa-loader:email",
        "new",
    );
    let dir = tempfile::tempdir().unwrap();
    backfill(&project, dir.path(), &ann, &correlation_id);
    let (code, report, stderr) = run_loader_types(TRACE_DB, &project, "email", |_| {
        doc_count("email", &ann) >= 7
    });
    assert_eq!(code, Some(0), "{report}\n{stderr}");

    // 7 e-mails in batches of 3: 3 batches, published, consumed and indexed.
    let (code, report, out) = trace(&["--correlation-id", &correlation_id]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(report["complete"], true, "{report}");
    let published = stage(&report, "published", "backfill");
    assert_eq!(
        (published["events"].as_u64(), published["items"].as_u64()),
        (Some(3), Some(7))
    );
    let consumed = stage(&report, "consumed", "vespa-loader");
    assert_eq!(
        (consumed["events"].as_u64(), consumed["missing"].as_u64()),
        (Some(3), Some(0))
    );
    let indexed = stage(&report, "indexed", "vespa");
    assert_eq!(
        (indexed["events"].as_u64(), indexed["items"].as_u64()),
        (Some(3), Some(7)),
        "{report}"
    );

    // Without Vespa: the same, and no indexed stage.
    let (code, report, out) = trace(&["--correlation-id", &correlation_id, "--no-vespa"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        report["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["stage"] != "indexed")
    );

    // Bob's mail under the same correlation id, with no loader running: published, not consumed.
    backfill(&project, dir.path(), &bob, &correlation_id);
    let (code, report, out) = trace(&["--correlation-id", &correlation_id, "--user", &bob]);
    assert_eq!(code, Some(4), "{out}");
    assert_eq!(report["complete"], false, "{report}");
    let consumed = stage(&report, "consumed", "vespa-loader");
    assert_eq!(
        (consumed["events"].as_u64(), consumed["missing"].as_u64()),
        (Some(0), Some(3)),
        "{report}"
    );
    let missing = consumed["missing_ids"].as_array().unwrap();
    let one = missing[0].as_str().unwrap();
    assert!(one.starts_with("bf-"), "{report}");
    // That batch, by its id: one event published, missing downstream.
    let (code, report, out) = trace(&["--batch-id", one]);
    assert_eq!(code, Some(4), "{out}");
    assert_eq!(
        stage(&report, "published", "backfill")["events"],
        1,
        "{report}"
    );
    assert_eq!(report["correlation_id"], correlation_id.as_str());

    let (code, _, out) = trace(&["--event-id", "no-such-event"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("no trace of event `no-such-event`"), "{out}");
}
