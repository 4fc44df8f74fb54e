//! Idempotency: claims, strategies and the dedupe store.

use super::*;

#[test]
fn dedupe_claims_new_and_duplicates_in_one_round_trip() {
    block(async {
        let store = MemoryStore::new();
        let dedupe = DedupeStore::new(store.clone(), "vespa-loader", DedupeConfig::default());
        let keys = vec!["imm:u:1".to_string(), "imm:u:2".to_string()];
        let first = dedupe.claim(DataType::Email, &keys).await.ok();
        assert_eq!(first, Some(vec![Claim::New, Claim::New]));
        let calls = store.calls();
        let more = vec!["imm:u:2".to_string(), "imm:u:3".to_string()];
        let second = dedupe.claim(DataType::Email, &more).await.ok();
        assert_eq!(second, Some(vec![Claim::Duplicate, Claim::New]));
        assert_eq!(store.calls(), calls + 1);
        // Another consumer dedupes on its own.
        let other = DedupeStore::new(store.clone(), "shipments", DedupeConfig::default());
        assert_eq!(
            other.claim(DataType::Email, &keys).await.ok(),
            Some(vec![Claim::New, Claim::New])
        );
        // Keys expire with the data type's TTL.
        store.advance(Duration::from_secs(7 * 86_400));
        assert_eq!(
            dedupe.claim(DataType::Email, &keys).await.ok(),
            Some(vec![Claim::New, Claim::New])
        );
    });
}

#[test]
fn two_step_dedupe_survives_a_crash_between_claim_and_side_effect() {
    block(async {
        let store = MemoryStore::new();
        let config = DedupeConfig {
            in_progress_ttl: Duration::from_secs(30),
            ..DedupeConfig::default()
        };
        let dedupe = DedupeStore::new(store.clone(), "vespa-loader", config);
        let keys = vec!["mut:u:1:t".to_string()];
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::Claimed])
        );
        // A redelivery while the first is working waits.
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::InProgress])
        );
        // The first consumer crashes: no `complete`. After the short TTL the event is claimable.
        store.advance(Duration::from_secs(30));
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::Claimed])
        );
        assert!(dedupe.complete(DataType::Calendar, &keys).await.is_ok());
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::AlreadyDone])
        );
        // A failed side effect releases at once.
        let other = vec!["mut:u:2:t".to_string()];
        assert_eq!(
            dedupe.begin(DataType::Calendar, &other).await.ok(),
            Some(vec![Begin::Claimed])
        );
        assert!(dedupe.release(DataType::Calendar, &other).await.is_ok());
        assert_eq!(
            dedupe.begin(DataType::Calendar, &other).await.ok(),
            Some(vec![Begin::Claimed])
        );
    });
}
