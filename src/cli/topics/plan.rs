//! `officectl topics plan`: what apply would do, field by field.

use super::layout_args::LayoutArgs;
use super::live;
use super::stopped::Stopped;
use crate::cli::Context;
use officectl::topics;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    layout: LayoutArgs,

    /// Show live resources the layout does not declare as deletes, as `apply --prune` would
    #[arg(long)]
    prune: bool,

    /// Exit 2 when apply would change something (0: nothing to do, 1: error)
    #[arg(long)]
    detailed_exitcode: bool,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let layout = args.layout.load()?;
    let (project, admin) = live::connect(context).await?;
    let live = live::read_live(&admin, &project).await?;
    let plan = topics::plan(&layout, &live, &project, args.prune);
    context.printer.report(&plan)?;

    let replacements: Vec<String> = plan
        .replacements()
        .map(|s| format!("`{}`", s.name))
        .collect();
    if !replacements.is_empty() {
        context.printer.warn(format!(
            "{} need a replace (delete and create; the backlog is lost): apply refuses unless \
             given `--allow-replace`",
            replacements.join(", ")
        ));
    }
    if args.detailed_exitcode
        && let Some(error) = plan.changes()
    {
        return Err(Stopped::Changes {
            apply: format!(
                "officectl topics apply{}{}",
                args.layout.as_flags(),
                if args.prune { " --prune" } else { "" }
            ),
            error,
        }
        .into());
    }
    Ok(())
}
