//! The key-value store the claim check and the dedupe store use: a trait, an in-memory fake that
//! can inject failures and has a manual clock, and the real implementation over Redis.
//!
//! Only the operations those two need are here; each maps to one Redis round trip.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

/// A store operation failed (the store is down, timed out or answered an error).
#[derive(Debug, thiserror::Error)]
#[error("key-value store {operation} failed: {message}")]
pub struct StoreError {
    /// The operation, e.g. `SET` or `claim (pipelined SET NX PX)`.
    pub operation: &'static str,
    pub message: String,
}

/// The remaining lifetime of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTtl {
    Missing,
    /// The key exists without an expiry.
    Persistent,
    Expires(Duration),
}

/// Outcome of one guarded claim (see [`KeyValueStore::claim_guarded_many`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardedClaim {
    /// The key was set: the caller owns it until it expires.
    Claimed,
    /// The guard key exists (e.g. the work is already done); nothing was set.
    GuardExists,
    /// The key itself exists (e.g. someone else is working on it); nothing was set.
    KeyExists,
}

/// The few key-value operations the model needs. Values are bytes; TTLs are at least 1 ms.
#[async_trait]
pub trait KeyValueStore: Send + Sync {
    /// `SET key value PX ttl`.
    async fn set_ex(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError>;
    /// `GET key`; `None` when missing or expired.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// `SET key value NX PX ttl` for every entry in one round trip; `true` where newly set.
    async fn set_nx_ex_many(
        &self,
        entries: &[(String, Duration)],
        value: &[u8],
    ) -> Result<Vec<bool>, StoreError>;
    /// For each `(guard, key, ttl)`, atomically: if `guard` exists report it, else
    /// `SET key 1 NX PX ttl`. One round trip for all entries.
    async fn claim_guarded_many(
        &self,
        entries: &[(String, String, Duration)],
    ) -> Result<Vec<GuardedClaim>, StoreError>;
    /// Atomically sets every `(key, ttl)` to `value` and deletes `deletes`.
    async fn set_and_delete(
        &self,
        sets: &[(String, Duration)],
        value: &[u8],
        deletes: &[String],
    ) -> Result<(), StoreError>;
    /// `DEL keys...`; returns how many existed.
    async fn delete(&self, keys: &[String]) -> Result<u64, StoreError>;
    /// `PTTL key`.
    async fn ttl(&self, key: &str) -> Result<KeyTtl, StoreError>;
    /// The keys that start with `prefix` (`SCAN MATCH`), sorted; for small families of keys
    /// such as heartbeats, never for per-item keys.
    async fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

/// A shared store is a store (consumers hold one behind an `Arc` for all their tasks).
#[async_trait]
impl<T: KeyValueStore + ?Sized> KeyValueStore for std::sync::Arc<T> {
    async fn set_ex(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        (**self).set_ex(key, value, ttl).await
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(key).await
    }
    async fn set_nx_ex_many(
        &self,
        entries: &[(String, Duration)],
        value: &[u8],
    ) -> Result<Vec<bool>, StoreError> {
        (**self).set_nx_ex_many(entries, value).await
    }
    async fn claim_guarded_many(
        &self,
        entries: &[(String, String, Duration)],
    ) -> Result<Vec<GuardedClaim>, StoreError> {
        (**self).claim_guarded_many(entries).await
    }
    async fn set_and_delete(
        &self,
        sets: &[(String, Duration)],
        value: &[u8],
        deletes: &[String],
    ) -> Result<(), StoreError> {
        (**self).set_and_delete(sets, value, deletes).await
    }
    async fn delete(&self, keys: &[String]) -> Result<u64, StoreError> {
        (**self).delete(keys).await
    }
    async fn ttl(&self, key: &str) -> Result<KeyTtl, StoreError> {
        (**self).ttl(key).await
    }
    async fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        (**self).keys_with_prefix(prefix).await
    }
}

/// Reading or writing a JSON value in a [`KeyValueStore`] failed.
#[derive(Debug)]
pub enum JsonValueError {
    Store(StoreError),
    /// The stored bytes are not the expected JSON, or the value could not be encoded.
    Json(serde_json::Error),
}

/// The JSON value at `key`, if there is one.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    store: &dyn KeyValueStore,
    key: &str,
) -> Result<Option<T>, JsonValueError> {
    match store.get(key).await.map_err(JsonValueError::Store)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(JsonValueError::Json),
        None => Ok(None),
    }
}

