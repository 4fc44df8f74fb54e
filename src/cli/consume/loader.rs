//! `officectl consume vespa-loader`: the loader as a long-running worker, until SIGTERM or
//! Ctrl-C; then it stops pulling, lets what is in flight finish (or be nacked) within
//! `--shutdown-timeout`, and exits 0.

use super::run_args::RunArgs;
use super::types;
use crate::cli::Context;
use crate::cli::logs;
use anyhow::Context as _;
use officectl::consume::layout::Consumer;
use officectl::consume::listen::ConsumerReadiness;
use officectl::consume::loader::{
    LoaderCommitter, LoaderCounters, LoaderHandles, LoaderOptions, LoaderSource,
};
use officectl::consume::metrics::ConsumerMetrics;
use officectl::consume::runtime::RuntimeHandles;
use officectl::migrate::store::{MigrationStore, RedisMigrationStore};
use officectl::model::idempotency::DedupeStore;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::model::vespa::docid;
use officectl::redis_connection;
use officectl::vespa::feed::Operation;
use officectl::vespa::refeed::convert::EventConverter;
use officectl::vespa::refeed::{self, Counters, Filter, Handles, Observer, Options};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::task::TaskTracker;

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    logs::init(args.log_format, printer);
    let project = settings.project()?.to_string();
    let types = types::selected(&consumer, &args.types)?;
    let transport = Arc::new(args.connection.transport(settings)?);
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    // The loader also exports how long each migration plan's lock has been held.
    let migration_locks: Arc<dyn MigrationStore> = Arc::new(RedisMigrationStore::new(conn.clone()));
    let store: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
    let dedupe = Arc::new(DedupeStore::new(
        store.clone(),
        consumer.name.clone(),
        officectl::model::idempotency::DedupeConfig {
            in_progress_ttl: args.claim_timeout,
            ..Default::default()
        },
    ));
    let subscriber = super::subscriber(settings, args).await?;

    let metrics = Arc::new(ConsumerMetrics::new(&consumer.name));
    let cancel = context.interrupts.token();
    let handles = Handles {
        counters: Arc::new(Counters::default()),
        progress: Arc::default(),
        cancel: cancel.clone(),
    };
    let loader = LoaderHandles {
        counters: handles.counters.clone(),
        loader: Arc::new(LoaderCounters::default()),
        metrics: metrics.clone(),
        runtime: RuntimeHandles {
            migration_locks: Some(migration_locks),
            ..super::runtime_handles(
                &consumer,
                args,
                store.clone(),
                &project,
                settings,
                metrics.clone(),
            )
        },
    };
    // The endpoint stops with the process, after the report: a scraper sees the last figures.
    let _endpoint = super::serve(
        args,
        &consumer,
        metrics.clone(),
        ConsumerReadiness {
            subscriptions_open: loader.runtime.subscriptions_open.clone(),
            store: store.clone(),
            vespa: Some(transport.clone()),
            signals: None,
        },
        None,
    )
    .await?;

    let converter = EventConverter {
        filter: Filter::default(),
        payloads: Some((store.clone(), settings.claim_check.clone())),
        newer_wins: true,
    };
    let runtime = super::runtime(
        &consumer,
        args,
        project,
        types,
        subscriber,
        store,
        loader.runtime.clone(),
    );
    let source = LoaderSource::new(
        runtime,
        consumer.clone(),
        LoaderOptions {
            dry_run: args.dry_run,
        },
        dedupe.clone(),
        converter,
        loader.clone(),
    );
    let mut feed = args.connection.feed_config();
    // A worker never gives up on Vespa: operations that fail are nacked and come back.
    feed.deadline = Duration::from_secs(365 * 86_400);
    let observe: Observer = {
        let metrics = metrics.clone();
        Arc::new(move |op: &Operation, ok: bool| {
            let doc_type = docid::split(&op.id).map_or("unknown", |p| p.doc_type);
            metrics.feed_operation(doc_type, ok);
        })
    };
    let options = Options {
        feed,
        rate: None,
        dry_run: args.dry_run,
        failpoints: Default::default(),
        observe: Some(observe),
    };
    tracing::info!(
        consumer = %consumer.name,
        vespa = %settings.vespa.endpoint.value,
        dry_run = args.dry_run,
        concurrency = args.concurrency,
        "consuming until SIGTERM or Ctrl-C"
    );
    let settling = TaskTracker::new();
    let mut stopping_since = None;
    let mut running = tokio::spawn(refeed::run(
        transport,
        Box::new(source),
        Box::new(LoaderCommitter {
            dedupe,
            metrics,
            consumer: consumer.name.clone(),
            dry_run: args.dry_run,
            settling: settling.clone(),
            feeds: args
                .record_feeds
                .then(|| officectl::migrate::drill::ledger::FeedLedger::new(conn.clone())),
            trace: (!args.dry_run)
                .then(|| officectl::trail::TraceRecorder::new(conn, &consumer.name)),
        }),
        None,
        options,
        handles,
    ));
    let report = tokio::select! {
        report = &mut running => Some(report.context("the loader task failed")?),
        () = cancel.cancelled() => {
            stopping_since = Some(std::time::Instant::now());
            tracing::info!(consumer = %consumer.name, "stopping: no more pulls; finishing what is in flight");
            match tokio::time::timeout(args.shutdown_timeout, &mut running).await {
                Ok(report) => Some(report.context("the loader task failed")?),
                Err(_) => None,
            }
        }
    };
    // The last acks and claim releases go out before the process does.
    settling.close();
    let left = stopping_since
        .map_or(args.shutdown_timeout, |since: std::time::Instant| {
            args.shutdown_timeout.saturating_sub(since.elapsed())
        })
        .max(Duration::from_secs(1));
    let _ = tokio::time::timeout(left, settling.wait()).await;
    let Some(mut report) = report else {
        tracing::warn!(
            consumer = %consumer.name,
            "in-flight messages did not finish within {}; they are redelivered",
            officectl::duration::format(args.shutdown_timeout)
        );
        return Ok(());
    };
    report.mode = "consume".into();
    report.source = consumer.name.clone();
    let figures = loader.loader.figures(&loader.runtime);
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
