//! Talking to Vespa: the `/document/v1` feed client.
//!
//! [`feed`] is the engine (throttle, per-document ordering, retries) over a [`feed::Transport`];
//! [`http`] is the real transport (HTTP/2 over a few connections); [`input`] reads Vespa's JSON
//! feed format. The design follows the official clients, see `shared/docs/vespa-feed-clients.md`
//! and `docs/vespa.md`.

pub mod feed;
pub mod http;
pub mod input;
pub mod reindex;
pub mod search;
pub mod throttle;

pub use feed::{FeedConfig, FeedOutcome, OpKind, Operation, Transport, feed};