/// Writes `value` as JSON at `key`, expiring after `ttl`.
pub async fn set_json<T: serde::Serialize + ?Sized>(
    store: &dyn KeyValueStore,
    key: &str,
    value: &T,
    ttl: Duration,
) -> Result<(), JsonValueError> {
    let bytes = serde_json::to_vec(value).map_err(JsonValueError::Json)?;
    store
        .set_ex(key, &bytes, ttl)
        .await
        .map_err(JsonValueError::Store)
}

/// Redis rejects `PX 0`; sub-millisecond TTLs are rounded up.
fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// Adds to `pipe` the commands of [`KeyValueStore::set_and_delete`]: each key of `sets` set to
/// `value` with its time to live, then `deletes` deleted. For a caller that makes them in one
/// transaction with writes of its own.
pub fn push_set_and_delete(
    pipe: &mut redis::Pipeline,
    sets: &[(String, Duration)],
    value: &[u8],
    deletes: &[String],
) {
    for (key, ttl) in sets {
        pipe.cmd("SET")
            .arg(key)
            .arg(value)
            .arg("PX")
            .arg(ttl_millis(*ttl))
            .ignore();
    }
    if !deletes.is_empty() {
        pipe.cmd("DEL").arg(deletes).ignore();
    }
}

// ---------------------------------------------------------------------------------------------
// In-memory fake
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct MemoryState {
    /// Value and absolute expiry (in the fake clock's time).
    entries: HashMap<String, (Vec<u8>, Option<Duration>)>,
    now: Duration,
    /// Fail this many upcoming calls.
    fail_next: usize,
    calls: usize,
}

/// In-memory [`KeyValueStore`] with a manual clock ([`MemoryStore::advance`]) and failure
/// injection ([`MemoryStore::fail_next`]). Clones share state.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<MemoryState>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Moves the fake clock forward; keys whose TTL ran out disappear.
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.now += by;
    }

    /// Makes the next `n` calls fail with a [`StoreError`].
    pub fn fail_next(&self, n: usize) {
        self.lock().fail_next = n;
    }

    /// How many store calls (round trips) were made.
    pub fn calls(&self) -> usize {
        self.lock().calls
    }

    /// Number of live keys.
    pub fn len(&self) -> usize {
        let state = self.lock();
        let now = state.now;
        state
            .entries
            .values()
            .filter(|(_, exp)| exp.is_none_or(|e| e > now))
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        // A panic while holding the lock cannot leave the map half-updated in a way that
        // matters for a test fake; keep going with the inner state.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn begin(
        &self,
        operation: &'static str,
    ) -> Result<std::sync::MutexGuard<'_, MemoryState>, StoreError> {
        let mut state = self.lock();
        state.calls += 1;
        if state.fail_next > 0 {
            state.fail_next -= 1;
            return Err(StoreError {
                operation,
                message: "injected failure".into(),
            });
        }
        let now = state.now;
        state
            .entries
            .retain(|_, (_, exp)| exp.is_none_or(|e| e > now));
        Ok(state)
    }
}

impl MemoryState {
    fn put(&mut self, key: &str, value: &[u8], ttl: Duration) {
        let expiry = self.now + Duration::from_millis(ttl_millis(ttl));
        self.entries
            .insert(key.to_string(), (value.to_vec(), Some(expiry)));
    }
}

