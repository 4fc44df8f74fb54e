//! `officectl consume fe-sse`: real-time events published on the topics reach a user's browser
//! connections as Server-Sent Events, against pstest and Redis. Checked with an HTTP client
//! (auth, CORS, framing, Last-Event-ID replay, the `missed` and `expired` events), with the npm
//! `eventsource` client resuming across a dropped connection on another replica
//! (`tests/js/resume.mjs`), and with a page in headless Chromium (`tests/js/recorder.html`).

use crate::support::{self, officectl_with_services, redis_db, transcript, unique};
use serde_json::{Value, json};
use std::io::{BufRead, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The Redis database of the HTTP-client tests.
const DB: u8 = 53;
/// The database of the Node client's test.
const NODE_DB: u8 = 54;
/// The database of the Chromium test.
const BROWSER_DB: u8 = 55;

const SECRET: &str = "fe-sse-integration-test-secret-0123456789";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An HS256 token for `sub`, expiring at `exp`, signed with `secret`.
fn token_with(secret: &str, sub: &str, exp: u64) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": sub, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn token(sub: &str) -> String {
    token_with(SECRET, sub, now() + 600)
}

/// Creates the whole layout in `project`.
fn lay_out(project: &str, db: u8) {
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(db))
        .args(["topics", "apply", "--yes", "--project", project])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
}

/// A real-time todo update of `user` (the fe-sse subscriptions take real-time events only).
fn todo_line(user: &str, event_id: &str, task: &str) -> String {
    json!({
        "event_type": "TodoEvent", "event_id": event_id, "schema_version": 1,
        "user_id": user, "provider": "google", "sync_type": "real_time", "operation": "update",
        "correlation_id": format!("corr-{event_id}"), "occurred_at": "2026-11-02T10:00:00Z",
        "todo": {"provider_task_id": task, "list_id": "l", "title": "Secret title", "status": "not_started",
            "notes": "secret notes", "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z"},
    })
    .to_string()
}

/// Publishes `lines` with `events publish`.
fn publish(db: u8, project: &str, lines: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.ndjson");
    std::fs::write(
        &path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(db))
        .args(["events", "publish", "--project", project])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
}

/// A running `consume fe-sse`, killed if a test fails.
struct FeSse {
    child: Option<Child>,
    stderr: Receiver<String>,
    lines: Vec<String>,
    addr: String,
}

