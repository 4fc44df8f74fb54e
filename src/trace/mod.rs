//! Following one piece of work through the platform (`officectl trace`): what was published
//! under a correlation id, what each consumer consumed of it, and what of it is in Vespa.
//!
//! - [`record`] ([`crate::trail`]): publishers (backfill, the consumers that publish) and consumers (the Vespa
//!   loader) record each event they published or consumed under its correlation id in Redis,
//!   for [`TRACE_TTL`](record::TRACE_TTL);
//! - [`follow`]: reads those records back, asks Vespa which documents carry the events
//!   (`source_event_id`), and reports per stage with what is missing.

pub mod follow;

/// Where publishers and consumers record (lower in the tree, so the pipelines can use it).
pub use crate::trail as record;
