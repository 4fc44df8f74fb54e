//! `officectl vespa feed` against the Vespa double: every document lands once and in order, with
//! and without injected overload, and failures are listed with exit 1.
//!
//! Each test uses its own user group and its own fault scope (`X-Test-Scope` header), so the
//! tests run in parallel against one double.

use crate::support::{self, http};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Every email document of `group`, by id.
fn visit_group(group: &str) -> std::collections::BTreeMap<String, Value> {
    let base = support::vespa_endpoint();
    let mut docs = std::collections::BTreeMap::new();
    let mut continuation = String::new();
    loop {
        let path = format!(
            "/document/v1/office/email/group/{group}?wantedDocumentCount=100000{continuation}"
        );
        let (status, body) = http(&base, "GET", &path, None);
        assert_eq!(status, 200, "{body}");
        for doc in body["documents"].as_array().expect("documents") {
            let id = doc["id"].as_str().expect("id").to_string();
            assert!(
                docs.insert(id.clone(), doc["fields"].clone()).is_none(),
                "{id} twice"
            );
        }
        match body["continuation"].as_str() {
            Some(token) => continuation = format!("&continuation={token}"),
            None => break,
        }
    }
    docs
}

/// A feed of `n` emails of `group`: a put of each and an update that increments a counter,
/// so a lost, duplicated or reordered operation shows in the final documents.
fn feed_file(dir: &tempfile::TempDir, group: &str, n: usize) -> PathBuf {
    let mut text = String::new();
    // Each update right behind its put: without per-document ordering they would be in flight
    // together and the update could reach the server first (a no-op on a missing document).
    for i in 0..n {
        let id = format!("id:office:email:g={group}:m{i}");
        let put = json!({"put": id, "fields": {"user_id": group, "title": format!("mail {i}"), "received_at": 0}});
        let update = json!({"update": id, "fields": {"received_at": {"increment": 1}}});
        text.push_str(&format!("{put}\n{update}\n"));
    }
    let path = dir.path().join(format!("{group}.jsonl"));
    std::fs::write(&path, text).expect("write feed");
    path
}

fn set_faults(rule: Value) {
    let (status, body) = http(
        &support::vespa_endpoint(),
        "POST",
        "/_double/faults",
        Some(&rule),
    );
    assert_eq!(status, 200, "{body}");
}

fn clear_faults(scope: &str) {
    let query = format!(
        "/_double/faults?header={}",
        format!("X-Test-Scope: {scope}").replace(' ', "%20")
    );
    http(&support::vespa_endpoint(), "DELETE", &query, None);
}

fn feed(file: &PathBuf, scope: &str, extra: &[&str]) -> std::process::Output {
    support::officectl_with_services()
        .args(["vespa", "feed", "-o", "json", "--connections", "4"])
        .args(["--header", &format!("X-Test-Scope: {scope}")])
        .args(extra)
        .arg(file)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("run officectl")
}

fn report(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", support::transcript(out)))
}

#[test]
fn feed_of_1000_documents_lands_every_one_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let group = support::unique("feed-plain");
    let file = feed_file(&dir, &group, 1000);
    let out = feed(&file, &group, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let r = report(&out);
    assert_eq!(r["operations"], 2000);
    assert_eq!(r["ok"], 2000);
    assert_eq!(r["failed"], 0);
    let docs = visit_group(&group);
    assert_eq!(docs.len(), 1000);
    for (id, fields) in &docs {
        assert_eq!(fields["received_at"], 1, "{id}: {fields}");
    }
}

