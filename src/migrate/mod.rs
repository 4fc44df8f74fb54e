//! Migrations from the legacy topics to the data-type topics: plan files, flags, the journal and
//! lock in Redis, and the executor that applies and rolls back steps.

pub mod apply;
pub mod flags;
pub mod journal;
pub mod lock;
pub mod parity;
pub mod plan;
pub mod publish;
pub mod relay;
pub mod store;

#[cfg(test)]
mod tests;
