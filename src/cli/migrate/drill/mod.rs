//! `officectl migrate drill FILE`: a game day for a migration plan. In a throwaway namespace
//! it lays out the platform as it stands before the plan, starts synthetic traffic through the
//! shared publisher and the real Vespa loader (a child process), applies the plan step by step
//! with `migrate apply` (a child process per step, gates approved), optionally rolls back at
//! a step and applies again, optionally kills the loader and the apply at random (seeded)
//! points and resumes each; then stops the traffic, lets the loader drain, and reports per
//! phase what was published, indexed, lost and duplicated. Exit 0 only when nothing was lost or
//! duplicated; the resources are deleted afterwards (also after Ctrl-C) unless `--keep`.

mod chaos;
mod children;
mod exercise;
mod phases;

use super::plan_args::PlanArgs;
use super::services::Services;
use crate::cli::Context;
use crate::cli::vespa::connection::ConnectionArgs;
use children::Officectl;
use exercise::Drill;
use officectl::exit::Failure;
use officectl::migrate::drill::dice::Dice;
use officectl::migrate::drill::{self, Subject, world};
use officectl::migrate::plan::MigrationPlan;
use officectl::{namespace, redis_connection};
use phases::PhaseLog;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,

    /// Synthetic events per second, published through the shared publisher
    #[arg(long, default_value_t = 50.0, value_name = "N")]
    rate: f64,

    /// Traffic before the first step and after each step
    #[arg(long, default_value = "2s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    step_traffic: Duration,

    /// After applying this step, roll the plan back completely, then apply it again
    #[arg(long, value_name = "STEP")]
    rollback_at: Option<String>,

    /// Kill the loader and `migrate apply` at random points (from `--seed`) and resume each
    #[arg(long)]
    chaos: bool,

    /// Seed of the chaos decisions [default: from the clock; the report shows it]
    #[arg(long, value_name = "N")]
    seed: Option<u64>,

    /// Leave the drill's topics, subscriptions, Redis keys and documents in place
    #[arg(long)]
    keep: bool,

    /// Run no drill: remove what drill NAMESPACE left (after `--keep`, or a clean-up that
    /// failed), then exit
    #[arg(long, value_name = "NAMESPACE", conflicts_with_all = ["keep", "chaos", "rollback_at", "seed"])]
    clean_up: Option<String>,

    /// A project the drill may run in besides the plan's `drill.projects` (repeatable)
    #[arg(long, value_name = "PROJECT")]
    allow_project: Vec<String>,

    /// Longest wait for the loader to index what was published, after the traffic stops (a
    /// killed loader's messages come back only when their lease expires: the drill's loaders
    /// extend leases by 10 s)
    #[arg(long, default_value = "120s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    drain_timeout: Duration,

    /// Synthetic users the traffic is spread over
    #[arg(long, default_value_t = 20, value_name = "N")]
    users: u64,

    #[command(flatten)]
    connection: ConnectionArgs,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    // `--clean-up` may run inside the namespace it removes (as after `--keep`'s advice).
    if let Some(ns) = &settings.namespace
        && args.clean_up.as_deref() != Some(ns.value.as_str())
    {
        return Err(Failure::Usage(format!(
            "a drill makes its own namespace, but this process is already in `{}` ({}); unset it",
            ns.value, ns.source
        ))
        .into());
    }
    let (layout, plan) = args.plan.load()?;
    let project = settings.project()?.to_string();
    let usage = |e: drill::DrillError| Failure::Usage(format!("{}: {e}", args.plan.file.display()));
    drill::check_project(&plan, &project, &args.allow_project).map_err(usage)?;
    if let Some(ns) = &args.clean_up {
        return clean_up_only(&args, ns, &plan, &project, context).await;
    }
    let subject = Subject::of(&plan).map_err(usage)?;
    let rollback_at = match &args.rollback_at {
        Some(step) => Some(drill::check_rollback_at(&plan, step).map_err(usage)?),
        None => None,
    };
    if !(args.rate > 0.0 && args.rate <= 10_000.0) {
        return Err(Failure::Usage(format!(
            "`--rate {}`: expected more than 0 and at most 10000 events per second",
            args.rate
        ))
        .into());
    }
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let seed = args.seed.unwrap_or(clock);
    // Two drills with one seed still get their own namespaces.
    let ns = drill::namespace_for(clock ^ u64::from(std::process::id()).rotate_left(32));
    namespace::enter(&ns)?;
    let logs = std::env::temp_dir().join(format!("officectl-{ns}"));
    let children = Officectl::new(settings, &ns, &logs)?;
    let layout_flags = args.plan.layout.flags();
    context.printer.status(format!(
        "drill of plan `{}` in namespace `{ns}` (project `{project}`, seed {seed}); child logs in {}",
        plan.name,
        logs.display()
    ));

    let services = Services::connect(context).await?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let transport = args.connection.transport(settings)?;
    let cancel = context.interrupts.token();

    let created = world::lay_out(
        &services.admin,
        &world::before_plan(&layout, &plan),
        &project,
        &cancel,
    )
    .await;
    let drill = Drill {
        args: &args,
        layout_flags,
        plan: &plan,
        subject: &subject,
        children,
        log: PhaseLog::default(),
        dice: Arc::new(Mutex::new(Dice::new(seed))),
        seed,
        cancel: cancel.clone(),
        context,
    };
    let outcome = match created {
        Ok(count) => {
            context.printer.status(format!(
                "laid out {count} resources as they stand before the plan"
            ));
            drill
                .exercise(&services, &conn, &project, &transport, rollback_at)
                .await
        }
        Err(err) => Err(anyhow::Error::new(err)),
    };

    let cleaned_up = !args.keep
        && remove_everything(
            &args, &ns, &services, &conn, &transport, &project, &plan, context,
        )
        .await;
    let mut report = outcome?;
    report.cleaned_up = cleaned_up;
    context.printer.report(&report)?;
    if cancel.is_cancelled() {
        return Err(Failure::Interrupted.into());
    }
    if report.passed {
        Ok(())
    } else {
        Err(Failure::Unhealthy(format!(
            "drill of plan `{}` failed: {} lost, {} duplicated{}",
            plan.name,
            report.lost.len(),
            report.duplicated.len(),
            report
                .failures
                .iter()
                .map(|why| format!("; {why}"))
                .collect::<String>()
        ))
        .into())
    }
}

