//! `officectl man --out-dir DIR`: one roff man page per command, from the clap definitions.

use super::Context;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the pages into (created if missing)
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
}

pub fn run(args: Args, command: clap::Command, context: &Context) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create `{}`", args.out_dir.display()))?;
    let mut written = Vec::new();
    write_pages(command, "officectl", &args.out_dir, &mut written)?;
    context.printer.status(format!(
        "wrote {} man pages to `{}`",
        written.len(),
        args.out_dir.display()
    ));
    Ok(())
}

/// Writes `name.1` for `command` and recurses into its subcommands (`officectl-config-show.1`).
fn write_pages(
    command: clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let command = command.name(name.to_string());
    let path = dir.join(format!("{name}.1"));
    let mut buffer = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut buffer)
        .with_context(|| format!("cannot render man page `{name}`"))?;
    std::fs::write(&path, buffer).with_context(|| format!("cannot write `{}`", path.display()))?;
    written.push(path);
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let sub_name = format!("{name}-{}", sub.get_name());
        write_pages(sub.clone(), &sub_name, dir, written)?;
    }
    Ok(())
}
