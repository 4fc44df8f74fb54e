//! `officectl reindex`: Vespa's native reindexing (`--native`), or a re-feed of documents built
//! from events (`--source FILE|-`); `officectl reindex status`.

use crate::cli::vespa::feed::{ConnectionArgs, finish, spawn_progress};
use crate::cli::{Context, error, input, interrupt};
use anyhow::Context as _;
use officectl::exit::Failure;
use officectl::model::vespa::{FeedOperation, Outcome, Skipped, from_message};
use officectl::vespa::feed::{InputItem, OpKind, Operation, Progress};
use officectl::vespa::reindex::{self, Application, HttpConfigServer, ReindexStatus, Selection};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<ReindexCommand>,

    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, clap::Subcommand)]
enum ReindexCommand {
    /// Show native reindexing state and progress per cluster and document type
    Status(StatusArgs),
}

#[derive(Debug, clap::Args)]
struct AppArgs {
    /// Content cluster (repeatable) [default: all]
    #[arg(long = "cluster", value_name = "CLUSTER")]
    clusters: Vec<String>,

    /// Document type (repeatable) [default: all]
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,

    /// Application on the config server, as tenant.application.instance
    #[arg(long, value_name = "T.A.I", default_value = "default.default.default")]
    application: String,
}

impl AppArgs {
    fn application(&self) -> anyhow::Result<Application> {
        let parts: Vec<&str> = self.application.split('.').collect();
        match parts.as_slice() {
            [t, a, i] if !t.is_empty() && !a.is_empty() && !i.is_empty() => Ok(Application {
                tenant: t.to_string(),
                application: a.to_string(),
                instance: i.to_string(),
            }),
            _ => Err(anyhow::anyhow!(
                "`--application {}` is not tenant.application.instance",
                self.application
            )),
        }
    }

    fn selection(&self) -> Selection {
        Selection {
            clusters: self.clusters.clone(),
            types: self.types.clone(),
        }
    }
}

#[derive(Debug, clap::Args)]
struct StatusArgs {
    #[command(flatten)]
    app: AppArgs,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Use Vespa's own reindexing: mark the types ready on the config server
    #[arg(long, conflicts_with = "source", required_unless_present = "source")]
    native: bool,

    #[command(flatten)]
    app: AppArgs,

    /// Reindexing speed in (0, 10]; 0 halts what is marked (`--native`)
    #[arg(long, value_name = "SPEED", default_value_t = 1.0)]
    speed: f64,

    /// Why, recorded by the config server (`--native`)
    #[arg(long, value_name = "TEXT")]
    cause: Option<String>,

    /// Wait until the marked types are `successful` (or one `failed`), with progress (`--native`)
    #[arg(long)]
    wait: bool,

    /// Seconds between status polls with `--wait`
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    poll_interval: f64,

    /// Give up waiting after this many seconds (exit 1)
    #[arg(long, value_name = "SECONDS")]
    wait_timeout: Option<u64>,

    /// Re-feed documents built from events (NDJSON, new or legacy shapes), or `-` for stdin
    #[arg(long, value_name = "FILE")]
    source: Option<PathBuf>,

    #[command(flatten)]
    connection: ConnectionArgs,

    /// With `--source`: write operations that failed to FILE in the feed format
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,

    /// Show what would be done without changing anything
    #[arg(long)]
    dry_run: bool,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    match args.command {
        Some(ReindexCommand::Status(status)) => {
            let server = config_server(context)?;
            let app = status.app.application()?;
            let selection = status.app.selection();
            let mut report = read_status(&server, &app, context).await?;
            report
                .types
                .retain(|r| selection.matches(&r.cluster, &r.document_type));
            context.printer.report(&report)
        }
        None => match &args.run.source {
            Some(source) => refeed(&args.run, source, context).await,
            None => native(&args.run, context).await,
        },
    }
}

fn config_server(context: &Context) -> anyhow::Result<HttpConfigServer> {
    Ok(HttpConfigServer::new(
        &context.settings.vespa.config_endpoint.value,
    )?)
}

async fn read_status(
    server: &HttpConfigServer,
    app: &Application,
    context: &Context,
) -> anyhow::Result<ReindexStatus> {
    reindex::status(server, app).await.with_context(|| {
        format!(
            "cannot read the reindexing status from `{}`",
            context.settings.vespa.config_endpoint.value
        )
    })
}

