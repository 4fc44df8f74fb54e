//! `officectl contacts rebuild`: a user's contacts recomputed from history.

use super::usage;
use crate::cli::Context;
use crate::cli::flag_values;
use crate::cli::input;
use anyhow::Context as _;
use officectl::backfill::plan::SourceSpec;
use officectl::contacts::rebuild::run::{
    self, RebuildCheckpoint, RebuildError, RebuildInput, RebuildOptions,
};
use officectl::migrate::routed::RoutedPublisher;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::google::{GooglePublisher, GoogleSubscriber};
use officectl::pubsub::{BoundedPublisher, MessageSource};
use officectl::run::checkpoint::Checkpoints;
use officectl::run::failpoint::Site;
use officectl::run::subscription::Deliveries;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct RebuildArgs {
    /// Events: an NDJSON file, `-` (stdin), or `pubsub:SUBSCRIPTION`
    #[arg(long, value_name = "SOURCE")]
    source: String,

    /// Whose contacts (repeatable; default: every user in the source)
    #[arg(long = "user", value_name = "USER")]
    users: Vec<String>,

    /// Compute and report; write and publish nothing
    #[arg(long)]
    dry_run: bool,

    /// Write the records, but publish no ContactEvents (Vespa keeps its documents)
    #[arg(long)]
    no_push: bool,

    /// Skip events that are not valid (counted, the first listed) instead of stopping at the first
    #[arg(long)]
    skip_invalid: bool,

    /// Continue the checkpointed rebuild of this source and these users
    #[arg(long, conflicts_with = "restart")]
    resume: bool,

    /// Discard the checkpoint of this source and these users and start over
    #[arg(long)]
    restart: bool,

    /// Events between checkpoints
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    checkpoint_every: u64,

    /// Stop reading a `pubsub:` source after no new message for this long
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = flag_values::parse_duration)]
    idle_timeout: Duration,
}

pub async fn run(args: RebuildArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    // The project matters only for a subscription and for pushes.
    let project = settings.project().map(str::to_string);
    let spec = SourceSpec::parse(&args.source, project.as_deref().unwrap_or_default());
    if let SourceSpec::Http(_) = spec {
        return Err(usage(
            "--source: an NDJSON file, `-` or `pubsub:SUBSCRIPTION` (HTTP exports are for backfill)"
                .to_string(),
        ));
    }
    let label = spec.identity();
    let users: BTreeSet<String> = args.users.iter().cloned().collect();
    let users_list: Vec<String> = users.iter().cloned().collect();
    let store = super::store(context).await?;
    let conn =
        officectl::redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5))
            .await?;
    let kv: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
    let checkpoint_key = officectl::keys::contacts_rebuild_checkpoint(&label, &users_list);
    let checkpoints = Checkpoints::new(kv.as_ref(), "contacts rebuild", run::CHECKPOINT_TTL);
    let found: Option<RebuildCheckpoint> = checkpoints.load(&checkpoint_key).await?;
    let resumed = match (found, args.resume, args.restart) {
        (Some(c), true, _) => {
            if c.source != label {
                return Err(checkpoints
                    .foreign(&checkpoint_key, format!("it is of `{}`", c.source))
                    .into());
            }
            Some(c)
        }
        (None, true, _) => {
            return Err(usage(format!(
                "--resume: no checkpointed rebuild of `{label}` for these users"
            )));
        }
        (Some(c), false, false) if !args.dry_run => {
            return Err(crate::cli::error::with_hint(
                anyhow::anyhow!(
                    "a rebuild of `{label}` for these users is checkpointed at {} (`{checkpoint_key}`)",
                    c.position
                ),
                "pass --resume to continue it, or --restart to start over",
            ));
        }
        (Some(_), false, true) => {
            checkpoints
                .clear(std::slice::from_ref(&checkpoint_key))
                .await?;
            None
        }
        _ => None,
    };
    let input = match &spec {
        SourceSpec::File(path) => RebuildInput::Lines {
            label: label.clone(),
            reader: open_lines(path)?,
        },
        SourceSpec::Subscription(name) => {
            settings.project()?;
            let subscriber = GoogleSubscriber::connect(&settings.pubsub.value, 1000).await?;
            RebuildInput::Subscription {
                label: label.clone(),
                deliveries: Deliveries::new(subscriber.subscribe(name), Some(args.idle_timeout)),
            }
        }
        SourceSpec::Http(_) => unreachable!("refused above"),
    };
    let pushes = if args.dry_run || args.no_push {
        None
    } else {
        Some(RoutedPublisher {
            publisher: BoundedPublisher::new(
                Arc::new(GooglePublisher::connect(&settings.pubsub.value).await?),
                1000,
            ),
            project: project?,
            claim_check: settings.claim_check.clone(),
            flags: kv.clone(),
            trace: Some(officectl::trail::TraceRecorder::new(
                conn.clone(),
                "contacts-rebuild",
            )),
        })
    };
    let options = RebuildOptions {
        users: (!users.is_empty()).then_some(users),
        dry_run: args.dry_run,
        push: !args.no_push,
        skip_invalid: args.skip_invalid,
        checkpoint_every: args.checkpoint_every,
        checkpoint_key,
        failpoints: settings
            .failpoints
            .clone()
            .only(&[Site::ContactsRebuildAbortAfterCheckpoints])?,
    };
    let cancel = context.interrupts.token();
    let report = run::run(
        &store,
        kv.as_ref(),
        input,
        resumed,
        &options,
        pushes.as_ref(),
        &cancel,
    )
    .await
    .map_err(|err| match err {
        RebuildError::Invalid { .. } => crate::cli::error::with_hint(
            anyhow::Error::new(err),
            "fix the input, or pass --skip-invalid to count the rest",
        ),
        other => anyhow::Error::new(other),
    })
    .context("contacts rebuild")?;
    context.printer.report(&report)
}

/// The NDJSON input, read on a blocking thread's terms (a large buffer).
fn open_lines(path: &std::path::Path) -> anyhow::Result<Box<dyn std::io::BufRead + Send>> {
    if path == std::path::Path::new("-") {
        return Ok(Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::io::stdin(),
        )));
    }
    let file = input::open_file(path).map_err(|e| usage(format!("--source: {e}: {}", e.source)))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
}
