//! `migrate drill`: a game day for a migration plan. The plan runs step by step against a
//! throwaway copy of the platform (a [`crate::namespace`]) while synthetic traffic flows through
//! the shared publisher and the real loader indexes it; then every published event is looked
//! for in Vespa.
//!
//! The pieces here are the parts without processes: which plan may be drilled where
//! ([`check_project`]), what the plan moves ([`Subject`]), the traffic ([`producer`]), the
//! loader's bookkeeping ([`ledger`]), the throwaway resources ([`world`]) and the verdict
//! ([`outcome`]). The binary runs the loader and each `migrate apply` as child processes in the
//! namespace, so `--chaos` can kill them for real.

pub mod dice;
pub mod ledger;
pub mod outcome;
pub mod producer;
pub mod world;

use super::plan::MigrationPlan;
use super::steps::FlagName;
use super::steps::Step;
use crate::model::catalog::DataType;

/// Why a drill cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    #[error(
        "project `{project}` is not one a drill of plan `{plan}` may run in (allowed: {}); name it in the plan's `drill.projects` or pass `--allow-project {project}`",
        if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") }
    )]
    ProjectNotAllowed {
        plan: String,
        project: String,
        allowed: Vec<String>,
    },
    #[error("plan `{0}` sets no `publish_mode` flag: there is no data type to drill")]
    NoDataType(String),
    #[error("plan `{plan}` moves `{data_type}`, which a drill cannot produce")]
    NotProduced { plan: String, data_type: String },
    #[error("plan `{plan}` has no step `{step}`")]
    NoSuchStep { plan: String, step: String },
    #[error(
        "`--rollback-at {step}`: rollback cannot cross the irreversible step `{irreversible}` that comes before or at it"
    )]
    RollbackPastIrreversible { step: String, irreversible: String },
}

/// Refuses a project that neither the plan's `drill.projects` nor `allowed` names, so nobody
/// drills production by accident.
pub fn check_project(
    plan: &MigrationPlan,
    project: &str,
    allowed: &[String],
) -> Result<(), DrillError> {
    let mut names: Vec<String> = plan
        .drill
        .as_ref()
        .map(|d| d.projects.clone())
        .unwrap_or_default();
    names.extend(allowed.iter().cloned());
    if names.iter().any(|p| p == project) {
        Ok(())
    } else {
        Err(DrillError::ProjectNotAllowed {
            plan: plan.name.clone(),
            project: project.to_string(),
            allowed: names,
        })
    }
}

/// What a plan moves: the data type whose publish mode it sets, and the consumers whose read
/// flag it moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub data_type: DataType,
    pub consumers: Vec<String>,
}

impl Subject {
    /// Reads the plan's `set_flag` steps.
    pub fn of(plan: &MigrationPlan) -> Result<Subject, DrillError> {
        let mut data_type = None;
        let mut consumers = Vec::new();
        for step in &plan.steps {
            let Step::SetFlag(flag) = step else { continue };
            match flag.flag {
                FlagName::PublishMode if data_type.is_none() => {
                    data_type = Some(flag.data_type.clone());
                }
                FlagName::ReadSource => {
                    if let Some(consumer) = &flag.consumer
                        && !consumers.contains(consumer)
                    {
                        consumers.push(consumer.clone());
                    }
                }
                _ => {}
            }
        }
        let name = data_type.ok_or_else(|| DrillError::NoDataType(plan.name.clone()))?;
        let data_type = DataType::from_doc_type(&name)
            .filter(|t| producer::PRODUCED.contains(t))
            .ok_or_else(|| DrillError::NotProduced {
                plan: plan.name.clone(),
                data_type: name,
            })?;
        Ok(Subject {
            data_type,
            consumers,
        })
    }
}

/// Checks `--rollback-at`: the step exists, and no irreversible step comes at or before it
/// (rollback stops at one).
pub fn check_rollback_at(plan: &MigrationPlan, step: &str) -> Result<usize, DrillError> {
    let position = plan.position(step).ok_or_else(|| DrillError::NoSuchStep {
        plan: plan.name.clone(),
        step: step.to_string(),
    })?;
    if let Some(irreversible) = plan.steps[..=position]
        .iter()
        .find(|s| s.undo() == super::steps::Undo::Irreversible)
    {
        return Err(DrillError::RollbackPastIrreversible {
            step: step.to_string(),
            irreversible: irreversible.name().to_string(),
        });
    }
    Ok(position)
}

/// A name for a drill's namespace from its seed: `drill-` and 8 hex digits.
pub fn namespace_for(seed: u64) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(seed.to_be_bytes());
    format!(
        "drill-{:08x}",
        u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::plan::{self, KnownResources};
    use crate::topics::Layout;
    use std::path::Path;

    fn emails_plan() -> MigrationPlan {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let layout = Layout::load(&root.join("plans/topology.yaml"), None).unwrap();
        plan::load(
            &root.join("plans/migrations/emails.yaml"),
            &KnownResources::of(&layout),
        )
        .unwrap()
    }

    #[test]
    fn only_named_projects_are_drilled() {
        let plan = emails_plan();
        assert!(check_project(&plan, "local-project", &[]).is_ok());
        let err = check_project(&plan, "office-prod", &["office-staging".into()]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("`office-prod`") && text.contains("office-staging"),
            "{text}"
        );
        assert!(check_project(&plan, "office-prod", &["office-prod".into()]).is_ok());
    }

    #[test]
    fn subject_and_rollback_point_come_from_the_steps() {
        let plan = emails_plan();
        let subject = Subject::of(&plan).unwrap();
        assert_eq!(subject.data_type, DataType::Email);
        assert_eq!(subject.consumers, ["vespa-loader"]);
        assert!(check_rollback_at(&plan, "read-new").is_ok());
        let err = check_rollback_at(&plan, "delete-legacy-subscription").unwrap_err();
        assert!(err.to_string().contains("irreversible"), "{err}");
        assert!(check_rollback_at(&plan, "nope").is_err());
    }

    #[test]
    fn namespaces_are_valid_and_follow_the_seed() {
        let ns = namespace_for(7);
        assert!(crate::namespace::validate(&ns).is_ok(), "{ns}");
        assert_eq!(ns, namespace_for(7));
        assert_ne!(ns, namespace_for(8));
    }
}
