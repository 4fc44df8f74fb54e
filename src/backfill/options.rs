//! What a backfill run is told: its options (resolved by the caller) and where it writes.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::batch::Selection;
use super::checkpoint::{Checkpoint, RunIdentity};
use super::routing::Routing;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::store::KeyValueStore;
use crate::pubsub::BoundedPublisher;
use crate::retry::Backoff;
use crate::run::failpoint::Failpoints;
use crate::trail::TraceRecorder;

/// How a batch whose publish failed with a transient error is retried: from 250 ms, doubling
/// to 10 s, for at most `total` since its first failure.
pub fn publish_retry(total: Duration) -> Backoff {
    Backoff {
        initial: Duration::from_millis(250),
        max: Duration::from_secs(10),
        total: Some(total),
        ..Backoff::default()
    }
}

/// Everything a run needs to know, resolved by the caller.
#[derive(Debug, Clone)]
pub struct Options {
    /// Full name of the topic the checkpoints are kept under: the e-mail topic, or the one
    /// `routing` names.
    pub topic: String,
    /// Where batches are published.
    pub routing: Routing,
    pub selection: Selection,
    pub correlation_id: String,
    pub dry_run: bool,
    /// Set the user id as ordering key.
    pub ordering: bool,
    /// Make the first invalid record fatal.
    pub strict: bool,
    /// E-mails per second, at most.
    pub rate: Option<f64>,
    pub claim_check: ClaimCheckConfig,
    pub retry: Backoff,
    /// The checkpoints being resumed (empty for a fresh run).
    pub resume_from: BTreeMap<String, Checkpoint>,
    pub identity: RunIdentity,
    /// Test-only failure injection ([`Site::BackfillAfterBatch`]: abort once N batches are
    /// acknowledged, before the checkpoint of the last one is written).
    pub failpoints: Failpoints,
    pub progress_interval: Duration,
}

/// Where a real (not dry) run writes.
#[derive(Clone)]
pub struct Sinks {
    pub publisher: BoundedPublisher,
    /// Parked bodies and checkpoints.
    pub store: Arc<dyn KeyValueStore>,
    /// Records each acknowledged batch for `officectl trace`.
    pub trace: Option<TraceRecorder>,
}
