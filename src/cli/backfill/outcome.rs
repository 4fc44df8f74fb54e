//! What a backfill shows: the line it starts with, its progress, and how its result becomes the
//! exit code and the hint that continues it.

use super::Args;
use crate::cli::error::with_hint;
use crate::cli::printer::Printer;
use crate::cli::progress::{ProgressView, Shown};
use crate::cli::resume;
use officectl::backfill::{Outcome, Routing, RunResult, Snapshot};
use officectl::exit::Failure;
use std::time::Duration;

/// The status line a run starts with.
pub fn starting(
    args: &Args,
    users: usize,
    source: &str,
    destinations: &[String],
    routing: &Routing,
    correlation_id: &str,
    resumed_users: usize,
) -> String {
    let verb = if args.dry_run {
        "dry run of backfill"
    } else {
        "backfill"
    };
    let resumed = if resumed_users == 0 {
        String::new()
    } else {
        format!(", resuming {resumed_users} checkpointed users")
    };
    let to = destinations
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let mode = match routing {
        Routing::Topic(_) => "",
        Routing::PublishMode { .. } => " (publish mode follows the flag)",
    };
    format!(
        "{verb} of {users} users from `{source}` to {to}{mode}: correlation id `{correlation_id}`{resumed}"
    )
}

/// Progress: a bar by input bytes (with an ETA for files), or a line every 5 s.
pub fn progress(printer: &Printer) -> ProgressView<Snapshot> {
    ProgressView::new(
        printer,
        Duration::from_secs(5),
        "interrupt: finishing the batches in flight and writing checkpoints (again to exit at once)",
        |s: &Snapshot| {
            let rate = if s.elapsed_secs > 0.0 {
                s.published as f64 / s.elapsed_secs
            } else {
                0.0
            };
            let bytes = indicatif::HumanBytes(s.bytes).to_string();
            let mut line = format!(
                "backfill: {} events in {} batches ({bytes}) published, {} items read, {} rejected, {rate:.0} events/s, {:.0}s",
                s.published, s.batches, s.read, s.rejected, s.elapsed_secs
            );
            if let Some(total) = s.input_total.filter(|t| *t > 0) {
                let done = s.input_read as f64 / total as f64;
                line.push_str(&format!(", input {:.0}%", done * 100.0));
                if done > 0.0 && done < 1.0 {
                    let eta = s.elapsed_secs * (1.0 - done) / done;
                    line.push_str(&format!(", ETA {eta:.0}s"));
                }
            }
            Shown {
                bar: format!(
                    "{} events, {} batches, {bytes}, {rate:.0} events/s, {} rejected",
                    s.published, s.batches, s.rejected
                ),
                line,
                position: Some((s.input_read, s.input_total)),
            }
        },
    )
}

/// The exit code of a finished run: 0 complete; the run's error with the resume hint; 130
/// after an interrupt, with the resume hint.
pub fn finish(result: RunResult, args: &Args, correlation_id: &str) -> anyhow::Result<()> {
    let resume_hint = || {
        format!(
            "continue with `{}`",
            resume::resume_command(&["--correlation-id"])
        )
    };
    if let Some(err) = result.error {
        let err = anyhow::Error::new(err);
        return Err(if args.dry_run {
            err
        } else {
            with_hint(
                err.context(format!(
                    "backfill `{correlation_id}` failed; the checkpoints keep every acknowledged batch"
                )),
                resume_hint(),
            )
        });
    }
    match result.report.outcome {
        Outcome::Complete => Ok(()),
        Outcome::Interrupted | Outcome::Failed if args.dry_run => {
            Err(anyhow::Error::new(Failure::Interrupted))
        }
        Outcome::Interrupted | Outcome::Failed => Err(with_hint(
            anyhow::Error::new(Failure::Interrupted).context(format!(
                "backfill `{correlation_id}` interrupted after {} batches; checkpoints are written",
                result.report.batches
            )),
            resume_hint(),
        )),
    }
}
