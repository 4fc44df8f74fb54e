//! The load side of `bench/fe-sse`: holds many idle SSE connections to a running
//! `officectl consume fe-sse`, reads the server's RSS with them open, then measures the latency
//! from publishing an event on Pub/Sub to its notification arriving at a connected client.
//!
//! `sse_bench --server HOST:PORT --server-pid PID --project P [--idle 10000] [--clients 5]
//!  [--notifications 1000] [--rate 100]`, with `OFFICECTL_FE_SSE_JWT_SECRET` and
//! `PUBSUB_EMULATOR_HOST` set as for the server. Connections are plain TCP with a hand-written
//! GET (the client side only; the server is the one under test), each for its own user.
//! Prints figures on stdout, the last line as JSON.

use officectl::model::envelope;
use officectl::model::validate::validate_value;
use officectl::pubsub::google::GooglePublisher;
use officectl::pubsub::{BoundedPublisher, PublishTransport};
use officectl::settings::PubSubEndpoint;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn flag(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

fn token(secret: &str, user: &str) -> anyhow::Result<String> {
    let exp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() + 3600;
    Ok(jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({"sub": user, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )?)
}

/// Opens an event stream for `user` and returns it once the `retry:` frame arrived (auth
/// passed, the stream is live).
async fn open(server: &str, secret: &str, user: &str) -> anyhow::Result<(TcpStream, String)> {
    let mut stream = TcpStream::connect(server).await?;
    let request = format!(
        "GET /v1/users/{user}/events?access_token={} HTTP/1.1\r\nHost: {server}\r\nAccept: text/event-stream\r\n\r\n",
        token(secret, user)?
    );
    stream.write_all(request.as_bytes()).await?;
    let mut seen = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).await?;
        anyhow::ensure!(n > 0, "{user}: closed before the stream started");
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen);
        if !text.starts_with("HTTP/1.1 200") && text.contains("\r\n\r\n") {
            anyhow::bail!("{user}: {}", text.lines().next().unwrap_or_default());
        }
        if text.contains("retry:") {
            let rest = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
            return Ok((stream, rest.unwrap_or_default()));
        }
    }
}

