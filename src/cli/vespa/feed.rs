//! `officectl vespa feed FILE|-`: feed Vespa JSON/JSONL operations over HTTP/2.

use super::connection::ConnectionArgs;
use crate::cli::{Context, error, input};
use anyhow::Context as _;
use officectl::exit::Failure;
use officectl::settings::Settings;
use officectl::vespa::feed::{
    FeedOutcome, InputError, InputItem, InvalidInput, OpFailure, Progress,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Operations in Vespa's feed format (JSON array or JSONL), or `-` for stdin
    #[arg(value_name = "FILE")]
    file: PathBuf,

    #[command(flatten)]
    connection: ConnectionArgs,

    /// Write operations that failed to FILE, in the feed format, to feed again later
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,

    /// Route for the operations (`?route=`)
    #[arg(long, value_name = "ROUTE")]
    route: Option<String>,

    /// Server-side timeout per operation, in seconds (`?timeout=`)
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,

    /// Attempts per operation on 503 and transport errors (429 is always retried)
    #[arg(long, value_name = "N", default_value_t = 10)]
    max_attempts: u32,

    /// Give up when no operation has succeeded for this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    deadline: u64,

    /// Stop reading at the first line that is not an operation (default: list it and go on)
    #[arg(long)]
    strict: bool,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let transport = Arc::new(args.connection.transport(&context.settings)?);
    let mut config = args.connection.feed_config();
    config.route = args.route.clone();
    config.timeout = args.timeout.map(Duration::from_secs);
    config.max_attempts = args.max_attempts.max(1);
    config.deadline = Duration::from_secs(args.deadline.max(1));

    let label = input::label(&args.file);
    // Open before starting so a missing file fails at once with its name.
    if args.file != Path::new("-") {
        input::open_file(&args.file)?;
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<InputItem>(4096);
    let reader_label = label.clone();
    let path = args.file.clone();
    let strict = args.strict;
    // The reader is not `Send` (stdin's lock): it is opened on the thread that reads it.
    let reader_thread = std::thread::spawn(move || {
        let reader = match input::open(&path) {
            Ok(reader) => reader,
            Err(err) => {
                let _ = tx.blocking_send(Err(InputError::Fatal(format!("{err:#}"))));
                return;
            }
        };
        let result = officectl::vespa::input::read(reader, &reader_label, strict, &mut |item| {
            tx.blocking_send(item.map_err(InputError::Invalid)).is_ok()
        });
        if let Err(message) = result {
            let _ = tx.blocking_send(Err(InputError::Fatal(message)));
        }
    });

    let cancel = context.interrupts.token();
    let progress = Arc::new(Progress::default());
    let ticker = spawn_progress(context, progress.clone());
    // The feed loop runs as a task on the worker threads, next to the connection tasks it
    // talks to; polled from `block_on` on the main thread, every response would wake that
    // thread from another one (measured: about a quarter more CPU per operation).
    let feeding = {
        let (progress, cancel) = (progress.clone(), cancel.clone());
        tokio::spawn(async move {
            officectl::vespa::feed(transport, rx, &config, &progress, &cancel).await
        })
    };
    let outcome = feeding.await;
    ticker.stop();
    let _ = reader_thread.join();
    let outcome = outcome.context("the feed task failed")?;
    finish(outcome, args.rejects.as_deref(), &label, context)
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

/// Progress while feeding: a spinner on a terminal, a status line every 10 s otherwise.
pub struct Ticker {
    task: tokio::task::JoinHandle<()>,
    bar: Option<indicatif::ProgressBar>,
}

impl Ticker {
    pub fn stop(self) {
        self.task.abort();
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

pub fn spawn_progress(context: &Context, progress: Arc<Progress>) -> Ticker {
    let started = Instant::now();
    let line = move |p: &Progress| {
        let done = p.done.load(Ordering::Relaxed);
        let secs = started.elapsed().as_secs_f64().max(0.001);
        format!(
            "{} read, {} done, {} in flight (target {}), {:.0} ops/s",
            p.read.load(Ordering::Relaxed),
            done,
            p.inflight.load(Ordering::Relaxed),
            p.target.load(Ordering::Relaxed),
            done as f64 / secs
        )
    };
    if context.printer.progress_visible() {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(5),
        );
        let shown = bar.clone();
        let task = tokio::spawn(async move {
            loop {
                shown.set_message(line(&progress));
                shown.tick();
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        Ticker {
            task,
            bar: Some(bar),
        }
    } else {
        // Plain lines, unless `--quiet`; the task is aborted when the feed ends.
        let quiet = context.printer.is_quiet();
        let task = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                if !quiet {
                    eprintln!("{}", line(&progress));
                }
            }
        });
        Ticker { task, bar: None }
    }
}
