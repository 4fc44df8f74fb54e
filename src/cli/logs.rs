//! The logs of long-running workers (`consume`): `tracing` events on stderr, as text for a
//! person or one JSON object per line for a log pipeline (`--log-format json`). Commands that
//! end keep talking through the printer; a worker's lines are logs.

use super::printer::Printer;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// `--log-format`: `text` (`2026-12-03T10:00:00Z  WARN poison message: ...
/// consumer=vespa-loader ...`) or `json` (one object per line: `timestamp`, `level`, `message`
/// and the ids as top-level fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Sends officectl's `tracing` events to stderr in `format`, at info (`-q`: warn; `-v`: debug;
/// `-vv`: trace); the libraries' only from warn up. Once per process; a second call keeps the
/// first.
pub fn init(format: LogFormat, printer: &Printer) {
    let (quiet, verbose, color) = printer.verbosity();
    let level = match (quiet, verbose) {
        (true, _) => LevelFilter::WARN,
        (false, 0) => LevelFilter::INFO,
        (false, 1) => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let targets = Targets::new()
        .with_target("officectl", level)
        .with_default(LevelFilter::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => tracing_subscriber::registry()
            .with(layer.with_ansi(color))
            .with(targets)
            .try_init(),
        LogFormat::Json => tracing_subscriber::registry()
            .with(layer.json().flatten_event(true).with_ansi(false))
            .with(targets)
            .try_init(),
    };
}
