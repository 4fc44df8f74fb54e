//! Vespa documents: ids, the schema set and application package, the event → document
//! factory, and the upgrade of stored documents to the current shape.

pub mod docid;
pub mod factory;
pub mod names;
pub mod schema;
pub mod upgrade;

pub use docid::DocumentId;
pub use factory::{FeedOperation, Outcome, Skipped, VespaDocument, from_event, from_message};
pub use schema::{AppPackageError, SchemaError, app_package_files, write_vespa_app_package};
pub use upgrade::{UpgradeError, Upgraded, upgrade};
