//! The event and document model of the Office platform (issue 3).
//!
//! - [`catalog`]: the one table of data types, event-type names, doc types and topics.
//! - [`events`] and [`event::Event`]: the current event families; [`legacy`]: the legacy
//!   `EmailBackfillEvent` and its upcast.
//! - [`validate`]: every problem with its JSON path; [`schema`]: the generated JSON Schemas.
//!
//! Nothing here prints or reads the command line; the CLI calls these functions and renders.

pub mod catalog;
pub mod claim_check;
pub mod common;
pub mod envelope;
pub mod event;
pub mod events;
pub mod idempotency;
pub mod legacy;
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
