//! Running a rebuild: events from an NDJSON input (file or stdin) or a subscription, folded in
//! order, checkpointed, then written and pushed.
//!
//! A checkpoint holds the whole state and the position reached (lines read, or messages
//! acknowledged). A resumed run skips the lines already read; a subscription's messages are
//! acknowledged only after a checkpoint holds them, so a crash redelivers what the checkpoint
//! lacks, and the idempotency keys in the state count each event once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::time::{Duration, Instant};

use super::item::Item;
use super::{Rebuild, RebuildCounts};
use crate::contacts::push::{self, Origin};
use crate::contacts::store::{ContactStore, ContactStoreError};
use crate::migrate::routed::RoutedPublisher;
use crate::model::envelope::{self, attr};
use crate::model::fields::Provider;
use crate::model::idempotency;
use crate::model::store::KeyValueStore;
use crate::model::validate::Problem;
use crate::pubsub::Delivery;
use crate::run::CancellationToken;
use crate::run::checkpoint::{CheckpointError, Checkpoints};
use crate::run::failpoint::{self, Failpoints, Site};
use crate::run::subscription::Deliveries;

/// How long a rebuild checkpoint is kept after its last write.
pub const CHECKPOINT_TTL: Duration = Duration::from_secs(7 * 86_400);

/// Invalid inputs listed in a report (all are counted).
const INVALID_LISTED: usize = 10;

/// Messages of users not rebuilt held unacknowledged at most (below flow control's limit).
const MAX_HELD: usize = 400;

/// Subscription messages held unacknowledged at most before a checkpoint (flow control stops
/// delivering beyond about a thousand).
const MESSAGES_PER_CHECKPOINT: u64 = 500;

/// Where events come from.
pub enum RebuildInput {
    /// NDJSON lines: a file or stdin.
    Lines {
        label: String,
        reader: Box<dyn BufRead + Send>,
    },
    /// A subscription, until it has been quiet for the idle time.
    Subscription {
        label: String,
        deliveries: Deliveries,
    },
}

impl RebuildInput {
    pub fn label(&self) -> &str {
        match self {
            RebuildInput::Lines { label, .. } | RebuildInput::Subscription { label, .. } => label,
        }
    }
}

/// How to run.
pub struct RebuildOptions {
    /// The users rebuilt; `None`: every user in the source.
    pub users: Option<std::collections::BTreeSet<String>>,
    /// Compute and report; write and push nothing.
    pub dry_run: bool,
    /// Publish the contacts the push rule lets through, and the removal of contacts gone.
    pub push: bool,
    /// Skip invalid events (counted, the first listed) instead of stopping at the first.
    pub skip_invalid: bool,
    /// Events between checkpoints.
    pub checkpoint_every: u64,
    /// Where the checkpoint is kept.
    pub checkpoint_key: String,
    /// Test-only: [`Site::ContactsRebuildAbortAfterCheckpoints`].
    pub failpoints: Failpoints,
}

/// A rebuild's checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RebuildCheckpoint {
    /// The input's label: a checkpoint of another input is not resumed.
    pub source: String,
    /// Lines read (NDJSON), or messages acknowledged (a subscription).
    pub position: u64,
    pub rebuild: Rebuild,
}

/// An input that is not an event.
#[derive(Debug, Clone, Serialize)]
pub struct InvalidInput {
    /// `line N` or `message ID`.
    pub position: String,
    pub problems: Vec<String>,
}

/// What a rebuild did.
#[derive(Debug, Clone, Serialize)]
pub struct RebuildReport {
    pub source: String,
    pub dry_run: bool,
    /// Users rebuilt.
    pub users: u64,
    #[serde(flatten)]
    pub counts: RebuildCounts,
    /// Contacts written (or, in a dry run, computed).
    pub contacts: u64,
    /// Contacts the users had before and no longer have.
    pub gone: u64,
    /// `ContactEvent`s published: upserts and removals.
    pub pushed: u64,
    pub removed: u64,
    pub invalid: u64,
    pub invalid_listed: Vec<InvalidInput>,
    /// Lines or messages skipped because a resumed checkpoint had them.
    pub resumed_from: u64,
    pub seconds: f64,
}

