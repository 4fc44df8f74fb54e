//! `officectl tail` against pstest: it shows only the filtered user's events, redacts bodies,
//! does not count as drift while it runs, and deletes its subscription when done, on `--count`
//! and on Ctrl-C alike.

use crate::support::{self, officectl_with_services, redis_db, transcript, unique};
use officectl::pubsub::google::GoogleAdmin;
use officectl::pubsub::{Admin, names};
use serde_json::Value;
use std::io::BufRead;
use std::time::{Duration, Instant};

/// This test's Redis database: e-mail is published to the new `emails` topic.
const TAIL_DB: u8 = 51;

fn officectl_in(project: &str) -> assert_cmd::Command {
    let mut cmd = officectl_with_services();
    cmd.env("OFFICECTL_REDIS_URL", redis_db(TAIL_DB))
        .env("OFFICECTL_PROJECT", project);
    cmd
}

/// A spawned `officectl tail`, once it says it is tailing.
fn start_tail(
    project: &str,
    args: &[&str],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = support::spawnable_officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(TAIL_DB))
        .env("OFFICECTL_PROJECT", project)
        .arg("tail")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
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
    let started = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.starts_with("tailing ") => break,
            Ok(_) => {}
            Err(e) => panic!("tail did not start: {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(30));
    }
    (child, rx)
}

fn tail_subscriptions(project: &str) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let admin = GoogleAdmin::connect(&support::services().pubsub_endpoint())
            .await
            .unwrap();
        admin
            .list_subscriptions(project)
            .await
            .unwrap()
            .into_iter()
            .map(|s| names::short(&s.name).to_string())
            .filter(|s| s.starts_with("tail-"))
            .collect()
    })
}

fn event_line(user: &str, i: usize) -> String {
    let mut event: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    event["user_id"] = user.into();
    event["event_id"] = format!("tail-{i}").into();
    event["batch_id"] = format!("tail-batch-{i}").into();
    event.to_string()
}

#[test]
fn tail_shows_one_users_events_and_cleans_up() {
    let project = unique("tail");
    let (user, other) = (unique("tail-user"), unique("tail-other"));
    let out = officectl_in(&project)
        .args(["topics", "apply", "--yes"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let mut conn = redis::Client::open(redis_db(TAIL_DB))
        .unwrap()
        .get_connection()
        .unwrap();
    let () = redis::cmd("SET")
        .arg("office:flags:publish_mode:email")
        .arg("new")
        .query(&mut conn)
        .unwrap();

    let (child, _stderr) = start_tail(
        &project,
        &["emails", "--user", &user, "--count", "2", "-o", "json"],
    );
    assert_eq!(tail_subscriptions(&project).len(), 1);
    // A running tail is not drift.
    let out = officectl_in(&project)
        .args(["topics", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.ndjson");
    let lines = [
        event_line(&user, 1),
        event_line(&other, 2),
        event_line(&user, 3),
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = officectl_in(&project)
        .args(["events", "publish"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));

    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut shown: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown.len(), 2);
    // The temporary subscription has no message ordering: arrival order is Pub/Sub's.
    shown.sort_by_key(|tailed| tailed["ids"][0].as_str().unwrap_or_default().to_string());
    for (tailed, id) in shown.iter().zip(["tail-1", "tail-3"]) {
        assert_eq!(tailed["user"], user.as_str());
        assert_eq!(tailed["event_type"], "EmailEvent");
        assert_eq!(tailed["ids"][0], id);
        assert_eq!(tailed["topic"], "emails");
        let text = tailed["data"].to_string();
        assert!(
            text.contains("redacted") && !text.contains("before Friday"),
            "{text}"
        );
    }
    assert!(
        tail_subscriptions(&project).is_empty(),
        "deleted at --count"
    );

    // Ctrl-C: it stops and deletes its subscription too.
    let (child, _stderr) = start_tail(&project, &["emails", "contacts"]);
    assert_eq!(tail_subscriptions(&project).len(), 2);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tail_subscriptions(&project).is_empty(), "deleted on Ctrl-C");

    let out = officectl_in(&project)
        .args(["tail", "emails", "--type", "parcel"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
}
