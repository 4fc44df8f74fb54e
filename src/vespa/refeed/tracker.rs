//! Which unit each finished operation belongs to, and how far each source may commit.
//!
//! The [`Tracker`] counts a unit's operations down as the feed engine reports them finished.
//! The engine sends the operations of one document id one after another, in input order, so a
//! FIFO of unit numbers per document id is enough to know whose operation just finished.
//!
//! A [`Committer`] turns settled units into progress: for a file, the offset after the longest
//! run of lines from the start whose operations all succeeded; for a visit, the same per slice
//! with continuation tokens; for a subscription, an ack or a nack per message. A failed unit
//! pins a file or slice where it is for the rest of the run, so a resume does it again.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::Commit;
use crate::vespa::checkpoint::{FilePosition, Position, SlicePosition};
use crate::vespa::feed::Operation;

/// A unit whose operations are all finished.
pub struct Settled {
    pub commit: Commit,
    /// Every operation succeeded (and the unit had no failure of its own).
    pub ok: bool,
}

struct Pending {
    remaining: usize,
    ok: bool,
    commit: Commit,
}

/// Units in flight, and which unit is next for each document id.
#[derive(Default)]
pub struct Tracker {
    next: u64,
    units: HashMap<u64, Pending>,
    by_id: HashMap<String, VecDeque<u64>>,
}

impl Tracker {
    /// Registers a unit before its operations are sent; a unit without operations settles at
    /// once.
    pub fn register(&mut self, ops: &[Operation], ok: bool, commit: Commit) -> Option<Settled> {
        if ops.is_empty() {
            return Some(Settled { commit, ok });
        }
        let seq = self.next;
        self.next += 1;
        for op in ops {
            self.by_id.entry(op.id.clone()).or_default().push_back(seq);
        }
        self.units.insert(
            seq,
            Pending {
                remaining: ops.len(),
                ok,
                commit,
            },
        );
        None
    }

