//! `officectl migrate apply FILE`

use super::plan_args::PlanArgs;
use super::progress::progress_lines;
use super::services::Services;
use super::stopped::{Stopped, Verb};
use crate::cli::{Context, confirm::confirm, flag_values::quoted_list};
use officectl::migrate::{self, ApplyRequest, Ending};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,

    /// Stop after this step
    #[arg(long, value_name = "STEP")]
    to: Option<String>,

    /// Pass this gate (repeatable)
    #[arg(long, value_name = "STEP")]
    approve: Vec<String>,

    /// Show what would be done; change nothing
    #[arg(long)]
    dry_run: bool,

    /// Do not ask before irreversible steps
    #[arg(long)]
    yes: bool,

    /// Apply even though steps already applied have changed in the file
    #[arg(long)]
    allow_changed: bool,

    /// Lease of the plan's lock; renewed while the run is alive
    #[arg(long, default_value = "30s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    lock_ttl: Duration,
}

impl Args {
    fn request(&self) -> ApplyRequest {
        ApplyRequest {
            to: self.to.clone(),
            approve: self.approve.clone(),
            allow_changed: self.allow_changed,
        }
    }
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let (layout, plan) = args.plan.load()?;
    let services = Services::connect(context).await?;
    let progress = progress_lines(context);
    let env = services.env(context, &layout, context.interrupts.token(), &progress);
    let preview = migrate::preview(&plan, &env).await?;
    if args.dry_run {
        return context.printer.report(&preview);
    }
    let request = args.request();
    let irreversible = request.irreversible_steps(&plan, &preview);
    if !irreversible.is_empty() && !args.yes {
        confirm(
            &format!(
                "plan `{}` would run irreversible steps {}",
                plan.name,
                quoted_list(&irreversible, "")
            ),
            format!(
                "review with `officectl migrate plan {}`, then pass `--yes`",
                args.plan.as_args()
            ),
        )?;
    }

    let lease = services
        .lock(
            context,
            &plan.name,
            format!("migrate apply {}", args.plan.as_args()),
            args.lock_ttl,
        )
        .await?;
    context.printer.status(format!(
        "applying plan `{}` as {} (lock `{}`)",
        plan.name, env.by, lease.holder.lock_id
    ));
    let outcome = migrate::apply(&plan, &env, &lease, &request).await;
    let _ = lease.release().await;
    let report = outcome.map_err(|error| Stopped::new(Verb::Apply, &args.plan, error))?;
    context.printer.report(&report)?;
    if let Ending::AwaitingApproval(gate) = &report.ending {
        context.printer.status(format!(
            "waiting at gate `{gate}`; when it is checked: officectl migrate apply {} --approve {gate}",
            args.plan.as_args()
        ));
    }
    Ok(())
}
