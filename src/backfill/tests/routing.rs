//! Backfills under the migration's publish mode: legacy, dual and new, a flag that changes
//! during the run, and a legacy copy over the message limit.

use super::*;

const LEGACY_TOPIC: &str = "projects/p/topics/email-backfill";
const LEGACY_SUB: &str = "projects/p/subscriptions/check-legacy";

/// A fake with both e-mail topics and a subscription on each.
async fn fake_both() -> FakePubSub {
    let fake = fake().await;
    fake.create_topic(&TopicConfig::named(LEGACY_TOPIC))
        .await
        .unwrap();
    fake.create_subscription(&SubscriptionConfig::new(LEGACY_SUB, LEGACY_TOPIC))
        .await
        .unwrap();
    fake
}

fn by_mode(store: &MemoryStore) -> Options {
    Options {
        routing: Routing::PublishMode {
            project: "p".into(),
            flags: Arc::new(store.clone()),
            refresh: Duration::ZERO,
        },
        ..options("c-mode")
    }
}

async fn set_mode(store: &MemoryStore, mode: &str) {
    store
        .set_ex(
            "office:flags:publish_mode:email",
            mode.as_bytes(),
            Duration::from_secs(3600),
        )
        .await
        .unwrap();
}

/// (idempotency key, e-mail ids, bodies) of every message on a subscription.
async fn drain_keys(fake: &FakePubSub, sub: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut stream = fake.subscribe(sub);
    let got = receive(stream.as_mut(), 1000, Duration::from_millis(50))
        .await
        .unwrap();
    got.into_iter()
        .map(|d| {
            let key = d.message.attributes["idempotency_key"].clone();
            let decoded = envelope::decode_message(&d.message.data, &d.message.attributes).unwrap();
            d.ack();
            let Event::Email(e) = decoded.event else {
                panic!("not an email event")
            };
            let ids = e
                .emails
                .iter()
                .map(|m| m.provider_message_id.clone())
                .collect();
            let bodies = e
                .emails
                .iter()
                .map(|m| {
                    m.body
                        .as_ref()
                        .map(|b| b.content.clone())
                        .unwrap_or_default()
                })
                .collect();
            (key, (ids, bodies))
        })
        .collect()
}

#[tokio::test]
async fn without_a_topic_the_publish_mode_flag_routes_every_batch() {
    for (mode, legacy, new) in [
        (None, true, false),
        (Some("legacy"), true, false),
        (Some("dual"), true, true),
        (Some("new"), false, true),
    ] {
        let fake = fake_both().await;
        let store = MemoryStore::new();
        if let Some(mode) = mode {
            set_mode(&store, mode).await;
        }
        let result = go(by_mode(&store), &mailbox(12), &fake, &store).await;
        assert!(result.error.is_none(), "{mode:?}: {:?}", result.error);
        let r = &result.report;
        assert_eq!(r.published, 12, "{mode:?}");
        assert_eq!(
            r.publish_modes,
            vec![mode.unwrap_or("legacy").to_string()],
            "{mode:?}"
        );
        let legacy_got = drain_keys(&fake, LEGACY_SUB).await;
        let new_got = drain_keys(&fake, SUB).await;
        assert_eq!(!legacy_got.is_empty(), legacy, "{mode:?}");
        assert_eq!(!new_got.is_empty(), new, "{mode:?}");
        if legacy && new {
            // Same batches, same keys, and the parked body inline on the legacy side.
            assert_eq!(
                legacy_got.keys().collect::<Vec<_>>(),
                new_got.keys().collect::<Vec<_>>()
            );
            let legacy_bodies: Vec<&String> = legacy_got.values().flat_map(|v| &v.1).collect();
            assert!(
                legacy_bodies.iter().any(|b| b.len() == 3000),
                "the parked body travels inline"
            );
            assert_eq!(r.messages_by_topic[LEGACY_TOPIC], r.batches);
            assert_eq!(r.messages_by_topic[TOPIC], r.batches);
        }
        // Checkpoints are kept under the e-mail topic whatever the mode.
        let users = vec!["u1".to_string(), "u2".to_string()];
        let checkpoints = checkpoint::load_all(&store, TOPIC, &users).await.unwrap();
        assert!(checkpoints.values().all(|c| c.complete), "{mode:?}");
    }
}

#[tokio::test]
async fn a_flag_change_during_the_run_is_followed() {
    let fake = fake_both().await;
    let store = MemoryStore::new();
    set_mode(&store, "new").await;
    let mut options = by_mode(&store);
    options.selection.batch_size = 1;
    let sinks = Sinks {
        publisher: BoundedPublisher::new(Arc::new(fake.clone()), 2),
        store: Arc::new(store.clone()),
        trace: None,
    };
    // The source hands out one record at a time and flips the flag half way.
    let source = FlagFlipping {
        inner: source(&mailbox(12)),
        pending: Vec::new(),
        given: 0,
        flip_after: 6,
        store: store.clone(),
    };
    let result = run(
        options,
        Box::new(source),
        Some(sinks),
        None,
        Arc::new(Silent),
        CancellationToken::new(),
    )
    .await;
    assert!(result.error.is_none(), "{:?}", result.error);
    assert_eq!(result.report.publish_modes, ["new", "dual"]);
    let legacy_got = drain_keys(&fake, LEGACY_SUB).await;
    let new_got = drain_keys(&fake, SUB).await;
    assert_eq!(new_got.len() as u64, result.report.batches);
    assert!(!legacy_got.is_empty() && (legacy_got.len() as u64) < result.report.batches);
    assert!(legacy_got.keys().all(|k| new_got.contains_key(k)));
}

/// Yields the records of `inner` one per chunk and sets the mode to `dual` after some.
struct FlagFlipping {
    inner: Box<dyn source::Source>,
    pending: Vec<source::SourceItem>,
    given: usize,
    flip_after: usize,
    store: MemoryStore,
}

#[async_trait::async_trait]
impl source::Source for FlagFlipping {
    fn label(&self) -> String {
        "flipping".into()
    }
    fn replayable(&self) -> bool {
        true
    }
    async fn next_chunk(&mut self) -> Result<Option<Vec<source::SourceItem>>, source::SourceError> {
        while self.pending.is_empty() {
            match self.inner.next_chunk().await? {
                Some(mut items) => {
                    items.reverse();
                    self.pending = items;
                }
                None => return Ok(None),
            }
        }
        self.given += 1;
        if self.given == self.flip_after {
            set_mode(&self.store, "dual").await;
        }
        // Give the producer time to publish what it has before the next record arrives.
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok(self.pending.pop().map(|item| vec![item]))
    }
}

#[tokio::test]
async fn a_legacy_copy_over_the_limit_stops_the_run_naming_the_batch() {
    let fake = fake_both().await;
    let store = MemoryStore::new();
    set_mode(&store, "dual").await;
    let mut options = by_mode(&store);
    // The 3,000-byte body is parked for the new message, but inline it is over the limit.
    options.claim_check.max_message_bytes = 2500;
    let result = go(options, &mailbox(12), &fake, &store).await;
    let error = result.error.expect("an error");
    let text = format!("{error}: {}", std::error::Error::source(&error).unwrap());
    assert!(
        text.contains("publish mode `dual`") && text.contains("2500-byte"),
        "{text}"
    );
    assert_eq!(result.report.outcome, Outcome::Failed);
}