    /// An operation on `id` finished; returns its unit if that was the unit's last.
    pub fn finished(&mut self, id: &str, ok: bool) -> Option<Settled> {
        let queue = self.by_id.get_mut(id)?;
        let seq = queue.pop_front()?;
        if queue.is_empty() {
            self.by_id.remove(id);
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

    /// Drops every unsettled unit (releasing what they hold); returns how many there were.
    pub fn drain(&mut self) -> usize {
        let n = self.units.len();
        self.units.clear();
        self.by_id.clear();
        n
    }
}

/// What a committer did with one settled unit.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// The position to checkpoint moved.
    pub moved: bool,
    pub acked: bool,
    pub nacked: bool,
}

/// Turns settled units into progress.
pub trait Committer: Send {
    fn settle(&mut self, settled: Settled) -> Effect;
    /// The position to checkpoint; `None` for sources without one.
    fn position(&self) -> Option<Position>;
}

/// Advances through units numbered 0, 1, 2, … as long as they succeeded, in order.
#[derive(Debug, Default)]
struct Prefix<T> {
    next: u64,
    waiting: BTreeMap<u64, (bool, T)>,
    pinned: bool,
}

impl<T> Prefix<T> {
    /// Records unit `index`; returns the mark of the last unit the prefix advanced over.
    fn settle(&mut self, index: u64, ok: bool, mark: T) -> Option<T> {
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

/// Lines of a file.
pub struct FileCommitter {
    position: FilePosition,
    prefix: Prefix<(u64, u64)>,
}

impl FileCommitter {
    /// Starting at `position` (where the run began reading).
    pub fn new(position: FilePosition) -> Self {
        FileCommitter {
            position,
            prefix: Prefix::default(),
        }
    }
}

impl Committer for FileCommitter {
    fn settle(&mut self, settled: Settled) -> Effect {
        let Commit::Line { index, line, end } = settled.commit else {
            return Effect::default();
        };
        match self.prefix.settle(index, settled.ok, (line, end)) {
            Some((line, end)) => {
                self.position.line = line;
                self.position.offset = end;
                Effect {
                    moved: true,
                    ..Effect::default()
                }
            }
            None => Effect::default(),
        }
    }

    fn position(&self) -> Option<Position> {
        Some(Position::File(self.position.clone()))
    }
}

/// Pages of visit slices.
pub struct VisitCommitter {
    slices: u32,
    streams: Vec<SlicePosition>,
    prefixes: Vec<Prefix<Option<String>>>,
}

impl VisitCommitter {
    /// Starting at `streams` (one per target and slice).
    pub fn new(slices: u32, streams: Vec<SlicePosition>) -> Self {
        let prefixes = streams.iter().map(|_| Prefix::default()).collect();
        VisitCommitter {
            slices,
            streams,
            prefixes,
        }
    }
}

impl Committer for VisitCommitter {
    fn settle(&mut self, settled: Settled) -> Effect {
        let Commit::Page {
            stream,
            index,
            continuation,
        } = settled.commit
        else {
            return Effect::default();
        };
        let (Some(prefix), Some(position)) =
            (self.prefixes.get_mut(stream), self.streams.get_mut(stream))
        else {
            return Effect::default();
        };
        match prefix.settle(index, settled.ok, continuation) {
            Some(continuation) => {
                position.done = continuation.is_none();
                position.continuation = continuation;
                Effect {
                    moved: true,
                    ..Effect::default()
                }
            }
            None => Effect::default(),
        }
    }

    fn position(&self) -> Option<Position> {
        Some(Position::Visit {
            slices: self.slices,
            streams: self.streams.clone(),
        })
    }
}

/// Messages of a subscription: acked when fed, nacked (redelivered) when not. In a dry run
/// every message is released unacknowledged.
pub struct MessageCommitter {
    pub dry_run: bool,
}

impl Committer for MessageCommitter {
    fn settle(&mut self, settled: Settled) -> Effect {
        let Commit::Message(delivery) = settled.commit else {
            return Effect::default();
        };
        if settled.ok && !self.dry_run {
            delivery.ack();
            Effect {
                acked: true,
                ..Effect::default()
            }
        } else {
            delivery.nack();
            Effect {
                nacked: true,
                ..Effect::default()
            }
        }
    }

    fn position(&self) -> Option<Position> {
        None
    }
}

/// For sources without progress to keep (stdin).
pub struct NoCommitter;

impl Committer for NoCommitter {
    fn settle(&mut self, _: Settled) -> Effect {
        Effect::default()
    }

    fn position(&self) -> Option<Position> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vespa::feed::OpKind;

    fn op(id: &str) -> Operation {
        Operation {
            kind: OpKind::Put,
            id: id.into(),
            condition: None,
            create: false,
            fields: None,
        }
    }

    fn line(index: u64) -> Commit {
        Commit::Line {
            index,
            line: index + 1,
            end: (index + 1) * 10,
        }
    }

    #[test]
    fn units_settle_when_their_last_operation_finishes() {
        let mut t = Tracker::default();
        // Unit 0 puts a and b; unit 1 updates a again; unit 2 has nothing to send.
        assert!(t.register(&[op("a"), op("b")], true, line(0)).is_none());
        assert!(t.register(&[op("a")], true, line(1)).is_none());
        let empty = t.register(&[], true, line(2)).expect("settles at once");
        assert!(empty.ok);
        assert!(t.finished("a", true).is_none(), "unit 0 still has b");
        let s = t.finished("a", false).expect("unit 1 settles");
        assert!(matches!(s.commit, Commit::Line { index: 1, .. }) && !s.ok);
        let s = t.finished("b", true).expect("unit 0 settles");
        assert!(matches!(s.commit, Commit::Line { index: 0, .. }) && s.ok);
        assert_eq!(t.unsettled(), 0);
        assert!(t.finished("zzz", true).is_none());
        // A unit that failed before sending never settles ok.
        t.register(&[op("c")], false, line(3));
        assert!(!t.finished("c", true).unwrap().ok);
    }

    #[test]
    fn a_file_commits_the_prefix_of_successful_lines_and_a_failure_pins_it() {
        let start = FilePosition {
            offset: 0,
            line: 0,
            size: 100,
            modified: None,
        };
        let mut c = FileCommitter::new(start);
        let settle = |c: &mut FileCommitter, index: u64, ok: bool| {
            c.settle(Settled {
                commit: line(index),
                ok,
            })
            .moved
        };
        assert!(!settle(&mut c, 1, true), "line 1 waits for line 0");
        assert!(settle(&mut c, 0, true));
        let Some(Position::File(p)) = c.position() else {
            panic!()
        };
        assert_eq!((p.line, p.offset), (2, 20));
        assert!(!settle(&mut c, 2, false));
        assert!(!settle(&mut c, 3, true), "pinned behind the failed line");
        let Some(Position::File(p)) = c.position() else {
            panic!()
        };
        assert_eq!((p.line, p.offset), (2, 20));
    }

    #[test]
    fn each_slice_commits_its_own_continuation() {
        let stream = |slice| SlicePosition {
            target: "/t".into(),
            slice,
            continuation: None,
            done: false,
        };
        let mut c = VisitCommitter::new(2, vec![stream(0), stream(1)]);
        let page = |stream: usize, index: u64, token: Option<&str>| Commit::Page {
            stream,
            index,
            continuation: token.map(str::to_string),
        };
        c.settle(Settled {
            commit: page(1, 0, Some("b1")),
            ok: true,
        });
        c.settle(Settled {
            commit: page(0, 1, None),
            ok: true,
        });
        let Some(Position::Visit { streams, .. }) = c.position() else {
            panic!()
        };
        assert_eq!(
            streams[0].continuation, None,
            "page 0 of slice 0 not settled"
        );
        assert!(!streams[0].done);
        assert_eq!(streams[1].continuation.as_deref(), Some("b1"));
        c.settle(Settled {
            commit: page(0, 0, Some("a1")),
            ok: true,
        });
        let Some(Position::Visit { streams, .. }) = c.position() else {
            panic!()
        };
        assert!(streams[0].done, "both pages of slice 0 are fed");
        c.settle(Settled {
            commit: page(1, 1, Some("b2")),
            ok: false,
        });
        c.settle(Settled {
            commit: page(1, 2, None),
            ok: true,
        });
        let Some(Position::Visit { streams, .. }) = c.position() else {
            panic!()
        };
        assert_eq!(streams[1].continuation.as_deref(), Some("b1"));
        assert!(!streams[1].done);
    }
}
