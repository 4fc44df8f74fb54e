//! Receiving messages from a subscription.

use super::{ReceivedMessage, Result};
use async_trait::async_trait;
use std::time::Duration;

/// Acknowledges or rejects one delivered message.
pub trait Acker: Send {
    fn ack(self: Box<Self>);
    fn nack(self: Box<Self>);

    /// Acknowledges and waits until the service confirms it, on a subscription with
    /// exactly-once delivery: `Ok(true)` means the message is not delivered again. Elsewhere an
    /// ack cannot be confirmed, and this acks and answers `Ok(false)` at once.
    fn confirmed_ack(self: Box<Self>) -> BoxFuture<'static, std::result::Result<bool, String>> {
        self.ack();
        Box::pin(std::future::ready(Ok(false)))
    }
}

/// A boxed future an [`Acker`] answers with.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// A delivered message and the means to settle it.
pub struct Delivery {
    pub message: ReceivedMessage,
    acker: Box<dyn Acker>,
}

impl Delivery {
    /// Pairs a message with its acknowledger.
    pub fn new(message: ReceivedMessage, acker: Box<dyn Acker>) -> Self {
        Self { message, acker }
    }

    /// Acknowledges: the subscription will not deliver it again.
    pub fn ack(self) {
        self.acker.ack();
    }

    /// Acknowledges and, on an exactly-once subscription, waits for the service to confirm it
    /// ([`Acker::confirmed_ack`]): `Ok(true)` when confirmed, `Ok(false)` where acks are not
    /// confirmed; an `Err` says the message may come again.
    pub async fn confirmed_ack(self) -> std::result::Result<bool, String> {
        self.acker.confirmed_ack().await
    }

    /// Rejects: the subscription redelivers it (subject to its retry policy).
    pub fn nack(self) {
        self.acker.nack();
    }
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

/// An open stream of deliveries from one subscription.
#[async_trait]
pub trait MessageStream: Send {
    /// The next delivery; `None` when the stream has ended.
    async fn next(&mut self) -> Option<Result<Delivery>>;

    /// Stops receiving and waits until the acknowledgements already given are sent, so a
    /// process that exits right after does not lose them (and see them redelivered). Settle
    /// or drop every delivery first.
    async fn shutdown(&mut self) {}
}

/// Opens streams on subscriptions (full names).
pub trait MessageSource: Send + Sync {
    fn subscribe(&self, subscription: &str) -> Box<dyn MessageStream>;
}

/// Collects up to `max` deliveries, stopping early once nothing arrives for `idle`.
///
/// The deliveries are returned unsettled: the caller acks each after handling it.
pub async fn receive(
    stream: &mut dyn MessageStream,
    max: usize,
    idle: Duration,
) -> Result<Vec<Delivery>> {
    let mut received = Vec::new();
    while received.len() < max {
        match tokio::time::timeout(idle, stream.next()).await {
            Ok(Some(delivery)) => received.push(delivery?),
            Ok(None) | Err(_) => break,
        }
    }
    Ok(received)
}