/// Removes what the drill in namespace `ns` made and says what it removed; a part that could
/// not be removed is named, with the command that tries again. `true` when all is gone.
#[allow(clippy::too_many_arguments)]
async fn remove_everything(
    args: &Args,
    ns: &str,
    services: &Services,
    conn: &redis::aio::MultiplexedConnection,
    transport: &officectl::vespa::http::HttpTransport,
    project: &str,
    plan: &MigrationPlan,
    context: &Context,
) -> bool {
    let removed = world::remove_all(&services.admin, conn, transport, project, plan).await;
    context.printer.status(format!(
        "removed namespace `{ns}`: {} subscriptions, {} topics, {} snapshots, {} Redis keys, {} documents",
        removed.subscriptions, removed.topics, removed.snapshots, removed.keys, removed.documents
    ));
    if removed.problems.is_empty() {
        return true;
    }
    for problem in &removed.problems {
        context.printer.warn(format!("not removed: {problem}"));
    }
    context.printer.warn(format!(
        "namespace `{ns}` is not empty; once the services answer, `officectl migrate drill {} --clean-up {ns}` removes the rest",
        args.plan.file.display()
    ));
    false
}

/// `--clean-up NAMESPACE`: removes what a drill left, runs no drill.
async fn clean_up_only(
    args: &Args,
    ns: &str,
    plan: &MigrationPlan,
    project: &str,
    context: &Context,
) -> anyhow::Result<()> {
    namespace::enter(ns).map_err(|e| Failure::Usage(format!("`--clean-up {ns}`: {e}")))?;
    let settings = &context.settings;
    let services = Services::connect(context).await?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let transport = args.connection.transport(settings)?;
    if remove_everything(
        args, ns, &services, &conn, &transport, project, plan, context,
    )
    .await
    {
        Ok(())
    } else {
        Err(Failure::Unhealthy(format!("namespace `{ns}` was not removed completely")).into())
    }
}
