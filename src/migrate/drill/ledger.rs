//! The feed ledger: the bookkeeping a loader keeps in a drill (`consume vespa-loader
//! --record-feeds`). For every idempotency key it marks done it counts one feed and keeps the
//! time of the first, in two Redis hashes under the drill's namespace. The drill reads them
//! back to find keys fed more than once and each key's indexing lag.
//!
//! A feed is recorded in the same Redis transaction as the loader's done mark, so a key is
//! either done and recorded or neither: a loader killed between Vespa's answer and that
//! transaction feeds the key again after its claim times out, and only that second feed is
//! recorded (Vespa's put of the same document id is idempotent).

use crate::keys;
use redis::AsyncCommands;
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// Reading or writing the ledger failed.
#[derive(Debug, thiserror::Error)]
#[error("feed ledger `{key}`: {message}")]
pub struct LedgerError {
    pub key: String,
    pub message: String,
}

/// What the ledger holds for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fed {
    pub feeds: u64,
    /// Unix milliseconds of the first recorded feed.
    pub first_at_ms: Option<u64>,
}

/// The ledger in Redis.
#[derive(Clone)]
pub struct FeedLedger {
    conn: redis::aio::MultiplexedConnection,
}

/// Milliseconds since the Unix epoch of `time`.
pub fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl FeedLedger {
    pub fn new(conn: redis::aio::MultiplexedConnection) -> Self {
        FeedLedger { conn }
    }

    /// Marks `keys` done for the loader's dedupe (`completion`) and records one feed of each,
    /// now, in one transaction (`MULTI`/`EXEC`): a kill between the two cannot leave a key done
    /// but unrecorded.
    pub async fn complete_and_record(
        &self,
        completion: &crate::model::idempotency::Completion,
        keys: &[String],
    ) -> Result<(), LedgerError> {
        let now = unix_ms(SystemTime::now());
        let (feeds, fed_at) = (keys::drill_feeds(), keys::drill_fed_at());
        let mut pipe = redis::pipe();
        pipe.atomic();
        crate::model::store::push_set_and_delete(
            &mut pipe,
            &completion.done,
            crate::model::idempotency::DONE,
            &completion.in_progress,
        );
        for key in keys {
            pipe.hincr(&feeds, key, 1).ignore();
            pipe.hset_nx(&fed_at, key, now).ignore();
        }
        let mut conn = self.conn.clone();
        pipe.query_async::<()>(&mut conn)
            .await
            .map_err(|e| LedgerError {
                key: feeds,
                message: e.to_string(),
            })
    }

    /// Everything recorded, by idempotency key.
    pub async fn read(&self) -> Result<BTreeMap<String, Fed>, LedgerError> {
        let mut conn = self.conn.clone();
        let (feeds_key, fed_at_key) = (keys::drill_feeds(), keys::drill_fed_at());
        let fail = |key: &str, e: redis::RedisError| LedgerError {
            key: key.to_string(),
            message: e.to_string(),
        };
        let feeds: BTreeMap<String, u64> = conn
            .hgetall(&feeds_key)
            .await
            .map_err(|e| fail(&feeds_key, e))?;
        let fed_at: BTreeMap<String, u64> = conn
            .hgetall(&fed_at_key)
            .await
            .map_err(|e| fail(&fed_at_key, e))?;
        Ok(feeds
            .into_iter()
            .map(|(key, feeds)| {
                let first_at_ms = fed_at.get(&key).copied();
                (key, Fed { feeds, first_at_ms })
            })
            .collect())
    }
}
