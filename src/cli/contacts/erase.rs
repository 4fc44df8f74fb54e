//! `officectl contacts forget` and `contacts prune`.

use super::usage;
use crate::cli::Context;
use crate::cli::confirm::confirm;
use crate::cli::flag_values;
use crate::cli::vespa::connection;
use anyhow::Context as _;
use officectl::contacts::erase::{self, Actor, PruneReport, Target, VespaRemoval};
use officectl::migrate::routed::RoutedPublisher;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::operator::{Facts, Operator};
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::GooglePublisher;
use officectl::vespa::feed::FeedConfig;
use officectl::vespa::http::{HttpOptions, HttpTransport};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["address", "all"])))]
pub struct ForgetArgs {
    /// Whose contacts (the user id, as in events)
    #[arg(long, value_name = "USER")]
    user: String,

    /// The contact at this address
    #[arg(long, value_name = "ADDRESS")]
    address: Option<String>,

    /// Every contact of the user (and every one forgotten before, again in Vespa)
    #[arg(long)]
    all: bool,

    /// Let contact discovery find them again (events counted before now count them again when replayed)
    #[arg(long)]
    allow_rediscovery: bool,

    /// Confirm the erasure (required without a terminal)
    #[arg(long)]
    yes: bool,
}

#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Remove contacts without interaction for longer than this [default: contacts.retention]
    #[arg(long, value_name = "DURATION", value_parser = flag_values::parse_duration)]
    older_than: Option<Duration>,

    /// Only this user's contacts (default: every user's)
    #[arg(long, value_name = "USER")]
    user: Option<String>,

    /// Count what would be removed; change nothing
    #[arg(long)]
    dry_run: bool,
}

/// Removes from Vespa through the document API, and publishes removal events.
async fn removal(
    context: &Context,
    correlation_id: String,
) -> anyhow::Result<VespaRemoval<HttpTransport>> {
    let settings = &context.settings;
    let options = HttpOptions {
        endpoint: settings.vespa.endpoint.value.clone(),
        connections: 1,
        headers: Vec::new(),
        bearer_token: settings.vespa.token.as_ref().map(|t| t.value.clone()),
        tls: connection::tls_files(settings),
        request_timeout: Duration::ZERO,
    };
    let transport = HttpTransport::new(&options).with_context(|| {
        format!(
            "cannot set up the connection to Vespa at `{}`",
            settings.vespa.endpoint.value
        )
    })?;
    let conn =
        officectl::redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5))
            .await?;
    let flags: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
    let publisher = BoundedPublisher::new(
        Arc::new(GooglePublisher::connect(&settings.pubsub.value).await?),
        100,
    );
    Ok(VespaRemoval {
        transport: Arc::new(transport),
        feed: FeedConfig::for_connections(1),
        pushes: RoutedPublisher {
            publisher,
            project: settings.project()?.to_string(),
            claim_check: settings.claim_check.clone(),
            flags,
            trace: Some(officectl::trail::TraceRecorder::new(
                conn,
                "contacts-forget",
            )),
        },
        correlation_id,
    })
}

fn actor(context: &Context) -> Actor {
    Actor(Operator::from_facts(&Facts::from_system(context.settings.user.clone())).to_string())
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from(std::time::SystemTime::now())
}

pub async fn forget(args: ForgetArgs, context: &Context) -> anyhow::Result<()> {
    let target = match &args.address {
        Some(address) => {
            if officectl::contacts::address::normalise(address, None).is_none() {
                return Err(usage(format!(
                    "--address: `{address}` is not an e-mail address"
                )));
            }
            Target::Address(address.clone())
        }
        None => Target::All,
    };
    if !args.yes {
        let what = match &target {
            Target::Address(a) => format!("forget contact `{a}` of user `{}`", args.user),
            Target::All => format!("forget every contact of user `{}`", args.user),
        };
        confirm(&what, "pass --yes to confirm".to_string())?;
    }
    let store = super::store(context).await?;
    let vespa = removal(context, format!("forget-{}", uuid::Uuid::new_v4())).await?;
    let outcome = erase::forget(
        &store,
        &vespa,
        &args.user,
        &target,
        args.allow_rediscovery,
        &actor(context),
        now(),
    )
    .await
    .with_context(|| format!("forgetting contacts of user `{}`", args.user))?;
    context.printer.report(&outcome)
}

pub async fn prune(args: PruneArgs, context: &Context) -> anyhow::Result<()> {
    let older_than = args
        .older_than
        .unwrap_or(context.settings.contacts.retention);
    let now = now();
    let cutoff = now
        - chrono::TimeDelta::from_std(older_than)
            .map_err(|_| usage("--older-than: too long".to_string()))?;
    let store = super::store(context).await?;
    let vespa = if args.dry_run {
        None
    } else {
        Some(removal(context, format!("prune-{}", uuid::Uuid::new_v4())).await?)
    };
    let users = match args.user {
        Some(user) => vec![user],
        None => erase::users_with_contacts(&store).await?,
    };
    let actor = actor(context);
    let mut report = PruneReport {
        cutoff,
        dry_run: args.dry_run,
        users: Vec::with_capacity(users.len()),
    };
    for user in users {
        let outcome = erase::prune(&store, vespa.as_ref(), &user, cutoff, &actor, now)
            .await
            .with_context(|| format!("pruning contacts of user `{user}`"))?;
        report.users.push(outcome);
    }
    context.printer.report(&report)
}
