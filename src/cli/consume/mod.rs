//! `officectl consume`: `--list` the layout's consumers, or run one as a long-lived worker
//! (`consume vespa-loader`).

mod loader;
mod types;

use crate::cli::Context;
use crate::cli::topics::layout_args::LayoutArgs;
use officectl::consume::layout::{self, ConsumerList};

#[derive(Debug, clap::Args)]
#[command(arg_required_else_help = true)]
pub struct Args {
    /// The consumer to run (`vespa-loader`)
    #[arg(value_name = "CONSUMER", required_unless_present = "list")]
    consumer: Option<String>,

    /// Print every consumer of the layout with its subscriptions and topics
    #[arg(long, conflicts_with = "consumer")]
    list: bool,

    #[command(flatten)]
    layout: LayoutArgs,

    #[command(flatten)]
    run: loader::RunArgs,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let layout = args.layout.load()?;
    if args.list {
        return context.printer.report(&ConsumerList {
            layout: layout.path.display().to_string(),
            consumers: layout::consumers(&layout),
        });
    }
    let name = args.consumer.unwrap_or_default();
    let consumer =
        layout::find(&layout, &name).map_err(|e| officectl::exit::Failure::Usage(e.to_string()))?;
    match consumer.name.as_str() {
        officectl::consume::loader::VESPA_LOADER => loader::run(consumer, &args.run, context).await,
        other => Err(officectl::exit::Failure::Usage(format!(
            "consumer `{other}` is declared in `{}` but this build runs only `{}`",
            layout.path.display(),
            officectl::consume::loader::VESPA_LOADER
        ))
        .into()),
    }
}
