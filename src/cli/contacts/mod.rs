//! `officectl contacts …`: what contact discovery knows about a user's contacts, and the
//! operator's tools over it: erasure, retention, and recomputing from history.

mod erase;
mod rebuild;
mod show;

use super::Context;
use clap::Subcommand;
use officectl::contacts::store::ContactStore;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Show a user's contacts ranked by relevance, with counts, first and last seen, and why
    Show(show::ShowArgs),
    /// Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed
    Forget(erase::ForgetArgs),
    /// Recompute contacts from history (a file, stdin or a subscription), write them, push them
    Rebuild(rebuild::RebuildArgs),
    /// Remove contacts without interaction for longer than the retention (`contacts.retention`)
    Prune(erase::PruneArgs),
}

pub async fn run(command: ContactsCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        ContactsCommand::Show(args) => show::run(args, context).await,
        ContactsCommand::Forget(args) => erase::forget(args, context).await,
        ContactsCommand::Prune(args) => erase::prune(args, context).await,
        ContactsCommand::Rebuild(args) => rebuild::run(args, context).await,
    }
}

fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(officectl::exit::Failure::Usage(message))
}

/// The contact store on the configured Redis.
async fn store(context: &Context) -> anyhow::Result<ContactStore> {
    let url = &context.settings.redis_url.value;
    let conn = officectl::redis_connection::connect(url, Duration::from_secs(5)).await?;
    Ok(ContactStore::new(conn, context.settings.contacts.clone()))
}
