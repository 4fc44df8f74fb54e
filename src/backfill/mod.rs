//! Backfills: replaying users' mail as `EmailEvent` batches (issue 6).
//!
//! A [`Source`](source::Source) yields e-mail records ([`record`]) from an NDJSON file or stdin
//! ([`source::NdjsonSource`]), a legacy subscription ([`subscription::SubscriptionSource`]) or an
//! HTTP export endpoint ([`http::HttpSource`]). The [`batch::Batcher`] groups them per user into
//! batches with deterministic ids; [`run::run`] encodes each batch with the envelope and claim
//! check, publishes it through a [`BoundedPublisher`](crate::pubsub::BoundedPublisher), retries
//! transient failures, and writes a per-user [`checkpoint`] after every acknowledged batch.
//!
//! Nothing here prints: progress goes to a [`crate::run::progress::Reporter`] the CLI implements, and the run
//! returns a [`report::BackfillReport`]. Cancellation is a [`crate::run::CancellationToken`] checked between
//! batches. See `docs/backfill.md` for the operator's view.

pub mod batch;
pub mod checkpoint;
mod complete;
mod error;
pub mod http;
mod options;
pub mod plan;
pub mod prepared;
mod produce;
pub mod record;
pub mod report;
pub mod routing;
pub mod run;
pub mod shard;
pub mod source;
pub mod subscription;

pub use batch::{Selection, batch_id};
pub use error::{BackfillError, PublishFailed};
pub use options::{Options, Sinks, publish_retry};
pub use report::{BackfillReport, Outcome, Snapshot};
pub use routing::Routing;
pub use run::{RunResult, run};

#[cfg(test)]
mod tests;
