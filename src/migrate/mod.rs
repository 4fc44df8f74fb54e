//! Migrations from the legacy topics to the data-type topics: plan files, flags, the journal and
//! lock in Redis, and the executor that applies and rolls back steps.

pub mod flags;
pub mod journal;
pub mod lock;
pub mod plan;
pub mod store;
