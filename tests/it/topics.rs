//! `officectl topics plan|apply|verify|list` against the local Pub/Sub (pstest behind
//! pubsub-host). Each test works in its own project so parallel tests never see each other's
//! topics (pstest accepts any project id).

use crate::support::{officectl, officectl_with_services, services, transcript, unique};
use officectl::pubsub::google::GoogleAdmin;
use officectl::pubsub::{Admin, SubscriptionConfig, TopicConfig, names};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/layouts")
        .join(name)
}

fn committed_layout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/topology.yaml")
}

/// Runs `officectl --project P topics ARGS… --layout LAYOUT`.
fn topics(project: &str, layout: &Path, args: &[&str]) -> Output {
    officectl_with_services()
        .args(["--project", project, "topics"])
        .args(args)
        .arg("--layout")
        .arg(layout)
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", transcript(output)))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", transcript(output));
}

fn admin() -> (tokio::runtime::Runtime, GoogleAdmin) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let admin = runtime
        .block_on(GoogleAdmin::connect(&services().pubsub_endpoint()))
        .unwrap();
    (runtime, admin)
}

#[test]
fn apply_from_empty_creates_the_whole_layout_and_a_second_apply_changes_nothing() {
    let project = unique("proj");
    let layout = committed_layout();
    let plan = topics(
        &project,
        &layout,
        &["plan", "--detailed-exitcode", "-o", "json"],
    );
    assert_exit(&plan, 2);
    let declared = json(&plan)["summary"]["create"].as_u64().unwrap();
    assert!(declared >= 40, "{declared}");

    let first = topics(&project, &layout, &["apply", "-o", "json"]);
    assert_exit(&first, 0);
    let report = json(&first);
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["summary"]["done"].as_u64(), Some(declared));
    assert_eq!(report["summary"]["failed"], 0);
    // Topics (dead-letter topics included) come before every subscription.
    let kinds: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    let first_sub = kinds.iter().position(|k| *k == "subscription").unwrap();
    assert!(kinds[first_sub..].iter().all(|k| *k == "subscription"));

    let second = topics(&project, &layout, &["apply", "-o", "json"]);
    assert_exit(&second, 0);
    let report = json(&second);
    assert_eq!(report["steps"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["summary"]["unchanged"].as_u64(), Some(declared));

    let verify = topics(&project, &layout, &["verify", "-o", "json"]);
    assert_exit(&verify, 0);
    assert_eq!(json(&verify)["in_sync"], true);
    let plan = topics(&project, &layout, &["plan", "--detailed-exitcode"]);
    assert_exit(&plan, 0);

    // What pstest stores is what the layout declares, field by field.
    let (runtime, admin) = admin();
    let sub = runtime
        .block_on(admin.get_subscription(&names::subscription(&project, "vespa-loader-emails")))
        .unwrap();
    assert_eq!(sub.ack_deadline_seconds, 120);
    assert!(sub.enable_message_ordering);
    assert_eq!(
        sub.dead_letter_policy.unwrap().topic,
        names::topic(&project, "vespa-loader-dead-letter")
    );
    assert_eq!(sub.expiration_policy.unwrap().ttl, None);
    assert_eq!(sub.labels["consumer"], "vespa-loader");
}

