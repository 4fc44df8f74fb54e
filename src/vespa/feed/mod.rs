//! The feed engine: one HTTP request per operation, a bounded and adaptive number in flight,
//! operations on the same document strictly in order, and retries by status.
//!
//! Retry rules follow the official clients (vespa-feed-clients.md §2–3, vespa-api.md §2):
//! - 2xx, 404 and 412 finish an operation (404/412 are counted apart, not as failures);
//! - 429 is retried without limit and cuts the throttle; after the first retry of an
//!   operation we wait a little (5 ms doubling, at most 1 s) so a persistent overload is not a
//!   retry storm (vespa#31798);
//! - 503 and transport errors are retried up to `max_attempts` with exponential backoff;
//! - everything else (400, 405, 413, 500, 502, 504, 507) fails at once and is reported.
//!
//! Ordering: an operation whose document id has one in flight (including its retries) waits in
//! that id's queue and is sent when the previous one finishes, as the official clients do.
//!
//! The parts: [`protocol`] is `/document/v1` (operations, requests, responses, status classes);
//! `engine` is the feed loop's state and what it does on each event; [`outcome`] is what a feed
//! reports. Waits between retries come from [`crate::retry::Backoff`], the one backoff helper.

mod engine;
pub mod outcome;
pub mod protocol;

pub use outcome::{FeedOutcome, InvalidInput, MAX_INVALID_LISTED, OpFailure, Progress};
pub use protocol::{
    Class, OpKind, Operation, Request, Response, Transport, TransportError, classify, document_path,
};

use super::rate::TokenBucket;
use crate::retry::Backoff;
use crate::run::CancellationToken;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How to feed.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub min_inflight: usize,
    pub max_inflight: usize,
    /// Attempts for 503 and transport errors, the first included.
    pub max_attempts: u32,
    /// First backoff after a 503 or transport error; doubles per attempt.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Pause before the second and later retries of an overloaded (429) operation; doubles.
    pub overload_backoff: Duration,
    pub max_overload_backoff: Duration,
    pub route: Option<String>,
    /// Server-side timeout per operation (`?timeout=`).
    pub timeout: Option<Duration>,
    /// Give up when nothing has succeeded for this long (a circuit breaker, like `vespa feed
    /// --deadline`): stop reading, stop retrying, report what was not sent.
    pub deadline: Duration,
}

impl FeedConfig {
    /// Defaults for `connections` connections: 2 × connections to 256 × that in flight, as the
    /// official clients bound it (512 streams per connection on the server).
    pub fn for_connections(connections: usize) -> Self {
        let min = 2 * connections.max(1);
        Self {
            min_inflight: min,
            max_inflight: 256 * min,
            max_attempts: 10,
            backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(2),
            overload_backoff: Duration::from_millis(5),
            max_overload_backoff: Duration::from_secs(1),
            route: None,
            timeout: None,
            deadline: Duration::from_secs(60),
        }
    }

    /// The backoff after a 503 or transport error: [`FeedConfig::backoff`] doubling to
    /// [`FeedConfig::max_backoff`], ±25% jitter, [`FeedConfig::max_attempts`] in all.
    pub fn transient_backoff(&self) -> Backoff {
        Backoff {
            initial: self.backoff,
            max: self.max_backoff,
            multiplier: 2.0,
            jitter: true,
            max_attempts: Some(self.max_attempts),
            total: None,
        }
    }

    /// The pause before the second and later retries of an overloaded (429) operation:
    /// [`FeedConfig::overload_backoff`] doubling to [`FeedConfig::max_overload_backoff`], ±25%
    /// jitter, without a bound on attempts (429 is retried until it passes or the deadline).
    pub fn overload_backoff(&self) -> Backoff {
        Backoff {
            initial: self.overload_backoff,
            max: self.max_overload_backoff,
            multiplier: 2.0,
            jitter: true,
            max_attempts: None,
            total: None,
        }
    }
}

/// An item of the input stream: an operation, or what is wrong with the input.
pub type InputItem = Result<Operation, InputError>;

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// A part of the input (a line) is not an operation: it is reported, and the feed goes on.
    Invalid(InvalidInput),
    /// The input cannot be read further: the feed sends what it read, then stops.
    Fatal(String),
}

/// Feeds every operation from `input` through `transport` and reports what happened.
///
/// Stops reading new operations when `cancel` fires or the input reports an error, and
/// always waits for what is in flight, so nothing is left half-sent.
pub async fn feed<T: Transport>(
    transport: Arc<T>,
    input: mpsc::Receiver<InputItem>,
    config: &FeedConfig,
    progress: &Progress,
    cancel: &CancellationToken,
) -> FeedOutcome {
    feed_with(
        transport,
        input,
        config,
        progress,
        cancel,
        FeedHooks::default(),
    )
    .await
}

/// Called when an operation is finished: `true` if it succeeded (2xx, 404, 412).
pub type OnDone = Box<dyn FnMut(&Operation, bool) + Send>;

/// Extras for [`feed_with`]: a rate limit, and a report of each operation as it finishes.
#[derive(Default)]
pub struct FeedHooks {
    /// Send new operations at most at this rate (`--rate`); retries take no token.
    pub rate: Option<TokenBucket>,
    /// Called once per operation read from the input when it is finished. Operations on one
    /// document id finish in input order (they are sent one after another), so a caller can
    /// match them to what it sent. Operations never sent (cancelled, gave up) are not reported.
    pub on_done: Option<OnDone>,
}

/// [`feed`], with a rate limit and a report of each finished operation (for checkpoints).
pub async fn feed_with<T: Transport>(
    transport: Arc<T>,
    input: mpsc::Receiver<InputItem>,
    config: &FeedConfig,
    progress: &Progress,
    cancel: &CancellationToken,
    hooks: FeedHooks,
) -> FeedOutcome {
    engine::Engine::new(transport, input, config, progress, cancel, hooks)
        .run()
        .await
}

#[cfg(test)]
mod tests;
