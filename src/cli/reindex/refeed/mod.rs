//! The re-feeds of `officectl reindex`: `--source FILE|-|pubsub:SUBSCRIPTION` and
//! `--from-vespa`.
//!
//! Parse → resolve → execute: the flags become a [`Mode`] and a selection (the core's
//! `officectl::vespa::refeed::plan`); [`start`] settles fresh or resumed (the contract of
//! `officectl backfill`: without `--resume` an unfinished checkpoint is refused, or asked about
//! on a terminal; `--restart` discards it); the core (`officectl::vespa::refeed`) does the
//! work; [`outcome`] draws progress and maps the report to the exit code, with the resume
//! command as hint.

mod outcome;
mod sources;
mod start;

use super::RunArgs;
use crate::cli::{Context, input};
use anyhow::Context as _;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::redis_connection;
use officectl::run::progress::Ticker;
use officectl::vespa::checkpoint::{self, Checkpoint};
use officectl::vespa::refeed::convert::EventConverter;
use officectl::vespa::refeed::plan::{self, Mode};
use officectl::vespa::refeed::{
    self, CheckpointSink, Counters, FAILPOINT_SITES, Filter, Handles, Options, RefeedReport,
};
use sources::Built;
use start::Start;
use std::sync::Arc;
use std::time::Duration;

pub async fn run(args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    let mode = Mode::from_flags(
        args.from_vespa,
        &args.app.clusters,
        args.source.as_deref(),
        || settings.project().ok().map(str::to_string),
    )?;
    if let Mode::Pubsub(_) = mode {
        settings.project()?;
    }
    let types = plan::data_types(&args.app.types)?;
    let users = {
        let mut users = args.users.clone();
        users.sort();
        users.dedup();
        users
    };
    mode.check_resume_flags(args.resume, args.restart)?;
    let failpoints = settings.failpoints.clone().only(&FAILPOINT_SITES)?;
    let transport = Arc::new(args.connection.transport(settings)?);
    let endpoint = settings.vespa.endpoint.value.clone();

    // Redis: checkpoints (not in a dry run, unless asked to `--resume`) and parked payloads.
    let store: Option<Arc<dyn KeyValueStore>> = if !args.dry_run || args.resume {
        let conn =
            redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        Some(Arc::new(RedisKvStore::new(conn)))
    } else {
        None
    };
    let identity = mode
        .identity(&users, &types)
        .map_err(|source| input::OpenError {
            path: match &mode {
                Mode::File(path) => path.clone(),
                _ => "-".into(),
            },
            source,
        })?;
    let start = match (&identity, &store) {
        (Some(identity), Some(store)) => {
            start::decide(args, store.as_ref(), identity, printer).await?
        }
        _ => Start::Fresh,
    };
    if let Start::Resume(c) = &start
        && c.complete
    {
        return outcome::already_complete(&mode, c, args, printer);
    }
    let resumed = matches!(start, Start::Resume(_));

    let filter = Filter {
        users: users.iter().cloned().collect(),
        types: types.iter().copied().collect(),
    };
    let converter = || EventConverter {
        filter: filter.clone(),
        payloads: store
            .clone()
            .filter(|_| !args.dry_run)
            .map(|s| (s, settings.claim_check.clone())),
        newer_wins: false,
    };
    let shared = Handles {
        counters: Arc::new(Counters::default()),
        progress: Arc::default(),
        cancel: context.interrupts.token(),
    };
    let counters = shared.counters.clone();

    // Source, committer and where the run starts.
    let Built {
        source,
        committer,
        position,
        label,
    } = sources::build(&sources::Request {
        mode: &mode,
        args,
        start: &start,
        users: &users,
        types: &types,
        transport: &transport,
        converter: &converter,
        counters: &counters,
        context,
    })
    .await?;

    let checkpoint_key = identity.as_ref().map(checkpoint::RunIdentity::key);
    let sink = match (identity, store.clone(), position) {
        (Some(identity), Some(store), Some(position)) if !args.dry_run => Some(CheckpointSink {
            store,
            checkpoint: match start {
                Start::Resume(c) => c,
                Start::Fresh => Checkpoint {
                    identity,
                    position,
                    fed: 0,
                    complete: false,
                    started_at: checkpoint::now(),
                    updated_at: checkpoint::now(),
                },
            },
            // A page is a large unit: record every one. Lines are small: every half second.
            every: match mode {
                Mode::Visit { .. } => Duration::ZERO,
                _ => Duration::from_millis(500),
            },
        }),
        _ => None,
    };
    let mut config = args.connection.feed_config();
    // Without progress for this long the feed gives up (as `vespa feed --deadline`).
    config.deadline = Duration::from_secs(60);
    let options = Options {
        feed: config,
        rate: args.rate,
        dry_run: args.dry_run,
        failpoints,
        observe: None,
    };

    let ticker = Ticker::start(
        Duration::from_millis(200),
        outcome::sampler(&shared, mode.name()),
        Arc::new(outcome::progress(printer)),
        shared.cancel.clone(),
    );
    // A worker task, next to the connection tasks (see `vespa feed`).
    let running = tokio::spawn(refeed::run(
        transport, source, committer, sink, options, shared,
    ))
    .await;
    ticker.finish();
    let mut report: RefeedReport = running.context("the re-feed task failed")?;
    report.mode = mode.name().to_string();
    report.source = source_name(&mode);
    report.resumed = resumed;
    if resumed && report.checkpoint.is_none() {
        report.checkpoint = checkpoint_key;
    }
    outcome::finish(args, &mode, &label, &endpoint, report, context)
}

/// How the report names what was re-fed (files as given on the command line).
fn source_name(mode: &Mode) -> String {
    match mode {
        Mode::File(path) => input::label(path),
        other => other.source_name(),
    }
}
