//! `officectl backfill`: replays users' mail as `EmailEvent` batches (issue 6).
//!
//! Parse → resolve → execute: this file turns flags and environment into
//! [`officectl::backfill::Options`], decides between a fresh run and a resume from the
//! checkpoints, wires Ctrl-C/SIGTERM to the engine's cancel token, draws progress, and maps the
//! outcome to exit codes (130 after an interrupt, 1 on error, with the resume command as hint).

use crate::cli::{Context, error::with_hint, input, resume};
use anyhow::{Context as _, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use officectl::backfill::checkpoint::{self, Checkpoint, RunIdentity};
use officectl::backfill::http::{HttpOptions, HttpSource};
use officectl::backfill::source::{NdjsonSource, Source};
use officectl::backfill::subscription::SubscriptionSource;
use officectl::backfill::{
    self, Cancel, Outcome, Progress, RetryPolicy, Routing, Selection, Snapshot,
};
use officectl::exit::Failure;
use officectl::migrate::publish;
use officectl::model::catalog::DataType;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
use officectl::pubsub::{Admin, BoundedPublisher, MessageSource, names};
use officectl::redis_store;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bearer token for an HTTP export source.
pub const SOURCE_TOKEN_ENV: &str = "OFFICECTL_SOURCE_TOKEN";
/// Test-only failure injection: `backfill-after-batch:N` aborts the process once N batches
/// are acknowledged, before the last one's checkpoint is written.
pub const FAILPOINT_ENV: &str = "OFFICECTL_FAILPOINT";
/// How often a running backfill re-reads the publish-mode flag.
const MODE_REFRESH: Duration = Duration::from_secs(5);

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).multiple(true).args(["user", "users_file"])))]
pub struct Args {
    /// Backfill this user (repeat for more)
    #[arg(long, value_name = "USER")]
    user: Vec<String>,

    /// Backfill the users listed in FILE (one per line; blank lines and `#` comments ignored)
    #[arg(long, value_name = "FILE")]
    users_file: Option<PathBuf>,

    /// NDJSON file or `-` (stdin), `pubsub:SUBSCRIPTION`, or an `https://` export endpoint
    #[arg(long, value_name = "SOURCE")]
    source: String,

    /// Only e-mails received at or after T (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = parse_time)]
    since: Option<DateTime<Utc>>,

    /// Only e-mails received before T (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = parse_time)]
    until: Option<DateTime<Utc>>,

    /// Most e-mails per `EmailEvent` batch (1-1000)
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    batch_size: u16,

    /// Publish at most this many e-mails per second
    #[arg(long, value_name = "EVENTS_PER_S", value_parser = crate::cli::values::parse_rate)]
    rate: Option<f64>,

    /// Users fetched at once from an HTTP export endpoint
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,

    /// Most batches awaiting Pub/Sub's acknowledgement at once
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    max_in_flight: u32,

    /// Publish to this topic only, whatever the migration's publish mode for e-mail says (default: `emails`, `email-backfill` or both, as `office:flags:publish_mode:email` says)
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,

    /// Correlation id of the run (default: a fresh one; `--resume` reuses the checkpoint's)
    #[arg(long, value_name = "ID")]
    correlation_id: Option<String>,

    /// Set the user id as ordering key (in-order delivery per user on ordered subscriptions)
    #[arg(long)]
    ordering: bool,

    /// Read, validate and count everything; publish nothing, write nothing
    #[arg(long)]
    dry_run: bool,

    /// Continue after the last acknowledged batch of the checkpointed run
    #[arg(long, conflicts_with = "restart")]
    resume: bool,

    /// Discard existing checkpoints and start over with a new correlation id
    #[arg(long)]
    restart: bool,

    /// Write invalid records to FILE (NDJSON: line or position, reason, problems, record)
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,

    /// Stop at the first invalid record
    #[arg(long)]
    strict: bool,

    /// Stop reading a `pubsub:` source after no new message for this long
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = crate::cli::values::parse_duration)]
    idle_timeout: Duration,

    /// Keep retrying a batch that Pub/Sub refuses with a transient error for this long
    #[arg(long, default_value = "2m", value_name = "DURATION", value_parser = crate::cli::values::parse_duration)]
    retry_for: Duration,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time or a YYYY-MM-DD date"))
}