impl FeSse {
    fn start(db: u8, project: &str, extra: &[&str]) -> FeSse {
        let mut cmd = support::spawnable_officectl_with_services();
        cmd.env("OFFICECTL_REDIS_URL", redis_db(db))
            .env("OFFICECTL_FE_SSE_JWT_SECRET", SECRET)
            .args(["consume", "fe-sse", "--project", project])
            .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
            .args(["--shutdown-timeout", "10s", "-o", "json"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
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
        let mut fe = FeSse {
            child: Some(child),
            stderr: rx,
            lines: Vec::new(),
            addr: String::new(),
        };
        let started = Instant::now();
        while fe.addr.is_empty() {
            fe.lines.extend(fe.stderr.try_iter());
            if let Some(addr) = fe.lines.iter().find_map(|line| {
                let log: Value = serde_json::from_str(line).ok()?;
                Some(log["listen"].as_str()?.to_string())
            }) {
                fe.addr = addr;
            }
            if let Some(status) = fe.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("fe-sse exited ({status}): {:?}", fe.lines);
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no listen address logged: {:?}",
                fe.lines
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // Ready: subscriptions open and the signal channel subscribed.
        while support::http_text(&fe.addr, "GET", "/readyz", None).0 != 200 {
            assert!(started.elapsed() < Duration::from_secs(30), "never ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        fe
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn metrics(&self) -> String {
        support::http_text(&self.addr, "GET", "/metrics", None).1
    }

    /// SIGTERM; the exit code, the report and stderr.
    fn stop(mut self) -> (Option<i32>, Value, String) {
        let child = self.child.take().unwrap();
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let out = child.wait_with_output().unwrap();
        self.lines.extend(self.stderr.try_iter());
        let stderr = self.lines.join("\n");
        let report = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {stderr}\n{}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code(), report, stderr)
    }
}

impl Drop for FeSse {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The sum of the samples of `name` whose labels contain every one of `parts`.
fn metric_sum(text: &str, name: &str, parts: &[&str]) -> f64 {
    text.lines()
        .filter(|line| line.starts_with(name) && parts.iter().all(|p| line.contains(p)))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Waits until `fe`'s metric sum reaches `at_least`.
fn wait_metric(fes: &[&FeSse], name: &str, parts: &[&str], at_least: f64) {
    let started = Instant::now();
    loop {
        let sum: f64 = fes
            .iter()
            .map(|fe| metric_sum(&fe.metrics(), name, parts))
            .sum();
        if sum >= at_least {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}{parts:?} stayed at {sum}, below {at_least}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// One SSE response read frame by frame (a frame ends with a blank line).
struct Frames {
    response: reqwest::Response,
    buffer: String,
}

impl Frames {
    /// The next frame, `None` when the stream ended; panics after `within`.
    async fn next(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame = self.buffer[..end].to_string();
                self.buffer.drain(..end + 2);
                return Some(frame);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no frame within {within:?}; have {:?}", self.buffer))
                .unwrap();
            match chunk {
                Some(bytes) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                None => return None,
            }
        }
    }

    /// The next frame that is not a heartbeat comment.
    async fn next_event(&mut self, within: Duration) -> Option<String> {
        loop {
            let frame = self.next(within).await?;
            if !frame.starts_with(':') {
                return Some(frame);
            }
        }
    }
}

/// A frame's `field: value` lines as pairs.
fn fields(frame: &str) -> Vec<(String, String)> {
    frame
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.to_string(), value.trim_start().to_string()))
        })
        .collect()
}

fn field(frame: &str, name: &str) -> Option<String> {
    fields(frame)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

async fn open(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Frames) {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        Frames {
            response,
            buffer: String::new(),
        },
    )
}

/// Auth (none, bad, expired, another user's, `alg: none`), CORS (preflight and response
/// headers for an allowed origin, none for another), and the refusal to start without a secret
/// or `--listen`.
#[test]
fn fe_sse_refuses_bad_tokens_and_serves_cors_only_to_configured_origins() {
    let project = unique("fe-sse-auth");
    lay_out(&project, DB);
    let user = unique("fe-user");

    let out = officectl_with_services()
        .env("OFFICECTL_REDIS_URL", redis_db(DB))
        .args([
            "consume",
            "fe-sse",
            "--project",
            &project,
            "--listen",
            "127.0.0.1:0",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("OFFICECTL_FE_SSE_JWT_SECRET"),
        "{}",
        transcript(&out)
    );
    let out = officectl_with_services()
        .env("OFFICECTL_FE_SSE_JWT_SECRET", "short")
        .args([
            "consume",
            "fe-sse",
            "--project",
            &project,
            "--listen",
            "127.0.0.1:0",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least 32"),
        "{}",
        transcript(&out)
    );
    let out = officectl_with_services()
        .env("OFFICECTL_FE_SSE_JWT_SECRET", SECRET)
        .args(["consume", "fe-sse", "--project", &project])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--listen"));

    let fe = FeSse::start(
        DB,
        &project,
        &["--allow-origin", "https://app.example.test"],
    );
    let events = fe.url(&format!("/v1/users/{user}/events"));
    let rt = runtime();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let status = |url: String, headers: Vec<(&'static str, String)>| {
            let client = client.clone();
            async move {
                let mut request = client.get(url);
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.text().await.unwrap())
            }
        };
        let (code, body) = status(events.clone(), vec![]).await;
        assert_eq!(code, 401, "{body}");
        let (code, body) = status(
            events.clone(),
            vec![("authorization", "Bearer not-a-token".into())],
        )
        .await;
        assert_eq!(code, 401, "{body}");
        let expired = token_with(SECRET, &user, now() - 5);
        let (code, body) = status(format!("{events}?access_token={expired}"), vec![]).await;
        assert_eq!(code, 401, "{body}");
        assert!(body.contains("expired"), "{body}");
        let other_key = token_with(
            "another-secret-another-secret-0123456789",
            &user,
            now() + 60,
        );
        let (code, _) = status(format!("{events}?access_token={other_key}"), vec![]).await;
        assert_eq!(code, 401);
        let unsigned = {
            let good = token(&user);
            let payload = good.split('.').nth(1).unwrap().to_string();
            // {"alg":"none","typ":"JWT"}
            format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.")
        };
        let (code, _) = status(format!("{events}?access_token={unsigned}"), vec![]).await;
        assert_eq!(code, 401);
        let (code, body) = status(
            events.clone(),
            vec![("authorization", format!("Bearer {}", token("someone-else")))],
        )
        .await;
        assert_eq!(code, 403, "{body}");
        let (code, body) = status(
            format!(
                "{events}?access_token={}&last_event_id=yesterday",
                token(&user)
            ),
            vec![],
        )
        .await;
        assert_eq!(code, 400, "{body}");
        assert!(body.contains("Last-Event-ID"), "{body}");

        // CORS: the preflight of a page that sends the header, and the stream's own response.
        let preflight = client
            .request(reqwest::Method::OPTIONS, &events)
            .header("origin", "https://app.example.test")
            .header("access-control-request-method", "GET")
            .header(
                "access-control-request-headers",
                "authorization, last-event-id",
            )
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success(), "{}", preflight.status());
        let h = preflight.headers();
        assert_eq!(
            h["access-control-allow-origin"], "https://app.example.test",
            "{h:?}"
        );
        let allowed = h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(
            allowed.contains("authorization") && allowed.contains("last-event-id"),
            "{allowed}"
        );
        let (code, headers, _) = open(
            &client,
            &events,
            &[
                ("origin", "https://app.example.test"),
                ("authorization", &format!("Bearer {}", token(&user))),
            ],
        )
        .await;
        assert_eq!(code, 200);
        assert_eq!(
            headers["access-control-allow-origin"],
            "https://app.example.test"
        );
        let (code, headers, _) = open(
            &client,
            &events,
            &[
                ("origin", "https://evil.example.test"),
                ("authorization", &format!("Bearer {}", token(&user))),
            ],
        )
        .await;
        assert_eq!(code, 200);
        assert!(
            headers.get("access-control-allow-origin").is_none(),
            "{headers:?}"
        );
    });
    let metrics = fe.metrics();
    for (reason, count) in [
        ("missing", 1.0),
        ("invalid", 3.0),
        ("expired", 1.0),
        ("forbidden", 1.0),
    ] {
        assert_eq!(
            metric_sum(
                &metrics,
                "officectl_sse_auth_failures_total",
                &[&format!("reason=\"{reason}\"")]
            ),
            count,
            "{reason}: {metrics}"
        );
    }
    assert!(!metrics.contains(&user), "no user id in metrics: {metrics}");
    let (code, _, stderr) = fe.stop();
    assert_eq!(code, Some(0), "{stderr}");
}

/// Published events reach an open stream (`retry:` first, `id:` per notification, heartbeats);
/// a redelivered event is appended once; `Last-Event-ID` (header or query) replays exactly what
/// came after it; a trimmed stream gives a `missed` event first; a token's expiry ends the
/// stream with an `expired` event.
#[test]
fn fe_sse_streams_replays_after_last_event_id_and_ends_at_expiry() {
    let project = unique("fe-sse-stream");
    lay_out(&project, DB);
    let user = unique("fe-user");
    let fe = FeSse::start(
        DB,
        &project,
        &["--heartbeat", "1s", "--client-retry", "1500ms"],
    );
    let events = fe.url(&format!("/v1/users/{user}/events"));
    let bearer = format!("Bearer {}", token(&user));
    let rt = runtime();
    let ids: Vec<String> = rt.block_on(async {
        let client = reqwest::Client::new();
        let (code, headers, mut live) =
            open(&client, &events, &[("authorization", bearer.as_str())]).await;
        assert_eq!(code, 200);
        assert_eq!(headers["content-type"], "text/event-stream");
        assert_eq!(headers["cache-control"], "no-cache");
        let first = live.next(Duration::from_secs(5)).await.unwrap();
        assert_eq!(first, "retry: 1500");

        let lines: Vec<String> = (0..3)
            .map(|i| todo_line(&user, &format!("{user}-evt-{i}"), &format!("task-{i}")))
            .collect();
        publish(DB, &project, &lines);
        // The same event again: appended once.
        publish(DB, &project, &lines[..1]);
        let mut ids = Vec::new();
        let mut tasks = Vec::new();
        for _ in 0..3 {
            let frame = live.next_event(Duration::from_secs(30)).await.unwrap();
            let id = field(&frame, "id").unwrap_or_else(|| panic!("no id: {frame}"));
            let data: Value = serde_json::from_str(&field(&frame, "data").unwrap()).unwrap();
            assert_eq!(data["doc_type"], "todo", "{data}");
            assert_eq!(data["operation"], "update", "{data}");
            assert_eq!(data["updated_at"], "2026-11-02T10:00:00.000Z", "{data}");
            assert!(
                !frame.contains("Secret"),
                "no content in a notification: {frame}"
            );
            tasks.push(data["doc_id"].as_str().unwrap().to_string());
            ids.push(id);
        }
        tasks.sort();
        assert_eq!(tasks, ["task-0", "task-1", "task-2"]);
        let mut sorted = ids.clone();
        sorted.sort_by_key(|id| {
            let (ms, seq) = id.split_once('-').unwrap();
            (ms.parse::<u64>().unwrap(), seq.parse::<u64>().unwrap())
        });
        assert_eq!(ids, sorted, "in stream order");
        // A heartbeat comment within the 1 s of silence.
        let heartbeat = live.next(Duration::from_secs(5)).await.unwrap();
        assert_eq!(heartbeat, ": heartbeat");
        ids
    });
    wait_metric(
        &[&fe],
        "officectl_consumer_messages_total",
        &["outcome=\"duplicate\""],
        1.0,
    );

    rt.block_on(async {
        let client = reqwest::Client::new();
        // Resume after the first: the other two, and nothing else.
        for (url, headers) in [
            (
                events.clone(),
                vec![
                    ("authorization", bearer.as_str()),
                    ("last-event-id", ids[0].as_str()),
                ],
            ),
            (
                format!(
                    "{events}?last_event_id={}&access_token={}",
                    ids[0],
                    token(&user)
                ),
                vec![],
            ),
        ] {
            let (code, _, mut replay) = open(&client, &url, &headers).await;
            assert_eq!(code, 200);
            assert!(
                replay
                    .next(Duration::from_secs(5))
                    .await
                    .unwrap()
                    .starts_with("retry:")
            );
            for id in &ids[1..] {
                let frame = replay.next_event(Duration::from_secs(5)).await.unwrap();
                assert_eq!(field(&frame, "id").as_deref(), Some(id.as_str()), "{frame}");
            }
            // Nothing more than the heartbeat.
            assert_eq!(
                replay.next(Duration::from_secs(5)).await.unwrap(),
                ": heartbeat"
            );
        }

        // The cap trimmed what came after the client's last id: it is told before the rest.
        let mut redis = redis::Client::open(redis_db(DB))
            .unwrap()
            .get_connection()
            .unwrap();
        let key = officectl::keys::sse_stream(&user);
        let ttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut redis).unwrap();
        assert!(
            ttl > 0 && ttl <= 24 * 3_600_000,
            "the stream has a TTL: {ttl}"
        );
        let () = redis::cmd("XTRIM")
            .arg(&key)
            .arg("MAXLEN")
            .arg(1)
            .query::<i64>(&mut redis)
            .map(|_| ())
            .unwrap();
        let (code, _, mut gap) = open(
            &client,
            &events,
            &[
                ("authorization", bearer.as_str()),
                ("last-event-id", ids[0].as_str()),
            ],
        )
        .await;
        assert_eq!(code, 200);
        assert!(
            gap.next(Duration::from_secs(5))
                .await
                .unwrap()
                .starts_with("retry:")
        );
        let missed = gap.next_event(Duration::from_secs(5)).await.unwrap();
        assert_eq!(
            field(&missed, "event").as_deref(),
            Some("missed"),
            "{missed}"
        );
        let kept = gap.next_event(Duration::from_secs(5)).await.unwrap();
        assert_eq!(
            field(&kept, "id").as_deref(),
            Some(ids[2].as_str()),
            "{kept}"
        );
        // A client that had everything: no `missed`.
        let (_, _, mut whole) = open(
            &client,
            &events,
            &[
                ("authorization", bearer.as_str()),
                ("last-event-id", ids[2].as_str()),
            ],
        )
        .await;
        assert!(
            whole
                .next(Duration::from_secs(5))
                .await
                .unwrap()
                .starts_with("retry:")
        );
        assert_eq!(
            whole.next(Duration::from_secs(5)).await.unwrap(),
            ": heartbeat"
        );

        // A token that expires in 2 s: the stream ends then, with an `expired` event.
        let short = token_with(SECRET, &user, now() + 2);
        let opened = Instant::now();
        let (code, _, mut expiring) =
            open(&client, &format!("{events}?access_token={short}"), &[]).await;
        assert_eq!(code, 200);
        let expired = expiring.next_event(Duration::from_secs(5)).await.unwrap();
        assert!(expired.starts_with("retry:"), "{expired}");
        let expired = expiring.next_event(Duration::from_secs(5)).await.unwrap();
        assert_eq!(
            field(&expired, "event").as_deref(),
            Some("expired"),
            "{expired}"
        );
        assert!(
            expiring.next(Duration::from_secs(5)).await.is_none(),
            "the stream ends"
        );
        assert!(
            opened.elapsed() >= Duration::from_secs(1),
            "{:?}",
            opened.elapsed()
        );
        // And it cannot come back with it.
        let (code, _, _) = open(&client, &format!("{events}?access_token={short}"), &[]).await;
        assert_eq!(code, 401);
    });
    let metrics = fe.metrics();
    assert_eq!(
        metric_sum(
            &metrics,
            "officectl_sse_notifications_total",
            &["stage=\"appended\""]
        ),
        3.0,
        "{metrics}"
    );
    // Every stream is closed: the server sees a closed connection at its next write at the
    // latest (a heartbeat, every second here).
    let started = Instant::now();
    while metric_sum(&fe.metrics(), "officectl_sse_connections", &[]) != 0.0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            fe.metrics()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (code, report, stderr) = fe.stop();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["events"], 3, "{report}");
    assert_eq!(report["notifications"], 3, "{report}");
    assert_eq!(report["duplicates"], 1, "{report}");
}

