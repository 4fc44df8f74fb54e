//! `officectl vespa feed FILE|-`: feed Vespa JSON/JSONL operations over HTTP/2.

use super::connection::ConnectionArgs;
use super::report;
use crate::cli::{Context, input};
use anyhow::Context as _;
use officectl::run::CancellationToken;
use officectl::run::progress::Ticker;
use officectl::vespa::feed::{InputError, InputItem, Progress};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

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
    // The feed says nothing extra on Ctrl-C (its summary says it was interrupted), so the
    // ticker is not given the run's token.
    let ticker = Ticker::start(
        Duration::from_millis(200),
        report::sampler(&progress),
        Arc::new(report::progress(&context.printer)),
        CancellationToken::new(),
    );
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
    ticker.finish();
    let _ = reader_thread.join();
    let outcome = outcome.context("the feed task failed")?;
    report::finish(outcome, args.rejects.as_deref(), &label, context)
}
