//! `officectl topics verify`: the CI gate. Exit 0 in sync, 2 on drift, 1 on error.

use super::layout_args::LayoutArgs;
use super::live;
use crate::cli::{Context, error::with_hint};
use officectl::exit::Failure;
use officectl::topics::{self, VerifyReport};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    layout: LayoutArgs,

    /// Do not count live topics and subscriptions the layout does not declare as drift
    #[arg(long)]
    ignore_undeclared: bool,
}

/// How many drifts the error message names before summing up the rest.
const NAMED: usize = 10;

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let layout = args.layout.load()?;
    let (project, admin) = live::connect(context).await?;
    let live = live::read_live(&admin, &project).await?;
    let plan = topics::plan(&layout, &live, &project, false);
    let report = VerifyReport::from_plan(&plan, args.ignore_undeclared);
    context.printer.report(&report)?;
    if report.in_sync {
        context.printer.status(format!(
            "in sync: project `{project}` matches `{}`",
            report.layout
        ));
        return Ok(());
    }
    let mut named: Vec<String> = report
        .drifts
        .iter()
        .take(NAMED)
        .map(|d| match d.field.as_str() {
            "exists" if d.declared == "true" => format!("{} `{}` is missing", d.kind, d.resource),
            "exists" => format!("{} `{}` is not declared", d.kind, d.resource),
            field => format!(
                "{} `{}` {field}: declared {}, live {}",
                d.kind, d.resource, d.declared, d.live
            ),
        })
        .collect();
    if report.drifts.len() > NAMED {
        named.push(format!("and {} more", report.drifts.len() - NAMED));
    }
    Err(with_hint(
        Failure::Drift(format!(
            "project `{project}` drifted from `{}`: {}",
            report.layout,
            named.join("; ")
        )),
        format!(
            "review with `officectl topics plan{}`; `officectl topics apply{}` repairs it",
            args.layout.as_flags(),
            args.layout.as_flags()
        ),
    ))
}