/// `npm ci` has been run in `tests/js` (`scripts/test` does it); panics naming the fix.
fn js_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    assert!(
        dir.join("node_modules/eventsource").is_dir(),
        "tests/js/node_modules is missing: run `npm ci --prefix tests/js` (scripts/test does)"
    );
    dir
}

/// The npm `eventsource` client, connected through a proxy to replica A, gets 5 notifications;
/// the connection drops while 5 more are published; it reconnects on its own, to replica B,
/// with its Last-Event-ID and gets those 5 and then 5 live ones: 15, none twice, in order.
#[test]
fn node_eventsource_resumes_on_another_replica_without_missing_or_repeating() {
    let js = js_dir();
    let project = unique("fe-sse-node");
    lay_out(&project, NODE_DB);
    let user = unique("fe-node-user");
    let retry = ["--client-retry", "300ms"];
    let a = FeSse::start(NODE_DB, &project, &retry);
    let b = FeSse::start(NODE_DB, &project, &retry);
    let mut node = Command::new("node")
        .arg(js.join("resume.mjs"))
        .env("FE_SSE_A", &a.addr)
        .env("FE_SSE_B", &b.addr)
        .env("FE_SSE_USER", &user)
        .env("FE_SSE_TOKEN", token(&user))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node (apt-get install nodejs)");
    let mut stdin = node.stdin.take().unwrap();
    let stdout = node.stdout.take().unwrap();
    let (tx, said) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Ok(value) = serde_json::from_str(&line) {
                let _ = tx.send(value);
            }
        }
    });
    let mut got = 0;
    let wait_for = |what: &dyn Fn(&Value) -> bool, label: &str, got: &mut usize| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let value = said
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("node never said {label} ({got} notifications)"));
            if value.get("got").is_some() {
                *got += 1;
            }
            if what(&value) {
                return value;
            }
        }
    };
    wait_for(&|v| v["ready"] == true, "ready", &mut got);
    let batch = |from: usize| -> Vec<String> {
        (from..from + 5)
            .map(|i| todo_line(&user, &format!("{user}-evt-{i}"), &format!("task-{i:02}")))
            .collect()
    };
    publish(NODE_DB, &project, &batch(0));
    while got < 5 {
        wait_for(&|v| v.get("got").is_some(), "5 notifications", &mut got);
    }
    writeln!(stdin, "drop").unwrap();
    let dropped = wait_for(&|v| v["dropped"] == true, "dropped", &mut got);
    publish(NODE_DB, &project, &batch(5));
    wait_metric(
        &[&a, &b],
        "officectl_sse_notifications_total",
        &["stage=\"appended\""],
        10.0,
    );
    writeln!(stdin, "resume").unwrap();
    while got < 10 {
        wait_for(&|v| v.get("got").is_some(), "10 notifications", &mut got);
    }
    publish(NODE_DB, &project, &batch(10));
    while got < 15 {
        wait_for(&|v| v.get("got").is_some(), "15 notifications", &mut got);
    }
    // Anything extra would arrive now.
    std::thread::sleep(Duration::from_millis(500));
    writeln!(stdin, "end").unwrap();
    let summary = wait_for(&|v| v.get("summary").is_some(), "its summary", &mut got);
    let status = node.wait().unwrap();
    let mut stderr = String::new();
    node.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let summary = &summary["summary"];
    assert!(status.success(), "{summary}\n{stderr}");
    assert_eq!(summary["problem"], Value::Null, "{summary}");
    let mut tasks: Vec<&str> = summary["received"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc_id"].as_str().unwrap())
        .collect();
    assert_eq!(tasks.len(), 15, "{summary}");
    tasks.sort_unstable();
    let expected: Vec<String> = (0..15).map(|i| format!("task-{i:02}")).collect();
    assert_eq!(tasks, expected, "{summary}");
    // It reconnected with the id of the last notification it had before the drop.
    assert!(summary["opens"].as_u64().unwrap() >= 2, "{summary}");
    assert!(
        summary["last_event_ids_sent"]
            .as_array()
            .unwrap()
            .contains(&dropped["last"]),
        "{summary} {dropped}"
    );
    // Replica B served it after the drop.
    assert!(
        metric_sum(
            &b.metrics(),
            "officectl_sse_notifications_total",
            &["stage=\"sent\""]
        ) >= 10.0,
        "{}",
        b.metrics()
    );
    for fe in [a, b] {
        let (code, _, stderr) = fe.stop();
        assert_eq!(code, Some(0), "{stderr}");
    }
}

