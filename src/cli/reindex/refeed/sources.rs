//! The source and committer of a re-feed, for each [`Mode`], and where it starts: a visit from
//! its slices' continuations, a file after its last committed line, stdin and subscriptions from
//! where they stand (a subscription commits by acking). Says on stderr what the run will read.

use super::super::RunArgs;
use super::start::Start;
use crate::cli::{Context, input};
use anyhow::Context as _;
use officectl::model::DataType;
use officectl::pubsub::MessageSource;
use officectl::pubsub::google::GoogleSubscriber;
use officectl::vespa::checkpoint::Position;
use officectl::vespa::http::HttpTransport;
use officectl::vespa::refeed::commit::{
    Committer, FileCommitter, MessageCommitter, NoCommitter, VisitCommitter,
};
use officectl::vespa::refeed::convert::EventConverter;
use officectl::vespa::refeed::file::{self, FileSource};
use officectl::vespa::refeed::from_vespa::{self, VisitSource};
use officectl::vespa::refeed::plan::{self, Mode};
use officectl::vespa::refeed::subscription::SubscriptionSource;
use officectl::vespa::refeed::{Counters, Source};
use officectl::vespa::visit::{self, VisitOptions};
use std::sync::Arc;

/// What [`build`] needs: the resolved mode and flags, and the run's shared parts.
pub struct Request<'a, C: Fn() -> EventConverter> {
    pub mode: &'a Mode,
    pub args: &'a RunArgs,
    pub start: &'a Start,
    pub users: &'a [String],
    pub types: &'a [DataType],
    pub transport: &'a Arc<HttpTransport>,
    pub converter: &'a C,
    pub counters: &'a Arc<Counters>,
    pub context: &'a Context,
}

/// A re-feed's source and committer, the position its checkpoint starts from (none for stdin and
/// subscriptions), and how the report names what was read.
pub struct Built {
    pub source: Box<dyn Source>,
    pub committer: Box<dyn Committer>,
    pub position: Option<Position>,
    pub label: String,
}

pub async fn build<C: Fn() -> EventConverter>(request: &Request<'_, C>) -> anyhow::Result<Built> {
    let Request {
        mode,
        args,
        start,
        users,
        types,
        transport,
        converter,
        counters,
        context,
    } = *request;
    let settings = &context.settings;
    let printer = &context.printer;
    let endpoint = &settings.vespa.endpoint.value;
    let resumed = matches!(start, Start::Resume(_));
    let dry = if args.dry_run { "dry run of " } else { "" };
    let (source, committer, position, label): (
        Box<dyn Source>,
        Box<dyn Committer>,
        Option<Position>,
        String,
    ) = match mode {
        Mode::Visit { cluster } => {
            let targets = visit::plan(users, types, cluster);
            let fresh = from_vespa::fresh_streams(&targets, args.slices);
            let streams = match &start {
                Start::Resume(c) => plan::resumed_streams(c, args.slices, &fresh)?,
                Start::Fresh => fresh,
            };
            let options = VisitOptions {
                page_size: args.page_size,
                slices: args.slices,
                ..VisitOptions::default()
            };
            let done = streams.iter().filter(|s| s.done).count();
            let plural = if args.slices == 1 { "" } else { "s" };
            let resuming = if resumed {
                format!(", resuming ({done} of {} slices done)", streams.len())
            } else {
                String::new()
            };
            printer.status(format!(
                "{dry}re-feed from Vespa at `{endpoint}`: visiting {} in cluster `{cluster}` as {} slice{plural}{resuming}",
                plan::describe_selection(users, types),
                args.slices,
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
                Start::Resume(c) => plan::resumed_file(c, &now, &label)?,
                Start::Fresh => now,
            };
            let resuming = if resumed {
                format!(", resuming after line {} (byte {})", from.line, from.offset)
            } else {
                String::new()
            };
            printer.status(format!(
                "{dry}re-feed of events from `{label}` to `{endpoint}`{resuming}"
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
                "{dry}re-feed of events from subscription `{name}` to `{endpoint}`, until no message for {}",
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

    Ok(Built {
        source,
        committer,
        position,
        label,
    })
}
