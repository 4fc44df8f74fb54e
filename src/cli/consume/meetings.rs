//! `officectl consume meetings`: the meetings consumer on the publishing consumers' worker
//! ([`super::publishing`]).

use super::publishing;
use super::run_args::RunArgs;
use crate::cli::Context;
use officectl::consume::layout::Consumer;
use officectl::consume::meetings::{MeetingCounters, Meetings};
use officectl::meetings::store::MeetingStore;
use std::sync::Arc;

pub async fn run(consumer: Consumer, args: &RunArgs, context: &Context) -> anyhow::Result<()> {
    publishing::run(
        consumer,
        args,
        context,
        publishing::Setup::publishing(),
        |parts| Meetings {
            store: MeetingStore::new(parts.conn),
            publisher: parts.publisher,
            metrics: parts.metrics,
            counters: Arc::new(MeetingCounters::default()),
        },
        |handler, name, handles| handler.counters.report(name, handles),
    )
    .await
}
