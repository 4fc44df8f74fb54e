//! `officectl events validate FILE|-`

use crate::cli::{Context, input};
use anyhow::Context as _;
use officectl::events::{NdjsonEvents, ValidationReport};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// NDJSON file of events, or `-` for stdin
    #[arg(value_name = "FILE")]
    input: PathBuf,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let label = input::label(&args.input);
    let mut report = ValidationReport::new(&label);
    for line in NdjsonEvents::new(input::open(&args.input)?) {
        report.record(&line.with_context(|| format!("cannot read `{label}`"))?);
    }
    context.printer.report(&report)?;
    if report.invalid > 0 {
        let first = &report.invalid_lines[0];
        anyhow::bail!(
            "{} of {} lines in `{label}` are invalid (first: line {}: {})",
            report.invalid,
            report.lines,
            first.line,
            first
                .problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        );
    }
    Ok(())
}