/// The kinds of `--source`.
enum SourceSpec {
    File(PathBuf),
    Subscription(String),
    Http(String),
}

impl SourceSpec {
    fn parse(text: &str, project: &str) -> SourceSpec {
        if let Some(name) = text.strip_prefix("pubsub:") {
            let full = if name.starts_with("projects/") {
                name.to_string()
            } else {
                names::subscription(project, name)
            };
            SourceSpec::Subscription(full)
        } else if text.starts_with("https://") || text.starts_with("http://") {
            SourceSpec::Http(text.to_string())
        } else {
            SourceSpec::File(PathBuf::from(text))
        }
    }

    /// What checkpoints record as the source: a resume must name the same one.
    fn identity(&self) -> String {
        match self {
            SourceSpec::File(path) => input::label(path),
            SourceSpec::Subscription(name) => format!("pubsub:{name}"),
            SourceSpec::Http(url) => url.clone(),
        }
    }
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    let project = settings.project()?.to_string();
    let users = read_users(&args)?;
    let full_topic = |topic: &str| {
        if topic.starts_with("projects/") {
            topic.to_string()
        } else {
            names::topic(&project, topic)
        }
    };
    // Checkpoints are kept under the chosen topic, or the e-mail topic whatever the mode.
    let topic = full_topic(args.topic.as_deref().unwrap_or(DataType::Email.topic()));
    let spec = SourceSpec::parse(&args.source, &project);
    // Local input first: a missing file is reported before any service is asked anything.
    let local_source = match &spec {
        SourceSpec::File(path) => Some(open_file_source(path, &spec)?),
        _ => None,
    };
    let identity = RunIdentity {
        source: spec.identity(),
        batch_size: usize::from(args.batch_size),
        since: args.since,
        until: args.until,
    };
    let abort_after_batches = failpoint()?;

    // Checkpoints (a real run or an explicit `--resume`) and the publish-mode flag (unless
    // `--topic` fixes the destination) live in Redis.
    let store: Option<Arc<dyn KeyValueStore>> =
        if !args.dry_run || args.resume || args.topic.is_none() {
            let conn =
                redis_store::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
            Some(Arc::new(RedisKvStore::new(conn)))
        } else {
            None
        };
    let resume_from = match &store {
        Some(store) if !args.dry_run || args.resume => {
            decide_resume(&args, store.as_ref(), &topic, &users, &identity).await?
        }
        _ => BTreeMap::new(),
    };
    let (routing, destinations) = match (&args.topic, &store) {
        (Some(_), _) | (None, None) => (Routing::Topic(topic.clone()), vec![topic.clone()]),
        (None, Some(store)) => {
            let mode = publish::read_mode(store.as_ref(), DataType::Email)
                .await
                .with_context(|| {
                    format!(
                        "cannot read the publish-mode flag `{}`",
                        publish::mode_flag(DataType::Email).key()
                    )
                })?;
            let mut topics = Vec::new();
            if mode.publishes_legacy()
                && let Some(legacy) = publish::legacy_topic(DataType::Email)
            {
                topics.push(full_topic(legacy));
            }
            if mode.publishes_new() {
                topics.push(topic.clone());
            }
            let routing = Routing::PublishMode {
                project: project.clone(),
                flags: store.clone(),
                refresh: MODE_REFRESH,
            };
            (routing, topics)
        }
    };
    let correlation_id = match resume_from.values().next() {
        Some(checkpoint) => checkpoint.correlation_id.clone(),
        None => args
            .correlation_id
            .clone()
            .unwrap_or_else(new_correlation_id),
    };

    let sinks = if args.dry_run {
        None
    } else {
        let admin = GoogleAdmin::connect(&settings.pubsub.value).await?;
        for topic in &destinations {
            match admin.get_topic(topic).await {
                Ok(_) => {}
                Err(err) if err.is_not_found() => {
                    return Err(with_hint(
                        anyhow!("topic `{topic}` does not exist; nothing was published"),
                        "create it with `officectl topics apply`, or pick another with `--topic`",
                    ));
                }
                Err(err) => return Err(err.into()),
            }
        }
        let transport = GooglePublisher::connect(&settings.pubsub.value).await?;
        let store = store
            .clone()
            .ok_or_else(|| anyhow!("internal: no store for a real run"))?;
        Some(backfill::Sinks {
            publisher: BoundedPublisher::new(Arc::new(transport), args.max_in_flight as usize),
            store,
        })
    };