async fn native(args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    if !(0.0..=10.0).contains(&args.speed) {
        return Err(anyhow::anyhow!(
            "`--speed {}` must be in [0, 10] (0 halts)",
            args.speed
        ));
    }
    if args.wait && args.speed == 0.0 {
        return Err(anyhow::anyhow!(
            "`--wait` with `--speed 0` would never finish: speed 0 halts reindexing"
        ));
    }
    let server = config_server(context)?;
    let app = args.app.application()?;
    let selection = args.app.selection();
    if args.dry_run {
        context.printer.status(format!(
            "dry run: would {} {} of application `{}` on `{}`",
            if args.speed == 0.0 {
                "halt reindexing".to_string()
            } else {
                format!("mark for reindexing at speed {}", args.speed)
            },
            describe(&selection),
            args.app.application,
            context.settings.vespa.config_endpoint.value
        ));
        return Ok(());
    }
    let before = read_status(&server, &app, context).await?;
    let message = reindex::trigger(&server, &app, &selection, args.speed, args.cause.as_deref())
        .await
        .map_err(|err| {
            error::with_hint(
                anyhow::Error::new(err).context(format!(
                    "cannot start reindexing {} on `{}`",
                    describe(&selection),
                    context.settings.vespa.config_endpoint.value
                )),
                "see the clusters and types with `officectl reindex status`",
            )
        })?;
    context.printer.status(&message);
    if !args.wait {
        let mut report = read_status(&server, &app, context).await?;
        report
            .types
            .retain(|r| selection.matches(&r.cluster, &r.document_type));
        return context.printer.report(&report);
    }

    // The types this trigger marked: their `readyMillis` changed (or appeared).
    let cancel = interrupt::watch();
    let started = Instant::now();
    let bar = context.printer.progress_visible().then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(1000),
            indicatif::ProgressDrawTarget::stderr_with_hz(5),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut last_line = Instant::now();
    let poll = Duration::from_secs_f64(args.poll_interval.clamp(0.05, 60.0));
    let result = loop {
        let now = read_status(&server, &app, context).await?;
        let marked: Vec<_> = now
            .types
            .iter()
            .filter(|r| selection.matches(&r.cluster, &r.document_type))
            .filter(|r| {
                r.status.ready_millis.is_some()
                    && before
                        .get(&r.cluster, &r.document_type)
                        .is_none_or(|b| b.status.ready_millis != r.status.ready_millis)
            })
            .cloned()
            .collect();
        let total = marked.len().max(1) as f64;
        let progress: f64 = marked
            .iter()
            .map(|r| {
                if r.state == "successful" {
                    1.0
                } else {
                    r.status.progress.unwrap_or(0.0)
                }
            })
            .sum::<f64>()
            / total;
        let states: Vec<String> = marked
            .iter()
            .map(|r| format!("{}/{} {}", r.cluster, r.document_type, r.state))
            .collect();
        if let Some(bar) = &bar {
            bar.set_position((progress * 1000.0) as u64);
            bar.set_message(states.join(", "));
        } else if last_line.elapsed() >= Duration::from_secs(10) {
            last_line = Instant::now();
            context
                .printer
                .status(format!("{:.1}% {}", progress * 100.0, states.join(", ")));
        }
        let mut report = now.clone();
        report.types = marked.clone();
        if marked.iter().any(|r| r.state == "failed") {
            break Err((report, "failed"));
        }
        if marked.iter().all(|r| r.state == "successful") {
            break Ok(report);
        }
        if cancel.load(Ordering::Relaxed) {
            break Err((report, "interrupted"));
        }
        if args
            .wait_timeout
            .is_some_and(|t| started.elapsed() >= Duration::from_secs(t))
        {
            break Err((report, "timeout"));
        }
        tokio::time::sleep(poll).await;
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            context.printer.report(&report)?;
            context.printer.status(format!(
                "reindexing of {} successful after {:.1} s",
                describe(&selection),
                started.elapsed().as_secs_f64()
            ));
            Ok(())
        }
        Err((report, why)) => {
            context.printer.report(&report)?;
            match why {
                "interrupted" => Err(anyhow::Error::new(Failure::Interrupted).context(
                    "stopped waiting; reindexing goes on (see `officectl reindex status`)",
                )),
                "timeout" => Err(error::with_hint(
                    anyhow::anyhow!(
                        "reindexing of {} not finished after {} s",
                        describe(&selection),
                        args.wait_timeout.unwrap_or_default()
                    ),
                    "it goes on in Vespa; follow it with `officectl reindex status`",
                )),
                _ => Err(error::with_hint(
                    anyhow::anyhow!("reindexing of {} failed", describe(&selection)),
                    "Vespa resumes a failed reindexing by itself after a grace period; see the message column",
                )),
            }
        }
    }
}

