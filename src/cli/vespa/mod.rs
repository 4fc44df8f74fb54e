//! `officectl vespa …`

mod check;
pub mod connection;
pub mod feed;
pub mod report;
mod schema;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum VespaCommand {
    /// Write the Vespa application package (services.xml and one schema per data type)
    Schema(schema::Args),
    /// Check application packages with Vespa's own config model before a deploy
    Check(check::Args),
    /// Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling
    Feed(Box<feed::Args>),
}

pub async fn run(command: VespaCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        VespaCommand::Schema(args) => schema::run(args, context),
        VespaCommand::Check(args) => check::run(args, context),
        VespaCommand::Feed(args) => feed::run(*args, context).await,
    }
}
