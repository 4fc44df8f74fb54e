//! The run loop: source → batcher → encode/park → pipelined publish → acknowledge, checkpoint.
//!
//! Three tasks cooperate. The source runs ahead (bounded channel). The producer (this
//! function's own task) batches, encodes, parks bodies and hands each message to the
//! [`BoundedPublisher`], which blocks once `max_in_flight` messages await the server. The
//! completion task awaits publishes in the order they were made, retries transient failures,
//! then writes the user's checkpoint and acknowledges Pub/Sub source messages. Because a
//! user's batches complete in publish order, a checkpoint always covers a prefix of them.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::batch::{self, Batch, Batcher, Selection, Skip};
use super::checkpoint::{self, Checkpoint, CheckpointError, RunIdentity};
use super::report::{self, BackfillReport, Counters, Outcome, Snapshot, UserSummary};
use super::routing::{FlagError, ModeFollower, Routing};
use super::source::{AckGroup, Position, Reject, Source, SourceError, SourceItem};
use crate::migrate::flags::PublishMode;
use crate::migrate::publish::{self, RouteError};
use crate::model::claim_check::{self, ClaimCheckConfig, ClaimCheckError};
use crate::model::common::SyncType;
use crate::model::envelope::{self, PlannedMessage};
use crate::model::events::email::{EmailEvent, EmailEventTag};
use crate::model::store::{KeyValueStore, StoreError};
use crate::pubsub::{BoundedPublisher, ErrorKind, OutgoingMessage, PendingPublish, PubSubError};
use crate::retry::{self, Backoff, Verdict};
use crate::run::CancellationToken;
use crate::run::checkpoint::now;
use crate::run::failpoint::{self, Failpoints, Site};
use crate::run::progress::{Reporter, Ticker};

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
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BackfillError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Publish(Box<PublishFailed>),
    #[error("cannot park the bodies of batch `{batch_id}` in Redis")]
    Park {
        batch_id: String,
        #[source]
        source: StoreError,
    },
    #[error("cannot encode batch `{batch_id}` (user `{user}`)")]
    Encode {
        batch_id: String,
        user: String,
        #[source]
        source: ClaimCheckError,
    },
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error(transparent)]
    Flag(#[from] FlagError),
    #[error("cannot publish batch `{batch_id}` (user `{user}`) under publish mode `{mode}`")]
    Route {
        batch_id: String,
        user: String,
        mode: PublishMode,
        #[source]
        source: RouteError,
    },
    #[error("{position} of `{input}` is invalid (`--strict`): {reason}")]
    Strict {
        input: String,
        position: Position,
        reason: String,
    },
    #[error(
        "the input differs from the checkpointed run: the batches of user `{user}` up to batch {index} (now `{found}`, checkpointed `{expected}`) are not the ones acknowledged"
    )]
    InputChanged {
        user: String,
        index: u64,
        expected: String,
        found: String,
    },
    #[error("cannot write rejected records")]
    Rejects(#[source] std::io::Error),
}

/// A batch could not be published, retries included.
#[derive(Debug, thiserror::Error)]
#[error("cannot publish batch `{batch_id}` (user `{user}`, batch {index}) to `{topic}`")]
pub struct PublishFailed {
    pub topic: String,
    pub batch_id: String,
    pub user: String,
    pub index: u64,
    #[source]
    pub source: PubSubError,
}

/// The summary, and the error that ended the run early (none when complete or interrupted).
#[derive(Debug)]
pub struct RunResult {
    pub report: BackfillReport,
    pub error: Option<BackfillError>,
}

/// One line of the `--rejects` file.
#[derive(Serialize)]
struct RejectLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    position: &'a Position,
    reason: String,
    problems: &'a [crate::model::validate::Problem],
    record: &'a str,
}

struct InFlight {
    user: String,
    index: u64,
    batch_id: String,
    emails: u64,
    bytes: u64,
    parked: u64,
    last_position: Position,
    /// One message per destination topic (two under dual publishing); the batch is
    /// acknowledged when every one is.
    copies: Vec<Copy>,
    acks: Vec<Arc<AckGroup>>,
}

/// One published message of a batch.
struct Copy {
    topic: String,
    message: OutgoingMessage,
    completion: PendingPublish,
}

