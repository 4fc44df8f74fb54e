//! `officectl contacts …`: what contact discovery knows about a user's contacts.

use super::Context;
use clap::Subcommand;
use officectl::contacts::show::{ShowError, show};
use officectl::contacts::store::ContactStore;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Show a user's contacts ranked by relevance, with counts, first and last seen, and why
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Whose contacts (the user id, as in events)
    #[arg(long, value_name = "USER")]
    user: String,

    /// How many of the most relevant contacts
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,

    /// Only the contact at this address, with its rank
    #[arg(long, value_name = "ADDRESS", conflicts_with = "top")]
    address: Option<String>,
}

pub async fn run(command: ContactsCommand, context: &Context) -> anyhow::Result<()> {
    match command {
        ContactsCommand::Show(args) => run_show(args, context).await,
    }
}

async fn run_show(args: ShowArgs, context: &Context) -> anyhow::Result<()> {
    if let Some(address) = &args.address
        && officectl::contacts::address::normalise(address, None).is_none()
    {
        return Err(usage(format!(
            "--address: `{address}` is not an e-mail address"
        )));
    }
    let url = &context.settings.redis_url.value;
    let conn = officectl::redis_connection::connect(url, Duration::from_secs(5)).await?;
    let store = ContactStore::new(conn, context.settings.contacts.clone());
    let shown = show(
        &store,
        &args.user,
        args.top,
        args.address.as_deref(),
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
    )
    .await
    .map_err(|err| match err {
        ShowError::NotAnAddress(_) => usage(format!("--address: {err}")),
        ShowError::Unknown { .. } => anyhow::Error::new(err),
        ShowError::Store(err) => anyhow::Error::new(err).context(format!(
            "contacts of user `{}` in `{}`",
            args.user,
            officectl::redact::url(url)
        )),
    })?;
    context.printer.report(&shown)
}

fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(officectl::exit::Failure::Usage(message))
}
