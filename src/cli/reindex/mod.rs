//! `officectl reindex`: Vespa's native reindexing (`--native`), or a re-feed of documents —
//! built from events (`--source FILE|-|pubsub:SUBSCRIPTION`) or visited from Vespa itself
//! (`--from-vespa`); `officectl reindex status`.
//!
//! This file holds the flags, `--native` and `status`; the re-feeds are in [`refeed`].

mod native;
mod refeed;

use crate::cli::Context;
use crate::cli::vespa::connection::ConnectionArgs;
use anyhow::Context as _;
use officectl::vespa::reindex::{self, Application, HttpConfigServer, ReindexStatus, Selection};
use std::path::PathBuf;
use std::time::Duration;

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
        None if args.run.native => native::run(&args.run, context).await,
        None => refeed::run(&args.run, context).await,
    }
}

pub(super) fn config_server(context: &Context) -> anyhow::Result<HttpConfigServer> {
    crate::cli::vespa::connection::config_server(&context.settings)
}

pub(super) async fn read_status(
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