/// Runs a backfill to the end of `source`, until `cancel`, or until an error.
pub async fn run(
    options: Options,
    mut source: Box<dyn Source>,
    sinks: Option<Sinks>,
    mut rejects: Option<Box<dyn Write + Send>>,
    reporter: Arc<dyn Reporter<Snapshot>>,
    cancel: CancellationToken,
) -> RunResult {
    let started = Instant::now();
    let counters = Arc::new(Counters::default());
    let input = source.input_progress();
    let source_label = source.label();
    let replayable = source.replayable();

    let ticker = {
        let (counters, input) = (counters.clone(), input.clone());
        Ticker::start(
            options.progress_interval,
            move |elapsed| report::snapshot(&counters, input.as_ref(), elapsed.as_secs_f64()),
            reporter,
            cancel.clone(),
        )
    };

    // Replayable sources are read again from the start and the acknowledged batches skipped;
    // a subscription continues numbering after them.
    let acked: BTreeMap<String, u64> = options
        .resume_from
        .iter()
        .map(|(u, c)| (u.clone(), c.acked_batches))
        .collect();
    let (index_base, skip_below) = if replayable {
        (BTreeMap::new(), acked)
    } else {
        (acked, BTreeMap::new())
    };
    let mut batcher = Batcher::new(options.selection.clone(), &index_base);
    let mut users: BTreeMap<String, UserSummary> = options
        .selection
        .users
        .iter()
        .map(|u| (u.clone(), UserSummary::default()))
        .collect();

    // The reader hands the source back when told to stop, so it can be closed (a subscription
    // flushes its acknowledgements) once every batch is settled.
    let (chunk_tx, mut chunk_rx) = tokio::sync::mpsc::channel(4);
    let (stop_reader, mut reader_stopped) = tokio::sync::oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        loop {
            let chunk = tokio::select! {
                chunk = source.next_chunk() => chunk,
                _ = &mut reader_stopped => break,
            };
            let end = !matches!(chunk, Ok(Some(_)));
            if chunk_tx.send(chunk).await.is_err() || end {
                break;
            }
        }
        source
    });

    // The completion task stops the producer through `stop` when a batch cannot be published.
    let stop = CancellationToken::new();
    let (flight_tx, flight_rx) = tokio::sync::mpsc::unbounded_channel::<InFlight>();
    let completer = sinks.clone().map(|sinks| {
        let checkpoints = initial_checkpoints(&options);
        tokio::spawn(complete(
            flight_rx,
            sinks,
            options.clone(),
            checkpoints,
            counters.clone(),
            stop.clone(),
        ))
    });

    let mut error: Option<BackfillError> = None;
    let mut interrupted = false;
    let mut finished_input = false;
    let mut batches = Vec::new();
    let mut paced: u64 = 0;
    let mut chains: BTreeMap<String, String> = BTreeMap::new();
    let mut follower = match &options.routing {
        Routing::Topic(_) => None,
        Routing::PublishMode { flags, refresh, .. } => {
            Some(ModeFollower::new(flags.clone(), *refresh))
        }
    };
    let mut dry_topics: BTreeMap<String, u64> = BTreeMap::new();
    'read: loop {
        let chunk = tokio::select! {
            biased;
            () = cancel.cancelled() => { interrupted = true; break 'read; }
            () = stop.cancelled() => break 'read,
            chunk = chunk_rx.recv() => chunk,
        };
        match chunk {
            None | Some(Ok(None)) => {
                batcher.finish(&mut batches);
                finished_input = true;
            }
            Some(Err(err)) => {
                error = Some(err.into());
                break 'read;
            }
            Some(Ok(Some(items))) => {
                for item in items {
                    if let Err(err) = take_item(
                        item,
                        &mut batcher,
                        &mut batches,
                        &counters,
                        &mut rejects,
                        &options,
                        &source_label,
                    ) {
                        error = Some(err);
                        break 'read;
                    }
                }
            }
        }
        for batch in batches.drain(..) {
            if cancel.is_cancelled() {
                interrupted = true;
                break 'read;
            }
            if stop.is_cancelled() {
                break 'read;
            }
            let result = produce(
                batch,
                &options,
                sinks.as_ref(),
                &skip_below,
                &mut chains,
                &counters,
                &mut users,
                &flight_tx,
                started,
                &mut paced,
                &cancel,
                Destinations {
                    follower: follower.as_mut(),
                    dry_topics: &mut dry_topics,
                },
            )
            .await;
            if let Err(err) = result {
                error = Some(err);
                break 'read;
            }
        }
        if finished_input {
            break;
        }
    }
    let _ = stop_reader.send(());
    drop(chunk_rx);
    drop(flight_tx);
    drop(batches);
    if let Some(rejects) = rejects.as_mut()
        && let Err(err) = rejects.flush()
    {
        error.get_or_insert(BackfillError::Rejects(err));
    }
    if let Some(sinks) = &sinks {
        sinks.publisher.flush().await;
    }
    let mut acked_now = BTreeMap::new();
    let mut messages_by_topic = dry_topics;
    if let Some(completer) = completer {
        match completer.await {
            Ok((acked, by_topic, completion_error)) => {
                acked_now = acked;
                messages_by_topic = by_topic;
                if let Some(err) = completion_error {
                    // The publish failure is the cause; anything the producer saw after it is
                    // a consequence.
                    error = Some(err);
                }
            }
            Err(join) => {
                error.get_or_insert(BackfillError::Source(SourceError::Read {
                    input: source_label.clone(),
                    source: std::io::Error::other(format!("completion task failed: {join}")),
                }));
            }
        }
    }
    for (user, checkpoint) in &acked_now {
        if let Some(summary) = users.get_mut(user) {
            summary.acked_batches = checkpoint.acked_batches;
        }
    }
    let complete = finished_input && error.is_none() && !interrupted;
    if complete && let Some(sinks) = &sinks {
        let mut finals = initial_checkpoints(&options);
        finals.extend(acked_now);
        for (user, mut checkpoint) in finals {
            checkpoint.complete = true;
            checkpoint.updated_at = now();
            if let Err(err) =
                checkpoint::save(sinks.store.as_ref(), &options.topic, &user, &checkpoint).await
            {
                error = Some(err.into());
                break;
            }
        }
    }
    // Open batches (after an interrupt) hold source messages: release them before closing.
    drop(batcher);
    if let Ok(mut source) = reader.await
        && tokio::time::timeout(Duration::from_secs(30), source.close())
            .await
            .is_err()
    {
        error.get_or_insert(BackfillError::Source(SourceError::Read {
            input: source_label.clone(),
            source: std::io::Error::other("the source did not close within 30 s"),
        }));
    }
    ticker.finish();
    let elapsed = started.elapsed().as_secs_f64();
    let outcome = if error.is_some() {
        Outcome::Failed
    } else if interrupted || !finished_input {
        Outcome::Interrupted
    } else {
        Outcome::Complete
    };
    let mut report = BackfillReport {
        correlation_id: options.correlation_id.clone(),
        source: source_label,
        topic: options.topic.clone(),
        dry_run: options.dry_run,
        resumed: !options.resume_from.is_empty(),
        outcome,
        read: 0,
        published: 0,
        batches: 0,
        bytes: 0,
        claim_checked: 0,
        rejected: 0,
        duplicates_skipped: 0,
        out_of_range: 0,
        other_users_skipped: 0,
        already_published: 0,
        not_published: 0,
        elapsed_secs: 0.0,
        events_per_sec: 0.0,
        publish_modes: follower
            .map(|f| f.seen.iter().map(|m| m.to_string()).collect())
            .unwrap_or_default(),
        messages_by_topic,
        users,
        error: error.as_ref().map(|e| e.to_string()),
    };
    report.fill(&counters, elapsed);
    RunResult { report, error }
}

