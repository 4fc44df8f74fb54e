//! The in-memory document store: 256 shards, each a `BTreeMap` from full id to document behind
//! its own `RwLock`.
//!
//! A document's shard comes from its *location*, as Vespa's bucket does: the group of `g=`
//! ids, the number of `n=` ids, a hash of the whole id otherwise. So a user's documents share a
//! shard (group visiting and streaming search scan one shard), and slicing a visit by location
//! keeps a group in one slice, as Vespa's bucket-based slicing does. Locks are held only for
//! synchronous map work, never across an `.await`.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::docid::Modifier;

pub const SHARDS: usize = 256;

/// A stored document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: String,
    pub namespace: String,
    pub doctype: String,
    pub modifier: Modifier,
    pub specific: String,
    /// Location hash (bucket): decides the shard and the slice.
    pub location: u64,
    pub fields: Map<String, Value>,
    /// Last-modified time, microseconds since the epoch (`fromTimestamp`/`toTimestamp`).
    pub timestamp: u64,
}

type Shard = RwLock<BTreeMap<String, Arc<Doc>>>;

/// The sharded store.
pub struct Store {
    shards: Vec<Shard>,
    clock: AtomicU64,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    pub fn new() -> Store {
        Store {
            shards: (0..SHARDS).map(|_| RwLock::new(BTreeMap::new())).collect(),
            clock: AtomicU64::new(0),
        }
    }

    /// A strictly increasing timestamp in microseconds.
    pub fn next_timestamp(&self) -> u64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64);
        let mut last = self.clock.load(Ordering::Relaxed);
        loop {
            let next = now.max(last + 1);
            match self
                .clock
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(seen) => last = seen,
            }
        }
    }

    pub fn shard_of(location: u64) -> usize {
        (location % SHARDS as u64) as usize
    }

    pub fn read(&self, shard: usize) -> RwLockReadGuard<'_, BTreeMap<String, Arc<Doc>>> {
        self.shards[shard]
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self, shard: usize) -> RwLockWriteGuard<'_, BTreeMap<String, Arc<Doc>>> {
        self.shards[shard]
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self, location: u64, id: &str) -> Option<Arc<Doc>> {
        self.read(Store::shard_of(location)).get(id).cloned()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        (0..SHARDS).map(|s| self.read(s).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes the documents `keep` returns false for; returns how many were removed.
    pub fn retain(&self, mut keep: impl FnMut(&Doc) -> bool) -> usize {
        let mut removed = 0;
        for s in 0..SHARDS {
            let mut shard = self.write(s);
            let before = shard.len();
            shard.retain(|_, d| keep(d));
            removed += before - shard.len();
        }
        removed
    }

    /// Visits shard `shard` from just after `after`, calling `f` until it returns false (having
    /// consumed that document). Returns the key of that document, to resume after, or `None`
    /// when the shard ended.
    pub fn scan_shard(
        &self,
        shard: usize,
        after: Option<&str>,
        mut f: impl FnMut(&Arc<Doc>) -> bool,
    ) -> Option<String> {
        let guard = self.read(shard);
        let range = match after {
            Some(a) => guard.range::<str, _>((Bound::Excluded(a), Bound::Unbounded)),
            None => guard.range::<str, _>((Bound::Unbounded, Bound::Unbounded)),
        };
        for (key, doc) in range {
            if !f(doc) {
                return Some(key.clone());
            }
        }
        None
    }
}

/// The location (bucket) hash of an id.
pub fn location(modifier: &Modifier, id: &str) -> u64 {
    match modifier {
        Modifier::Number(n) => mix(*n),
        Modifier::Group(g) => mix(fnv(g.as_bytes())),
        Modifier::None => mix(fnv(id.as_bytes())),
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finalizer: spreads the bits so `% SHARDS` and `% slices` are even.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, modifier: Modifier) -> Arc<Doc> {
        Arc::new(Doc {
            id: id.to_string(),
            namespace: "ns".into(),
            doctype: "t".into(),
            location: location(&modifier, id),
            modifier,
            specific: String::new(),
            fields: Map::new(),
            timestamp: 0,
        })
    }

    #[test]
    fn a_group_shares_a_shard_and_scans_resume() {
        let store = Store::new();
        let g = Modifier::Group("user-1".into());
        let loc = location(&g, "");
        for i in 0..10 {
            let id = format!("id:ns:t:g=user-1:{i}");
            let d = doc(&id, g.clone());
            assert_eq!(d.location, loc);
            store.write(Store::shard_of(loc)).insert(id, d);
        }
        let mut seen = Vec::new();
        let stop = store.scan_shard(Store::shard_of(loc), None, |d| {
            seen.push(d.id.clone());
            seen.len() < 4
        });
        assert_eq!(stop.as_deref(), Some("id:ns:t:g=user-1:3"));
        let rest = store.scan_shard(Store::shard_of(loc), stop.as_deref(), |d| {
            seen.push(d.id.clone());
            true
        });
        assert_eq!(rest, None);
        // The document `f` stopped at was consumed: resuming starts after it.
        assert_eq!(seen.len(), 10);
        assert_eq!(store.len(), 10);
        assert_eq!(store.retain(|d| !d.id.ends_with(":3")), 1);
        assert_eq!(store.len(), 9);
    }

    #[test]
    fn timestamps_increase() {
        let store = Store::new();
        let a = store.next_timestamp();
        let b = store.next_timestamp();
        assert!(b > a);
    }
}
