//! The legacy-subscription source (`--source pubsub:SUBSCRIPTION`): drains messages (legacy
//! `EmailBackfillEvent`s, current `EmailEvent`s or e-mail records) and replays them.
//!
//! A message is acknowledged only once every e-mail in it has been published in a new-format
//! batch (or skipped as a duplicate or out of range), so a crash loses nothing: what was not
//! acknowledged is redelivered. An invalid message goes to `--rejects` and is acknowledged (it
//! would fail again on every delivery). Messages of users not selected are left for
//! redelivery. The source ends when no new message has arrived for the idle timeout; messages
//! delivered again in the same run are held, not re-read, and released at the end.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;

use super::record;
use super::source::{AckGroup, Position, Reject, Source, SourceError, SourceItem};
use crate::pubsub::{Delivery, MessageStream};

/// Reads one subscription until it is idle.
pub struct SubscriptionSource {
    label: String,
    stream: Box<dyn MessageStream>,
    idle: Duration,
    seen: HashSet<String>,
    /// Redeliveries of messages already read: held (not nacked) so they are not redelivered in
    /// a tight loop; dropped, and so redelivered, when the source is dropped.
    held: Vec<Delivery>,
}

impl SubscriptionSource {
    /// `subscription` is the full name; `stream` an open stream on it.
    pub fn new(subscription: &str, stream: Box<dyn MessageStream>, idle: Duration) -> Self {
        SubscriptionSource {
            label: format!("pubsub:{}", crate::pubsub::names::short(subscription)),
            stream,
            idle,
            seen: HashSet::new(),
            held: Vec::new(),
        }
    }
}

#[async_trait]
impl Source for SubscriptionSource {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn replayable(&self) -> bool {
        false
    }

    async fn close(&mut self) {
        // Redeliveries held back are released (nacked) first: the stream's shutdown waits for
        // every delivered message to be settled, then sends the pending acknowledgements.
        self.held.clear();
        self.stream.shutdown().await;
    }

    async fn next_chunk(&mut self) -> Result<Option<Vec<SourceItem>>, SourceError> {
        let deadline = tokio::time::Instant::now() + self.idle;
        loop {
            let next = match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(delivery)) => delivery?,
                Ok(None) | Err(_) => return Ok(None),
            };
            let id = next.message.id.clone();
            if !self.seen.insert(id.clone()) {
                self.held.push(next);
                continue;
            }
            let position = Position::Message(id);
            let parsed = record::parse_prepared(&next.message.data);
            let raw = String::from_utf8_lossy(&next.message.data).into_owned();
            return Ok(Some(match parsed {
                Ok(records) if !records.is_empty() => {
                    let group = AckGroup::new(next, records.len());
                    records
                        .into_iter()
                        .map(|record| SourceItem::Record {
                            record,
                            position: position.clone(),
                            ack: Some(group.clone()),
                        })
                        .collect()
                }
                Ok(_) => vec![],
                Err(problems) => vec![SourceItem::Reject(Reject {
                    position,
                    problems,
                    raw,
                    ack: Some(AckGroup::new(next, 1)),
                })],
            }));
        }
    }
}
