//! `officectl trace (--correlation-id ID | --batch-id ID | --event-id ID) [--user U]`: follows
//! work through the stages (published, consumed, indexed) from what publishers and consumers
//! recorded (`officectl::trace`), and what Vespa holds.

use super::Context;
use super::vespa::connection::ConnectionArgs;
use officectl::redis_connection;
use officectl::trace::follow::{self, Query};
use officectl::trail::{CONSUMED, PUBLISHED};
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["correlation_id", "batch_id", "event_id"])))]
pub struct Args {
    /// Follow everything published under this correlation id
    #[arg(long, value_name = "ID")]
    correlation_id: Option<String>,

    /// Follow one batch (a backfill batch id, or an event's `batch_id`)
    #[arg(long, value_name = "ID")]
    batch_id: Option<String>,

    /// Follow one event
    #[arg(long, value_name = "ID")]
    event_id: Option<String>,

    /// Only this user's events
    #[arg(long, value_name = "USER")]
    user: Option<String>,

    /// Do not ask Vespa which documents carry the events
    #[arg(long)]
    no_vespa: bool,

    #[command(flatten)]
    connection: ConnectionArgs,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let query = match (&args.correlation_id, &args.batch_id, &args.event_id) {
        (Some(id), _, _) => Query::Correlation(id.clone()),
        (_, Some(id), _) => Query::Batch(id.clone()),
        (_, _, Some(id)) => Query::Event(id.clone()),
        _ => unreachable!("clap requires one"),
    };
    let mut conn =
        redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let correlation_id = follow::correlation_of(&mut conn, &query).await?;
    let user = args.user.as_deref();
    let published = follow::select(
        follow::entries(&mut conn, &correlation_id, PUBLISHED).await?,
        &query,
        user,
    );
    let consumed = follow::select(
        follow::entries(&mut conn, &correlation_id, CONSUMED).await?,
        &query,
        user,
    );
    let indexed = if args.no_vespa {
        None
    } else {
        let transport = args.connection.transport(settings)?;
        let wanted = follow::to_index(&published, &consumed);
        Some(follow::indexed(&transport, &wanted, &context.interrupts.token()).await?)
    };
    let report = follow::report(
        &correlation_id,
        user,
        &published,
        &consumed,
        indexed.as_ref(),
    );
    context.printer.report(&report)?;
    if report.complete {
        Ok(())
    } else {
        Err(officectl::exit::Failure::Partial(format!(
            "correlation id `{correlation_id}`: not every published event was consumed and indexed (see `missing`)"
        ))
        .into())
    }
}
