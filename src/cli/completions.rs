//! `officectl completions SHELL`: a completion script generated from the clap definitions.
//! With `--out-dir`, every shell's script is written under its conventional file name (what
//! `completions/` holds).

use super::Context;
use anyhow::Context as _;
use clap::ValueEnum;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shell to print the script for
    #[arg(value_enum, required_unless_present = "out_dir")]
    shell: Option<Shell>,

    /// Write the scripts for every shell into this directory instead
    #[arg(long, value_name = "DIR", conflicts_with = "shell")]
    out_dir: Option<PathBuf>,
}

/// The file name each shell expects.
fn file_name(shell: Shell) -> String {
    match shell {
        Shell::Bash => "officectl.bash".into(),
        Shell::Zsh => "_officectl".into(),
        Shell::Fish => "officectl.fish".into(),
        Shell::PowerShell => "_officectl.ps1".into(),
        Shell::Elvish => "officectl.elv".into(),
        _ => format!("officectl.{shell}"),
    }
}

fn script(shell: Shell, command: &mut clap::Command) -> Vec<u8> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, command, "officectl", &mut buffer);
    buffer
}

pub fn run(args: Args, mut command: clap::Command, context: &Context) -> anyhow::Result<()> {
    if let Some(shell) = args.shell {
        return context
            .printer
            .data(&String::from_utf8_lossy(&script(shell, &mut command)));
    }
    let Some(dir) = args.out_dir else {
        return Ok(());
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    for shell in Shell::value_variants() {
        let path = dir.join(file_name(*shell));
        std::fs::write(&path, script(*shell, &mut command))
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    context.printer.status(format!(
        "wrote {} completion scripts to `{}`",
        Shell::value_variants().len(),
        dir.display()
    ));
    Ok(())
}
