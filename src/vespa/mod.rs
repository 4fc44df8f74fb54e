//! Talking to Vespa: the `/document/v1` feed client, visiting, re-feeding and reindexing.
//!
//! [`feed`] is the engine (throttle, per-document ordering, retries, an optional [`rate`]
//! limit) over a [`feed::Transport`]; [`http`] is the real transport (HTTP/2 over a few
//! connections); [`input`] reads Vespa's JSON feed format. [`visit`] reads documents back page by
//! page; [`refeed`] re-feeds documents built from events or visited from Vespa, with
//! [`checkpoint`]s in Redis; [`reindex`] drives Vespa's native reindexing. The design follows
//! the official clients, see `shared/docs/vespa-feed-clients.md` and `docs/vespa.md`.
//! [`model_check`] checks an application package with Vespa's own config model before a deploy.
//! The unit tests share one in-process Vespa, `fake` (the document API and the config server).

pub mod checkpoint;
#[cfg(test)]
pub mod fake;
pub mod feed;
pub mod http;
pub mod input;
pub mod model_check;
pub mod rate;
pub mod refeed;
pub mod reindex;
pub mod search;
pub mod throttle;
pub mod visit;

pub use feed::{FeedConfig, FeedOutcome, OpKind, Operation, Transport, feed};
