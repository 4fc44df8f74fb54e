//! Parity proof: drain a parity subscription on the legacy topic and one on the new topic and
//! compare them by idempotency key and by content. Cutting over is safe only when nothing is
//! missing and every pair carries the same data: a legacy copy that lost an e-mail's body has
//! the right key but the wrong content.
//!
//! Under live traffic, and after a run that was stopped half-way, the comparison is over a
//! window of publish times, so it can pass while producers keep publishing:
//! - it starts at the later of the two sides' oldest messages. Before that, a key on one side
//!   only has a counterpart that never reached this check: the legacy topic's traffic from
//!   before dual publishing began, or the copy an earlier, interrupted run already consumed.
//!   With one side empty there is no start: everything on the other side is missing.
//! - it ends when the check started: each side is read until a message published [`SETTLE`]
//!   after that arrives (or nothing arrives for the idle timeout), and a key whose copies were
//!   all published after the start is not required on the other side.
//!
//! Keys outside the window are counted in the report, never silently dropped.
//!
//! The window's end is this machine's clock; publish times are the server's. A server clock
//! ahead of this one would excuse keys published before the check as "after the window", so
//! each side measures how far ahead the server is at least (a message cannot be published
//! after it is received) and the end moves by that much. The measure is short of the skew by
//! the freshest message's delivery time, so a key published within that time of the start
//! may still be excused; beyond it, a skew cannot make the check more lenient.

use crate::model::event::Event;
use crate::model::{envelope, idempotency};
use crate::pubsub::{MessageSource, PubSubError, ReceivedMessage, receive};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// How long after the check's start a side is still read, so the counterpart of a key
/// published just before the start (the two copies are published one after the other) arrives.
pub const SETTLE: Duration = Duration::from_secs(2);

/// How far to read each side.
#[derive(Debug, Clone)]
pub struct ParityOptions {
    pub legacy_subscription: String,
    pub new_subscription: String,
    pub max_messages: usize,
    pub idle_timeout: Duration,
    /// The end of the window: keys published only after it are not required on both sides,
    /// and a side stops once it reads a message published [`SETTLE`] after it. `None`: read
    /// until idle and compare everything.
    pub until: Option<SystemTime>,
}

/// The comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParityReport {
    pub legacy_messages: usize,
    pub new_messages: usize,
    /// Keys seen on the legacy side only.
    pub missing_in_new: Vec<String>,
    /// Keys seen on the new side only.
    pub missing_in_legacy: Vec<String>,
    /// Keys seen more than once on a side (harmless: consumers dedupe), with their counts.
    pub duplicates_legacy: BTreeMap<String, usize>,
    pub duplicates_new: BTreeMap<String, usize>,
    /// Messages whose key could not be found (no attribute, undecodable body).
    pub unkeyed: usize,
    /// Keys on both sides whose content differs (see [`content_digest`]).
    #[serde(default)]
    pub content_mismatch: Vec<String>,
    /// Keys on one side only, published before the window starts (not missing).
    #[serde(default)]
    pub before_window: usize,
    /// Keys on one side only, published after the check started (not missing).
    #[serde(default)]
    pub after_window: usize,
    /// Keys found on both sides: what the comparison proved.
    #[serde(default)]
    pub compared: usize,
    /// How far the server's clock was seen ahead of this machine's, at least (the window's
    /// end moved by this much).
    #[serde(default)]
    pub server_clock_ahead_ms: u64,
}

impl ParityReport {
    /// Whether every message on each side has its counterpart.
    pub fn passed(&self) -> bool {
        self.missing_in_new.is_empty()
            && self.missing_in_legacy.is_empty()
            && self.unkeyed == 0
            && self.content_mismatch.is_empty()
    }

    /// Each difference: `new lacks `k``, `legacy lacks `k``, `` `k` differs in content``.
    pub fn differences(&self) -> Vec<String> {
        let missing_new = self
            .missing_in_new
            .iter()
            .map(|k| format!("new lacks `{k}`"));
        let missing_legacy = self
            .missing_in_legacy
            .iter()
            .map(|k| format!("legacy lacks `{k}`"));
        let differing = self
            .content_mismatch
            .iter()
            .map(|k| format!("`{k}` differs in content"));
        missing_new.chain(missing_legacy).chain(differing).collect()
    }

