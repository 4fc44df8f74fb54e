//! Publishing one event the way every publisher does: planned into a message (a claim check is
//! refused: the events published this way are small), routed by its data type's migration
//! publish mode (`office:flags:publish_mode:<type>`: the legacy topic, both, or the new one),
//! and published through the bounded publisher. The consumers that publish (contact discovery,
//! shipments) and the contact commands use it.

use std::sync::Arc;

use super::publish;
use crate::model::Event;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::envelope;
use crate::model::store::KeyValueStore;
use crate::pubsub::BoundedPublisher;
use crate::trail::{PUBLISHED, TraceRecorder, Traced};

/// Publishes events through the publish modes.
pub struct RoutedPublisher {
    pub publisher: BoundedPublisher,
    pub project: String,
    pub claim_check: ClaimCheckConfig,
    /// Where the publish-mode flag is read.
    pub flags: Arc<dyn KeyValueStore>,
    /// Records each event published for `officectl trace`.
    pub trace: Option<TraceRecorder>,
}

impl RoutedPublisher {
    /// Publishes `event` to the topics its type's publish mode names, and waits for Pub/Sub to
    /// accept it.
    pub async fn publish(&self, event: Event) -> Result<(), String> {
        let event_type = event.data_type();
        let traced = self.trace.as_ref().map(|_| Traced::of(&event));
        let planned =
            envelope::plan_message(event, &self.claim_check).map_err(|e| e.to_string())?;
        if !planned.parked.is_empty() {
            // What is published this way is small; it never needs a claim check.
            return Err("the event would need a claim check".to_string());
        }
        let mode = publish::read_mode(self.flags.as_ref(), event_type)
            .await
            .map_err(|e| format!("publish mode: {e}"))?;
        let routed = publish::route_message(
            &planned,
            &self.project,
            mode,
            self.claim_check.max_message_bytes,
        )
        .map_err(|e| e.to_string())?;
        for (topic, message) in routed {
            let ordering_key = message.message.ordering_key.clone();
            let accepted = self.publisher.publish(&topic, message.message).await.await;
            if let Err(err) = accepted {
                // A failure pauses the ordering key for every later event of it; the caller
                // retries this one (a nack), the next ones must not be refused for it.
                if let Some(key) = ordering_key.filter(|k| !k.is_empty()) {
                    self.publisher.resume(&topic, &key);
                }
                return Err(err.to_string());
            }
        }
        if let (Some(trace), Some(traced)) = (&self.trace, traced)
            && let Err(err) = trace
                .record(PUBLISHED, &traced.correlation_id, &traced.entry)
                .await
        {
            tracing::warn!(event_id = traced.entry.event_id, why = %err,
                "not recorded for `officectl trace`");
        }
        Ok(())
    }
}
