//! The flags of `officectl consume CONSUMER`, shared by every consumer (the Vespa connection
//! flags matter to the loader only).

use crate::cli::flag_values;
use crate::cli::logs::LogFormat;
use crate::cli::vespa::connection::ConnectionArgs;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Only these data types (comma-separated doc types, e.g. `email,calendar`) [default: every type the consumer reads]
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub(super) types: Vec<String>,

    /// Messages each subscription stream keeps unacknowledged at most (flow control)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub(super) max_outstanding_messages: i64,

    /// Bytes each subscription stream keeps unacknowledged at most (flow control)
    #[arg(long, value_name = "BYTES", default_value_t = 100 * 1024 * 1024)]
    pub(super) max_outstanding_bytes: i64,

    /// How far each lease extension holds a received message (10s to 600s): a process that
    /// dies holding messages delays them by about this long
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_lease_extension)]
    pub(super) lease_extension: Duration,

    /// How long to wait for in-flight messages after SIGTERM or Ctrl-C before exiting
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = flag_values::parse_duration)]
    pub(super) shutdown_timeout: Duration,

    /// How often the read flags are read again
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = flag_values::parse_duration, hide = true)]
    pub(super) flag_refresh: Duration,

    /// How long a message's idempotency claim holds while it is loaded; a loader that dies
    /// holding claims delays those messages by at most this long (longer than one message
    /// takes to feed)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = flag_values::parse_duration)]
    pub(super) claim_timeout: Duration,

    /// Messages decoded, deduplicated and turned into documents at once (feeding is
    /// concurrent beyond this, up to `--max-inflight` operations)
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub(super) concurrency: u16,

    /// Serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this address, e.g. `0.0.0.0:9464`
    #[arg(long, value_name = "ADDR")]
    pub(super) listen: Option<String>,

    /// How the worker's log lines on stderr are written: `text`, or `json` (one object per line)
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub(super) log_format: LogFormat,

    /// Decode, dedupe-check and build documents; feed nothing, ack nothing
    #[arg(long)]
    pub(super) dry_run: bool,

    /// vespa-loader: count every feed per idempotency key, with the time of the first, for
    /// `migrate drill` (two Redis writes per message, pipelined)
    #[arg(long, conflicts_with = "dry_run")]
    pub(super) record_feeds: bool,

    #[command(flatten)]
    pub(super) connection: ConnectionArgs,
}

/// `--lease-extension`: a duration within the client's bounds (10 s to 600 s).
fn parse_lease_extension(text: &str) -> Result<Duration, String> {
    let value = flag_values::parse_duration(text).map_err(|e| e.to_string())?;
    if (Duration::from_secs(10)..=Duration::from_secs(600)).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "`{text}` is outside 10s to 600s (Pub/Sub's bounds of an ack deadline)"
        ))
    }
}
