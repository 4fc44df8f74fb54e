//! `officectl events …`: the operator's hand tools for events.

mod convert;
mod publish;
mod schema;
mod validate;

use super::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Validate NDJSON events (new or legacy format, detected per line)
    Validate(validate::Args),
    /// Convert legacy events to the current format (NDJSON on stdout)
    Convert(convert::Args),
    /// Print the JSON Schema of an event type (all types without TYPE)
    Schema(schema::Args),
    /// Validate events and publish them with attributes and claim checks
    Publish(publish::Args),
}

pub async fn run(command: EventsCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        EventsCommand::Validate(args) => validate::run(args, context),
        EventsCommand::Convert(args) => convert::run(args, context),
        EventsCommand::Schema(args) => schema::run(args, context),
        EventsCommand::Publish(args) => publish::run(args, context).await,
    }
}
