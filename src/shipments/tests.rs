//! The labelled corpus (`tests/fixtures/shipments/corpus.ndjson`): positives per carrier and
//! status, merchants' mails, and hard negatives (order confirmations without tracking,
//! newsletters with long numbers, replies and forwards quoting a tracking mail). Precision must
//! be 1.0; recall is printed and held to what the corpus shows today.

use super::detect::detect;
use crate::model::families::email::Email;
use serde_json::{Value, json};

const CORPUS: &str = include_str!("../../tests/fixtures/shipments/corpus.ndjson");

fn email(entry: &Value) -> Email {
    serde_json::from_value(json!({
        "provider_message_id": "m", "thread_id": "t",
        "subject": entry["subject"], "from": entry["from"],
        "body": {"mime_type": "text/plain", "content": entry["body"]},
        "received_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z",
    }))
    .unwrap()
}

#[test]
fn the_corpus_is_found_with_full_precision() {
    let (mut tp, mut fp, mut missed) = (0, 0, 0);
    let mut misses = Vec::new();
    for line in CORPUS.lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        let found = detect(&email(&entry), entry["body"].as_str().unwrap());
        let expected = entry["expect"].as_array().unwrap();
        for f in &found {
            let hit = expected.iter().find(|e| {
                e["carrier"] == f.carrier.as_str() && e["tracking_number"] == f.tracking_number
            });
            match hit {
                Some(e) => {
                    tp += 1;
                    let status = serde_json::to_value(f.status).unwrap();
                    assert_eq!(e["status"], status, "{}", entry["note"]);
                    if let Some(m) = e.get("merchant") {
                        assert_eq!(Some(m.as_str().unwrap()), f.merchant.as_deref());
                    }
                    if let Some(o) = e.get("order_id") {
                        assert_eq!(Some(o.as_str().unwrap()), f.order_id.as_deref());
                    }
                }
                None => {
                    fp += 1;
                    misses.push(format!("false positive in {}: {f:?}", entry["note"]));
                }
            }
        }
        for e in expected {
            if !found
                .iter()
                .any(|f| e["tracking_number"] == f.tracking_number)
            {
                missed += 1;
                misses.push(format!("missed in {}", entry["note"]));
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + missed).max(1) as f64;
    println!(
        "shipments corpus: {tp} found, {fp} false positives, {missed} missed: precision {precision:.3}, recall {recall:.3}"
    );
    for m in &misses {
        println!("  {m}");
    }
    assert_eq!(fp, 0, "{misses:?}");
    assert!(recall >= 0.96, "recall {recall}: {misses:?}");
}
