//! Events from a Pub/Sub subscription (`--source pubsub:SUBSCRIPTION`), read until it is idle.
//!
//! A message is acknowledged only after every operation made from it was fed; one whose
//! operations failed is nacked, so the subscription delivers it again (and it is counted as
//! failed). Messages of users or types not selected, and invalid ones, are left alone:
//! held unacknowledged until the end of the run, then released for redelivery. An unknown event
//! type has nothing to feed and is acknowledged, as a consumer skips it. Redeliveries of a
//! message already read in this run are held, not read again. The acknowledgements are the
//! progress: there is no checkpoint.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::mpsc;

use super::events::{Converted, EventConverter};
use super::{Commit, Counters, Source, Unit, bump};
use crate::pubsub::{Delivery, MessageStream};

/// Reads one subscription until no new message arrived for `idle`.
pub struct SubscriptionSource {
    stream: Box<dyn MessageStream>,
    idle: Duration,
    converter: EventConverter,
    counters: Arc<Counters>,
    seen: HashSet<String>,
    held: Vec<Delivery>,
}

impl SubscriptionSource {
    pub fn new(
        stream: Box<dyn MessageStream>,
        idle: Duration,
        converter: EventConverter,
        counters: Arc<Counters>,
    ) -> Self {
        SubscriptionSource {
            stream,
            idle,
            converter,
            counters,
            seen: HashSet::new(),
            held: Vec::new(),
        }
    }
}

#[async_trait]
impl Source for SubscriptionSource {
    async fn run(&mut self, units: mpsc::Sender<Unit>, cancel: &AtomicBool) -> Result<(), String> {
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Ok(());
            }
            // Wait in short steps so Ctrl-C is seen while the subscription is quiet.
            let deadline = tokio::time::Instant::now() + self.idle;
            let delivery = loop {
                let step = (tokio::time::Instant::now() + Duration::from_millis(200)).min(deadline);
                match tokio::time::timeout_at(step, self.stream.next()).await {
                    Ok(Some(delivery)) => break Some(delivery.map_err(|e| e.to_string())?),
                    Ok(None) => break None,
                    Err(_) if tokio::time::Instant::now() >= deadline => break None,
                    Err(_) if cancel.load(Ordering::Relaxed) => return Ok(()),
                    Err(_) => {}
                }
            };
            let Some(delivery) = delivery else {
                return Ok(());
            };
            let id = delivery.message.id.clone();
            if !self.seen.insert(id.clone()) {
                self.held.push(delivery);
                continue;
            }
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
                    self.held.push(delivery);
                    continue;
                }
                Converted::Invalid(why) => {
                    bump(&self.counters.invalid);
                    bump(&self.counters.left);
                    self.counters.problem(at, why);
                    self.held.push(delivery);
                    continue;
                }
            };
            if units.send(unit).await.is_err() {
                return Ok(());
            }
        }
    }

    async fn close(&mut self) {
        // Release what is held first: the stream's shutdown waits until every delivered
        // message is settled, then sends the pending acknowledgements.
        for delivery in self.held.drain(..) {
            delivery.nack();
        }
        self.stream.shutdown().await;
    }
}
