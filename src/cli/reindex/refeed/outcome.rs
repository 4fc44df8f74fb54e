//! What a re-feed shows: its progress, the summary, and how the report becomes the exit code
//! and the hint that continues it.

use super::RunArgs;
use crate::cli::error::with_hint;
use crate::cli::printer::Printer;
use crate::cli::progress::{ProgressView, Shown};
use crate::cli::vespa::report::{failure_line, first_lines, write_rejects};
use crate::cli::{Context, resume};
use anyhow::anyhow;
use officectl::exit::Failure;
use officectl::vespa::checkpoint::Checkpoint;
use officectl::vespa::refeed::plan::Mode;
use officectl::vespa::refeed::{Handles, RefeedReport};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A moment of a re-feed, for progress.
pub struct Sample {
    line: String,
}

/// Samples the run's counters: what was read (or visited), done, in flight, and the rate.
pub fn sampler(
    shared: &Handles,
    mode: &'static str,
) -> impl Fn(Duration) -> Sample + Send + Sync + use<> {
    let (counters, progress) = (shared.counters.clone(), shared.progress.clone());
    move |elapsed| {
        let read = counters.read.load(Ordering::Relaxed);
        let done = progress.done.load(Ordering::Relaxed);
        let secs = elapsed.as_secs_f64().max(0.001);
        let what = if mode == "visit" {
            format!(
                "{read} documents visited ({} pages)",
                counters.pages.load(Ordering::Relaxed)
            )
        } else {
            format!("{read} read")
        };
        Sample {
            line: format!(
                "{what}, {done} operations done, {} in flight, {:.0} ops/s",
                progress.inflight.load(Ordering::Relaxed),
                done as f64 / secs
            ),
        }
    }
}

/// Progress: a spinner on a terminal, a line every 10 s otherwise.
pub fn progress(printer: &Printer) -> ProgressView<Sample> {
    ProgressView::new(
        printer,
        Duration::from_secs(10),
        "interrupt: finishing the operations in flight and writing the checkpoint",
        |s: &Sample| Shown {
            bar: s.line.clone(),
            line: s.line.clone(),
            position: None,
        },
    )
}

/// A resume of a finished run: nothing to do, and the report says so.
pub fn already_complete(
    mode: &Mode,
    c: &Checkpoint,
    args: &RunArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let mut report = RefeedReport::already_complete(c.identity.key());
    report.mode = mode.name().to_string();
    report.source = super::source_name(mode);
    report.resumed = true;
    report.dry_run = args.dry_run;
    printer.report(&report)?;
    printer.status(format!(
        "the re-feed checkpointed at `{}` is complete ({} operations fed, finished {}); nothing to do",
        c.identity.key(),
        c.fed,
        c.updated_at.to_rfc3339()
    ));
    Ok(())
}

