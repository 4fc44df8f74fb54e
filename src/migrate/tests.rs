//! The executor against the in-memory fakes: apply with dual-published traffic, gates, rollback,
//! irreversible steps, changed plans, crash recovery of a `running` step, and fencing.

use super::journal;
use super::journal::StepState;
use super::lock::{Holder, Lease};
use super::plan::{self, KnownResources, MigrationPlan};
use super::store::{MemoryMigrationStore, MigrationStore};
use super::{ApplyRequest, Ending, Env, MigrateError, apply, rollback};
use crate::model::claim_check::ClaimCheckConfig;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{
    Admin, BoundedPublisher, OutgoingMessage, PublishTransport, SubscriptionConfig, TopicConfig,
};
use crate::run::failpoint::Failpoints;
use crate::topics::layout::Layout;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const LAYOUT: &str = "\
topics:
  emails: {}
  email-backfill: {legacy: true}
subscriptions:
  vespa-loader-emails: {topic: emails}
  vespa-loader-email-backfill: {topic: email-backfill, legacy: true}
";

const PLAN: &str = "\
name: emails-test
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
      idle_timeout: 50ms
  - gate:
      name: approve-cutover
      message: check the parity numbers
  - set_flag:
      name: new-only
      flag: publish_mode
      data_type: email
      value: new
  - delete_subscription:
      name: drop-legacy-subscription
      subscription: vespa-loader-email-backfill
";

struct World {
    fake: FakePubSub,
    store: MemoryMigrationStore,
    layout: Layout,
    plan: MigrationPlan,
    publisher: BoundedPublisher,
}

async fn world() -> World {
    let layout =
        Layout::parse(LAYOUT, Path::new("topology.yaml"), None).unwrap_or_else(|e| panic!("{e}"));
    let known = KnownResources {
        topics: layout.topics.keys().cloned().collect(),
        subscriptions: layout.subscriptions.keys().cloned().collect(),
    };
    let plan =
        plan::parse(PLAN, Path::new("emails.yaml"), &known).unwrap_or_else(|e| panic!("{e}"));
    let fake = FakePubSub::new();
    fake.create_topic(&TopicConfig::named("projects/p/topics/email-backfill"))
        .await
        .unwrap();
    fake.create_subscription(&SubscriptionConfig::new(
        "projects/p/subscriptions/vespa-loader-email-backfill",
        "projects/p/topics/email-backfill",
    ))
    .await
    .unwrap();
    let publisher = BoundedPublisher::new(Arc::new(fake.clone()), 16);
    World {
        fake,
        store: MemoryMigrationStore::new(),
        layout,
        plan,
        publisher,
    }
}

fn now() -> String {
    "2026-11-26T00:00:00Z".into()
}

impl World {
    fn env(&self) -> Env<'_> {
        Env {
            project: "p",
            admin: &self.fake,
            source: &self.fake,
            publisher: &self.publisher,
            store: Arc::new(self.store.clone()),
            payloads: None,
            claim_check: Box::leak(Box::new(ClaimCheckConfig::default())),
            layout: &self.layout,
            by: "tester@host (pid 1)".into(),
            now: &now,
            cancel: CancellationToken::new(),
            failpoints: Failpoints::none(),
            progress: &|_| {},
        }
    }

    async fn lease(&self) -> Lease {
        let holder = Holder {
            lock_id: "l1".into(),
            by: "tester".into(),
            command: "apply".into(),
            since: now(),
        };
        Lease::acquire(
            Arc::new(self.store.clone()),
            &self.plan.name,
            holder,
            Duration::from_secs(30),
        )
        .await
        .unwrap()
    }

    /// Applies the plan up to and including `step`, which must succeed.
    async fn apply_to(&self, env: &Env<'_>, lease: &Lease, step: &str) {
        let options = ApplyRequest {
            to: Some(step.into()),
            ..Default::default()
        };
        apply(&self.plan, env, lease, &options).await.unwrap();
    }

    async fn dual_publish(&self, keys: &[&str]) {
        for key in keys {
            for topic in ["email-backfill", "emails"] {
                let message = OutgoingMessage::new("{}").attribute("idempotency_key", *key);
                self.fake
                    .publish(&format!("projects/p/topics/{topic}"), message)
                    .await
                    .unwrap();
            }
        }
    }

    async fn state(&self, step: &str) -> StepState {
        journal::read(&self.store, &self.plan.name)
            .await
            .unwrap()
            .unwrap()
            .state(step)
    }
}

