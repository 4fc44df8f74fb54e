//! Migrations from the legacy topics to the data-type topics: plan files and their steps, flags,
//! the journal and lock in Redis, and the executor that previews, applies and rolls back.
//!
//! - [`plan`]: loading a plan file strictly; [`steps`]: one type per step kind.
//! - [`preview`], [`apply`](apply()), [`rollback`](rollback()): the executor, reporting
//!   [`RunReport`]s and stopping with a [`MigrateError`].
//! - [`journal`], [`lock`], [`store`]: the state in Redis that makes runs resumable and
//!   exclusive.
//! - [`flags`], [`publish`], [`parity`], [`relay`]: what producers, the parity check and the
//!   relay share with the steps; [`readers`]: the heartbeats of the consumers that follow the
//!   read flags, shown by `migrate status`.
//!
//! See `docs/migrations.md` for the plan format and the commands built on this.

pub mod apply;
pub mod drill;
pub mod env;
pub mod error;
pub mod flags;
pub mod journal;
pub mod lock;
pub mod parity;
pub mod plan;
mod preview;
pub mod publish;
pub mod readers;
pub mod relay;
pub mod report;
mod rollback;
pub mod routed;
pub mod status;
pub mod steps;
pub mod store;
mod undo;

#[cfg(test)]
mod tests;

pub use apply::{ApplyRequest, apply};
pub use env::{Env, StepProgress};
pub use error::MigrateError;
pub use preview::preview;
pub use report::{Ending, RunReport, StepAction, StepLine};
pub use rollback::rollback;
