//! The drill's throwaway copy of the platform, inside its namespace: laid out as it stands
//! before the plan runs, and removed afterwards (Pub/Sub resources, Redis keys, Vespa
//! documents), whatever state the drill stopped in.

use crate::migrate::plan::MigrationPlan;
use crate::migrate::steps::Step;
use crate::model::catalog::DataType;
use crate::model::vespa::schema::CONTENT_CLUSTER;
use crate::namespace;
use crate::pubsub::{Admin, ErrorKind, names};
use crate::run::CancellationToken;
use crate::topics::apply::{ApplyOptions, NoProgress, RETRY};
use crate::topics::plan::{LiveState, plan as plan_layout};
use crate::topics::{Layout, apply::apply as apply_layout};
use crate::vespa::feed::{Request, Transport};
use crate::vespa::visit::{self, VisitOptions};
use std::collections::BTreeSet;

/// Setting up or tearing down the drill's resources failed.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("the drill must run inside a namespace")]
    NoNamespace,
    #[error("laying out the drill's resources: {0}")]
    Layout(String),
    #[error("Pub/Sub: {0}")]
    PubSub(#[from] crate::pubsub::PubSubError),
    #[error("Redis: {0}")]
    Redis(String),
    #[error("Vespa: {0}")]
    Vespa(String),
}

/// Topics and subscriptions the plan itself creates: they must not exist before it runs.
fn created_by_plan(plan: &MigrationPlan) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut topics, mut subscriptions) = (BTreeSet::new(), BTreeSet::new());
    for step in &plan.steps {
        match step {
            Step::EnsureLayout(s) => {
                topics.extend(s.topics.iter().cloned());
                subscriptions.extend(s.subscriptions.iter().cloned());
            }
            Step::CreateShadowSubscriptions(s) => {
                subscriptions.insert(s.legacy_subscription.clone());
                subscriptions.insert(s.new_subscription.clone());
            }
            _ => {}
        }
    }
    (topics, subscriptions)
}

/// The layout as it stands before `plan` runs: everything declared except the subscriptions
/// the plan creates, those on a topic it creates, and the topics it creates that nothing left
/// needs (a dead-letter topic that a legacy subscription already uses exists before).
pub fn before_plan(layout: &Layout, plan: &MigrationPlan) -> Layout {
    let (topics, subscriptions) = created_by_plan(plan);
    let mut before = layout.clone();
    before
        .subscriptions
        .retain(|id, spec| !subscriptions.contains(id) && !topics.contains(&spec.topic));
    let needed: BTreeSet<String> = before
        .subscriptions
        .values()
        .filter_map(|s| s.dead_letter.as_ref().map(|d| d.topic.clone()))
        .collect();
    before
        .topics
        .retain(|id, _| !topics.contains(id) || needed.contains(id));
    before
}

/// Creates the resources of `layout` in the namespace; returns how many were created.
pub async fn lay_out(
    admin: &dyn Admin,
    layout: &Layout,
    project: &str,
    cancel: &CancellationToken,
) -> Result<usize, WorldError> {
    if namespace::current().is_none() {
        return Err(WorldError::NoNamespace);
    }
    let live = LiveState::read(admin, project).await?;
    let plan = plan_layout(layout, &live, project, false);
    let options = ApplyOptions {
        concurrency: 8,
        allow_replace: false,
        cancel: cancel.clone(),
        retry: RETRY,
    };
    let report = apply_layout(admin, &plan, &options, &NoProgress)
        .await
        .map_err(|e| WorldError::Layout(e.to_string()))?;
    if let Some(failure) = report.failures().next() {
        return Err(WorldError::Layout(format!(
            "{} `{}`: {}",
            failure.kind,
            failure.name,
            failure.error.clone().unwrap_or_default()
        )));
    }
    Ok(report.summary.done)
}

/// What the clean-up removed, and what it could not.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Removed {
    pub subscriptions: usize,
    pub topics: usize,
    pub snapshots: usize,
    pub keys: usize,
    pub documents: usize,
    /// One line per resource (or service) that could not be removed, naming it.
    pub problems: Vec<String>,
}

