//! `officectl topics list`: the live topics and subscriptions as tables.

use super::live;
use crate::cli::Context;
use officectl::topics::ListReport;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_args: Args, context: &Context) -> anyhow::Result<()> {
    let (project, admin) = live::connect(context).await?;
    let live = live::read_live(&admin, &project).await?;
    context.printer.report(&ListReport::new(&project, live))
}