    /// One line for journals and errors.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "legacy {} / new {} messages, {} keys on both sides; {} missing in new, {} missing in legacy, {} with different content, {} unkeyed",
            self.legacy_messages,
            self.new_messages,
            self.compared,
            self.missing_in_new.len(),
            self.missing_in_legacy.len(),
            self.content_mismatch.len(),
            self.unkeyed
        );
        if self.before_window > 0 || self.after_window > 0 {
            line.push_str(&format!(
                "; on one side, outside the window: {} older than the other side's oldest, {} published after the check started",
                self.before_window, self.after_window
            ));
        }
        if self.server_clock_ahead_ms > 0 {
            line.push_str(&format!(
                "; the server's clock ran at least {} ms ahead of this machine's (the window's end moved by that)",
                self.server_clock_ahead_ms
            ));
        }
        line
    }
}

/// The message's idempotency key: its attribute, or (legacy producers set none) derived from
/// the decoded event the same way publishers derive it.
pub fn key_of(message: &ReceivedMessage) -> Option<String> {
    if let Some(key) = message.attributes.get(envelope::attr::IDEMPOTENCY_KEY) {
        return Some(key.clone());
    }
    let decoded = envelope::decode_message(&message.data, &message.attributes).ok()?;
    Some(idempotency::message_key(&decoded.event).1)
}

/// What a side saw of one key: how many messages, the digests of their contents and when the
/// first copy was published.
#[derive(Debug, Default)]
struct Seen {
    count: usize,
    digests: std::collections::BTreeSet<String>,
    first_published: Option<SystemTime>,
}

/// One side, read.
#[derive(Debug, Default)]
struct Side {
    keys: BTreeMap<String, Seen>,
    messages: usize,
    unkeyed: usize,
    /// When its oldest message was published.
    oldest: Option<SystemTime>,
    /// Where this side stopped reading because it passed the window: the window's end as it
    /// stood then (`until` plus the server's lead then). `None`: it read until idle.
    read_until: Option<SystemTime>,
}

fn earliest(a: Option<SystemTime>, b: Option<SystemTime>) -> Option<SystemTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A digest of what a reader of either topic gets from a message: the same for an event and
/// its legacy copy when nothing was lost on the way. `None` when the message does not decode.
///
/// E-mails are compared on the fields the legacy shape carries (ids, subject, addresses, body,
/// snippet, labels, attachments, read state, times; not `reply_to`, `is_starred` or
/// `internet_message_id`, which it cannot hold). A body parked by the claim check counts as the
/// SHA-256 its reference carries, which is the SHA-256 of the same JSON inline, so a parked body
/// and the same body inline compare equal without reading Redis. Other types compare their
/// whole event JSON.
pub fn content_digest(message: &ReceivedMessage) -> Option<String> {
    let decoded = envelope::decode_message(&message.data, &message.attributes).ok()?;
    let mut hasher = Sha256::new();
    match &decoded.event {
        Event::Email(event) => {
            hasher.update(event.user_id.as_bytes());
            for email in &event.emails {
                let body_digest = match &email.payload_ref {
                    Some(reference) => reference.sha256.clone(),
                    None => {
                        let body = email.body.clone().unwrap_or(crate::model::fields::Body {
                            mime_type: crate::model::fields::BodyMime::Plain,
                            content: String::new(),
                        });
                        let json = serde_json::to_vec(&Some(body)).ok()?;
                        crate::model::legacy::hex(&Sha256::digest(&json))
                    }
                };
                let visible = serde_json::json!([
                    email.provider_message_id,
                    email.thread_id,
                    email.subject,
                    email.from,
                    email.to,
                    email.cc,
                    email.bcc,
                    email.labels,
                    email.snippet,
                    body_digest,
                    email.attachments,
                    email.is_read,
                    email.received_at,
                    email.updated_at,
                ]);
                hasher.update(serde_json::to_vec(&visible).ok()?);
                hasher.update(b"\n");
            }
        }
        other => hasher.update(serde_json::to_vec(other).ok()?),
    }
    Some(crate::model::legacy::hex(&hasher.finalize()))
}

