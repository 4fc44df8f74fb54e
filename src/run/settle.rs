//! Settling units of work: a unit (a file line, a message, a visited page, a batch) is done when
//! every operation made from it is done, and a run may only commit progress over units that are
//! done, in order.
//!
//! The [`Tracker`] counts a unit's operations down as its sink reports them finished. A sink
//! finishes the operations on one key (a document id) one after another, in the order they were
//! given, so a FIFO of unit numbers per key tells whose operation just finished. [`Prefix`]
//! advances over units numbered 0, 1, 2, … as long as each succeeded, in order: what a
//! checkpoint may record. A failed unit pins it where it is, so a resume does that unit again.

use std::collections::{BTreeMap, HashMap, VecDeque};

/// A unit whose operations are all finished.
#[derive(Debug)]
pub struct Settled<C> {
    pub commit: C,
    /// Every operation succeeded (and the unit had no failure of its own).
    pub ok: bool,
}

struct Pending<C> {
    remaining: usize,
    ok: bool,
    commit: C,
}

/// Units in flight, and which unit is next for each key.
pub struct Tracker<C> {
    next: u64,
    units: HashMap<u64, Pending<C>>,
    by_key: HashMap<String, VecDeque<u64>>,
}

impl<C> Default for Tracker<C> {
    fn default() -> Self {
        Tracker {
            next: 0,
            units: HashMap::new(),
            by_key: HashMap::new(),
        }
    }
}

impl<C> Tracker<C> {
    /// Registers a unit before its operations (named by their keys) are sent; a unit without
    /// operations settles at once.
    pub fn register<'k>(
        &mut self,
        keys: impl IntoIterator<Item = &'k str>,
        ok: bool,
        commit: C,
    ) -> Option<Settled<C>> {
        let seq = self.next;
        let mut remaining = 0;
        for key in keys {
            self.by_key
                .entry(key.to_string())
                .or_default()
                .push_back(seq);
            remaining += 1;
        }
        if remaining == 0 {
            return Some(Settled { commit, ok });
        }
        self.next += 1;
        self.units.insert(
            seq,
            Pending {
                remaining,
                ok,
                commit,
            },
        );
        None
    }

    /// An operation on `key` finished; returns its unit if that was the unit's last.
    pub fn finished(&mut self, key: &str, ok: bool) -> Option<Settled<C>> {
        let queue = self.by_key.get_mut(key)?;
        let seq = queue.pop_front()?;
        if queue.is_empty() {
            self.by_key.remove(key);
        }
        let pending = self.units.get_mut(&seq)?;
        pending.ok &= ok;
        pending.remaining -= 1;
        if pending.remaining > 0 {
            return None;
        }
        let pending = self.units.remove(&seq)?;
        Some(Settled {
            commit: pending.commit,
            ok: pending.ok,
        })
    }

    /// Units registered and not settled.
    pub fn unsettled(&self) -> usize {
        self.units.len()
    }

    /// Takes every unsettled unit out, as failed (a stopped run settles them: a message is
    /// released for redelivery at once rather than when its lease ends).
    pub fn drain(&mut self) -> Vec<Settled<C>> {
        self.by_key.clear();
        self.units
            .drain()
            .map(|(_, pending)| Settled {
                commit: pending.commit,
                ok: false,
            })
            .collect()
    }
}

/// Advances through units numbered 0, 1, 2, … as long as they succeeded, in order.
#[derive(Debug)]
pub struct Prefix<T> {
    next: u64,
    waiting: BTreeMap<u64, (bool, T)>,
    pinned: bool,
}

impl<T> Default for Prefix<T> {
    fn default() -> Self {
        Prefix {
            next: 0,
            waiting: BTreeMap::new(),
            pinned: false,
        }
    }
}

impl<T> Prefix<T> {
    /// Records unit `index`; returns the mark of the last unit the prefix advanced over.
    pub fn settle(&mut self, index: u64, ok: bool, mark: T) -> Option<T> {
        self.waiting.insert(index, (ok, mark));
        let mut advanced = None;
        while let Some((ok, mark)) = self.waiting.remove(&self.next) {
            self.next += 1;
            if self.pinned || !ok {
                self.pinned = true;
                continue;
            }
            advanced = Some(mark);
        }
        advanced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_settle_when_their_last_operation_finishes() {
        let mut t = Tracker::default();
        // Unit 0 puts a and b; unit 1 updates a again; unit 2 has nothing to send.
        assert!(t.register(["a", "b"], true, 0).is_none());
        assert!(t.register(["a"], true, 1).is_none());
        let empty = t.register([], true, 2).expect("settles at once");
        assert!(empty.ok);
        assert!(t.finished("a", true).is_none(), "unit 0 still has b");
        let s = t.finished("a", false).expect("unit 1 settles");
        assert!(s.commit == 1 && !s.ok);
        let s = t.finished("b", true).expect("unit 0 settles");
        assert!(s.commit == 0 && s.ok);
        assert_eq!(t.unsettled(), 0);
        assert!(t.finished("zzz", true).is_none());
        // A unit that failed before sending never settles ok.
        t.register(["c"], false, 3);
        assert!(!t.finished("c", true).unwrap().ok);
        t.register(["d"], true, 4);
        assert_eq!(t.drain().len(), 1);
    }

    #[test]
    fn the_prefix_advances_in_order_and_a_failure_pins_it() {
        let mut p = Prefix::default();
        assert_eq!(p.settle(1, true, "b"), None, "waits for 0");
        assert_eq!(p.settle(0, true, "a"), Some("b"));
        assert_eq!(p.settle(3, true, "d"), None);
        assert_eq!(p.settle(2, false, "c"), None, "2 failed: pinned");
        assert_eq!(p.settle(4, true, "e"), None);
    }
}