    let source = match local_source {
        Some(source) => source,
        None => open_source(&spec, &args, &users, settings).await?,
    };
    let rejects: Option<Box<dyn Write + Send>> = match &args.rejects {
        Some(path) if !args.dry_run => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create `{}`", path.display()))?;
            Some(Box::new(std::io::BufWriter::new(file)))
        }
        _ => None,
    };

    let verb = if args.dry_run {
        "dry run of backfill"
    } else {
        "backfill"
    };
    let resumed = if resume_from.is_empty() {
        String::new()
    } else {
        format!(", resuming {} checkpointed users", resume_from.len())
    };
    let to = destinations
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let mode = match &routing {
        Routing::Topic(_) => String::new(),
        Routing::PublishMode { .. } => " (publish mode follows the flag)".to_string(),
    };
    printer.status(format!(
        "{verb} of {} users from `{}` to {to}{mode}: correlation id `{correlation_id}`{resumed}",
        users.len(),
        identity.source
    ));

    let options = backfill::Options {
        topic: topic.clone(),
        routing,
        selection: Selection {
            users: users.iter().cloned().collect(),
            since: args.since,
            until: args.until,
            batch_size: usize::from(args.batch_size),
        },
        correlation_id: correlation_id.clone(),
        dry_run: args.dry_run,
        ordering: args.ordering,
        strict: args.strict,
        rate: args.rate,
        claim_check: settings.claim_check.clone(),
        retry: RetryPolicy {
            total: args.retry_for,
            ..RetryPolicy::default()
        },
        resume_from,
        identity,
        abort_after_batches,
        progress_interval: Duration::from_millis(200),
    };

    // Plain progress lines go through the printer (so `-q` silences them): the reporter sends
    // them here and this task prints them while the run goes on.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    let progress: Arc<dyn Progress> = if printer.progress_visible() {
        Arc::new(BarProgress::new())
    } else {
        Arc::new(LineProgress::new(Duration::from_secs(5), lines_tx))
    };
    let cancel = Cancel::new();
    let signals = tokio::spawn(watch_signals(cancel.clone()));
    let run = backfill::run(options, source, sinks, rejects, progress, cancel);
    tokio::pin!(run);
    let result = loop {
        tokio::select! {
            result = &mut run => break result,
            Some(line) = lines.recv() => printer.status(line),
        }
    };
    signals.abort();

    printer.report(&result.report)?;
    let resume_hint = || {
        format!(
            "continue with `{}`",
            resume::resume_command(&["--correlation-id"])
        )
    };
    if let Some(err) = result.error {
        let anyhow_err = anyhow::Error::new(err);
        return Err(if args.dry_run {
            anyhow_err
        } else {
            with_hint(
                anyhow_err.context(format!(
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

fn read_users(args: &Args) -> anyhow::Result<Vec<String>> {
    let mut users: BTreeSet<String> = args.user.iter().cloned().collect();
    if let Some(path) = &args.users_file {
        let reader = input::open(path)?;
        for line in reader.lines() {
            let line = line.with_context(|| format!("cannot read `{}`", path.display()))?;
            let user = line.split('#').next().unwrap_or("").trim();
            if !user.is_empty() {
                users.insert(user.to_string());
            }
        }
    }
    if users.is_empty() {
        return Err(with_hint(
            anyhow!("no users to backfill"),
            "name them with `--user USER` or `--users-file FILE`",
        ));
    }
    Ok(users.into_iter().collect())
}

fn failpoint() -> anyhow::Result<Option<u64>> {
    let Ok(value) = std::env::var(FAILPOINT_ENV) else {
        return Ok(None);
    };
    value
        .strip_prefix("backfill-after-batch:")
        .and_then(|n| n.parse().ok())
        .map(Some)
        .ok_or_else(|| anyhow!("`{FAILPOINT_ENV}` must be `backfill-after-batch:N`, not `{value}`"))
}

/// Chooses between a fresh run and a resume, per the flags and the checkpoints found.
async fn decide_resume(
    args: &Args,
    store: &dyn KeyValueStore,
    topic: &str,
    users: &[String],
    identity: &RunIdentity,
) -> anyhow::Result<BTreeMap<String, Checkpoint>> {
    let found = checkpoint::load_all(store, topic, users).await?;
    if args.restart {
        if !args.dry_run {
            checkpoint::clear(store, topic, users).await?;
        }
        return Ok(BTreeMap::new());
    }
    let unfinished = found.values().filter(|c| !c.complete).count();
    let resume = if args.resume {
        true
    } else if unfinished == 0 {
        false
    } else {
        ask_resume(unfinished, &found)?
    };
    if !resume {
        if unfinished > 0 && !args.dry_run {
            checkpoint::clear(store, topic, users).await?;
        }
        return Ok(BTreeMap::new());
    }
    let ids: BTreeSet<&str> = found.values().map(|c| c.correlation_id.as_str()).collect();
    if ids.len() > 1 {
        return Err(with_hint(
            anyhow!(
                "the checkpoints of these users belong to {} different runs ({}); one resume continues one run",
                ids.len(),
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "resume the users of each run separately, or start over with `--restart`",
        ));
    }
    if let (Some(asked), Some(found_id)) = (&args.correlation_id, ids.iter().next())
        && asked != found_id
    {
        return Err(with_hint(
            anyhow!("`--correlation-id {asked}` differs from the checkpointed run's `{found_id}`"),
            "leave out `--correlation-id` to resume, or start over with `--restart`",
        ));
    }
    for (user, c) in &found {
        if c.identity != *identity {
            return Err(with_hint(
                anyhow!(
                    "user `{user}` was checkpointed with source `{}`, batch size {}, since {:?}, until {:?}; this run has `{}`, {}, {:?}, {:?}",
                    c.identity.source,
                    c.identity.batch_size,
                    c.identity.since,
                    c.identity.until,
                    identity.source,
                    identity.batch_size,
                    identity.since,
                    identity.until
                ),
                "a resume needs the same source and selection; or start over with `--restart`",
            ));
        }
    }
    if found.is_empty() {
        eprintln!("warning: `--resume`: no checkpoint for these users; starting a new run");
    }
    Ok(found)
}

fn ask_resume(unfinished: usize, found: &BTreeMap<String, Checkpoint>) -> anyhow::Result<bool> {
    let id = found
        .values()
        .find(|c| !c.complete)
        .map(|c| c.correlation_id.clone())
        .unwrap_or_default();
    let what = format!("{unfinished} users have an unfinished backfill checkpoint (run `{id}`)");
    if !resume::can_ask() {
        return Err(with_hint(
            anyhow!("{what}; nothing was published"),
            "continue it with `--resume`, or start over with `--restart`",
        ));
    }
    resume::ask(&what, "aborted; nothing was published")
}

/// Opens a file (or stdin) source: needs no service, so it is opened before any is asked.
fn open_file_source(path: &Path, spec: &SourceSpec) -> anyhow::Result<Box<dyn Source>> {
    let total = if path == Path::new("-") {
        None
    } else {
        std::fs::metadata(path).ok().map(|m| m.len())
    };
    let reader: Box<dyn BufRead + Send> = if path == Path::new("-") {
        Box::new(std::io::BufReader::with_capacity(1 << 20, std::io::stdin()))
    } else {
        let file = input::open_file(path)?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    Ok(Box::new(NdjsonSource::new(spec.identity(), reader, total)))
}

async fn open_source(
    spec: &SourceSpec,
    args: &Args,
    users: &[String],
    settings: &officectl::settings::Settings,
) -> anyhow::Result<Box<dyn Source>> {
    Ok(match spec {
        SourceSpec::File(path) => open_file_source(path, spec)?,
        SourceSpec::Subscription(name) => {
            let subscriber = GoogleSubscriber::connect(&settings.pubsub.value, 1000).await?;
            Box::new(SubscriptionSource::new(
                name,
                subscriber.subscribe(name),
                args.idle_timeout,
            ))
        }
        SourceSpec::Http(url) => {
            let mut options = HttpOptions::new(url.clone());
            options.token = std::env::var(SOURCE_TOKEN_ENV)
                .ok()
                .filter(|t| !t.is_empty());
            options.since = args.since;
            options.until = args.until;
            options.concurrency = usize::from(args.concurrency);
            Box::new(HttpSource::new(options, users.to_vec()))
        }
    })
}

/// SIGINT/SIGTERM ask the run to stop after the batches in flight; a second one exits at once.
async fn watch_signals(cancel: Cancel) {
    let mut first = true;
    loop {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut term) = signal(SignalKind::terminate()) else {
                return;
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        if !first {
            eprintln!("interrupted again: exiting without waiting for batches in flight");
            std::process::exit(i32::from(officectl::exit::INTERRUPTED));
        }
        first = false;
        eprintln!(
            "interrupt: finishing the batches in flight and writing checkpoints (again to exit at once)"
        );
        cancel.cancel();
    }
}

/// A fresh correlation id shaped like a UUID v4, from the clock, the process id and a counter.
fn new_correlation_id() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(NEXT.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&hasher.finalize()[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn human_bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}

/// A bar on the terminal: by input bytes with an ETA for files, a spinner otherwise.
struct BarProgress {
    bar: indicatif::ProgressBar,
}

impl BarProgress {
    fn new() -> BarProgress {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(5),
        );
        BarProgress { bar }
    }
}

impl Progress for BarProgress {
    fn update(&self, s: &Snapshot) {
        let rate = if s.elapsed_secs > 0.0 {
            s.published as f64 / s.elapsed_secs
        } else {
            0.0
        };
        if let Some(total) = s.input_total
            && self.bar.length() != Some(total)
        {
            self.bar.set_length(total);
            self.bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% ETA {eta}  {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
        self.bar.set_position(s.input_read);
        self.bar.set_message(format!(
            "{} events, {} batches, {}, {:.0} events/s, {} rejected",
            s.published,
            s.batches,
            human_bytes(s.bytes),
            rate,
            s.rejected
        ));
        self.bar.tick();
    }

    fn finish(&self, _: &Snapshot) {
        self.bar.finish_and_clear();
    }
}

/// Plain lines on stderr every `every`, for logs and pipes.
struct LineProgress {
    every: Duration,
    last: Mutex<Instant>,
    out: tokio::sync::mpsc::UnboundedSender<String>,
}

impl LineProgress {
    fn new(every: Duration, out: tokio::sync::mpsc::UnboundedSender<String>) -> LineProgress {
        LineProgress {
            every,
            last: Mutex::new(Instant::now()),
            out,
        }
    }

    fn line(s: &Snapshot) -> String {
        let rate = if s.elapsed_secs > 0.0 {
            s.published as f64 / s.elapsed_secs
        } else {
            0.0
        };
        let mut line = format!(
            "backfill: {} events in {} batches ({}) published, {} items read, {} rejected, {:.0} events/s, {:.0}s",
            s.published,
            s.batches,
            human_bytes(s.bytes),
            s.read,
            s.rejected,
            rate,
            s.elapsed_secs
        );
        if let Some(total) = s.input_total.filter(|t| *t > 0) {
            let done = s.input_read as f64 / total as f64;
            line.push_str(&format!(", input {:.0}%", done * 100.0));
            if done > 0.0 && done < 1.0 {
                let eta = s.elapsed_secs * (1.0 - done) / done;
                line.push_str(&format!(", ETA {eta:.0}s"));
            }
        }
        line
    }
}

impl Progress for LineProgress {
    fn update(&self, s: &Snapshot) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.elapsed() >= self.every {
            *last = Instant::now();
            let _ = self.out.send(LineProgress::line(s));
        }
    }

    fn finish(&self, _: &Snapshot) {}
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

    #[test]
    fn correlation_ids_are_fresh_and_uuid_shaped() {
        let a = new_correlation_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, new_correlation_id());
    }
}
