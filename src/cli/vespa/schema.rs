//! `officectl vespa schema --out DIR`

use crate::cli::Context;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the application package into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let written =
        officectl::model::vespa::write_vespa_app_package(&args.out).with_context(|| {
            format!(
                "cannot write the application package to `{}`",
                args.out.display()
            )
        })?;
    for path in &written {
        context.printer.data(&format!("{}\n", path.display()))?;
    }
    context.printer.status(format!(
        "wrote {} files to `{}`",
        written.len(),
        args.out.display()
    ));
    Ok(())
}