/// Why a rebuild stopped.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("{source_label}, {position}: not an event: {}", problems.join("; "))]
    Invalid {
        source_label: String,
        position: String,
        problems: Vec<String>,
    },
    #[error("reading {source_label}: {message}")]
    Read {
        source_label: String,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] ContactStoreError),
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error(
        "publishing {failed} contact events: {why}; the records are written, run `contacts rebuild` again to push"
    )]
    Publish { failed: usize, why: String },
    #[error(
        "interrupted after {position} of {source_label}; the checkpoint holds it: run the same command with --resume"
    )]
    Interrupted { source_label: String, position: u64 },
    #[error(
        "interrupted while reading {source_label} (a dry run: nothing was written or acknowledged)"
    )]
    InterruptedDryRun { source_label: String },
    #[error(
        "{source_label} carries other users' messages ({held} held unacknowledged and growing): rebuild from a subscription of the selected users' events, or without --user"
    )]
    OthersMessages { source_label: String, held: usize },
}

/// Runs a rebuild from `input` (from `resumed` when given).
pub async fn run(
    store: &ContactStore,
    checkpoints: &dyn KeyValueStore,
    input: RebuildInput,
    resumed: Option<RebuildCheckpoint>,
    options: &RebuildOptions,
    pushes: Option<&RoutedPublisher>,
    cancel: &CancellationToken,
) -> Result<RebuildReport, RebuildError> {
    let started = Instant::now();
    let label = input.label().to_string();
    let checkpoints = Checkpoints::new(checkpoints, "contacts rebuild", CHECKPOINT_TTL);
    let (mut rebuild, skip) = match resumed {
        Some(c) => (c.rebuild, c.position),
        None => (Rebuild::new(options.users.clone()), 0),
    };
    let mut invalid = 0u64;
    let mut invalid_listed = Vec::new();
    let is_lines = matches!(input, RebuildInput::Lines { .. });
    // Lines read so far (a resumed file skips what its checkpoint had); messages this run.
    let mut position = if is_lines { skip } else { 0 };
    let mut held = 0usize;
    let mut since_checkpoint = 0u64;
    let mut checkpoints_written = 0u64;
    let mut unacked: Vec<Delivery> = Vec::new();
    let every = match &input {
        RebuildInput::Lines { .. } => options.checkpoint_every.max(1),
        RebuildInput::Subscription { .. } => {
            options.checkpoint_every.clamp(1, MESSAGES_PER_CHECKPOINT)
        }
    };
    let mut reader = Reader::new(input, skip);
    let save = async |rebuild: &Rebuild, position: u64| -> Result<(), RebuildError> {
        if options.dry_run {
            return Ok(());
        }
        let checkpoint = Checkpointed {
            source: &label,
            position,
            rebuild,
        };
        checkpoints
            .save(&options.checkpoint_key, &checkpoint)
            .await?;
        Ok(())
    };
    while let Some(item) = reader
        .next(cancel)
        .await
        .map_err(|message| RebuildError::Read {
            source_label: label.clone(),
            message,
        })?
    {
        position = reader.position;
        match item.decoded {
            Ok((event, key)) => {
                let user = event.header().user_id.to_string();
                if rebuild.selects(&user) && !rebuild.knows(&user) {
                    rebuild.load_user(store, &user).await?;
                }
                let added = rebuild.add(&event, &key, store.config());
                if let Some(delivery) = item.delivery {
                    if added == super::Added::NotSelected {
                        // Left for whoever reads them, released at the end; flow control
                        // stops delivering once about a thousand are outstanding.
                        reader.hold(delivery);
                        held += 1;
                        if held >= MAX_HELD {
                            reader.close().await;
                            return Err(RebuildError::OthersMessages {
                                source_label: label,
                                held,
                            });
                        }
                    } else {
                        unacked.push(delivery);
                    }
                }
            }
            Err(problems) => {
                let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                if !options.skip_invalid {
                    return Err(RebuildError::Invalid {
                        source_label: label,
                        position: item.position,
                        problems,
                    });
                }
                invalid += 1;
                if invalid_listed.len() < INVALID_LISTED {
                    invalid_listed.push(InvalidInput {
                        position: item.position,
                        problems,
                    });
                }
                // It would be invalid on every delivery.
                if let Some(delivery) = item.delivery {
                    unacked.push(delivery);
                }
            }
        }
        since_checkpoint += 1;
        if since_checkpoint >= every && !options.dry_run {
            save(&rebuild, position).await?;
            checkpoints_written += 1;
            if options.failpoints.hit(
                Site::ContactsRebuildAbortAfterCheckpoints,
                checkpoints_written,
            ) {
                // Test failpoint: die like a killed process once the checkpoint is written.
                failpoint::crash();
            }
            for delivery in unacked.drain(..) {
                delivery.ack();
            }
            since_checkpoint = 0;
        }
    }
    if options.dry_run {
        // Nothing was recorded: every message goes back.
        for delivery in unacked.drain(..) {
            delivery.nack();
        }
    }
    if cancel.is_cancelled() {
        if options.dry_run {
            reader.close().await;
            return Err(RebuildError::InterruptedDryRun {
                source_label: label,
            });
        }
        save(&rebuild, position).await?;
        for delivery in unacked.drain(..) {
            delivery.ack();
        }
        reader.close().await;
        return Err(RebuildError::Interrupted {
            source_label: label,
            position,
        });
    }
    let now = crate::run::checkpoint::now();
    let mut report = RebuildReport {
        source: label.clone(),
        dry_run: options.dry_run,
        users: rebuild.state.len() as u64,
        counts: rebuild.counts,
        contacts: rebuild.state.values().map(|s| s.records.len() as u64).sum(),
        gone: 0,
        pushed: 0,
        removed: 0,
        invalid,
        invalid_listed,
        resumed_from: if is_lines { skip } else { 0 },
        seconds: 0.0,
    };
    if !options.dry_run {
        let written = rebuild
            .write(store, now, options.push && pushes.is_some())
            .await?;
        report.gone = written.iter().map(|w| w.gone.len() as u64).sum();
        if let Some(pushes) = pushes.filter(|_| options.push) {
            let (pushed, removed) = publish(pushes, &written, now).await?;
            report.pushed = pushed;
            report.removed = removed;
        }
        for delivery in unacked.drain(..) {
            delivery.ack();
        }
        checkpoints
            .clear(std::slice::from_ref(&options.checkpoint_key))
            .await?;
    }
    reader.close().await;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A checkpoint as written (borrowing the state).
#[derive(Serialize)]
struct Checkpointed<'a> {
    source: &'a str,
    position: u64,
    rebuild: &'a Rebuild,
}

