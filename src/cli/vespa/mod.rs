//! `officectl vespa …`

mod schema;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum VespaCommand {
    /// Write the Vespa application package (services.xml and one schema per data type)
    Schema(schema::Args),
}

pub fn run(command: VespaCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        VespaCommand::Schema(args) => schema::run(args, context),
    }
}
