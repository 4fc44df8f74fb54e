//! `officectl migrate rollback FILE`

use super::plan_args::PlanArgs;
use super::progress::progress_lines;
use super::services::Services;
use super::stopped::{Stopped, Verb};
use crate::cli::{Context, confirm::confirm};
use officectl::migrate;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,

    /// Undo the steps after this one (default: all)
    #[arg(long, value_name = "STEP")]
    to: Option<String>,

    /// Do not ask for confirmation
    #[arg(long)]
    yes: bool,

    /// Lease of the plan's lock; renewed while the run is alive
    #[arg(long, default_value = "30s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    lock_ttl: Duration,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let (layout, plan) = args.plan.load()?;
    if !args.yes {
        let scope = match &args.to {
            Some(step) => format!("the steps after `{step}`"),
            None => "every applied step".into(),
        };
        confirm(
            &format!(
                "rollback of plan `{}` undoes {scope} (flags restored, created resources deleted)",
                plan.name
            ),
            format!(
                "review with `officectl migrate status {}`, then pass `--yes`",
                args.plan.file.display()
            ),
        )?;
    }
    let services = Services::connect(context).await?;
    let progress = progress_lines(context);
    let env = services.env(context, &layout, context.interrupts.token(), &progress);
    let lease = services
        .lock(
            context,
            &plan.name,
            format!("migrate rollback {}", args.plan.as_args()),
            args.lock_ttl,
        )
        .await?;
    let outcome = migrate::rollback(&plan, &env, &lease, args.to.as_deref()).await;
    let _ = lease.release().await;
    let report = outcome.map_err(|error| Stopped::new(Verb::Rollback, &args.plan, error))?;
    context.printer.report(&report)
}
