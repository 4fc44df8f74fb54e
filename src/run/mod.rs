//! What every run of officectl's pipelines shares, whatever it moves: backfills (records →
//! batches → publishes), re-feeds (events or visited documents → Vespa operations), and the
//! consumers to come (messages → effects → acknowledgements).
//!
//! Each of them is a source, a transformation, a sink and a commit; what differs is the data.
//! What does not differ lives here, once:
//!
//! - [`checkpoint`]: progress in Redis, one JSON value per key, and one error type for it;
//! - [`resume`]: fresh, resume or ask, decided the same way for every command that resumes;
//! - cancellation: a [`tokio_util::sync::CancellationToken`], set by the CLI on Ctrl-C or
//!   SIGTERM and checked between units of work;
//! - [`progress`]: the [`progress::Reporter`] the CLI implements and the one [`progress::Ticker`]
//!   that samples a run's counters;
//! - [`failpoint`]: the test-only failure injection grammar;
//! - [`subscription`]: reading a subscription as input, each message once;
//! - [`settle`]: which unit of work an operation belongs to, and how far in order a run may
//!   commit;
//! - retries: [`crate::retry`].

pub mod checkpoint;
pub mod failpoint;
pub mod progress;
pub mod resume;
pub mod settle;
pub mod subscription;

pub use tokio_util::sync::CancellationToken;
