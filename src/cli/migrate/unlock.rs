//! `officectl migrate unlock LOCK_ID`

use super::services::Services;
use crate::cli::{Context, error::with_hint};
use officectl::migrate::lock;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The lock id, as `migrate status` or the refusing run printed it
    #[arg(value_name = "LOCK_ID")]
    lock_id: String,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let services = Services::connect(context).await?;
    match lock::force_unlock(services.store.as_ref(), &args.lock_id).await? {
        Some(plan) => {
            context
                .printer
                .status(format!("removed lock `{}` of plan `{plan}`", args.lock_id));
            Ok(())
        }
        None => Err(with_hint(
            anyhow::anyhow!("no plan is locked with id `{}`", args.lock_id),
            "`officectl migrate status` lists the plans and their locks",
        )),
    }
}
