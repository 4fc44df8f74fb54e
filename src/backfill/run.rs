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

use super::batch::{Batch, Batcher, Skip};
use super::checkpoint::{self, Checkpoint};
use super::complete::complete;
use super::error::BackfillError;
use super::options::{Options, Sinks};
use super::produce::{Destinations, InFlight, produce};
use super::report::{self, BackfillReport, Counters, Outcome, Snapshot, UserSummary};
use super::routing::{ModeFollower, Routing};
use super::source::{Position, Reject, Source, SourceError, SourceItem};
use crate::run::CancellationToken;
use crate::run::checkpoint::now;
use crate::run::progress::{Reporter, Ticker};

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
