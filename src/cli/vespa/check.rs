//! `officectl vespa check DIR...`: check application packages with Vespa's own config model.
//!
//! Also what `vespa schema --check` runs. The work is in `officectl::vespa::model_check`; this
//! finds the tools, says what the slow first run is doing, renders the report and turns a failed
//! package into exit 1.

use crate::cli::Context;
use crate::cli::error::with_hint;
use officectl::settings::env;
use officectl::vespa::model_check::{
    CheckReport, ModelCheckError, ModelChecker, Step, Tools, vespa_version,
};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Application package directories (each with services.xml and schemas/)
    #[arg(value_name = "DIR", required = true)]
    apps: Vec<PathBuf>,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    check_packages(&args.apps, context)
}

/// Checks `apps` with one JVM, prints the report, and fails when one would not deploy.
pub fn check_packages(apps: &[PathBuf], context: &Context) -> anyhow::Result<()> {
    let version = vespa_version();
    let Some(cache) = &context.settings.vespa.model_check_dir else {
        return Err(with_hint(
            anyhow::anyhow!("no directory to keep Vespa's config model in (HOME is not set)"),
            format!(
                "set {} or `vespa.model_check_dir` in the config file",
                env::VESPA_MODEL_CHECK_DIR
            ),
        ));
    };
    let cache = &cache.value;
    // The process's own PATH and JAVA_HOME: the tools are looked up as a shell would.
    let tools = Tools::find(
        std::env::var_os(env::PATH).as_deref(),
        std::env::var_os(env::JAVA_HOME)
            .filter(|v| !v.is_empty())
            .as_deref(),
    );
    let checker = ModelChecker::new(cache, tools).map_err(hinted)?;
    checker
        .prepare(&mut |step| match step {
            Step::Resolve => context.printer.status(format!(
                "fetching Vespa's config model {version} with Maven into `{}` (once per version: about 110 jars)",
                cache.display()
            )),
            Step::Compile => context.printer.status("compiling the model checker"),
        })
        .map_err(hinted)?;
    context.printer.detail(
        1,
        format!(
            "checking {} with Vespa's config model {version} (cache `{}`)",
            names(apps),
            cache.display()
        ),
    );
    let report = CheckReport::new(checker.check(apps).map_err(hinted)?);
    context.printer.report(&report)?;
    let failures: Vec<String> = report
        .failures()
        .map(|p| {
            format!(
                "`{}`: {}",
                p.app.display(),
                p.first_problem().unwrap_or("failed")
            )
        })
        .collect();
    if failures.is_empty() {
        context.printer.status(format!(
            "{} passed Vespa's config model {version}: no error, no warning that fails a deploy",
            names(apps)
        ));
        return Ok(());
    }
    Err(with_hint(
        anyhow::anyhow!(
            "{} of {} application packages would not deploy on Vespa {version}: {}",
            failures.len(),
            apps.len(),
            failures.join("; ")
        ),
        "fix what Vespa names above; a field of ours is renamed in src/model/vespa/schema.rs, then \
         `officectl vespa schema --out vespa/app` regenerates the package",
    ))
}

fn names(apps: &[PathBuf]) -> String {
    apps.iter()
        .map(|a| format!("`{}`", a.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error with the next step for the operator.
fn hinted(err: ModelCheckError) -> anyhow::Error {
    let jdk = "install a JDK 17 or newer (Debian: `apt-get install openjdk-17-jdk-headless`) or \
               point JAVA_HOME at one; `officectl vespa schema --out DIR` without `--check` \
               still writes the package";
    let hint = match &err {
        ModelCheckError::JavaMissing { .. } | ModelCheckError::JavacMissing { .. } => {
            jdk.to_string()
        }
        ModelCheckError::MavenMissing { .. } => format!(
            "install Maven for the first run (Debian: `apt-get install maven`), or set {} to a \
             directory where an earlier run fetched it",
            env::VESPA_MODEL_CHECK_DIR
        ),
        ModelCheckError::Resolve { .. } => "check that Maven reaches Maven Central (a proxy or \
             mirror goes in ~/.m2/settings.xml)"
            .to_string(),
        ModelCheckError::NotAPackage(_) => {
            "give the directory `officectl vespa schema --out DIR` wrote".to_string()
        }
        _ => String::new(),
    };
    if hint.is_empty() {
        anyhow::Error::new(err)
    } else {
        with_hint(err, hint)
    }
}
