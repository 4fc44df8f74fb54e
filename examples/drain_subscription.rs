//! A reference point for `bench/pubsub-streaming`: how fast officectl's own subscriber
//! (`GoogleSubscriber`, Google's Rust client over StreamingPull) receives from a subscription.
//!
//! `drain_subscription SUBSCRIPTION --count N [--max-outstanding M]` opens one stream on the
//! subscription (`PUBSUB_EMULATOR_HOST` names the server), acks every message as it arrives, stops
//! after N distinct messages, waits for the acks to be sent, and prints
//! `{"messages", "duplicates", "secs"}`. The time runs from opening the stream to the N-th
//! message; it includes the stream's start, not building the client.

use officectl::pubsub::MessageSource;
use officectl::pubsub::google::GoogleSubscriber;
use officectl::settings::PubSubEndpoint;
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(subscription) = args.first().filter(|a| !a.starts_with("--")).cloned() else {
        anyhow::bail!("usage: drain_subscription SUBSCRIPTION --count N [--max-outstanding M]");
    };
    let count: usize = flag(&args, "--count")
        .ok_or_else(|| anyhow::anyhow!("--count N is required"))?
        .parse()?;
    let max_outstanding: i64 = flag(&args, "--max-outstanding")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(1000);
    let host = std::env::var("PUBSUB_EMULATOR_HOST")
        .map_err(|_| anyhow::anyhow!("PUBSUB_EMULATOR_HOST is not set"))?;
    let endpoint = PubSubEndpoint::from_emulator_host(&host).map_err(anyhow::Error::msg)?;

    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let subscriber = GoogleSubscriber::connect(&endpoint, max_outstanding).await?;
            let start = Instant::now();
            let mut stream = subscriber.subscribe(&subscription);
            let mut seen = HashSet::with_capacity(count);
            let mut duplicates = 0usize;
            while seen.len() < count {
                let next = tokio::time::timeout(Duration::from_secs(30), stream.next()).await;
                let delivery = match next {
                    Ok(Some(delivery)) => delivery?,
                    Ok(None) => anyhow::bail!("the stream ended after {} messages", seen.len()),
                    Err(_) => {
                        anyhow::bail!("nothing arrived for 30 s after {} messages", seen.len())
                    }
                };
                if !seen.insert(delivery.message.id.clone()) {
                    duplicates += 1;
                }
                delivery.ack();
            }
            let secs = start.elapsed().as_secs_f64();
            stream.shutdown().await;
            println!(
                "{}",
                serde_json::json!({"messages": seen.len(), "duplicates": duplicates, "secs": secs})
            );
            Ok(())
        })
}
