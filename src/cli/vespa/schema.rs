//! `officectl vespa schema [--out DIR] [--check]`

use crate::cli::Context;
use crate::cli::error::with_hint;
use officectl::model::vespa::AppPackageError;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("what").required(true).multiple(true).args(["out", "check"]))]
pub struct Args {
    /// Directory to write the application package into (created if missing)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Check the package with Vespa's own config model (Java 17; Maven the first time); without
    /// --out, the one this officectl generates
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    match &args.out {
        Some(out) => {
            write(out, context)?;
            if args.check {
                super::check::check_packages(std::slice::from_ref(out), context)?;
            }
            Ok(())
        }
        None => {
            // Written where nothing else goes, checked, and removed whatever the outcome.
            let dir =
                std::env::temp_dir().join(format!("officectl-vespa-app-{}", std::process::id()));
            let written = officectl::model::vespa::write_vespa_app_package(&dir);
            let outcome = match written {
                Ok(_) => super::check::check_packages(std::slice::from_ref(&dir), context),
                Err(err) => Err(package_error(err, &dir)),
            };
            let _ = std::fs::remove_dir_all(&dir);
            outcome
        }
    }
}

fn write(out: &Path, context: &Context) -> anyhow::Result<()> {
    let written = officectl::model::vespa::write_vespa_app_package(out)
        .map_err(|err| package_error(err, out))?;
    for path in &written {
        context.printer.data(&format!("{}\n", path.display()))?;
    }
    context.printer.status(format!(
        "wrote {} files to `{}`",
        written.len(),
        out.display()
    ));
    Ok(())
}

fn package_error(err: AppPackageError, dir: &Path) -> anyhow::Error {
    let dir = dir.display();
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
}