/// The checkpoint each user starts from: the resumed one, else an empty one.
fn initial_checkpoints(options: &Options) -> BTreeMap<String, Checkpoint> {
    options
        .selection
        .users
        .iter()
        .map(|user| {
            let checkpoint = options
                .resume_from
                .get(user)
                .cloned()
                .unwrap_or(Checkpoint {
                    correlation_id: options.correlation_id.clone(),
                    identity: options.identity.clone(),
                    acked_batches: 0,
                    last_batch_id: None,
                    chain: String::new(),
                    position: None,
                    emails: 0,
                    complete: false,
                    updated_at: now(),
                });
            (user.clone(), checkpoint)
        })
        .collect()
}

fn take_item(
    item: SourceItem,
    batcher: &mut Batcher,
    batches: &mut Vec<Batch>,
    counters: &Counters,
    rejects: &mut Option<Box<dyn Write + Send>>,
    options: &Options,
    input: &str,
) -> Result<(), BackfillError> {
    match item {
        SourceItem::Record {
            record,
            position,
            ack,
        } => {
            Counters::add(&counters.read, 1);
            let skipped = batcher.push(record, position, ack.clone(), batches);
            if let Some(skip) = skipped {
                let counter = match skip {
                    Skip::OtherUser => &counters.other_users,
                    Skip::OutOfRange => &counters.out_of_range,
                    Skip::Duplicate => &counters.duplicates,
                };
                Counters::add(counter, 1);
                if let Some(ack) = ack {
                    if skip == Skip::OtherUser {
                        ack.keep();
                    }
                    // A dry run never settles messages: they stay for the real run.
                    if !options.dry_run {
                        ack.release();
                    }
                }
            }
            Ok(())
        }
        SourceItem::Reject(reject) => {
            Counters::add(&counters.read, 1);
            Counters::add(&counters.rejected, 1);
            let reason = reject
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            if options.strict {
                return Err(BackfillError::Strict {
                    input: input.to_string(),
                    position: reject.position,
                    reason,
                });
            }
            if let Some(out) = rejects.as_mut() {
                write_reject(out.as_mut(), &reject, reason).map_err(BackfillError::Rejects)?;
            }
            if let Some(ack) = &reject.ack
                && !options.dry_run
            {
                ack.release();
            }
            Ok(())
        }
    }
}