/// Publishes the rebuilt contacts the push rule lets through, and the removal of those gone.
async fn publish(
    pushes: &RoutedPublisher,
    written: &[super::Written],
    now: DateTime<Utc>,
) -> Result<(u64, u64), RebuildError> {
    let mut events = Vec::new();
    let (mut upserts, mut removals) = (0, 0);
    for w in written {
        let origin = Origin {
            user: w.user.clone(),
            provider: Provider::Google,
            correlation_id: format!("contacts-rebuild-{}", now.timestamp_millis()),
        };
        for (id, record) in &w.to_push {
            let Some(pushed) = record.pushed else {
                continue;
            };
            let event = push::upsert_event(&origin, id, record, pushed.score, pushed.at)
                .map_err(|why| RebuildError::Publish { failed: 1, why })?;
            events.push(event);
            upserts += 1;
        }
        for id in &w.gone {
            let event = push::removal_event(&origin, id, now)
                .map_err(|why| RebuildError::Publish { failed: 1, why })?;
            events.push(event);
            removals += 1;
        }
    }
    let results = futures::future::join_all(events.into_iter().map(|e| pushes.publish(e))).await;
    let failed: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    if let Some(why) = failed.first() {
        return Err(RebuildError::Publish {
            failed: failed.len(),
            why: why.clone(),
        });
    }
    Ok((upserts, removals))
}

