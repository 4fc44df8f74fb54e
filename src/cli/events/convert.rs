//! `officectl events convert FILE|-`: current-format NDJSON on stdout; invalid lines are
//! reported on stderr and not written, and the run exits 1.

use crate::cli::{Context, input};
use anyhow::Context as _;
use officectl::events::NdjsonEvents;
use officectl::model::validate::SourceFormat;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// NDJSON file of events (legacy or current), or `-` for stdin
    #[arg(value_name = "FILE")]
    input: PathBuf,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let label = input::label(&args.input);
    let (mut written, mut upcast, mut invalid) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    for line in NdjsonEvents::new(input::open(&args.input)?) {
        let line = line.with_context(|| format!("cannot read `{label}`"))?;
        match line.outcome {
            Ok(validated) => {
                if validated.source == SourceFormat::LegacyEmailBackfill {
                    upcast += 1;
                }
                out.push_str(&serde_json::to_string(&validated.event)?);
                out.push('\n');
                written += 1;
            }
            Err(problems) => {
                invalid += 1;
                for problem in problems {
                    context
                        .printer
                        .warn(format!("`{label}` line {}: {problem}", line.line));
                }
            }
        }
        // Stream in chunks so large inputs do not sit in memory.
        if out.len() > 1 << 20 {
            context.printer.data(&out)?;
            out.clear();
        }
    }
    context.printer.data(&out)?;
    context.printer.status(format!(
        "converted {written} events ({upcast} upcast from legacy), {invalid} invalid"
    ));
    if invalid > 0 {
        anyhow::bail!("{invalid} lines of `{label}` are invalid and were not converted");
    }
    Ok(())
}
