//! fe-sse's Prometheus metrics, registered beside the consumer's own (one `/metrics`).
//!
//! No label carries a user id: `stage` and `reason` are fixed words.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StageLabels {
    stage: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

/// The SSE side's gauges and counters.
#[derive(Clone, Default)]
pub struct SseMetrics {
    connections: Gauge,
    notifications: Family<StageLabels, Counter>,
    auth_failures: Family<ReasonLabels, Counter>,
}

impl SseMetrics {
    /// New metrics, registered in `registry`.
    pub fn register(registry: &mut Registry) -> SseMetrics {
        let metrics = SseMetrics::default();
        registry.register(
            "officectl_sse_connections",
            "Open Server-Sent Events connections",
            metrics.connections.clone(),
        );
        registry.register(
            "officectl_sse_notifications",
            "Notifications appended to users' streams (stage=appended) and sent to connections (stage=sent)",
            metrics.notifications.clone(),
        );
        registry.register(
            "officectl_sse_auth_failures",
            "Refused connections by reason (missing, invalid, expired, forbidden)",
            metrics.auth_failures.clone(),
        );
        metrics
    }

    /// A connection opened (`+1`) or closed (`-1`).
    pub fn connections(&self, change: i64) {
        self.connections.inc_by(change);
    }

    /// `n` notifications appended to streams.
    pub fn appended(&self, n: u64) {
        self.notifications
            .get_or_create(&StageLabels { stage: "appended" })
            .inc_by(n);
    }

    /// `n` notifications written to a connection.
    pub fn sent(&self, n: u64) {
        self.notifications
            .get_or_create(&StageLabels { stage: "sent" })
            .inc_by(n);
    }

    /// A connection refused for `reason`.
    pub fn auth_failure(&self, reason: &'static str) {
        self.auth_failures
            .get_or_create(&ReasonLabels { reason })
            .inc();
    }
}
