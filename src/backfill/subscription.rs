//! The legacy-subscription source (`--source pubsub:SUBSCRIPTION`): drains messages (legacy
//! `EmailBackfillEvent`s, current `EmailEvent`s or e-mail records) and replays them.
//!
//! A message is acknowledged only once every e-mail in it has been published in a new-format
//! batch (or skipped as a duplicate or out of range), so a crash loses nothing: what was not
//! acknowledged is redelivered. An invalid message goes to `--rejects` and is acknowledged (it
//! would fail again on every delivery). Messages of users not selected are left for
//! redelivery. The source ends when no new message has arrived for the idle timeout; messages
//! delivered again in the same run are held, not re-read, and released at the end.

use std::time::Duration;

use async_trait::async_trait;

use super::prepared;
use super::source::{AckGroup, Position, Reject, Source, SourceError, SourceItem};
use crate::pubsub::MessageStream;
use crate::run::CancellationToken;
use crate::run::subscription::Deliveries;

/// Reads one subscription until it is idle.
pub struct SubscriptionSource {
    label: String,
    deliveries: Deliveries,
    /// The run stops the reader from outside; the reader itself is never cancelled.
    never: CancellationToken,
}

impl SubscriptionSource {
    /// `subscription` is the full name; `stream` an open stream on it.
    pub fn new(subscription: &str, stream: Box<dyn MessageStream>, idle: Duration) -> Self {
        SubscriptionSource {
            label: format!("pubsub:{}", crate::pubsub::names::short(subscription)),
            deliveries: Deliveries::new(stream, Some(idle)),
            never: CancellationToken::new(),
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
        self.deliveries.close().await;
    }

    async fn next_chunk(&mut self) -> Result<Option<Vec<SourceItem>>, SourceError> {
        let Some(next) = self.deliveries.next(&self.never).await? else {
            return Ok(None);
        };
        let position = Position::Message(next.message.id.clone());
        let parsed = prepared::parse_prepared(&next.message.data);
        let raw = String::from_utf8_lossy(&next.message.data).into_owned();
        Ok(Some(match parsed {
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
        }))
    }
}
