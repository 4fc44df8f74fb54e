//! The re-feeds of `officectl reindex`: `--source FILE|-|pubsub:SUBSCRIPTION` and
//! `--from-vespa`.
//!
//! Parse → resolve → execute: the flags become a [`Mode`] and a selection; the checkpoint in
//! Redis decides between a fresh run and a resume (the contract of `officectl backfill`:
//! without `--resume` an unfinished checkpoint is refused, or asked about on a terminal;
//! `--restart` discards it); the core (`officectl::vespa::refeed`) does the work; this file
//! draws progress and maps the report to the exit code, with the resume command as hint.

use super::RunArgs;
use crate::cli::error::with_hint;
use crate::cli::vespa::feed::{failure_line, first_lines, write_rejects};
use crate::cli::{Context, input, interrupt, resume};
use anyhow::{Context as _, anyhow};
use officectl::exit::Failure;
use officectl::model::catalog::DataType;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::model::vespa::schema::CONTENT_CLUSTER;
use officectl::pubsub::google::GoogleSubscriber;
use officectl::pubsub::{MessageSource, names};
use officectl::redis_store;
use officectl::settings::env::FAILPOINT;
use officectl::vespa::checkpoint::{self, Checkpoint, FilePosition, Position, RunIdentity};
use officectl::vespa::refeed::events::EventConverter;
use officectl::vespa::refeed::file::{self, FileSource};
use officectl::vespa::refeed::from_vespa::{self, VisitSource};
use officectl::vespa::refeed::subscription::SubscriptionSource;
use officectl::vespa::refeed::tracker::{
    Committer, FileCommitter, MessageCommitter, NoCommitter, VisitCommitter,
};
use officectl::vespa::refeed::{
    self, CheckpointSink, Counters, Failpoint, Filter, Options, RefeedReport, Shared, Source,
};
use officectl::vespa::visit::{self, VisitOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// What is re-fed.
enum Mode {
    Visit {
        cluster: String,
    },
    File(PathBuf),
    Stdin,
    /// A subscription's full name.
    Pubsub(String),
}

impl Mode {
    fn name(&self) -> &'static str {
        match self {
            Mode::Visit { .. } => "visit",
            Mode::File(_) => "file",
            Mode::Stdin => "stdin",
            Mode::Pubsub(_) => "pubsub",
        }
    }

    /// Whether runs of this mode keep a checkpoint in Redis.
    fn checkpointed(&self) -> bool {
        matches!(self, Mode::Visit { .. } | Mode::File(_))
    }
}

/// A usage error (exit 2) with a hint.
fn usage(message: String, hint: impl Into<String>) -> anyhow::Error {
    with_hint(Failure::Usage(message), hint)
}

fn resolve_mode(args: &RunArgs, context: &Context) -> anyhow::Result<Mode> {
    if args.from_vespa {
        let cluster = match args.app.clusters.as_slice() {
            [] => CONTENT_CLUSTER.to_string(),
            [one] => one.clone(),
            _ => {
                return Err(usage(
                    "`--from-vespa` visits one content cluster; more than one `--cluster` given"
                        .into(),
                    "run once per cluster",
                ));
            }
        };
        return Ok(Mode::Visit { cluster });
    }
    let Some(source) = args.source.as_deref() else {
        return Err(anyhow!("internal: no re-feed mode"));
    };
    if !args.app.clusters.is_empty() {
        return Err(usage(
            "`--cluster` applies to `--native` and `--from-vespa`, not to `--source`".into(),
            "leave out `--cluster`",
        ));
    }
    if let Some(name) = source.strip_prefix("pubsub:") {
        let full = if name.starts_with("projects/") {
            name.to_string()
        } else {
            names::subscription(context.settings.project()?, name)
        };
        return Ok(Mode::Pubsub(full));
    }
    if source == "-" {
        return Ok(Mode::Stdin);
    }
    Ok(Mode::File(PathBuf::from(source)))
}

