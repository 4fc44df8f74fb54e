//! Re-feeding documents (`officectl reindex --source …` and `--from-vespa`): events from a
//! file, stdin or a subscription turned into documents by the model's factory, or documents
//! visited from Vespa brought to the current shape — fed with the [feed engine](super::feed).
//!
//! A [`Source`] produces [`Unit`]s: the operations of one event line, one message, or one
//! visited page, with what to [`Commit`] once they are all fed. [`run`] registers each unit
//! with the run core's [`Tracker`](crate::run::settle::Tracker), feeds the operations
//! (rate-limited by a token bucket with `--rate`), and hands settled units to the source's
//! [`commit::Committer`], which acks messages or advances the checkpoint written to Redis.
//! Nothing here prints; counts are in [`Counters`] (polled for progress) and the result is a
//! [`RefeedReport`].

pub mod commit;
pub mod convert;
pub mod file;
pub mod from_vespa;
pub mod plan;
mod report;
pub mod subscription;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::mpsc;

use super::checkpoint::{self, Checkpoint, CheckpointError};
use super::feed::{FeedConfig, FeedHooks, FeedOutcome, InputItem, Operation, Progress, Transport};
use super::rate::TokenBucket;
use crate::model::catalog::DataType;
use crate::model::store::KeyValueStore;
use crate::pubsub::{Delivery, PubSubError};
use crate::run::CancellationToken;
use crate::run::failpoint::{self, Failpoints, Site};
use crate::run::settle::Tracker;
use commit::{Committer, Settled};

pub use report::RefeedReport;

/// What a unit's success moves forward.
pub enum Commit {
    /// Line `line` (1-based) of a file, the `index`th read by this run; `end` is the offset
    /// after it.
    Line { index: u64, line: u64, end: u64 },
    /// A message: acknowledged once its operations are fed, else left for redelivery.
    Message(Delivery),
    /// A message whose idempotency key a consumer claimed (`begin`): on success the key is
    /// marked done, then the message acked; on failure the claim is released and the message
    /// nacked, so a redelivery retries at once.
    Claimed {
        delivery: Delivery,
        data_type: DataType,
        key: String,
        /// The subscription it came from and when it arrived (for metrics and logs).
        subscription: String,
        received: std::time::Instant,
        /// What `officectl trace` is told once it is done.
        traced: Box<crate::trail::Traced>,
    },
    /// Page `index` of visit stream `stream`; the stream goes on at `continuation` (`None`:
    /// finished).
    Page {
        stream: usize,
        index: u64,
        continuation: Option<String>,
    },
}

/// The operations of one piece of input, committed together.
pub struct Unit {
    pub ops: Vec<Operation>,
    /// The unit already failed (a document that cannot be transformed, a payload that cannot
    /// be fetched): whatever the feed does, it does not count as fed.
    pub failed: bool,
    pub commit: Commit,
}

/// The users and types to re-feed; empty means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub users: BTreeSet<String>,
    pub types: BTreeSet<DataType>,
}

impl Filter {
    pub fn matches(&self, user: &str, data_type: DataType) -> bool {
        (self.users.is_empty() || self.users.contains(user))
            && (self.types.is_empty() || self.types.contains(&data_type))
    }
}

/// Something that could not be fed, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// ``events.ndjson` line 12``, ``message `123` ``, ``document `id:…` ``.
    pub at: String,
    pub message: String,
}

/// Problems kept for the report; the rest are counted only.
pub const MAX_PROBLEMS: usize = 100;

/// What the sources saw, beyond the operations they produced; polled for progress.
#[derive(Debug, Default)]
pub struct Counters {
    /// Events (file lines with content), messages, or documents visited.
    pub read: AtomicU64,
    /// Visit pages fetched.
    pub pages: AtomicU64,
    /// Events of a type this build does not know.
    pub skipped_unknown: AtomicU64,
    /// Events or messages of users or types not selected.
    pub filtered: AtomicU64,
    /// Events that are invalid, or visited documents that cannot be brought to the current
    /// shape: not fed, counted as failed.
    pub invalid: AtomicU64,
    /// Visited documents whose shape changed (fields filled, converted, renamed or dropped).
    pub upgraded: AtomicU64,
    /// Fields dropped from visited documents because their type no longer has them.
    pub dropped_fields: AtomicU64,
    pub acked: AtomicU64,
    /// Messages left for redelivery (nacked): failed, filtered, invalid, or a dry run.
    pub left: AtomicU64,
    /// Units whose operations did not all succeed.
    pub units_failed: AtomicU64,
    problems: Mutex<Vec<Problem>>,
}

impl Counters {
    /// Records a problem (the first [`MAX_PROBLEMS`] are kept).
    pub fn problem(&self, at: impl Into<String>, message: impl Into<String>) {
        if let Ok(mut problems) = self.problems.lock()
            && problems.len() < MAX_PROBLEMS
        {
            problems.push(Problem {
                at: at.into(),
                message: message.into(),
            });
        }
    }

