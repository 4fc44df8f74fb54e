//! Throughput of the legacy-email path: parse + validate + upcast + encode (plan the Pub/Sub
//! message, claim check included), on one core, next to `serde_json::from_slice::<Value>` over
//! the same bytes as the reference. Run with `cargo bench --bench model`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use officectl::model::claim_check::ClaimCheckConfig;
use officectl::model::envelope::plan_message;
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

fn measure(
    name: &str,
    inputs: &[Vec<u8>],
    emails_per_event: usize,
    mut f: impl FnMut(&[u8]),
) -> f64 {
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
}
