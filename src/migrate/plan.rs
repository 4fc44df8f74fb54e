//! Migration plan files (`plans/migrations/*.yaml`): a reviewed, ordered list of named steps.
//!
//! Loading is strict: unknown keys fail with file, line and column (the YAML is read without
//! buffering so positions survive); duplicate step names and bad references are errors that
//! name the step and point at its line. Each step's checksum is taken over a canonical JSON
//! form, so reformatting the file does not change it but any change of meaning does.

use super::steps::PlanScope;
pub use super::steps::{Step, Undo};
use crate::model::legacy::hex;
use crate::topics::Layout;
use crate::yaml::{self, YamlError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
    /// Where `migrate drill` may run this plan (not part of the checksum: a drill changes
    /// nothing the plan does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill: Option<DrillSection>,
}

/// A plan file's `drill:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillSection {
    /// Projects `migrate drill` may run this plan in (besides `--allow-project`).
    #[serde(default)]
    pub projects: Vec<String>,
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

impl KnownResources {
    /// Everything `layout` declares.
    pub fn of(layout: &Layout) -> KnownResources {
        KnownResources {
            topics: layout.topics.keys().cloned().collect(),
            subscriptions: layout.subscriptions.keys().cloned().collect(),
        }
    }
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
    let mut scope = PlanScope {
        declared_topics: &known.topics,
        declared_subscriptions: &known.subscriptions,
        available_subscriptions: known.subscriptions.clone(),
    };
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
        for message in step.check(&mut scope) {
            problems.push((at.clone(), message));
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
    fn each_step_kind_is_the_key_it_is_written_under() {
        let plan = parse_text(PLAN).unwrap();
        for step in &plan.steps {
            let value = serde_json::to_value(step).unwrap();
            let key = value.as_object().unwrap().keys().next().unwrap().clone();
            assert_eq!(step.kind(), key);
        }
    }

    /// Journals record these checksums: a change here makes every applied step look changed.
    #[test]
    fn checksums_are_sha256_over_the_canonical_json() {
        let step = |value: serde_json::Value| serde_json::from_value::<Step>(value).unwrap();
        let parity = step(serde_json::json!({"verify_parity": {
            "name": "parity", "legacy_subscription": "a", "new_subscription": "b"
        }}));
        let flag = step(serde_json::json!({"set_flag": {
            "name": "read-new", "flag": "read_source", "data_type": "email",
            "consumer": "vespa-loader", "value": "new"
        }}));
        assert_eq!(
            parity.checksum(),
            "86c4d5fd323b14d0fe88bc7995b15e9374c6a98e1e514845b5c564b90894bb27"
        );
        assert_eq!(
            flag.checksum(),
            "24abbbdc385b12e4342653e83057b20810cef3b48141ce2d5964ad20e25039dc"
        );
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
