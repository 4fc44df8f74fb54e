//! Migration plan files (`plans/migrations/*.yaml`): a reviewed, ordered list of named steps.
//!
//! Loading is strict: unknown keys fail with file, line and column (the YAML is read without
//! buffering so positions survive); duplicate step names and bad references are errors that
//! name the step and point at its line. Each step's checksum is taken over a canonical JSON
//! form, so reformatting the file does not change it but any change of meaning does.

use super::flags::Flag;
use crate::pubsub::names;
use crate::yaml::{self, YamlError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A plan as written in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationPlan {
    /// The plan's name; journals and locks are keyed by it.
    pub name: String,
    /// What the plan is for, shown by `plan` and `status`.
    #[serde(default)]
    pub description: String,
    #[serde(with = "crate::yaml::singleton_map")]
    pub steps: Vec<Step>,
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnsureLayout {
    pub name: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub subscriptions: Vec<String>,
}

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
    pub fn flag(&self) -> Result<Flag, String> {
        match (self.flag, &self.consumer) {
            (FlagName::PublishMode, None) => Ok(Flag::PublishMode {
                data_type: self.data_type.clone(),
            }),
            (FlagName::PublishMode, Some(_)) => {
                Err("`consumer` applies only to `read_source`".into())
            }
            (FlagName::ReadSource, Some(consumer)) => Ok(Flag::ReadSource {
                consumer: consumer.clone(),
                data_type: self.data_type.clone(),
            }),
            (FlagName::ReadSource, None) => Err("`read_source` needs `consumer`".into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShadowSubscriptions {
    pub name: String,
    pub legacy_topic: String,
    pub new_topic: String,
    /// Subscription on the legacy topic.
    pub legacy_subscription: String,
    /// Subscription on the new topic.
    pub new_subscription: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relay {
    pub name: String,
    /// Subscription to drain.
    pub from: String,
    /// Topic to publish to.
    pub to: String,
    #[serde(default = "default_relay_max")]
    pub max_messages: usize,
    #[serde(default = "default_idle", with = "crate::duration")]
    pub idle_timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyParity {
    pub name: String,
    pub legacy_subscription: String,
    pub new_subscription: String,
    /// Stop after this many messages per side.
    #[serde(default = "default_parity_max")]
    pub max_messages: usize,
    /// Stop a side once nothing arrives for this long.
    #[serde(default = "default_idle", with = "crate::duration")]
    pub idle_timeout: Duration,
    /// Fewer messages than this on the legacy side proves nothing: the step fails.
    #[serde(default = "default_parity_min")]
    pub min_messages: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub name: String,
    /// What the approver must check.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub name: String,
    pub subscription: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteSubscription {
    pub name: String,
    pub subscription: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteTopic {
    pub name: String,
    pub topic: String,
}

fn default_relay_max() -> usize {
    100_000
}

fn default_parity_max() -> usize {
    10_000
}

fn default_parity_min() -> usize {
    1
}

fn default_idle() -> Duration {
    Duration::from_secs(5)
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

impl Step {
    /// The step's name.
    pub fn name(&self) -> &str {
        match self {
            Step::EnsureLayout(s) => &s.name,
            Step::SetFlag(s) => &s.name,
            Step::CreateShadowSubscriptions(s) => &s.name,
            Step::Relay(s) => &s.name,
            Step::VerifyParity(s) => &s.name,
            Step::Gate(s) => &s.name,
            Step::Snapshot(s) => &s.name,
            Step::DeleteSubscription(s) => &s.name,
            Step::DeleteTopic(s) => &s.name,
        }
    }

    /// The step kind as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::EnsureLayout(_) => "ensure_layout",
            Step::SetFlag(_) => "set_flag",
            Step::CreateShadowSubscriptions(_) => "create_shadow_subscriptions",
            Step::Relay(_) => "relay",
            Step::VerifyParity(_) => "verify_parity",
            Step::Gate(_) => "gate",
            Step::Snapshot(_) => "snapshot",
            Step::DeleteSubscription(_) => "delete_subscription",
            Step::DeleteTopic(_) => "delete_topic",
        }
    }

    /// How the step is undone.
    pub fn undo(&self) -> Undo {
        match self {
            Step::EnsureLayout(_)
            | Step::SetFlag(_)
            | Step::CreateShadowSubscriptions(_)
            | Step::Snapshot(_) => Undo::Reversible,
            Step::Relay(_) | Step::VerifyParity(_) | Step::Gate(_) => Undo::NothingToUndo,
            Step::DeleteSubscription(_) | Step::DeleteTopic(_) => Undo::Irreversible,
        }
    }

    /// SHA-256 (hex) over the step's canonical JSON: independent of formatting and key order.
    pub fn checksum(&self) -> String {
        // serde_json's map is ordered by key, so the value's text is canonical.
        let canonical = serde_json::to_value(self)
            .map(|v| v.to_string())
            .unwrap_or_default();
        hex(&Sha256::digest(canonical.as_bytes()))
    }
}

impl MigrationPlan {
    /// Checksum over the plan name and every step's checksum, in order.
    pub fn checksum(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.name.as_bytes());
        for step in &self.steps {
            hasher.update(b"\n");
            hasher.update(step.checksum().as_bytes());
        }
        hex(&hasher.finalize())
    }

    /// The index of the step named `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.name() == name)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a plan could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read plan `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid plan {0}")]
    Parse(YamlError),
    #[error("invalid plan {}", problems.join("; "))]
    Invalid { problems: Vec<String> },
}

/// Names the layout declares, used to check `ensure_layout` references.
#[derive(Debug, Clone, Default)]
pub struct KnownResources {
    pub topics: BTreeSet<String>,
    pub subscriptions: BTreeSet<String>,
}

/// Reads and checks a plan file. `known` lists what the layout declares.
pub fn load(path: &Path, known: &KnownResources) -> Result<MigrationPlan, PlanError> {
    let text = std::fs::read_to_string(path).map_err(|source| PlanError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path, known)
}

/// Parses and checks plan text read from `path`.
pub fn parse(text: &str, path: &Path, known: &KnownResources) -> Result<MigrationPlan, PlanError> {
    let plan: MigrationPlan = yaml::parse(text, path).map_err(PlanError::Parse)?;
    let problems = check(&plan, known);
    if problems.is_empty() {
        return Ok(plan);
    }
    let located = problems
        .into_iter()
        .map(|(needle, message)| match locate(text, &needle) {
            Some((line, column)) => format!("`{}`:{line}:{column}: {message}", path.display()),
            None => format!("`{}`: {message}", path.display()),
        })
        .collect();
    Err(PlanError::Invalid { problems: located })
}

/// Line and column (1-based) of the first `needle` in `text`.
fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    let offset = text.find(needle)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Some((line, column))
}

/// Every problem as (text to point at, message).
fn check(plan: &MigrationPlan, known: &KnownResources) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if plan.steps.is_empty() {
        problems.push(("steps:".into(), "a plan needs at least one step".into()));
    }
    let mut seen = BTreeSet::new();
    // Subscriptions that exist by the time a step runs: the layout's, plus shadows created earlier.
    let mut available_subscriptions = known.subscriptions.clone();
    for step in &plan.steps {
        let name = step.name();
        let at = format!("name: {name}");
        if !seen.insert(name.to_string()) {
            problems.push((at.clone(), format!("duplicate step name `{name}`")));
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problems.push((
                at.clone(),
                format!("step name `{name}` must be letters, digits, `-` or `_`"),
            ));
        }
        let mut id = |kind: &str, id: &str| {
            if let Err(message) = names::validate_id(id) {
                problems.push((at.clone(), format!("step `{name}`: {kind} {message}")));
            }
        };
        match step {
            Step::EnsureLayout(s) => {
                if s.topics.is_empty() && s.subscriptions.is_empty() {
                    problems.push((
                        at.clone(),
                        format!("step `{name}`: names no topics or subscriptions"),
                    ));
                }
                for topic in &s.topics {
                    if !known.topics.contains(topic) {
                        problems.push((
                            at.clone(),
                            format!("step `{name}`: topic `{topic}` is not declared in the layout"),
                        ));
                    }
                }
                for sub in &s.subscriptions {
                    if !known.subscriptions.contains(sub) {
                        problems.push((
                            at.clone(),
                            format!(
                                "step `{name}`: subscription `{sub}` is not declared in the layout"
                            ),
                        ));
                    }
                }
            }
            Step::SetFlag(s)
                if crate::model::catalog::DataType::from_doc_type(&s.data_type).is_none() =>
            {
                problems.push((
                    at.clone(),
                    format!("step `{name}`: unknown data type `{}`", s.data_type),
                ));
            }
            Step::SetFlag(s) => match s.flag() {
                Ok(flag) => {
                    if let Err(message) = flag.check_value(&s.value) {
                        problems.push((at.clone(), format!("step `{name}`: {message}")));
                    }
                }
                Err(message) => problems.push((at.clone(), format!("step `{name}`: {message}"))),
            },
            Step::CreateShadowSubscriptions(s) => {
                for (kind, value) in [
                    ("topic", &s.legacy_topic),
                    ("topic", &s.new_topic),
                    ("subscription", &s.legacy_subscription),
                    ("subscription", &s.new_subscription),
                ] {
                    id(kind, value);
                }
                available_subscriptions.insert(s.legacy_subscription.clone());
                available_subscriptions.insert(s.new_subscription.clone());
            }
            Step::Relay(s) => {
                id("topic", &s.to);
                if !available_subscriptions.contains(&s.from) {
                    problems.push((at.clone(), format!("step `{name}`: subscription `{}` is neither in the layout nor created by an earlier step", s.from)));
                }
                if s.max_messages == 0 {
                    problems.push((
                        at.clone(),
                        format!("step `{name}`: `max_messages` must be at least 1"),
                    ));
                }
            }
            Step::VerifyParity(s) => {
                for sub in [&s.legacy_subscription, &s.new_subscription] {
                    if !available_subscriptions.contains(sub) {
                        problems.push((at.clone(), format!("step `{name}`: subscription `{sub}` is neither in the layout nor created by an earlier step")));
                    }
                }
                if s.max_messages == 0 {
                    problems.push((
                        at.clone(),
                        format!("step `{name}`: `max_messages` must be at least 1"),
                    ));
                }
            }
            Step::Gate(_) => {}
            Step::Snapshot(s) => id("subscription", &s.subscription),
            Step::DeleteSubscription(s) => id("subscription", &s.subscription),
            Step::DeleteTopic(s) => id("topic", &s.topic),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownResources {
        KnownResources {
            topics: ["emails".to_string(), "email-backfill".to_string()].into(),
            subscriptions: [
                "vespa-loader-emails".to_string(),
                "vespa-loader-email-backfill".to_string(),
            ]
            .into(),
        }
    }

    const PLAN: &str = "\
name: emails
description: move email events to `emails`
steps:
  - ensure_layout:
      name: new-topic
      topics: [emails]
      subscriptions: [vespa-loader-emails]
  - create_shadow_subscriptions:
      name: shadows
      legacy_topic: email-backfill
      new_topic: emails
      legacy_subscription: parity-email-backfill
      new_subscription: parity-emails
  - set_flag:
      name: dual-publish
      flag: publish_mode
      data_type: email
      value: dual
  - verify_parity:
      name: parity
      legacy_subscription: parity-email-backfill
      new_subscription: parity-emails
      idle_timeout: 3s
  - gate:
      name: approve
      message: parity passed
  - delete_subscription:
      name: drop-legacy
      subscription: vespa-loader-email-backfill
";

    fn parse_text(text: &str) -> Result<MigrationPlan, PlanError> {
        parse(text, Path::new("plans/migrations/emails.yaml"), &known())
    }

    #[test]
    fn a_good_plan_loads_with_undo_kinds() {
        let plan = parse_text(PLAN).unwrap();
        assert_eq!(plan.steps.len(), 6);
        assert_eq!(plan.steps[2].undo(), Undo::Reversible);
        assert_eq!(plan.steps[4].undo(), Undo::NothingToUndo);
        assert_eq!(plan.steps[5].undo(), Undo::Irreversible);
        assert_eq!(plan.position("parity"), Some(3));
    }

    #[test]
    fn checksums_ignore_formatting_but_not_meaning() {
        let plan = parse_text(PLAN).unwrap();
        let reformatted = PLAN.replace("topics: [emails]", "topics:\n        - emails");
        assert_eq!(
            parse_text(&reformatted).unwrap().checksum(),
            plan.checksum()
        );
        let changed = PLAN.replace("value: dual", "value: new");
        let changed = parse_text(&changed).unwrap();
        assert_ne!(changed.checksum(), plan.checksum());
        assert_eq!(changed.steps[0].checksum(), plan.steps[0].checksum());
        assert_ne!(changed.steps[2].checksum(), plan.steps[2].checksum());
    }

    #[test]
    fn unknown_keys_fail_with_line_and_column() {
        let err = parse_text(&PLAN.replace("      value: dual", "      valeu: dual")).unwrap_err();
        let PlanError::Parse(yaml) = &err else {
            panic!("{err}")
        };
        assert_eq!(yaml.line, Some(18));
        assert!(err.to_string().contains("unknown field `valeu`"), "{err}");
        let err = parse_text(&PLAN.replace("  - gate:", "  - wait:")).unwrap_err();
        assert!(err.to_string().contains("unknown variant `wait`"), "{err}");
    }

    #[test]
    fn duplicate_names_and_bad_references_name_the_step_and_line() {
        let err = parse_text(&PLAN.replace("name: approve", "name: parity"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("duplicate step name `parity`"), "{err}");
        assert!(err.contains("emails.yaml`:20:"), "{err}");

        let err = parse_text(&PLAN.replace(
            "subscriptions: [vespa-loader-emails]",
            "subscriptions: [nope-sub]",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("subscription `nope-sub` is not declared in the layout"),
            "{err}"
        );
        assert!(err.contains("emails.yaml`:5:"), "{err}");

        let err = parse_text(&PLAN.replace(
            "new_subscription: parity-emails\n      idle",
            "new_subscription: parity-x\n      idle",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains(
                "subscription `parity-x` is neither in the layout nor created by an earlier step"
            ),
            "{err}"
        );

        let err = parse_text(&PLAN.replace("value: dual", "value: both"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("step `dual-publish`: unknown publish mode `both`"),
            "{err}"
        );
    }
}
