//! Conformance of the Vespa double (`vespa-double/`) with the official `vespa` CLI (PyPI
//! `vespacli`): what `vespa feed`, `vespa visit`, `vespa document` and `vespa query` send and
//! parse must work against it as against Vespa.
//!
//! Each test works in its own document group (`g=<unique>`), so tests run in parallel against
//! the one double `scripts/services up` started; fault rules are scoped to a request header
//! that only the test's own `vespa feed --header` sends.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support::{self, http};

/// The Go `vespa` binary: `$OFFICECTL_VESPA_CLI`, the one `scripts/test` installs under
/// `target/tools/vespacli`, or `vespa` on `PATH`. The PyPI wrapper script is skipped when the
/// Go binary can be found: it always exits 0 and costs ~45 ms a call.
fn vespa_cli() -> PathBuf {
    if let Ok(p) = std::env::var("OFFICECTL_VESPA_CLI")
        && !p.is_empty()
    {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tools/vespacli/lib");
    let arch = if cfg!(target_arch = "aarch64") {
        "arm64"
    } else {
        "amd64"
    };
    if let Ok(pythons) = std::fs::read_dir(&root) {
        for py in pythons.flatten() {
            let bins = py.path().join("site-packages/vespacli/go-binaries");
            if let Ok(dirs) = std::fs::read_dir(&bins) {
                for d in dirs.flatten() {
                    let name = d.file_name().to_string_lossy().into_owned();
                    let bin = d.path().join("bin/vespa");
                    if name.ends_with(&format!("linux_{arch}")) && bin.is_file() {
                        return bin;
                    }
                }
            }
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let bin = dir.join("vespa");
            if bin.is_file() {
                return bin;
            }
        }
    }
    panic!(
        "the `vespa` CLI is not installed: run `scripts/test`, or \
         `python3 -m venv target/tools/vespacli && target/tools/vespacli/bin/pip install vespacli`"
    );
}

/// `vespa ARGS` against the double, with a private CLI home and no cloud credentials.
fn vespa(args: &[&str], home: &tempfile::TempDir) -> Output {
    let mut cmd = Command::new(vespa_cli());
    cmd.args(args)
        .env("VESPA_CLI_HOME", home.path())
        .env("VESPA_CLI_CACHE_DIR", home.path().join("cache"));
    for var in [
        "VESPA_CLI_DATA_PLANE_TOKEN",
        "VESPA_CLI_API_KEY",
        "VESPA_CLI_API_KEY_FILE",
        "VESPA_CLI_ENDPOINTS",
        "VESPA_CLI_DATA_PLANE_CERT",
        "VESPA_CLI_DATA_PLANE_KEY",
        "VESPA_CLI_DATA_PLANE_CERT_FILE",
        "VESPA_CLI_DATA_PLANE_KEY_FILE",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().expect("run vespa");
    assert!(
        out.status.success(),
        "vespa {args:?} failed:\n{}",
        support::transcript(&out)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// JSONL of `n` e-mail documents of `group`, ~1 KB each.
fn feed_file(dir: &tempfile::TempDir, group: &str, n: usize) -> PathBuf {
    let path = dir.path().join("docs.jsonl");
    let mut text = String::new();
    for i in 0..n {
        let doc = json!({
            "put": format!("id:office:email:g={group}:doc-{i}"),
            "fields": {
                "title": format!("Quarterly plan number {i}"),
                "text": "lorem ipsum dolor sit amet ".repeat(32),
                "user_id": group,
                "updated_at": i,
            }
        });
        text.push_str(&doc.to_string());
        text.push('\n');
    }
    std::fs::write(&path, text).expect("write feed file");
    path
}

fn summary(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "feed summary is not JSON ({e}):\n{}",
            support::transcript(out)
        )
    })
}

fn delete_group(base: &str, group: &str) {
    let (status, body) = http(
        base,
        "DELETE",
        &format!("/document/v1/office/email/group/{group}?cluster=office&selection=true"),
        None,
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn feed_of_1000_documents_then_visit_returns_all_of_them() {
    let base = support::vespa_endpoint();
    let home = tempfile::tempdir().expect("tempdir");
    let group = support::unique("visit");
    let file = feed_file(&home, &group, 1000);

    let out = vespa(
        &["feed", "-t", &base, file.to_str().expect("utf-8 path")],
        &home,
    );
    let s = summary(&out);
    assert_eq!(s["feeder.operation.count"], 1000, "{s}");
    assert_eq!(s["feeder.ok.count"], 1000, "{s}");
    assert_eq!(s["http.response.code.counts"], json!({"200": 1000}), "{s}");

    // `vespa visit` probes `GET /`, learns the cluster from the 400 of `cluster=*`, visits
    // both bucket spaces and follows continuations (1000 per page by default; 300 here).
    let selection = format!("id.group==\"{group}\"");
    let out = vespa(
        &[
            "visit",
            "-t",
            &base,
            "--selection",
            &selection,
            "--chunk-count",
            "300",
        ],
        &home,
    );
    let mut ids: Vec<String> = stdout(&out)
        .lines()
        .map(|line| {
            let doc: Value = serde_json::from_str(line).expect("visit prints JSON lines");
            assert_eq!(doc["fields"]["user_id"], group.as_str(), "{line}");
            doc["id"].as_str().expect("id").to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1000);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "every document exactly once");

    // Slices partition the documents: a group lives in one slice, as in a Vespa bucket.
    let mut total = 0;
    for slice in ["0", "1", "2"] {
        let out = vespa(
            &[
                "visit",
                "-t",
                &base,
                "--selection",
                &selection,
                "--slices",
                "3",
                "--slice-id",
                slice,
            ],
            &home,
        );
        total += stdout(&out).lines().count();
    }
    assert_eq!(total, 1000);
    delete_group(&base, &group);
}

#[test]
fn document_get_and_query_work_with_the_cli() {
    let base = support::vespa_endpoint();
    let home = tempfile::tempdir().expect("tempdir");
    let group = support::unique("query");
    let file = feed_file(&home, &group, 20);
    vespa(
        &["feed", "-t", &base, file.to_str().expect("utf-8 path")],
        &home,
    );

    let id = format!("id:office:email:g={group}:doc-7");
    let out = vespa(&["document", "get", "-t", &base, &id], &home);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("document get prints JSON");
    assert_eq!(doc["id"], id.as_str());
    assert_eq!(doc["fields"]["title"], "Quarterly plan number 7");

    let out = vespa(
        &[
            "document",
            "update",
            "-t",
            &base,
            &id,
            "--data",
            r#"{"fields":{"title":{"assign":"Quarterly plan renamed"},"updated_at":{"increment":100}}}"#,
        ],
        &home,
    );
    assert!(stdout(&out).contains(&id), "{}", support::transcript(&out));
    let out = vespa(&["document", "get", "-t", &base, &id], &home);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["fields"]["updated_at"], 107);

    let yql = format!(
        "select * from sources * where title contains \"renamed\" and user_id = \"{group}\""
    );
    let group_param = format!("streaming.groupname={group}");
    let out = vespa(&["query", "-t", &base, &yql, &group_param], &home);
    let result: Value = serde_json::from_str(&stdout(&out)).expect("query prints JSON");
    assert_eq!(result["root"]["fields"]["totalCount"], 1, "{result}");
    assert_eq!(result["root"]["children"][0]["id"], id.as_str());
    assert_eq!(
        result["root"]["children"][0]["fields"]["sddocname"],
        "email"
    );

    let yql =
        format!("select * from email where title contains \"plan\" and user_id = \"{group}\"");
    let out = vespa(&["query", "-t", &base, &yql, "hits=5", &group_param], &home);
    let result: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(result["root"]["fields"]["totalCount"], 20);
    assert_eq!(result["root"]["children"].as_array().map(Vec::len), Some(5));
    delete_group(&base, &group);
}

#[test]
fn feed_retries_through_injected_429s_and_503s() {
    let base = support::vespa_endpoint();
    let home = tempfile::tempdir().expect("tempdir");
    let group = support::unique("faults");
    let scope = support::unique("scope");
    let (status, body) = http(
        &base,
        "POST",
        "/_double/faults",
        Some(
            &json!({"header": format!("X-Test-Scope: {scope}"), "429": 0.3, "503": 0.05, "latency_ms": 1}),
        ),
    );
    assert_eq!(status, 200, "{body}");
    let file = feed_file(&home, &group, 300);
    let header = format!("X-Test-Scope: {scope}");
    let out = vespa(
        &[
            "feed",
            "-t",
            &base,
            "--header",
            &header,
            file.to_str().expect("utf-8 path"),
        ],
        &home,
    );
    http(
        &base,
        "DELETE",
        &format!("/_double/faults?header={}", scope_query(&scope)),
        None,
    );
    let s = summary(&out);
    // 429s are retried forever and 503s up to 10 times: every document lands.
    assert_eq!(s["feeder.ok.count"], 300, "{s}");
    let codes = &s["http.response.code.counts"];
    assert!(codes["429"].as_u64().unwrap_or(0) > 0, "{s}");
    assert!(codes["503"].as_u64().unwrap_or(0) > 0, "{s}");
    assert_eq!(
        s["http.request.count"].as_u64(),
        Some(300 + codes["429"].as_u64().unwrap_or(0) + codes["503"].as_u64().unwrap_or(0))
    );
    delete_group(&base, &group);
}

#[test]
fn feed_does_not_retry_507_and_the_documents_are_not_stored() {
    let base = support::vespa_endpoint();
    let home = tempfile::tempdir().expect("tempdir");
    let group = support::unique("full");
    let scope = support::unique("scope");
    http(
        &base,
        "POST",
        "/_double/faults",
        Some(&json!({"header": format!("X-Test-Scope: {scope}"), "507": 1.0})),
    );
    let file = feed_file(&home, &group, 5);
    let header = format!("X-Test-Scope: {scope}");
    let out = vespa(
        &[
            "feed",
            "-t",
            &base,
            "--header",
            &header,
            file.to_str().expect("utf-8 path"),
        ],
        &home,
    );
    http(
        &base,
        "DELETE",
        &format!("/_double/faults?header={}", scope_query(&scope)),
        None,
    );
    let s = summary(&out);
    assert_eq!(s["feeder.ok.count"], 0, "{s}");
    assert_eq!(s["http.response.code.counts"], json!({"507": 5}), "{s}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NO_SPACE"),
        "{}",
        support::transcript(&out)
    );
    let (status, _) = http(
        &base,
        "GET",
        &format!("/document/v1/office/email/group/{group}/doc-0"),
        None,
    );
    assert_eq!(status, 404);
}

/// `X-Test-Scope: <scope>` as a query value.
fn scope_query(scope: &str) -> String {
    format!("X-Test-Scope%3A%20{scope}")
}

#[test]
fn reindexing_moves_from_pending_to_successful_on_the_config_port() {
    let base = support::vespa_config_endpoint();
    let app = "/application/v2/tenant/default/application/default/environment/prod/region/default/instance/default";
    // Finish whatever an earlier run left behind, so the cluster's one-at-a-time queue is free.
    let (status, body) = http(&base, "PUT", &format!("{app}/reindex?speed=10"), None);
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(
        &base,
        "POST",
        &format!("{app}/reindex?clusterId=office&documentType=meeting_poll&speed=10&cause=it"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["message"],
        "Reindexing document types [meeting_poll] in 'office' of application default.default.default"
    );
    let mut states = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, body) = http(&base, "GET", &format!("{app}/reindexing"), None);
        assert_eq!(status, 200, "{body}");
        let entry = &body["clusters"]["office"]["ready"]["meeting_poll"];
        let state = entry["state"].as_str().unwrap_or("").to_string();
        if states.last() != Some(&state) {
            states.push(state.clone());
        }
        if state == "successful" {
            assert_eq!(entry["progress"], 1.0);
            assert_eq!(entry["cause"], "it");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "stuck: {states:?} {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        states.first().map(String::as_str),
        Some("pending"),
        "{states:?}"
    );
}
