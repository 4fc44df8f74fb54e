//! `officectl backfill`: replays users' mail as `EmailEvent` batches.
//!
//! Parse → resolve → execute: [`run`] turns the flags into the engine's options, settles how
//! the run starts ([`start`]: fresh, resumed, or asked about), opens the source and the sinks,
//! runs the engine with Ctrl-C/SIGTERM wired to its token and progress drawn by the printer, and
//! [`outcome`] turns the result into the exit code (130 after an interrupt, 1 on error, with
//! the resume command as hint). The decisions themselves are the core's
//! (`officectl::backfill::plan`).

mod args;
mod outcome;
mod start;

pub use args::Args;

use crate::cli::{Context, error::with_hint, input};
use anyhow::{Context as _, anyhow};
use officectl::backfill::checkpoint::RunIdentity;
use officectl::backfill::http::{HttpOptions, HttpSource};
use officectl::backfill::plan::{self, SourceSpec};
use officectl::backfill::shard::Shard;
use officectl::backfill::source::{NdjsonSource, Source};
use officectl::backfill::subscription::SubscriptionSource;
use officectl::backfill::{self, Routing, Selection};
use officectl::migrate::publish;
use officectl::model::catalog::DataType;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
use officectl::pubsub::{Admin, BoundedPublisher, MessageSource, names};
use officectl::redis_connection;
use officectl::run::failpoint::Site;
use officectl::trail::TraceRecorder;
use std::collections::BTreeSet;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How often a running backfill re-reads the publish-mode flag.
const MODE_REFRESH: Duration = Duration::from_secs(5);

