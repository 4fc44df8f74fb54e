//! Contact discovery's core: who each user deals with, read from the e-mail, calendar and
//! document events that flow past, and how relevant each person is.
//!
//! - [`address`]: one key per person (case, Gmail dots and `+tags`);
//! - [`interaction`]: the interactions of one event, noise dropped (own addresses, automated
//!   senders, bulk mail, very large groups);
//! - [`score`]: the decayed relevance score, O(1) per interaction and independent of order;
//! - [`record`]: the `EmailContact` record an interaction folds into;
//! - [`push`]: contacts to Vespa as `ContactEvent`s (upserts and removals);
//! - [`rebuild`]: `contacts rebuild`, a user's contacts recomputed from history;
//! - [`significance`]: which changes are worth pushing to Vespa;
//! - [`marker`]: an event's marker (its outbox) and an erasure's mark, as stored;
//! - [`store`]: the records in Redis, each event counted into them exactly once;
//! - [`show`]: a user's ranked contacts and why, for `contacts show`;
//! - [`erase`]: `contacts forget` (erasure, with a suppression marker and an audit line) and
//!   `contacts prune` (retention), in Redis and Vespa;
//! - [`config`]: the config file's `contacts:` section.
//!
//! The formula, its defaults and a worked example are in `docs/contacts.md`.

pub mod address;
pub mod config;
pub mod erase;
pub mod interaction;
pub mod marker;
pub mod push;
pub mod rebuild;
pub mod record;
pub mod score;
pub mod show;
pub mod significance;
pub mod store;

#[cfg(test)]
mod tests;
