//! Live state versus the declared layout: what to create, update (field by field), replace,
//! leave alone, or prune.
//!
//! The live state is read with two list calls (every page of topics and of subscriptions), never
//! one get per resource. Only what the layout declares is compared (see [`super::layout`]), so
//! defaults a server fills in (ack deadline 10 s, retention 7 d, the expiration policy) do not
//! show up as drift.

use super::layout::{ExpirationSpec, Layout, SubscriptionSpec, TopicSpec};
use crate::pubsub::{
    Admin, ExpirationPolicy, PubSubError, RetryPolicy, SubscriptionConfig, TopicConfig, names,
};
use crate::report::{Report, Table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Topics and subscriptions that exist in a project, keyed by short id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveState {
    pub topics: BTreeMap<String, TopicConfig>,
    pub subscriptions: BTreeMap<String, SubscriptionConfig>,
}

impl LiveState {
    /// Lists every topic and subscription of `project` (two paged list calls, concurrently).
    pub async fn read(admin: &dyn Admin, project: &str) -> Result<LiveState, PubSubError> {
        let (topics, subscriptions) = futures::try_join!(
            admin.list_topics(project),
            admin.list_subscriptions(project)
        )?;
        Ok(LiveState {
            topics: topics
                .into_iter()
                .filter(|t| names::in_namespace(&t.name))
                .map(|t| (names::short(&t.name).to_string(), t))
                .collect(),
            subscriptions: subscriptions
                .into_iter()
                .filter(|s| names::in_namespace(&s.name))
                .map(|s| (names::short(&s.name).to_string(), s))
                .collect(),
        })
    }
}

/// Topic or subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Topic,
    Subscription,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Topic => "topic",
            Kind::Subscription => "subscription",
        })
    }
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Declared, missing live.
    Create,
    /// Declared and live, some fields differ and all can change in place.
    Update,
    /// Some field Pub/Sub cannot change in place differs: delete and create again (drops the
    /// backlog). Needs `--allow-replace`.
    Replace,
    /// Live but undeclared, and `--prune` was given.
    Delete,
    /// Declared and live, nothing differs.
    Unchanged,
    /// Live but undeclared; kept because `--prune` was not given.
    Undeclared,
}

impl Action {
    /// Whether apply would call Pub/Sub for this step.
    pub fn changes_something(self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update | Action::Replace | Action::Delete
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Unchanged => "unchanged",
            Action::Undeclared => "undeclared",
        })
    }
}

/// One field that differs: its layout name, the declared and the live value as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub declared: String,
    pub live: String,
    /// Pub/Sub cannot change this field in place.
    pub replace_required: bool,
}

impl FieldChange {
    /// The update-mask path for this field, when it can change in place.
    pub fn update_mask(&self, kind: Kind) -> Option<&'static str> {
        if self.replace_required {
            return None;
        }
        Some(match (kind, self.field) {
            (_, "labels") => "labels",
            (_, "retention") => "message_retention_duration",
            (Kind::Subscription, "ack_deadline") => "ack_deadline_seconds",
            (Kind::Subscription, "retain_acked") => "retain_acked_messages",
            (Kind::Subscription, "dead_letter") => "dead_letter_policy",
            (Kind::Subscription, "retry") => "retry_policy",
            (Kind::Subscription, "expiration") => "expiration_policy",
            // Updatable in place on real Pub/Sub (UpdateSubscription mask path).
            (Kind::Subscription, "exactly_once") => "enable_exactly_once_delivery",
            _ => return None,
        })
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} → {}", self.field, self.live, self.declared)?;
        if self.replace_required {
            f.write_str(" (replace required)")?;
        }
        Ok(())
    }
}

/// The declared spec a step works towards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Topic(TopicSpec),
    Subscription(SubscriptionSpec),
}

/// One resource in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: Kind,
    /// Short id.
    pub name: String,
    pub action: Action,
    pub legacy: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// What to create or update towards; `None` for undeclared resources.
    #[serde(skip)]
    pub spec: Option<Spec>,
}

impl Step {
    /// `subscription `vespa-loader-emails``.
    pub fn label(&self) -> String {
        format!("{} `{}`", self.kind, self.name)
    }
}

/// How many steps of each action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub unchanged: usize,
    pub undeclared: usize,
}

