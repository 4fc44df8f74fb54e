//! How a checkpointed re-feed starts: fresh, from its checkpoint, or, for an unfinished one and
//! neither `--resume` nor `--restart`, asked about on a terminal (refused without one, exit 2).
//! The rules are the run core's (`officectl::run::resume`); this file asks and clears.

use super::RunArgs;
use crate::cli::printer::Printer;
use crate::cli::{error::with_hint, resume};
use officectl::exit::Failure;
use officectl::model::store::KeyValueStore;
use officectl::run::resume::{Answer, ResumeFlags, Start as Decision};
use officectl::vespa::checkpoint::{self, Checkpoint, RunIdentity};

/// How a checkpointed run starts.
pub enum Start {
    Fresh,
    Resume(Checkpoint),
}

/// Chooses between a fresh run and a resume of `identity`'s checkpoint.
pub async fn decide(
    args: &RunArgs,
    store: &dyn KeyValueStore,
    identity: &RunIdentity,
    printer: &Printer,
) -> anyhow::Result<Start> {
    let found = checkpoint::load(store, identity).await?;
    let flags = ResumeFlags {
        resume: args.resume,
        restart: args.restart,
    };
    let unfinished = usize::from(found.as_ref().is_some_and(|c| !c.complete));
    let mut decision = Decision::decide(flags, usize::from(found.is_some()), unfinished);
    if decision == Decision::Ask
        && let Some(c) = &found
    {
        decision = Decision::answered(ask(c)?);
    }
    match (decision, found) {
        (Decision::Resume, Some(c)) => Ok(Start::Resume(c)),
        (Decision::ResumeNothing, _) => {
            printer.warn(format!(
                "`--resume`: no checkpoint `{}` for this source and selection; starting a new run",
                identity.key()
            ));
            Ok(Start::Fresh)
        }
        (Decision::Fresh { clear }, _) => {
            // `--restart` clears even what another command left, as before any checkpoint.
            if (clear || args.restart) && !args.dry_run {
                checkpoint::clear(store, identity).await?;
            }
            Ok(Start::Fresh)
        }
        (_, _) => Ok(Start::Fresh),
    }
}

/// Asks what to do with the unfinished run; refuses (exit 2) when nobody can answer.
fn ask(c: &Checkpoint) -> anyhow::Result<Answer> {
    let what = format!(
        "an unfinished re-feed of this source and selection has a checkpoint `{}` ({} operations fed, last written {})",
        c.identity.key(),
        c.fed,
        c.updated_at.to_rfc3339()
    );
    if !resume::can_ask() {
        return Err(with_hint(
            Failure::Usage(format!("{what}; nothing was fed")),
            format!(
                "continue it with `--resume` (`{}`), or start over with `--restart`",
                resume::resume_command(&[])
            ),
        ));
    }
    if resume::ask(&what, "aborted; nothing was fed")? {
        Ok(Answer::Resume)
    } else {
        Ok(Answer::StartOver)
    }
}
