//! `officectl config show`: the resolved settings, secrets redacted.

use crate::cli::Context;
use officectl::report::{Report, Table};
use officectl::settings::SettingRow;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also show where each value came from (flag, env, config file, default)
    #[arg(long)]
    sources: bool,
}

#[derive(Serialize)]
struct ConfigReport {
    settings: Vec<SettingRow>,
    #[serde(skip)]
    with_sources: bool,
}

impl Report for ConfigReport {
    fn tables(&self) -> Vec<Table> {
        let headers: &[&str] = if self.with_sources {
            &["setting", "value", "source"]
        } else {
            &["setting", "value"]
        };
        let mut table = Table::new(headers.iter().copied());
        for row in &self.settings {
            let mut cells = vec![row.key.to_string(), row.value.clone()];
            if self.with_sources {
                cells.push(row.source.clone());
            }
            table.push(cells);
        }
        vec![table]
    }
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let report = ConfigReport {
        settings: context.settings.rows(),
        with_sources: args.sources,
    };
    context.printer.report(&report)
}