/// The difference between the layout and the live project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub project: String,
    pub layout: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    pub prune: bool,
    pub summary: PlanSummary,
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether apply would change anything.
    pub fn has_changes(&self) -> bool {
        self.steps.iter().any(|s| s.action.changes_something())
    }

    /// Steps that need `--allow-replace`.
    pub fn replacements(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.action == Action::Replace)
    }

    /// Steps that destroy something (deletes and replacements): these ask for confirmation.
    pub fn destructive(&self) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .filter(|s| matches!(s.action, Action::Delete | Action::Replace))
    }

    /// Every difference between declared and live, for `verify`.
    pub fn drifts(&self) -> Vec<Drift> {
        let mut drifts = Vec::new();
        for step in &self.steps {
            let exists = |declared: bool| Drift {
                kind: step.kind,
                resource: step.name.clone(),
                field: "exists".into(),
                declared: declared.to_string(),
                live: (!declared).to_string(),
                replace_required: false,
            };
            match step.action {
                Action::Unchanged => {}
                Action::Create => drifts.push(exists(true)),
                Action::Delete | Action::Undeclared => drifts.push(exists(false)),
                Action::Update | Action::Replace => {
                    drifts.extend(step.changes.iter().map(|c| Drift {
                        kind: step.kind,
                        resource: step.name.clone(),
                        field: c.field.into(),
                        declared: c.declared.clone(),
                        live: c.live.clone(),
                        replace_required: c.replace_required,
                    }))
                }
            }
        }
        drifts
    }
}

impl Report for Plan {
    fn tables(&self) -> Vec<Table> {
        let s = &self.summary;
        let mut title = format!("Plan for project `{}` from `{}`", self.project, self.layout);
        if let Some(env) = &self.environment {
            title.push_str(&format!(" (environment `{env}`)"));
        }
        title.push_str(&format!(
            ": {} to create, {} to update, {} to replace, {} to delete, {} unchanged, {} undeclared",
            s.create, s.update, s.replace, s.delete, s.unchanged, s.undeclared
        ));
        let mut table = Table::new(["action", "kind", "name", "changes"]).titled(title);
        for step in &self.steps {
            let mut name = step.name.clone();
            if step.legacy {
                name.push_str(" (legacy)");
            }
            let detail = match step.action {
                Action::Undeclared => "not in the layout; `--prune` deletes it".to_string(),
                _ => step
                    .changes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            table.push([step.action.to_string(), step.kind.to_string(), name, detail]);
        }
        vec![table]
    }
}

/// A difference `verify` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub kind: Kind,
    /// Short id of the topic or subscription.
    pub resource: String,
    /// Layout field name, or `exists`.
    pub field: String,
    pub declared: String,
    pub live: String,
    pub replace_required: bool,
}

/// Compares `layout` with `live` in `project`. Undeclared live resources become deletes when
/// `prune` is set.
pub fn plan(layout: &Layout, live: &LiveState, project: &str, prune: bool) -> Plan {
    let mut steps = Vec::new();
    for (id, spec) in &layout.topics {
        let (action, changes) = match live.topics.get(id) {
            None => (Action::Create, Vec::new()),
            Some(live) => {
                let changes = diff_topic(spec, live);
                (classify(&changes), changes)
            }
        };
        steps.push(Step {
            kind: Kind::Topic,
            name: id.clone(),
            action,
            legacy: spec.legacy,
            changes,
            spec: Some(Spec::Topic(spec.clone())),
        });
    }
    for (id, spec) in &layout.subscriptions {
        let (action, changes) = match live.subscriptions.get(id) {
            None => (Action::Create, Vec::new()),
            Some(live) => {
                let changes = diff_subscription(spec, live, project);
                (classify(&changes), changes)
            }
        };
        steps.push(Step {
            kind: Kind::Subscription,
            name: id.clone(),
            action,
            legacy: spec.legacy,
            changes,
            spec: Some(Spec::Subscription(spec.clone())),
        });
    }
    let undeclared = if prune {
        Action::Delete
    } else {
        Action::Undeclared
    };
    for (id, config) in &live.subscriptions {
        // An operator's `officectl tail` is temporary and cleans up after itself: not drift.
        if !layout.subscriptions.contains_key(id) && !crate::tail::is_tail_subscription(config) {
            steps.push(undeclared_step(Kind::Subscription, id, undeclared));
        }
    }
    for id in live.topics.keys() {
        if !layout.topics.contains_key(id) {
            steps.push(undeclared_step(Kind::Topic, id, undeclared));
        }
    }
    let mut summary = PlanSummary::default();
    for step in &steps {
        *match step.action {
            Action::Create => &mut summary.create,
            Action::Update => &mut summary.update,
            Action::Replace => &mut summary.replace,
            Action::Delete => &mut summary.delete,
            Action::Unchanged => &mut summary.unchanged,
            Action::Undeclared => &mut summary.undeclared,
        } += 1;
    }
    Plan {
        project: project.to_string(),
        layout: layout.path.display().to_string(),
        environment: layout.env.clone(),
        prune,
        summary,
        steps,
    }
}

fn undeclared_step(kind: Kind, id: &str, action: Action) -> Step {
    Step {
        kind,
        name: id.to_string(),
        action,
        legacy: false,
        changes: Vec::new(),
        spec: None,
    }
}

fn classify(changes: &[FieldChange]) -> Action {
    if changes.is_empty() {
        Action::Unchanged
    } else if changes.iter().any(|c| c.replace_required) {
        Action::Replace
    } else {
        Action::Update
    }
}

