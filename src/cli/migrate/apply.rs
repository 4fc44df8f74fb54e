//! `officectl migrate apply FILE`

use super::plan_args::PlanArgs;
use super::progress::progress_lines;
use super::services::Services;
use crate::cli::{Context, confirm::confirm, error::with_hint};
use officectl::migrate::apply::{self, ApplyOptions, Ending, Failpoint, MigrateError};
use officectl::migrate::plan::{Step, Undo};
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

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let (layout, plan) = args.plan.load()?;
    let services = Services::connect(context).await?;
    let cancelled = context.interrupts.token();
    let cancelled_fn = {
        let token = cancelled.clone();
        move || token.is_cancelled()
    };
    let progress = progress_lines(context);
    let env = services.env(
        context,
        &layout,
        &cancelled_fn,
        std::env::var(officectl::settings::env::FAILPOINT)
            .ok()
            .as_deref()
            .and_then(Failpoint::parse),
        &progress,
    );
    let preview = apply::preview(&plan, &env).await?;
    if args.dry_run {
        return context.printer.report(&preview);
    }

    let last = args
        .to
        .as_deref()
        .and_then(|to| plan.position(to))
        .unwrap_or(plan.steps.len().saturating_sub(1));
    // Irreversible steps this run can reach: pending, up to `--to`, before any unapproved gate.
    let mut irreversible = Vec::new();
    for (step, line) in plan.steps.iter().zip(&preview.steps).take(last + 1) {
        if line.action == "done" {
            continue;
        }
        if matches!(step, Step::Gate(_)) && !args.approve.iter().any(|a| a == step.name()) {
            break;
        }
        if step.undo() == Undo::Irreversible {
            irreversible.push(format!("`{}`", step.name()));
        }
    }
    if !irreversible.is_empty() && !args.yes {
        confirm(
            &format!(
                "plan `{}` would run irreversible steps {}",
                plan.name,
                irreversible.join(", ")
            ),
            format!(
                "review with `officectl migrate plan {}`, then pass `--yes`",
                args.plan.as_args()
            ),
        )?;
    }

    let lease = services
        .lock(
            &plan.name,
            format!("migrate apply {}", args.plan.as_args()),
            args.lock_ttl,
        )
        .await?;
    context.printer.status(format!(
        "applying plan `{}` as {} (lock `{}`)",
        plan.name, env.by, lease.holder.lock_id
    ));
    let options = ApplyOptions {
        to: args.to.clone(),
        approve: args.approve.clone(),
        allow_changed: args.allow_changed,
    };
    let outcome = apply::apply(&plan, &env, &lease, &options).await;
    let _ = lease.release().await;
    match outcome {
        Ok(report) => {
            context.printer.report(&report)?;
            if let Ending::AwaitingApproval(gate) = &report.ending {
                context.printer.status(format!(
                    "waiting at gate `{gate}`; when it is checked: officectl migrate apply {} --approve {gate}",
                    args.plan.as_args()
                ));
            }
            Ok(())
        }
        Err(err) => {
            let resume = format!("officectl migrate apply {}", args.plan.as_args());
            if let Some(migrate) = err.downcast_ref::<MigrateError>() {
                if let Some(failure) = migrate.failure() {
                    return Err(with_hint(
                        anyhow::Error::new(failure),
                        format!(
                            "`officectl migrate status {}` shows each step; fix the cause, then resume: `{resume}`",
                            args.plan.file.display()
                        ),
                    ));
                }
                if let MigrateError::ChangedStep { .. } = migrate {
                    return Err(with_hint(
                        err,
                        "restore the applied step, roll back, or pass `--allow-changed` if the change is safe",
                    ));
                }
            }
            if cancelled.is_cancelled() {
                return Err(with_hint(
                    err,
                    format!("the journal is saved; resume with `{resume}`"),
                ));
            }
            Err(err)
        }
    }
}
