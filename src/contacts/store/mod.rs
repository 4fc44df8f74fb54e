//! The `EmailContact` records in Redis: one JSON record per contact (`office:{user}:contact:{id}`,
//! the id a hash of the address), a sorted set ranking the user's contacts, the addresses the
//! user sends from, a marker per counted event, and the ids the user asked to forget (keys in
//! [`crate::keys`]).
//!
//! [`counting`] counts one event into them exactly once; this module reads them, rewrites them
//! (compare and set) and settles what a counted event owes.

mod counting;

pub use counting::{Change, Counted};

use redis::AsyncCommands;
use std::time::Duration;

use super::config::ContactsConfig;
use super::marker::{Marker, Outbox};
use super::record::ContactRecord;
use crate::keys;

/// How long an event's marker keeps a redelivery from counting it again (Pub/Sub retains
/// messages at most 31 days).
pub const SEEN_TTL: Duration = Duration::from_secs(31 * 86_400);

/// How often counting one event is retried when other processes keep changing its records.
const MAX_ATTEMPTS: u32 = 64;

/// The pause before attempt `attempt` (from 1): growing, capped at 50 ms, with a jitter taken from
/// the event's key so that contenders spread out.
fn backoff(attempt: u32, key: &str) -> Duration {
    let jitter = key.bytes().fold(u64::from(attempt), |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }) % 4;
    Duration::from_millis((u64::from(attempt) * 2 + jitter).min(50))
}

/// A contact store failure, naming the Redis operation or key.
#[derive(Debug, thiserror::Error)]
pub enum ContactStoreError {
    #[error("Redis {operation}: {source}")]
    Redis {
        operation: &'static str,
        #[source]
        source: redis::RedisError,
    },
    #[error("the contact record `{key}` is not readable: {source}")]
    Corrupt {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "counting event `{key}` for user `{user}`: its contacts kept changing under {MAX_ATTEMPTS} attempts"
    )]
    Contended { user: String, key: String },
}

fn redis_err(operation: &'static str) -> impl Fn(redis::RedisError) -> ContactStoreError {
    move |source| ContactStoreError::Redis { operation, source }
}

/// One reply of a pipeline, as `T`.
fn parse_reply<T: redis::FromRedisValue>(
    value: &redis::Value,
    operation: &'static str,
) -> Result<T, ContactStoreError> {
    redis::from_redis_value(value.clone()).map_err(|err| ContactStoreError::Redis {
        operation,
        source: err.into(),
    })
}

/// The record stored under `key`.
pub(crate) fn parse_record(key: &str, text: &str) -> Result<ContactRecord, ContactStoreError> {
    serde_json::from_str(text).map_err(|source| ContactStoreError::Corrupt {
        key: key.to_string(),
        source,
    })
}

/// The text a record is stored as under `key`.
fn record_text(key: &str, record: &ContactRecord) -> Result<String, ContactStoreError> {
    serde_json::to_string(record).map_err(|source| ContactStoreError::Corrupt {
        key: key.to_string(),
        source,
    })
}

/// The records of every user, in Redis.
#[derive(Clone)]
pub struct ContactStore {
    conn: redis::aio::MultiplexedConnection,
    config: ContactsConfig,
}

/// KEYS: one key. ARGV: the value read, the new value. Compare and set, keeping the TTL.
const SWAP_LUA: &str = r#"
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
"#;

/// The ranking score: `ln S(t_ref) + (t_ref / H) · ln 2` orders contacts as their scores at any
/// common time do, without decaying every member as time passes.
pub fn rank_score(record: &ContactRecord, half_life: Duration) -> f64 {
    let h = half_life.as_secs_f64().max(1.0);
    record.score.value.max(f64::MIN_POSITIVE).ln()
        + (record.score.at.timestamp() as f64 / h) * std::f64::consts::LN_2
}

impl ContactStore {
    pub fn new(conn: redis::aio::MultiplexedConnection, config: ContactsConfig) -> ContactStore {
        ContactStore { conn, config }
    }

    pub fn config(&self) -> &ContactsConfig {
        &self.config
    }

    pub(crate) fn connection(&self) -> redis::aio::MultiplexedConnection {
        self.conn.clone()
    }

