//! Unit tests: layout loading and validation, planning, and applying against the in-memory fake
//! (including injected failures, resume, ALREADY_EXISTS and bounded parallelism).

mod applying;
mod loading;
mod planning;

use super::*;
use crate::pubsub::Admin;
use std::path::{Path, PathBuf};

pub(super) const P: &str = "proj";

pub(super) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub(super) fn parse(text: &str) -> Result<Layout, LayoutError> {
    Layout::parse(text, Path::new("layout.yaml"), None)
}

pub(super) fn small() -> Layout {
    Layout::load(&repo("tests/fixtures/layouts/valid-small.yaml"), None).unwrap()
}

pub(super) async fn plan_for(admin: &dyn Admin, layout: &Layout, prune: bool) -> Plan {
    let live = LiveState::read(admin, P).await.unwrap();
    plan(layout, &live, P, prune)
}

pub(super) async fn apply_layout(admin: &dyn Admin, layout: &Layout) -> ApplyReport {
    let plan = plan_for(admin, layout, false).await;
    apply(admin, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap()
}

pub(super) fn actions(plan: &Plan) -> Vec<(String, Action)> {
    plan.steps
        .iter()
        .map(|s| (s.name.clone(), s.action))
        .collect()
}
