//! What a step records before it acts, so that a crashed run keeps its intent and rollback can
//! undo exactly what the step changed. Stored in the journal (its JSON shape is part of it).

use serde::{Deserialize, Serialize};

/// What rollback needs to undo a step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoRecord {
    /// The flag key and its value before the step (`None`: it was unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<FlagBefore>,
    /// Full names of topics the step created (absent before it ran).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created_topics: Vec<String>,
    /// Full names of subscriptions the step created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created_subscriptions: Vec<String>,
    /// Full name of a snapshot the step created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_snapshot: Option<String>,
}

/// A flag's value before a step changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagBefore {
    pub key: String,
    pub previous: Option<String>,
}