#[tokio::test(start_paused = true)]
async fn applies_to_the_gate_then_through_it_and_rolls_back_to_the_start() {
    let w = world().await;
    let lease = w.lease().await;
    let env = w.env();
    // Apply up to the shadows so dual-published traffic reaches them, then the rest.
    w.apply_to(&env, &lease, "dual-publish").await;
    w.dual_publish(&["k1", "k2", "k3"]).await;
    let report = apply(&w.plan, &env, &lease, &ApplyRequest::default())
        .await
        .unwrap();
    assert_eq!(
        report.ending,
        Ending::AwaitingApproval("approve-cutover".into())
    );
    assert_eq!(w.state("parity").await, StepState::Done);
    assert_eq!(
        w.store.value("office:flags:publish_mode:email").as_deref(),
        Some("dual")
    );

    let approve = ApplyRequest {
        approve: vec!["approve-cutover".into()],
        ..Default::default()
    };
    let report = apply(&w.plan, &env, &lease, &approve).await.unwrap();
    assert_eq!(report.ending, Ending::Complete);
    assert_eq!(
        w.store.value("office:flags:publish_mode:email").as_deref(),
        Some("new")
    );
    assert!(
        w.fake
            .get_subscription("projects/p/subscriptions/vespa-loader-email-backfill")
            .await
            .is_err()
    );

    // The delete is irreversible: a full rollback refuses and changes nothing.
    let err = rollback(&w.plan, &env, &lease, None).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot roll back past step `drop-legacy-subscription`"),
        "{err}"
    );
    assert_eq!(
        w.store.value("office:flags:publish_mode:email").as_deref(),
        Some("new")
    );

    // Rolling back to just after the delete works.
    rollback(&w.plan, &env, &lease, Some("drop-legacy-subscription"))
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn rollback_restores_flags_removes_parity_subscriptions_and_keeps_the_layout() {
    let w = world().await;
    w.store
        .set("office:flags:publish_mode:email", "legacy")
        .await
        .unwrap();
    let lease = w.lease().await;
    let env = w.env();
    w.apply_to(&env, &lease, "dual-publish").await;
    assert!(w.fake.get_topic("projects/p/topics/emails").await.is_ok());
    rollback(&w.plan, &env, &lease, None).await.unwrap();
    assert_eq!(
        w.store.value("office:flags:publish_mode:email").as_deref(),
        Some("legacy")
    );
    assert!(
        w.fake.get_topic("projects/p/topics/emails").await.is_ok(),
        "what ensure_layout created is kept: the layout declares it"
    );
    assert!(
        w.fake
            .get_subscription("projects/p/subscriptions/parity-emails")
            .await
            .is_err()
    );
    // What existed before the plan is untouched.
    assert!(
        w.fake
            .get_topic("projects/p/topics/email-backfill")
            .await
            .is_ok()
    );
    assert_eq!(w.state("new-topic").await, StepState::RolledBack);
}

#[tokio::test(start_paused = true)]
async fn parity_without_traffic_names_the_subscription_and_the_wait() {
    let w = world().await;
    let lease = w.lease().await;
    let env = w.env();
    w.apply_to(&env, &lease, "dual-publish").await;
    let err = apply(&w.plan, &env, &lease, &ApplyRequest::default())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    let (_, rest) = text
        .split_once(
            "parity found 0 keys on both sides (0 legacy messages read on `parity-email-backfill` in ",
        )
        .unwrap_or_else(|| panic!("no subscription: {text}"));
    let (waited, rest) = rest
        .split_once("s; ")
        .unwrap_or_else(|| panic!("no wait: {text}"));
    let waited: f64 = waited
        .parse()
        .unwrap_or_else(|_| panic!("{waited}: {text}"));
    assert!(
        waited >= 0.05,
        "it waited the idle timeout at least: {text}"
    );
    assert!(
        rest.starts_with(
            "it stops waiting after 50ms without a message), fewer than `min_messages` (1): no proof; publish traffic and apply again"
        ),
        "{text}"
    );
    assert_eq!(w.state("parity").await, StepState::Failed);
}

#[tokio::test(start_paused = true)]
async fn parity_failure_stops_the_run_and_names_the_missing_key() {
    let w = world().await;
    let lease = w.lease().await;
    let env = w.env();
    w.apply_to(&env, &lease, "dual-publish").await;
    w.dual_publish(&["k1"]).await;
    let legacy_only = OutgoingMessage::new("{}").attribute("idempotency_key", "only-legacy");
    w.fake
        .publish("projects/p/topics/email-backfill", legacy_only)
        .await
        .unwrap();
    let err = apply(&w.plan, &env, &lease, &ApplyRequest::default())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("step `parity` failed") && text.contains("new lacks `only-legacy`"),
        "{text}"
    );
    let failure = MigrateError::failure(&err);
    assert_eq!(failure.map(|f| f.exit_code()), Some(4));
    assert_eq!(w.state("parity").await, StepState::Failed);
}