/// The users of `--shard`, if given: those whose documented hash falls in the shard.
fn shard_users(args: &Args, users: Vec<String>) -> anyhow::Result<Vec<String>> {
    let Some(spec) = &args.shard else {
        return Ok(users);
    };
    let job_index = std::env::var("JOB_COMPLETION_INDEX").ok();
    let shard = Shard::parse(spec, job_index.as_deref())
        .map_err(|e| officectl::exit::Failure::Usage(format!("--shard {e}")))?;
    let total = users.len();
    let mine: Vec<String> = users.into_iter().filter(|u| shard.contains(u)).collect();
    tracing::info!(shard = %shard, users = mine.len(), of = total, "backfilling one shard");
    Ok(mine)
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    let project = settings.project()?.to_string();
    let failpoints = settings
        .failpoints
        .clone()
        .only(&[Site::BackfillAfterBatch])?;
    let users = shard_users(&args, read_users(&args)?)?;
    let full_topic = |topic: &str| {
        if topic.starts_with("projects/") {
            topic.to_string()
        } else {
            names::topic(&project, topic)
        }
    };
    // Checkpoints are kept under the chosen topic, or the e-mail topic whatever the mode.
    let topic = full_topic(args.topic.as_deref().unwrap_or(DataType::Email.topic()));
    let spec = SourceSpec::parse(&args.source, &project);
    if args.shard.is_some() && matches!(spec, SourceSpec::Subscription(_)) {
        return Err(officectl::exit::Failure::Usage(format!(
            "--shard cannot read `{}`: shards sharing one subscription would each take (and ack) \
             the others' messages; replay a subscription from one run",
            args.source
        ))
        .into());
    }
    // Local input first: a missing file is reported before any service is asked anything.
    let local_source = match &spec {
        SourceSpec::File(path) => Some(open_file(path, &spec)?),
        _ => None,
    };
    let identity = RunIdentity {
        source: spec.identity(),
        batch_size: usize::from(args.batch_size),
        since: args.since,
        until: args.until,
    };

    // Checkpoints (a real run or an explicit `--resume`) and the publish-mode flag (unless
    // `--topic` fixes the destination) live in Redis.
    let store: Option<Arc<dyn KeyValueStore>> =
        if !args.dry_run || args.resume || args.topic.is_none() {
            let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5))
                .await?;
            Some(Arc::new(RedisKvStore::new(conn)))
        } else {
            None
        };
    let resume_from = match &store {
        Some(store) if !args.dry_run || args.resume => {
            start::decide(&args, store.as_ref(), &topic, &users, &identity, printer).await?
        }
        _ => Default::default(),
    };
    let (routing, destinations) = match (&args.topic, &store) {
        (Some(_), _) | (None, None) => (Routing::Topic(topic.clone()), vec![topic.clone()]),
        (None, Some(store)) => {
            let mode = publish::read_mode(store.as_ref(), DataType::Email)
                .await
                .with_context(|| {
                    format!(
                        "cannot read the publish-mode flag `{}`",
                        publish::mode_flag(DataType::Email).key()
                    )
                })?;
            let routing = Routing::PublishMode {
                project: project.clone(),
                flags: store.clone(),
                refresh: MODE_REFRESH,
            };
            (routing, plan::topics_for(mode, &project, &topic))
        }
    };
    let correlation_id = plan::correlation_id(&resume_from, args.correlation_id.as_deref());

    let sinks = if args.dry_run {
        None
    } else {
        let admin = GoogleAdmin::connect(&settings.pubsub.value).await?;
        for topic in &destinations {
            match admin.get_topic(topic).await {
                Ok(_) => {}
                Err(err) if err.is_not_found() => {
                    return Err(with_hint(
                        anyhow!("topic `{topic}` does not exist; nothing was published"),
                        "create it with `officectl topics apply`, or pick another with `--topic`",
                    ));
                }
                Err(err) => return Err(err.into()),
            }
        }
        let transport = GooglePublisher::connect(&settings.pubsub.value).await?;
        let store = store
            .clone()
            .ok_or_else(|| anyhow!("internal: no store for a real run"))?;
        let trace_conn =
            redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        Some(backfill::Sinks {
            publisher: BoundedPublisher::new(Arc::new(transport), args.max_in_flight as usize),
            store,
            trace: Some(TraceRecorder::new(trace_conn, "backfill")),
        })
    };

    let source: Box<dyn Source> = match (local_source, &spec) {
        (Some(source), _) => source,
        (None, SourceSpec::Subscription(name)) => {
            let subscriber = GoogleSubscriber::connect(&settings.pubsub.value, 1000).await?;
            Box::new(SubscriptionSource::new(
                name,
                subscriber.subscribe(name),
                args.idle_timeout,
            ))
        }
        (None, SourceSpec::Http(url)) => {
            let mut options = HttpOptions::new(url.clone());
            options.token = settings.source_token.clone();
            options.since = args.since;
            options.until = args.until;
            options.concurrency = usize::from(args.concurrency);
            Box::new(HttpSource::new(options, users.clone()))
        }
        (None, SourceSpec::File(path)) => open_file(path, &spec)?,
    };
    let rejects: Option<Box<dyn Write + Send>> = match &args.rejects {
        Some(path) if !args.dry_run => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create `{}`", path.display()))?;
            Some(Box::new(std::io::BufWriter::new(file)))
        }
        _ => None,
    };

    printer.status(outcome::starting(
        &args,
        users.len(),
        &identity.source,
        &destinations,
        &routing,
        &correlation_id,
        resume_from.len(),
    ));
    let options = backfill::Options {
        topic: topic.clone(),
        routing,
        selection: Selection {
            users: users.iter().cloned().collect(),
            since: args.since,
            until: args.until,
            batch_size: usize::from(args.batch_size),
        },
        correlation_id: correlation_id.clone(),
        dry_run: args.dry_run,
        ordering: args.ordering,
        strict: args.strict,
        rate: args.rate,
        claim_check: settings.claim_check.clone(),
        retry: backfill::publish_retry(args.retry_for),
        resume_from,
        identity,
        failpoints,
        progress_interval: Duration::from_millis(200),
    };
    let result = backfill::run(
        options,
        source,
        sinks,
        rejects,
        Arc::new(outcome::progress(printer)),
        context.interrupts.token(),
    )
    .await;
    printer.report(&result.report)?;
    outcome::finish(result, &args, &correlation_id)
}

/// The users named by `--user` and `--users-file`, sorted, without repeats.
fn read_users(args: &Args) -> anyhow::Result<Vec<String>> {
    let mut users: BTreeSet<String> = args.user.iter().cloned().collect();
    if let Some(path) = &args.users_file {
        let mut text = String::new();
        input::open(path)?
            .read_to_string(&mut text)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        users.extend(plan::users_of(&text));
    }
    if users.is_empty() {
        return Err(with_hint(
            anyhow!("no users to backfill"),
            "name them with `--user USER` or `--users-file FILE`",
        ));
    }
    Ok(users.into_iter().collect())
}

/// Opens a file (or stdin) source: needs no service, so it is opened before any is asked.
fn open_file(path: &Path, spec: &SourceSpec) -> anyhow::Result<Box<dyn Source>> {
    let total = if path == Path::new("-") {
        None
    } else {
        std::fs::metadata(path).ok().map(|m| m.len())
    };
    let reader: Box<dyn BufRead + Send> = if path == Path::new("-") {
        Box::new(std::io::BufReader::with_capacity(1 << 20, std::io::stdin()))
    } else {
        let file = input::open_file(path)?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    Ok(Box::new(NdjsonSource::new(spec.identity(), reader, total)))
}
