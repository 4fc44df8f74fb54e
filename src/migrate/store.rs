//! Where migration state lives: flags, the journal and the lock, in Redis.
//!
//! The lock is a lease (`SET NX PX`) whose holder renews it; each acquisition takes a fencing
//! token (`INCR`), and journal writes carry it so a holder whose lease expired (paused process,
//! network partition) can no longer write.

use crate::model::store::StoreError;
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Outcome of trying to take a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquire {
    /// Taken, with this fencing token.
    Acquired(u64),
    /// Someone holds it; this is the lock's value (the holder's description).
    Held(String),
}

/// The operations migrations need, each one Redis round trip.
#[async_trait]
pub trait MigrationStore: Send + Sync {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// `SET key value` (no expiry).
    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// `SET lock value NX PX ttl`, then `INCR fence` when it was set; atomically.
    async fn acquire(
        &self,
        lock: &str,
        fence: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<Acquire, StoreError>;
    /// Extends the lease if `lock` still holds `value`.
    async fn renew(&self, lock: &str, value: &str, ttl: Duration) -> Result<bool, StoreError>;
    /// Deletes `lock` if it still holds `value`.
    async fn release(&self, lock: &str, value: &str) -> Result<bool, StoreError>;
    /// `SET key value` only if `fence` still equals `token`; `false` when fenced off.
    async fn set_fenced(
        &self,
        key: &str,
        value: &str,
        fence: &str,
        token: u64,
    ) -> Result<bool, StoreError>;
    /// `SADD set member`.
    async fn add_member(&self, set: &str, member: &str) -> Result<(), StoreError>;
    /// `SMEMBERS set`, sorted.
    async fn members(&self, set: &str) -> Result<Vec<String>, StoreError>;
}

fn redis_error<E: std::fmt::Display>(operation: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError {
        operation,
        message: e.to_string(),
    }
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// [`MigrationStore`] over a Redis connection.
#[derive(Clone)]
pub struct RedisMigrationStore {
    conn: redis::aio::MultiplexedConnection,
}

impl RedisMigrationStore {
    pub fn new(conn: redis::aio::MultiplexedConnection) -> Self {
        Self { conn }
    }
}

const ACQUIRE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('GET', KEYS[1]) or ''}
";

const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

const SET_FENCED: &str = r"
if tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0
";

#[async_trait]
impl MigrationStore for RedisMigrationStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        redis::cmd("GET")
            .arg(key)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("GET"))
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        redis::cmd("SET")
            .arg(key)
            .arg(value)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("SET"))
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let _: i64 = redis::cmd("DEL")
            .arg(key)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("DEL"))?;
        Ok(())
    }

    async fn acquire(
        &self,
        lock: &str,
        fence: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<Acquire, StoreError> {
        let (taken, detail): (i64, redis::Value) = redis::Script::new(ACQUIRE)
            .key(lock)
            .key(fence)
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("acquire lock (SET NX PX + INCR)"))?;
        let parse = |v: redis::Value| -> Result<String, StoreError> {
            redis::from_redis_value(v).map_err(redis_error("acquire lock (reply)"))
        };
        if taken == 1 {
            let token: u64 =
                redis::from_redis_value(detail).map_err(redis_error("acquire lock (token)"))?;
            Ok(Acquire::Acquired(token))
        } else {
            Ok(Acquire::Held(parse(detail)?))
        }
    }

    async fn renew(&self, lock: &str, value: &str, ttl: Duration) -> Result<bool, StoreError> {
        let renewed: i64 = redis::Script::new(RENEW)
            .key(lock)
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("renew lock"))?;
        Ok(renewed == 1)
    }

    async fn release(&self, lock: &str, value: &str) -> Result<bool, StoreError> {
        let released: i64 = redis::Script::new(RELEASE)
            .key(lock)
            .arg(value)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("release lock"))?;
        Ok(released == 1)
    }

    async fn set_fenced(
        &self,
        key: &str,
        value: &str,
        fence: &str,
        token: u64,
    ) -> Result<bool, StoreError> {
        let written: i64 = redis::Script::new(SET_FENCED)
            .key(key)
            .key(fence)
            .arg(value)
            .arg(token)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("fenced SET"))?;
        Ok(written == 1)
    }

    async fn add_member(&self, set: &str, member: &str) -> Result<(), StoreError> {
        let _: i64 = redis::cmd("SADD")
            .arg(set)
            .arg(member)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("SADD"))?;
        Ok(())
    }

    async fn members(&self, set: &str) -> Result<Vec<String>, StoreError> {
        let mut members: Vec<String> = redis::cmd("SMEMBERS")
            .arg(set)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(redis_error("SMEMBERS"))?;
        members.sort();
        Ok(members)
    }
}