#[test]
fn feed_through_injected_429s_and_503s_lands_every_document_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let group = support::unique("feed-faults");
    let file = feed_file(&dir, &group, 1000);
    set_faults(
        json!({"429": 0.2, "503": 0.05, "seed": 7, "header": format!("X-Test-Scope: {group}")}),
    );
    let out = feed(&file, &group, &[]);
    clear_faults(&group);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let r = report(&out);
    assert_eq!(r["ok"], 2000, "{r}");
    assert_eq!(r["failed"], 0);
    assert!(r["retries"].as_u64().unwrap() > 300, "{r}");
    assert!(r["responses"]["429"].as_u64().unwrap() > 200, "{r}");
    assert!(r["responses"]["503"].as_u64().unwrap() > 20, "{r}");
    let docs = visit_group(&group);
    assert_eq!(docs.len(), 1000);
    for (id, fields) in &docs {
        // 1, not 0 (update lost or sent before the put) and not 2 (applied twice).
        assert_eq!(fields["received_at"], 1, "{id}: {fields}");
    }
}

#[test]
fn feed_with_507_exits_1_and_lists_the_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let group = support::unique("feed-507");
    let file = feed_file(&dir, &group, 50);
    let rejects = dir.path().join("rejects.jsonl");
    set_faults(json!({"507": 1.0, "limit": 5, "header": format!("X-Test-Scope: {group}")}));
    let out = feed(&file, &group, &["--rejects", rejects.to_str().unwrap()]);
    clear_faults(&group);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    let r = report(&out);
    assert_eq!(r["failed"], 5, "{r}");
    assert_eq!(r["failed_by_status"]["507"], 5, "{r}");
    assert_eq!(r["responses"]["507"], 5, "{r}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: 5 of 100 operations from"),
        "{transcript}"
    );
    let listed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("status 507"))
        .collect();
    assert_eq!(listed.len(), 5, "{transcript}");
    assert!(
        listed[0].contains(&format!("id:office:email:g={group}:")),
        "{transcript}"
    );
    // The rejects file holds exactly the failed operations, in the feed format.
    let text = std::fs::read_to_string(&rejects).expect("rejects written");
    let failed_ids: Vec<String> = r["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let reject_ids: Vec<String> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v.as_object()
                .unwrap()
                .iter()
                .find(|(k, _)| ["put", "update", "remove"].contains(&k.as_str()))
                .unwrap()
                .1
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(reject_ids, failed_ids);
    // Re-feeding the rejects (no faults now) repairs the documents.
    let out = feed(&rejects, &group, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
}

/// Issue 17: a line that is not UTF-8 (or not an operation) is listed by number and the feed
/// goes on with the next lines; `--strict` stops at the first one.
#[test]
fn bad_lines_are_listed_and_the_rest_is_fed_unless_strict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.jsonl");
    let group = support::unique("feed-bad-lines");
    let put = |n: usize| {
        format!(
            "{{\"put\":\"id:office:email:g={group}:m{n}\",\"fields\":{{\"user_id\":\"{group}\",\"title\":\"t{n}\"}}}}\n"
        )
    };
    let mut input = put(1).into_bytes();
    let latin1 = put(2).replace("\"t2\"", "\"caf\u{1}\"");
    let at = latin1.find('\u{1}').expect("marker") + 1;
    input.extend(latin1.bytes().map(|b| if b == 1 { 0xe9 } else { b }));
    input.extend(put(3).into_bytes());
    input.extend(b"{broken\n");
    input.extend(put(5).into_bytes());
    std::fs::write(&path, &input).expect("write feed");

    let out = feed(&path, &group, &["--strict"]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        transcript.contains(&format!(
            "error: `{}` line 2: not valid UTF-8 at byte {at}",
            path.display()
        )),
        "{transcript}"
    );
    assert_eq!(report(&out)["ok"], 1, "{transcript}");

    let out = feed(&path, &group, &[]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    let r = report(&out);
    assert_eq!(
        (r["operations"].as_u64(), r["ok"].as_u64()),
        (Some(3), Some(3)),
        "{transcript}"
    );
    assert_eq!(r["invalid_lines"], 2);
    assert_eq!(r["invalid_input"][0]["line"], 2);
    assert_eq!(
        r["invalid_input"][0]["message"],
        format!("not valid UTF-8 at byte {at}")
    );
    assert_eq!(r["invalid_input"][1]["line"], 4);
    assert!(
        transcript.contains("2 lines of")
            && transcript.contains("  line 4: key must be a string at column 2"),
        "{transcript}"
    );
    let docs = visit_group(&group);
    let titles: Vec<&str> = docs.values().filter_map(|f| f["title"].as_str()).collect();
    assert_eq!(titles, ["t1", "t3", "t5"], "{transcript}");
}

#[test]
fn bad_input_names_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.jsonl");
    std::fs::write(
        &path,
        "{\"put\":\"id:office:email:g=bad-input:a\",\"fields\":{\"title\":\"x\"}}\n{\"put\":\"id:office:email:g=bad-input:b\",\"timestamp\":1}\n",
    )
    .unwrap();
    let out = feed(&path, "bad-input", &[]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(transcript.contains("line 2"), "{transcript}");
    assert!(
        transcript.contains("unknown field `timestamp`"),
        "{transcript}"
    );
    assert!(transcript.contains("bad.jsonl"), "{transcript}");
}

#[test]
fn bearer_token_and_headers_reach_the_server() {
    // The double accepts any Authorization header; a fault rule scoped to the header proves the
    // extra header is on the wire, and the token setting must not break the request.
    let dir = tempfile::tempdir().expect("tempdir");
    let group = support::unique("feed-token");
    let file = feed_file(&dir, &group, 3);
    set_faults(json!({"500": 1.0, "header": format!("X-Test-Scope: {group}")}));
    let out = support::officectl_with_services()
        .env("OFFICECTL_VESPA_TOKEN", "t0ken")
        .args(["vespa", "feed", "-o", "json"])
        .args(["--header", &format!("X-Test-Scope: {group}")])
        .arg(&file)
        .output()
        .expect("run officectl");
    clear_faults(&group);
    assert_eq!(out.status.code(), Some(1), "{}", support::transcript(&out));
    assert_eq!(report(&out)["failed_by_status"]["500"], 6);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("t0ken"));
}

