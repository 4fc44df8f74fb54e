//! Planning against a live state: creates, updates, replaces, undeclared resources, drift.

use super::*;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{SubscriptionConfig, TopicConfig, names};
use std::time::Duration;

#[tokio::test(start_paused = true)]
async fn an_empty_project_plans_every_create_topics_first() {
    let fake = FakePubSub::new();
    let plan = plan_for(&fake, &small(), false).await;
    assert_eq!(
        actions(&plan),
        vec![
            ("emails".to_string(), Action::Create),
            ("loader-dead-letter".into(), Action::Create),
            ("dlq-loader-dead-letter".into(), Action::Create),
            ("loader-emails".into(), Action::Create),
            ("sse-emails".into(), Action::Create),
        ]
    );
    assert!(plan.has_changes());
    assert_eq!(plan.summary.create, 5);
}

#[tokio::test(start_paused = true)]
async fn server_defaults_for_undeclared_fields_are_not_drift() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    // A server filling in retention and an expiration policy the layout does not declare.
    let name = names::subscription(P, "sse-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.message_retention = Some(Duration::from_secs(7 * 86_400));
    fake.update_subscription(&live, &["message_retention_duration"])
        .await
        .unwrap();
    let plan = plan_for(&fake, &layout, false).await;
    assert!(!plan.has_changes(), "{:?}", plan.drifts());
}

#[tokio::test(start_paused = true)]
async fn field_changes_are_updates_and_immutable_fields_need_a_replace() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let name = names::subscription(P, "loader-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.ack_deadline_seconds = 20;
    live.labels.insert("extra".into(), "x".into());
    fake.update_subscription(&live, &["ack_deadline_seconds", "labels"])
        .await
        .unwrap();
    let plan = plan_for(&fake, &layout, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Update);
    let fields: Vec<_> = step.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["ack_deadline", "labels"]);
    assert_eq!(step.changes[0].declared, "60s");
    assert_eq!(step.changes[0].live, "20s");

    // The filter differs: only a replace can fix that.
    let mut changed = layout.clone();
    changed.subscriptions.get_mut("sse-emails").unwrap().filter =
        "attributes.sync_type = \"batch_sync\"".into();
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan.steps.iter().find(|s| s.name == "sse-emails").unwrap();
    assert_eq!(step.action, Action::Replace);
    assert!(step.changes[0].replace_required);
    assert_eq!(step.changes[0].field, "filter");
}

#[tokio::test(start_paused = true)]
async fn ordering_needs_a_replace_but_exactly_once_changes_in_place() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let mut changed = layout.clone();
    let sub = changed.subscriptions.get_mut("loader-emails").unwrap();
    sub.exactly_once = Some(true);
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Update);
    let report = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.summary.done, 1, "{report:?}");

    changed
        .subscriptions
        .get_mut("loader-emails")
        .unwrap()
        .ordering = Some(false);
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Replace);
}

#[tokio::test(start_paused = true)]
async fn undeclared_resources_are_kept_unless_pruning() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let stray = SubscriptionConfig::new(
        names::subscription(P, "stray-emails"),
        names::topic(P, "emails"),
    );
    fake.create_subscription(&stray).await.unwrap();
    fake.create_topic(&TopicConfig::named(names::topic(P, "stray")))
        .await
        .unwrap();

    let plan = plan_for(&fake, &layout, false).await;
    assert_eq!(plan.summary.undeclared, 2);
    assert!(!plan.has_changes());
    let report = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
    assert!(report.steps.is_empty());
    assert!(fake.get_subscription(&stray.name).await.is_ok());

    let plan = plan_for(&fake, &layout, true).await;
    assert_eq!(plan.summary.delete, 2);
    let report = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.summary.done, 2);
    assert!(
        fake.get_subscription(&stray.name)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(LiveState::read(&fake, P).await.unwrap().topics.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn verify_lists_each_drift_with_declared_and_live_values() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let name = names::subscription(P, "loader-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.ack_deadline_seconds = 15;
    fake.update_subscription(&live, &["ack_deadline_seconds"])
        .await
        .unwrap();
    fake.delete_subscription(&names::subscription(P, "sse-emails"))
        .await
        .unwrap();

    let report = VerifyReport::from_plan(&plan_for(&fake, &layout, false).await, false);
    assert!(!report.in_sync);
    let drifts: Vec<(&str, &str, &str, &str)> = report
        .drifts
        .iter()
        .map(|d| {
            (
                d.resource.as_str(),
                d.field.as_str(),
                d.declared.as_str(),
                d.live.as_str(),
            )
        })
        .collect();
    assert_eq!(
        drifts,
        vec![
            ("loader-emails", "ack_deadline", "60s", "15s"),
            ("sse-emails", "exists", "true", "false"),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn drift_names_the_first_ten_differences_and_counts_the_rest() {
    let fake = FakePubSub::new();
    let mut text = String::from("topics:\n");
    for i in 0..12 {
        text.push_str(&format!("  t{i:02}: {{}}\n"));
    }
    let plan = plan_for(&fake, &parse(&text).unwrap(), false).await;
    let report = VerifyReport::from_plan(&plan, false);
    let drifted = report.drifted().unwrap().to_string();
    assert!(
        drifted.starts_with("project `proj` drifted from `layout.yaml`: topic `t00` is missing;"),
        "{drifted}"
    );
    assert!(
        drifted.contains("topic `t09` is missing; and 2 more"),
        "{drifted}"
    );
    assert!(!drifted.contains("`t10`"), "{drifted}");
    assert_eq!(
        plan.changes().unwrap().to_string(),
        "changes present: 12 to create, 0 to update, 0 to replace, 0 to delete"
    );
    apply_layout(&fake, &parse(&text).unwrap()).await;
    let plan = plan_for(&fake, &parse(&text).unwrap(), false).await;
    assert!(VerifyReport::from_plan(&plan, false).drifted().is_none());
    assert!(plan.changes().is_none());
}
