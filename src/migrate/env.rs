//! What the executor runs against: the services, the clock, cancellation, and whom to tell
//! about progress.

use super::store::MigrationStore;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::store::KeyValueStore;
use crate::pubsub::{Admin, BoundedPublisher, MessageSource};
use crate::run::failpoint::{self, Failpoints};
use crate::topics::layout::Layout;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Where a test can make a run crash: `OFFICECTL_FAILPOINT=<step>:before` aborts after the
/// step's `running` record, before any side effect; `<step>:after` after its side effects,
/// before its `done` record ([`crate::run::failpoint`] has the grammar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Boundary {
    Before,
    After,
}

impl Boundary {
    fn arg(self) -> &'static str {
        match self {
            Boundary::Before => "before",
            Boundary::After => "after",
        }
    }
}

impl Env<'_> {
    /// Aborts the process, as a SIGKILL would, when a test asked for a crash here.
    pub(super) fn crash_point(&self, step: &str, at: Boundary) {
        if self.failpoints.arg(step) == Some(at.arg()) {
            failpoint::crash();
        }
    }
}

/// What the steps run against.
pub struct Env<'a> {
    pub project: &'a str,
    pub admin: &'a dyn Admin,
    pub source: &'a dyn MessageSource,
    pub publisher: &'a BoundedPublisher,
    pub store: Arc<dyn MigrationStore>,
    /// For relayed events whose payloads must be parked.
    pub payloads: Option<&'a dyn KeyValueStore>,
    pub claim_check: &'a ClaimCheckConfig,
    pub layout: &'a Layout,
    /// `user@host (pid N)`.
    pub by: String,
    /// Current time, RFC 3339 (injected so journals are testable).
    pub now: &'a (dyn Fn() -> String + Sync),
    /// Checked between steps: once cancelled, no further step starts.
    pub cancel: CancellationToken,
    /// Test-only crash points; none in production.
    pub failpoints: Failpoints,
    /// Told about each step as it starts and ends (progress on stderr in the CLI).
    pub progress: &'a (dyn Fn(StepProgress<'_>) + Sync),
}

/// A step starting or ending, for progress reporting.
#[derive(Debug, Clone, Copy)]
pub enum StepProgress<'s> {
    Started {
        step: &'s str,
        kind: &'static str,
    },
    Done {
        step: &'s str,
        detail: Option<&'s str>,
    },
    Failed {
        step: &'s str,
        message: &'s str,
    },
    RolledBack {
        step: &'s str,
    },
}
