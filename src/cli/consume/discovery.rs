//! `officectl consume contact-discovery`: contact discovery on the publishing consumers' worker
//! ([`super::publishing`]).

use super::publishing;
use super::run_args::RunArgs;
use crate::cli::Context;
use officectl::consume::discovery::{Discovering, DiscoveryCounters};
use officectl::consume::layout::Consumer;
use officectl::contacts::store::ContactStore;
use std::sync::Arc;

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let contacts = context.settings.contacts.clone();
    publishing::run(
        consumer,
        args,
        context,
        publishing::Setup::publishing(),
        |parts| Discovering {
            store: ContactStore::new(parts.conn, contacts),
            pushes: parts.publisher,
            metrics: parts.metrics,
            counters: Arc::new(DiscoveryCounters::default()),
            dry_run: args.dry_run,
        },
        |handler, name, handles| handler.counters.report(name, handles),
    )
    .await
}
