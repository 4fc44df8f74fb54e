//! `set_flag`: sets a migration flag in Redis (`publish_mode` or `read_source`); rollback
//! restores the value it had before the first attempt, or removes the flag.

use super::{PlanScope, StepError, StepKind, Undo};
use crate::migrate::env::Env;
use crate::migrate::flags::{Flag, FlagError};
use crate::migrate::undo::{FlagBefore, UndoRecord};
use crate::model::catalog::DataType;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Which flag family a `set_flag` step changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagName {
    PublishMode,
    ReadSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetFlag {
    pub name: String,
    pub flag: FlagName,
    /// Doc type, e.g. `email`.
    pub data_type: String,
    /// Required for `read_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer: Option<String>,
    pub value: String,
}

impl SetFlag {
    /// The flag this step sets, or why the step is malformed.
    pub fn flag(&self) -> Result<Flag, FlagError> {
        match (self.flag, &self.consumer) {
            (FlagName::PublishMode, None) => Ok(Flag::PublishMode {
                data_type: self.data_type.clone(),
            }),
            (FlagName::PublishMode, Some(_)) => Err(FlagError::ConsumerWithoutReadSource),
            (FlagName::ReadSource, Some(consumer)) => Ok(Flag::ReadSource {
                consumer: consumer.clone(),
                data_type: self.data_type.clone(),
            }),
            (FlagName::ReadSource, None) => Err(FlagError::ReadSourceWithoutConsumer),
        }
    }
}

/// The value a journal shows for a flag that was not set.
const UNSET: &str = "(unset)";

#[async_trait]
impl StepKind for SetFlag {
    const KIND: &'static str = "set_flag";
    const UNDO: Undo = Undo::Reversible;

    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _scope: &mut PlanScope<'_>) -> Vec<String> {
        let name = &self.name;
        if DataType::from_doc_type(&self.data_type).is_none() {
            return vec![format!(
                "step `{name}`: unknown data type `{}`",
                self.data_type
            )];
        }
        let checked = self.flag().and_then(|flag| flag.check_value(&self.value));
        match checked {
            Ok(()) => Vec::new(),
            Err(err) => vec![format!("step `{name}`: {err}")],
        }
    }

    async fn observe(&self, env: &Env<'_>, undo: &mut UndoRecord) -> Result<(), StepError> {
        let flag = self.flag()?;
        // Only the first attempt knows the real previous value.
        if undo.flag.is_none() {
            let key = flag.key();
            let previous = env.store.get(&key).await?;
            undo.flag = Some(FlagBefore { key, previous });
        }
        Ok(())
    }

    async fn act(&self, env: &Env<'_>, undo: &UndoRecord) -> Result<Option<String>, StepError> {
        let key = self.flag()?.key();
        env.store.set(&key, &self.value).await?;
        let read = env.store.get(&key).await?;
        if read.as_deref() != Some(self.value.as_str()) {
            return Err(StepError::FlagReadBack {
                key,
                read,
                value: self.value.clone(),
            });
        }
        let previous = undo
            .flag
            .as_ref()
            .and_then(|f| f.previous.as_deref())
            .unwrap_or(UNSET);
        Ok(Some(format!("`{key}`: {previous} → {}", self.value)))
    }

    async fn describe(&self, _env: &Env<'_>, observed: &UndoRecord) -> Result<String, StepError> {
        let current = observed
            .flag
            .as_ref()
            .and_then(|f| f.previous.as_deref())
            .unwrap_or(UNSET);
        Ok(format!(
            "`{}`: {current} → {}",
            self.flag()?.key(),
            self.value
        ))
    }
}