/// `--type` names as data types: the Vespa document type (`office_document`) or the model's
/// name (`document`).
fn data_types(names: &[String]) -> anyhow::Result<Vec<DataType>> {
    let mut types = Vec::new();
    for name in names {
        let Some(t) = DataType::from_vespa_type(name).or_else(|| DataType::from_doc_type(name))
        else {
            let known: Vec<String> = DataType::all()
                .map(|t| format!("`{}`", t.vespa_type()))
                .collect();
            return Err(usage(
                format!("`--type {name}` is not a document type of the model"),
                format!("use one of {}", known.join(", ")),
            ));
        };
        if !types.contains(&t) {
            types.push(t);
        }
    }
    types.sort();
    Ok(types)
}

/// `OFFICECTL_FAILPOINT` for re-feeds (tests only).
fn failpoint() -> anyhow::Result<Option<Failpoint>> {
    let Ok(value) = std::env::var(FAILPOINT) else {
        return Ok(None);
    };
    let parse = |prefix: &str| value.strip_prefix(prefix).and_then(|n| n.parse().ok());
    if let Some(n) = parse("reindex-abort-after-units:") {
        return Ok(Some(Failpoint::AbortAfterUnits(n)));
    }
    if let Some(n) = parse("reindex-interrupt-after-units:") {
        return Ok(Some(Failpoint::InterruptAfterUnits(n)));
    }
    Err(anyhow!(
        "`{FAILPOINT}` must be `reindex-abort-after-units:N` or `reindex-interrupt-after-units:N`, not `{value}`"
    ))
}

/// How a checkpointed run starts.
enum Start {
    Fresh,
    Resume(Checkpoint),
}

