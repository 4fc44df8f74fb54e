//! The consumers that write to Redis and Pub/Sub (`contact-discovery`, `shipments`, `meetings`,
//! and `fe-sse`, which publishes nothing and serves its event streams on `--listen`) as
//! long-running workers, until SIGTERM or Ctrl-C; then they stop pulling, let what is in hand
//! finish within `--shutdown-timeout`, and exit 0 with their report. Each consumer's module only
//! builds its handler from the [`Parts`] set up here, and says in [`Setup`] what else it needs.

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
use officectl::trail::TraceRecorder;
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
    /// Where it publishes, through the publish modes; `None` in a dry run or when it does not
    /// publish.
    pub publisher: Option<RoutedPublisher>,
    pub metrics: Arc<ConsumerMetrics>,
}

/// What a consumer needs of the worker beyond Redis and its subscriptions.
pub struct Setup {
    /// It publishes (a Pub/Sub publisher is connected; `Parts::publisher` is set).
    pub publishes: bool,
    /// Its metrics, when it registers more than the consumers' own.
    pub metrics: Option<Arc<ConsumerMetrics>>,
    /// Routes it serves on `--listen` beside `/healthz`, `/readyz` and `/metrics`.
    pub routes: Option<axum::Router>,
    /// Set while its own Redis listener is subscribed, for `/readyz`.
    pub signals: Option<Arc<std::sync::atomic::AtomicBool>>,
}

impl Setup {
    /// A consumer that publishes and serves nothing of its own.
    pub fn publishing() -> Setup {
        Setup {
            publishes: true,
            metrics: None,
            routes: None,
            signals: None,
        }
    }
}

/// Runs `consumer` with the handler `build` makes; `report` gives its report at exit.
pub async fn run<H: Handler, R: Report>(
    consumer: Consumer,
    args: &RunArgs,
    context: &Context,
    setup: Setup,
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
    let publisher = match setup.publishes && !args.dry_run {
        true => Some(BoundedPublisher::new(
            Arc::new(GooglePublisher::connect(&settings.pubsub.value).await?),
            MAX_PUBLISHES_IN_FLIGHT,
        )),
        false => None,
    };
    let metrics = setup
        .metrics
        .unwrap_or_else(|| Arc::new(ConsumerMetrics::new(&consumer.name)));
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
            signals: setup.signals,
        },
        setup.routes,
    )
    .await?;
    let handler = build(Parts {
        conn: conn.clone(),
        store: store.clone(),
        publisher: publisher.map(|publisher| RoutedPublisher {
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