    /// The records of a user's contacts `ids` (`None` for one that is gone).
    pub async fn records(
        &self,
        user: &str,
        ids: &[String],
    ) -> Result<Vec<Option<ContactRecord>>, ContactStoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let record_keys: Vec<String> = ids.iter().map(|id| keys::contact(user, id)).collect();
        let mut conn = self.conn.clone();
        let texts: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&record_keys)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MGET (contact records)"))?;
        record_keys
            .iter()
            .zip(texts)
            .map(|(key, text)| text.map(|t| parse_record(key, &t)).transpose())
            .collect()
    }

    /// Marks a contact as not in Vespa (its document was removed), so that its next change is
    /// pushed as new.
    pub async fn clear_pushed(&self, user: &str, id: &str) -> Result<(), ContactStoreError> {
        let key = keys::contact(user, id);
        self.rewrite(
            user,
            &key,
            ("GET (contact)", "clear the last push (script)"),
            |text| {
                let mut record = parse_record(&key, text)?;
                if record.pushed.is_none() {
                    return Ok(None);
                }
                record.pushed = None;
                record_text(&key, &record).map(Some)
            },
        )
        .await
    }

    /// Rewrites the value at `key` as `change` says (`None`: leave it), compare-and-set, again
    /// from a fresh read while other writers get in between; a missing key is left alone.
    /// `read` and `write` name the Redis operations in errors.
    async fn rewrite(
        &self,
        user: &str,
        key: &str,
        (read, write): (&'static str, &'static str),
        change: impl Fn(&str) -> Result<Option<String>, ContactStoreError>,
    ) -> Result<(), ContactStoreError> {
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(backoff(attempt, key)).await;
            }
            let mut conn = self.conn.clone();
            let Some(text): Option<String> = conn.get(key).await.map_err(redis_err(read))? else {
                return Ok(());
            };
            let Some(new) = change(&text)? else {
                return Ok(());
            };
            let swapped: i64 = redis::Script::new(SWAP_LUA)
                .key(key)
                .arg(&text)
                .arg(new)
                .invoke_async(&mut conn)
                .await
                .map_err(redis_err(write))?;
            if swapped == 1 {
                return Ok(());
            }
        }
        Err(ContactStoreError::Contended {
            user: user.to_string(),
            key: key.to_string(),
        })
    }

    /// Those of `ids` forgotten (with or without rediscovery) for `user`.
    pub async fn forgotten_among(
        &self,
        user: &str,
        ids: &[String],
    ) -> Result<Vec<String>, ContactStoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.conn.clone();
        let values: Vec<Option<String>> = redis::cmd("HMGET")
            .arg(keys::contacts_forgotten(user))
            .arg(ids)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("HMGET (forgotten contacts)"))?;
        Ok(ids
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_some())
            .map(|(id, _)| id.clone())
            .collect())
    }

    /// Clears what `done` published from the outbox of the event counted under `key`.
    pub async fn settle(
        &self,
        user: &str,
        key: &str,
        done: &Outbox,
    ) -> Result<(), ContactStoreError> {
        if done.is_empty() {
            return Ok(());
        }
        let seen = keys::contacts_seen(user, key);
        self.rewrite(
            user,
            &seen,
            ("GET (event marker)", "clear the event's outbox (script)"),
            |text| {
                let mut marker = Marker::parse(text);
                let rest = marker.outbox.without(done);
                if rest == marker.outbox {
                    return Ok(None);
                }
                marker.outbox = rest;
                Ok(Some(marker.text()))
            },
        )
        .await
    }

    /// One contact of a user, by address (normalised by the caller).
    pub async fn get(
        &self,
        user: &str,
        address: &str,
    ) -> Result<Option<ContactRecord>, ContactStoreError> {
        let key = keys::contact(user, &keys::contact_id(address));
        let mut conn = self.conn.clone();
        let text: Option<String> = conn.get(&key).await.map_err(redis_err("GET (contact)"))?;
        text.map(|t| parse_record(&key, &t)).transpose()
    }

    /// A contact's 1-based rank among its user's contacts, if it has one.
    pub async fn rank(&self, user: &str, id: &str) -> Result<Option<usize>, ContactStoreError> {
        let mut conn = self.conn.clone();
        let rank: Option<usize> = conn
            .zrevrank(keys::contacts_ranked(user), id)
            .await
            .map_err(redis_err("ZREVRANK (contact rank)"))?;
        Ok(rank.map(|r| r + 1))
    }

    /// A user's `n` most relevant contacts, best first.
    pub async fn top(&self, user: &str, n: usize) -> Result<Vec<ContactRecord>, ContactStoreError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.conn.clone();
        let ids: Vec<String> = conn
            .zrevrange(keys::contacts_ranked(user), 0, n as isize - 1)
            .await
            .map_err(redis_err("ZREVRANGE (ranked contacts)"))?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let record_keys: Vec<String> = ids.iter().map(|id| keys::contact(user, id)).collect();
        let texts: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&record_keys)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MGET (contact records)"))?;
        let mut out = Vec::with_capacity(texts.len());
        for (key, text) in record_keys.into_iter().zip(texts) {
            if let Some(text) = text {
                out.push(parse_record(&key, &text)?);
            }
        }
        Ok(out)
    }
}