/// In-memory [`MigrationStore`] with a manual clock for lease expiry. Clones share state.
#[derive(Clone, Default)]
pub struct MemoryMigrationStore {
    state: Arc<Mutex<MemoryState>>,
}

#[derive(Default)]
struct MemoryState {
    values: BTreeMap<String, String>,
    expiries: BTreeMap<String, Duration>,
    sets: BTreeMap<String, BTreeSet<String>>,
    now: Duration,
    fail_next: usize,
}

impl MemoryState {
    fn live(&mut self, key: &str) -> Option<&String> {
        if self.expiries.get(key).is_some_and(|at| *at <= self.now) {
            self.values.remove(key);
            self.expiries.remove(key);
        }
        self.values.get(key)
    }

    fn check(&mut self, operation: &'static str) -> Result<(), StoreError> {
        if self.fail_next > 0 {
            self.fail_next -= 1;
            return Err(StoreError {
                operation,
                message: "injected failure".into(),
            });
        }
        Ok(())
    }
}

impl MemoryMigrationStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward (leases expire).
    pub fn advance(&self, by: Duration) {
        self.lock().now += by;
    }

    /// Makes the next `n` calls fail.
    pub fn fail_next(&self, n: usize) {
        self.lock().fail_next = n;
    }

    /// A raw value, for assertions.
    pub fn value(&self, key: &str) -> Option<String> {
        self.lock().live(key).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl MigrationStore for MemoryMigrationStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut s = self.lock();
        s.check("GET")?;
        Ok(s.live(key).cloned())
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut s = self.lock();
        s.check("SET")?;
        s.values.insert(key.into(), value.into());
        s.expiries.remove(key);
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let mut s = self.lock();
        s.check("DEL")?;
        s.values.remove(key);
        s.expiries.remove(key);
        Ok(())
    }

    async fn acquire(
        &self,
        lock: &str,
        fence: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<Acquire, StoreError> {
        let mut s = self.lock();
        s.check("acquire lock")?;
        if let Some(held) = s.live(lock) {
            return Ok(Acquire::Held(held.clone()));
        }
        let expiry = s.now + ttl;
        s.values.insert(lock.into(), value.into());
        s.expiries.insert(lock.into(), expiry);
        let token = s
            .values
            .get(fence)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        s.values.insert(fence.into(), token.to_string());
        Ok(Acquire::Acquired(token))
    }

    async fn renew(&self, lock: &str, value: &str, ttl: Duration) -> Result<bool, StoreError> {
        let mut s = self.lock();
        s.check("renew lock")?;
        if s.live(lock).map(String::as_str) != Some(value) {
            return Ok(false);
        }
        let expiry = s.now + ttl;
        s.expiries.insert(lock.into(), expiry);
        Ok(true)
    }

    async fn release(&self, lock: &str, value: &str) -> Result<bool, StoreError> {
        let mut s = self.lock();
        s.check("release lock")?;
        if s.live(lock).map(String::as_str) != Some(value) {
            return Ok(false);
        }
        s.values.remove(lock);
        s.expiries.remove(lock);
        Ok(true)
    }

    async fn set_fenced(
        &self,
        key: &str,
        value: &str,
        fence: &str,
        token: u64,
    ) -> Result<bool, StoreError> {
        let mut s = self.lock();
        s.check("fenced SET")?;
        let current = s
            .values
            .get(fence)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        if current != token {
            return Ok(false);
        }
        s.values.insert(key.into(), value.into());
        Ok(true)
    }

    async fn add_member(&self, set: &str, member: &str) -> Result<(), StoreError> {
        let mut s = self.lock();
        s.check("SADD")?;
        s.sets.entry(set.into()).or_default().insert(member.into());
        Ok(())
    }

    async fn members(&self, set: &str) -> Result<Vec<String>, StoreError> {
        let mut s = self.lock();
        s.check("SMEMBERS")?;
        Ok(s.sets
            .get(set)
            .map(|m| m.iter().cloned().collect())
            .unwrap_or_default())
    }
}