/// A tiny HTTP server for the browser test: serves the recorder page and keeps the latest
/// record each page POSTs back (by the port it was served from).
struct PageServer {
    port: u16,
    record: Arc<Mutex<Value>>,
}

impl PageServer {
    fn start() -> PageServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let record = Arc::new(Mutex::new(Value::Null));
        let page = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/recorder.html"),
        )
        .unwrap();
        let kept = record.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let page = page.clone();
                let kept = kept.clone();
                std::thread::spawn(move || {
                    let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                    let mut head = String::new();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if line == "\r\n" {
                            break;
                        }
                        head.push_str(&line);
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let reply = if head.starts_with("POST /record") {
                        if let Ok(value) = serde_json::from_slice::<Value>(&body) {
                            let mut kept = kept.lock().unwrap();
                            if value["seq"].as_u64() > kept["seq"].as_u64() {
                                *kept = value;
                            }
                        }
                        String::new()
                    } else {
                        page
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                });
            }
        });
        PageServer { port, record }
    }

    fn record(&self) -> Value {
        self.record.lock().unwrap().clone()
    }
}

/// Headless Chromium, killed when dropped.
struct Browser(Child, #[allow(dead_code)] tempfile::TempDir);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium(url: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run chromium (scripts/test installs Debian's `chromium`)");
    Browser(child, profile)
}

