//! Command-line layer: clap definitions, the printer, rendering and error reporting.
//!
//! Parse → resolve → execute: [`main`] parses the arguments, resolves [`Settings`] once from
//! flags, environment and config file, then hands both to the chosen command.

mod backfill;
mod completions;
mod config;
mod confirm;
mod consume;
mod contacts;
mod doctor;
mod error;
mod events;
mod flag_values;
mod global;
mod input;
mod interrupt;
mod logs;
mod man;
mod migrate;
mod printer;
mod progress;
mod reindex;
mod render;
mod resume;
mod search;
mod tail;
mod topics;
mod trace;
mod vespa;

use clap::{CommandFactory, Parser, Subcommand};
use officectl::settings::{self, Settings};
use printer::Printer;

/// Operate the Office data platform: Pub/Sub topics, migrations, backfills and Vespa reindexing
#[derive(Debug, Parser)]
#[command(
    name = "officectl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    global: global::GlobalArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show officectl's own settings
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Check that every configured service answers
    Doctor(doctor::Args),
    /// Validate, convert, describe and publish events
    #[command(subcommand)]
    Events(events::EventsCommand),
    /// Vespa application package and documents
    #[command(subcommand)]
    Vespa(vespa::VespaCommand),
    /// Lay out topics and subscriptions from `plans/topology.yaml` and verify them
    #[command(subcommand)]
    Topics(topics::TopicsCommand),
    /// Migrate from the legacy topics with reviewed, resumable plans
    #[command(subcommand)]
    Migrate(migrate::MigrateCommand),
    /// Replay users' mail as `EmailEvent` batches, resumably
    Backfill(Box<backfill::Args>),
    /// Reindex Vespa: natively, or by re-feeding events or the stored documents
    Reindex(Box<reindex::Args>),
    /// Run a consumer of the platform's events (`vespa-loader`, `contact-discovery`, `shipments`, `meetings`, `fe-sse`), or `--list` them
    Consume(Box<consume::Args>),
    /// Search one user's documents of every type with one query
    Search(search::Args),
    /// What contact discovery knows about a user's contacts
    #[command(subcommand)]
    Contacts(contacts::ContactsCommand),
    /// Watch events on topics as they arrive, through temporary filtered subscriptions
    Tail(tail::Args),
    /// Follow a correlation id, batch or event through publishing, consumers and Vespa
    Trace(Box<trace::Args>),
    /// Print a shell completion script to stdout
    Completions(completions::Args),
    /// Write man pages for every command
    Man(man::Args),
}

/// Everything a command needs: resolved settings, the printer, and the signal handling.
pub struct Context {
    pub settings: Settings,
    pub printer: Printer,
    pub interrupts: interrupt::Interrupts,
}

/// Runs officectl and returns the process exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap renders usage errors itself (exit 2) and help/version (exit 0).
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(officectl::exit::USAGE_OR_DRIFT);
        }
    };
    let env_lookup = |name: &str| std::env::var(name).ok();
    let settings = match settings::resolve(&cli.global.overrides(), &env_lookup) {
        Ok(settings) => settings,
        Err(err) => {
            let printer = Printer::fallback(&cli.global);
            return printer.fail(&anyhow::Error::new(err));
        }
    };
    let printer = Printer::new(&cli.global, &settings);
    if let Some(ns) = &settings.namespace
        && let Err(err) = officectl::namespace::enter(&ns.value)
    {
        return printer.fail(&anyhow::Error::new(err));
    }
    let context = Context {
        settings,
        printer,
        interrupts: interrupt::Interrupts::default(),
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            return context
                .printer
                .fail(&anyhow::Error::new(err).context("cannot start the async runtime"));
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = dispatch(cli.command, &context) => Some(outcome),
            () = context.interrupts.forced() => None,
        }
    });
    match outcome {
        Some(Ok(())) => officectl::exit::OK,
        Some(Err(err)) => context.printer.fail(&err),
        None => {
            context
                .printer
                .status("interrupted again: exiting without waiting for the work in flight");
            // Threads blocked on input (stdin, files) are not waited for.
            runtime.shutdown_background();
            officectl::exit::INTERRUPTED
        }
    }
}

async fn dispatch(command: Command, context: &Context) -> anyhow::Result<()> {
    match command {
        Command::Config(command) => config::run(command, context),
        Command::Doctor(args) => doctor::run(args, context).await,
        Command::Events(command) => events::run(command, context).await,
        Command::Vespa(command) => vespa::run(command, context).await,
        Command::Topics(command) => topics::run(command, context).await,
        Command::Migrate(command) => migrate::run(command, context).await,
        Command::Backfill(args) => backfill::run(*args, context).await,
        Command::Reindex(args) => reindex::run(*args, context).await,
        Command::Consume(args) => consume::run(*args, context).await,
        Command::Search(args) => search::run(args, context).await,
        Command::Contacts(command) => contacts::run(command, context).await,
        Command::Tail(args) => tail::run(args, context).await,
        Command::Trace(args) => trace::run(*args, context).await,
        Command::Completions(args) => completions::run(args, Cli::command(), context),
        Command::Man(args) => man::run(args, Cli::command(), context),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
