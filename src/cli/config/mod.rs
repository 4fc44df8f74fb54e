//! `officectl config …`

mod show;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show the resolved settings and where each came from
    Show(show::Args),
}

pub fn run(command: ConfigCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Show(args) => show::run(args, context),
    }
}
