//! A consumer's Prometheus metrics (served on `--listen` at `/metrics`).
//!
//! Labels name the consumer, subscription, outcome and document type only: never a user id,
//! an address or a message id, so the series stay few and carry no personal data.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use crate::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every document of it was fed; acked.
    Fed,
    /// Already loaded (a redelivery, the other copy of a dual-published pair); acked.
    Duplicate,
    /// An event type this build does not know; acked.
    UnknownType,
    /// Undecodable or invalid; nacked toward the dead-letter topic.
    Poison,
    /// Left for redelivery (a feed, payload or store failure, or another delivery's claim).
    Retried,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Fed => "fed",
            Outcome::Duplicate => "duplicate",
            Outcome::UnknownType => "unknown_type",
            Outcome::Poison => "poison",
            Outcome::Retried => "retried",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MessageLabels {
    consumer: String,
    subscription: String,
    outcome: &'static str,
}

/// `event_type` is the message's attribute when it names a known event type, else `other`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReceivedLabels {
    consumer: String,
    subscription: String,
    event_type: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConsumerLabels {
    consumer: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FeedLabels {
    r#type: String,
    outcome: &'static str,
}

/// What contact discovery did with one changed contact: `outcome` is `pushed` or `suppressed`,
/// `reason` the push rule's (`new`, `moved`, `entered_top`; `too_few_interactions`,
/// `debounced`, `small_change`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ContactLabels {
    consumer: String,
    outcome: &'static str,
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PlanLabels {
    plan: String,
}

type HistogramFamily = Family<ConsumerLabels, Histogram, fn() -> Histogram>;

/// One consumer process's metrics.
pub struct ConsumerMetrics {
    consumer: String,
    registry: Registry,
    messages: Family<MessageLabels, Counter>,
    received: Family<ReceivedLabels, Counter>,
    processing: HistogramFamily,
    feed_operations: Family<FeedLabels, Counter>,
    inflight: Family<ConsumerLabels, Gauge>,
    contacts_discovered: Family<ConsumerLabels, Counter>,
    contact_updates: Family<ContactLabels, Counter>,
    contact_scores: HistogramFamily,
    migration_locks: Family<PlanLabels, Gauge<f64, AtomicU64>>,
}

fn score_histogram() -> Histogram {
    // 0.01 to about 650: one weak interaction long ago to hundreds of recent ones.
    Histogram::new(exponential_buckets(0.01, 2.0, 17))
}

fn processing_histogram() -> Histogram {
    // 1 ms to about 65 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

impl ConsumerMetrics {
    pub fn new(consumer: &str) -> ConsumerMetrics {
        ConsumerMetrics::new_with(consumer, |_| {})
    }

    /// The consumer's metrics and those `more` registers beside them (fe-sse's SSE metrics).
    pub fn new_with(consumer: &str, more: impl FnOnce(&mut Registry)) -> ConsumerMetrics {
        let mut registry = Registry::default();
        more(&mut registry);
        let messages = Family::<MessageLabels, Counter>::default();
        registry.register(
            "officectl_consumer_messages",
            "Messages a consumer settled, by subscription and outcome",
            messages.clone(),
        );
        let received = Family::<ReceivedLabels, Counter>::default();
        registry.register(
            "officectl_consumer_received",
            "Messages a consumer received, by subscription and event type (redeliveries too)",
            received.clone(),
        );
        let processing: HistogramFamily = Family::new_with_constructor(processing_histogram);
        registry.register(
            "officectl_consumer_processing_seconds",
            "Time from a message's receipt to its acknowledgement or nack",
            processing.clone(),
        );
        let feed_operations = Family::<FeedLabels, Counter>::default();
        registry.register(
            "officectl_vespa_feed_operations",
            "Vespa feed operations a consumer settled, by document type and outcome",
            feed_operations.clone(),
        );
        let inflight = Family::<ConsumerLabels, Gauge>::default();
        registry.register(
            "officectl_consumer_inflight_messages",
            "Messages received and not yet acknowledged or nacked",
            inflight.clone(),
        );
        let contacts_discovered = Family::<ConsumerLabels, Counter>::default();
        registry.register(
            "officectl_contacts_discovered",
            "Contacts contact discovery saw for the first time",
            contacts_discovered.clone(),
        );
        let contact_updates = Family::<ContactLabels, Counter>::default();
        registry.register(
            "officectl_contact_updates",
            "Changed contacts, pushed to Vespa or suppressed by the push rule, by reason",
            contact_updates.clone(),
        );
        let contact_scores: HistogramFamily = Family::new_with_constructor(score_histogram);
        registry.register(
            "officectl_contact_score",
            "Relevance scores of changed contacts, at the change",
            contact_scores.clone(),
        );
        let migration_locks = Family::<PlanLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "officectl_migration_lock_age_seconds",
            "How long each held migration plan lock has been held (a series only while held)",
            migration_locks.clone(),
        );
        ConsumerMetrics {
            consumer: consumer.to_string(),
            registry,
            messages,
            received,
            processing,
            feed_operations,
            inflight,
            contacts_discovered,
            contact_updates,
            contact_scores,
            migration_locks,
        }
    }

    fn consumer(&self) -> ConsumerLabels {
        ConsumerLabels {
            consumer: self.consumer.clone(),
        }
    }

    /// A message arrived on `subscription` with the `event_type` attribute given.
    pub fn received(&self, subscription: &str, event_type: Option<&str>) {
        let event_type = event_type
            .and_then(|name| {
                DataType::from_event_type(name)
                    .map(DataType::event_type)
                    .or((name == LEGACY_EMAIL_EVENT_TYPE).then_some(LEGACY_EMAIL_EVENT_TYPE))
            })
            .unwrap_or("other");
        self.received
            .get_or_create(&ReceivedLabels {
                consumer: self.consumer.clone(),
                subscription: subscription.to_string(),
                event_type,
            })
            .inc();
    }

    /// A message settled with `outcome`, `took` after its receipt.
    pub fn message(&self, subscription: &str, outcome: Outcome, took: Duration) {
        self.messages
            .get_or_create(&MessageLabels {
                consumer: self.consumer.clone(),
                subscription: subscription.to_string(),
                outcome: outcome.label(),
            })
            .inc();
        self.processing
            .get_or_create(&self.consumer())
            .observe(took.as_secs_f64());
    }

    /// A feed operation on a document of `doc_type` finished (`ok`: fed or settled).
    pub fn feed_operation(&self, doc_type: &str, ok: bool) {
        self.feed_operations
            .get_or_create(&FeedLabels {
                r#type: doc_type.to_string(),
                outcome: if ok { "ok" } else { "failed" },
            })
            .inc();
    }

    /// A message entered (`+1`) or left (`-1`) the pipeline.
    pub fn inflight(&self, change: i64) {
        self.inflight.get_or_create(&self.consumer()).inc_by(change);
    }

    /// Contact discovery changed a contact (`discovered`: seen for the first time) to `score`;
    /// the push rule decided `outcome` (`pushed` or `suppressed`) for `reason`.
    pub fn contact_change(
        &self,
        discovered: bool,
        outcome: &'static str,
        reason: &'static str,
        score: f64,
    ) {
        if discovered {
            self.contacts_discovered
                .get_or_create(&self.consumer())
                .inc();
        }
        self.contact_updates
            .get_or_create(&ContactLabels {
                consumer: self.consumer.clone(),
                outcome,
                reason,
            })
            .inc();
        self.contact_scores
            .get_or_create(&self.consumer())
            .observe(score);
    }

    /// The migration plan locks held now, `(plan, seconds held)`; a released lock's series goes.
    pub fn migration_locks(&self, held: &[(String, f64)]) {
        self.migration_locks.clear();
        for (plan, seconds) in held {
            self.migration_locks
                .get_or_create(&PlanLabels { plan: plan.clone() })
                .set(*seconds);
        }
    }

    /// The metrics in Prometheus' text exposition format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_encode_with_their_labels_and_no_other() {
        let m = ConsumerMetrics::new("vespa-loader");
        m.message(
            "vespa-loader-emails",
            Outcome::Fed,
            Duration::from_millis(3),
        );
        m.message(
            "vespa-loader-emails",
            Outcome::Fed,
            Duration::from_millis(5),
        );
        m.message("vespa-loader-emails", Outcome::Poison, Duration::ZERO);
        m.feed_operation("email", true);
        m.inflight(2);
        m.inflight(-1);
        let text = m.encode();
        assert!(
            text.contains(
                r#"officectl_consumer_messages_total{consumer="vespa-loader",subscription="vespa-loader-emails",outcome="fed"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"outcome="poison"} 1"#), "{text}");
        assert!(
            text.contains(r#"officectl_vespa_feed_operations_total{type="email",outcome="ok"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"officectl_consumer_inflight_messages{consumer="vespa-loader"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"officectl_consumer_processing_seconds_count{consumer="vespa-loader"} 3"#
            ),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");

        m.migration_locks(&[("emails".into(), 90.5)]);
        assert!(
            m.encode()
                .contains(r#"officectl_migration_lock_age_seconds{plan="emails"} 90.5"#),
            "{}",
            m.encode()
        );
        m.migration_locks(&[]);
        assert!(
            !m.encode().contains(r#"plan="emails""#),
            "a released lock's series goes: {}",
            m.encode()
        );
    }
}
