//! Topology as code: the declared topics and subscriptions (`plans/topology.yaml`), how they
//! differ from the live project, and how to make the project match.
//!
//! - [`layout`]: strict loading (unknown keys, bounds and names fail with file:line:column;
//!   references and lost dead letters fail naming the resource), `defaults`, and environment
//!   overlays (`plans/topology.<env>.yaml`).
//! - [`plan`]: reads the live state with list calls and diffs it field by field.
//! - [`apply`]: the executor: topics before subscriptions, bounded parallelism, idempotent steps,
//!   partial failure reported per step.
//!
//! See `docs/topology.md` for the file format and the commands built on this.

pub mod apply;
mod fields;
pub mod layout;
mod outcome;
pub mod plan;

#[cfg(test)]
mod tests;

pub use apply::{ApplyError, ApplyOptions, ApplyProgress, ApplyReport, NoProgress, Outcome, apply};
pub use layout::{Layout, LayoutError};
pub use outcome::{ChangesPresent, Drifted, Incomplete};
pub use plan::{Action, Drift, Kind, LiveState, Plan, plan};

use crate::pubsub::{SubscriptionConfig, TopicConfig, names};
use crate::report::{Report, Table};
use serde::Serialize;

/// The result of `verify`: every drift between the layout and the live project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub project: String,
    pub layout: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    pub in_sync: bool,
    /// Topics and subscriptions compared.
    pub checked: usize,
    pub drifts: Vec<Drift>,
}

impl VerifyReport {
    /// Verifies `plan` (made without `prune`); `ignore_undeclared` leaves out live resources the
    /// layout does not declare.
    pub fn from_plan(plan: &Plan, ignore_undeclared: bool) -> Self {
        let drifts: Vec<Drift> = plan
            .drifts()
            .into_iter()
            .filter(|d| !(ignore_undeclared && d.field == "exists" && d.declared == "false"))
            .collect();
        Self {
            project: plan.project.clone(),
            layout: plan.layout.clone(),
            environment: plan.environment.clone(),
            in_sync: drifts.is_empty(),
            checked: plan
                .steps
                .iter()
                .filter(|s| s.action != Action::Undeclared && s.action != Action::Delete)
                .count(),
            drifts,
        }
    }
}

impl Report for VerifyReport {
    fn tables(&self) -> Vec<Table> {
        let title = if self.in_sync {
            format!(
                "In sync: {} topics and subscriptions in project `{}` match `{}`",
                self.checked, self.project, self.layout
            )
        } else {
            format!(
                "Drift: {} differences between project `{}` and `{}`",
                self.drifts.len(),
                self.project,
                self.layout
            )
        };
        if self.drifts.is_empty() {
            return vec![Table::new(Vec::<String>::new()).titled(title)];
        }
        let mut table = Table::new(["kind", "resource", "field", "declared", "live"]).titled(title);
        for drift in &self.drifts {
            let mut field = drift.field.clone();
            if drift.replace_required {
                field.push_str(" (replace required)");
            }
            table.push([
                drift.kind.to_string(),
                drift.resource.clone(),
                field,
                drift.declared.clone(),
                drift.live.clone(),
            ]);
        }
        vec![table]
    }
}

/// Every live topic and subscription of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListReport {
    pub project: String,
    pub topics: Vec<TopicConfig>,
    pub subscriptions: Vec<SubscriptionConfig>,
}

impl ListReport {
    /// From a live state.
    pub fn new(project: &str, live: LiveState) -> Self {
        Self {
            project: project.to_string(),
            topics: live.topics.into_values().collect(),
            subscriptions: live.subscriptions.into_values().collect(),
        }
    }
}

fn labels_text(labels: &std::collections::BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

impl Report for ListReport {
    fn tables(&self) -> Vec<Table> {
        let short = |name: &str| -> String {
            if names::project_of(name) == Some(self.project.as_str()) {
                names::short(name).to_string()
            } else {
                name.to_string()
            }
        };
        let mut topics = Table::new(["topic", "retention", "labels"]).titled(format!(
            "{} topics in project `{}`",
            self.topics.len(),
            self.project
        ));
        for topic in &self.topics {
            topics.push([
                short(&topic.name),
                topic
                    .message_retention
                    .map(crate::duration::format)
                    .unwrap_or_default(),
                labels_text(&topic.labels),
            ]);
        }
        let mut subs = Table::new([
            "subscription",
            "topic",
            "ack deadline",
            "dead letter",
            "filter",
            "labels",
        ])
        .titled(format!(
            "{} subscriptions in project `{}`",
            self.subscriptions.len(),
            self.project
        ));
        for sub in &self.subscriptions {
            subs.push([
                short(&sub.name),
                short(&sub.topic),
                format!("{}s", sub.ack_deadline_seconds),
                sub.dead_letter_policy
                    .as_ref()
                    .map(|d| format!("{} ({} attempts)", short(&d.topic), d.max_delivery_attempts))
                    .unwrap_or_default(),
                sub.filter.clone(),
                labels_text(&sub.labels),
            ]);
        }
        vec![topics, subs]
    }
}