/// A page served from another origin (so CORS is real) opens an `EventSource` with its token in
/// `access_token`; published events reach it. The same page from an origin that is not allowed
/// (loaded in an iframe) records nothing.
#[test]
fn chromium_page_records_the_notifications_of_its_user() {
    let project = unique("fe-sse-browser");
    lay_out(&project, BROWSER_DB);
    let user = unique("fe-browser-user");
    let allowed = PageServer::start();
    let refused = PageServer::start();
    let fe = FeSse::start(
        BROWSER_DB,
        &project,
        &[
            "--allow-origin",
            &format!("http://127.0.0.1:{}", allowed.port),
        ],
    );
    let events = fe.url(&format!(
        "/v1/users/{user}/events?access_token={}",
        token(&user)
    ));
    let page = |server: &PageServer| {
        format!(
            "http://127.0.0.1:{}/recorder.html?events={}",
            server.port,
            percent(&events)
        )
    };
    let _browser = chromium(&format!(
        "{}&frame={}",
        page(&allowed),
        percent(&page(&refused))
    ));
    let started = Instant::now();
    while allowed.record()["opened"].as_u64().unwrap_or(0) < 1
        || refused.record()["errors"].as_u64().unwrap_or(0) < 1
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the pages never connected: allowed {}, refused {}",
            allowed.record(),
            refused.record()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let lines: Vec<String> = (0..3)
        .map(|i| {
            todo_line(
                &user,
                &format!("{user}-evt-{i}"),
                &format!("browser-task-{i}"),
            )
        })
        .collect();
    publish(BROWSER_DB, &project, &lines);
    let started = Instant::now();
    while allowed.record()["notifications"]
        .as_array()
        .map_or(0, Vec::len)
        < 3
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page recorded {}",
            allowed.record()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    let record = allowed.record();
    let mut tasks: Vec<&str> = record["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            assert_eq!(n["doc_type"], "todo", "{n}");
            assert!(n["id"].as_str().is_some_and(|id| id.contains('-')), "{n}");
            n["doc_id"].as_str().unwrap()
        })
        .collect();
    tasks.sort_unstable();
    assert_eq!(
        tasks,
        ["browser-task-0", "browser-task-1", "browser-task-2"],
        "{record}"
    );
    let refused = refused.record();
    assert_eq!(
        refused["opened"], 0,
        "CORS keeps another origin out: {refused}"
    );
    assert_eq!(refused["notifications"], json!([]), "{refused}");
    let (code, _, stderr) = fe.stop();
    assert_eq!(code, Some(0), "{stderr}");
}

/// Percent-encodes a URL for a query parameter.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