pub async fn run(args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let printer = &context.printer;
    let mode = resolve_mode(args, context)?;
    let types = data_types(&args.app.types)?;
    let users = {
        let mut users = args.users.clone();
        users.sort();
        users.dedup();
        users
    };
    if !mode.checkpointed() && (args.resume || args.restart) {
        let why = match mode {
            Mode::Pubsub(_) => {
                "a `pubsub:` source keeps no checkpoint: messages not acknowledged are delivered again"
            }
            _ => "stdin cannot be read again from where a run stopped, so it keeps no checkpoint",
        };
        return Err(usage(
            format!("`--resume` and `--restart` do not apply here: {why}"),
            "leave them out",
        ));
    }
    let failpoint = failpoint()?;
    let transport = Arc::new(args.connection.transport(settings)?);
    let endpoint = settings.vespa.endpoint.value.clone();

    // Redis: checkpoints (not in a dry run, unless asked to `--resume`) and parked payloads.
    let store: Option<Arc<dyn KeyValueStore>> = if !args.dry_run || args.resume {
        let conn = redis_store::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        Some(Arc::new(RedisKvStore::new(conn)))
    } else {
        None
    };

    let type_names: Vec<String> = types.iter().map(|t| t.vespa_type().to_string()).collect();
    let identity = match &mode {
        Mode::Visit { cluster } => Some(RunIdentity::new(
            checkpoint::Mode::Visit,
            cluster.clone(),
            &users,
            &type_names,
        )),
        Mode::File(path) => {
            let absolute = std::fs::canonicalize(path)
                .with_context(|| format!("cannot open `{}`", path.display()))?;
            Some(RunIdentity::new(
                checkpoint::Mode::File,
                absolute.display().to_string(),
                &users,
                &type_names,
            ))
        }
        Mode::Stdin | Mode::Pubsub(_) => None,
    };
    let start = match (&identity, &store) {
        (Some(identity), Some(store)) => decide(args, store.as_ref(), identity, context).await?,
        _ => Start::Fresh,
    };
    if let Start::Resume(c) = &start
        && c.complete
    {
        let mut report = RefeedReport::already_complete(c.identity.key());
        report.mode = mode.name().to_string();
        report.source = source_name(&mode);
        report.resumed = true;
        report.dry_run = args.dry_run;
        printer.report(&report)?;
        printer.status(format!(
            "the re-feed checkpointed at `{}` is complete ({} operations fed, finished {}); nothing to do",
            c.identity.key(),
            c.fed,
            c.updated_at.to_rfc3339()
        ));
        return Ok(());
    }
    let resumed = matches!(start, Start::Resume(_));

    let filter = Filter {
        users: users.iter().cloned().collect(),
        types: types.iter().copied().collect(),
    };
    let converter = || EventConverter {
        filter: filter.clone(),
        payloads: store
            .clone()
            .filter(|_| !args.dry_run)
            .map(|s| (s, settings.claim_check.clone())),
    };
    let shared = Shared {
        counters: Arc::new(Counters::default()),
        progress: Arc::default(),
        cancel: interrupt::watch(),
    };
    let counters = shared.counters.clone();

    // Source, committer and where the run starts.
    let (source, committer, position, label): (
        Box<dyn Source>,
        Box<dyn Committer>,
        Option<Position>,
        String,
    ) = match &mode {
        Mode::Visit { cluster } => {
            let targets = visit::plan(&users, &types, cluster);
            let fresh = from_vespa::fresh_streams(&targets, args.slices);
            let streams = match &start {
                Start::Resume(c) => resumed_streams(c, args.slices, &fresh)?,
                Start::Fresh => fresh,
            };
            let options = VisitOptions {
                page_size: args.page_size,
                slices: args.slices,
                ..VisitOptions::default()
            };
            let done = streams.iter().filter(|s| s.done).count();
            printer.status(format!(
                "{}re-feed from Vespa at `{endpoint}`: visiting {} in cluster `{cluster}` as {} slice{}{}",
                if args.dry_run { "dry run of " } else { "" },
                describe_selection(&users, &types),
                args.slices,
                if args.slices == 1 { "" } else { "s" },
                if resumed {
                    format!(
                        ", resuming ({done} of {} slices done)",
                        streams.len()
                    )
                } else {
                    String::new()
                }
            ));
            (
                Box::new(VisitSource::new(
                    transport.clone(),
                    targets,
                    options,
                    streams.clone(),
                    counters.clone(),
                )),
                Box::new(VisitCommitter::new(args.slices, streams.clone())),
                Some(Position::Visit {
                    slices: args.slices,
                    streams,
                }),
                format!("cluster `{cluster}`"),
            )
        }
        Mode::File(path) => {
            let label = input::label(path);
            let now = file::position_of(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            let from = match &start {
                Start::Resume(c) => resumed_file(c, &now, &label)?,
                Start::Fresh => now,
            };
            printer.status(format!(
                "{}re-feed of events from `{label}` to `{endpoint}`{}",
                if args.dry_run { "dry run of " } else { "" },
                if resumed {
                    format!(", resuming after line {} (byte {})", from.line, from.offset)
                } else {
                    String::new()
                }
            ));
            (
                Box::new(FileSource::file(
                    path.clone(),
                    label.clone(),
                    from.clone(),
                    converter(),
                    counters.clone(),
                )),
                Box::new(FileCommitter::new(from.clone())),
                Some(Position::File(from)),
                format!("`{label}`"),
            )
        }
        Mode::Stdin => (
            Box::new(FileSource::stdin(converter(), counters.clone())),
            Box::new(NoCommitter),
            None,
            "`<stdin>`".to_string(),
        ),
        Mode::Pubsub(name) => {
            let subscriber = GoogleSubscriber::connect(&settings.pubsub.value, 1000).await?;
            printer.status(format!(
                "{}re-feed of events from subscription `{name}` to `{endpoint}`, until no message for {}",
                if args.dry_run { "dry run of " } else { "" },
                officectl::duration::format(args.idle_timeout)
            ));
            (
                Box::new(SubscriptionSource::new(
                    subscriber.subscribe(name),
                    args.idle_timeout,
                    converter(),
                    counters.clone(),
                )),
                Box::new(MessageCommitter {
                    dry_run: args.dry_run,
                }),
                None,
                format!("subscription `{name}`"),
            )
        }
    };

    let checkpoint_key = identity.as_ref().map(RunIdentity::key);
    let sink = match (identity, store.clone(), position) {
        (Some(identity), Some(store), Some(position)) if !args.dry_run => {
            let checkpoint = match start {
                Start::Resume(c) => c,
                Start::Fresh => Checkpoint {
                    identity,
                    position,
                    fed: 0,
                    complete: false,
                    started_at: checkpoint::now(),
                    updated_at: checkpoint::now(),
                },
            };
            Some(CheckpointSink {
                store,
                checkpoint,
                // A page is a large unit: record every one. Lines are small: every half second.
                every: match mode {
                    Mode::Visit { .. } => Duration::ZERO,
                    _ => Duration::from_millis(500),
                },
            })
        }
        _ => None,
    };
    let mut config = args.connection.feed_config();
    // Without progress for this long the feed gives up (as `vespa feed --deadline`).
    config.deadline = Duration::from_secs(60);
    let options = Options {
        feed: config,
        rate: args.rate,
        dry_run: args.dry_run,
        failpoint,
    };

    let ticker = Ticker::spawn(context, &shared, mode.name());
    // A worker task, next to the connection tasks (see `vespa feed`).
    let running = tokio::spawn(refeed::run(
        transport, source, committer, sink, options, shared,
    ))
    .await;
    ticker.stop();
    let mut report = running.context("the re-feed task failed")?;
    report.mode = mode.name().to_string();
    report.source = source_name(&mode);
    report.resumed = resumed;
    if resumed && report.checkpoint.is_none() {
        report.checkpoint = checkpoint_key;
    }
    finish(args, &mode, &label, &endpoint, report, context)
}

/// How the report names what was re-fed.
fn source_name(mode: &Mode) -> String {
    match mode {
        Mode::Visit { cluster } => cluster.clone(),
        Mode::File(path) => input::label(path),
        Mode::Stdin => "<stdin>".into(),
        Mode::Pubsub(name) => name.clone(),
    }
}

/// Chooses between a fresh run and a resume of `identity`'s checkpoint.
async fn decide(
    args: &RunArgs,
    store: &dyn KeyValueStore,
    identity: &RunIdentity,
    context: &Context,
) -> anyhow::Result<Start> {
    if args.restart {
        if !args.dry_run {
            checkpoint::clear(store, identity).await?;
        }
        return Ok(Start::Fresh);
    }
    let found = checkpoint::load(store, identity).await?;
    if args.resume {
        return Ok(match found {
            Some(c) => Start::Resume(c),
            None => {
                context.printer.warn(format!(
                    "`--resume`: no checkpoint `{}` for this source and selection; starting a new run",
                    identity.key()
                ));
                Start::Fresh
            }
        });
    }
    let Some(c) = found.filter(|c| !c.complete) else {
        return Ok(Start::Fresh);
    };
    let what = format!(
        "an unfinished re-feed of this source and selection has a checkpoint `{}` ({} operations fed, last written {})",
        c.identity.key(),
        c.fed,
        c.updated_at.to_rfc3339()
    );
    if !resume::can_ask() {
        return Err(usage(
            format!("{what}; nothing was fed"),
            format!(
                "continue it with `--resume` (`{}`), or start over with `--restart`",
                resume::resume_command(&[])
            ),
        ));
    }
    if resume::ask(&what, "aborted; nothing was fed")? {
        Ok(Start::Resume(c))
    } else {
        if !args.dry_run {
            checkpoint::clear(store, identity).await?;
        }
        Ok(Start::Fresh)
    }
}

/// The checkpoint's slices, if they belong to this visit.
fn resumed_streams(
    c: &Checkpoint,
    slices: u32,
    fresh: &[checkpoint::SlicePosition],
) -> anyhow::Result<Vec<checkpoint::SlicePosition>> {
    let Position::Visit {
        slices: saved_slices,
        streams,
    } = &c.position
    else {
        return Err(anyhow!(
            "the checkpoint `{}` is not a visit's",
            c.identity.key()
        ));
    };
    if *saved_slices != slices {
        return Err(usage(
            format!(
                "the checkpoint `{}` was made with `--slices {saved_slices}`, not {slices}",
                c.identity.key()
            ),
            format!("resume with `--slices {saved_slices}`, or start over with `--restart`"),
        ));
    }
    from_vespa::check_same_visit(streams, fresh).map_err(|why| {
        usage(
            format!("cannot resume `{}`: {why}", c.identity.key()),
            "start over with `--restart`",
        )
    })?;
    Ok(streams.clone())
}

/// The checkpoint's file position, if the file did not change.
fn resumed_file(c: &Checkpoint, now: &FilePosition, label: &str) -> anyhow::Result<FilePosition> {
    let Position::File(saved) = &c.position else {
        return Err(anyhow!(
            "the checkpoint `{}` is not a file's",
            c.identity.key()
        ));
    };
    file::check_unchanged(saved, now).map_err(|why| {
        usage(
            format!(
                "cannot resume the re-feed of `{label}` from its checkpoint `{}`: {why}",
                c.identity.key()
            ),
            "start over with `--restart`",
        )
    })?;
    Ok(saved.clone())
}

fn describe_selection(users: &[String], types: &[DataType]) -> String {
    use crate::cli::values::quoted_list;
    let types: Vec<&str> = types.iter().map(|t| t.vespa_type()).collect();
    format!(
        "users {} and types {}",
        quoted_list(users, "(all)"),
        quoted_list(&types, "(all)")
    )
}

/// Prints the report and turns the outcome into the exit code and hints.
fn finish(
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
    printer.status(match mode {
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
    });
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
                crate::cli::vespa::feed::endpoint_hint(&context.settings),
                resume_hint()
            ),
        ));
    }
    if report.has_failures() {
        let mut listed: Vec<String> = report
            .problems
            .iter()
            .map(|p| format!("  {}: {}", p.at, p.message))
            .chain(report.feed.failures.iter().map(failure_line))
            .collect();
        listed = first_lines(listed);
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
        return Err(with_hint(
            anyhow!(
                "re-feed from {label}: {}:\n{}",
                what.join(", "),
                listed.join("\n")
            ),
            hint,
        ));
    }
    Ok(())
}