#[async_trait]
impl KeyValueStore for MemoryStore {
    async fn set_ex(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        self.begin("SET")?.put(key, value, ttl);
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.begin("GET")?.entries.get(key).map(|(v, _)| v.clone()))
    }

    async fn set_nx_ex_many(
        &self,
        entries: &[(String, Duration)],
        value: &[u8],
    ) -> Result<Vec<bool>, StoreError> {
        let mut state = self.begin("claim (pipelined SET NX PX)")?;
        Ok(entries
            .iter()
            .map(|(key, ttl)| {
                if state.entries.contains_key(key) {
                    false
                } else {
                    state.put(key, value, *ttl);
                    true
                }
            })
            .collect())
    }

    async fn claim_guarded_many(
        &self,
        entries: &[(String, String, Duration)],
    ) -> Result<Vec<GuardedClaim>, StoreError> {
        let mut state = self.begin("guarded claim (script)")?;
        Ok(entries
            .iter()
            .map(|(guard, key, ttl)| {
                if state.entries.contains_key(guard) {
                    GuardedClaim::GuardExists
                } else if state.entries.contains_key(key) {
                    GuardedClaim::KeyExists
                } else {
                    state.put(key, b"1", *ttl);
                    GuardedClaim::Claimed
                }
            })
            .collect())
    }

    async fn set_and_delete(
        &self,
        sets: &[(String, Duration)],
        value: &[u8],
        deletes: &[String],
    ) -> Result<(), StoreError> {
        let mut state = self.begin("MULTI SET/DEL")?;
        for (key, ttl) in sets {
            state.put(key, value, *ttl);
        }
        for key in deletes {
            state.entries.remove(key);
        }
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<u64, StoreError> {
        let mut state = self.begin("DEL")?;
        Ok(keys
            .iter()
            .filter(|k| state.entries.remove(k.as_str()).is_some())
            .count() as u64)
    }

    async fn ttl(&self, key: &str) -> Result<KeyTtl, StoreError> {
        let state = self.begin("PTTL")?;
        Ok(match state.entries.get(key) {
            None => KeyTtl::Missing,
            Some((_, None)) => KeyTtl::Persistent,
            Some((_, Some(expiry))) => KeyTtl::Expires(expiry.saturating_sub(state.now)),
        })
    }

    async fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let state = self.begin("SCAN")?;
        let mut keys: Vec<String> = state
            .entries
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect();
        keys.sort();
        Ok(keys)
    }
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

/// [`KeyValueStore`] over a multiplexed Redis connection (cheap to clone; one per process).
#[derive(Clone)]
pub struct RedisKvStore {
    conn: redis::aio::MultiplexedConnection,
}

impl RedisKvStore {
    pub fn new(conn: redis::aio::MultiplexedConnection) -> RedisKvStore {
        RedisKvStore { conn }
    }
}

/// `text` with Redis' glob characters escaped, for a `MATCH` pattern.
fn glob_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn redis_err(operation: &'static str) -> impl Fn(redis::RedisError) -> StoreError {
    move |err| StoreError {
        operation,
        message: err.to_string(),
    }
}

/// For each (guard, key) pair in KEYS and PX millis in ARGV: 2 = guard exists, 0 = key exists,
/// 1 = claimed. A script so the check and the set are atomic (a pipeline is not: a consumer
/// could finish between the `EXISTS` and the `SET`).
const GUARDED_CLAIM_LUA: &str = r#"
local out = {}
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[2 * i - 1]) == 1 then
    out[i] = 2
  elseif redis.call('SET', KEYS[2 * i], '1', 'NX', 'PX', ARGV[i]) then
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
"#;

#[async_trait]
impl KeyValueStore for RedisKvStore {
    async fn set_ex(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("PX")
            .arg(ttl_millis(ttl))
            .query_async::<()>(&mut conn)
            .await
            .map_err(redis_err("SET"))
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("GET")
            .arg(key)
            .query_async::<Option<Vec<u8>>>(&mut conn)
            .await
            .map_err(redis_err("GET"))
    }

