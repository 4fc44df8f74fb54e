//! The consumers that publish what they find (`contact-discovery`, `shipments`, `meetings`) as
//! long-running workers, until SIGTERM or Ctrl-C; then they stop pulling, let what is in hand
//! finish within `--shutdown-timeout`, and exit 0 with their report. Each consumer's module only
//! builds its handler from the [`Parts`] set up here.

use super::run_args::RunArgs;
use super::types;
use crate::cli::Context;
use crate::cli::logs;
use officectl::consume::layout::Consumer;
use officectl::consume::listen::ConsumerReadiness;
use officectl::consume::metrics::ConsumerMetrics;
use officectl::consume::runtime::{Handler, RuntimeHandles};
use officectl::migrate::routed::RoutedPublisher;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::GooglePublisher;
use officectl::redis_connection;
use officectl::report::Report;
use officectl::trace::record::TraceRecorder;
use std::sync::Arc;
use std::time::Duration;

/// Events a consumer has unacknowledged by Pub/Sub at most.
const MAX_PUBLISHES_IN_FLIGHT: usize = 100;

/// What a publishing consumer's handler is built from.
pub struct Parts {
    /// Redis, for the consumer's own state.
    pub conn: redis::aio::MultiplexedConnection,
    /// The same Redis as a key-value store: flags and claim-check payloads.
    pub store: Arc<dyn KeyValueStore>,
    /// Where it publishes, through the publish modes; `None` in a dry run.
    pub publisher: Option<RoutedPublisher>,
    pub metrics: Arc<ConsumerMetrics>,
}

/// Runs `consumer` with the handler `build` makes; `report` gives its report at exit.
pub async fn run<H: Handler, R: Report>(
    consumer: Consumer,
    args: &RunArgs,
    context: &Context,
    build: impl FnOnce(Parts) -> H,
    report: impl FnOnce(&H, &str, &RuntimeHandles) -> R,
) -> anyhow::Result<()> {
    let settings = &context.settings;
    logs::init(args.log_format, &context.printer);
    let project = settings.project()?.to_string();
    let types = types::selected(&consumer, &args.types)?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let store: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
    let subscriber = super::subscriber(settings, args).await?;
    let publisher = BoundedPublisher::new(
        Arc::new(GooglePublisher::connect(&settings.pubsub.value).await?),
        MAX_PUBLISHES_IN_FLIGHT,
    );
    let metrics = Arc::new(ConsumerMetrics::new(&consumer.name));
    let handles = super::runtime_handles(
        &consumer,
        args,
        store.clone(),
        &project,
        settings,
        metrics.clone(),
    );
    let _endpoint = super::serve(
        args,
        &consumer,
        metrics.clone(),
        ConsumerReadiness {
            subscriptions_open: handles.subscriptions_open.clone(),
            store: store.clone(),
            vespa: None,
        },
    )
    .await?;
    let handler = build(Parts {
        conn: conn.clone(),
        store: store.clone(),
        publisher: (!args.dry_run).then(|| RoutedPublisher {
            publisher,
            project: project.clone(),
            claim_check: settings.claim_check.clone(),
            flags: store.clone(),
            trace: Some(TraceRecorder::new(conn.clone(), &consumer.name)),
        }),
        metrics,
    });
    let runtime = super::runtime(
        &consumer,
        args,
        project,
        types,
        subscriber,
        store,
        handles.clone(),
    );
    let cancel = context.interrupts.token();
    tracing::info!(
        consumer = %consumer.name,
        dry_run = args.dry_run,
        concurrency = args.concurrency,
        "consuming until SIGTERM or Ctrl-C"
    );
    let running = runtime.run(&handler, &cancel);
    tokio::pin!(running);
    let finished = tokio::select! {
        result = &mut running => Some(result),
        () = cancel.cancelled() => {
            tracing::info!(consumer = %consumer.name, "stopping: no more pulls; finishing what is in hand");
            tokio::time::timeout(args.shutdown_timeout, &mut running).await.ok()
        }
    };
    match finished {
        None => {
            tracing::warn!(
                consumer = %consumer.name,
                "in-hand messages did not finish within {}; they are redelivered",
                officectl::duration::format(args.shutdown_timeout)
            );
            Ok(())
        }
        Some(Err(err)) => {
            Err(anyhow::Error::new(err).context(format!("{} stopped", consumer.name)))
        }
        Some(Ok(())) => context
            .printer
            .report(&report(&handler, &consumer.name, &handles)),
    }
}