/// Prints the report and turns the outcome into the exit code and hints.
pub fn finish(
    args: &RunArgs,
    mode: &Mode,
    label: &str,
    endpoint: &str,
    report: RefeedReport,
    context: &Context,
) -> anyhow::Result<()> {
    let printer = &context.printer;
    if let Some(path) = &args.rejects
        && !args.dry_run
    {
        write_rejects(path, &report.feed)?;
    }
    printer.report(&report)?;
    printer.status(summary_line(mode, &report));
    if args.dry_run && !report.interrupted && report.source_error.is_none() {
        printer.status(format!(
            "dry run: would feed {} operations to `{endpoint}`",
            report.feed.operations
        ));
    }
    let resume_hint = || match mode {
        Mode::Visit { .. } | Mode::File(_) if !args.dry_run => {
            format!("continue with `{}`", resume::resume_command(&[]))
        }
        Mode::Pubsub(_) => {
            "messages not acknowledged stay in the subscription: run the command again".into()
        }
        _ => "run the command again".into(),
    };
    let checkpoint_note = match &report.checkpoint {
        Some(key) if !args.dry_run => format!("; checkpoint `{key}` written"),
        _ => String::new(),
    };
    if report.interrupted {
        return Err(with_hint(
            anyhow::Error::new(Failure::Interrupted).context(format!(
                "re-feed from {label} interrupted after {} operations fed{checkpoint_note}",
                report.fed
            )),
            resume_hint(),
        ));
    }
    if let Some(err) = &report.checkpoint_error {
        return Err(with_hint(
            anyhow!("re-feed from {label} stopped: {err}"),
            "check Redis with `officectl doctor`",
        ));
    }
    if let Some(err) = &report.source_error {
        let hint = if report.fed > 0 || report.resumed {
            resume_hint()
        } else {
            "nothing was fed: fix the cause and run the command again".into()
        };
        return Err(with_hint(
            anyhow!("re-feed from {label} stopped: {err}{checkpoint_note}"),
            hint,
        ));
    }
    if let Some(reason) = &report.feed.gave_up {
        return Err(with_hint(
            anyhow!(
                "re-feed from {label} stopped: {reason} ({} failed){checkpoint_note}",
                report.feed.failed
            ),
            format!(
                "{}, then {}",
                crate::cli::vespa::report::endpoint_hint(&context.settings),
                resume_hint()
            ),
        ));
    }
    if report.has_failures() {
        return Err(failures(args, mode, label, &report));
    }
    Ok(())
}

/// What was read, in the terms of the source.
fn summary_line(mode: &Mode, report: &RefeedReport) -> String {
    match mode {
        Mode::Visit { .. } => format!(
            "{} documents visited in {} pages: {} upgraded to the current shape, {} could not be",
            report.read, report.pages, report.upgraded, report.invalid
        ),
        Mode::Pubsub(_) => format!(
            "{} messages read: {} of unknown types skipped, {} not selected, {} invalid; {} acked, {} left for redelivery",
            report.read,
            report.skipped_unknown_type,
            report.filtered,
            report.invalid,
            report.acked,
            report.left_for_redelivery
        ),
        Mode::File(_) | Mode::Stdin => format!(
            "{} events read: {} of unknown types skipped, {} invalid",
            report.read, report.skipped_unknown_type, report.invalid
        ),
    }
}

/// The error for a run that fed some things and not others, listing the first failures.
fn failures(args: &RunArgs, mode: &Mode, label: &str, report: &RefeedReport) -> anyhow::Error {
    let listed: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("  {}: {}", p.at, p.message))
        .chain(report.feed.failures.iter().map(failure_line))
        .collect();
    let listed = first_lines(listed);
    let mut hint = match &args.rejects {
        Some(path) => format!(
            "the failed operations are in `{}` (feed them with `officectl vespa feed {}`)",
            path.display(),
            path.display()
        ),
        None => "add `--rejects FILE` to keep the failed operations".into(),
    };
    if report.checkpoint.is_some() && !report.complete && !args.dry_run {
        hint.push_str(&format!(
            "; after fixing the cause, `{}` feeds again from the checkpoint",
            resume::resume_command(&[])
        ));
    }
    if matches!(mode, Mode::File(_)) && report.invalid > 0 {
        hint.push_str(&format!(
            "; see every problem with `officectl events validate {}`",
            report.source
        ));
    }
    let mut what = Vec::new();
    if report.feed.failed > 0 {
        what.push(format!("{} operations failed", report.feed.failed));
    }
    if report.invalid > 0 {
        what.push(match mode {
            Mode::Visit { .. } => format!(
                "{} documents could not be brought to the current shape",
                report.invalid
            ),
            Mode::Pubsub(_) => format!("{} messages are not valid events", report.invalid),
            _ => format!("{} events are invalid", report.invalid),
        });
    }
    if what.is_empty() {
        what.push(format!("{} inputs could not be fed", report.units_failed));
    }
    with_hint(
        anyhow!(
            "re-feed from {label}: {}:\n{}",
            what.join(", "),
            listed.join("\n")
        ),
        hint,
    )
}
