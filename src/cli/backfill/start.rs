//! How a backfill starts: fresh, resumed from its users' checkpoints, or, for an unfinished run
//! and neither `--resume` nor `--restart`, asked about on a terminal (refused without one). The
//! rules are the run core's (`officectl::run::resume`) and the checks the backfill's
//! (`officectl::backfill::plan::check_resumable`); this file asks and clears.

use super::Args;
use crate::cli::printer::Printer;
use crate::cli::{error::with_hint, resume};
use anyhow::anyhow;
use officectl::backfill::checkpoint::{self, Checkpoint, RunIdentity};
use officectl::backfill::plan;
use officectl::model::store::KeyValueStore;
use officectl::run::resume::{Answer, ResumeFlags, Start};
use std::collections::BTreeMap;

/// The checkpoints this run continues from (empty: a fresh run).
pub async fn decide(
    args: &Args,
    store: &dyn KeyValueStore,
    topic: &str,
    users: &[String],
    identity: &RunIdentity,
    printer: &Printer,
) -> anyhow::Result<BTreeMap<String, Checkpoint>> {
    let found = checkpoint::load_all(store, topic, users).await?;
    let unfinished = found.values().filter(|c| !c.complete).count();
    let flags = ResumeFlags {
        resume: args.resume,
        restart: args.restart,
    };
    let mut start = Start::decide(flags, found.len(), unfinished);
    if start == Start::Ask {
        start = Start::answered(ask(unfinished, &found)?);
    }
    match start {
        Start::Fresh { clear } => {
            if clear && !args.dry_run {
                checkpoint::clear(store, topic, users).await?;
            }
            Ok(BTreeMap::new())
        }
        Start::ResumeNothing => {
            printer.warn("`--resume`: no checkpoint for these users; starting a new run");
            Ok(BTreeMap::new())
        }
        Start::Resume | Start::Ask => {
            if let Err(refusal) =
                plan::check_resumable(&found, args.correlation_id.as_deref(), identity)
            {
                let hint = match refusal {
                    plan::ResumeRefusal::SeveralRuns { .. } => {
                        "resume the users of each run separately, or start over with `--restart`"
                    }
                    plan::ResumeRefusal::OtherCorrelationId { .. } => {
                        "leave out `--correlation-id` to resume, or start over with `--restart`"
                    }
                    plan::ResumeRefusal::OtherSelection { .. } => {
                        "a resume needs the same source and selection; or start over with `--restart`"
                    }
                };
                return Err(with_hint(refusal, hint));
            }
            Ok(found)
        }
    }
}

/// Asks what to do with the unfinished run; refuses when nobody can answer.
fn ask(unfinished: usize, found: &BTreeMap<String, Checkpoint>) -> anyhow::Result<Answer> {
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
    Ok(if resume::ask(&what, "aborted; nothing was published")? {
        Answer::Resume
    } else {
        Answer::StartOver
    })
}
