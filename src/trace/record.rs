//! Recording what a publisher published and a consumer consumed under each correlation id.
//!
//! One key per event (see [`crate::keys::trace_entry`]), its value a small JSON [`Entry`], plus
//! an index from event id and batch id to the correlation id; all expire after [`TRACE_TTL`].
//! Recording is best effort and takes one round trip: a failure is returned for the caller to
//! log, never to fail the work it describes.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::keys;
use crate::model::Event;

/// How long records are kept: the longest a subscription keeps a message.
pub const TRACE_TTL: Duration = Duration::from_secs(7 * 86_400);

/// The stage a publisher records.
pub const PUBLISHED: &str = "published";
/// The stage a consumer records.
pub const CONSUMED: &str = "consumed";

/// What is recorded of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The publisher or consumer that recorded it.
    #[serde(default)]
    pub by: String,
    pub event_id: String,
    pub event_type: String,
    pub user: String,
    /// The Vespa document type its items become.
    pub doc_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// Items (e-mails of a batch, the one contact of a push).
    pub items: u64,
}

impl Entry {
    /// The entry of `event`.
    pub fn of(event: &Event) -> Entry {
        let header = event.header();
        Entry {
            by: String::new(),
            event_id: header.event_id.to_string(),
            event_type: event.data_type().event_type().to_string(),
            user: header.user_id.to_string(),
            doc_type: event.data_type().vespa_type().to_string(),
            batch_id: header.batch_id.map(str::to_string),
            items: event.items().len() as u64,
        }
    }
}

/// Records events under their correlation ids, as `by` (a publisher or consumer name).
#[derive(Clone)]
pub struct TraceRecorder {
    conn: redis::aio::MultiplexedConnection,
    by: String,
}

impl TraceRecorder {
    pub fn new(conn: redis::aio::MultiplexedConnection, by: &str) -> TraceRecorder {
        TraceRecorder {
            conn,
            by: by.to_string(),
        }
    }

    /// Records `entry` at `stage` under `correlation_id`, in one round trip.
    pub async fn record(
        &self,
        stage: &str,
        correlation_id: &str,
        entry: &Entry,
    ) -> Result<(), redis::RedisError> {
        let mut entry = entry.clone();
        entry.by = self.by.clone();
        let entry = &entry;
        let value = serde_json::to_vec(entry).expect("an entry serializes");
        let mut sets = vec![
            (
                keys::trace_entry(correlation_id, stage, &self.by, &entry.event_id),
                value,
                TRACE_TTL,
            ),
            (
                keys::trace_index("event", &entry.event_id),
                correlation_id.as_bytes().to_vec(),
                TRACE_TTL,
            ),
        ];
        if let Some(batch) = &entry.batch_id {
            sets.push((
                keys::trace_index("batch", batch),
                correlation_id.as_bytes().to_vec(),
                TRACE_TTL,
            ));
        }
        let mut pipe = redis::pipe();
        for (key, value, ttl) in &sets {
            pipe.cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(ttl.as_millis() as u64)
                .ignore();
        }
        pipe.query_async(&mut self.conn.clone()).await
    }
}

/// What a consumer records when it is done with an event: its correlation id and entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    pub correlation_id: String,
    pub entry: Entry,
}

impl Traced {
    pub fn of(event: &Event) -> Traced {
        Traced {
            correlation_id: event.header().correlation_id.to_string(),
            entry: Entry::of(event),
        }
    }
}
