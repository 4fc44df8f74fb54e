//! Readers' heartbeats in Redis: each running consumer process writes what it reads now
//! (its read sources per data type and the subscriptions open) under
//! `office:consumers:{consumer}:{instance}`, with a TTL a few refreshes long, so
//! `migrate status` can show which readers follow the read flags right now, and a process that
//! died drops out by itself.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::keys;
use crate::migrate::flags::ReadSource;
use crate::model::catalog::DataType;
use crate::model::store::{KeyValueStore, StoreError};
use crate::run::checkpoint::now;
use std::sync::Arc;

/// What one consumer process last said it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beat {
    pub consumer: String,
    /// The Google Cloud project whose subscriptions it reads.
    pub project: String,
    /// `user@host (pid N)` and a random suffix: unique per process.
    pub instance: String,
    pub started_at: DateTime<Utc>,
    pub beat_at: DateTime<Utc>,
    /// The read source of each data type the process loads (doc type → `legacy|both|new`).
    pub reading: BTreeMap<String, String>,
    /// The subscriptions open at the beat.
    pub subscriptions: Vec<String>,
}

/// One process's heartbeat writer.
pub struct Heartbeat {
    store: Arc<dyn KeyValueStore>,
    consumer: String,
    project: String,
    instance: String,
    started_at: DateTime<Utc>,
    ttl: Duration,
}

impl Heartbeat {
    /// A writer for `consumer`, beating every `every` (the key lives three beats, at least 15 s).
    pub fn new(
        store: Arc<dyn KeyValueStore>,
        consumer: &str,
        project: &str,
        identity: &str,
        every: Duration,
    ) -> Heartbeat {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        Heartbeat {
            store,
            consumer: consumer.to_string(),
            project: project.to_string(),
            instance: format!("{identity} {}", &suffix[..8]),
            started_at: now(),
            ttl: (every * 3).max(Duration::from_secs(15)),
        }
    }

    fn key(&self) -> String {
        keys::consumer_heartbeat(&self.consumer, &self.instance)
    }

    /// Records what the process reads now.
    pub async fn beat(
        &self,
        sources: &BTreeMap<DataType, ReadSource>,
        subscriptions: &[String],
    ) -> Result<(), StoreError> {
        let beat = Beat {
            consumer: self.consumer.clone(),
            project: self.project.clone(),
            instance: self.instance.clone(),
            started_at: self.started_at,
            beat_at: now(),
            reading: sources
                .iter()
                .map(|(t, s)| (t.doc_type().to_string(), s.to_string()))
                .collect(),
            subscriptions: subscriptions.to_vec(),
        };
        let value = serde_json::to_vec(&beat).unwrap_or_default();
        self.store.set_ex(&self.key(), &value, self.ttl).await
    }

    /// The process stops reading: its heartbeat goes at once.
    pub async fn stop(&self) -> Result<(), StoreError> {
        self.store.delete(&[self.key()]).await.map(|_| ())
    }
}

/// Every live consumer process's last beat, by consumer then instance. A value that does not
/// parse (a newer writer) is skipped.
pub async fn beats(store: &dyn KeyValueStore) -> Result<Vec<Beat>, StoreError> {
    let mut out = Vec::new();
    for key in store.keys_with_prefix(&keys::consumer_heartbeats()).await? {
        if let Some(value) = store.get(&key).await?
            && let Ok(beat) = serde_json::from_slice::<Beat>(&value)
        {
            out.push(beat);
        }
    }
    out.sort_by(|a, b| (&a.consumer, &a.instance).cmp(&(&b.consumer, &b.instance)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::MemoryStore;

    #[tokio::test]
    async fn a_beat_is_listed_until_its_process_stops() {
        let store: Arc<dyn KeyValueStore> = Arc::new(MemoryStore::new());
        let heartbeat = Heartbeat::new(
            store.clone(),
            "vespa-loader",
            "prod-project",
            "sre@host (pid 7)",
            Duration::from_secs(5),
        );
        let sources = BTreeMap::from([(DataType::Email, ReadSource::New)]);
        heartbeat
            .beat(&sources, &["vespa-loader-emails".to_string()])
            .await
            .unwrap();
        let listed = beats(store.as_ref()).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].consumer, "vespa-loader");
        assert_eq!(listed[0].project, "prod-project");
        assert_eq!(listed[0].reading["email"], "new");
        assert_eq!(listed[0].subscriptions, ["vespa-loader-emails"]);
        assert!(listed[0].instance.starts_with("sre@host (pid 7) "));
        heartbeat.stop().await.unwrap();
        assert!(beats(store.as_ref()).await.unwrap().is_empty());
    }
}