/// Progress: a spinner on a terminal, a line every 10 s otherwise; says once when Ctrl-C was
/// seen.
struct Ticker {
    task: tokio::task::JoinHandle<()>,
    bar: Option<indicatif::ProgressBar>,
}

impl Ticker {
    fn spawn(context: &Context, shared: &Shared, mode: &'static str) -> Ticker {
        let started = Instant::now();
        let counters = shared.counters.clone();
        let progress = shared.progress.clone();
        let cancel = shared.cancel.clone();
        let line = move || {
            let read = counters.read.load(Ordering::Relaxed);
            let done = progress.done.load(Ordering::Relaxed);
            let secs = started.elapsed().as_secs_f64().max(0.001);
            let what = if mode == "visit" {
                format!(
                    "{read} documents visited ({} pages)",
                    counters.pages.load(Ordering::Relaxed)
                )
            } else {
                format!("{read} read")
            };
            format!(
                "{what}, {done} operations done, {} in flight, {:.0} ops/s",
                progress.inflight.load(Ordering::Relaxed),
                done as f64 / secs
            )
        };
        let quiet = context.printer.is_quiet();
        let bar = context.printer.progress_visible().then(|| {
            indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr_with_hz(5),
            )
        });
        let shown = bar.clone();
        let task = tokio::spawn(async move {
            let mut told = false;
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if !told && cancel.load(Ordering::Relaxed) {
                    told = true;
                    eprintln!(
                        "interrupt: finishing the operations in flight and writing the checkpoint"
                    );
                }
                match &shown {
                    Some(bar) => {
                        bar.set_message(line());
                        bar.tick();
                    }
                    None if !quiet && last.elapsed() >= Duration::from_secs(10) => {
                        last = Instant::now();
                        eprintln!("{}", line());
                    }
                    None => {}
                }
            }
        });
        Ticker { task, bar }
    }

    fn stop(self) {
        self.task.abort();
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_vespa_or_model_names() {
        let types =
            data_types(&["office_document".into(), "document".into(), "email".into()]).unwrap();
        assert_eq!(types, [DataType::Email, DataType::Document]);
        let err = data_types(&["music".into()]).unwrap_err();
        assert_eq!(crate::cli::error::exit_code(&err), 2);
        assert!(err.to_string().contains("`--type music`"), "{err}");
    }
}
