//! `officectl tail TOPIC...`: events as they arrive, one line each (or `-o json`, one envelope
//! per line), through temporary filtered subscriptions deleted on the way out.

use super::Context;
use super::flag_values;
use anyhow::Context as _;
use officectl::pubsub::google::{GoogleAdmin, GoogleSubscriber};
use officectl::pubsub::{Admin, Delivery, MessageSource, PubSubError};
use officectl::settings::OutputFormat;
use officectl::tail::{TailSession, TailSpec, Tailed, event_types_of};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Topics to watch, by short name (e.g. `emails`, `contacts`)
    #[arg(required = true, value_name = "TOPIC")]
    topics: Vec<String>,

    /// Only this user's events (a server-side filter on the `user_id` attribute)
    #[arg(long, value_name = "USER")]
    user: Option<String>,

    /// Only events of this type: `email`, `EmailEvent`, ... (repeatable)
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,

    /// First replay what the topics retained since this long ago (topics with retention)
    #[arg(long, value_name = "DURATION", value_parser = flag_values::parse_duration)]
    since: Option<Duration>,

    /// Show bodies, subjects' content and notes (redacted by default)
    #[arg(long)]
    show_bodies: bool,

    /// Stop after this many events
    #[arg(long, value_name = "N")]
    count: Option<u64>,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let mut event_types = Vec::new();
    for name in &args.types {
        event_types.extend(event_types_of(name).ok_or_else(|| {
            anyhow::Error::new(officectl::exit::Failure::Usage(format!(
                "--type: `{name}` is not a data type (`email`, `calendar`, ... or `EmailEvent`, ...)"
            )))
        })?);
    }
    let spec = TailSpec {
        project: settings.project()?.to_string(),
        topics: args.topics.clone(),
        user: args.user.clone(),
        event_types,
        since: args.since,
    };
    let admin: Arc<dyn Admin> = Arc::new(GoogleAdmin::connect(&settings.pubsub.value).await?);
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    let mut session = TailSession::open(admin, &spec, &run_id, now())
        .await
        .context("cannot open the tail's subscriptions")?;
    let result = watch(&args, context, &session).await;
    for err in session.close().await {
        context.printer.warn(format!(
            "{err}; it expires by itself after a day without a reader"
        ));
    }
    result
}

/// Prints what arrives until `--count`, Ctrl-C or SIGTERM.
async fn watch(args: &Args, context: &Context, session: &TailSession) -> anyhow::Result<()> {
    let settings = &context.settings;
    let subscriber = GoogleSubscriber::connect(&settings.pubsub.value, 1000).await?;
    let cancel = context.interrupts.token();
    let stop = cancel.child_token();
    let (tx, mut rx) = mpsc::channel::<(String, Result<Delivery, PubSubError>)>(256);
    let mut readers = Vec::new();
    for (topic, name) in &session.subscriptions {
        let mut stream = subscriber.subscribe(name);
        let (tx, stop, topic) = (tx.clone(), stop.clone(), topic.clone());
        readers.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    next = stream.next() => match next {
                        Some(delivery) => {
                            if tx.send((topic.clone(), delivery)).await.is_err() {
                                break;
                            }
                        }
                        None => break,
                    },
                }
            }
            stream.shutdown().await;
        }));
    }
    drop(tx);
    let names: Vec<&str> = session
        .subscriptions
        .iter()
        .map(|(_, n)| n.as_str())
        .collect();
    context.printer.status(format!(
        "tailing {} through {}; Ctrl-C to stop",
        args.topics.join(", "),
        names.join(", ")
    ));
    let mut shown = 0u64;
    let mut failure = None;
    while args.count.is_none_or(|n| shown < n) {
        let next = tokio::select! {
            () = cancel.cancelled() => break,
            next = rx.recv() => next,
        };
        let Some((topic, delivery)) = next else { break };
        let delivery = match delivery {
            Ok(delivery) => delivery,
            Err(err) => {
                failure = Some(anyhow::Error::new(err).context(format!("reading `{topic}`")));
                break;
            }
        };
        let tailed = Tailed::read(&topic, &delivery.message, args.show_bodies, now());
        delivery.ack();
        let text = match context.printer.output() {
            OutputFormat::Table => tailed.line(),
            OutputFormat::Json => serde_json::to_string(&tailed)?,
            OutputFormat::Yaml => format!("---\n{}", officectl::yaml::to_string(&tailed)?),
        };
        context.printer.data(&format!("{text}\n"))?;
        shown += 1;
    }
    stop.cancel();
    // Messages still queued here are not acked: dropped, they are never shown.
    drop(rx);
    for reader in readers {
        let _ = reader.await;
    }
    failure.map_or(Ok(()), Err)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from(std::time::SystemTime::now())
}