    async fn set_nx_ex_many(
        &self,
        entries: &[(String, Duration)],
        value: &[u8],
    ) -> Result<Vec<bool>, StoreError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for (key, ttl) in entries {
            pipe.cmd("SET")
                .arg(key)
                .arg(value)
                .arg("NX")
                .arg("PX")
                .arg(ttl_millis(*ttl));
        }
        let mut conn = self.conn.clone();
        // SET NX answers OK when set and nil when the key existed.
        let replies: Vec<Option<String>> = pipe
            .query_async(&mut conn)
            .await
            .map_err(redis_err("claim (pipelined SET NX PX)"))?;
        Ok(replies.into_iter().map(|r| r.is_some()).collect())
    }

    async fn claim_guarded_many(
        &self,
        entries: &[(String, String, Duration)],
    ) -> Result<Vec<GuardedClaim>, StoreError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let script = redis::Script::new(GUARDED_CLAIM_LUA);
        let mut invocation = script.prepare_invoke();
        for (guard, key, ttl) in entries {
            invocation.key(guard).key(key).arg(ttl_millis(*ttl));
        }
        let mut conn = self.conn.clone();
        let codes: Vec<i64> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(redis_err("guarded claim (script)"))?;
        Ok(codes
            .into_iter()
            .map(|code| match code {
                1 => GuardedClaim::Claimed,
                2 => GuardedClaim::GuardExists,
                _ => GuardedClaim::KeyExists,
            })
            .collect())
    }

    async fn set_and_delete(
        &self,
        sets: &[(String, Duration)],
        value: &[u8],
        deletes: &[String],
    ) -> Result<(), StoreError> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        push_set_and_delete(&mut pipe, sets, value, deletes);
        let mut conn = self.conn.clone();
        pipe.query_async::<()>(&mut conn)
            .await
            .map_err(redis_err("MULTI SET/DEL"))
    }

    async fn delete(&self, keys: &[String]) -> Result<u64, StoreError> {
        if keys.is_empty() {
            return Ok(0);
        }
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(keys)
            .query_async::<u64>(&mut conn)
            .await
            .map_err(redis_err("DEL"))
    }

    async fn ttl(&self, key: &str) -> Result<KeyTtl, StoreError> {
        let mut conn = self.conn.clone();
        let millis: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("PTTL"))?;
        Ok(match millis {
            -2 => KeyTtl::Missing,
            -1 => KeyTtl::Persistent,
            ms => KeyTtl::Expires(Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        })
    }

    async fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn.clone();
        let pattern = format!("{}*", glob_escaped(prefix));
        let mut keys = Vec::new();
        let mut cursor: u64 = 0;
        loop {
            let (next, page): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .map_err(redis_err("SCAN"))?;
            keys.extend(page);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        keys.sort();
        keys.dedup();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(f))
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    #[test]
    fn fake_expires_keys_on_its_clock() {
        block(async {
            let store = MemoryStore::new();
            store.set_ex("k", b"v", Duration::from_secs(10)).await.ok();
            assert_eq!(store.get("k").await.ok().flatten(), Some(b"v".to_vec()));
            assert_eq!(
                store.ttl("k").await.ok(),
                Some(KeyTtl::Expires(Duration::from_secs(10)))
            );
            store.advance(Duration::from_secs(10));
            assert_eq!(store.get("k").await.ok().flatten(), None);
            assert_eq!(store.ttl("k").await.ok(), Some(KeyTtl::Missing));
        });
    }

    #[test]
    fn fake_claims_report_new_and_duplicate_in_one_call() {
        block(async {
            let store = MemoryStore::new();
            let ttl = Duration::from_secs(5);
            let first = store
                .set_nx_ex_many(&[("a".into(), ttl), ("b".into(), ttl)], b"1")
                .await
                .ok();
            let second = store
                .set_nx_ex_many(&[("b".into(), ttl), ("c".into(), ttl)], b"1")
                .await
                .ok();
            assert_eq!(first, Some(vec![true, true]));
            assert_eq!(second, Some(vec![false, true]));
            assert_eq!(store.calls(), 2);
        });
    }

    #[test]
    fn fake_injects_failures() {
        block(async {
            let store = MemoryStore::new();
            store.fail_next(1);
            assert!(store.get("k").await.is_err());
            assert!(store.get("k").await.is_ok());
        });
    }
}
