//! `officectl topics apply`: make the live project match the layout.
//!
//! Deletes (`--prune`) and replacements destroy messages, so they are confirmed on a terminal,
//! or with `--yes`; without a terminal and without `--yes` apply refuses before changing anything.

use super::layout_args::LayoutArgs;
use super::live;
use super::stopped::Stopped;
use crate::cli::progress;
use crate::cli::{Context, flag_values::parse_concurrency};
use indicatif::ProgressBar;
use officectl::topics::apply::{ApplyProgress, StepResult};
use officectl::topics::{self, ApplyError, ApplyOptions, Outcome, apply::DEFAULT_CONCURRENCY};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    layout: LayoutArgs,

    /// Show what would change and change nothing
    #[arg(long)]
    dry_run: bool,

    /// Do not ask before deleting or replacing (needed without a terminal)
    #[arg(long)]
    yes: bool,

    /// Delete live topics and subscriptions the layout does not declare
    #[arg(long)]
    prune: bool,

    /// Delete and re-create subscriptions whose filter, ordering or topic differ (drops their backlog)
    #[arg(long)]
    allow_replace: bool,

    /// Pub/Sub calls in flight at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY, value_parser = parse_concurrency)]
    concurrency: usize,
}

impl Args {
    /// The command to run again, for hints.
    fn again(&self) -> String {
        let mut command = format!("officectl topics apply{}", self.layout.as_flags());
        for (set, flag) in [
            (self.prune, " --prune"),
            (self.allow_replace, " --allow-replace"),
            (self.yes, " --yes"),
        ] {
            if set {
                command.push_str(flag);
            }
        }
        command
    }
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let printer = &context.printer;
    let layout = args.layout.load()?;
    let (project, admin) = live::connect(context).await?;
    let live = live::read_live(&admin, &project).await?;
    let plan = topics::plan(&layout, &live, &project, args.prune);

    if args.dry_run {
        printer.report(&plan)?;
        printer.status("dry run: nothing was changed");
        return Ok(());
    }
    let replacements: Vec<String> = plan.replacements().map(|s| s.name.clone()).collect();
    if !replacements.is_empty() && !args.allow_replace {
        return Err(Stopped::Replace {
            flags: args.layout.as_flags(),
            error: ApplyError::ReplaceNotAllowed(replacements),
        }
        .into());
    }
    let destructive: Vec<String> = plan
        .destructive()
        .map(|s| format!("{} {}", s.action, s.label()))
        .collect();
    if !destructive.is_empty() && !args.yes {
        confirm(&destructive, &args)?;
    }

    let options = ApplyOptions {
        concurrency: args.concurrency,
        allow_replace: args.allow_replace,
        cancel: context.interrupts.token(),
        ..ApplyOptions::default()
    };
    let progress = Progress::new(context);
    let report = topics::apply(&admin, &plan, &options, &progress).await?;
    progress.finish();
    printer.report(&report)?;
    if let Some(error) = report.incomplete() {
        return Err(Stopped::Incomplete {
            again: args.again(),
            error,
        }
        .into());
    }
    if report.steps.is_empty() {
        printer.status(format!(
            "nothing to change: project `{project}` matches the layout"
        ));
    }
    Ok(())
}

/// Asks on the terminal; refuses when there is none.
fn confirm(destructive: &[String], args: &Args) -> anyhow::Result<()> {
    crate::cli::confirm::confirm(
        &format!("apply would {}", destructive.join(", ")),
        format!(
            "review with `officectl topics plan{}{}`, then pass `--yes`",
            args.layout.as_flags(),
            if args.prune { " --prune" } else { "" }
        ),
    )
}

/// A progress bar on a terminal; otherwise one line per step at `-v`.
struct Progress<'a> {
    context: &'a Context,
    bar: Option<ProgressBar>,
}

impl<'a> Progress<'a> {
    fn new(context: &'a Context) -> Self {
        let bar = progress::bar(&context.printer, Some("{bar:30} {pos}/{len} {msg}"));
        Self { context, bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ApplyProgress for Progress<'_> {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn finished(&self, result: &StepResult) {
        let outcome = match result.outcome {
            Outcome::Done => "done",
            Outcome::AlreadyDone => "already done",
            Outcome::Failed => "FAILED",
            Outcome::Skipped => "skipped",
        };
        let line = format!(
            "{} {} `{}`: {outcome}",
            result.action, result.kind, result.name
        );
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(line);
            }
            None => self.context.printer.detail(1, line),
        }
    }
}