impl Removed {
    fn problem(&mut self, what: impl std::fmt::Display) {
        self.problems.push(what.to_string());
    }
}

/// Removes everything of the namespace: its documents in Vespa, its Pub/Sub resources (and the
/// plan's snapshots), its Redis keys. Each part runs whatever the others did, and each resource
/// is tried on its own, so one failure leaves as little behind as possible; what could not be
/// removed is in [`Removed::problems`]. Running it again is harmless.
pub async fn remove_all<T: Transport + ?Sized>(
    admin: &dyn Admin,
    conn: &redis::aio::MultiplexedConnection,
    transport: &T,
    project: &str,
    plan: &MigrationPlan,
) -> Removed {
    let mut removed = Removed::default();
    if namespace::current().is_none() {
        removed.problem(WorldError::NoNamespace);
        return removed;
    }
    if let Err(err) = remove_documents(transport, &mut removed.documents).await {
        removed.problem(err);
    }
    remove_pubsub(admin, project, plan, &mut removed).await;
    if let Err(err) = remove_keys(conn, &mut removed).await {
        removed.problem(err);
    }
    removed
}

/// Deletes the namespace's subscriptions, topics and the plan's snapshots, each on its own.
async fn remove_pubsub(
    admin: &dyn Admin,
    project: &str,
    plan: &MigrationPlan,
    removed: &mut Removed,
) {
    for step in &plan.steps {
        if let Step::Snapshot(s) = step {
            let name = names::snapshot(project, &format!("{}-{}", s.subscription, s.name));
            // pstest has no snapshots: a server that cannot make them has none to delete.
            match admin.delete_snapshot(&name).await {
                Ok(()) => removed.snapshots += 1,
                Err(err) if matches!(err.kind, ErrorKind::NotFound | ErrorKind::Unimplemented) => {}
                Err(err) => removed.problem(format!("Pub/Sub snapshot `{name}`: {err}")),
            }
        }
    }
    // Subscriptions before topics: a topic's subscriptions outlive it otherwise (detached).
    match admin.list_subscriptions(project).await {
        Ok(subscriptions) => {
            for sub in subscriptions
                .iter()
                .filter(|s| names::in_namespace(&s.name))
            {
                match admin.delete_subscription(&sub.name).await {
                    Ok(()) => removed.subscriptions += 1,
                    Err(err) if err.kind == ErrorKind::NotFound => {}
                    Err(err) => {
                        removed.problem(format!("Pub/Sub subscription `{}`: {err}", sub.name))
                    }
                }
            }
        }
        Err(err) => removed.problem(format!(
            "Pub/Sub: listing the subscriptions of project `{project}`: {err}"
        )),
    }
    match admin.list_topics(project).await {
        Ok(topics) => {
            for topic in topics.iter().filter(|t| names::in_namespace(&t.name)) {
                match admin.delete_topic(&topic.name).await {
                    Ok(()) => removed.topics += 1,
                    Err(err) if err.kind == ErrorKind::NotFound => {}
                    Err(err) => removed.problem(format!("Pub/Sub topic `{}`: {err}", topic.name)),
                }
            }
        }
        Err(err) => removed.problem(format!(
            "Pub/Sub: listing the topics of project `{project}`: {err}"
        )),
    }
}

/// Deletes every Redis key of the namespace (`SCAN` + `DEL` in chunks).
async fn remove_keys(
    conn: &redis::aio::MultiplexedConnection,
    removed: &mut Removed,
) -> Result<(), WorldError> {
    let Some(ns) = namespace::current() else {
        return Err(WorldError::NoNamespace);
    };
    use futures::StreamExt;
    let mut scan = conn.clone();
    let found: Vec<String> = {
        let mut keys = redis::AsyncCommands::scan_match::<_, String>(&mut scan, format!("{ns}:*"))
            .await
            .map_err(|e| WorldError::Redis(e.to_string()))?;
        let mut found = Vec::new();
        while let Some(key) = keys.next().await {
            found.push(key.map_err(|e| WorldError::Redis(e.to_string()))?);
        }
        found
    };
    let mut conn = conn.clone();
    for chunk in found.chunks(500) {
        let n: usize = redis::AsyncCommands::del(&mut conn, chunk)
            .await
            .map_err(|e| WorldError::Redis(e.to_string()))?;
        removed.keys += n;
    }
    Ok(())
}

