//! `officectl reindex --native`: marks types for Vespa's own reindexing on the config server,
//! and with `--wait` follows them to `successful` (or `failed`) with progress.

use super::{RunArgs, config_server, read_status};
use crate::cli::progress::{ProgressView, Shown};
use crate::cli::{Context, error};
use officectl::exit::Failure;
use officectl::run::progress::Reporter;
use officectl::vespa::reindex::{self, Marked, Selection};
use std::time::{Duration, Instant};

pub async fn run(args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    if !(0.0..=10.0).contains(&args.speed) {
        return Err(anyhow::anyhow!(
            "`--speed {}` must be in [0, 10] (0 halts)",
            args.speed
        ));
    }
    if args.wait && args.speed == 0.0 {
        return Err(anyhow::anyhow!(
            "`--wait` with `--speed 0` would never finish: speed 0 halts reindexing"
        ));
    }
    let server = config_server(context)?;
    let app = args.app.application()?;
    let selection = args.app.selection();
    if args.dry_run {
        context.printer.status(format!(
            "dry run: would {} {} of application `{}` on `{}`",
            if args.speed == 0.0 {
                "halt reindexing".to_string()
            } else {
                format!("mark for reindexing at speed {}", args.speed)
            },
            describe(&selection),
            args.app.application,
            context.settings.vespa.config_endpoint.value
        ));
        return Ok(());
    }
    let before = read_status(&server, &app, context).await?;
    let message = reindex::trigger(&server, &app, &selection, args.speed, args.cause.as_deref())
        .await
        .map_err(|err| {
            error::with_hint(
                anyhow::Error::new(err).context(format!(
                    "cannot start reindexing {} on `{}`",
                    describe(&selection),
                    context.settings.vespa.config_endpoint.value
                )),
                "see the clusters and types with `officectl reindex status`",
            )
        })?;
    context.printer.status(&message);
    if !args.wait {
        let mut report = read_status(&server, &app, context).await?;
        report
            .types
            .retain(|r| selection.matches(&r.cluster, &r.document_type));
        return context.printer.report(&report);
    }

    // The types this trigger marked: their `readyMillis` changed (or appeared).
    let cancel = context.interrupts.token();
    let started = Instant::now();
    let view = ProgressView::new(
        &context.printer,
        Duration::from_secs(10),
        "interrupt: no longer waiting (reindexing goes on in Vespa)",
        |m: &Marked| {
            let states = m.states().join(", ");
            Shown {
                line: format!("{:.1}% {states}", m.progress * 100.0),
                bar: states,
                position: Some(((m.progress * 1000.0) as u64, Some(1000))),
            }
        },
    );
    let poll = Duration::from_secs_f64(args.poll_interval.clamp(0.05, 60.0));
    let result = loop {
        let now = read_status(&server, &app, context).await?;
        let marked = Marked::between(&before, &now, &selection);
        view.update(&marked);
        let mut report = now.clone();
        report.types = marked.types.clone();
        if marked.failed {
            break Err((report, "failed"));
        }
        if marked.succeeded {
            break Ok(report);
        }
        if cancel.is_cancelled() {
            break Err((report, "interrupted"));
        }
        if args
            .wait_timeout
            .is_some_and(|t| started.elapsed() >= Duration::from_secs(t))
        {
            break Err((report, "timeout"));
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = cancel.cancelled() => {}
        }
    };
    view.finish(&Marked::between(&before, &before, &selection));
    match result {
        Ok(report) => {
            context.printer.report(&report)?;
            context.printer.status(format!(
                "reindexing of {} successful after {:.1} s",
                describe(&selection),
                started.elapsed().as_secs_f64()
            ));
            Ok(())
        }
        Err((report, why)) => {
            context.printer.report(&report)?;
            match why {
                "interrupted" => Err(anyhow::Error::new(Failure::Interrupted).context(
                    "stopped waiting; reindexing goes on (see `officectl reindex status`)",
                )),
                "timeout" => Err(error::with_hint(
                    anyhow::anyhow!(
                        "reindexing of {} not finished after {} s",
                        describe(&selection),
                        args.wait_timeout.unwrap_or_default()
                    ),
                    "it goes on in Vespa; follow it with `officectl reindex status`",
                )),
                _ => Err(error::with_hint(
                    anyhow::anyhow!("reindexing of {} failed", describe(&selection)),
                    "Vespa resumes a failed reindexing by itself after a grace period; see the message column",
                )),
            }
        }
    }
}

fn describe(selection: &Selection) -> String {
    use crate::cli::flag_values::quoted_list;
    format!(
        "types {} in clusters {}",
        quoted_list(&selection.types, "(all)"),
        quoted_list(&selection.clusters, "(all)")
    )
}
