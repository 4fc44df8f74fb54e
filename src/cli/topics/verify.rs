//! `officectl topics verify`: the CI gate. Exit 0 in sync, 2 on drift, 1 on error.

use super::layout_args::LayoutArgs;
use super::live;
use super::stopped::Stopped;
use crate::cli::Context;
use officectl::topics::{self, VerifyReport};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    layout: LayoutArgs,

    /// Do not count live topics and subscriptions the layout does not declare as drift
    #[arg(long)]
    ignore_undeclared: bool,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let layout = args.layout.load()?;
    let (project, admin) = live::connect(context).await?;
    let live = live::read_live(&admin, &project).await?;
    let plan = topics::plan(&layout, &live, &project, false);
    let report = VerifyReport::from_plan(&plan, args.ignore_undeclared);
    context.printer.report(&report)?;
    match report.drifted() {
        None => {
            context.printer.status(format!(
                "in sync: project `{project}` matches `{}`",
                report.layout
            ));
            Ok(())
        }
        Some(error) => Err(Stopped::Drifted {
            flags: args.layout.as_flags(),
            error,
        }
        .into()),
    }
}
