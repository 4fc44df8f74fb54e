//! `officectl vespa schema --out DIR`

use crate::cli::Context;
use crate::cli::error::with_hint;
use officectl::model::vespa::AppPackageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the application package into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let written = officectl::model::vespa::write_vespa_app_package(&args.out).map_err(|err| {
        let dir = args.out.display();
        match err {
            AppPackageError::Invalid(_) => with_hint(
                anyhow::Error::new(err).context(format!(
                    "refusing to write the application package to `{dir}`"
                )),
                "rename it in src/model/vespa/schema.rs; when documents are stored under a \
                 field's old name, list it in RENAMED_FIELDS so `officectl reindex --from-vespa` \
                 moves them",
            ),
            AppPackageError::Write { .. } => anyhow::Error::new(err)
                .context(format!("cannot write the application package to `{dir}`")),
        }
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
