//! Vespa documents: ids, the schema set and application package, and the event → document
//! factory.

pub mod docid;
pub mod factory;
pub mod schema;

pub use docid::DocumentId;
pub use factory::{FeedOperation, Outcome, Skipped, VespaDocument, from_event, from_message};
pub use schema::{app_package_files, write_vespa_app_package};
