//! `officectl migrate unlock LOCK_ID`

use super::services::Services;
use crate::cli::Context;
use officectl::migrate::lock::{self, LockError};

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
        None => Err(LockError::NoSuchLock(args.lock_id).into()),
    }
}
