//! `officectl migrate rollback FILE`

use super::plan_args::PlanArgs;
use super::progress::progress_lines;
use super::services::Services;
use crate::cli::{Context, confirm::confirm, error::with_hint};
use officectl::migrate::apply::{self, MigrateError};
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
    let cancelled = context.interrupts.token();
    let cancelled_fn = {
        let token = cancelled.clone();
        move || token.is_cancelled()
    };
    let progress = progress_lines(context);
    let env = services.env(context, &layout, &cancelled_fn, None, &progress);
    let lease = services
        .lock(
            &plan.name,
            format!("migrate rollback {}", args.plan.as_args()),
            args.lock_ttl,
        )
        .await?;
    let outcome = apply::rollback(&plan, &env, &lease, args.to.as_deref()).await;
    let _ = lease.release().await;
    match outcome {
        Ok(report) => context.printer.report(&report),
        Err(err) => {
            if let Some(MigrateError::Irreversible { step, .. }) =
                err.downcast_ref::<MigrateError>()
            {
                let step = step.clone();
                return Err(with_hint(
                    err,
                    format!("roll back to the irreversible step instead: `--to {step}`"),
                ));
            }
            if let Some(failure) = err
                .downcast_ref::<MigrateError>()
                .and_then(MigrateError::failure)
            {
                return Err(with_hint(
                    anyhow::Error::new(failure),
                    format!(
                        "fix the cause, then run the rollback again: `officectl migrate rollback {} --yes`",
                        args.plan.as_args()
                    ),
                ));
            }
            Err(err)
        }
    }
}
