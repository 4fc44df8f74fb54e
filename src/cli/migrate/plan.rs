//! `officectl migrate plan FILE`

use super::plan_args::PlanArgs;
use super::services::Services;
use crate::cli::Context;
use officectl::exit::Failure;
use officectl::migrate;
use tokio_util::sync::CancellationToken;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,

    /// Exit 2 when steps are pending (0 when everything is done)
    #[arg(long)]
    detailed_exitcode: bool,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let (layout, plan) = args.plan.load()?;
    let services = Services::connect(context).await?;
    let env = services.env(context, &layout, CancellationToken::new(), &|_| {});
    let report = migrate::preview(&plan, &env).await?;
    context.printer.report(&report)?;
    if args.detailed_exitcode && report.has_pending() {
        return Err(Failure::Drift(format!("plan `{}` has pending steps", plan.name)).into());
    }
    Ok(())
}