#[tokio::test(start_paused = true)]
async fn a_changed_applied_step_is_refused_unless_allowed() {
    let w = world().await;
    let lease = w.lease().await;
    let env = w.env();
    w.apply_to(&env, &lease, "dual-publish").await;
    let mut changed = w.plan.clone();
    if let plan::Step::SetFlag(flag) = &mut changed.steps[2] {
        flag.value = "new".into();
    }
    let err = apply(&changed, &env, &lease, &ApplyRequest::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("step `dual-publish` changed since it was applied"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_running_step_keeps_the_flag_value_seen_before_the_crash() {
    let w = world().await;
    w.store
        .set("office:flags:publish_mode:email", "legacy")
        .await
        .unwrap();
    let lease = w.lease().await;
    let env = w.env();
    w.apply_to(&env, &lease, "dual-publish").await;
    // Pretend the process died after setting the flag, before recording `done`.
    let key = crate::keys::migration_journal(&w.plan.name);
    let mut journal = journal::read(&w.store, &w.plan.name)
        .await
        .unwrap()
        .unwrap();
    journal
        .steps
        .iter_mut()
        .find(|s| s.name == "dual-publish")
        .unwrap()
        .state = StepState::Running;
    w.store
        .set(&key, &serde_json::to_string(&journal).unwrap())
        .await
        .unwrap();

    w.apply_to(&env, &lease, "dual-publish").await;
    let journal = journal::read(&w.store, &w.plan.name)
        .await
        .unwrap()
        .unwrap();
    let record = journal.step("dual-publish").unwrap();
    assert_eq!(record.state, StepState::Done);
    assert_eq!(
        record.undo.flag.as_ref().unwrap().previous.as_deref(),
        Some("legacy"),
        "not the value set by the crashed run"
    );
}

#[tokio::test(start_paused = true)]
async fn a_run_whose_lease_was_taken_over_cannot_write() {
    let w = world().await;
    // A run takes the lock (token 1), then pauses past its lease.
    let paused = w.lease().await;
    w.store.advance(Duration::from_secs(60));
    // Another run takes the expired lock (token 2).
    let holder = Holder {
        lock_id: "l2".into(),
        by: "other".into(),
        command: "apply".into(),
        since: now(),
    };
    let _current = Lease::acquire(
        Arc::new(w.store.clone()),
        &w.plan.name,
        holder,
        Duration::from_secs(30),
    )
    .await
    .unwrap();
    // The paused run wakes up: its journal writes carry the stale token and are refused.
    let env = w.env();
    let err = apply(&w.plan, &env, &paused, &ApplyRequest::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lost the lock"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn irreversible_steps_are_those_this_run_reaches() {
    let w = world().await;
    let env = w.env();
    let irreversible = |request: &ApplyRequest, preview: &super::RunReport| {
        request.irreversible_steps(&w.plan, preview)
    };
    let preview = super::preview(&w.plan, &env).await.unwrap();
    // The gate stops the run before the delete unless it is approved.
    assert!(irreversible(&ApplyRequest::default(), &preview).is_empty());
    let approved = ApplyRequest {
        approve: vec!["approve-cutover".into()],
        ..Default::default()
    };
    assert_eq!(
        irreversible(&approved, &preview),
        ["drop-legacy-subscription"]
    );
    let short = ApplyRequest {
        to: Some("new-only".into()),
        ..approved.clone()
    };
    assert!(irreversible(&short, &preview).is_empty());

    // Once the delete is done, it is not asked about again.
    let lease = w.lease().await;
    w.apply_to(&env, &lease, "dual-publish").await;
    w.dual_publish(&["k1"]).await;
    apply(&w.plan, &env, &lease, &approved).await.unwrap();
    let preview = super::preview(&w.plan, &env).await.unwrap();
    assert!(irreversible(&approved, &preview).is_empty());
}

/// A reader's heartbeat still lists the subscription: the delete waits for it, and a Ctrl-C
/// during the wait stops the run as interrupted, the step left pending and the subscription
/// in place; once the reader is gone, the next apply deletes it.
#[tokio::test(start_paused = true)]
async fn ctrl_c_while_a_reader_holds_the_delete_leaves_it_pending() {
    use crate::migrate::readers::Heartbeat;
    use crate::model::store::MemoryStore;
    let w = world().await;
    let lease = w.lease().await;
    let beats = MemoryStore::new();
    let heartbeat = Heartbeat::new(
        Arc::new(beats.clone()),
        "vespa-loader",
        "p",
        "tester@host (pid 2)",
        Duration::from_secs(5),
    );
    heartbeat
        .beat(
            &Default::default(),
            &["vespa-loader-email-backfill".to_string()],
        )
        .await
        .unwrap();
    let mut env = w.env();
    env.payloads = Some(&beats);
    w.apply_to(&env, &lease, "dual-publish").await;
    w.dual_publish(&["k1"]).await;
    w.apply_to(&env, &lease, "parity").await;
    let approve = ApplyRequest {
        approve: vec!["approve-cutover".into()],
        ..Default::default()
    };
    let cancel = env.cancel.clone();
    let (outcome, ()) = tokio::join!(apply(&w.plan, &env, &lease, &approve), async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        cancel.cancel();
    });
    let err = outcome.unwrap_err();
    assert!(
        matches!(err, MigrateError::Interrupted { ref step, .. } if step == "drop-legacy-subscription"),
        "{err}"
    );
    assert_eq!(
        w.state("drop-legacy-subscription").await,
        StepState::Pending
    );
    assert!(
        w.fake
            .get_subscription("projects/p/subscriptions/vespa-loader-email-backfill")
            .await
            .is_ok()
    );

    heartbeat.stop().await.unwrap();
    let mut env = w.env();
    env.payloads = Some(&beats);
    let report = apply(&w.plan, &env, &lease, &approve).await.unwrap();
    assert_eq!(report.ending, Ending::Complete);
    assert_eq!(w.state("drop-legacy-subscription").await, StepState::Done);
}
