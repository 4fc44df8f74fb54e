//! What the executor runs against: the services, the clock, cancellation, and whom to tell
//! about progress.

use super::store::MigrationStore;
use crate::model::claim_check::ClaimCheckConfig;
use crate::model::store::KeyValueStore;
use crate::pubsub::{Admin, BoundedPublisher, MessageSource};
use crate::topics::layout::Layout;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Test-only crash points: the process aborts at this boundary, as a SIGKILL would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failpoint {
    pub step: String,
    /// `true`: after the step's side effects, before its `done` record; `false`: after its
    /// `running` record, before any side effect.
    pub after_act: bool,
}

impl Failpoint {
    /// Parses `<step>:before` or `<step>:after`.
    pub fn parse(text: &str) -> Option<Failpoint> {
        let (step, when) = text.rsplit_once(':')?;
        let after_act = match when {
            "before" => false,
            "after" => true,
            _ => return None,
        };
        Some(Failpoint {
            step: step.into(),
            after_act,
        })
    }

    pub(super) fn hit(&self, step: &str, after_act: bool) {
        if self.step == step && self.after_act == after_act {
            std::process::abort();
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
    pub failpoint: Option<Failpoint>,
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
