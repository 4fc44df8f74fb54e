//! Publishes settle in the order they were made: each batch's copies are awaited (a transient
//! failure is published again, through [`crate::retry`]), then the user's checkpoint moves over
//! it and the source messages it came from are acknowledged. Because a user's batches complete
//! in publish order, a checkpoint always covers a prefix of them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::checkpoint::{self, Checkpoint};
use super::error::{BackfillError, PublishFailed};
use super::options::{Options, Sinks};
use super::produce::InFlight;
use super::report::Counters;
use crate::model::catalog::DataType;
use crate::pubsub::{BoundedPublisher, ErrorKind, OutgoingMessage, PendingPublish, PubSubError};
use crate::retry::{self, Verdict};
use crate::run::CancellationToken;
use crate::run::checkpoint::now;
use crate::run::failpoint::{self, Site};
use crate::trail::{Entry, PUBLISHED};

/// Awaits publishes in order, retrying transient failures, then checkpoints and acknowledges.
/// Returns the last checkpoint per user, the messages acknowledged per topic, and the error
/// that stopped checkpointing, if any.
pub(super) async fn complete(
    mut flight: tokio::sync::mpsc::UnboundedReceiver<InFlight>,
    sinks: Sinks,
    options: Options,
    mut checkpoints: BTreeMap<String, Checkpoint>,
    counters: Arc<Counters>,
    stop: CancellationToken,
) -> (
    BTreeMap<String, Checkpoint>,
    BTreeMap<String, u64>,
    Option<BackfillError>,
) {
    let mut error: Option<BackfillError> = None;
    let mut done: u64 = 0;
    let mut by_topic: BTreeMap<String, u64> = BTreeMap::new();
    while let Some(item) = flight.recv().await {
        let mut failed = None;
        for copy in item.copies {
            match settle(
                &sinks.publisher,
                &copy.topic,
                &options,
                &copy.message,
                copy.completion,
            )
            .await
            {
                Ok(_) => *by_topic.entry(copy.topic).or_default() += 1,
                Err(source) => {
                    failed.get_or_insert((copy.topic, source));
                }
            }
        }
        if error.is_some() {
            // After a failure nothing more is checkpointed: the checkpoints stay a prefix.
            continue;
        }
        if let Some((topic, source)) = failed {
            error = Some(BackfillError::Publish(Box::new(PublishFailed {
                topic,
                batch_id: item.batch_id,
                user: item.user,
                index: item.index,
                source,
            })));
            stop.cancel();
            continue;
        }
        Counters::add(&counters.published, item.emails);
        Counters::add(&counters.batches, 1);
        Counters::add(&counters.bytes, item.bytes);
        Counters::add(&counters.claim_checked, item.parked);
        done += 1;
        if options.failpoints.hit(Site::BackfillAfterBatch, done) {
            // Test failpoint: die like a killed process, the checkpoint of this batch unwritten.
            failpoint::crash();
        }
        if let Some(checkpoint) = checkpoints.get_mut(&item.user) {
            checkpoint.acked_batches = item.index + 1;
            checkpoint.chain = checkpoint::chain(&checkpoint.chain, &item.batch_id);
            checkpoint.last_batch_id = Some(item.batch_id.clone());
            checkpoint.position = Some(item.last_position.clone());
            checkpoint.emails += item.emails;
            checkpoint.updated_at = now();
            let entry = batch_entry(&item.batch_id, &item.user, item.emails);
            let traced = async {
                let Some(trace) = &sinks.trace else {
                    return;
                };
                if let Err(err) = trace
                    .record(PUBLISHED, &options.correlation_id, &entry)
                    .await
                {
                    tracing::warn!(batch_id = entry.event_id, why = %err,
                        "not recorded for `officectl trace`");
                }
            };
            let (saved, ()) = tokio::join!(
                checkpoint::save(sinks.store.as_ref(), &options.topic, &item.user, checkpoint),
                traced
            );
            if let Err(err) = saved {
                error = Some(err.into());
                stop.cancel();
                continue;
            }
        }
        for ack in &item.acks {
            ack.release();
        }
    }
    (checkpoints, by_topic, error)
}

/// The publish result of one batch, re-publishing it while failures are transient and the
/// retry budget lasts. A failed publish pauses the ordering key, so it is resumed first.
async fn settle(
    publisher: &BoundedPublisher,
    topic: &str,
    options: &Options,
    message: &OutgoingMessage,
    first: PendingPublish,
) -> Result<String, PubSubError> {
    let mut first = Some(first);
    // The run stops publishing from outside; a batch already sent is settled to the end.
    let never = CancellationToken::new();
    retry::retry(
        &options.retry,
        &never,
        |_| {
            let pending = first.take();
            async move {
                match pending {
                    Some(pending) => pending.await,
                    None => {
                        // A failed publish pauses its ordering key until it is resumed.
                        if let Some(key) = &message.ordering_key {
                            publisher.resume(topic, key);
                        }
                        publisher.publish(topic, message.clone()).await.await
                    }
                }
            }
        },
        |err: &PubSubError| {
            if retryable(err) {
                Verdict::RETRY
            } else {
                Verdict::Fail
            }
        },
    )
    .await
    .map_err(retry::Stopped::into_error)
}

fn retryable(err: &PubSubError) -> bool {
    err.kind.is_transient() || err.kind == ErrorKind::OrderingKeyPaused
}

/// What `officectl trace` is told of an acknowledged batch.
fn batch_entry(batch_id: &str, user: &str, emails: u64) -> Entry {
    Entry {
        by: String::new(),
        event_id: batch_id.to_string(),
        event_type: DataType::Email.event_type().to_string(),
        user: user.to_string(),
        doc_type: DataType::Email.vespa_type().to_string(),
        batch_id: Some(batch_id.to_string()),
        delete: false,
        items: emails,
    }
}
