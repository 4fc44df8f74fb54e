//! The flags of `officectl backfill`.

use chrono::{DateTime, NaiveDate, Utc};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).multiple(true).args(["user", "users_file"])))]
pub struct Args {
    /// Backfill this user (repeat for more)
    #[arg(long, value_name = "USER")]
    pub user: Vec<String>,

    /// Backfill the users listed in FILE (one per line; blank lines and `#` comments ignored)
    #[arg(long, value_name = "FILE")]
    pub users_file: Option<PathBuf>,

    /// Only the users of shard INDEX of COUNT (from 0; `auto/COUNT` takes INDEX from
    /// JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job); needs --correlation-id, so all
    /// shards' batches share it. The hash is documented in docs/backfill.md
    #[arg(long, value_name = "INDEX/COUNT", requires = "correlation_id")]
    pub shard: Option<String>,

    /// NDJSON file or `-` (stdin), `pubsub:SUBSCRIPTION`, or an `https://` export endpoint
    #[arg(long, value_name = "SOURCE")]
    pub source: String,

    /// Only e-mails received at or after T (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,

    /// Only e-mails received before T (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,

    /// Most e-mails per `EmailEvent` batch (1-1000)
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: u16,

    /// Publish at most this many e-mails per second
    #[arg(long, value_name = "EVENTS_PER_S", value_parser = crate::cli::flag_values::parse_rate)]
    pub rate: Option<f64>,

    /// Users fetched at once from an HTTP export endpoint
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Most batches awaiting Pub/Sub's acknowledgement at once
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_in_flight: u32,

    /// Publish to this topic only, whatever the migration's publish mode for e-mail says (default: `emails`, `email-backfill` or both, as `office:flags:publish_mode:email` says)
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Correlation id of the run (default: a fresh one; `--resume` reuses the checkpoint's)
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,

    /// Set the user id as ordering key (in-order delivery per user on ordered subscriptions)
    #[arg(long)]
    pub ordering: bool,

    /// Read, validate and count everything; publish nothing, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Continue after the last acknowledged batch of the checkpointed run
    #[arg(long, conflicts_with = "restart")]
    pub resume: bool,

    /// Discard existing checkpoints and start over with a new correlation id
    #[arg(long)]
    pub restart: bool,

    /// Write invalid records to FILE (NDJSON: line or position, reason, problems, record)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Stop at the first invalid record
    #[arg(long)]
    pub strict: bool,

    /// Stop reading a `pubsub:` source after no new message for this long
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = crate::cli::flag_values::parse_duration)]
    pub idle_timeout: Duration,

    /// Keep retrying a batch that Pub/Sub refuses with a transient error for this long
    #[arg(long, default_value = "2m", value_name = "DURATION", value_parser = crate::cli::flag_values::parse_duration)]
    pub retry_for: Duration,
}

pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time or a YYYY-MM-DD date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_rfc3339_or_dates() {
        assert_eq!(
            parse_time("2024-03-01").unwrap(),
            parse_time("2024-03-01T00:00:00Z").unwrap()
        );
        assert!(parse_time("March").is_err());
    }
}