/// The most a message's publish time was seen after this machine's clock, in milliseconds,
/// shared by both sides so they stop at the same window end.
type Lead = std::sync::atomic::AtomicU64;

fn lead_of(lead: &Lead) -> Duration {
    Duration::from_millis(lead.load(std::sync::atomic::Ordering::SeqCst))
}

async fn drain(
    source: &dyn MessageSource,
    subscription: &str,
    options: &ParityOptions,
    lead: &Lead,
) -> Result<Side, PubSubError> {
    let mut side = Side::default();
    let mut stream = source.subscribe(subscription);
    let mut past_window = false;
    while side.messages < options.max_messages && !past_window {
        let room = (options.max_messages - side.messages).min(500);
        let batch = receive(stream.as_mut(), room, options.idle_timeout).await?;
        if batch.is_empty() {
            break;
        }
        for delivery in batch {
            let message = &delivery.message;
            side.messages += 1;
            side.oldest = earliest(side.oldest, message.publish_time);
            if let Some(published) = message.publish_time {
                if let Ok(ahead) = published.duration_since(SystemTime::now()) {
                    let millis = u64::try_from(ahead.as_millis()).unwrap_or(u64::MAX);
                    lead.fetch_max(millis, std::sync::atomic::Ordering::SeqCst);
                }
                if let Some(until) = options.until {
                    let end = until + lead_of(lead);
                    if published >= end + SETTLE {
                        past_window = true;
                        side.read_until = Some(end);
                    }
                }
            }
            match key_of(message) {
                Some(key) => {
                    let seen = side.keys.entry(key).or_default();
                    seen.count += 1;
                    seen.first_published = earliest(seen.first_published, message.publish_time);
                    if let Some(digest) = content_digest(message) {
                        seen.digests.insert(digest);
                    }
                }
                None => side.unkeyed += 1,
            }
            // Parity subscriptions exist only for this comparison: consume what was read.
            delivery.ack();
        }
    }
    stream.shutdown().await;
    Ok(side)
}

/// Why a key seen on one side only is not missing on the other, if it is not.
enum Excused {
    BeforeWindow,
    AfterWindow,
}

fn excused(seen: &Seen, from: Option<SystemTime>, until: Option<SystemTime>) -> Option<Excused> {
    let published = seen.first_published?;
    if from.is_some_and(|from| published < from) {
        return Some(Excused::BeforeWindow);
    }
    until
        .is_some_and(|until| published > until)
        .then_some(Excused::AfterWindow)
}

