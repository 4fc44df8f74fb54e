//! How far each re-feed source may commit once its units are settled
//! ([`crate::run::settle`] tracks which unit each fed operation belongs to).
//!
//! A [`Committer`] turns settled units into progress: for a file, the offset after the longest
//! run of lines from the start whose operations all succeeded; for a visit, the same per slice
//! with continuation tokens; for a subscription, an ack or a nack per message. A failed unit
//! pins a file or slice where it is for the rest of the run, so a resume does it again.

use super::Commit;
use crate::run::settle::Prefix;
use crate::vespa::checkpoint::{FilePosition, Position, SlicePosition};

/// A settled re-feed unit.
pub type Settled = crate::run::settle::Settled<Commit>;

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

    fn line(index: u64) -> Commit {
        Commit::Line {
            index,
            line: index + 1,
            end: (index + 1) * 10,
        }
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
