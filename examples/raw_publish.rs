//! Reference points for `bench/backfill`: the fastest officectl's own Pub/Sub client can publish
//! the same messages a backfill publishes.
//!
//! `raw_publish encode MAILBOX OUT --batch-size N` groups the mailbox's e-mail records per user
//! into `EmailEvent` batches and writes each encoded message as one NDJSON line
//! (`{"data": "<event JSON>", "attributes": {...}}`), untimed.
//! `raw_publish publish OUT --topic projects/P/topics/T --max-in-flight N` reads those lines into
//! memory, then times a plain publish loop through `GooglePublisher` + `BoundedPublisher` (no
//! parsing, validation, claim check or checkpoints) and prints `{"messages", "emails", "secs"}`.

use officectl::backfill::record;
use officectl::model::claim_check::ClaimCheckConfig;
use officectl::model::envelope;
use officectl::model::event::Event;
use officectl::model::families::email::{EmailEvent, EmailEventTag};
use officectl::model::fields::{Operation, SyncType};
use officectl::pubsub::google::GooglePublisher;
use officectl::pubsub::{BoundedPublisher, OutgoingMessage};
use officectl::settings::PubSubEndpoint;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::Instant;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("encode") => encode(&args),
        Some("publish") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(publish(&args)),
        _ => anyhow::bail!(
            "usage: raw_publish encode MAILBOX OUT --batch-size N | publish OUT --topic T [--max-in-flight N]"
        ),
    }
}

fn encode(args: &[String]) -> anyhow::Result<()> {
    let input = args
        .get(1)
        .ok_or_else(|| anyhow::anyhow!("MAILBOX missing"))?;
    let output = args.get(2).ok_or_else(|| anyhow::anyhow!("OUT missing"))?;
    let batch_size: usize = flag(args, "--batch-size").unwrap_or("100".into()).parse()?;
    let reader = std::io::BufReader::new(std::fs::File::open(input)?);
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    let mut open: BTreeMap<String, Vec<record::EmailRecord>> = BTreeMap::new();
    let config = ClaimCheckConfig::default();
    let mut n = 0u64;
    let mut write = |user: &str, records: Vec<record::EmailRecord>| -> anyhow::Result<()> {
        n += 1;
        let provider = records[0].provider;
        let emails: Vec<_> = records.into_iter().map(|r| r.email).collect();
        let event = EmailEvent {
            event_type: EmailEventTag::Tag,
            event_id: format!("raw-{n}"),
            schema_version: EmailEvent::SCHEMA_VERSION,
            user_id: user.to_string(),
            provider,
            sync_type: SyncType::BatchSync,
            operation: Operation::Create,
            batch_id: Some(format!("raw-{n}")),
            correlation_id: "raw".into(),
            occurred_at: emails[0].updated_at,
            emails,
        };
        let plan = envelope::plan_message(Event::Email(event), &config)?;
        let line = serde_json::json!({
            "data": std::str::from_utf8(&plan.message.data)?,
            "attributes": plan.message.attributes,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        Ok(())
    };
    for line in reader.lines() {
        let line = line?;
        let Ok(records) = record::parse(line.as_bytes()) else {
            continue;
        };
        for r in records {
            let batch = open.entry(r.user_id.clone()).or_default();
            batch.push(r);
            if batch.len() == batch_size {
                let user = batch[0].user_id.clone();
                let full = std::mem::take(batch);
                write(&user, full)?;
            }
        }
    }
    for (user, batch) in open {
        if !batch.is_empty() {
            write(&user, batch)?;
        }
    }
    Ok(())
}

async fn publish(args: &[String]) -> anyhow::Result<()> {
    let input = args.get(1).ok_or_else(|| anyhow::anyhow!("OUT missing"))?;
    let topic = flag(args, "--topic").ok_or_else(|| anyhow::anyhow!("--topic missing"))?;
    let max_in_flight: usize = flag(args, "--max-in-flight")
        .unwrap_or("64".into())
        .parse()?;
    let host = std::env::var("PUBSUB_EMULATOR_HOST")?;
    let endpoint = PubSubEndpoint::from_emulator_host(&host).map_err(anyhow::Error::msg)?;
    let mut messages = Vec::new();
    let mut emails = 0usize;
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        let data = value["data"].as_str().unwrap_or_default().to_string();
        emails += data.matches("\"provider_message_id\"").count();
        let attributes: BTreeMap<String, String> =
            serde_json::from_value(value["attributes"].clone())?;
        messages.push(OutgoingMessage {
            data: data.into(),
            attributes,
            ordering_key: None,
        });
    }
    let publisher = BoundedPublisher::new(
        Arc::new(GooglePublisher::connect(&endpoint).await?),
        max_in_flight,
    );
    let count = messages.len();
    let started = Instant::now();
    let mut pending = std::collections::VecDeque::new();
    for message in messages {
        pending.push_back(publisher.publish(&topic, message).await);
        while pending.len() > max_in_flight * 2 {
            if let Some(p) = pending.pop_front() {
                p.await?;
            }
        }
    }
    publisher.flush().await;
    for p in pending {
        p.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"messages": count, "emails": emails, "secs": secs})
    );
    Ok(())
}
