//! One batch on its way out: encoded (and its bodies parked), routed to the topics the
//! publish mode names, and handed to the publisher; the completion task takes it from there
//! ([`super::complete`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::batch::{self, Batch};
use super::checkpoint;
use super::error::BackfillError;
use super::options::{Options, Sinks};
use super::report::{Counters, UserSummary};
use super::routing::{FlagError, ModeFollower, Routing};
use super::source::{AckGroup, Position};
use crate::migrate::flags::PublishMode;
use crate::migrate::publish::{self, RouteError};
use crate::model::claim_check;
use crate::model::envelope::{self, PlannedMessage};
use crate::model::families::email::{EmailEvent, EmailEventTag};
use crate::model::fields::SyncType;
use crate::pubsub::{OutgoingMessage, PendingPublish};
use crate::run::CancellationToken;
use std::sync::Arc;

pub(super) struct InFlight {
    pub(super) user: String,
    pub(super) index: u64,
    pub(super) batch_id: String,
    pub(super) emails: u64,
    pub(super) bytes: u64,
    pub(super) parked: u64,
    pub(super) last_position: Position,
    /// One message per destination topic (two under dual publishing); the batch is
    /// acknowledged when every one is.
    pub(super) copies: Vec<Copy>,
    pub(super) acks: Vec<Arc<AckGroup>>,
}

/// One published message of a batch.
pub(super) struct Copy {
    pub(super) topic: String,
    pub(super) message: OutgoingMessage,
    pub(super) completion: PendingPublish,
}

/// How `produce` finds a batch's topics, and what a dry run counts per topic.
pub(super) struct Destinations<'a> {
    pub(super) follower: Option<&'a mut ModeFollower>,
    pub(super) dry_topics: &'a mut BTreeMap<String, u64>,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn produce(
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
