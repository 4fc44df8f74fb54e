//! officectl's core: everything the commands do, without the command line.
//!
//! Nothing in this crate prints, parses command lines or draws progress bars: operations take
//! typed requests and return typed reports (see [`report`]) and typed errors; the binary decides
//! how to show them. From the bottom up:
//!
//! - the [`model`]: data types, event families, validation, envelope, claim check, documents;
//! - adapters: [`pubsub`] (Google's client and an in-memory fake behind traits),
//!   [`redis_connection`], and the Vespa HTTP clients in [`vespa`];
//! - the run core [`run`]: checkpoints, resume decision, cancellation, progress reporting,
//!   failpoints, subscription input and in-order settling, shared by every pipeline; [`retry`]
//!   is the one backoff helper;
//! - [`settings`], resolved once before a command runs;
//! - the verbs, named like their commands: [`topics`], [`events`], [`migrate`], [`backfill`],
//!   [`vespa`] (feed, visit, search, reindex and re-feed, model check), [`doctor`];
//! - the long-running workers in [`consume`] (the Vespa loader, with metrics, health endpoint,
//!   heartbeats and `tracing` logs), and [`sse`], the browser notifications fe-sse serves.
//!
//! `docs/structure.md` draws the same picture in a few more lines.

pub mod backfill;
pub mod consume;
pub mod contacts;
pub mod doctor;
pub mod duration;
pub mod events;
pub mod exit;
pub mod keys;
pub mod meetings;
pub mod migrate;
pub mod model;
pub mod namespace;
pub mod ndjson;
pub mod operator;
pub mod pubsub;
pub mod redact;
pub mod redis_connection;
pub mod report;
pub mod retry;
pub mod run;
pub mod settings;
pub mod shipments;
pub mod sse;
pub mod tail;
pub mod topics;
pub mod trace;
pub mod trail;
pub mod vespa;
pub mod yaml;