fn change(field: &'static str, declared: String, live: String) -> FieldChange {
    FieldChange {
        field,
        declared,
        live,
        replace_required: false,
    }
}

fn replace(field: &'static str, declared: String, live: String) -> FieldChange {
    FieldChange {
        replace_required: true,
        ..change(field, declared, live)
    }
}

fn show_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "none".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn show_duration(d: Option<Duration>) -> String {
    d.map_or_else(|| "unset".into(), crate::duration::format)
}

/// Differences in the fields a topic declaration covers.
pub fn diff_topic(spec: &TopicSpec, live: &TopicConfig) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    if spec.labels != live.labels {
        changes.push(change(
            "labels",
            show_labels(&spec.labels),
            show_labels(&live.labels),
        ));
    }
    if let Some(retention) = spec.retention
        && Some(retention) != live.message_retention
    {
        changes.push(change(
            "retention",
            show_duration(Some(retention)),
            show_duration(live.message_retention),
        ));
    }
    changes
}

/// Differences in the fields a subscription declaration covers. Filter, ordering, the topic and
/// a detached subscription cannot be changed in place: those need a replace.
pub fn diff_subscription(
    spec: &SubscriptionSpec,
    live: &SubscriptionConfig,
    project: &str,
) -> Vec<FieldChange> {
    let short = |name: &str| -> String {
        if names::project_of(name) == Some(project) {
            names::short(name).to_string()
        } else {
            name.to_string()
        }
    };
    let want = spec.to_config(project, names::short(&live.name));
    let mut changes = Vec::new();
    if want.topic != live.topic {
        changes.push(replace("topic", spec.topic.clone(), short(&live.topic)));
    }
    if live.detached {
        changes.push(replace("detached", "false".into(), "true".into()));
    }
    if let Some(ack) = spec.ack_deadline
        && ack != live.ack_deadline_seconds
    {
        changes.push(change(
            "ack_deadline",
            format!("{ack}s"),
            format!("{}s", live.ack_deadline_seconds),
        ));
    }
    if let Some(retention) = spec.retention
        && Some(retention) != live.message_retention
    {
        changes.push(change(
            "retention",
            show_duration(Some(retention)),
            show_duration(live.message_retention),
        ));
    }
    if let Some(retain) = spec.retain_acked
        && retain != live.retain_acked_messages
    {
        changes.push(change(
            "retain_acked",
            retain.to_string(),
            live.retain_acked_messages.to_string(),
        ));
    }
    if want.dead_letter_policy != live.dead_letter_policy {
        let show = |p: &Option<crate::pubsub::DeadLetterPolicy>| {
            p.as_ref().map_or_else(
                || "none".to_string(),
                |p| {
                    format!(
                        "{} after {} attempts",
                        short(&p.topic),
                        p.max_delivery_attempts
                    )
                },
            )
        };
        changes.push(change(
            "dead_letter",
            show(&want.dead_letter_policy),
            show(&live.dead_letter_policy),
        ));
    }
    if want.retry_policy != live.retry_policy {
        let show = |p: &Option<RetryPolicy>| {
            p.as_ref().map_or_else(
                || "none".to_string(),
                |p| {
                    format!(
                        "{}..{}",
                        crate::duration::format(p.minimum_backoff),
                        crate::duration::format(p.maximum_backoff)
                    )
                },
            )
        };
        changes.push(change(
            "retry",
            show(&want.retry_policy),
            show(&live.retry_policy),
        ));
    }
    if spec.filter != live.filter {
        let show = |f: &str| {
            if f.is_empty() {
                "none".to_string()
            } else {
                format!("'{f}'")
            }
        };
        changes.push(replace("filter", show(&spec.filter), show(&live.filter)));
    }
    if let Some(ordering) = spec.ordering
        && ordering != live.enable_message_ordering
    {
        changes.push(replace(
            "ordering",
            ordering.to_string(),
            live.enable_message_ordering.to_string(),
        ));
    }
    if let Some(exactly_once) = spec.exactly_once
        && exactly_once != live.enable_exactly_once_delivery
    {
        changes.push(change(
            "exactly_once",
            exactly_once.to_string(),
            live.enable_exactly_once_delivery.to_string(),
        ));
    }
    if let Some(expiration) = spec.expiration {
        let declared = match expiration {
            ExpirationSpec::Never => None,
            ExpirationSpec::After(ttl) => Some(ttl),
        };
        let matches =
            matches!(&live.expiration_policy, Some(ExpirationPolicy { ttl }) if *ttl == declared);
        if !matches {
            let show = |ttl: Option<Duration>| ttl.map_or("never".into(), crate::duration::format);
            let live_text = live
                .expiration_policy
                .as_ref()
                .map_or_else(|| "service default".to_string(), |p| show(p.ttl));
            changes.push(change("expiration", show(declared), live_text));
        }
    }
    if spec.labels != live.labels {
        changes.push(change(
            "labels",
            show_labels(&spec.labels),
            show_labels(&live.labels),
        ));
    }
    changes
}
