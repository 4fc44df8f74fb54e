//! Meetings: keeping bookings and meeting polls consistent with the calendars they point to.
//!
//! - [`entry`]: what is kept of one calendar entry (its time, whether it blocks time, its version);
//! - [`reconcile`]: what a calendar change, a booking or a poll changes and owes to publish
//!   (pure: no I/O);
//! - [`store`]: the state in Redis, each event item applied once, and the outbox of what it owes.

pub mod entry;
pub mod reconcile;
pub mod store;

#[cfg(test)]
mod tests;
