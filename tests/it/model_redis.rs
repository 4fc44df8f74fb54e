//! The model's Redis-backed parts against a real local Redis: claim check store/resolve/expiry and
//! dedupe claims (new, duplicate, expiry, two-step). Needs `OFFICECTL_REDIS_URL`; fails without.

use std::time::Duration;

use officectl::model::catalog::DataType;
use officectl::model::claim_check::{self, ClaimCheckConfig, ClaimCheckError, TtlPerType};
use officectl::model::envelope;
use officectl::model::idempotency::{Begin, Claim, DedupeConfig, DedupeStore};
use officectl::model::store::{KeyTtl, KeyValueStore, RedisKvStore};
use officectl::model::validate::validate_bytes;

async fn store() -> RedisKvStore {
    let url = match std::env::var("OFFICECTL_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("OFFICECTL_REDIS_URL is not set: run `scripts/services up` first"),
    };
    let conn = officectl::redis_connection::connect(&url, Duration::from_secs(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    RedisKvStore::new(conn)
}

/// A user id no other test run shares, so runs never see each other's keys.
fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("it-{name}-{}-{nanos}", std::process::id())
}

fn email_event(user_id: &str, body_len: usize) -> officectl::model::Event {
    let json = serde_json::json!({
        "event_type": "EmailEvent", "event_id": "e-1", "schema_version": 2, "user_id": user_id,
        "provider": "google", "sync_type": "real_time", "operation": "create",
        "correlation_id": "c-1", "occurred_at": "2024-05-01T10:00:00Z",
        "emails": [{"provider_message_id": "m/1 é", "thread_id": "t-1", "subject": "big",
            "from": {"email": "a@example.com"}, "to": [{"email": "b@example.com"}],
            "body": {"mime_type": "text/plain", "content": "x".repeat(body_len)},
            "received_at": "2024-05-01T09:00:00Z", "updated_at": "2024-05-01T09:00:00Z"}]
    });
    validate_bytes(json.to_string().as_bytes())
        .map(|v| v.event)
        .unwrap_or_else(|p| panic!("{p:?}"))
}

#[tokio::test]
async fn claim_check_stores_resolves_and_expires() {
    let store = store().await;
    let user = unique("claim");
    let config = ClaimCheckConfig {
        threshold_bytes: 1024,
        ttl: TtlPerType {
            email: Duration::from_secs(1),
            ..TtlPerType::default()
        },
        ..ClaimCheckConfig::default()
    };
    let event = email_event(&user, 300_000);
    let message = envelope::encode_message(event.clone(), &config, &store)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .message;
    assert!(message.data.len() < 2048, "{}", message.data.len());
    let key = officectl::keys::claim_check(&user, "email", "m/1 é");
    match store.ttl(&key).await {
        Ok(KeyTtl::Expires(ttl)) => assert!(ttl <= Duration::from_secs(1), "{ttl:?}"),
        other => panic!("{key}: {other:?}"),
    }

    let decoded = envelope::decode_message(&message.data, &message.attributes)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(decoded.has_payload_refs);
    let mut resolved = decoded.event.clone();
    let n = claim_check::resolve_payloads(&mut resolved, &store, &config)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, 1);
    assert_eq!(resolved, event);

    tokio::time::sleep(Duration::from_millis(1300)).await;
    let mut expired = decoded.event;
    match claim_check::resolve_payloads(&mut expired, &store, &config).await {
        Err(ClaimCheckError::Missing { key: missing, .. }) => assert_eq!(missing, key),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dedupe_reports_new_duplicate_and_expiry_in_one_round_trip() {
    let store = store().await;
    let consumer = unique("dedupe");
    let config = DedupeConfig {
        done_ttl: TtlPerType {
            email: Duration::from_secs(1),
            ..TtlPerType::default()
        },
        ..DedupeConfig::default()
    };
    let dedupe = DedupeStore::new(store.clone(), consumer.clone(), config);
    let keys: Vec<String> = (0..50).map(|i| format!("imm:u:{i}")).collect();
    let first = dedupe
        .claim(DataType::Email, &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.iter().all(|c| *c == Claim::New));

    let mixed: Vec<String> = (40..60).map(|i| format!("imm:u:{i}")).collect();
    let second = dedupe
        .claim(DataType::Email, &mixed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        second.iter().filter(|c| **c == Claim::Duplicate).count(),
        10
    );
    assert_eq!(second.iter().filter(|c| **c == Claim::New).count(), 10);
    assert_eq!(second[0], Claim::Duplicate);
    assert_eq!(second[19], Claim::New);

    tokio::time::sleep(Duration::from_millis(1300)).await;
    let again = dedupe
        .claim(DataType::Email, &keys[..3])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, vec![Claim::New; 3]);
}

#[tokio::test]
async fn two_step_dedupe_recovers_after_a_crash() {
    let store = store().await;
    let consumer = unique("two-step");
    let config = DedupeConfig {
        in_progress_ttl: Duration::from_secs(1),
        ..DedupeConfig::default()
    };
    let dedupe = DedupeStore::new(store.clone(), consumer, config);
    let keys = vec![
        "mut:u:1:2024-05-01T00%3A00%3A00Z".to_string(),
        "mut:u:2:x".to_string(),
    ];

    let begin = dedupe
        .begin(DataType::Calendar, &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(begin, vec![Begin::Claimed, Begin::Claimed]);
    let busy = dedupe
        .begin(DataType::Calendar, &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(busy, vec![Begin::InProgress, Begin::InProgress]);

    // Crash: nobody completes. The in-progress claim runs out and a redelivery takes over.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let retry = dedupe
        .begin(DataType::Calendar, &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(retry, vec![Begin::Claimed, Begin::Claimed]);
    dedupe
        .complete(DataType::Calendar, &keys[..1])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    dedupe
        .release(DataType::Calendar, &keys[1..])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = dedupe
        .begin(DataType::Calendar, &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, vec![Begin::AlreadyDone, Begin::Claimed]);
}

/// The drill's feed ledger records a feed in the loader's done transaction: after it, the key
/// is done for the dedupe (no redelivery feeds it again) and counted once, with its time.
#[tokio::test]
async fn the_feed_ledger_records_in_the_done_transaction() {
    use officectl::migrate::drill::ledger::FeedLedger;
    let url = std::env::var("OFFICECTL_REDIS_URL").expect("OFFICECTL_REDIS_URL");
    let conn = officectl::redis_connection::connect(&url, Duration::from_secs(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let dedupe = DedupeStore::new(
        RedisKvStore::new(conn.clone()),
        unique("ledger"),
        DedupeConfig::default(),
    );
    let key = unique("mut:u:ledger");
    let keys = vec![key.clone()];
    assert_eq!(
        dedupe.begin(DataType::Contact, &keys).await.unwrap(),
        vec![Begin::Claimed]
    );
    let ledger = FeedLedger::new(conn);
    let before = officectl::migrate::drill::ledger::unix_ms(std::time::SystemTime::now());
    ledger
        .complete_and_record(&dedupe.completion(DataType::Contact, &keys), &keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        dedupe.begin(DataType::Contact, &keys).await.unwrap(),
        vec![Begin::AlreadyDone]
    );
    let recorded = ledger.read().await.unwrap_or_else(|e| panic!("{e}"));
    let fed = recorded
        .get(&key)
        .unwrap_or_else(|| panic!("{key} not recorded"));
    assert_eq!(fed.feeds, 1);
    assert!(fed.first_at_ms.is_some_and(|at| at >= before), "{fed:?}");
}
