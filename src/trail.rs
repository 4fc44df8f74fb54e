//! The trail work leaves for `officectl trace` ([`crate::trace`]): what a publisher published and
//! a consumer consumed under each correlation id.
//!
//! One hash per correlation id and stage (see [`crate::keys::trace_stage`]), a field per event
//! and recorder holding a small JSON [`Entry`]; publishers also index each event id, and batch
//! ids are indexed, to find the correlation id from either. All expire after [`TRACE_TTL`].
//! The Vespa loader records only batch events (those with a `batch_id`), so real-time traffic
//! adds no keys.
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
    /// A delete: it leaves no document to find in Vespa.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete: bool,
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
            delete: header.operation == crate::model::fields::Operation::Delete,
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
        let ttl = TRACE_TTL.as_millis() as u64;
        let stage_key = keys::trace_stage(correlation_id, stage);
        let mut pipe = redis::pipe();
        pipe.hset(&stage_key, format!("{}|{}", self.by, entry.event_id), value)
            .ignore()
            .pexpire(&stage_key, ttl as i64)
            .ignore();
        let mut index = |kind: &str, id: &str| {
            pipe.cmd("SET")
                .arg(keys::trace_index(kind, id))
                .arg(correlation_id)
                .arg("PX")
                .arg(ttl)
                .ignore();
        };
        if stage == PUBLISHED {
            index("event", &entry.event_id);
        }
        if let Some(batch) = &entry.batch_id {
            index("batch", batch);
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
