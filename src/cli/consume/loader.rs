//! `officectl consume vespa-loader`: the loader as a long-running worker, until SIGTERM or
//! Ctrl-C; then it stops pulling, lets what is in flight finish (or be nacked) within
//! `--shutdown-timeout`, and exits 0.

use crate::cli::vespa::connection::ConnectionArgs;
use crate::cli::{Context, flag_values};
use anyhow::Context as _;
use officectl::consume::layout::Consumer;
use officectl::consume::loader::{
    LoaderCommitter, LoaderCounters, LoaderEvent, LoaderOptions, LoaderSource,
};
use officectl::model::catalog::DataType;
use officectl::model::idempotency::DedupeStore;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::google::GoogleSubscriber;
use officectl::redis_connection;
use officectl::vespa::refeed::convert::EventConverter;
use officectl::vespa::refeed::{self, Counters, Filter, Handles, Options};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Only these data types (comma-separated doc types, e.g. `email,calendar`) [default: every type the consumer reads]
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    types: Vec<String>,

    /// Messages each subscription stream keeps unacknowledged at most (flow control)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_outstanding_messages: i64,

    /// Bytes each subscription stream keeps unacknowledged at most (flow control)
    #[arg(long, value_name = "BYTES", default_value_t = 100 * 1024 * 1024)]
    max_outstanding_bytes: i64,

    /// How long to wait for in-flight messages after SIGTERM or Ctrl-C before exiting
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = flag_values::parse_duration)]
    shutdown_timeout: Duration,

    /// How often the read flags are read again
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = flag_values::parse_duration, hide = true)]
    flag_refresh: Duration,

    /// How long a message's idempotency claim holds while it is loaded; a loader that dies
    /// holding claims delays those messages by at most this long (longer than one message
    /// takes to feed)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = flag_values::parse_duration)]
    claim_timeout: Duration,

    /// Decode, dedupe-check and build documents; feed nothing, ack nothing
    #[arg(long)]
    dry_run: bool,

    #[command(flatten)]
    connection: ConnectionArgs,
}

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    let project = settings.project()?.to_string();
    let types = selected_types(&consumer, &args.types)?;
    let transport = Arc::new(args.connection.transport(settings)?);
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let store: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn));
    let dedupe = Arc::new(DedupeStore::new(
        store.clone(),
        consumer.name.clone(),
        officectl::model::idempotency::DedupeConfig {
            in_progress_ttl: args.claim_timeout,
            ..Default::default()
        },
    ));
    let subscriber =
        GoogleSubscriber::connect(&settings.pubsub.value, args.max_outstanding_messages)
            .await?
            .with_max_outstanding_bytes(args.max_outstanding_bytes);

    let handles = Handles {
        counters: Arc::new(Counters::default()),
        progress: Arc::default(),
        cancel: context.interrupts.token(),
    };
    let loader_counters = Arc::new(LoaderCounters::default());
    let log = {
        let printer = printer.clone();
        Arc::new(move |event: LoaderEvent| {
            match event {
            LoaderEvent::Reading {
                sources,
                opened,
                closed,
            } => {
                let sources: Vec<String> = sources
                    .iter()
                    .map(|(t, s)| format!("{}={s}", t.doc_type()))
                    .collect();
                printer.status(format!(
                    "reading: {} (opened: {}; closed: {})",
                    sources.join(" "),
                    list(&opened),
                    list(&closed)
                ));
            }
            LoaderEvent::Poison {
                subscription,
                message_id,
                attempt,
                why,
            } => printer.warn(format!(
                "poison message `{message_id}` on `{subscription}` (delivery attempt {}): {why}; nacked for the dead-letter topic",
                attempt.map_or_else(|| "unknown".to_string(), |a| a.to_string())
            )),
            LoaderEvent::Retry {
                subscription,
                message_id,
                why,
            } => printer.warn(format!(
                "message `{message_id}` on `{subscription}` left for redelivery: {why}"
            )),
            LoaderEvent::UnknownType {
                subscription,
                message_id,
                event_type,
            } => printer.warn(format!(
                "message `{message_id}` on `{subscription}` has the unknown event type `{event_type}`: acked, nothing to load"
            )),
        }
        })
    };
    let converter = EventConverter {
        filter: Filter::default(),
        payloads: Some((store.clone(), settings.claim_check.clone())),
        newer_wins: true,
    };
    let source = LoaderSource::new(
        consumer.clone(),
        LoaderOptions {
            project,
            types,
            flag_refresh: args.flag_refresh,
            dry_run: args.dry_run,
        },
        Arc::new(subscriber),
        store,
        dedupe.clone(),
        converter,
        handles.counters.clone(),
        loader_counters.clone(),
        log,
    );
    let last_open = source.last_open.clone();
    let mut feed = args.connection.feed_config();
    // A worker never gives up on Vespa: operations that fail are nacked and come back.
    feed.deadline = Duration::from_secs(365 * 86_400);
    let options = Options {
        feed,
        rate: None,
        dry_run: args.dry_run,
        failpoints: Default::default(),
    };
    printer.status(format!(
        "{}{} consuming for `{}` (until SIGTERM or Ctrl-C)",
        if args.dry_run { "dry run: " } else { "" },
        consumer.name,
        settings.vespa.endpoint.value
    ));
    let cancel = handles.cancel.clone();
    let mut running = tokio::spawn(refeed::run(
        transport,
        Box::new(source),
        Box::new(LoaderCommitter {
            dedupe,
            dry_run: args.dry_run,
        }),
        None,
        options,
        handles,
    ));
    let report = tokio::select! {
        report = &mut running => Some(report.context("the loader task failed")?),
        () = cancel.cancelled() => {
            match tokio::time::timeout(args.shutdown_timeout, &mut running).await {
                Ok(report) => Some(report.context("the loader task failed")?),
                Err(_) => None,
            }
        }
    };
    let Some(mut report) = report else {
        printer.warn(format!(
            "in-flight messages did not finish within {}; they are redelivered",
            officectl::duration::format(args.shutdown_timeout)
        ));
        return Ok(());
    };
    report.mode = "consume".into();
    report.source = consumer.name.clone();
    let figures = loader_counters.figures(last_open.lock().map(|o| o.clone()).unwrap_or_default());
    printer.report(&officectl::consume::loader::LoaderReport {
        consumer: consumer.name.clone(),
        loader: figures,
        run: report.clone(),
    })?;
    if let Some(error) = &report.source_error {
        anyhow::bail!("{} stopped: {error}", consumer.name);
    }
    Ok(())
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// `--types`, checked against what the consumer reads.
fn selected_types(consumer: &Consumer, given: &[String]) -> anyhow::Result<Vec<DataType>> {
    let reads = consumer.data_types();
    if given.is_empty() {
        return Ok(reads);
    }
    let mut types = Vec::new();
    for name in given {
        let data_type = DataType::from_doc_type(name.trim()).ok_or_else(|| {
            officectl::exit::Failure::Usage(format!(
                "--types: unknown data type `{name}` (expected: {})",
                reads
                    .iter()
                    .map(|t| t.doc_type())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !reads.contains(&data_type) {
            return Err(officectl::exit::Failure::Usage(format!(
                "--types: consumer `{}` does not read `{name}`",
                consumer.name
            ))
            .into());
        }
        if !types.contains(&data_type) {
            types.push(data_type);
        }
    }
    Ok(types)
}
