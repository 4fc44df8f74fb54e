//! fe-sse: tells a user's open browser tabs that their data changed, as Server-Sent Events.
//!
//! The consumer ([`crate::consume::fe_sse`]) turns each event into [`notification`]s and appends
//! them to the user's capped Redis Stream ([`stream`]); any replica serves any user: the
//! [`server`] authenticates the bearer token ([`token`]), replays what a returning client missed
//! after its `Last-Event-ID`, and streams what is new as the [`hub`] (one Redis pub/sub
//! connection per process) wakes the user's connections. [`metrics`] are served on `/metrics`.

pub mod hub;
pub mod metrics;
pub mod notification;
pub mod server;
pub mod stream;
pub mod token;
