//! `officectl migrate …`: dual-publish migrations from the legacy topics, as reviewed plans.

mod apply;
mod drill;
mod plan;
mod plan_args;
mod progress;
mod relay;
mod rollback;
mod services;
mod status;
pub(super) mod stopped;
mod unlock;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Show each step of a plan with its state, what applying would change, and whether it can be undone
    Plan(plan::Args),
    /// Run a plan's pending steps in order (resumes where the last run stopped)
    Apply(apply::Args),
    /// Undo completed steps in reverse order
    Rollback(rollback::Args),
    /// Show the state of every known plan, or of one plan's steps
    Status(status::Args),
    /// Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated
    Drill(drill::Args),
    /// Remove a lock left by a crashed run
    Unlock(unlock::Args),
    /// Forward messages from a legacy subscription to a new topic, upcasting legacy events
    Relay(relay::Args),
}

pub async fn run(command: MigrateCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        MigrateCommand::Plan(args) => plan::run(args, context).await,
        MigrateCommand::Apply(args) => apply::run(args, context).await,
        MigrateCommand::Rollback(args) => rollback::run(args, context).await,
        MigrateCommand::Status(args) => status::run(args, context).await,
        MigrateCommand::Drill(args) => drill::run(args, context).await,
        MigrateCommand::Unlock(args) => unlock::run(args, context).await,
        MigrateCommand::Relay(args) => relay::run(args, context).await,
    }
}
