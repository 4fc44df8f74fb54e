//! The kinds of step a plan is made of. Each kind is one type that knows everything about
//! itself ([`StepKind`]): what a plan must satisfy for it, what it will change (observed and
//! recorded before it acts, so a crashed run can be resumed and rolled back), how it acts and
//! verifies, and how `migrate plan` describes it. [`Step`] is the plan file's tagged union of
//! them; its serialized form is what each step's checksum is taken over, so it must not change.

mod delete;
mod flag;
mod gate;
mod layout;
mod parity;
mod relay;
mod shadow;
mod snapshot;

pub use delete::{DeleteSubscription, DeleteTopic};
pub use flag::{FlagName, SetFlag};
pub use gate::Gate;
pub use layout::EnsureLayout;
pub use parity::VerifyParity;
pub use relay::Relay;
pub use shadow::ShadowSubscriptions;
pub use snapshot::Snapshot;

use super::env::Env;
use super::flags::FlagError;
use super::parity::ParityReport;
use super::relay::{RelayError, RelayReport};
use super::undo::UndoRecord;
use crate::model::legacy::hex;
use crate::model::store::StoreError;
use crate::pubsub::{PubSubError, names};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::time::Duration;

/// One step. Written as `- <kind>: {name: ..., ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Create (or repair) named topics and subscriptions from the layout file.
    EnsureLayout(EnsureLayout),
    /// Set a migration flag in Redis.
    SetFlag(SetFlag),
    /// Create one parity subscription on each of two topics.
    CreateShadowSubscriptions(ShadowSubscriptions),
    /// Forward messages from a (legacy) subscription to a topic, upcasting legacy events.
    Relay(Relay),
    /// Compare two parity subscriptions by idempotency key; fails when anything is missing.
    VerifyParity(VerifyParity),
    /// Stop until someone runs `apply --approve <step>`.
    Gate(Gate),
    /// Snapshot a subscription (where the server supports snapshots).
    Snapshot(Snapshot),
    /// Delete a subscription. Irreversible: its backlog is gone.
    DeleteSubscription(DeleteSubscription),
    /// Delete a topic. Irreversible.
    DeleteTopic(DeleteTopic),
}

/// How a step is undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Undo {
    /// Rollback reverses it (resources it created are removed, flags restored).
    Reversible,
    /// Nothing to undo (it only reads, waits, or publishes idempotent copies).
    NothingToUndo,
    /// Cannot be undone; rollback refuses to cross it.
    Irreversible,
}

/// Why a step (or undoing it) failed. The text is what the journal records as the step's detail.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    PubSub(#[from] PubSubError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Flag(#[from] FlagError),
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error("{kind} `{id}` is not in the layout")]
    NotInLayout { kind: &'static str, id: String },
    /// Cancelled (Ctrl-C, SIGTERM) while the step waited, before it changed anything: the step
    /// is left pending for the next apply.
    #[error("interrupted while {waiting}")]
    Interrupted { waiting: String },
    /// Consumers still read a subscription the step would delete.
    #[error(
        "`{subscription}` is still read by {}; move them with the read flag (or stop them) and apply again",
        readers.join(", ")
    )]
    StillRead {
        subscription: String,
        readers: Vec<String>,
    },
    #[error("flag `{key}` reads back {read:?} after setting `{value}`")]
    FlagReadBack {
        key: String,
        read: Option<String>,
        value: String,
    },
    /// Some messages were not relayed (the detail line says how many).
    #[error("{}", report.summary())]
    RelayIncomplete { report: RelayReport },
    #[error(
        "parity found {compared} keys on both sides ({legacy_messages} legacy messages read on `{subscription}` in {:.1}s; it stops waiting after {} without a message), fewer than `min_messages` ({min_messages}): no proof; publish traffic and apply again",
        waited.as_secs_f64(),
        crate::duration::format(*idle_timeout)
    )]
    ParityWithoutTraffic {
        /// Keys found on both sides.
        compared: usize,
        legacy_messages: usize,
        /// The legacy parity subscription, as the plan names it.
        subscription: String,
        waited: Duration,
        idle_timeout: Duration,
        min_messages: usize,
    },
    #[error("parity failed: {}: {}", report.summary(), report.differences().join(", "))]
    ParityFailed { report: Box<ParityReport> },
}

/// What checking a plan keeps track of from step to step.
pub struct PlanScope<'a> {
    /// The topics the layout declares.
    pub declared_topics: &'a BTreeSet<String>,
    /// The subscriptions the layout declares.
    pub declared_subscriptions: &'a BTreeSet<String>,
    /// Subscriptions that exist by the time a step runs: the layout's, plus those earlier steps
    /// create.
    pub available_subscriptions: BTreeSet<String>,
}

impl PlanScope<'_> {
    /// A problem when `id` breaks Pub/Sub's rules for a `kind` id.
    pub fn id_problem(step: &str, kind: &str, id: &str) -> Option<String> {
        names::validate_id(id)
            .err()
            .map(|err| format!("step `{step}`: {kind} {err}"))
    }

    /// A problem when no earlier step and not the layout provide `subscription`.
    pub fn unavailable(&self, step: &str, subscription: &str) -> Option<String> {
        (!self.available_subscriptions.contains(subscription)).then(|| {
            format!(
                "step `{step}`: subscription `{subscription}` is neither in the layout nor created by an earlier step"
            )
        })
    }
}

