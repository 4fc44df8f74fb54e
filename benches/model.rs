//! Throughput of the legacy-email path: parse + validate + upcast + encode (plan the Pub/Sub
//! message, claim check included), and of the consumers' decode of current `EmailEvent`s
//! (`decode_message`: parse + validate + attribute check), on one core, next to
//! `serde_json::from_slice::<Value>` over the same bytes as the reference. Run with
//! `cargo bench --bench model`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use officectl::model::claim_check::ClaimCheckConfig;
use officectl::model::envelope::{decode_message, plan_message};
use officectl::model::validate::validate_bytes;

/// Legacy events of `emails_per_event` e-mails with ~2 KiB bodies, as old producers send them.
fn legacy_events(count: usize, emails_per_event: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            let emails: Vec<serde_json::Value> = (0..emails_per_event)
                .map(|j| {
                    serde_json::json!({
                        "message_id": format!("18f{i:06x}{j:04x}"),
                        "thread_id": format!("thr-{}", i / 3),
                        "subject": format!("Re: quarterly numbers #{i}"),
                        "from": "Dana CEO <ceo@example.com>",
                        "to": ["user42@example.com", "\"Doe, Jane\" <jane@example.com>"],
                        "cc": ["cfo@example.com"],
                        "body": "Please review the attached numbers before Friday. ".repeat(40),
                        "labels": ["INBOX", "IMPORTANT"],
                        "received_at": "2024-04-30T08:15:00Z",
                        "x_producer": "old-sync 1.2"
                    })
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({
                "event_type": "EmailBackfillEvent",
                "user_id": format!("user-{}", i % 100),
                "provider": "gmail",
                "correlation_id": format!("backfill-{}", i % 7),
                "emails": emails
            }))
            .unwrap_or_default()
        })
        .collect()
}

/// Current `EmailEvent`s of `emails_per_event` ~1 KB e-mails, with the attributes a publisher
/// sets, as the Vespa loader receives them.
fn current_events(
    count: usize,
    emails_per_event: usize,
) -> Vec<(Vec<u8>, BTreeMap<String, String>)> {
    (0..count)
        .map(|i| {
            let user = format!("user-{}", i % 100);
            let emails: Vec<serde_json::Value> = (0..emails_per_event)
                .map(|j| {
                    serde_json::json!({
                        "provider_message_id": format!("18f{i:06x}{j:04x}"),
                        "thread_id": format!("thr-{}", i / 3),
                        "subject": format!("Re: quarterly numbers #{i}"),
                        "from": {"email": "ceo@example.com", "name": "Dana CEO"},
                        "to": [{"email": format!("{user}@example.org")}],
                        "labels": ["INBOX"],
                        "body": {"mime_type": "text/plain",
                                 "content": "Please review the numbers before Friday. ".repeat(22)},
                        "received_at": "2024-05-01T10:00:00Z",
                        "updated_at": "2024-05-01T10:00:00Z"
                    })
                })
                .collect();
            let data = serde_json::to_vec(&serde_json::json!({
                "event_type": "EmailEvent", "event_id": format!("evt-{i}"), "schema_version": 2,
                "user_id": user, "provider": "google", "sync_type": "batch_sync",
                "operation": "create", "batch_id": format!("batch-{i}"),
                "correlation_id": "bench", "occurred_at": "2024-05-01T10:00:00Z",
                "emails": emails
            }))
            .unwrap_or_default();
            let attributes = [
                ("event_type", "EmailEvent"),
                ("user_id", user.as_str()),
                ("sync_type", "batch_sync"),
                ("operation", "create"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            (data, attributes)
        })
        .collect()
}

fn measure<T>(name: &str, inputs: &[T], emails_per_event: usize, mut f: impl FnMut(&T)) -> f64 {
    // Warm up, then run whole passes for at least two seconds.
    for input in inputs.iter().take(50) {
        f(input);
    }
    let start = Instant::now();
    let mut events = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for input in inputs {
            f(input);
        }
        events += inputs.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = events as f64 / secs;
    println!(
        "{name:<48} {rate:>10.0} events/s  {:>10.0} emails/s",
        rate * emails_per_event as f64
    );
    rate
}

fn main() {
    let config = ClaimCheckConfig::default();
    println!(
        "one core, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for emails_per_event in [1usize, 10] {
        let inputs = legacy_events(1000, emails_per_event);
        let bytes: usize = inputs.iter().map(Vec::len).sum();
        println!(
            "\n{} legacy events x {emails_per_event} e-mail(s), {} bytes/event on average",
            inputs.len(),
            bytes / inputs.len()
        );
        let reference = measure(
            "serde_json::from_slice::<Value> (reference)",
            &inputs,
            emails_per_event,
            |input| {
                black_box(serde_json::from_slice::<serde_json::Value>(input).ok());
            },
        );
        let mut failures = 0usize;
        let pipeline = measure(
            "parse + validate + upcast + encode",
            &inputs,
            emails_per_event,
            |input| match validate_bytes(input) {
                Ok(validated) => {
                    black_box(plan_message(validated.event, &config).ok());
                }
                Err(_) => failures += 1,
            },
        );
        println!(
            "pipeline / reference: {:.2}x slower; failures: {failures}",
            reference / pipeline
        );
    }
    let emails_per_event = 100;
    let inputs = current_events(200, emails_per_event);
    let bytes: usize = inputs.iter().map(|(d, _)| d.len()).sum();
    println!(
        "\n{} current EmailEvents x {emails_per_event} e-mails, {} bytes/event on average",
        inputs.len(),
        bytes / inputs.len()
    );
    let reference = measure(
        "serde_json::from_slice::<Value> (reference)",
        &inputs,
        emails_per_event,
        |(data, _)| {
            black_box(serde_json::from_slice::<serde_json::Value>(data).ok());
        },
    );
    let mut failures = 0usize;
    let decode = measure(
        "decode_message (the consumers' decode)",
        &inputs,
        emails_per_event,
        |(data, attributes)| match decode_message(data, attributes) {
            Ok(decoded) => {
                black_box(decoded);
            }
            Err(_) => failures += 1,
        },
    );
    println!(
        "decode / reference: {:.2}x slower; failures: {failures}",
        reference / decode
    );
}
