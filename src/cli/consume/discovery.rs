//! `officectl consume contact-discovery`: contact discovery as a long-running worker, until
//! SIGTERM or Ctrl-C; then it stops pulling, lets what is in hand finish within
//! `--shutdown-timeout`, and exits 0 with its report.

use super::run_args::RunArgs;
use super::types;
use crate::cli::Context;
use crate::cli::logs;
use officectl::consume::discovery::{Discovering, DiscoveryCounters};
use officectl::consume::layout::Consumer;
use officectl::consume::listen::ConsumerReadiness;
use officectl::consume::metrics::ConsumerMetrics;
use officectl::contacts::store::ContactStore;
use officectl::migrate::routed::RoutedPublisher;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::GooglePublisher;
use officectl::redis_connection;
use std::sync::Arc;
use std::time::Duration;

/// `ContactEvent`s unacknowledged by Pub/Sub at most.
const MAX_PUSHES_IN_FLIGHT: usize = 100;

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    logs::init(args.log_format, &context.printer);
    let project = settings.project()?.to_string();
    let types = types::selected(&consumer, &args.types)?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let store: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
    let subscriber = super::subscriber(settings, args).await?;
    let publisher = BoundedPublisher::new(
        Arc::new(GooglePublisher::connect(&settings.pubsub.value).await?),
        MAX_PUSHES_IN_FLIGHT,
    );
    let metrics = Arc::new(ConsumerMetrics::new(&consumer.name));
    let handles = super::runtime_handles(&consumer, args, store.clone(), &project, settings);
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
    let counters = Arc::new(DiscoveryCounters::default());
    let handler = Discovering {
        store: ContactStore::new(conn, settings.contacts.clone()),
        pushes: (!args.dry_run).then(|| RoutedPublisher {
            publisher,
            project: project.clone(),
            claim_check: settings.claim_check.clone(),
            flags: store.clone(),
        }),
        metrics,
        counters: counters.clone(),
        dry_run: args.dry_run,
    };
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
            .report(&counters.report(&consumer.name, &handles)),
    }
}
