//! `officectl migrate status [FILE]`

use super::services::Services;
use crate::cli::Context;
use crate::cli::topics::layout_args::LayoutArgs;
use officectl::migrate::plan::{self, KnownResources};
use officectl::migrate::readers;
use officectl::migrate::status;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One plan's file; without it, every plan with a journal
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,

    #[command(flatten)]
    layout: LayoutArgs,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let services = Services::connect(context).await?;
    let plan = match &args.file {
        Some(file) => {
            let layout = args.layout.load()?;
            Some(plan::load(file, &KnownResources::of(&layout))?)
        }
        None => None,
    };
    let mut report = status::status(services.store.as_ref(), plan.as_ref()).await?;
    report.readers = readers::beats(&services.payloads).await?;
    context.printer.report(&report)
}