fn describe(selection: &Selection) -> String {
    let list = |v: &[String], all: &str| {
        if v.is_empty() {
            all.to_string()
        } else {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        "types {} in clusters {}",
        list(&selection.types, "(all)"),
        list(&selection.clusters, "(all)")
    )
}

/// What the event reader saw, beyond the operations it produced.
#[derive(Default)]
struct EventCounts {
    events: AtomicU64,
    skipped_unknown: AtomicU64,
    invalid: AtomicU64,
    /// First invalid lines, for the error message.
    invalid_lines: std::sync::Mutex<Vec<String>>,
}

fn to_operation(op: FeedOperation) -> Result<Operation, String> {
    match op {
        FeedOperation::Put(doc) => {
            let fields = serde_json::to_string(&doc.fields).map_err(|err| err.to_string())?;
            Ok(Operation {
                kind: OpKind::Put,
                id: doc.id,
                condition: None,
                create: false,
                fields: Some(RawValue::from_string(fields).map_err(|err| err.to_string())?),
            })
        }
        FeedOperation::Remove { id, .. } => Ok(Operation {
            kind: OpKind::Remove,
            id: id.to_string(),
            condition: None,
            create: false,
            fields: None,
        }),
    }
}

async fn refeed(args: &RunArgs, source: &Path, context: &Context) -> anyhow::Result<()> {
    let transport = Arc::new(args.connection.transport(&context.settings)?);
    let config = args.connection.feed_config();
    if source != Path::new("-") {
        std::fs::File::open(source)
            .with_context(|| format!("cannot open `{}`", source.display()))?;
    }
    let label = input::label(source);
    let counts = Arc::new(EventCounts::default());
    let (tx, rx) = tokio::sync::mpsc::channel::<InputItem>(4096);
    let path = source.to_path_buf();
    let reader_counts = counts.clone();
    let reader_label = label.clone();
    let dry_run = args.dry_run;
    let dry_ops = Arc::new(AtomicU64::new(0));
    let reader_dry_ops = dry_ops.clone();
    let reader = std::thread::spawn(move || {
        let reader = match input::open(&path) {
            Ok(reader) => reader,
            Err(err) => {
                let _ = tx.blocking_send(Err(format!("{err:#}")));
                return;
            }
        };
        let attributes = BTreeMap::new();
        for (index, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(err) => {
                    let _ = tx.blocking_send(Err(format!("cannot read `{reader_label}`: {err}")));
                    return;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            reader_counts.events.fetch_add(1, Ordering::Relaxed);
            match from_message(line.as_bytes(), &attributes) {
                Outcome::Feed(ops) => {
                    for op in ops {
                        let id = match &op {
                            FeedOperation::Put(doc) => doc.id.clone(),
                            FeedOperation::Remove { id, .. } => id.to_string(),
                        };
                        let item = to_operation(op).map_err(|err| {
                            format!(
                                "`{reader_label}` line {}: document `{id}`: {err}",
                                index + 1
                            )
                        });
                        if dry_run {
                            reader_dry_ops.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        if tx.blocking_send(item).is_err() {
                            return;
                        }
                    }
                }
                Outcome::Skipped(Skipped::UnknownEventType { .. }) => {
                    reader_counts
                        .skipped_unknown
                        .fetch_add(1, Ordering::Relaxed);
                }
                Outcome::Skipped(other) => {
                    reader_counts.invalid.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut lines) = reader_counts.invalid_lines.lock()
                        && lines.len() < 10
                    {
                        let why = match other {
                            Skipped::Invalid { problems } => problems
                                .iter()
                                .map(|p| format!("{}: {}", p.path, p.message))
                                .collect::<Vec<_>>()
                                .join("; "),
                            other => format!("{other:?}"),
                        };
                        lines.push(format!("  `{reader_label}` line {}: {why}", index + 1));
                    }
                }
            }
        }
    });

    let cancel = interrupt::watch();
    let progress = Arc::new(Progress::default());
    let outcome = if dry_run {
        drop(rx);
        let _ = reader.join();
        None
    } else {
        let ticker = spawn_progress(context, progress.clone());
        let outcome = officectl::vespa::feed(transport, rx, &config, &progress, &cancel).await;
        ticker.stop();
        let _ = reader.join();
        Some(outcome)
    };
    let events = counts.events.load(Ordering::Relaxed);
    let skipped = counts.skipped_unknown.load(Ordering::Relaxed);
    let invalid = counts.invalid.load(Ordering::Relaxed);
    context.printer.status(format!(
        "{events} events read: {skipped} of unknown types skipped, {invalid} invalid"
    ));
    let Some(outcome) = outcome else {
        context.printer.status(format!(
            "dry run: would feed {} operations to `{}`",
            dry_ops.load(Ordering::Relaxed),
            context.settings.vespa.endpoint.value
        ));
        return Ok(());
    };
    let failed = outcome.failed > 0 || outcome.input_error.is_some() || outcome.cancelled;
    finish(outcome, args.rejects.as_deref(), &label, context)?;
    if invalid > 0 && !failed {
        let lines = counts
            .invalid_lines
            .lock()
            .map(|l| l.join("\n"))
            .unwrap_or_default();
        return Err(error::with_hint(
            anyhow::anyhow!("{invalid} invalid events in `{label}` were not fed:\n{lines}"),
            format!("see every problem with `officectl events validate {label}`"),
        ));
    }
    Ok(())
}
