//! `officectl migrate relay --from SUBSCRIPTION --to TOPIC`

use super::services::Services;
use crate::cli::Context;
use officectl::migrate::relay::{self, NotRelayed, RelayOptions, RelayReport};
use officectl::pubsub::names;
use officectl::report::{Report, Table};
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Subscription to drain (id or full name)
    #[arg(long, value_name = "SUBSCRIPTION")]
    from: String,

    /// Topic to publish to (id or full name)
    #[arg(long, value_name = "TOPIC")]
    to: String,

    /// Stop after this many messages
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    max_messages: usize,

    /// Stop once nothing arrives for this long
    #[arg(long, default_value = "5s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    idle_timeout: Duration,
}

#[derive(Serialize)]
struct Relayed<'a> {
    from: &'a str,
    to: &'a str,
    #[serde(flatten)]
    report: RelayReport,
}

impl Report for Relayed<'_> {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(["received", "published", "upcast", "undecodable", "failed"])
            .titled(format!("relay `{}` → `{}`", self.from, self.to));
        let r = &self.report;
        table.push(
            [r.received, r.published, r.upcast, r.undecodable, r.failed].map(|n| n.to_string()),
        );
        vec![table]
    }
}

fn full(project: &str, name: &str, build: fn(&str, &str) -> String) -> String {
    if name.starts_with("projects/") {
        name.to_string()
    } else {
        build(project, name)
    }
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let services = Services::connect(context).await?;
    let options = RelayOptions {
        from: full(&services.project, &args.from, names::subscription),
        to: full(&services.project, &args.to, names::topic),
        max_messages: args.max_messages,
        idle_timeout: args.idle_timeout,
    };
    let report = relay::relay(
        &options,
        &services.subscriber,
        &services.publisher,
        Some(&services.payloads),
        &context.settings.claim_check,
    )
    .await?;
    let count = report.not_relayed();
    context.printer.report(&Relayed {
        from: &options.from,
        to: &options.to,
        report,
    })?;
    if count > 0 {
        return Err(NotRelayed {
            count,
            subscription: options.from,
        }
        .into());
    }
    Ok(())
}