#[test]
fn verify_names_drift_and_apply_repairs_it() {
    let project = unique("proj");
    let layout = fixture("valid-small.yaml");
    assert_exit(&topics(&project, &layout, &["apply"]), 0);

    // Behind officectl's back: a shorter ack deadline, and a deleted subscription.
    let (runtime, admin) = admin();
    let loader = names::subscription(&project, "loader-emails");
    let mut live = runtime.block_on(admin.get_subscription(&loader)).unwrap();
    live.ack_deadline_seconds = 15;
    runtime
        .block_on(admin.update_subscription(&live, &["ack_deadline_seconds"]))
        .unwrap();
    runtime
        .block_on(admin.delete_subscription(&names::subscription(&project, "sse-emails")))
        .unwrap();

    let verify = topics(&project, &layout, &["verify", "-o", "json"]);
    assert_exit(&verify, 2);
    let report = json(&verify);
    assert_eq!(report["in_sync"], false);
    let drifts: Vec<(String, String, String, String)> = report["drifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_string();
            (
                text("resource"),
                text("field"),
                text("declared"),
                text("live"),
            )
        })
        .collect();
    assert_eq!(
        drifts,
        vec![
            (
                "loader-emails".into(),
                "ack_deadline".into(),
                "60s".into(),
                "15s".into()
            ),
            (
                "sse-emails".into(),
                "exists".into(),
                "true".into(),
                "false".into()
            ),
        ]
    );
    let err = stderr(&verify);
    assert!(
        err.contains("subscription `loader-emails` ack_deadline: declared 60s, live 15s"),
        "{err}"
    );
    assert!(
        err.contains("subscription `sse-emails` is missing"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");

    // The plan shows the same, field by field, and apply repairs both.
    let plan = topics(&project, &layout, &["plan"]);
    assert_exit(&plan, 0);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(text.contains("ack_deadline: 15s → 60s"), "{text}");
    let apply = topics(&project, &layout, &["apply", "-o", "json"]);
    assert_exit(&apply, 0);
    assert_eq!(json(&apply)["summary"]["done"], 2);
    assert_exit(&topics(&project, &layout, &["verify"]), 0);
}

#[test]
fn prune_removes_an_undeclared_subscription_only_when_asked() {
    let project = unique("proj");
    let layout = fixture("valid-small.yaml");
    assert_exit(&topics(&project, &layout, &["apply"]), 0);
    let (runtime, admin) = admin();
    let stray = SubscriptionConfig::new(
        names::subscription(&project, "stray-emails"),
        names::topic(&project, "emails"),
    );
    runtime.block_on(admin.create_subscription(&stray)).unwrap();
    // A drill running next to the platform: its resources are neither drift nor pruned.
    let drill_topic = names::topic(&project, "drill-1a2b3c4d-emails");
    runtime
        .block_on(admin.create_topic(&TopicConfig::named(drill_topic.clone())))
        .unwrap();
    let drill_sub = SubscriptionConfig::new(
        names::subscription(&project, "drill-1a2b3c4d-vespa-loader-emails"),
        drill_topic.clone(),
    );
    runtime
        .block_on(admin.create_subscription(&drill_sub))
        .unwrap();

    // Undeclared: drift for verify, kept by apply.
    let verify = topics(&project, &layout, &["verify"]);
    assert_exit(&verify, 2);
    assert!(
        stderr(&verify).contains("subscription `stray-emails` is not declared"),
        "{}",
        transcript(&verify)
    );
    assert_exit(
        &topics(&project, &layout, &["verify", "--ignore-undeclared"]),
        0,
    );
    assert_exit(&topics(&project, &layout, &["apply"]), 0);
    assert!(
        runtime
            .block_on(admin.get_subscription(&stray.name))
            .is_ok()
    );

    // Deleting needs confirmation; without a terminal apply refuses and changes nothing.
    let refused = topics(&project, &layout, &["apply", "--prune"]);
    assert_exit(&refused, 1);
    let err = stderr(&refused);
    assert!(err.contains("delete subscription `stray-emails`"), "{err}");
    assert!(err.contains("no terminal"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(
        runtime
            .block_on(admin.get_subscription(&stray.name))
            .is_ok()
    );

    // A dry run shows it and changes nothing.
    let dry = topics(
        &project,
        &layout,
        &["apply", "--prune", "--dry-run", "-o", "json"],
    );
    assert_exit(&dry, 0);
    assert_eq!(json(&dry)["summary"]["delete"], 1);
    assert!(
        runtime
            .block_on(admin.get_subscription(&stray.name))
            .is_ok()
    );

    let pruned = topics(&project, &layout, &["apply", "--prune", "--yes"]);
    assert_exit(&pruned, 0);
    let gone = runtime
        .block_on(admin.get_subscription(&stray.name))
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert_exit(&topics(&project, &layout, &["verify"]), 0);
    assert!(
        runtime
            .block_on(admin.get_subscription(&drill_sub.name))
            .is_ok()
    );
    assert!(runtime.block_on(admin.get_topic(&drill_topic)).is_ok());
}

#[test]
fn a_filter_change_needs_allow_replace() {
    let project = unique("proj");
    let layout = fixture("valid-small.yaml");
    assert_exit(&topics(&project, &layout, &["apply"]), 0);
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("topology.yaml");
    let text = std::fs::read_to_string(&layout)
        .unwrap()
        .replace("\"real_time\"", "\"incremental_sync\"");
    std::fs::write(&changed, text).unwrap();

    let plan = topics(&project, &changed, &["plan", "-o", "json"]);
    assert_exit(&plan, 0);
    let report = json(&plan);
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "sse-emails")
        .unwrap();
    assert_eq!(step["action"], "replace");
    assert_eq!(step["changes"][0]["field"], "filter");
    assert_eq!(step["changes"][0]["replace_required"], true);
    assert!(stderr(&plan).contains("--allow-replace"));

    let refused = topics(&project, &changed, &["apply", "--yes"]);
    assert_exit(&refused, 1);
    assert!(
        stderr(&refused).contains("`sse-emails`"),
        "{}",
        transcript(&refused)
    );
    assert!(stderr(&refused).contains("--allow-replace"));
    assert_exit(&topics(&project, &layout, &["verify"]), 0);

    let replaced = topics(&project, &changed, &["apply", "--allow-replace", "--yes"]);
    assert_exit(&replaced, 0);
    assert_exit(&topics(&project, &changed, &["verify"]), 0);
}

#[test]
fn an_environment_overlay_changes_labels_and_ack_deadlines() {
    let project = unique("proj");
    let layout = fixture("valid-small.yaml");
    let apply = topics(&project, &layout, &["apply", "--env", "staging"]);
    assert_exit(&apply, 0);
    assert_exit(
        &topics(&project, &layout, &["verify", "--env", "staging"]),
        0,
    );
    // Verified against the base layout, the staging settings are drift.
    let verify = topics(&project, &layout, &["verify", "-o", "json"]);
    assert_exit(&verify, 2);
    let fields: Vec<String> = json(&verify)["drifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}.{}",
                d["resource"].as_str().unwrap(),
                d["field"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        fields.contains(&"loader-emails.ack_deadline".to_string()),
        "{fields:?}"
    );
    assert!(fields.contains(&"emails.labels".to_string()), "{fields:?}");

    // A missing overlay is a bad file: a usage error.
    let missing = topics(&project, &layout, &["plan", "--env", "nowhere"]);
    assert_exit(&missing, 2);
    assert!(
        stderr(&missing).contains("valid-small.nowhere.yaml"),
        "{}",
        transcript(&missing)
    );
}

#[test]
fn list_shows_labels_ack_deadline_dead_letter_and_filter() {
    let project = unique("proj");
    let layout = fixture("valid-small.yaml");
    assert_exit(&topics(&project, &layout, &["apply"]), 0);
    let list = officectl_with_services()
        .args(["--project", &project, "topics", "list"])
        .output()
        .unwrap();
    assert_exit(&list, 0);
    let text = String::from_utf8_lossy(&list.stdout);
    let row = text
        .lines()
        .find(|l| l.starts_with("loader-emails "))
        .unwrap_or_else(|| panic!("{text}"));
    for cell in [
        "emails",
        "60s",
        "loader-dead-letter (5 attempts)",
        "system=office",
    ] {
        assert!(row.contains(cell), "{row}");
    }
    let sse = text.lines().find(|l| l.starts_with("sse-emails ")).unwrap();
    assert!(
        sse.contains("attributes.sync_type = \"real_time\""),
        "{sse}"
    );

    let json_list = officectl_with_services()
        .args(["--project", &project, "topics", "list", "-o", "json"])
        .output()
        .unwrap();
    let report = json(&json_list);
    assert_eq!(report["topics"].as_array().unwrap().len(), 2);
    assert_eq!(report["subscriptions"].as_array().unwrap().len(), 3);
}

/// Every invalid layout fixture fails with its `# expect:` texts, before any Pub/Sub call.
#[test]
fn every_invalid_layout_gives_its_error() {
    let dir = fixture("invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let output = officectl()
            .args(["--project", "p", "topics", "verify", "--layout"])
            .arg(&path)
            .output()
            .unwrap();
        // An invalid layout file is a usage error (README: exit codes).
        assert_exit(&output, 2);
        let err = stderr(&output);
        assert!(err.starts_with("error: invalid layout"), "{err}");
        for want in text.lines().filter_map(|l| l.strip_prefix("# expect: ")) {
            assert!(
                err.contains(want),
                "{}: {err}\nlacks: {want}",
                path.display()
            );
        }
        assert!(err.contains("hint: fix the layout"), "{err}");
        seen += 1;
    }
    assert!(seen >= 19, "{seen}");
}

/// A pubsub-host of its own that fails every CreateSubscription.
struct FailingHost {
    child: std::process::Child,
    host: String,
}

impl FailingHost {
    fn start(inject: &str) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let port_file = dir.path().join("port");
        let child = std::process::Command::new(root.join("target/bin/pubsub-host"))
            .arg("--port-file")
            .arg(&port_file)
            .args(["--inject-error", inject])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("target/bin/pubsub-host is built by `scripts/services up`");
        let started = std::time::Instant::now();
        let port = loop {
            if let Ok(port) = std::fs::read_to_string(&port_file)
                && !port.trim().is_empty()
            {
                break port.trim().to_string();
            }
            assert!(
                started.elapsed().as_secs() < 20,
                "pubsub-host did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        Self {
            child,
            host: format!("127.0.0.1:{port}"),
        }
    }
}

impl Drop for FailingHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_partial_apply_reports_every_failure_and_exits_4() {
    let host = FailingHost::start("CreateSubscription=PERMISSION_DENIED:no access for this test");
    let output = officectl()
        .env("PUBSUB_EMULATOR_HOST", &host.host)
        .args([
            "--project",
            "partial",
            "topics",
            "apply",
            "-o",
            "json",
            "--layout",
        ])
        .arg(fixture("valid-small.yaml"))
        .output()
        .unwrap();
    assert_exit(&output, 4);
    let report = json(&output);
    assert_eq!(report["summary"]["done"], 2, "{report}");
    assert_eq!(report["summary"]["failed"], 3, "{report}");
    let err = stderr(&output);
    assert!(err.contains("3 of 5 steps did not complete"), "{err}");
    for name in ["loader-emails", "sse-emails", "dlq-loader-dead-letter"] {
        assert!(err.contains(&format!("`{name}`")), "{err}");
    }
    assert!(err.contains("PERMISSION_DENIED"), "{err}");
    assert!(
        err.contains("hint: what succeeded is kept; run `officectl topics apply --layout"),
        "{err}"
    );
    // The topics stay: a second run only has the subscriptions left to do.
    let plan = officectl()
        .env("PUBSUB_EMULATOR_HOST", &host.host)
        .args([
            "--project",
            "partial",
            "topics",
            "plan",
            "-o",
            "json",
            "--layout",
        ])
        .arg(fixture("valid-small.yaml"))
        .output()
        .unwrap();
    let summary = &json(&plan)["summary"];
    assert_eq!(summary["create"], 3, "{summary}");
    assert_eq!(summary["unchanged"], 2, "{summary}");
}