fn write_reject(out: &mut dyn Write, reject: &Reject, reason: String) -> std::io::Result<()> {
    let line = RejectLine {
        line: match reject.position {
            Position::Line(n) => Some(n),
            _ => None,
        },
        position: &reject.position,
        reason,
        problems: &reject.problems,
        record: &reject.raw,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// How `produce` finds a batch's topics, and what a dry run counts per topic.
struct Destinations<'a> {
    follower: Option<&'a mut ModeFollower>,
    dry_topics: &'a mut BTreeMap<String, u64>,
}

#[allow(clippy::too_many_arguments)]
async fn produce(
    batch: Batch,
    options: &Options,
    sinks: Option<&Sinks>,
    skip_below: &BTreeMap<String, u64>,
    chains: &mut BTreeMap<String, String>,
    counters: &Counters,
    users: &mut BTreeMap<String, UserSummary>,
    flight: &tokio::sync::mpsc::UnboundedSender<InFlight>,
    started: Instant,
    paced: &mut u64,
    cancel: &CancellationToken,
    destinations: Destinations<'_>,
) -> Result<(), BackfillError> {
    let batch_id = batch::batch_id(&options.correlation_id, &batch);
    let emails = batch.emails.len() as u64;
    let summary = users.entry(batch.user_id.clone()).or_default();
    let skip = skip_below.get(&batch.user_id).copied().unwrap_or(0);
    if batch.index < skip {
        // Acknowledged by an earlier run. The digest over the skipped ids must reach the one
        // the checkpoint recorded, or the input (or selection) changed and skipping by index
        // would lose or repeat e-mails.
        let chain = chains.entry(batch.user_id.clone()).or_default();
        *chain = checkpoint::chain(chain, &batch_id);
        if batch.index + 1 == skip
            && let Some(resumed) = options.resume_from.get(&batch.user_id)
            && !resumed.chain.is_empty()
            && resumed.chain != *chain
        {
            return Err(BackfillError::InputChanged {
                user: batch.user_id,
                index: batch.index,
                expected: resumed.last_batch_id.clone().unwrap_or_default(),
                found: batch_id,
            });
        }
        Counters::add(&counters.already_published, emails);
        summary.resumed_past += 1;
        if !options.dry_run {
            batch.acks.iter().for_each(|a| a.release());
        }
        return Ok(());
    }
    let occurred_at = batch
        .emails
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or_default();
    let event = EmailEvent {
        event_type: EmailEventTag::Tag,
        event_id: batch_id.clone(),
        schema_version: EmailEvent::SCHEMA_VERSION,
        user_id: batch.user_id.clone(),
        provider: batch.provider,
        sync_type: SyncType::BatchSync,
        operation: batch.operation,
        batch_id: Some(batch_id.clone()),
        correlation_id: options.correlation_id.clone(),
        occurred_at,
        emails: Vec::new(),
    };
    let emails_json: Vec<&str> = batch.emails.iter().map(|e| e.json()).collect();
    let mut plan = envelope::plan_encoded_emails(event, &emails_json, &options.claim_check)
        .map_err(|source| BackfillError::Encode {
            batch_id: batch_id.clone(),
            user: batch.user_id.clone(),
            source,
        })?;
    drop(emails_json);
    if !options.ordering {
        plan.message.ordering_key = None;
    }
    let routed =
        route(plan, options, destinations.follower)
            .await
            .map_err(|failure| match failure {
                RouteFailure::Flag(err) => BackfillError::Flag(err),
                RouteFailure::Copy(mode, source) => BackfillError::Route {
                    batch_id: batch_id.clone(),
                    user: batch.user_id.clone(),
                    mode,
                    source,
                },
            })?;
    let bytes = routed
        .iter()
        .map(|(_, p)| p.message.data.len() as u64)
        .sum();
    let parked = routed.iter().map(|(_, p)| p.parked.len() as u64).sum();
    summary.batches += 1;
    summary.published += emails;
    let Some(sinks) = sinks else {
        // Dry run: count what would be published.
        Counters::add(&counters.published, emails);
        Counters::add(&counters.batches, 1);
        Counters::add(&counters.bytes, bytes);
        Counters::add(&counters.claim_checked, parked);
        for (topic, _) in &routed {
            *destinations.dry_topics.entry(topic.clone()).or_default() += 1;
        }
        return Ok(());
    };
    if let Some(rate) = options.rate {
        let due = started + Duration::from_secs_f64(*paced as f64 / rate);
        *paced += emails;
        tokio::select! {
            () = tokio::time::sleep_until(due.into()) => {}
            () = cancel.cancelled() => return Ok(()),
        }
    }
    for (_, plan) in &routed {
        claim_check::store_parked(&plan.parked, sinks.store.as_ref())
            .await
            .map_err(|source| BackfillError::Park {
                batch_id: batch_id.clone(),
                source,
            })?;
    }
    let mut copies = Vec::with_capacity(routed.len());
    for (topic, plan) in routed {
        let completion = sinks.publisher.publish(&topic, plan.message.clone()).await;
        copies.push(Copy {
            topic,
            message: plan.message,
            completion,
        });
    }
    // The completion task only ends after this sender is dropped, so a send cannot fail while
    // the producer runs; if it ever did, the batch is simply not checkpointed.
    let _ = flight.send(InFlight {
        user: batch.user_id,
        index: batch.index,
        batch_id,
        emails,
        bytes,
        parked,
        last_position: batch.last_position,
        copies,
        acks: batch.acks,
    });
    Ok(())
}

/// Why a batch has no destinations.
enum RouteFailure {
    Flag(FlagError),
    Copy(PublishMode, RouteError),
}

/// The batch's destinations: `--topic`, or what the publish mode says. The new mode, the
/// common case, moves the planned message without copying it.
async fn route(
    plan: PlannedMessage,
    options: &Options,
    follower: Option<&mut ModeFollower>,
) -> Result<Vec<(String, PlannedMessage)>, RouteFailure> {
    let (Routing::PublishMode { project, .. }, Some(follower)) = (&options.routing, follower)
    else {
        let topic = match &options.routing {
            Routing::Topic(topic) => topic.clone(),
            Routing::PublishMode { .. } => options.topic.clone(),
        };
        return Ok(vec![(topic, plan)]);
    };
    let mode = follower.current().await.map_err(RouteFailure::Flag)?;
    if mode == PublishMode::New {
        return Ok(vec![(options.topic.clone(), plan)]);
    }
    publish::route_message(&plan, project, mode, options.claim_check.max_message_bytes)
        .map_err(|err| RouteFailure::Copy(mode, err))
}

/// Awaits publishes in order, retrying transient failures, then checkpoints and acknowledges.
/// Returns the last checkpoint per user, the messages acknowledged per topic, and the error
/// that stopped checkpointing, if any.
async fn complete(
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
            if let Err(err) =
                checkpoint::save(sinks.store.as_ref(), &options.topic, &item.user, checkpoint).await
            {
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
