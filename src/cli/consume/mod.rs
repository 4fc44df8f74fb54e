//! `officectl consume`: `--list` the layout's consumers, or run one as a long-lived worker
//! (`consume vespa-loader`, `consume contact-discovery`, `consume shipments`, `consume fe-sse`).

mod discovery;
mod fe_sse;
mod loader;
mod meetings;
mod publishing;
mod run_args;
mod shipments;
mod types;

use crate::cli::Context;
use crate::cli::topics::layout_args::LayoutArgs;
use anyhow::Context as _;
use officectl::consume::layout::{self, Consumer, ConsumerList};
use officectl::consume::listen::{self, ConsumerReadiness, Endpoint};
use officectl::consume::metrics::ConsumerMetrics;
use officectl::consume::runtime::{Runtime, RuntimeHandles, RuntimeOptions};
use officectl::migrate::readers::Heartbeat;
use officectl::model::catalog::DataType;
use officectl::model::store::KeyValueStore;
use officectl::operator::{Facts, Operator};
use officectl::pubsub::google::GoogleSubscriber;
use officectl::run::CancellationToken;
use officectl::settings::Settings;
use run_args::RunArgs;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
#[command(arg_required_else_help = true)]
pub struct Args {
    /// The consumer to run (`vespa-loader`, `contact-discovery`, `shipments`, `fe-sse`)
    #[arg(value_name = "CONSUMER", required_unless_present = "list")]
    consumer: Option<String>,

    /// Print every consumer of the layout with its subscriptions and topics
    #[arg(long, conflicts_with = "consumer")]
    list: bool,

    #[command(flatten)]
    layout: LayoutArgs,

    #[command(flatten)]
    run: RunArgs,

    #[command(flatten)]
    sse: fe_sse::SseArgs,
}

/// The consumers this build runs.
const RUNNABLE: [&str; 5] = [
    officectl::consume::loader::VESPA_LOADER,
    officectl::consume::discovery::CONTACT_DISCOVERY,
    officectl::consume::shipments::SHIPMENTS,
    officectl::consume::meetings::MEETINGS,
    officectl::consume::fe_sse::FE_SSE,
];

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let layout = args.layout.load()?;
    if args.list {
        return context.printer.report(&ConsumerList {
            layout: layout.path.display().to_string(),
            consumers: layout::consumers(&layout),
        });
    }
    let name = args.consumer.unwrap_or_default();
    let consumer =
        layout::find(&layout, &name).map_err(|e| officectl::exit::Failure::Usage(e.to_string()))?;
    if args.run.record_feeds && consumer.name != officectl::consume::loader::VESPA_LOADER {
        return Err(officectl::exit::Failure::Usage(format!(
            "`--record-feeds` is for `{}` only, not `{}`",
            officectl::consume::loader::VESPA_LOADER,
            consumer.name
        ))
        .into());
    }
    match consumer.name.as_str() {
        officectl::consume::loader::VESPA_LOADER => loader::run(consumer, &args.run, context).await,
        officectl::consume::discovery::CONTACT_DISCOVERY => {
            discovery::run(consumer, &args.run, context).await
        }
        officectl::consume::shipments::SHIPMENTS => {
            shipments::run(consumer, &args.run, context).await
        }
        officectl::consume::meetings::MEETINGS => meetings::run(consumer, &args.run, context).await,
        officectl::consume::fe_sse::FE_SSE => {
            fe_sse::run(consumer, &args.run, &args.sse, context).await
        }
        other => Err(officectl::exit::Failure::Usage(format!(
            "consumer `{other}` is declared in `{}` but this build runs only {}",
            layout.path.display(),
            RUNNABLE.map(|c| format!("`{c}`")).join(", "),
        ))
        .into()),
    }
}

/// How long a message may be held, extension after extension (the client's default).
const MAX_LEASE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Google's subscriber with the flow control of `--max-outstanding-messages` and
/// `--max-outstanding-bytes`, and the leases of `--lease-extension`.
async fn subscriber(settings: &Settings, args: &RunArgs) -> anyhow::Result<GoogleSubscriber> {
    Ok(
        GoogleSubscriber::connect(&settings.pubsub.value, args.max_outstanding_messages)
            .await?
            .with_max_outstanding_bytes(args.max_outstanding_bytes)
            .with_lease_limits(MAX_LEASE, args.lease_extension),
    )
}

/// The consumer's runtime over `subscriber`, reading `types` as the flags of `args` say.
fn runtime(
    consumer: &Consumer,
    args: &RunArgs,
    project: String,
    types: Vec<DataType>,
    subscriber: GoogleSubscriber,
    flags: Arc<dyn KeyValueStore>,
    handles: RuntimeHandles,
) -> Runtime {
    Runtime::new(
        consumer.clone(),
        RuntimeOptions {
            project,
            types,
            flag_refresh: args.flag_refresh,
            concurrency: usize::from(args.concurrency),
        },
        Arc::new(subscriber),
        flags,
        handles,
    )
}

/// The runtime's handles, with the heartbeat a worker writes (none in a dry run).
fn runtime_handles(
    consumer: &Consumer,
    args: &RunArgs,
    store: Arc<dyn KeyValueStore>,
    project: &str,
    settings: &Settings,
    metrics: Arc<ConsumerMetrics>,
) -> RuntimeHandles {
    RuntimeHandles {
        metrics: Some(metrics),
        heartbeat: (!args.dry_run).then(|| {
            Arc::new(Heartbeat::new(
                store,
                &consumer.name,
                project,
                &Operator::from_facts(&Facts::from_system(settings.user.clone())).to_string(),
                args.flag_refresh,
            ))
        }),
        ..Default::default()
    }
}

/// Serves `/healthz`, `/readyz` and `/metrics` on `--listen`, if given, until the returned guard
/// is dropped (after the report, so a scraper sees the last figures).
async fn serve(
    args: &RunArgs,
    consumer: &Consumer,
    metrics: Arc<ConsumerMetrics>,
    ready: ConsumerReadiness,
    routes: Option<axum::Router>,
) -> anyhow::Result<tokio_util::sync::DropGuard> {
    let stop = CancellationToken::new();
    if let Some(addr) = &args.listen {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("--listen {addr}: cannot listen there"))?;
        let bound = listener.local_addr()?;
        let endpoint = Endpoint {
            metrics,
            ready: Arc::new(ready),
        };
        match routes {
            Some(routes) => {
                tracing::info!(consumer = %consumer.name, listen = %bound,
                    "serving /healthz, /readyz, /metrics and /v1/users/{{user}}/events");
                tokio::spawn(listen::serve_with(listener, endpoint, routes, stop.clone()));
            }
            None => {
                tracing::info!(consumer = %consumer.name, listen = %bound, "serving /healthz, /readyz and /metrics");
                tokio::spawn(listen::serve(listener, endpoint, stop.clone()));
            }
        }
    }
    Ok(stop.drop_guard())
}
