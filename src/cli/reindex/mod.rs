//! `officectl reindex`: Vespa's native reindexing (`--native`), or a re-feed of documents —
//! built from events (`--source FILE|-|pubsub:SUBSCRIPTION`) or visited from Vespa itself
//! (`--from-vespa`); `officectl reindex status`.
//!
//! This file holds the flags, `--native` and `status`; the re-feeds are in [`refeed`].

mod refeed;

use crate::cli::vespa::feed::ConnectionArgs;
use crate::cli::{Context, error};
use anyhow::Context as _;
use officectl::exit::Failure;
use officectl::vespa::reindex::{self, Application, HttpConfigServer, ReindexStatus, Selection};
use std::path::PathBuf;
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
#[command(group(clap::ArgGroup::new("mode").required(true).args(["native", "source", "from_vespa"])))]
struct RunArgs {
    /// Use Vespa's own reindexing: mark the types ready on the config server
    #[arg(long)]
    native: bool,

    /// Re-feed documents built from events: an NDJSON file, `-` for stdin, or `pubsub:SUBSCRIPTION`
    #[arg(long, value_name = "SOURCE")]
    source: Option<String>,

    /// Re-feed the documents stored in Vespa, visited and brought to the current shape
    #[arg(long)]
    from_vespa: bool,

    #[command(flatten)]
    app: AppArgs,

    /// Re-feed only this user's documents or events (repeatable) [default: all]
    #[arg(long = "user", value_name = "USER", conflicts_with = "native")]
    users: Vec<String>,

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

    /// With `--from-vespa`: visit each selection as N slices, concurrently
    #[arg(long, value_name = "N", default_value_t = 1, requires = "from_vespa", value_parser = clap::value_parser!(u32).range(1..=256))]
    slices: u32,

    /// With `--from-vespa`: documents per visit request (`wantedDocumentCount`)
    #[arg(long, value_name = "N", default_value_t = 1000, requires = "from_vespa", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    page_size: u32,

    /// With a `pubsub:` source: stop after no new message for this long
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = crate::cli::flag_values::parse_duration)]
    idle_timeout: Duration,

    /// Send at most this many operations per second
    #[arg(long, value_name = "OPS_PER_S", value_parser = crate::cli::flag_values::parse_rate, conflicts_with = "native")]
    rate: Option<f64>,

    #[command(flatten)]
    connection: ConnectionArgs,

    /// Write operations that failed to FILE in the feed format (re-feeds)
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,

    /// Continue the checkpointed re-feed with the same source and selection
    #[arg(long, conflicts_with_all = ["restart", "native"])]
    resume: bool,

    /// Discard the re-feed's checkpoint and start over
    #[arg(long, conflicts_with = "native")]
    restart: bool,

    /// Show what would be done without changing anything: read or visit and count, feed
    /// nothing, write no checkpoint
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
        None if args.run.native => native(&args.run, context).await,
        None => refeed::run(&args.run, context).await,
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
    let cancel = context.interrupts.token();
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
        if cancel.is_cancelled() {
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
    use crate::cli::flag_values::quoted_list;
    format!(
        "types {} in clusters {}",
        quoted_list(&selection.types, "(all)"),
        quoted_list(&selection.clusters, "(all)")
    )
}
