//! officectl's core: the settings model, the remote-service adapters behind small traits, and
//! the operations that commands run.
//!
//! Nothing in this crate prints, parses command lines or draws progress bars: commands return
//! typed reports (see [`report`]) and the binary decides how to show them. Every remote service
//! (Pub/Sub, Redis) sits behind a trait with a real implementation and an in-memory fake, so the
//! planners and executors can be unit-tested without a network.

pub mod backfill;
pub mod doctor;
pub mod duration;
pub mod events;
pub mod exit;
pub mod keys;
pub mod migrate;
pub mod model;
pub mod ndjson;
pub mod operator;
pub mod pubsub;
pub mod redact;
pub mod redis_connection;
pub mod report;
pub mod retry;
pub mod run;
pub mod settings;
pub mod topics;
pub mod vespa;
pub mod yaml;
