//! `officectl topics …`: topology as code for `plans/topology.yaml`.

mod apply;
pub(crate) mod layout_args;
mod list;
mod live;
mod plan;
pub(super) mod stopped;
mod verify;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Show how the live topics and subscriptions differ from the layout
    Plan(plan::Args),
    /// Create and update topics and subscriptions until they match the layout
    Apply(apply::Args),
    /// Check that the live topics and subscriptions match the layout (exit 2 on drift)
    Verify(verify::Args),
    /// List the live topics and subscriptions of the project
    List(list::Args),
}

pub async fn run(command: TopicsCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        TopicsCommand::Plan(args) => plan::run(args, context).await,
        TopicsCommand::Apply(args) => apply::run(args, context).await,
        TopicsCommand::Verify(args) => verify::run(args, context).await,
        TopicsCommand::List(args) => list::run(args, context).await,
    }
}
