//! `officectl events publish FILE|-`: validates every line, plans every message, then publishes.
//! Nothing is published when any line is invalid.

use crate::cli::{Context, error::with_hint, input};
use anyhow::Context as _;
use officectl::events::{self, NdjsonEvents, NumberedEvent, ValidationReport};
use officectl::migrate::publish;
use officectl::migrate::store::RedisMigrationStore;
use officectl::model::store::RedisKvStore;
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher};
use officectl::redis_connection;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// NDJSON file of events (legacy lines are upcast), or `-` for stdin
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// Publish every event to this topic, ignoring the data type's topic and the migration's publish-mode flags
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,

    /// Validate and plan (sizes, claim checks), publish nothing, write nothing
    #[arg(long)]
    dry_run: bool,

    /// Do not set the per-user ordering key
    #[arg(long)]
    no_ordering: bool,

    /// Most messages awaiting the server's acknowledgement at once
    #[arg(long, default_value_t = 1000, value_name = "N")]
    max_in_flight: usize,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let label = input::label(&args.input);
    let project = context.settings.project()?.to_string();

    let mut validation = ValidationReport::new(&label);
    let mut valid = Vec::new();
    for line in NdjsonEvents::new(input::open(&args.input)?) {
        let line = line.with_context(|| format!("cannot read `{label}`"))?;
        validation.record(&line);
        if let Ok(validated) = line.outcome {
            valid.push(NumberedEvent {
                line: line.line,
                event: validated.event,
            });
        }
    }
    if validation.invalid > 0 {
        context.printer.report(&validation)?;
        return Err(with_hint(
            anyhow::anyhow!(
                "{} of {} lines in `{label}` are invalid; nothing was published",
                validation.invalid,
                validation.lines
            ),
            format!(
                "see the problems with `officectl events validate {}`",
                args.input.display()
            ),
        ));
    }

    let settings = &context.settings;
    let mut plans = events::plan_all(
        valid,
        &project,
        args.topic.as_deref(),
        &settings.claim_check,
        !args.no_ordering,
    )
    .with_context(|| format!("cannot plan messages for `{label}`"))?;
    // Without `--topic`, the migration's publish-mode flags decide legacy, new or both.
    let mut unroutable = Vec::new();
    if args.topic.is_none() {
        let conn =
            redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        let modes = publish::read_modes(&RedisMigrationStore::new(conn))
            .await
            .context("cannot read the publish-mode flags")?;
        let (routed, failures) = events::route(
            plans,
            &project,
            &modes,
            settings.claim_check.max_message_bytes,
        );
        plans = routed;
        unroutable = failures;
    }
    if args.dry_run {
        let mut report = events::summarize(&label, &plans, true);
        report.add_route_failures(&unroutable);
        context.printer.report(&report)?;
        return fail_on_failures(&report, &label);
    }

    let needs_store = plans.iter().any(|p| !p.plan.parked.is_empty());
    let store = if needs_store {
        let conn =
            redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        Some(RedisKvStore::new(conn))
    } else {
        None
    };
    let admin = GoogleAdmin::connect(&settings.pubsub.value).await?;
    let missing = events::missing_topics(&admin, &plans).await?;
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|t| format!("`{t}`")).collect();
        return Err(with_hint(
            anyhow::anyhow!(
                "{} topics do not exist: {}; nothing was published",
                missing.len(),
                names.join(", ")
            ),
            "create them with `officectl topics apply`, or pick one with `--topic`",
        ));
    }
    let transport = GooglePublisher::connect(&settings.pubsub.value).await?;
    let publisher = BoundedPublisher::new(Arc::new(transport), args.max_in_flight);
    let report = events::publish_all(
        &label,
        plans,
        store
            .as_ref()
            .map(|s| s as &dyn officectl::model::store::KeyValueStore),
        &publisher,
    )
    .await?;
    let mut report = report;
    report.add_route_failures(&unroutable);
    context.printer.report(&report)?;
    fail_on_failures(&report, &label)
}

/// Exit 1 naming the first failure when any message was not (or, dry, would not be) published.
fn fail_on_failures(report: &events::PublishReport, label: &str) -> anyhow::Result<()> {
    if let Some(first) = report.failures.first() {
        anyhow::bail!(
            "{} of {} messages from `{label}` were not published (first: line {}: {})",
            report.failures.len(),
            report.failures.len() + report.published,
            first.line,
            first.error
        );
    }
    Ok(())
}
