//! `snapshot`: snapshots a subscription before it is retired, where the server has snapshots
//! (pstest has none: the step notes that it skipped); rollback deletes the snapshot.

use super::{PlanScope, StepError, StepKind, Undo};
use crate::migrate::env::Env;
use crate::migrate::undo::UndoRecord;
use crate::pubsub::{ErrorKind, names};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub name: String,
    pub subscription: String,
}

#[async_trait]
impl StepKind for Snapshot {
    const KIND: &'static str = "snapshot";
    const UNDO: Undo = Undo::Reversible;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _scope: &mut PlanScope<'_>) -> Vec<String> {
        PlanScope::id_problem(&self.name, "subscription", &self.subscription)
            .into_iter()
            .collect()
    }

    async fn observe(&self, env: &Env<'_>, undo: &mut UndoRecord) -> Result<(), StepError> {
        if undo.created_snapshot.is_none() {
            undo.created_snapshot = Some(names::snapshot(
                env.project,
                &format!("{}-{}", self.subscription, self.name),
            ));
        }
        Ok(())
    }

    async fn act(&self, env: &Env<'_>, undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let name = undo.created_snapshot.clone().unwrap_or_default();
        let subscription = names::subscription(env.project, &self.subscription);
        match env.admin.create_snapshot(&name, &subscription).await {
            Ok(()) => Ok(Some(format!("snapshot `{name}`"))),
            Err(e) if e.is_already_exists() => {
                Ok(Some(format!("snapshot `{name}` (already there)")))
            }
            Err(e) if e.kind == ErrorKind::Unimplemented => Ok(Some(
                "skipped: the server does not support snapshots".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    async fn describe(&self, _env: &Env<'_>, _observed: &UndoRecord) -> Result<String, StepError> {
        Ok(format!("snapshot `{}`", self.subscription))
    }
}