    pub fn problems(&self) -> Vec<Problem> {
        self.problems.lock().map(|p| p.clone()).unwrap_or_default()
    }

    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// Adds one to a counter.
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A source could not go on; what it sent before is still fed and committed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{input}`: {source}")]
    Open {
        input: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read `{input}` after line {line}: {source}")]
    Read {
        input: String,
        line: u64,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Visit(#[from] super::visit::VisitError),
    #[error(transparent)]
    PubSub(#[from] PubSubError),
    /// A consumer cannot decide what to read (e.g. a read flag holds an unknown value).
    #[error("{0}")]
    Consumer(String),
}

/// Produces units.
#[async_trait]
pub trait Source: Send {
    /// Sends units to `units` until the input ends, `cancel` fires or the receiver is gone. An
    /// error stops the run (what was sent is still fed and committed).
    async fn run(
        &mut self,
        units: mpsc::Sender<Unit>,
        cancel: &CancellationToken,
    ) -> Result<(), SourceError>;

    /// Called when every unit sent is settled or dropped: release what is held (e.g. send
    /// pending acknowledgements).
    async fn close(&mut self) {}
}

/// The failpoints a re-feed acts on (`OFFICECTL_FAILPOINT`), when the `n`th unit settles.
pub const FAILPOINT_SITES: [Site; 2] = [
    Site::ReindexAbortAfterUnits,
    Site::ReindexInterruptAfterUnits,
];

/// Where checkpoints go.
pub struct CheckpointSink {
    pub store: Arc<dyn KeyValueStore>,
    /// The checkpoint as of the start of this run (position, counts, start time).
    pub checkpoint: Checkpoint,
    /// Write at most this often (the final write always happens). Zero: after every move.
    pub every: Duration,
}

/// How to run.
pub struct Options {
    pub feed: FeedConfig,
    /// Operations per second (`--rate`).
    pub rate: Option<f64>,
    /// Read, convert and count; feed nothing, ack nothing, write no checkpoint.
    pub dry_run: bool,
    pub failpoints: Failpoints,
    /// Told of every operation as it finishes (`true`: fed or settled), e.g. for metrics.
    pub observe: Option<Observer>,
}

/// See [`Options::observe`].
pub type Observer = Arc<dyn Fn(&Operation, bool) + Send + Sync>;

/// The caller's handles on a run: counters and progress to poll while it runs, and the
/// cancellation token (Ctrl-C) to stop it.
#[derive(Clone, Default)]
pub struct Handles {
    pub counters: Arc<Counters>,
    pub progress: Arc<Progress>,
    pub cancel: CancellationToken,
}

/// Re-feeds what `source` produces through `transport`, committing with `committer`.
pub async fn run<T: Transport>(
    transport: Arc<T>,
    mut source: Box<dyn Source>,
    mut committer: Box<dyn Committer>,
    mut sink: Option<CheckpointSink>,
    options: Options,
    handles: Handles,
) -> RefeedReport {
    let Handles {
        counters,
        progress,
        cancel,
    } = handles;
    let started = Instant::now();
    let (unit_tx, mut unit_rx) = mpsc::channel::<Unit>(8);
    let (op_tx, op_rx) = mpsc::channel::<InputItem>(4096);
    let (settle_tx, mut settle_rx) = mpsc::unbounded_channel::<Settled>();
    let tracker = Arc::new(Mutex::new(Tracker::<Commit>::default()));
    let dry_ops = AtomicU64::new(0);
    let dry_run = options.dry_run;

    let source_run = source.run(unit_tx, &cancel);

    // Registers each unit, then hands its operations to the feed.
    let dispatch = {
        let tracker = tracker.clone();
        let settle_tx = settle_tx.clone();
        let cancel = cancel.clone();
        let dry_ops = &dry_ops;
        let progress = progress.clone();
        async move {
            while let Some(unit) = unit_rx.recv().await {
                if cancel.is_cancelled() {
                    break;
                }
                if dry_run {
                    let n = unit.ops.len() as u64;
                    dry_ops.fetch_add(n, Ordering::Relaxed);
                    progress.read.fetch_add(n, Ordering::Relaxed);
                    let _ = settle_tx.send(Settled {
                        ok: !unit.failed,
                        commit: unit.commit,
                    });
                    continue;
                }
                let settled = match tracker.lock() {
                    Ok(mut t) => t.register(
                        unit.ops.iter().map(|op| op.id.as_str()),
                        !unit.failed,
                        unit.commit,
                    ),
                    Err(_) => break,
                };
                if let Some(settled) = settled {
                    let _ = settle_tx.send(settled);
                }
                for op in unit.ops {
                    if op_tx.send(Ok(op)).await.is_err() {
                        return;
                    }
                }
            }
        }
    };

    let hooks = {
        let tracker = tracker.clone();
        let settle_tx = settle_tx.clone();
        let observe = options.observe.clone();
        FeedHooks {
            rate: options.rate.map(|r| TokenBucket::new(r, Instant::now())),
            on_done: Some(Box::new(move |op: &Operation, ok: bool| {
                if let Some(observe) = &observe {
                    observe(op, ok);
                }
                let settled = tracker.lock().ok().and_then(|mut t| t.finished(&op.id, ok));
                if let Some(settled) = settled {
                    let _ = settle_tx.send(settled);
                }
            })),
        }
    };
    drop(settle_tx);
    let feed = async {
        if dry_run {
            drop(op_rx);
            drop(hooks);
            return None;
        }
        Some(
            super::feed::feed_with(transport, op_rx, &options.feed, &progress, &cancel, hooks)
                .await,
        )
    };

    // Settles units: acks, checkpoint positions, the failpoint.
    let commit = async {
        let mut settled_units = 0u64;
        let mut last_write: Option<Instant> = None;
        let mut dirty = false;
        let mut moved = false;
        let mut saved = false;
        let mut checkpoint_error: Option<CheckpointError> = None;
        while let Some(settled) = settle_rx.recv().await {
            settled_units += 1;
            if !settled.ok {
                bump(&counters.units_failed);
            }
            let effect = committer.settle(settled);
            if effect.acked {
                bump(&counters.acked);
            }
            if effect.nacked {
                bump(&counters.left);
            }
            dirty |= effect.moved;
            moved |= effect.moved;
            if options
                .failpoints
                .hit(Site::ReindexAbortAfterUnits, settled_units)
            {
                // Test failpoint: die like a killed process, this unit's checkpoint unwritten.
                failpoint::crash();
            }
            if let Some(sink) = sink.as_mut().filter(|_| !dry_run)
                && dirty
                && checkpoint_error.is_none()
                && last_write.is_none_or(|t| t.elapsed() >= sink.every)
            {
                if let Some(position) = committer.position() {
                    sink.checkpoint.position = position;
                }
                sink.checkpoint.updated_at = checkpoint::now();
                match checkpoint::save(sink.store.as_ref(), &sink.checkpoint).await {
                    Ok(()) => {
                        dirty = false;
                        saved = true;
                        last_write = Some(Instant::now());
                    }
                    Err(err) => {
                        // Stop: going on would feed what no checkpoint will record.
                        checkpoint_error.get_or_insert(err);
                        cancel.cancel();
                    }
                }
            }
            if options
                .failpoints
                .hit(Site::ReindexInterruptAfterUnits, settled_units)
            {
                cancel.cancel();
            }
        }
        (moved, saved, checkpoint_error)
    };

    let (source_result, (), outcome, (moved, mut saved, mut checkpoint_error)) =
        tokio::join!(source_run, dispatch, feed, commit);
    // Units never settled (not sent after Ctrl-C) are dropped before the source closes: a
    // subscription's shutdown waits for every delivered message to be settled or dropped.
    let drained = tracker.lock().map(|mut t| t.drain()).unwrap_or_default();
    let unsettled = drained.len();
    for settled in drained {
        // Released (nacked), never acked or checkpointed: the run did not feed it.
        let effect = committer.settle(settled);
        if effect.nacked {
            bump(&counters.left);
        }
    }
    source.close().await;

    let interrupted = cancel.is_cancelled() && checkpoint_error.is_none();
    let mut outcome = outcome.unwrap_or_else(|| FeedOutcome {
        operations: dry_ops.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        ..FeedOutcome::default()
    });
    outcome.cancelled = interrupted;
    let source_error = source_result.err().map(|e| e.to_string());
    let failed_anything = Counters::get(&counters.units_failed) > 0 || outcome.failed > 0;
    let complete = !interrupted
        && source_error.is_none()
        && checkpoint_error.is_none()
        && !failed_anything
        && unsettled == 0;

    // The final checkpoint: where the run got, and whether it is finished.
    let mut checkpoint_key = None;
    if let Some(sink) = sink.as_mut() {
        if !dry_run && checkpoint_error.is_none() {
            if let Some(position) = committer.position() {
                sink.checkpoint.position = position;
            }
            sink.checkpoint.fed += outcome.ok + outcome.not_found + outcome.condition_not_met;
            sink.checkpoint.complete = complete;
            sink.checkpoint.updated_at = checkpoint::now();
            // A run that failed before doing anything leaves no checkpoint to resume.
            if moved || complete || outcome.operations > 0 {
                match checkpoint::save(sink.store.as_ref(), &sink.checkpoint).await {
                    Ok(()) => saved = true,
                    Err(err) => checkpoint_error = Some(err),
                }
            }
        }
        if saved {
            checkpoint_key = Some(sink.checkpoint.identity.key());
        }
    }

    RefeedReport::build(
        &counters,
        outcome,
        report::RunFacts {
            dry_run,
            interrupted,
            complete: complete && checkpoint_error.is_none(),
            checkpoint: checkpoint_key,
            source_error,
            checkpoint_error: checkpoint_error.map(|e| {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                text
            }),
            elapsed: started.elapsed(),
        },
    )
}

#[cfg(test)]
mod tests;
