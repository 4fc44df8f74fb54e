//! `officectl consume shipments`: the shipments consumer on the publishing consumers' worker
//! ([`super::publishing`]).

use super::publishing;
use super::run_args::RunArgs;
use crate::cli::Context;
use officectl::consume::layout::Consumer;
use officectl::consume::shipments::{ShipmentCounters, Shipments};
use officectl::shipments::state::ShipmentStore;
use std::sync::Arc;

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    let claim_check = context.settings.claim_check.clone();
    publishing::run(
        consumer,
        args,
        context,
        publishing::Setup::publishing(),
        |parts| Shipments {
            store: ShipmentStore::new(parts.conn),
            payloads: parts.store,
            claim_check,
            publisher: parts.publisher,
            metrics: parts.metrics,
            counters: Arc::new(ShipmentCounters::default()),
        },
        |handler, name, handles| handler.counters.report(name, handles),
    )
    .await
}