/// Reads items from the input, skipping what a resumed checkpoint had.
struct Reader {
    input: RebuildInput,
    skip: u64,
    /// Lines read (the last item's line), or messages received.
    position: u64,
    lines: Option<super::lines::ParallelLines>,
}

impl Reader {
    fn new(input: RebuildInput, skip: u64) -> Reader {
        let position = match input {
            RebuildInput::Lines { .. } => skip,
            RebuildInput::Subscription { .. } => 0,
        };
        Reader {
            input,
            skip,
            position,
            lines: None,
        }
    }

    async fn next(&mut self, cancel: &CancellationToken) -> Result<Option<Item>, String> {
        match &mut self.input {
            RebuildInput::Lines { reader, .. } => {
                if cancel.is_cancelled() {
                    return Ok(None);
                }
                if self.lines.is_none() {
                    let reader = std::mem::replace(reader, Box::new(std::io::empty()));
                    self.lines = Some(super::lines::ParallelLines::start(reader, self.skip));
                }
                let item = self.lines.as_mut().expect("started").next().await?;
                if let Some(item) = &item {
                    self.position = item.line;
                }
                Ok(item)
            }
            RebuildInput::Subscription { deliveries, .. } => {
                let Some(delivery) = deliveries.next(cancel).await.map_err(|e| e.to_string())?
                else {
                    return Ok(None);
                };
                self.position += 1;
                let message = &delivery.message;
                let decoded = envelope::decode_message(&message.data, &message.attributes)
                    .map(|d| {
                        let key = message
                            .attributes
                            .get(attr::IDEMPOTENCY_KEY)
                            .cloned()
                            .unwrap_or_else(|| idempotency::message_key(&d.event).1);
                        (d.event, key)
                    })
                    .map_err(|e| {
                        vec![Problem {
                            path: "$".into(),
                            message: e.to_string(),
                        }]
                    });
                Ok(Some(Item {
                    position: format!("message {}", message.id),
                    line: self.position,
                    decoded,
                    delivery: Some(delivery),
                }))
            }
        }
    }

    fn hold(&mut self, delivery: Delivery) {
        if let RebuildInput::Subscription { deliveries, .. } = &mut self.input {
            deliveries.hold(delivery);
        }
    }

    async fn close(&mut self) {
        if let RebuildInput::Subscription { deliveries, .. } = &mut self.input {
            deliveries.close().await;
        }
    }
}

impl crate::report::Report for RebuildReport {
    fn tables(&self) -> Vec<crate::report::Table> {
        let title = format!(
            "contacts rebuilt from {}{}",
            self.source,
            if self.dry_run { " (dry run)" } else { "" }
        );
        let mut table = crate::report::Table::new(["what", "count"]).titled(title);
        for (what, value) in [
            ("users", self.users),
            ("events counted", self.counts.events),
            ("e-mails in them", self.counts.emails),
            ("interactions", self.counts.interactions),
            ("duplicate events (counted once)", self.counts.duplicates),
            ("events of other users", self.counts.not_selected),
            ("invalid inputs skipped", self.invalid),
            ("contacts", self.contacts),
            ("contacts gone since the last count", self.gone),
            ("ContactEvents pushed", self.pushed),
            ("removals pushed", self.removed),
            ("skipped (had by the resumed checkpoint)", self.resumed_from),
        ] {
            table.push([what.to_string(), value.to_string()]);
        }
        let mut tables = vec![table];
        if !self.invalid_listed.is_empty() {
            let mut invalid = crate::report::Table::new(["position", "problems"])
                .titled("invalid inputs (first ones)");
            for i in &self.invalid_listed {
                invalid.push([i.position.clone(), i.problems.join("; ")]);
            }
            tables.push(invalid);
        }
        tables
    }
}
