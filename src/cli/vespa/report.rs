//! What a feed shows, for `vespa feed` and the re-feeds of `reindex`: progress through the
//! shared [`ProgressView`], the failed operations and invalid input lines in the error, the
//! rejects file, and the exit code.

use crate::cli::Context;
use crate::cli::error;
use crate::cli::printer::Printer;
use crate::cli::progress::{ProgressView, Shown};
use anyhow::Context as _;
use officectl::exit::Failure;
use officectl::settings::Settings;
use officectl::vespa::feed::{FeedOutcome, InvalidInput, OpFailure, Progress};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A moment of a feed, for progress.
pub struct Sample {
    line: String,
}

/// Samples the feed's counters: read, done, in flight (and the throttle's target), the rate.
pub fn sampler(progress: &Arc<Progress>) -> impl Fn(Duration) -> Sample + Send + Sync + use<> {
    let progress = Arc::clone(progress);
    move |elapsed| {
        let p = &progress;
        let done = p.done.load(Ordering::Relaxed);
        let secs = elapsed.as_secs_f64().max(0.001);
        Sample {
            line: format!(
                "{} read, {} done, {} in flight (target {}), {:.0} ops/s",
                p.read.load(Ordering::Relaxed),
                done,
                p.inflight.load(Ordering::Relaxed),
                p.target.load(Ordering::Relaxed),
                done as f64 / secs
            ),
        }
    }
}

/// Progress: a spinner on a terminal, a line every 10 s otherwise (none with `-q`).
pub fn progress(printer: &Printer) -> ProgressView<Sample> {
    ProgressView::new(
        printer,
        Duration::from_secs(10),
        // Said only by a ticker that has the run's token; `vespa feed` keeps Ctrl-C quiet.
        "interrupt: finishing the operations in flight",
        |s: &Sample| Shown {
            bar: s.line.clone(),
            line: s.line.clone(),
            position: None,
        },
    )
}

/// One failed operation in an error message: `  put `id:…`: status 507: message`.
pub fn failure_line(f: &OpFailure) -> String {
    let status = f
        .status
        .map_or("no response".into(), |s| format!("status {s}"));
    format!(
        "  {} `{}`: {status}: {}",
        f.operation.as_str(),
        f.id,
        f.message
    )
}

/// The first ten lines, and how many more there were.
pub fn first_lines(mut lines: Vec<String>) -> Vec<String> {
    let total = lines.len();
    lines.truncate(10);
    if total > 10 {
        lines.push(format!("  … and {} more", total - 10));
    }
    lines
}

/// Writes rejects and the report, and turns failures into the exit code.
pub fn finish(
    outcome: FeedOutcome,
    rejects: Option<&Path>,
    label: &str,
    context: &Context,
) -> anyhow::Result<()> {
    if let Some(path) = rejects {
        write_rejects(path, &outcome)?;
    }
    context.printer.report(&outcome)?;
    if outcome.cancelled {
        return Err(anyhow::Error::new(Failure::Interrupted).context(format!(
            "feed of `{label}` interrupted: {} operations sent, {} not sent",
            outcome.operations - outcome.not_sent,
            outcome.not_sent
        )));
    }
    if let Some(reason) = &outcome.gave_up {
        return Err(error::with_hint(
            anyhow::anyhow!(
                "feed of `{label}` stopped: {reason} ({} failed, {} read but not sent)",
                outcome.failed,
                outcome.not_sent
            ),
            endpoint_hint(&context.settings),
        ));
    }
    if let Some(message) = &outcome.input_error {
        return Err(error::with_hint(
            anyhow::anyhow!("{message}"),
            "operations before this point were fed; fix the input and feed the rest",
        ));
    }
    let mut problems = Vec::new();
    let mut hints = Vec::new();
    if outcome.failed > 0 {
        let listed = first_lines(outcome.failures.iter().map(failure_line).collect());
        problems.push(format!(
            "{} of {} operations from `{label}` failed:\n{}",
            outcome.failed,
            outcome.operations,
            listed.join("\n")
        ));
        hints.push(match rejects {
            Some(path) => format!(
                "the failed operations are in `{}`; feed them again with `officectl vespa feed {}`",
                path.display(),
                path.display()
            ),
            None => "add --rejects FILE to keep the failed operations for a re-feed".into(),
        });
    }
    if outcome.invalid_lines > 0 {
        // The outcome keeps only the first ones; the count is of them all.
        let mut listed: Vec<String> = outcome
            .invalid_input
            .iter()
            .take(10)
            .map(invalid_line)
            .collect();
        if outcome.invalid_lines > listed.len() as u64 {
            listed.push(format!(
                "  … and {} more",
                outcome.invalid_lines - listed.len() as u64
            ));
        }
        problems.push(format!(
            "{} lines of `{label}` are not operations and were not sent:\n{}",
            outcome.invalid_lines,
            listed.join("\n")
        ));
        hints
            .push("fix those lines and feed them again (`--strict` stops at the first one)".into());
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(error::with_hint(
        anyhow::anyhow!("{}", problems.join("\n")),
        hints.join("; "),
    ))
}

/// One invalid input line in an error message: `  line 12: not valid UTF-8 at byte 40`.
pub fn invalid_line(invalid: &InvalidInput) -> String {
    format!("  line {}: {}", invalid.line, invalid.message)
}

/// What to check when nothing gets through to the endpoint; for https://, the TLS settings too.
pub fn endpoint_hint(settings: &Settings) -> String {
    let endpoint = &settings.vespa.endpoint.value;
    if endpoint.starts_with("https://") {
        format!(
            "check that Vespa answers at `{endpoint}`, and the TLS settings `vespa.ca_cert` \
             (`--vespa-ca-cert`), `vespa.cert` and `vespa.key` (`officectl config show`)"
        )
    } else {
        format!("check that Vespa answers at `{endpoint}` (`officectl config show`)")
    }
}

pub fn write_rejects(path: &Path, outcome: &FeedOutcome) -> anyhow::Result<()> {
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        for failure in &outcome.failures {
            if failure.op.id.is_empty() {
                continue;
            }
            writeln!(file, "{}", failure.op.to_feed_json())?;
        }
        file.flush()
    };
    write().with_context(|| format!("cannot write rejects to `{}`", path.display()))
}
