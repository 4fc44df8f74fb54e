//! The event and document model of the Office platform (issue 3).
//!
//! - [`catalog`]: the one table of data types, event-type names, doc types and topics.
//! - [`families`] (one module per event family, with the [`fields`] they share) and
//!   [`event::Event`], the enum over them; [`legacy`]: the legacy `EmailBackfillEvent` and its
//!   upcast.
//! - [`envelope`]: an event as a Pub/Sub [`message`] and back; [`claim_check`]: large payloads
//!   parked in the store ([`store`]).
//! - [`validate`]: every problem with its JSON path; [`schema`]: the generated JSON Schemas.
//!
//! Nothing here prints or reads the command line; the CLI calls these functions and renders.

pub mod catalog;
pub mod claim_check;
pub mod envelope;
pub mod event;
pub mod families;
pub mod fields;
pub mod idempotency;
pub mod legacy;
pub mod message;
pub mod schema;
pub mod snapshot;
pub mod store;
pub mod validate;
pub mod vespa;

pub use catalog::DataType;
pub use event::Event;
pub use validate::{Problem, validate_ndjson_line};

#[cfg(test)]
mod tests;