#[test]
fn an_unreachable_endpoint_gives_up_after_the_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = feed_file(&dir, "unreachable", 100);
    let started = std::time::Instant::now();
    let out = support::officectl()
        .args(["--vespa-endpoint"])
        .arg(format!("http://127.0.0.1:{}", support::closed_port()))
        .args(["vespa", "feed", "--deadline", "1"])
        .arg(&file)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{transcript}"
    );
    assert!(
        transcript.contains("no operation succeeded for 1 s"),
        "{transcript}"
    );
    assert!(transcript.contains("Connection refused"), "{transcript}");
}

#[test]
fn config_show_lists_the_vespa_settings_with_the_token_redacted() {
    let out = support::officectl()
        .env("OFFICECTL_VESPA_ENDPOINT", "http://vespa-env:8080/")
        .env("OFFICECTL_VESPA_TOKEN", "sekret-token")
        .env("OFFICECTL_VESPA_CA_CERT", "/etc/env-ca.pem")
        .args(["--vespa-config-endpoint", "http://cfg-flag:19071"])
        .args(["--vespa-ca-cert", "/etc/flag-ca.pem"])
        .args(["config", "show", "--sources", "-o", "json"])
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{transcript}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let row = |key: &str| {
        report["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {report}"))
    };
    assert_eq!(row("vespa.endpoint")["value"], "http://vespa-env:8080");
    assert_eq!(
        row("vespa.endpoint")["source"],
        "env OFFICECTL_VESPA_ENDPOINT"
    );
    assert_eq!(
        row("vespa.config_endpoint")["value"],
        "http://cfg-flag:19071"
    );
    assert_eq!(row("vespa.config_endpoint")["source"], "flag");
    assert_eq!(row("vespa.ca_cert")["value"], "/etc/flag-ca.pem");
    assert_eq!(row("vespa.ca_cert")["source"], "flag");
    assert_eq!(row("vespa.token")["value"], "***");
    assert!(!transcript.contains("sekret-token"), "{transcript}");
}
