//! `officectl consume fe-sse --listen ADDR`: the browser notifier on the consumers' worker
//! ([`super::publishing`], publishing nothing): its handler appends each change to the user's
//! stream, and `--listen` serves `/v1/users/{user}/events` beside `/healthz`, `/readyz` and
//! `/metrics`.

use super::publishing::{self, Setup};
use super::run_args::RunArgs;
use crate::cli::Context;
use crate::cli::flag_values;
use anyhow::Context as _;
use officectl::consume::fe_sse::{FeSse, FeSseCounters};
use officectl::consume::layout::Consumer;
use officectl::consume::metrics::ConsumerMetrics;
use officectl::redis_connection;
use officectl::run::CancellationToken;
use officectl::settings::env;
use officectl::sse::hub::Hub;
use officectl::sse::metrics::SseMetrics;
use officectl::sse::server::{self, SseOptions, SseState};
use officectl::sse::stream::{NotificationStreams, StreamConfig};
use officectl::sse::token::TokenVerifier;
use std::sync::Arc;
use std::time::Duration;

/// The flags of `consume fe-sse` (the other consumers ignore them).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "fe-sse options")]
pub struct SseArgs {
    /// Let pages of this origin read event streams (CORS), e.g. `https://app.example.com`;
    /// repeat for more (added to `fe_sse.allow_origins` of the config file)
    #[arg(long, value_name = "ORIGIN")]
    allow_origin: Vec<String>,

    /// Notifications each user's stream keeps at least (`XADD MAXLEN ~`)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    stream_max_len: u64,

    /// How long a user's stream lives after its last notification
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = flag_values::parse_duration)]
    stream_ttl: Duration,

    /// Silence after which an event stream gets a heartbeat comment
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = flag_values::parse_duration)]
    heartbeat: Duration,

    /// The reconnection delay advised to clients (`retry:`)
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = flag_values::parse_duration)]
    client_retry: Duration,
}

pub async fn run(
    consumer: Consumer,
    args: &RunArgs,
    sse: &SseArgs,
    context: &Context,
) -> anyhow::Result<()> {
    let settings = &context.settings;
    if args.listen.is_none() {
        return Err(officectl::exit::Failure::Usage(
            "`consume fe-sse` serves its event streams on `--listen ADDR`: give one, e.g. `--listen 0.0.0.0:8080`".into(),
        )
        .into());
    }
    let secret = settings.fe_sse.jwt_secret.as_ref().ok_or_else(|| {
        anyhow::anyhow!(
            "fe-sse has no token secret: set `{}` or `fe_sse.jwt_secret` in the config file",
            env::FE_SSE_JWT_SECRET
        )
    })?;
    let tokens = TokenVerifier::new(secret.value.as_bytes())
        .map_err(|e| anyhow::anyhow!("the fe-sse token secret (from {}) {e}", secret.source))?;
    let mut allow_origins = Vec::new();
    for (origin, from) in settings
        .fe_sse
        .allow_origins
        .iter()
        .map(|o| (o, "fe_sse.allow_origins"))
        .chain(sse.allow_origin.iter().map(|o| (o, "--allow-origin")))
    {
        server::parse_origin(origin)
            .map_err(|e| officectl::exit::Failure::Usage(format!("{from}: {e}")))?;
        allow_origins.push(origin.clone());
    }

    let mut sse_metrics = SseMetrics::default();
    let metrics = Arc::new(ConsumerMetrics::new_with(&consumer.name, |registry| {
        sse_metrics = SseMetrics::register(registry);
    }));
    let config = StreamConfig {
        max_len: sse.stream_max_len,
        ttl: sse.stream_ttl,
    };
    // The connections' reads have a connection of their own, beside the consumer's appends.
    let reads = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5))
        .await
        .context("fe-sse: the event streams' Redis connection")?;
    let hub = Hub::new();
    let hub_stop = CancellationToken::new();
    let _hub_guard = hub_stop.clone().drop_guard();
    tokio::spawn(
        hub.clone()
            .listen(settings.redis_url.value.clone(), hub_stop),
    );
    let state = Arc::new(SseState {
        tokens,
        streams: NotificationStreams::new(reads, config),
        hub: hub.clone(),
        metrics: sse_metrics.clone(),
        options: SseOptions {
            heartbeat: sse.heartbeat,
            retry: sse.client_retry,
            allow_origins,
        },
        // SIGTERM ends the streams at once: their clients reconnect to another replica with
        // their Last-Event-ID while this one drains.
        stop: context.interrupts.token(),
    });
    let routes = server::router(state)?;
    publishing::run(
        consumer,
        args,
        context,
        Setup {
            publishes: false,
            metrics: Some(metrics),
            routes: Some(routes),
            signals: Some(hub.listening.clone()),
        },
        |parts| FeSse {
            streams: NotificationStreams::new(parts.conn, config),
            metrics: parts.metrics,
            sse_metrics,
            counters: Arc::new(FeSseCounters::default()),
            dry_run: args.dry_run,
        },
        |handler, name, handles| handler.counters.report(name, handles),
    )
    .await
}