/// The ids of the namespace's documents of `data_type` in Vespa.
pub async fn documents<T: Transport + ?Sized>(
    transport: &T,
    data_type: DataType,
    cancel: &CancellationToken,
) -> Result<BTreeSet<String>, WorldError> {
    let Some(target) = visit::plan(&[], &[data_type], CONTENT_CLUSTER).pop() else {
        return Ok(BTreeSet::new());
    };
    let mut ids = BTreeSet::new();
    visit::each_document(
        transport,
        &target,
        &VisitOptions::default(),
        cancel,
        |doc| {
            ids.insert(doc.id);
        },
    )
    .await
    .map_err(|e| WorldError::Vespa(e.to_string()))?;
    Ok(ids)
}

/// The answer to one delete-where request.
#[derive(serde::Deserialize)]
struct DeletedPage {
    #[serde(default, rename = "documentCount")]
    document_count: usize,
    #[serde(default)]
    continuation: Option<String>,
}

/// Deletes every document of the namespace, of any type (delete-where on the root, following
/// its continuation until the whole namespace was visited), counting them in `deleted` (also
/// when a later page fails).
pub async fn remove_documents<T: Transport + ?Sized>(
    transport: &T,
    deleted: &mut usize,
) -> Result<(), WorldError> {
    let Some(ns) = namespace::current() else {
        return Err(WorldError::NoNamespace);
    };
    let selection = visit::escape_query(&format!("id.namespace==\"{ns}\""));
    let mut continuation: Option<String> = None;
    loop {
        let mut path = format!("/document/v1/?cluster={CONTENT_CLUSTER}&selection={selection}");
        if let Some(token) = &continuation {
            path.push_str(&format!("&continuation={}", visit::escape_query(token)));
        }
        let request = Request {
            method: "DELETE",
            path,
            body: None,
        };
        let response = transport
            .send(&request)
            .await
            .map_err(|e| WorldError::Vespa(format!("DELETE {}: {e}", request.path)))?;
        if response.status != 200 {
            return Err(WorldError::Vespa(format!(
                "DELETE {} answered {}: {}",
                request.path,
                response.status,
                String::from_utf8_lossy(&response.body)
            )));
        }
        let page: DeletedPage = serde_json::from_slice(&response.body).map_err(|e| {
            WorldError::Vespa(format!("DELETE {} answered 200 with {e}", request.path))
        })?;
        *deleted += page.document_count;
        match page.continuation.filter(|t| !t.is_empty()) {
            Some(token) => continuation = Some(token),
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn before_the_plan_lacks_what_the_plan_creates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let layout = Layout::load(&root.join("plans/topology.yaml"), None).unwrap();
        let plan = crate::migrate::plan::load(
            &root.join("plans/migrations/emails.yaml"),
            &crate::migrate::plan::KnownResources::of(&layout),
        )
        .unwrap();
        let before = before_plan(&layout, &plan);
        assert!(before.topics.contains_key("email-backfill"));
        assert!(
            before
                .subscriptions
                .contains_key("vespa-loader-email-backfill")
        );
        assert!(!before.topics.contains_key("emails"));
        assert!(!before.subscriptions.contains_key("vespa-loader-emails"));
        assert!(!before.subscriptions.contains_key("parity-emails"));
        assert!(
            before
                .subscriptions
                .values()
                .all(|s| before.topics.contains_key(&s.topic)),
            "a subscription on a topic the plan creates is left"
        );
        assert!(
            before.topics.contains_key("calendars"),
            "other types are untouched"
        );
        assert!(
            before.topics.contains_key("vespa-loader-dead-letter"),
            "the legacy subscription's dead-letter topic exists before"
        );
    }
}