/// One kind of step: checked in its plan, observed, applied and described.
#[async_trait]
pub trait StepKind: Send + Sync {
    /// The kind as written in the file.
    const KIND: &'static str;
    /// How rollback treats it.
    const UNDO: Undo;

    /// The step's name.
    fn name(&self) -> &str;

    /// What is wrong with this step in its plan (each message names the step), given what
    /// the layout and earlier steps provide; records what it provides to later steps.
    fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String>;

    /// Records what the step intends to change, before it changes anything. A record left by a
    /// crashed run is kept: only the first attempt saw the world before the step.
    async fn observe(&self, _env: &Env<'_>, _undo: &mut UndoRecord) -> Result<(), StepError> {
        Ok(())
    }

    /// Performs the side effects and verifies them; `Ok` carries the journal's detail line.
    async fn act(&self, env: &Env<'_>, undo: &UndoRecord) -> Result<Option<String>, StepError>;

    /// What applying the step now would change, given what [`StepKind::observe`] recorded.
    async fn describe(&self, env: &Env<'_>, observed: &UndoRecord) -> Result<String, StepError>;
}

/// Calls `$body` with the step's [`StepKind`] (`$kind` bound to it) whatever its variant.
macro_rules! with_kind {
    ($step:expr, $kind:ident => $body:expr) => {
        match $step {
            Step::EnsureLayout($kind) => $body,
            Step::SetFlag($kind) => $body,
            Step::CreateShadowSubscriptions($kind) => $body,
            Step::Relay($kind) => $body,
            Step::VerifyParity($kind) => $body,
            Step::Gate($kind) => $body,
            Step::Snapshot($kind) => $body,
            Step::DeleteSubscription($kind) => $body,
            Step::DeleteTopic($kind) => $body,
        }
    };
}

/// The constants of a step's kind.
fn kind_of<K: StepKind>(_: &K) -> (&'static str, Undo) {
    (K::KIND, K::UNDO)
}

impl Step {
    /// The step's name.
    pub fn name(&self) -> &str {
        with_kind!(self, s => s.name())
    }

    /// The step kind as written in the file.
    pub fn kind(&self) -> &'static str {
        with_kind!(self, s => kind_of(s).0)
    }

    /// How the step is undone.
    pub fn undo(&self) -> Undo {
        with_kind!(self, s => kind_of(s).1)
    }

    /// SHA-256 (hex) over the step's canonical JSON: independent of formatting and key order.
    pub fn checksum(&self) -> String {
        // serde_json's map is ordered by key, so the value's text is canonical.
        let canonical = serde_json::to_value(self)
            .map(|v| v.to_string())
            .unwrap_or_default();
        hex(&Sha256::digest(canonical.as_bytes()))
    }

    /// See [`StepKind::check`].
    pub(crate) fn check(&self, scope: &mut PlanScope<'_>) -> Vec<String> {
        with_kind!(self, s => s.check(scope))
    }

    /// See [`StepKind::observe`].
    pub(crate) async fn observe(
        &self,
        env: &Env<'_>,
        undo: &mut UndoRecord,
    ) -> Result<(), StepError> {
        with_kind!(self, s => s.observe(env, undo).await)
    }

    /// See [`StepKind::act`].
    pub(crate) async fn act(
        &self,
        env: &Env<'_>,
        undo: &UndoRecord,
    ) -> Result<Option<String>, StepError> {
        with_kind!(self, s => s.act(env, undo).await)
    }

    /// What applying this step now would change (read from the live system; nothing changes).
    pub(crate) async fn describe(&self, env: &Env<'_>) -> Result<String, StepError> {
        let mut observed = UndoRecord::default();
        self.observe(env, &mut observed).await?;
        with_kind!(self, s => s.describe(env, &observed).await)
    }
}

/// Whether a topic exists.
async fn topic_exists(env: &Env<'_>, name: &str) -> Result<bool, PubSubError> {
    match env.admin.get_topic(name).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether a subscription exists.
async fn subscription_exists(env: &Env<'_>, name: &str) -> Result<bool, PubSubError> {
    match env.admin.get_subscription(name).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records that the step creates `name`, once.
fn push_unique(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

/// ALREADY_EXISTS is what a create wants.
fn tolerate_exists<T>(result: Result<T, PubSubError>) -> Result<(), PubSubError> {
    match result {
        Err(e) if !e.is_already_exists() => Err(e),
        _ => Ok(()),
    }
}

/// `create {what} `a`, `b`` or `all {what} exist`.
fn created(what: &str, names: &[String]) -> String {
    if names.is_empty() {
        format!("all {what} exist")
    } else {
        format!(
            "create {what} {}",
            names
                .iter()
                .map(|n| format!("`{}`", names::short(n)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
