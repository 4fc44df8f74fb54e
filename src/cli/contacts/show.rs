//! `officectl contacts show`: a user's ranked contacts, and why.

use super::usage;
use crate::cli::Context;
use officectl::contacts::show::{ShowError, show};

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Whose contacts (the user id, as in events)
    #[arg(long, value_name = "USER")]
    pub user: String,

    /// How many of the most relevant contacts
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    /// Only the contact at this address, with its rank
    #[arg(long, value_name = "ADDRESS", conflicts_with = "top")]
    pub address: Option<String>,
}

pub async fn run(args: ShowArgs, context: &Context) -> anyhow::Result<()> {
    if let Some(address) = &args.address
        && officectl::contacts::address::normalise(address, None).is_none()
    {
        return Err(usage(format!(
            "--address: `{address}` is not an e-mail address"
        )));
    }
    let url = &context.settings.redis_url.value;
    let store = super::store(context).await?;
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