fn rss_kb(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let server = flag(&args, "--server", "127.0.0.1:8080");
    let pid = flag(&args, "--server-pid", "");
    let project = flag(&args, "--project", "");
    let idle: usize = flag(&args, "--idle", "10000").parse()?;
    let clients: usize = flag(&args, "--clients", "5").parse()?;
    let notifications: usize = flag(&args, "--notifications", "1000").parse()?;
    let rate: f64 = flag(&args, "--rate", "100").parse()?;
    let secret = std::env::var("OFFICECTL_FE_SSE_JWT_SECRET")?;
    let host = std::env::var("PUBSUB_EMULATOR_HOST")?;
    let run = std::process::id();

    let rss_before = rss_kb(&pid, "VmRSS:");
    // Idle connections, 200 opening at a time.
    let started = Instant::now();
    let mut held = Vec::with_capacity(idle);
    let semaphore = Arc::new(tokio::sync::Semaphore::new(200));
    let mut opening = tokio::task::JoinSet::new();
    for i in 0..idle {
        let permit = semaphore.clone().acquire_owned().await?;
        let (server, secret) = (server.clone(), secret.clone());
        opening.spawn(async move {
            let opened = open(&server, &secret, &format!("idle-{run}-{i}")).await;
            drop(permit);
            opened
        });
        while let Some(done) = opening.try_join_next() {
            held.push(done??.0);
        }
    }
    while let Some(done) = opening.join_next().await {
        held.push(done??.0);
    }
    let connect_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = rss_kb(&pid, "VmRSS:");
    println!(
        "idle connections: {} open in {connect_secs:.1} s; server RSS {:.1} MB with them (before: {:.1} MB), {:.1} KB per connection",
        held.len(),
        rss_idle as f64 / 1024.0,
        rss_before as f64 / 1024.0,
        (rss_idle.saturating_sub(rss_before)) as f64 / held.len().max(1) as f64
    );

    // Latency: `clients` connected users, `notifications` events published at `rate` per second.
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut readers = Vec::new();
    for c in 0..clients {
        let user = format!("lat-{run}-{c}");
        let (mut stream, mut text) = open(&server, &secret, &user).await?;
        let (sent, latencies) = (sent.clone(), latencies.clone());
        readers.push(tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                while let Some(end) = text.find("\n\n") {
                    let frame: String = text.drain(..end + 2).collect();
                    for line in frame.lines() {
                        if let Some(data) = line.strip_prefix("data: ")
                            && let Ok(n) = serde_json::from_str::<serde_json::Value>(data)
                            && let Some(doc_id) = n["doc_id"].as_str()
                            && let Some(at) = sent.lock().unwrap().remove(doc_id)
                        {
                            latencies.lock().unwrap().push(at.elapsed());
                        }
                    }
                }
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        // Chunked transfer-encoding: size lines are not SSE fields and are
                        // ignored by the frame parser (they never start with `data: `).
                        text.push_str(&String::from_utf8_lossy(&buf[..n]).replace("\r\n", "\n"));
                    }
                }
            }
        }));
    }
    let endpoint = PubSubEndpoint::from_emulator_host(&host).map_err(anyhow::Error::msg)?;
    let transport: Arc<dyn PublishTransport> = Arc::new(GooglePublisher::connect(&endpoint).await?);
    let publisher = Arc::new(BoundedPublisher::new(transport, 64));
    let topic = format!("projects/{project}/topics/todos");
    let config = officectl::model::claim_check::ClaimCheckConfig::default();
    let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    let mut pending = Vec::new();
    let publishing = Instant::now();
    for n in 0..notifications {
        let task = format!("lat-{run}-task-{n}");
        let value = serde_json::json!({
            "event_type": "TodoEvent", "event_id": format!("bench-{run}-{n}"), "schema_version": 1,
            "user_id": format!("lat-{run}-{}", n % clients.max(1)), "provider": "google",
            "sync_type": "real_time", "operation": "update", "correlation_id": format!("bench-{run}"),
            "occurred_at": "2026-12-01T10:00:00Z",
            "todo": {"provider_task_id": task, "list_id": "l", "title": "t", "status": "not_started",
                "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:00:00Z"},
        });
        let event = validate_value(value)
            .map_err(|p| anyhow::anyhow!("{p:?}"))?
            .event;
        let message = envelope::plan_message(event, &config)?.message;
        pace.tick().await;
        sent.lock().unwrap().insert(task, Instant::now());
        pending.push(publisher.publish(&topic, message).await);
    }
    for p in pending {
        p.await?;
    }
    let publish_secs = publishing.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(60);
    while latencies.lock().unwrap().len() < notifications && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut got = latencies.lock().unwrap().clone();
    got.sort();
    let rss_after = rss_kb(&pid, "VmRSS:");
    let hwm = rss_kb(&pid, "VmHWM:");
    println!(
        "latency publish → client over {} of {notifications} notifications ({clients} clients, published at {rate}/s in {publish_secs:.1} s, {} idle connections open): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        got.len(),
        held.len(),
        percentile(&got, 0.50),
        percentile(&got, 0.90),
        percentile(&got, 0.99),
        percentile(&got, 1.0),
    );
    println!(
        "server RSS after: {:.1} MB (peak {:.1} MB)",
        rss_after as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    println!(
        "{}",
        serde_json::json!({
            "idle_connections": held.len(),
            "connect_secs": connect_secs,
            "server_rss_mb_before": rss_before as f64 / 1024.0,
            "server_rss_mb_idle": rss_idle as f64 / 1024.0,
            "server_rss_mb_peak": hwm as f64 / 1024.0,
            "notifications": notifications,
            "received": got.len(),
            "p50_ms": percentile(&got, 0.50),
            "p90_ms": percentile(&got, 0.90),
            "p99_ms": percentile(&got, 0.99),
            "max_ms": percentile(&got, 1.0),
        })
    );
    for reader in readers {
        reader.abort();
    }
    drop(held);
    anyhow::ensure!(
        got.len() == notifications,
        "{} of {notifications} notifications arrived",
        got.len()
    );
    Ok(())
}
