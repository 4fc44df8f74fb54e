//! Events from a Pub/Sub subscription (`--source pubsub:SUBSCRIPTION`), read until it is idle.
//!
//! A message is acknowledged only after every operation made from it was fed; one whose
//! operations failed is nacked, so the subscription delivers it again (and it is counted as
//! failed). Messages of users or types not selected, and invalid ones, are left alone:
//! held unacknowledged until the end of the run, then released for redelivery. An unknown event
//! type has nothing to feed and is acknowledged, as a consumer skips it. Redeliveries of a
//! message already read in this run are held, not read again. The acknowledgements are the
//! progress: there is no checkpoint.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::mpsc;

use super::convert::{Converted, EventConverter};
use super::{Commit, Counters, Source, SourceError, Unit, bump};
use crate::pubsub::MessageStream;
use crate::run::CancellationToken;
use crate::run::subscription::Deliveries;

/// Reads one subscription until no new message arrived for `idle`.
pub struct SubscriptionSource {
    deliveries: Deliveries,
    converter: EventConverter,
    counters: Arc<Counters>,
}

impl SubscriptionSource {
    pub fn new(
        stream: Box<dyn MessageStream>,
        idle: Duration,
        converter: EventConverter,
        counters: Arc<Counters>,
    ) -> Self {
        SubscriptionSource {
            deliveries: Deliveries::new(stream, Some(idle)),
            converter,
            counters,
        }
    }
}

#[async_trait]
impl Source for SubscriptionSource {
    async fn run(
        &mut self,
        units: mpsc::Sender<Unit>,
        cancel: &CancellationToken,
    ) -> Result<(), SourceError> {
        while let Some(delivery) = self.deliveries.next(cancel).await? {
            let id = delivery.message.id.clone();
            bump(&self.counters.read);
            let at = format!("message `{id}`");
            let converted = self
                .converter
                .convert(&delivery.message.data, &delivery.message.attributes)
                .await;
            let unit = match converted {
                Converted::Ops(ops) => Unit {
                    ops,
                    failed: false,
                    commit: Commit::Message(delivery),
                },
                Converted::UnknownType(_) => {
                    bump(&self.counters.skipped_unknown);
                    Unit {
                        ops: Vec::new(),
                        failed: false,
                        commit: Commit::Message(delivery),
                    }
                }
                Converted::Failed(why) => {
                    self.counters.problem(at, why);
                    Unit {
                        ops: Vec::new(),
                        failed: true,
                        commit: Commit::Message(delivery),
                    }
                }
                Converted::Filtered => {
                    bump(&self.counters.filtered);
                    bump(&self.counters.left);
                    self.deliveries.hold(delivery);
                    continue;
                }
                Converted::Invalid(why) => {
                    bump(&self.counters.invalid);
                    bump(&self.counters.left);
                    self.counters.problem(at, why);
                    self.deliveries.hold(delivery);
                    continue;
                }
            };
            if units.send(unit).await.is_err() {
                return Ok(());
            }
        }
        Ok(())
    }

    async fn close(&mut self) {
        self.deliveries.close().await;
    }
}
