//! `officectl topics list`: the live topics and subscriptions as tables.

use super::common;
use crate::cli::Context;
use officectl::topology::ListReport;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_args: Args, context: &Context) -> anyhow::Result<()> {
    let (project, admin) = common::connect(context).await?;
    let live = common::read_live(&admin, &project).await?;
    context.printer.report(&ListReport::new(&project, live))
}
