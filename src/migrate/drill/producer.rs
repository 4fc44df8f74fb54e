//! The drill's synthetic traffic: events of the plan's data type at a steady rate, published
//! through the shared publisher ([`RoutedPublisher`]), so the migration's publish mode routes
//! them exactly as it routes the services' events.
//!
//! Each event carries one item with an id unique to the drill, spread over a few synthetic
//! users; what was accepted by Pub/Sub is remembered with its idempotency key, its document id
//! and the phase it was published in.

use crate::migrate::drill::ledger::unix_ms;
use crate::migrate::routed::RoutedPublisher;
use crate::model::catalog::DataType;
use crate::model::event::Event;
use crate::model::idempotency;
use crate::model::validate::validate_bytes;
use crate::model::vespa::docid::DocumentId;
use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};
use tokio_util::sync::CancellationToken;

/// Data types the drill can produce: those with a migration plan.
pub const PRODUCED: [DataType; 3] = [DataType::Email, DataType::Calendar, DataType::Contact];

/// One event Pub/Sub accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Idempotency key (the loader's dedupe key and the feed ledger's field).
    pub key: String,
    /// The document the event must become (`id:<namespace>:<type>:g=<user>:<item>`).
    pub document: String,
    /// Unix milliseconds when it was handed to the publisher (lag is counted from here).
    pub at_ms: u64,
    /// Index of the drill phase it was published in.
    pub phase: usize,
}

/// What the producer did.
#[derive(Debug, Default)]
pub struct Produced {
    pub published: Vec<Published>,
    /// Events Pub/Sub refused on at least one topic (never counted as lost; a copy that was
    /// accepted on the other topic may still be fed), with the last error.
    pub refused: Vec<Published>,
    /// The last error Pub/Sub gave for a refused event.
    pub last_error: Option<String>,
    /// Why the producer stopped before it was told to (it could not build an event).
    pub stopped_early: Option<String>,
}

/// A synthetic event: item `seq` of drill `run`, for one of `users` users.
pub fn synthetic_event(
    data_type: DataType,
    run: &str,
    seq: u64,
    users: u64,
) -> Result<Event, String> {
    let now = chrono::DateTime::<Utc>::from(SystemTime::now())
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let user = format!("{run}-user-{}", seq % users.max(1));
    let item = format!("{run}-{seq}");
    let header = |event_type: &str, operation: &str, schema_version: u32| {
        json!({
            "event_type": event_type, "event_id": format!("{run}-event-{seq}"),
            "schema_version": schema_version, "user_id": user, "provider": "google",
            "sync_type": "real_time", "operation": operation,
            "correlation_id": format!("{run}-drill"), "occurred_at": now,
        })
    };
    let (mut event, field, body): (Value, &str, Value) = match data_type {
        DataType::Email => (
            header("EmailEvent", "create", 2),
            "emails",
            json!([{
                "provider_message_id": item, "thread_id": format!("{run}-thread"),
                "subject": format!("drill message {seq}"),
                "from": {"email": "drill@example.com"}, "to": [{"email": "user@example.com"}],
                "body": {"mime_type": "text/plain", "content": format!("synthetic message {seq} of drill {run}")},
                "received_at": now, "updated_at": now,
            }]),
        ),
        DataType::Calendar => (
            header("CalendarEvent", "create", 1),
            "entry",
            json!({
                "provider_event_id": item, "calendar_id": "primary",
                "title": format!("drill entry {seq}"),
                "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z",
                "status": "confirmed", "created_at": now, "updated_at": now,
            }),
        ),
        DataType::Contact => (
            header("ContactEvent", "create", 1),
            "contact",
            json!({
                "provider_contact_id": item, "display_name": format!("Drill Contact {seq}"),
                "emails": [{"value": format!("contact-{seq}@example.com")}],
                "updated_at": now,
            }),
        ),
        other => return Err(format!("a drill cannot produce `{other}` events")),
    };
    event[field] = body;
    let bytes = serde_json::to_vec(&event).map_err(|e| e.to_string())?;
    validate_bytes(&bytes)
        .map(|v| v.event)
        .map_err(|problems| format!("synthetic {data_type} event is invalid: {problems:?}"))
}

/// The key and document id of a one-item event.
pub fn expectation(event: &Event) -> Option<(String, String)> {
    let (_, key) = idempotency::message_key(event);
    let item = event.items().into_iter().next()?;
    let header = event.header();
    let document = DocumentId::new(
        event.data_type().vespa_type(),
        header.user_id,
        item.doc_id(),
    );
    Some((key, document.to_string()))
}

/// Publishes `rate` events per second until `stop`, tagging each with the phase `phase` holds
/// at the time.
pub async fn produce(
    publisher: Arc<RoutedPublisher>,
    data_type: DataType,
    run: String,
    rate: f64,
    users: u64,
    phase: Arc<AtomicUsize>,
    stop: CancellationToken,
) -> Produced {
    let mut produced = Produced::default();
    let period = Duration::from_secs_f64(1.0 / rate.max(0.001));
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seq = 0u64;
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = ticks.tick() => {}
        }
        let phase_now = phase.load(Ordering::SeqCst);
        let built = synthetic_event(data_type, &run, seq, users).and_then(|event| {
            let expected = expectation(&event)
                .ok_or_else(|| format!("synthetic {data_type} event {seq} has no item"))?;
            Ok((event, expected))
        });
        let (event, (key, document)) = match built {
            Ok(built) => built,
            Err(err) => {
                produced.stopped_early = Some(err);
                break;
            }
        };
        seq += 1;
        let handed_over = unix_ms(SystemTime::now());
        let result = publisher.publish(event).await;
        let event = Published {
            key,
            document,
            at_ms: handed_over,
            phase: phase_now,
        };
        match result {
            Ok(()) => produced.published.push(event),
            Err(err) => {
                produced.refused.push(event);
                produced.last_error = Some(err);
            }
        }
    }
    produced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_events_are_valid_and_distinct() {
        for data_type in PRODUCED {
            let a = synthetic_event(data_type, "drill-t", 0, 3).unwrap();
            let b = synthetic_event(data_type, "drill-t", 1, 3).unwrap();
            assert_eq!(a.data_type(), data_type);
            let (ka, da) = expectation(&a).unwrap();
            let (kb, db) = expectation(&b).unwrap();
            assert_ne!(ka, kb);
            assert_ne!(da, db);
            assert!(
                da.starts_with(&format!(
                    "id:office:{}:g=drill-t-user-0:",
                    data_type.vespa_type()
                )),
                "{da}"
            );
        }
        assert!(synthetic_event(DataType::Todo, "d", 0, 1).is_err());
    }
}