/// Reads both sides (concurrently) and compares them.
pub async fn verify(
    source: &dyn MessageSource,
    options: &ParityOptions,
) -> Result<ParityReport, PubSubError> {
    let lead = Lead::new(0);
    let (legacy, new) = tokio::join!(
        drain(source, &options.legacy_subscription, options, &lead),
        drain(source, &options.new_subscription, options, &lead)
    );
    let (legacy, new) = (legacy?, new?);
    let (legacy_keys, new_keys) = (&legacy.keys, &new.keys);
    let ahead = lead_of(&lead);
    let until = options.until.map(|until| until + ahead);
    // Both sides must have messages for the window to have a start.
    let from = match (legacy.oldest, new.oldest) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let (mut before_window, mut after_window) = (0, 0);
    // A key on one side only is required on the other only up to where the other stopped
    // reading: a side that stopped before the lead grew did not read as far.
    let mut one_sided = |keys: &BTreeMap<String, Seen>, other: &Side| {
        let end = match (until, other.read_until) {
            (Some(until), Some(read)) => Some(until.min(read)),
            (until, read) => until.or(read),
        };
        let mut missing = Vec::new();
        for (key, seen) in keys {
            if other.keys.contains_key(key) {
                continue;
            }
            match excused(seen, from, end) {
                Some(Excused::BeforeWindow) => before_window += 1,
                Some(Excused::AfterWindow) => after_window += 1,
                None => missing.push(key.clone()),
            }
        }
        missing
    };
    let missing_in_new = one_sided(legacy_keys, &new);
    let missing_in_legacy = one_sided(new_keys, &legacy);
    let duplicates = |keys: &BTreeMap<String, Seen>| {
        keys.iter()
            .filter(|(_, seen)| seen.count > 1)
            .map(|(k, seen)| (k.clone(), seen.count))
            .collect()
    };
    let content_mismatch = legacy_keys
        .iter()
        .filter_map(|(key, legacy)| {
            let new = new_keys.get(key)?;
            (legacy.digests != new.digests).then(|| key.clone())
        })
        .collect();
    Ok(ParityReport {
        legacy_messages: legacy.messages,
        new_messages: new.messages,
        missing_in_new,
        missing_in_legacy,
        duplicates_legacy: duplicates(legacy_keys),
        duplicates_new: duplicates(new_keys),
        unkeyed: legacy.unkeyed + new.unkeyed,
        content_mismatch,
        before_window,
        after_window,
        compared: legacy_keys
            .keys()
            .filter(|k| new_keys.contains_key(*k))
            .count(),
        server_clock_ahead_ms: u64::try_from(ahead.as_millis()).unwrap_or(u64::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{
        Admin, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
    };

    async fn setup() -> FakePubSub {
        let fake = FakePubSub::new();
        for (topic, sub) in [
            ("email-backfill", "parity-legacy"),
            ("emails", "parity-new"),
        ] {
            let topic = format!("projects/p/topics/{topic}");
            fake.create_topic(&TopicConfig::named(&topic))
                .await
                .unwrap();
            fake.create_subscription(&SubscriptionConfig::new(
                format!("projects/p/subscriptions/{sub}"),
                &topic,
            ))
            .await
            .unwrap();
        }
        fake
    }

    fn keyed(key: &str) -> OutgoingMessage {
        OutgoingMessage::new("{}").attribute("idempotency_key", key)
    }

    /// Publishes each key to the legacy and the new topic, as dual publishing does.
    async fn dual(fake: &FakePubSub, keys: &[&str]) {
        for key in keys {
            for topic in ["email-backfill", "emails"] {
                fake.publish(&format!("projects/p/topics/{topic}"), keyed(key))
                    .await
                    .unwrap();
            }
        }
    }

    fn options() -> ParityOptions {
        ParityOptions {
            legacy_subscription: "projects/p/subscriptions/parity-legacy".into(),
            new_subscription: "projects/p/subscriptions/parity-new".into(),
            max_messages: 100,
            idle_timeout: Duration::from_millis(30),
            until: None,
        }
    }

    #[tokio::test]
    async fn dual_published_traffic_passes_and_a_legacy_only_message_is_listed() {
        let fake = setup().await;
        dual(&fake, &["a", "b"]).await;
        fake.publish("projects/p/topics/emails", keyed("b"))
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(report.passed(), "{report:?}");
        assert_eq!(report.duplicates_new.get("b"), Some(&2));

        fake.publish("projects/p/topics/email-backfill", keyed("only-legacy"))
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(!report.passed());
        assert_eq!(report.missing_in_new, vec!["only-legacy".to_string()]);
    }

    /// Live traffic: what the legacy topic carried before dual publishing began and what came
    /// after the check started is counted, not missing; a legacy-only key in between is.
    #[tokio::test]
    async fn live_traffic_is_compared_over_a_window() {
        let fake = setup().await;
        let pause = || tokio::time::sleep(Duration::from_millis(5));
        let legacy = "projects/p/topics/email-backfill";
        fake.publish(legacy, keyed("before-dual")).await.unwrap();
        pause().await;
        dual(&fake, &["a", "b"]).await;
        fake.publish(legacy, keyed("not-dual")).await.unwrap();
        pause().await;
        let until = std::time::SystemTime::now();
        pause().await;
        fake.publish(legacy, keyed("after-start")).await.unwrap();
        let options = ParityOptions {
            until: Some(until),
            ..options()
        };
        let report = verify(&fake, &options).await.unwrap();
        assert_eq!(report.missing_in_new, ["not-dual"], "{report:?}");
        assert!(report.missing_in_legacy.is_empty(), "{report:?}");
        assert_eq!((report.before_window, report.after_window), (1, 1));
        // Only the keys on both sides are a proof.
        assert_eq!(report.compared, 2, "{report:?}");
        assert_eq!(report.server_clock_ahead_ms, 0);
        assert!(
            report
                .summary()
                .contains("1 older than the other side's oldest")
        );
    }

    /// A server clock ahead of ours must not excuse a legacy-only key published before the
    /// check as "after the window".
    #[tokio::test]
    async fn a_server_clock_ahead_moves_the_end_of_the_window() {
        let fake = setup().await;
        fake.set_clock_ahead(Duration::from_secs(10));
        let legacy = "projects/p/topics/email-backfill";
        dual(&fake, &["a", "b"]).await;
        fake.publish(legacy, keyed("not-dual")).await.unwrap();
        // The skew is measured to within the delivery time of the freshest message: live
        // traffic published as the check starts.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let options = ParityOptions {
            until: Some(std::time::SystemTime::now()),
            ..options()
        };
        dual(&fake, &["live"]).await;
        let report = verify(&fake, &options).await.unwrap();
        assert_eq!(report.missing_in_new, ["not-dual"], "{report:?}");
        assert_eq!(report.after_window, 0, "{report:?}");
        assert_eq!(report.compared, 3, "{report:?}");
        assert!(
            report.server_clock_ahead_ms >= 9_900,
            "{}",
            report.server_clock_ahead_ms
        );
        assert!(report.summary().contains("ahead of this machine's"));
    }

    /// The events of a dual publish, with the legacy copy's body replaced: the keys match, the
    /// content does not.
    #[tokio::test]
    async fn a_legacy_copy_that_lost_its_body_fails_on_content() {
        use crate::migrate::flags::PublishMode;
        use crate::migrate::publish;
        use crate::model::claim_check::ClaimCheckConfig;

        let path = format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        value["emails"][0]["body"]["content"] = serde_json::Value::from("y".repeat(3000));
        let event = crate::model::validate::validate_value(value).unwrap().event;
        let config = ClaimCheckConfig {
            threshold_bytes: 1000,
            ..Default::default()
        };
        let plan = envelope::plan_message(event, &config).unwrap();
        let routed = publish::route_message(&plan, "p", PublishMode::Dual, 9 << 20).unwrap();
        assert_eq!(routed.len(), 2);

        // The fixed routing: same key, same content (the parked body's digest is the inline one's).
        let fake = setup().await;
        for (topic, plan) in &routed {
            fake.publish(topic, plan.message.clone()).await.unwrap();
        }
        let report = verify(&fake, &options()).await.unwrap();
        assert!(report.passed(), "{report:?}");

        // A legacy copy without the body, as dual publishing used to send.
        let mut lossy = routed[0].1.message.clone();
        let mut legacy: serde_json::Value = serde_json::from_slice(&lossy.data).unwrap();
        legacy["emails"][0].as_object_mut().unwrap().remove("body");
        lossy.data = serde_json::to_vec(&legacy).unwrap().into();
        fake.publish(&routed[0].0, lossy).await.unwrap();
        fake.publish(&routed[1].0, routed[1].1.message.clone())
            .await
            .unwrap();
        let report = verify(&fake, &options()).await.unwrap();
        assert!(!report.passed(), "{report:?}");
        assert_eq!(report.content_mismatch.len(), 1, "{report:?}");
        assert!(report.missing_in_new.is_empty() && report.missing_in_legacy.is_empty());
    }
}
