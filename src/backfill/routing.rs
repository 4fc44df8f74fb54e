//! Where a backfill's batches go: one topic the operator chose, or wherever the migration's
//! publish-mode flag for e-mail says, followed live.
//!
//! The flag (`office:flags:publish_mode:email`) is re-read every [`ModeFollower::refresh`], so
//! a backfill that runs while `migrate apply` moves to dual publishing follows it within
//! seconds, as `events publish` and the consumers do. Each batch is routed under one mode: in
//! `dual` both copies are published before its checkpoint is written.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::migrate::flags::PublishMode;
use crate::migrate::publish;
use crate::model::catalog::DataType;
use crate::model::store::{KeyValueStore, StoreError};

/// How a run picks its topics.
#[derive(Clone)]
pub enum Routing {
    /// Every batch to this topic (full name), whatever the flags say (`--topic`).
    Topic(String),
    /// The e-mail publish mode decides: `emails`, `email-backfill` or both, in `project`.
    PublishMode {
        project: String,
        flags: Arc<dyn KeyValueStore>,
        refresh: Duration,
    },
}

impl std::fmt::Debug for Routing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Routing::Topic(topic) => f.debug_tuple("Topic").field(topic).finish(),
            Routing::PublishMode {
                project, refresh, ..
            } => f
                .debug_struct("PublishMode")
                .field("project", project)
                .field("refresh", refresh)
                .finish_non_exhaustive(),
        }
    }
}

/// The publish mode as last read, re-read once it is older than `refresh`.
pub(crate) struct ModeFollower {
    flags: Arc<dyn KeyValueStore>,
    refresh: Duration,
    last: Option<(Instant, PublishMode)>,
    /// Every mode used, in the order first seen (for the report).
    pub(crate) seen: Vec<PublishMode>,
}

/// The flag could not be read: the run stops rather than guess where to publish.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the publish-mode flag `{key}`")]
pub struct FlagError {
    pub key: String,
    #[source]
    pub source: StoreError,
}

impl ModeFollower {
    pub(crate) fn new(flags: Arc<dyn KeyValueStore>, refresh: Duration) -> ModeFollower {
        ModeFollower {
            flags,
            refresh,
            last: None,
            seen: Vec::new(),
        }
    }

    /// The mode to route the next batch under.
    pub(crate) async fn current(&mut self) -> Result<PublishMode, FlagError> {
        if let Some((at, mode)) = self.last
            && at.elapsed() < self.refresh
        {
            return Ok(mode);
        }
        let mode = publish::read_mode(self.flags.as_ref(), DataType::Email)
            .await
            .map_err(|source| FlagError {
                key: publish::mode_flag(DataType::Email).key(),
                source,
            })?;
        self.last = Some((Instant::now(), mode));
        if !self.seen.contains(&mode) {
            self.seen.push(mode);
        }
        Ok(mode)
    }
}
