//! The consumers (`officectl consume`): long-running workers that read the layout's
//! subscriptions of one consumer and act on every event.
//!
//! - [`layout`]: who consumes what, from the `consumer` labels of `plans/topology.yaml`;
//! - [`reading`]: which of a consumer's subscriptions the migration's read flags choose now;
//! - [`subscriptions`]: the open subscriptions as one stream of deliveries, opened and closed
//!   as the flags move;
//! - [`runtime`]: what every consumer runs on: follows the flags, writes the heartbeat, hands
//!   deliveries to the consumer's [`runtime::Handler`] a bounded number at a time, and stops
//!   cleanly;
//! - [`loader`]: the Vespa loader, the re-feed pipeline with this continuous source and
//!   acknowledgement as its commit;
//! - [`discovery`]: contact discovery, counting people into contact records and pushing the
//!   significant changes as `ContactEvent`s;
//! - [`fe_sse`]: the browser notifier, appending each change to its user's stream for
//!   [`crate::sse`] to serve;
//! - [`metrics`], [`listen`]: Prometheus metrics and the `--listen` endpoint (`/healthz`,
//!   `/readyz`, `/metrics`);
//! - the heartbeat each process writes (what it reads now) lives in
//!   [`crate::migrate::readers`], beside the flags it follows.

pub mod discovery;
pub mod fe_sse;
pub mod handling;
pub mod layout;
pub mod listen;
pub mod loader;
pub mod meetings;
pub mod metrics;
pub mod reading;
pub mod runtime;
pub mod shipments;
pub mod subscriptions;
